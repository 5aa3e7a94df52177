// What the CLI prints for a failure that is not a refusal: a setting it cannot use names itself and
// exits 78 (configuration); anything else exits 1, with a stack trace only when WGHUB_DEBUG asks.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { reportError } from '../../src/cli/errors.ts';
import { SettingError } from '../../src/domain/errors.ts';

const before = process.env.WGHUB_DEBUG;
afterEach(() => {
  if (before === undefined) delete process.env.WGHUB_DEBUG;
  else process.env.WGHUB_DEBUG = before;
  vi.restoreAllMocks();
});

/** reportError's exit code and what it wrote to stderr, with WGHUB_DEBUG as given (undefined: unset). */
function reported(e: unknown, debug: string | undefined): { code: number; stderr: string } {
  if (debug === undefined) delete process.env.WGHUB_DEBUG;
  else process.env.WGHUB_DEBUG = debug;
  let stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  const code = reportError(e);
  vi.restoreAllMocks();
  return { code, stderr };
}

describe('WGHUB_DEBUG', () => {
  it.each([undefined, '', '0', 'false', 'FALSE', 'no', 'off', ' 0 '])('%j leaves stack traces off', (value) => {
    const r = reported(new Error('the index is broken'), value);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('wghub: the index is broken\n(run with WGHUB_DEBUG=1 to see where it failed)\n');
  });

  it.each(['1', 'true', 'yes', 'on'])('%j turns them on', (value) => {
    const r = reported(new Error('the index is broken'), value);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^wghub: Error: the index is broken\n\s+at /);
  });
});

describe('a setting wghub cannot use', () => {
  it('is printed as it is, with where settings are described, and exits 78 whatever WGHUB_DEBUG says', () => {
    for (const debug of [undefined, '1']) {
      const r = reported(
        new SettingError("WGHUB_FANOUT_BATCH must be a whole number of people from 1 to 10000, not '0'"),
        debug,
      );
      expect(r.code).toBe(78);
      expect(r.stderr).toBe(
        "wghub: WGHUB_FANOUT_BATCH must be a whole number of people from 1 to 10000, not '0'\n(correct it, or unset it for its default; each setting is in docs/configuration.md)\n",
      );
    }
  });
});
