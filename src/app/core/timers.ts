// Work on a clock (mark dormant proposals, close decisions whose time is up) done once per period
// across however many processes run, through the job queue: each process, every tick, enqueues the
// job for the next period under a key naming the timer and the period, so the first enqueue wins
// and the others are no-ops; a worker of any process then claims it once (FOR UPDATE SKIP LOCKED).
// A process that dies leaves the job to the others; none runs it twice.
import type { Hub } from './hub.ts';
import { z } from 'zod';
import { enqueue, payloadOf } from './jobs.ts';
import type { JobHandlers } from './worker.ts';

export type Timer = { name: string; everyMs: number; run: (hub: Hub) => Promise<unknown> };

export const TIMER_QUEUE = 'timers';
/** A timer job: which timer, for the period starting when. */
const TimerJob = z.object({ timer: z.string(), period: z.string() });

/** Enqueues each timer's next period (idempotent: the key is the timer and the period's start). */
export async function scheduleTimers(hub: Hub, timers: Timer[]): Promise<void> {
  const now = hub.clock.now().getTime();
  for (const t of timers) {
    const start = (Math.floor(now / t.everyMs) + 1) * t.everyMs;
    const at = new Date(start);
    await enqueue(hub.store.db, hub, {
      queue: TIMER_QUEUE,
      key: `timer:${t.name}:${at.toISOString()}`,
      payload: { timer: t.name, period: at.toISOString() } satisfies z.input<typeof TimerJob>,
      runAt: at,
      maxAttempts: 3,
    });
  }
}

/**
 * After a test clock jumped (docs/web.md), each timer runs at once for the moment it jumped
 * to, so the work of the periods it skipped (close the decisions whose time is up) is done now,
 * not at the next boundary; then the next period is enqueued as usual. Timers are idempotent, so a
 * second process hearing the same jump does no harm.
 */
export async function runTimersAfterJump(hub: Hub, timers: Timer[]): Promise<void> {
  const now = hub.clock.now();
  for (const t of timers)
    await enqueue(hub.store.db, hub, {
      queue: TIMER_QUEUE,
      key: `timer:${t.name}:jumped-to:${now.toISOString()}`,
      payload: { timer: t.name, period: now.toISOString() } satisfies z.input<typeof TimerJob>,
      runAt: now,
      maxAttempts: 3,
    });
  await scheduleTimers(hub, timers);
}

export function timerHandlers(timers: Timer[]): JobHandlers {
  const byName = new Map(timers.map((t) => [t.name, t]));
  return {
    [TIMER_QUEUE]: async (hub, job) => {
      const { timer } = payloadOf(job, TimerJob);
      const t = byName.get(timer);
      // a timer an older or newer release had: nothing to do here, and nothing to retry
      if (!t) return;
      await t.run(hub);
    },
  };
}

/** Keeps every timer's next period enqueued until stopped; when the clock jumps, runs them at once. */
export function startTimers(hub: Hub, timers: Timer[], onError: (e: unknown) => void): () => void {
  const tickMs = Math.min(60_000, ...timers.map((t) => t.everyMs));
  const tick = () => void scheduleTimers(hub, timers).catch(onError);
  tick();
  const handle = setInterval(tick, tickMs);
  handle.unref();
  const stopListening = hub.clock.onJump?.(() => void runTimersAfterJump(hub, timers).catch(onError));
  return () => {
    clearInterval(handle);
    stopListening?.();
  };
}
