import { defineConfig } from 'vitest/config';
import { LongestFirst } from './test/support/sequencer.ts';

const BROWSER_TESTS = 'test/web/**/*.browser.test.ts';

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
          exclude: [BROWSER_TESTS],
          globalSetup: ['test/support/pg-global.ts'],
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
        test: { name: 'browser', include: [BROWSER_TESTS], sequence: { groupOrder: 1 }, testTimeout: 90_000 },
      },
    ],
  },
});
