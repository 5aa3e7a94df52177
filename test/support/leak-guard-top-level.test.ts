// The leak guard takes the process as it was before this file ran: a variable set at the file's top
// level and put back in its afterAll is no leak (the guard used to read the state in beforeAll, after
// the top-level change, and fail this file).
import { afterAll, expect, it } from 'vitest';
const before = process.env.LEAK_GUARD_TOPLEVEL_PROBE;
process.env.LEAK_GUARD_TOPLEVEL_PROBE = 'set at top level';
afterAll(() => {
  if (before === undefined) delete process.env.LEAK_GUARD_TOPLEVEL_PROBE;
  else process.env.LEAK_GUARD_TOPLEVEL_PROBE = before;
});
it('sees its variable', () => expect(process.env.LEAK_GUARD_TOPLEVEL_PROBE).toBe('set at top level'));
