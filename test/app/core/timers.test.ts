import { describe, expect, it } from 'vitest';
import { createHub } from '../../../src/app/core/hub.ts';
import { runTimersAfterJump, scheduleTimers, timerHandlers, type Timer } from '../../../src/app/core/timers.ts';
import { Worker } from '../../../src/app/core/worker.ts';
import { openStore } from '../../../src/store/connect.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub } from '../../support/hub.ts';

describe.each(databases)('timers through the job queue on $name', (database) => {
  it('two processes scheduling the same timer run it once per period, and not before its period starts', async () => {
    const a = await openTestHub(database, '2026-11-02T09:05:00Z');
    const storeB = openStore(a.store.url);
    const b = createHub(storeB, a.governance, { clock: a.clock });
    try {
      const runs: string[] = [];
      const timers: Timer[] = [
        {
          name: 'dormancy',
          everyMs: 15 * 60_000,
          run: async (hub) => {
            runs.push(hub.clock.now().toISOString());
          },
        },
      ];
      const wa = new Worker(a, timerHandlers(timers), { id: 'a' });
      const wb = new Worker(b, timerHandlers(timers), { id: 'b' });
      // both processes tick several times within the period
      for (let i = 0; i < 3; i++) await Promise.all([scheduleTimers(a, timers), scheduleTimers(b, timers)]);
      expect(await Promise.all([wa.drain(), wb.drain()])).toEqual([0, 0]);
      expect(runs).toEqual([]);

      a.clock.advance(10 * 60_000); // 09:15, the next period
      await Promise.all([scheduleTimers(a, timers), scheduleTimers(b, timers)]);
      const [na, nb] = await Promise.all([wa.drain(), wb.drain()]);
      expect(na + nb).toBe(1);
      expect(runs).toEqual(['2026-11-02T09:15:00.000Z']);

      a.clock.advance(15 * 60_000);
      await Promise.all([wa.drain(), wb.drain()]);
      expect(runs).toHaveLength(2);
    } finally {
      await storeB.close();
      await a.close();
    }
  });
});

describe.each(databases)('timers after a test clock jumps on $name', (database) => {
  it('each timer runs once at the moment the clock jumped to, not at the next boundary', async () => {
    const hub = await openTestHub(database, '2026-11-02T09:05:00Z');
    try {
      const runs: string[] = [];
      const timers: Timer[] = [
        {
          name: 'close-decisions',
          everyMs: 15 * 60_000,
          run: async (h) => void runs.push(h.clock.now().toISOString()),
        },
      ];
      const worker = new Worker(hub, timerHandlers(timers), { id: 'w' });
      await scheduleTimers(hub, timers);
      hub.clock.advance(3 * 86_400_000 + 7 * 60_000); // three days and 7 minutes on: 09:12, mid-period
      await runTimersAfterJump(hub, timers);
      await runTimersAfterJump(hub, timers); // heard twice (two processes): still once
      await worker.drain();
      // the period that was due (09:15 on the 2nd) and the jump itself; nothing waits for 09:15 on the 5th
      expect(runs).toEqual(['2026-11-05T09:12:00.000Z', '2026-11-05T09:12:00.000Z']);
    } finally {
      await hub.close();
    }
  });
});
