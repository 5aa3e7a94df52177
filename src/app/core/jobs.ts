// The durable queue. A job is a row written in the same transaction as the change that needs it,
// so it exists exactly when the change does; workers claim due jobs, do them outside any
// transaction, and mark them done, or try again later with backoff. Several processes share one
// PostgreSQL queue: a claim locks its rows with FOR UPDATE SKIP LOCKED, so each job is claimed by
// one worker at a time, and a lease that runs out (a worker killed mid-job) frees it for another.
// On SQLite one process writes at a time, so the same update is already exclusive.
//
// Why not pg-boss or graphile-worker: both are PostgreSQL-only, and the hub's default store is
// SQLite; a job must also commit in the caller's transaction on either database.
import { sql } from 'kysely';
import type { z } from 'zod';
import { InvalidInput } from '../../domain/errors.ts';
import { readJson, writeJson, type JobPayload, type JobsTable } from '../../store/schema.ts';
import type { Hub, Tx } from './hub.ts';
import { parseInput } from './validate.ts';

export type JobSpec = {
  queue: string;
  payload: JobPayload;
  /** Makes enqueueing idempotent: a second job with the same key is not added. */
  key?: string;
  runAt?: Date;
  maxAttempts?: number;
};

export type ClaimedJob = {
  id: string;
  queue: string;
  key: string | null;
  payload: JobPayload;
  /** This attempt's number, from 1. */
  attempt: number;
  maxAttempts: number;
  createdAt: string;
};

export const DEFAULT_MAX_ATTEMPTS = 8;

/** Retry after 30 s, 1 min, 2 min … capped at an hour. */
export function backoffMs(attempt: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempt - 1), 3_600_000);
}

/** Thrown by a handler that knows when to try again (a rate limit's reset time). */
export class RetryAt extends Error {
  readonly at: Date;
  constructor(at: Date, message: string) {
    super(message);
    this.at = at;
  }
}

/** Thrown by a handler when trying again cannot help (the target no longer exists). */
export class PermanentFailure extends Error {}

/**
 * A claimed job's payload, read with its queue's schema (the shape its producer writes, declared
 * beside the queue). A payload that does not fit (a row from an older wghub, or edited by hand)
 * fails the job for good, naming the field and the rule: trying again cannot change it.
 */
export function payloadOf<S extends z.ZodType>(job: ClaimedJob, schema: S): z.output<S> {
  try {
    return parseInput(schema, job.payload);
  } catch (e) {
    if (e instanceof InvalidInput) throw new PermanentFailure(`${job.queue} job ${job.id} payload: ${e.message}`);
    throw e;
  }
}

/** The row of a new job, waiting to run at its time. */
export function jobRow(hub: Hub, spec: JobSpec, now: Date) {
  return {
    id: hub.newId(),
    queue: spec.queue,
    key: spec.key ?? null,
    payload: writeJson(spec.payload),
    run_at: (spec.runAt ?? now).toISOString(),
    attempts: 0,
    max_attempts: spec.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    locked_by: null,
    locked_until: null,
    last_error: null,
    created_at: now.toISOString(),
    done_at: null,
    failed_at: null,
  };
}

/** Adds a job inside the caller's transaction; false when a job with the same key exists. */
export async function enqueue(trx: Tx, hub: Hub, spec: JobSpec): Promise<boolean> {
  const now = hub.clock.now();
  const res = await trx
    .insertInto('jobs')
    .values(jobRow(hub, spec, now))
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Adds many jobs in one statement per chunk (a decision told to a whole large group); keys already queued are skipped. */
export async function enqueueMany(trx: Tx, hub: Hub, specs: JobSpec[]): Promise<void> {
  const now = hub.clock.now();
  for (let i = 0; i < specs.length; i += 500) {
    await trx
      .insertInto('jobs')
      .values(specs.slice(i, i + 500).map((spec) => jobRow(hub, spec, now)))
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
  }
}

/** Claims up to `limit` due jobs of these queues for `worker`, for `leaseMs`. */
export async function claimJobs(
  hub: Hub,
  opts: { worker: string; queues: string[]; limit: number; leaseMs: number },
): Promise<ClaimedJob[]> {
  if (!opts.queues.length) return [];
  const now = hub.clock.now();
  const nowIso = now.toISOString();
  const db = hub.store.db;
  let due = db
    .selectFrom('jobs')
    .select('id')
    .where('queue', 'in', opts.queues)
    .where('done_at', 'is', null)
    .where('failed_at', 'is', null)
    .where('run_at', '<=', nowIso)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', nowIso)]))
    .orderBy('run_at')
    .orderBy('id')
    .limit(opts.limit);
  if (hub.store.kind === 'postgres') due = due.forUpdate().skipLocked();
  const rows = await db
    .updateTable('jobs')
    .set({
      locked_by: opts.worker,
      locked_until: new Date(now.getTime() + opts.leaseMs).toISOString(),
      attempts: sql<number>`attempts + 1`,
    })
    .where('id', 'in', due)
    .returningAll()
    .execute();
  return rows
    .sort((a, b) => (a.run_at < b.run_at ? -1 : a.run_at > b.run_at ? 1 : a.id < b.id ? -1 : 1))
    .map(toClaimed);
}

function toClaimed(r: JobsTable): ClaimedJob {
  return {
    id: r.id,
    queue: r.queue,
    key: r.key,
    payload: readJson(r.payload),
    attempt: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    createdAt: r.created_at,
  };
}

/**
 * Extends the leases of claimed jobs this worker still holds (a long job's heartbeat), so no other
 * worker takes them while they run or wait their turn in the batch. Returns the ids still held.
 */
export async function renewLeases(hub: Hub, ids: string[], worker: string, leaseMs: number): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await hub.store.db
    .updateTable('jobs')
    .set({ locked_until: new Date(hub.clock.now().getTime() + leaseMs).toISOString() })
    .where('id', 'in', ids)
    .where('locked_by', '=', worker)
    .where('done_at', 'is', null)
    .where('failed_at', 'is', null)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Marks a claimed job done; false when the lease was lost to another worker meanwhile. */
export async function completeJob(hub: Hub, job: ClaimedJob, worker: string): Promise<boolean> {
  const res = await hub.store.db
    .updateTable('jobs')
    .set({ done_at: hub.clock.now().toISOString(), locked_by: null, locked_until: null, last_error: null })
    .where('id', '=', job.id)
    .where('locked_by', '=', worker)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/**
 * Gives back claimed jobs this worker has not started (it is stopping): unlocked at once, so the
 * next worker takes them without waiting out the lease, and their claim not counted as an attempt.
 */
export async function releaseJobs(hub: Hub, ids: string[], worker: string): Promise<void> {
  if (!ids.length) return;
  await hub.store.db
    .updateTable('jobs')
    .set({ locked_by: null, locked_until: null, attempts: sql<number>`attempts - 1` })
    .where('id', 'in', ids)
    .where('locked_by', '=', worker)
    .where('done_at', 'is', null)
    .where('failed_at', 'is', null)
    .execute();
}

/** Records a failed attempt: retried later with backoff, or failed for good after the last attempt. */
export async function failJob(hub: Hub, job: ClaimedJob, worker: string, error: unknown): Promise<void> {
  const now = hub.clock.now();
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
  const final = error instanceof PermanentFailure || job.attempt >= job.maxAttempts;
  const retryAt = error instanceof RetryAt ? error.at : new Date(now.getTime() + backoffMs(job.attempt));
  await hub.store.db
    .updateTable('jobs')
    .set(
      final
        ? { failed_at: now.toISOString(), locked_by: null, locked_until: null, last_error: message }
        : { run_at: retryAt.toISOString(), locked_by: null, locked_until: null, last_error: message },
    )
    .where('id', '=', job.id)
    .where('locked_by', '=', worker)
    .execute();
}

export type QueueStats = {
  queue: string;
  pending: number;
  running: number;
  failed: number;
  /** When the oldest job still waiting was added. */
  oldestPendingAt: string | null;
};

/** Depth and age of each queue, for operators (REST, CLI, metrics). */
export async function queueStats(hub: Hub): Promise<QueueStats[]> {
  const nowIso = hub.clock.now().toISOString();
  const rows = await hub.store.db
    .selectFrom('jobs')
    .select((eb) => [
      'queue',
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(
              eb.and([
                eb('failed_at', 'is', null),
                eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', nowIso)]),
              ]),
            )
            .then(1)
            .else(0)
            .end(),
        )
        .as('pending'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(eb.and([eb('failed_at', 'is', null), eb('locked_until', '>=', nowIso)]))
            .then(1)
            .else(0)
            .end(),
        )
        .as('running'),
      eb.fn.sum<number>(eb.case().when('failed_at', 'is not', null).then(1).else(0).end()).as('failed'),
      eb.fn.min<string>(eb.case().when('failed_at', 'is', null).then(eb.ref('created_at')).end()).as('oldest'),
    ])
    .where('done_at', 'is', null)
    .groupBy('queue')
    .orderBy('queue')
    .execute();
  return rows.map((r) => ({
    queue: r.queue,
    pending: Number(r.pending ?? 0),
    running: Number(r.running ?? 0),
    failed: Number(r.failed ?? 0),
    oldestPendingAt: r.oldest ?? null,
  }));
}

export type FailedJob = {
  id: string;
  queue: string;
  key: string | null;
  attempts: number;
  error: string | null;
  failedAt: string;
};

export async function failedJobs(hub: Hub, queue?: string, limit = 50): Promise<FailedJob[]> {
  let q = hub.store.db.selectFrom('jobs').selectAll().where('failed_at', 'is not', null);
  if (queue) q = q.where('queue', '=', queue);
  const rows = await q.orderBy('failed_at', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    id: r.id,
    queue: r.queue,
    key: r.key,
    attempts: Number(r.attempts),
    error: r.last_error,
    failedAt: r.failed_at!,
  }));
}

/** Puts a failed job back in its queue with a fresh set of attempts (an operator's "retry"). */
export async function retryJob(hub: Hub, id: string): Promise<boolean> {
  const res = await hub.store.db
    .updateTable('jobs')
    .set({ failed_at: null, attempts: 0, run_at: hub.clock.now().toISOString(), last_error: null })
    .where('id', '=', id)
    .where('failed_at', 'is not', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
