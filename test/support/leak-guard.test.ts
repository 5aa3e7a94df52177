// The guard run around every core test file (leak-guard-setup.ts): what a file leaves changed in the
// shared process is named, then put back, so the file fails and the files after it do not.
import { describe, expect, it, vi } from 'vitest';
import { LIMITS } from '../../src/domain/limits.ts';
import { largeIndexPlan } from '../../src/search/engine.ts';
import { setEnv } from './env.ts';
import { processState, putBackChanges } from './leak-guard.ts';

describe('the shared-process guard', () => {
  it('names an environment variable set, changed or removed, and puts each back by name', () => {
    const restore = setEnv({ LEAK_GUARD_TEST_KEPT: 'kept', LEAK_GUARD_TEST_GONE: 'here' });
    try {
      const start = processState();
      process.env.LEAK_GUARD_TEST_NEW = 'new';
      process.env.LEAK_GUARD_TEST_KEPT = 'changed';
      delete process.env.LEAK_GUARD_TEST_GONE;
      expect(putBackChanges(start).sort()).toEqual([
        'environment variable LEAK_GUARD_TEST_GONE removed',
        'environment variable LEAK_GUARD_TEST_KEPT changed',
        'environment variable LEAK_GUARD_TEST_NEW set',
      ]);
      expect(process.env.LEAK_GUARD_TEST_NEW).toBeUndefined();
      expect(process.env.LEAK_GUARD_TEST_KEPT).toBe('kept');
      expect(process.env.LEAK_GUARD_TEST_GONE).toBe('here');
    } finally {
      restore();
    }
    expect(process.env.LEAK_GUARD_TEST_KEPT).toBeUndefined();
  });

  it('names fake timers still installed, a spy on console, Date.now replaced, and puts the real ones back', () => {
    const start = processState();
    const now = Date.now;
    const warn = console.warn;
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    Date.now = () => 0;
    expect(putBackChanges(start)).toEqual(['fake timers installed', 'console.warn replaced', 'Date.now replaced']);
    expect(vi.isFakeTimers()).toBe(false);
    expect(console.warn).toBe(warn);
    expect(Date.now).toBe(now);
    expect(Date.now()).toBeGreaterThan(0);
  });

  it('names a bound of the hub lowered, and puts it back', () => {
    const start = processState();
    const page = LIMITS.webListPage;
    const above = largeIndexPlan.above;
    (LIMITS as { webListPage: number }).webListPage = 2;
    (LIMITS.calendar as { meetings: number }).meetings = 20;
    largeIndexPlan.above = 0;
    expect(putBackChanges(start)).toEqual([
      'LIMITS changed (webListPage, calendar.meetings)',
      'largeIndexPlan changed (above)',
    ]);
    expect(LIMITS.webListPage).toBe(page);
    expect(largeIndexPlan.above).toBe(above);
  });

  it('finds nothing in a process left as it was, in well under a millisecond a file', () => {
    const runs = 200;
    const t = performance.now();
    let found = 0;
    for (let i = 0; i < runs; i++) found += putBackChanges(processState()).length;
    const perFile = (performance.now() - t) / runs;
    expect(found).toBe(0);
    // measured at 0.7 ms a file on two cores at load 13; the bound guards against a slow check
    expect(perFile).toBeLessThan(5);
  });
});
