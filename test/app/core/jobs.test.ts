import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHub, inTransaction, record, SYSTEM, type RecordedEvent } from '../../../src/app/core/hub.ts';
import {
  backoffMs,
  claimJobs,
  completeJob,
  enqueue,
  failedJobs,
  PermanentFailure,
  payloadOf,
  queueStats,
  retryJob,
} from '../../../src/app/core/jobs.ts';
import { Worker } from '../../../src/app/core/worker.ts';
import { WRITEBACK_QUEUE, WritebackJob } from '../../../src/app/github/writeback.ts';
import { ManualClock } from '../../../src/domain/clock.ts';
import { openStore } from '../../../src/store/connect.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, type TestHub } from '../../support/hub.ts';

describe.each(databases)('the job queue on $name', (database) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await openTestHub(database);
  });
  afterEach(async () => hub?.close());

  it('a job exists only if the transaction that added it committed, and a key is enqueued once', async () => {
    await expect(
      inTransaction(hub, async (trx) => {
        await enqueue(trx, hub, { queue: 'mail', payload: { to: 'a' } });
        throw new Error('the use case failed after enqueueing');
      }),
    ).rejects.toThrow('the use case failed');
    const first = await inTransaction(hub, (trx) => enqueue(trx, hub, { queue: 'mail', key: 'k1', payload: { n: 1 } }));
    const again = await inTransaction(hub, (trx) => enqueue(trx, hub, { queue: 'mail', key: 'k1', payload: { n: 2 } }));
    expect([first, again]).toEqual([true, false]);
    const jobs = await claimJobs(hub, { worker: 'w', queues: ['mail'], limit: 10, leaseMs: 60_000 });
    expect(jobs.map((j) => j.payload)).toEqual([{ n: 1 }]);
  });

  it('a failing job is retried with backoff, fails for good after its last attempt, and an operator can retry it', async () => {
    let calls = 0;
    const worker = new Worker(
      hub,
      {
        flaky: async () => {
          calls++;
          throw new Error('receiver is down');
        },
      },
      { id: 'w1', onError: () => {} },
    );
    await inTransaction(hub, (trx) => enqueue(trx, hub, { queue: 'flaky', payload: {}, maxAttempts: 3 }));
    expect(await worker.drain()).toBe(1);
    expect(await worker.drain()).toBe(0); // not due before the backoff
    hub.clock.advance(backoffMs(1));
    expect(await worker.drain()).toBe(1);
    hub.clock.advance(backoffMs(2));
    expect(await worker.drain()).toBe(1);
    hub.clock.advance(3_600_000);
    expect(await worker.drain()).toBe(0);
    expect(calls).toBe(3);
    const [failed] = await failedJobs(hub, 'flaky');
    expect(failed).toMatchObject({ queue: 'flaky', attempts: 3, error: 'receiver is down' });
    expect((await queueStats(hub)).find((s) => s.queue === 'flaky')).toMatchObject({ pending: 0, failed: 1 });
    expect(await retryJob(hub, failed!.id)).toBe(true);
    expect((await queueStats(hub)).find((s) => s.queue === 'flaky')).toMatchObject({ pending: 1, failed: 0 });
  });

  it('a permanent failure is not retried', async () => {
    const worker = new Worker(
      hub,
      {
        gone: async () => {
          throw new PermanentFailure('the pull request was deleted');
        },
      },
      { onError: () => {} },
    );
    await inTransaction(hub, (trx) => enqueue(trx, hub, { queue: 'gone', payload: {} }));
    await worker.drain();
    expect(await failedJobs(hub, 'gone')).toHaveLength(1);
  });

  it("a payload that does not fit its queue's shape fails for good, naming the field and the rule", async () => {
    const seen: unknown[] = [];
    const worker = new Worker(
      hub,
      { [WRITEBACK_QUEUE]: async (_hub, job) => void seen.push(payloadOf(job, WritebackJob)) },
      { onError: () => {} },
    );
    await inTransaction(hub, async (trx) => {
      await enqueue(trx, hub, { queue: WRITEBACK_QUEUE, payload: { kind: 'status', repo: 'o/r', number: 7 } });
      await enqueue(trx, hub, { queue: WRITEBACK_QUEUE, payload: { kind: 'status', repo: 'o/r', number: '7' } });
    });
    await worker.drain();
    expect(seen).toEqual([{ kind: 'status', repo: 'o/r', number: 7 }]);
    const failed = await failedJobs(hub, WRITEBACK_QUEUE);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.error).toMatch(/payload: number: /);
  });

  it('a worker that dies mid-job loses its lease: another worker takes the job, and the first cannot mark it done', async () => {
    await inTransaction(hub, (trx) => enqueue(trx, hub, { queue: 'mail', payload: { to: 'x' } }));
    const [taken] = await claimJobs(hub, { worker: 'dead', queues: ['mail'], limit: 1, leaseMs: 60_000 });
    expect(await claimJobs(hub, { worker: 'other', queues: ['mail'], limit: 1, leaseMs: 60_000 })).toEqual([]);
    hub.clock.advance(61_000);
    const [again] = await claimJobs(hub, { worker: 'other', queues: ['mail'], limit: 1, leaseMs: 60_000 });
    expect(again).toMatchObject({ id: taken!.id, attempt: 2 });
    expect(await completeJob(hub, taken!, 'dead')).toBe(false);
    expect(await completeJob(hub, again!, 'other')).toBe(true);
  });

  it('reactions run inside the transaction that records an event, and roll back with it', async () => {
    const seen: RecordedEvent[] = [];
    hub.reactions.push(async (trx, h, event) => {
      seen.push(event);
      await enqueue(trx, h, { queue: 'notify', payload: { kind: event.kind } });
    });
    await inTransaction(hub, (trx) =>
      record(trx, hub, SYSTEM, 'test.happened', { type: 't', id: '1' }, null, { a: 1 }),
    );
    await expect(
      inTransaction(hub, async (trx) => {
        await record(trx, hub, SYSTEM, 'test.undone', { type: 't', id: '2' }, null, null);
        throw new Error('later step failed');
      }),
    ).rejects.toThrow();
    expect(seen.map((e) => e.kind)).toEqual(['test.happened', 'test.undone']);
    const jobs = await claimJobs(hub, { worker: 'w', queues: ['notify'], limit: 10, leaseMs: 1000 });
    expect(jobs.map((j) => j.payload)).toEqual([{ kind: 'test.happened' }]);
  });

  it("a worker's own failure (renewing its leases) reaches the process's logger, and the job still finishes", async () => {
    await inTransaction(hub, (trx) => enqueue(trx, hub, { queue: 'mail', key: 'slow', payload: {} }));
    const troubles: string[] = [];
    const failed: unknown[] = [];
    // the jobs table is away while the job runs, so every renewal of its lease fails
    const handler = async () => {
      await sql`alter table jobs rename to jobs_away`.execute(hub.store.db);
      await new Promise((r) => setTimeout(r, 120));
      await sql`alter table jobs_away rename to jobs`.execute(hub.store.db);
    };
    const worker = new Worker(
      hub,
      { mail: handler },
      {
        leaseMs: 60,
        onError: (_job, e) => failed.push(e),
        onTrouble: (e, doing) => troubles.push(`${doing}: ${(e as Error).message}`),
      },
    );
    expect(await worker.drain()).toBe(1);
    expect(failed).toEqual([]);
    expect(troubles.length).toBeGreaterThan(0);
    expect(troubles[0]).toMatch(/^could not renew leases: .*jobs/);
    const job = await hub.store.db
      .selectFrom('jobs')
      .select(['done_at'])
      .where('key', '=', 'slow')
      .executeTakeFirstOrThrow();
    expect(job.done_at).not.toBeNull();
    // a logger that throws is no reason for the worker to fail: the next job is done all the same
    await inTransaction(hub, (trx) => enqueue(trx, hub, { queue: 'mail', key: 'slow-2', payload: {} }));
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const throwing = new Worker(
        hub,
        { mail: handler },
        {
          leaseMs: 60,
          onTrouble: () => {
            throw new Error('the log is closed');
          },
        },
      );
      expect(await throwing.drain()).toBe(1);
      expect(quiet).toHaveBeenCalledWith('job worker: could not renew leases:', expect.anything());
    } finally {
      quiet.mockRestore();
    }
  });

  it('a started worker wakes on a local commit instead of waiting for its poll', async () => {
    const done: unknown[] = [];
    const worker = new Worker(hub, { fast: async (_h, job) => void done.push(job.payload) }, { pollMs: 60_000 });
    worker.start();
    try {
      await new Promise((r) => setTimeout(r, 50));
      await inTransaction(hub, (trx) => enqueue(trx, hub, { queue: 'fast', payload: { at: 'now' } }));
      for (let i = 0; i < 100 && !done.length; i++) await new Promise((r) => setTimeout(r, 20));
      expect(done).toEqual([{ at: 'now' }]);
    } finally {
      await worker.stop();
    }
  });

  it('a worker told to stop (SIGTERM) finishes the job in hand and takes no other, leaving the rest to the next worker at once', async () => {
    await inTransaction(hub, async (trx) => {
      for (const n of [1, 2, 3]) await enqueue(trx, hub, { queue: 'mail', key: `stop-${n}`, payload: { n } });
    });
    const started: unknown[] = [];
    const finished: unknown[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const worker = new Worker(
      hub,
      {
        mail: async (_h, job) => {
          started.push(job.payload);
          await held;
          finished.push(job.payload);
        },
      },
      // one lease long enough that a job left claimed would stay out of reach for the whole test
      { pollMs: 60_000, leaseMs: 3_600_000 },
    );
    worker.start();
    await expect.poll(() => started.length, { timeout: 10_000 }).toBe(1);
    const stopped = worker.stop();
    const unstarted = () =>
      hub.store.db
        .selectFrom('jobs')
        .select(['key', 'locked_by', 'attempts'])
        .where('queue', '=', 'mail')
        .where('key', '!=', 'stop-1')
        .orderBy('key')
        .execute()
        .then((rows) => rows.map((r) => [r.key, r.locked_by, Number(r.attempts)]));
    // given back at once, while the job in hand still runs: a job in hand that outlasts the grace
    // period must not keep them locked for a whole lease with an attempt spent
    await expect.poll(unstarted, { timeout: 10_000 }).toEqual([
      ['stop-2', null, 0],
      ['stop-3', null, 0],
    ]);
    expect(finished).toEqual([]);
    release();
    await stopped;
    // the job in hand finished; the two claimed with it in the same batch were not started
    expect(started).toEqual([{ n: 1 }]);
    expect(finished).toEqual([{ n: 1 }]);
    const rows = await hub.store.db
      .selectFrom('jobs')
      .select(['key', 'done_at', 'locked_by', 'attempts'])
      .where('queue', '=', 'mail')
      .orderBy('key')
      .execute();
    expect(rows.map((r) => [r.key, r.done_at !== null, r.locked_by, Number(r.attempts)])).toEqual([
      ['stop-1', true, null, 1],
      ['stop-2', false, null, 0],
      ['stop-3', false, null, 0],
    ]);
    // another worker (the process that replaces this one) takes them at once, not after the lease
    const next = await claimJobs(hub, { worker: 'next', queues: ['mail'], limit: 10, leaseMs: 60_000 });
    expect(next.map((j) => [j.payload, j.attempt])).toEqual([
      [{ n: 2 }, 1],
      [{ n: 3 }, 1],
    ]);
  });

  it('a stopping worker whose give-back fails tries once more, and says so if that fails too', async () => {
    for (const failures of [1, 2]) {
      await inTransaction(hub, async (trx) => {
        for (const n of [1, 2])
          await enqueue(trx, hub, { queue: `q${failures}`, key: `f${failures}-${n}`, payload: {} });
      });
      // the database refuses the next `failures` updates (the give-back) once armed
      let refuse = 0;
      const db = new Proxy(hub.store.db, {
        get(target, prop, receiver) {
          if (prop === 'updateTable' && refuse > 0) {
            refuse--;
            throw new Error('the database went away for a moment');
          }
          const value = Reflect.get(target, prop, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const flaky = { ...hub, store: { ...hub.store, db } };
      let started = false;
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const troubles: string[] = [];
      const worker = new Worker(
        flaky,
        {
          [`q${failures}`]: async () => {
            started = true;
            await held;
          },
        },
        {
          pollMs: 60_000,
          leaseMs: 3_600_000,
          onTrouble: (e, doing) => troubles.push(`${doing}: ${(e as Error).message}`),
        },
      );
      worker.start();
      await expect.poll(() => started, { timeout: 10_000 }).toBe(true);
      refuse = failures;
      const stopped = worker.stop();
      const second = () =>
        hub.store.db
          .selectFrom('jobs')
          .select(['locked_by', 'attempts'])
          .where('key', '=', `f${failures}-2`)
          .executeTakeFirstOrThrow()
          .then((r) => [r.locked_by, Number(r.attempts)]);
      if (failures === 1) {
        // the second try gave it back, before the job in hand finished
        await expect.poll(second, { timeout: 10_000 }).toEqual([null, 0]);
        expect(troubles).toEqual([]);
      } else {
        await expect
          .poll(() => troubles, { timeout: 10_000 })
          .toEqual(['could not release jobs: the database went away for a moment']);
        // it waits out its lease, its claim counted (docs/operations.md says so)
        expect(await second()).toEqual([worker.id, 1]);
      }
      release();
      await stopped;
    }
  });
});

describe.skipIf(!databases.some((d) => d.name === 'postgres'))('the job queue across processes on PostgreSQL', () => {
  it('two workers on separate connections claim each job once', async () => {
    const pgDatabase = databases.find((d) => d.name === 'postgres')!;
    const a = await openTestHub(pgDatabase);
    const storeB = openStore(a.store.url);
    const b = createHub(storeB, a.governance, { clock: new ManualClock(a.clock.now().toISOString()) });
    try {
      await inTransaction(a, async (trx) => {
        for (let i = 0; i < 200; i++) await enqueue(trx, a, { queue: 'mail', payload: { i } });
      });
      const handled: number[] = [];
      const handler = async (_h: unknown, job: { payload: { i?: unknown } }) => {
        handled.push(Number(job.payload.i));
        await new Promise((r) => setTimeout(r, 1));
      };
      const wa = new Worker(a, { mail: handler }, { id: 'a', batch: 7 });
      const wb = new Worker(b, { mail: handler }, { id: 'b', batch: 7 });
      const [na, nb] = await Promise.all([wa.drain(), wb.drain()]);
      expect(na + nb).toBe(200);
      expect(na).toBeGreaterThan(0);
      expect(nb).toBeGreaterThan(0);
      expect(new Set(handled).size).toBe(200);
      expect(handled).toHaveLength(200);
    } finally {
      await storeB.close();
      await a.close();
    }
  });
});
