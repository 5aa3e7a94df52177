// Writes test/support/durations.json from a vitest JSON report (`.ci/run` prints where it wrote one),
// so a clean checkout, which has no vitest cache, still starts the longest test files first.
// Usage: node scripts/test-durations.ts REPORT.json
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const report = process.argv[2];
if (!report) {
  console.error('usage: node scripts/test-durations.ts REPORT.json (a vitest --reporter=json output)');
  process.exit(2);
}
const root = path.resolve(import.meta.dirname, '..');
const { testResults } = JSON.parse(readFileSync(report, 'utf8')) as {
  testResults: { name: string; startTime: number; endTime: number }[];
};
const seconds = Object.fromEntries(
  testResults
    // the report may come from another clone (.ci/run's): keep the path from test/ on
    .map(
      (t) =>
        [t.name.slice(t.name.lastIndexOf('/test/') + 1), Math.round((t.endTime - t.startTime) / 100) / 10] as const,
    )
    .sort(([a], [b]) => (a < b ? -1 : 1)),
);
writeFileSync(path.join(root, 'test/support/durations.json'), `${JSON.stringify(seconds, null, 2)}\n`);
console.log(`${Object.keys(seconds).length} files' durations written to test/support/durations.json`);
