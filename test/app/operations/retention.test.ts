// The hub deletes its own finished working rows once past their retention, and nothing else: recent
// ones, failed ones (kept longer), work still to do, each person's latest digest and the demo's
// claim stay. A large backlog goes in bounded batches, over as many hourly runs as it takes.
import { createHmac } from 'node:crypto';
import { type Compilable, CompiledQuery, sql } from 'kysely';
import examples from '@octokit/webhooks-examples';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inTransaction } from '../../../src/app/core/hub.ts';
import { enqueue, jobRow, PermanentFailure, payloadOf } from '../../../src/app/core/jobs.ts';
import { secret } from '../../../src/app/github/config.ts';
import { githubStatus } from '../../../src/app/github/status.ts';
import {
  applyDelivery,
  DELIVERY_QUEUE,
  DeliveryJob,
  receiveDelivery,
  replayDelivery,
} from '../../../src/app/github/webhooks.ts';
import { scheduleTimers, timerHandlers } from '../../../src/app/core/timers.ts';
import { Worker } from '../../../src/app/core/worker.ts';
import { digestSendsPast, githubDeliveriesPast, pruneRetained } from '../../../src/app/operations/retention.ts';
import { retentionFromEnv } from '../../../src/cli/hub-settings.ts';
import { hubTimers } from '../../../src/cli/serve.ts';
import type { Logger } from '../../../src/app/core/logger.ts';
import { writeJson } from '../../../src/store/schema.ts';
import { databases } from '../../support/databases.ts';
import { mirrorRepo, TEST_WEBHOOK_SECRET } from '../../support/github.ts';
import { MCP_REPO } from '../../support/github-standin.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

const DAY = 86_400_000;
/** X-Hub-Signature-256 over a body, made with the hub's webhook secret. */
const signed = (raw: string) => `sha256=${createHmac('sha256', TEST_WEBHOOK_SECRET).update(raw).digest('hex')}`;

const example = (event: string, action: string) =>
  structuredClone(
    (examples as unknown as { name: string; examples: { action?: string }[] }[])
      .find((e) => e.name === event)!
      .examples.find((x) => x.action === action)!,
  ) as { repository: object } & Record<string, unknown>;
/** GitHub's own `member` delivery (a collaborator, hacktocat), for the mirrored repository. */
const collaborator = (action: 'added' | 'removed') => {
  const p = example('member', 'added');
  return { ...p, action, repository: { ...p.repository, full_name: MCP_REPO } };
};
/** GitHub's own `membership` delivery: Codertocat joins or leaves Octocoders' team `github`. */
const membership = (action: 'added' | 'removed') => example('membership', action);

describe.each(databases)('retention on $name', (database) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await openTestHub(database);
  });
  afterEach(async () => hub?.close());

  const keys = async () =>
    (await hub.store.db.selectFrom('jobs').select('key').orderBy('key').execute()).map((j) => j.key);

  /** A job run now by a worker: done, or failed for good. */
  async function runJob(key: string, outcome: 'done' | 'failed', queue = 'work') {
    await inTransaction(hub, (trx) => enqueue(trx, hub, { queue, key, payload: {}, maxAttempts: 1 }));
    const worker = new Worker(
      hub,
      {
        [queue]: async () => {
          if (outcome === 'failed') throw new PermanentFailure('the target is gone');
        },
      },
      { onError: () => {} },
    );
    expect(await worker.drain()).toBe(1);
  }

  it('finished jobs go after 30 days and failed ones after 90; recent ones, work to do and the demo claim stay', async () => {
    await runJob('done-long-ago', 'done');
    await runJob('failed-long-ago', 'failed');
    await hub.store.db
      .insertInto('jobs')
      .values({
        ...jobRow(hub, { queue: 'demo', key: 'demo:community', payload: {} }, hub.clock.now()),
        done_at: hub.clock.now().toISOString(),
      })
      .execute();
    hub.clock.advance(60 * DAY);
    await runJob('done-lately', 'done');
    await runJob('failed-lately', 'failed');
    // due in a year: still to do, however old
    await inTransaction(hub, (trx) =>
      enqueue(trx, hub, {
        queue: 'work',
        key: 'to-do',
        payload: {},
        runAt: new Date(hub.clock.now().getTime() + 365 * DAY),
      }),
    );
    hub.clock.advance(29 * DAY);

    const first = await pruneRetained(hub);
    expect(first.tables['jobs.done'].deleted).toBe(1);
    expect(first.tables['jobs.failed'].deleted).toBe(0);
    expect(await keys()).toEqual(['demo:community', 'done-lately', 'failed-lately', 'failed-long-ago', 'to-do']);

    hub.clock.advance(2 * DAY); // 91 days after the first, 31 after the later
    const second = await pruneRetained(hub);
    expect(second.tables['jobs.done'].deleted).toBe(1);
    expect(second.tables['jobs.failed'].deleted).toBe(1);
    expect(await keys()).toEqual(['demo:community', 'failed-lately', 'to-do']);
    // the key of a job gone may be used again
    expect(
      await inTransaction(hub, (trx) => enqueue(trx, hub, { queue: 'work', key: 'done-long-ago', payload: {} })),
    ).toBe(true);
  });

  it("an operator's settings choose the days", async () => {
    await runJob('a-week-old', 'done');
    await runJob('failed-a-week-ago', 'failed');
    hub.clock.advance(8 * DAY);
    hub.settings.retention = { finishedDays: 7, failedDays: 30 };
    const r = await pruneRetained(hub);
    expect(r.retention).toEqual({ finishedDays: 7, failedDays: 30 });
    expect(await keys()).toEqual(['failed-a-week-ago']);
  });

  it('a chat post’s claim goes with its job, and only then', async () => {
    await runJob('chat-old', 'done', 'chat');
    hub.clock.advance(20 * DAY);
    await runJob('chat-new', 'done', 'chat');
    const ids = await hub.store.db.selectFrom('jobs').select(['id', 'key']).orderBy('key').execute();
    await hub.store.db
      .insertInto('chat_deliveries')
      .values(
        ids.map((j) => ({
          id: j.id,
          webhook_id: 'hook',
          claimed_by: 'w',
          claimed_until: hub.clock.now().toISOString(),
          sent_at: hub.clock.now().toISOString(),
        })),
      )
      .execute();
    hub.clock.advance(15 * DAY);
    const r = await pruneRetained(hub);
    expect(r.tables.chat_deliveries.deleted).toBe(1);
    const left = await hub.store.db.selectFrom('chat_deliveries').select('id').execute();
    expect(left.map((c) => c.id)).toEqual([ids.find((j) => j.key === 'chat-new')!.id]);
  });

  it("digests sent go after 30 days, unsent claims after 90, and each person's latest stays", async () => {
    const at = (daysAgo: number) => new Date(hub.clock.now().getTime() - daysAgo * DAY).toISOString();
    const claim = (person: string, daysAgo: number, sent: boolean) => ({
      person_id: person,
      period: at(daysAgo),
      message_id: `<${person}-${daysAgo}@hub>`,
      items: writeJson([]),
      claimed_at: at(daysAgo),
      sent_at: sent ? at(daysAgo) : null,
    });
    await hub.store.db
      .insertInto('digest_sends')
      .values([
        claim('amara', 100, true),
        claim('amara', 60, false), // never known sent: kept 90 days
        claim('amara', 40, true),
        claim('amara', 10, true),
        claim('jonas', 200, true), // his latest: his next digest's slot is counted from it
      ])
      .execute();
    const r = await pruneRetained(hub);
    expect(r.tables.digest_sends.deleted).toBe(2);
    const left = await hub.store.db
      .selectFrom('digest_sends')
      .select(['person_id', 'message_id'])
      .orderBy('person_id')
      .orderBy('period')
      .execute();
    expect(left.map((d) => d.message_id)).toEqual(['<amara-60@hub>', '<amara-10@hub>', '<jonas-200@hub>']);
  });

  it('GitHub deliveries applied go after 30 days, failed after 90, unprocessed never', async () => {
    const at = (daysAgo: number) => new Date(hub.clock.now().getTime() - daysAgo * DAY).toISOString();
    const delivery = (id: string, daysAgo: number, outcome: string | null, fact: string | null = null) => ({
      id,
      event: 'issues',
      action: 'edited',
      repo: 'org/repo',
      payload: '{}',
      received_at: at(daysAgo),
      processed_at: outcome ? at(daysAgo) : null,
      outcome,
      fact,
      fact_at: fact ? at(daysAgo) : null,
    });
    await hub.store.db
      .insertInto('github_deliveries')
      .values([
        delivery('applied-old', 31, 'applied'),
        delivery('ignored-old', 45, 'ignored'),
        delivery('applied-new', 29, 'applied'),
        delivery('failed-60', 60, 'failed'),
        delivery('failed-91', 91, 'failed'),
        delivery('waiting', 200, null),
      ])
      .execute();
    const r = await pruneRetained(hub);
    expect(r.tables.github_deliveries.deleted).toBe(3);
    const left = await hub.store.db.selectFrom('github_deliveries').select('id').orderBy('id').execute();
    expect(left.map((d) => d.id)).toEqual(['applied-new', 'failed-60', 'waiting']);
    // these came before their ids were kept as they came (an older release beside this one): their
    // ids are kept as their rows go, so one sent again is still one received before
    const raw = JSON.stringify({ action: 'edited' });
    expect(
      await receiveDelivery(
        hub,
        secret(TEST_WEBHOOK_SECRET),
        { delivery: 'applied-old', event: 'issues', signature: signed(raw) },
        raw,
      ),
    ).toEqual({ status: 202, delivery: 'applied-old', duplicate: true });
  });

  describe('GitHub deliveries past their retention', () => {
    const noClient = () => Promise.reject(new Error('no GitHub client needed'));
    /** A delivery signed with the hub's secret, as GitHub (or whoever captured it) sends it. */
    const receive = (event: string, id: string, payload: unknown) => {
      const raw = JSON.stringify(payload);
      return receiveDelivery(hub, secret(TEST_WEBHOOK_SECRET), { delivery: id, event, signature: signed(raw) }, raw);
    };
    /** The worker's deliveries queue, as serve and `wghub worker` run it. */
    const drain = () =>
      new Worker(
        hub,
        {
          [DELIVERY_QUEUE]: async (h, job) =>
            void (await applyDelivery(h, payloadOf(job, DeliveryJob).delivery, noClient)),
        },
        { onError: () => {} },
      ).drain();
    const githubEvents = async () =>
      (
        await hub.store.db
          .selectFrom('events')
          .select('kind')
          .where('kind', 'like', 'github.%')
          .orderBy('seq')
          .execute()
      ).map((e) => e.kind);
    beforeEach(() => {
      mirrorRepo(hub, MCP_REPO);
      // the examples' organisation and team stand for the maintainers' team
      hub.governance.github!.teams = [{ org: 'Octocoders', team: 'github', role: 'maintainer' }];
    });

    it('a delivery that failed keeps the newer one applied about the same thing: replayed after 30 days, it does not undo it', async () => {
      let failing = true;
      hub.reactions.push(async (_trx, _hub, e) => {
        if (failing && e.kind === 'github.collaborator-added') throw new Error('the disk is full');
      });
      // hacktocat made a collaborator: the hub fails to apply it (kept 90 days for a replay)
      expect((await receive('member', 'granted', collaborator('added'))).status).toBe(202);
      await expect(applyDelivery(hub, 'granted', noClient)).rejects.toThrow('the disk is full');
      hub.clock.advance(DAY);
      // then removed: applied
      expect((await receive('member', 'revoked', collaborator('removed'))).status).toBe(202);
      expect(await applyDelivery(hub, 'revoked', noClient)).toBe('applied');
      failing = false;
      hub.clock.advance(40 * DAY);
      await pruneRetained(hub);
      // the operator replays the failed one, once its cause is fixed: older than the removal, it is ignored
      await replayDelivery(hub, 'granted');
      await drain();
      // (the failed delivery's own job, still queued, finds it stale too)
      expect([...new Set(await githubEvents())]).toEqual(['github.collaborator-removed', 'github.delivery-stale']);
    });

    it('an old signed delivery sent again after its body was deleted is still refused as received before: a removed team member does not get their role back, and nothing is left waiting', async () => {
      const members = () =>
        hub.store.db.selectFrom('github_team_members').select('login').where('team', '=', 'github').execute();
      const joined = membership('added');
      expect((await receive('membership', 'joined', joined)).status).toBe(202);
      hub.clock.advance(2 * DAY); // applied late (its job done two days after it came)
      await drain();
      expect(await members()).toEqual([{ login: 'Codertocat' }]);
      expect((await receive('membership', 'left', membership('removed'))).status).toBe(202);
      await drain();
      expect(await members()).toEqual([]);

      // 31 days on: the delivery's row is gone, its job (done later) not yet; GitHub's own redelivery of
      // it (same id) is one received before, not a delivery that would wait for good behind its old job
      hub.clock.advance(29 * DAY);
      await pruneRetained(hub);
      expect(
        await hub.store.db.selectFrom('github_deliveries').select('id').where('id', '=', 'joined').execute(),
      ).toEqual([]);
      expect(await receive('membership', 'joined', joined)).toEqual({
        status: 202,
        delivery: 'joined',
        duplicate: true,
      });
      expect(
        await hub.store.db.selectFrom('github_deliveries').select('id').where('outcome', 'is', null).execute(),
      ).toEqual([]);

      // later still, its job gone too: whoever captured the body sends it again, signed as it was
      hub.clock.advance(5 * DAY);
      await pruneRetained(hub);
      expect(await receive('membership', 'joined', joined)).toEqual({
        status: 202,
        delivery: 'joined',
        duplicate: true,
      });
      await drain();
      expect(await members()).toEqual([]);
    });

    it('a replay queued as its delivery was deleted fails once, saying so, and a later replay is refused saying why', async () => {
      expect((await receive('member', 'granted', collaborator('added'))).status).toBe(202);
      await drain();
      hub.clock.advance(31 * DAY);
      await replayDelivery(hub, 'granted');
      await pruneRetained(hub);
      await drain();
      const replay = await hub.store.db
        .selectFrom('jobs')
        .select(['failed_at', 'last_error', 'attempts'])
        .where('key', 'like', `${DELIVERY_QUEUE}:granted:replay:%`)
        .executeTakeFirstOrThrow();
      expect(replay.failed_at).not.toBeNull();
      expect(replay.attempts).toBe(1);
      expect(replay.last_error).toMatch(
        /^delivery 'granted' was received at .*, and its body was deleted past its retention \(30 days applied, 90 failed/,
      );
      await expect(replayDelivery(hub, 'granted')).rejects.toThrow(/its body was deleted past its retention/);
      await expect(replayDelivery(hub, 'never-came')).rejects.toThrow("no delivery 'never-came' was received");
    });

    it('a quiet month with the deliveries deleted is no sign of a wrong webhook secret', async () => {
      const reason = 'X-Hub-Signature-256 does not match the body';
      await hub.store.db
        .insertInto('github_webhook_refusals')
        .values({ reason, count: 1, last_at: hub.clock.now().toISOString() })
        .execute();
      hub.clock.advance(60_000);
      // the secret set right: GitHub's next delivery is taken in
      expect((await receive('member', 'granted', collaborator('added'))).status).toBe(202);
      await drain();
      const came = hub.clock.now().toISOString();
      expect((await githubStatus(hub)).deliveries.refused).toMatchObject({ secretMismatch: false });
      hub.clock.advance(31 * DAY);
      await pruneRetained(hub);
      const status = await githubStatus(hub);
      expect(status.deliveries.received).toBe(0);
      expect(status.deliveries.refused).toMatchObject({ count: 1, secretMismatch: false });
      // the last delivery that came, though its row is gone
      expect(status.deliveries.lastReceivedAt).toBe(came);
    });
  });

  it("a run reads only the rows past their retention, through the index, not every recent delivery's body or digest", async () => {
    const cut = { finished: '2026-10-01T00:00:00.000Z', failed: '2026-08-01T00:00:00.000Z' };
    /** The database's plan of a batch's query (PostgreSQL told to use an index where it can: the tables are small here). */
    const plan = (q: Compilable) =>
      hub.store.db.transaction().execute(async (trx) => {
        const c = q.compile();
        if (database.name === 'postgres') {
          await sql`set local enable_seqscan = off`.execute(trx);
          const r = await trx.executeQuery<{ 'QUERY PLAN': string }>(
            CompiledQuery.raw(`explain ${c.sql}`, [...c.parameters]),
          );
          return r.rows.map((x) => x['QUERY PLAN']).join('\n');
        }
        const r = await trx.executeQuery<{ detail: string }>(
          CompiledQuery.raw(`explain query plan ${c.sql}`, [...c.parameters]),
        );
        return r.rows.map((x) => x.detail).join('\n');
      });
    const bounded = (index: string, column: string) =>
      database.name === 'postgres'
        ? new RegExp(`Index Scan (using|on) ${index}\\b.*\\n\\s+Index Cond: \\(${column} < `)
        : new RegExp(`SEARCH d USING INDEX ${index} \\(${column}<\\?\\)`);
    expect(await plan(githubDeliveriesPast(hub.store.db, cut, 500))).toMatch(
      bounded('github_deliveries_received', 'received_at'),
    );
    expect(await plan(digestSendsPast(hub.store.db, cut, 500))).toMatch(bounded('digest_sends_period', 'period'));
  });

  it('confirmation and claim links go 30 days after they expired', async () => {
    await person(hub, 'amara');
    const amara = await hub.store.db
      .selectFrom('people')
      .select('id')
      .where('handle', '=', 'amara')
      .executeTakeFirstOrThrow();
    const at = (daysAgo: number) => new Date(hub.clock.now().getTime() - daysAgo * DAY).toISOString();
    await hub.store.db
      .insertInto('email_confirmations')
      .values(
        [31, 29].map((d) => ({
          id: `confirm-${d}`,
          person_id: amara.id,
          address: 'amara@example.org',
          token_hash: `hash-${d}`,
          created_at: at(d + 1),
          expires_at: at(d),
          mailed_at: null,
          failed_reason: null,
          used_at: null,
        })),
      )
      .execute();
    await hub.store.db
      .insertInto('person_claims')
      .values(
        [31, 29].map((d) => ({
          code_hash: `claim-${d}`,
          person_id: amara.id,
          created_by: 'operator',
          created_at: at(d + 7),
          expires_at: at(d),
          used_at: null,
        })),
      )
      .execute();
    await pruneRetained(hub);
    expect((await hub.store.db.selectFrom('email_confirmations').select('id').execute()).map((c) => c.id)).toEqual([
      'confirm-29',
    ]);
    expect(
      (await hub.store.db.selectFrom('person_claims').select('code_hash').execute()).map((c) => c.code_hash),
    ).toEqual(['claim-29']);
  });

  it('a large backlog goes in bounded batches, over as many runs as it takes', async () => {
    const now = hub.clock.now();
    const done = now.toISOString();
    const rows = Array.from({ length: 1_200 }, (_, i) => ({
      ...jobRow(hub, { queue: 'work', key: `old-${i}`, payload: {} }, now),
      done_at: done,
    }));
    for (let i = 0; i < rows.length; i += 200)
      await hub.store.db
        .insertInto('jobs')
        .values(rows.slice(i, i + 200))
        .execute();
    hub.clock.advance(31 * DAY);
    const count = async () =>
      Number(
        (
          await hub.store.db
            .selectFrom('jobs')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    // one batch of 500 at most, two batches a run
    const first = await pruneRetained(hub, { batchSize: 500, maxBatches: 2 });
    expect(first.tables['jobs.done']).toEqual({ deleted: 1_000, batches: 2 });
    expect(first.more).toBe(true);
    expect(await count()).toBe(200);
    const second = await pruneRetained(hub, { batchSize: 500, maxBatches: 2 });
    expect(second.tables['jobs.done']).toEqual({ deleted: 200, batches: 1 });
    expect(second.more).toBe(false);
    expect(await count()).toBe(0);
  });

  it('runs by itself: the hourly retention timer prunes, once however many processes schedule it', async () => {
    await runJob('old', 'done');
    hub.clock.advance(31 * DAY);
    const said: unknown[] = [];
    const log = { info: (facts: unknown, message: string) => said.push({ ...(facts as object), message }) };
    const timers = hubTimers(hub, log as unknown as Logger);
    expect(timers.find((t) => t.name === 'retention')?.everyMs).toBe(60 * 60_000);
    await scheduleTimers(hub, timers);
    await scheduleTimers(hub, timers); // a second process
    const retentionJobs = await hub.store.db
      .selectFrom('jobs')
      .select('key')
      .where('key', 'like', 'timer:retention:%')
      .execute();
    expect(retentionJobs).toHaveLength(1);
    hub.clock.advance(60 * 60_000);
    const worker = new Worker(hub, timerHandlers(timers), { onError: () => {} });
    await worker.drain();
    expect(await keys()).not.toContain('old');
    // the operator reads in the log what went
    expect(said).toContainEqual(
      expect.objectContaining({
        message: 'deleted finished work past its retention',
        deleted: expect.objectContaining({ 'jobs.done': 1 }),
      }),
    );
  });
});

describe('WGHUB_RETENTION_DAYS and WGHUB_RETENTION_FAILED_DAYS', () => {
  it('default to 30 and 90 days; failed work is kept at least as long as finished work', () => {
    expect(retentionFromEnv({})).toEqual({ finishedDays: 30, failedDays: 90 });
    expect(retentionFromEnv({ WGHUB_RETENTION_DAYS: '7', WGHUB_RETENTION_FAILED_DAYS: '14' })).toEqual({
      finishedDays: 7,
      failedDays: 14,
    });
    expect(retentionFromEnv({ WGHUB_RETENTION_DAYS: '180' })).toEqual({ finishedDays: 180, failedDays: 180 });
    expect(() => retentionFromEnv({ WGHUB_RETENTION_DAYS: '60', WGHUB_RETENTION_FAILED_DAYS: '30' })).toThrow(
      /WGHUB_RETENTION_FAILED_DAYS \(30\) must be at least WGHUB_RETENTION_DAYS \(60\)/,
    );
  });
});
