import { defineConfig } from 'vitest/config';
import { LongestFirst } from './test/support/sequencer.ts';

const BROWSER_TESTS = 'test/web/**/*.browser.test.ts';
// Files that replace a module with vi.mock: in a shared process the module may already be loaded
// by an earlier file (the mock never applies) or the mock may reach later files.
const ISOLATED_TESTS = 'test/**/*.isolated.test.ts';

export default defineConfig({
  test: {
    // Store tests open real databases and servers; two cores, so keep workers modest.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // longest files first, from a committed list: a clean checkout has no vitest cache to order by
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        extends: true,
        test: {
          name: 'core',
          include: ['test/**/*.test.ts'],
          exclude: [BROWSER_TESTS, ISOLATED_TESTS],
          globalSetup: ['test/support/pg-global.ts'],
          // fails a file that leaves the process changed (an environment variable, fake timers, a
          // spied global, a lowered bound) and puts it back: test/support/leak-guard.ts
          setupFiles: ['test/support/leak-guard-setup.ts'],
          // One worker process runs file after file, keeping the modules it has loaded: a fresh
          // process per file, loading the hub's code again, cost about 2 s per file on a loaded
          // machine (185 files; the non-browser files took 958 s instead of 666 s on 2 cores at load
          // 5-9). So a test must put back what it changes in the process (environment variables by
          // name, never process.env itself; timers); databases, servers and hubs are each test's own.
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'isolated',
          include: [ISOLATED_TESTS],
          globalSetup: ['test/support/pg-global.ts'],
          isolate: true,
          sequence: { groupOrder: 0 },
        },
      },
      {
        // Chromium and a hub process per file: run after the rest, so they never starve the CLI
        // tests' spawned processes of the two cores. Two files at a time: one file leaves a core
        // mostly idle (two sign-in and meeting files: 50 s one at a time, 36 s two at a time, same CPU).
        extends: true,
        // A journey of a dozen pages takes ~20 s on an idle machine; 30 s was too tight on a loaded
        // one (a CI run timed out mid-journey). The limit guards against hangs, not speed.
        // Not isolated either: each file starts its own hub and Chromium and stops them in afterAll;
        // not loading playwright-core and the harness again saves a little (326 s → 300 s, loaded).
        test: {
          name: 'browser',
          include: [BROWSER_TESTS],
          isolate: false,
          sequence: { groupOrder: 1 },
          testTimeout: 90_000,
        },
      },
    ],
  },
});
