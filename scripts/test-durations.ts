// Writes test/support/durations.json from the durations a test run wrote (`.ci/run` runs the tests
// with test/support/durations-reporter.ts and prints where), so a clean checkout, which has no
// vitest cache, still starts the longest test files first.
// Usage: node scripts/test-durations.ts DURATIONS.json
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const input = process.argv[2];
if (!input) {
  console.error('usage: node scripts/test-durations.ts DURATIONS.json (written by test/support/durations-reporter.ts)');
  process.exit(2);
}
const root = path.resolve(import.meta.dirname, '..');
const measured = JSON.parse(readFileSync(input, 'utf8')) as Record<string, number>;
const seconds = Object.fromEntries(Object.entries(measured).sort(([a], [b]) => (a < b ? -1 : 1)));
writeFileSync(path.join(root, 'test/support/durations.json'), `${JSON.stringify(seconds, null, 2)}\n`);
console.log(`${Object.keys(seconds).length} files' durations written to test/support/durations.json`);
