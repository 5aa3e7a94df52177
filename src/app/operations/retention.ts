// What the hub keeps of its own working rows, and for how long. The community's record (the event
// log, proposals, decisions, comments, meetings, each person's inbox, which is the proof of who was
// told of a decision) is never deleted here; what goes is what only grows with use and that nothing
// reads once its work is over:
//
//   jobs               done: WGHUB_RETENTION_DAYS (30) after done_at; failed: WGHUB_RETENTION_FAILED_DAYS
//                      (90) after failed_at, so an operator can look into them and retry. The demo's
//                      claim (queue `demo`) stays: it says the demo was loaded.
//   chat_deliveries    with the chat job whose post they claimed, in the same batch (the claim matters
//                      only while the job may run again).
//   digest_sends       a digest sent more than the finished days ago, one whose claim was never
//                      recorded sent after the failed days; each person's latest stays (their next
//                      digest's slot is counted from it, notify.ts `lastDigestPeriods`).
//   github_deliveries  applied or ignored: the finished days after they came; failed: the failed days
//                      (`wghub github replay` needs the body), and the applied ones about the same
//                      thing stay as long, so a replay still finds them newer. Never one not yet
//                      processed. GitHub redelivers only the last three days', and a stale copy of an
//                      issue or pull request is still told by the mirrored item's time
//                      (webhooks.ts `newerKnown`). Each one's id stays for good (github_delivery_ids,
//                      written as it came): the signature carries no time, so an old body sent again
//                      is refused by its id alone, however long ago it came.
//   email_confirmations, person_claims
//                      links that expired more than the finished days ago: nobody can use them, and
//                      the limits on confirmation mail look back one day only.
//
// Each table is cut in batches of PRUNE_BATCH rows, one short transaction each with a turn of the
// event loop between, so no batch holds a lock for long and requests go on between them; one run
// stops after PRUNE_BATCHES batches a table and leaves the rest to the next (it runs every hour, as
// a timer job: once across every process, serve.ts `hubTimers`). Older OAuth rows have their own
// timer (oauth.ts `pruneOAuth`), web sessions are cut at each sign-in (web-sessions.ts), and the rate
// limits' shared counters by rate-limiter-flexible.
import type { AliasedSelectQueryBuilder } from 'kysely';
import type { Hub, Retention, Tx } from '../core/hub.ts';

export const PRUNE_BATCH = 500;
export const PRUNE_BATCHES = 200;

/** The queue of the demo's claim (demo.ts): a finished job there says the demo community was loaded. */
const KEPT_QUEUES = ['demo'];

export type PrunedTable =
  | 'jobs.done'
  | 'jobs.failed'
  | 'chat_deliveries'
  | 'digest_sends'
  | 'github_deliveries'
  | 'email_confirmations'
  | 'person_claims';

export type PruneReport = {
  /** The cut-off times: finished before `finishedBefore`, failed before `failedBefore`. */
  finishedBefore: string;
  failedBefore: string;
  retention: Retention;
  /** Rows deleted, per table, and in how many batches. */
  tables: Record<PrunedTable, { deleted: number; batches: number }>;
  /** True when a table had more past its retention than one run takes: the next run goes on. */
  more: boolean;
};

export type PruneOptions = { batchSize?: number; maxBatches?: number };

const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();

/** What a run would delete now, per table, with the days it would use (`wghub jobs prune` without --yes). */
export type RetainedCount = {
  finishedBefore: string;
  failedBefore: string;
  retention: Retention;
  /** Rows past their retention, per table: what a run would delete. */
  tables: Record<PrunedTable, number>;
};

/** The run's cut-offs from the settings of this process (each process reads its own environment). */
function cutoffsOf(hub: Hub): Cutoffs & { retention: Retention } {
  const retention = hub.settings.retention;
  const now = hub.clock.now();
  return {
    retention,
    finished: daysBefore(now, retention.finishedDays),
    failed: daysBefore(now, retention.failedDays),
  };
}

/** Counts the rows a run would delete now, deleting nothing. */
export async function countRetained(hub: Hub): Promise<RetainedCount> {
  const { retention, finished, failed } = cutoffsOf(hub);
  const db = hub.store.db;
  const count = async (q: { as(alias: 'p'): AliasedSelectQueryBuilder<object, 'p'> }) =>
    Number(
      (
        await db
          .selectFrom(q.as('p'))
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const jobs = (column: 'done_at' | 'failed_at', before: string) =>
    db.selectFrom('jobs').select('id').where(column, '<', before).where('queue', 'not in', KEPT_QUEUES);
  return {
    finishedBefore: finished,
    failedBefore: failed,
    retention,
    tables: {
      'jobs.done': await count(jobs('done_at', finished)),
      'jobs.failed': await count(jobs('failed_at', failed)),
      chat_deliveries: await count(
        db
          .selectFrom('chat_deliveries')
          .select('id')
          .where((eb) => eb.or([eb('id', 'in', jobs('done_at', finished)), eb('id', 'in', jobs('failed_at', failed))])),
      ),
      digest_sends: await count(digestSendsPast(db, { finished, failed })),
      github_deliveries: await count(githubDeliveriesPast(db, { finished, failed })),
      email_confirmations: await count(
        db.selectFrom('email_confirmations').select('id').where('expires_at', '<', finished),
      ),
      person_claims: await count(db.selectFrom('person_claims').select('code_hash').where('expires_at', '<', finished)),
    },
  };
}

/** Deletes the working rows past their retention (see the head of this file), a batch at a time. */
export async function pruneRetained(hub: Hub, opts: PruneOptions = {}): Promise<PruneReport> {
  const size = opts.batchSize ?? PRUNE_BATCH;
  const maxBatches = opts.maxBatches ?? PRUNE_BATCHES;
  const { retention, finished, failed } = cutoffsOf(hub);
  const db = hub.store.db;
  let more = false;
  const batched = async (batch: (trx: Tx) => Promise<number>) => {
    let deleted = 0;
    let batches = 0;
    for (;;) {
      if (batches === maxBatches) {
        more = true;
        break;
      }
      const n = await db.transaction().execute(batch);
      batches++;
      deleted += n;
      if (n < size) break;
      // the others' requests and jobs go first between two batches
      await new Promise((resolve) => setImmediate(resolve));
    }
    return { deleted, batches };
  };

  let chatClaims = 0;
  const jobs = (column: 'done_at' | 'failed_at', before: string) => async (trx: Tx) => {
    const ids = (
      await trx
        .selectFrom('jobs')
        .select('id')
        .where(column, '<', before)
        .where('queue', 'not in', KEPT_QUEUES)
        .orderBy(column)
        .limit(size)
        .execute()
    ).map((r) => r.id);
    if (!ids.length) return 0;
    // the condition again: an operator may have put a failed one back in its queue meanwhile
    const gone = (
      await trx.deleteFrom('jobs').where('id', 'in', ids).where(column, '<', before).returning('id').execute()
    ).map((r) => r.id);
    // a chat post's claim is its job's id (chat.ts `claimPost`): it matters only while the job may run
    if (gone.length)
      chatClaims += Number(
        (await trx.deleteFrom('chat_deliveries').where('id', 'in', gone).executeTakeFirst()).numDeletedRows,
      );
    return ids.length;
  };
  const jobsDone = await batched(jobs('done_at', finished));
  const jobsFailed = await batched(jobs('failed_at', failed));

  const digestSends = await batched(async (trx) => {
    const rows = await digestSendsPast(trx, { finished, failed }, size).execute();
    if (rows.length)
      await trx
        .deleteFrom('digest_sends')
        .where((eb) => eb.or(rows.map((r) => eb.and([eb('person_id', '=', r.person_id), eb('period', '=', r.period)]))))
        .execute();
    return rows.length;
  });

  const githubDeliveries = await batched(async (trx) => {
    const ids = (await githubDeliveriesPast(trx, { finished, failed }, size).execute()).map((r) => r.id);
    if (ids.length) {
      // each id is kept as it came (webhooks.ts `storeDelivery`); one taken in by an older release
      // serving beside this one during an upgrade is kept here, before its row goes
      await trx
        .insertInto('github_delivery_ids')
        .columns(['id', 'received_at'])
        .expression(trx.selectFrom('github_deliveries').select(['id', 'received_at']).where('id', 'in', ids))
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      await trx.deleteFrom('github_deliveries').where('id', 'in', ids).execute();
    }
    return ids.length;
  });

  const emailConfirmations = await batched(async (trx) => {
    const ids = (
      await trx.selectFrom('email_confirmations').select('id').where('expires_at', '<', finished).limit(size).execute()
    ).map((r) => r.id);
    if (ids.length) await trx.deleteFrom('email_confirmations').where('id', 'in', ids).execute();
    return ids.length;
  });

  const personClaims = await batched(async (trx) => {
    const codes = (
      await trx.selectFrom('person_claims').select('code_hash').where('expires_at', '<', finished).limit(size).execute()
    ).map((r) => r.code_hash);
    if (codes.length) await trx.deleteFrom('person_claims').where('code_hash', 'in', codes).execute();
    return codes.length;
  });

  return {
    finishedBefore: finished,
    failedBefore: failed,
    retention,
    tables: {
      'jobs.done': jobsDone,
      'jobs.failed': jobsFailed,
      chat_deliveries: { deleted: chatClaims, batches: jobsDone.batches + jobsFailed.batches },
      digest_sends: digestSends,
      github_deliveries: githubDeliveries,
      email_confirmations: emailConfirmations,
      person_claims: personClaims,
    },
    more,
  };
}

/** The cut-offs of one run: finished before `finished`, failed before `failed`. */
type Cutoffs = { finished: string; failed: string };
/** The later cut-off: no row older than the other is past either, so each query is bounded by it. */
const later = (c: Cutoffs) => (c.finished > c.failed ? c.finished : c.failed);

/**
 * A batch of digests' claims past their retention, the oldest first. Bounded by the later cut-off
 * on its own, so the index on the period reads only rows past it, never every recent digest.
 */
export function digestSendsPast(db: Tx, c: Cutoffs, size?: number) {
  const { finished, failed } = c;
  return (
    db
      .selectFrom('digest_sends as d')
      .select(['d.person_id', 'd.period'])
      .where('d.period', '<', later(c))
      .where((eb) =>
        eb.or([
          eb.and([eb('d.sent_at', 'is not', null), eb('d.period', '<', finished)]),
          eb.and([eb('d.sent_at', 'is', null), eb('d.period', '<', failed)]),
        ]),
      )
      // each person's latest period stays: their next digest is counted from it
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('digest_sends as n')
            .select('n.person_id')
            .whereRef('n.person_id', '=', 'd.person_id')
            .whereRef('n.period', '>', 'd.period'),
        ),
      )
      .orderBy('d.period')
      .$if(size !== undefined, (q) => q.limit(size!))
  );
}

/**
 * A batch of GitHub deliveries past their retention, the oldest first (see the head of this file).
 * Bounded by the later cut-off on its own, so the index on received_at reads only rows past it,
 * never the bodies of every delivery of the last weeks.
 */
export function githubDeliveriesPast(db: Tx, c: Cutoffs, size?: number) {
  const { finished, failed } = c;
  return db
    .selectFrom('github_deliveries as d')
    .select('d.id')
    .where('d.received_at', '<', later(c))
    .where((eb) =>
      eb.or([
        eb.and([
          eb('d.outcome', 'in', ['applied', 'ignored']),
          eb('d.received_at', '<', finished),
          // while a failed delivery about the same thing is kept, a replay of it must still find
          // this newer one applied, or it would undo it (webhooks.ts `newerKnown`)
          eb.or([
            eb('d.fact', 'is', null),
            eb.not(
              eb.exists(
                eb
                  .selectFrom('github_deliveries as f')
                  .select('f.id')
                  .whereRef('f.fact', '=', 'd.fact')
                  .where('f.outcome', '=', 'failed'),
              ),
            ),
          ]),
        ]),
        eb.and([eb('d.outcome', '=', 'failed'), eb('d.received_at', '<', failed)]),
      ]),
    )
    .orderBy('d.received_at')
    .$if(size !== undefined, (q) => q.limit(size!));
}

/**
 * When the oldest done and failed jobs kept were finished (null when none), the demo's claim aside:
 * while the retention timer runs, neither is older than its retention and an hour (`/metrics`).
 */
export async function oldestFinishedJobs(hub: Hub): Promise<{ done: string | null; failed: string | null }> {
  const oldest = async (column: 'done_at' | 'failed_at') =>
    (
      await hub.store.db
        .selectFrom('jobs')
        .select(column)
        .where(column, 'is not', null)
        .where('queue', 'not in', KEPT_QUEUES)
        .orderBy(column)
        .limit(1)
        .executeTakeFirst()
    )?.[column] ?? null;
  return { done: await oldest('done_at'), failed: await oldest('failed_at') };
}
