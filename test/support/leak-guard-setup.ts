// Run before each test file of the core project (vitest.config.ts `setupFiles`): fails the file
// that leaves the shared process changed (leak-guard.ts says what is checked), after putting it back.
import { afterAll } from 'vitest';
import { processState, putBackChanges } from './leak-guard.ts';

// taken as the setup file runs, before the test file's own top-level code: a file that changes the
// process there and puts it back in afterAll leaves nothing changed (in beforeAll, its change would
// have been the state to go back to, and its own putting back a leak)
const start = processState();
afterAll(() => {
  const left = putBackChanges(start);
  if (left.length)
    throw new Error(
      `This file left the shared test process changed (now put back, for the files after it): ${left.join('; ')}. Put it back in an afterEach or a finally (test/support/env.ts sets environment variables and puts them back by name).`,
    );
});
