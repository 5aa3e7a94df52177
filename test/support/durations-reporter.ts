// Writes each test file's whole time (its hooks, imports and set-up included) to
// the JSON file WGHUB_TEST_DURATIONS names, for scripts/test-durations.ts to turn into the order
// the sequencer starts files in. The JSON report's start and end times leave out beforeAll, so a
// file whose work is all set-up (the side-by-side upgrade: 22 s) read as taking no time and ran last.
import { writeFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

export default class DurationsReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const out = process.env.WGHUB_TEST_DURATIONS;
    if (!out) return;
    const seconds: Record<string, number> = {};
    for (const m of modules) {
      const id = m.moduleId;
      const d = m.diagnostic();
      const ms = d.duration + d.collectDuration + d.setupDuration + d.prepareDuration + d.environmentSetupDuration;
      seconds[id.slice(id.lastIndexOf('/test/') + 1)] = Math.round(ms / 100) / 10;
    }
    writeFileSync(out, `${JSON.stringify(seconds)}\n`);
  }
}
