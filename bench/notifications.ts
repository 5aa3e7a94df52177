// Notifications at the scale of a big group: one decision opened in a group of N members (default
// 10,000, in 30 time zones). Prints the opening's own write latency with notifications off and on
// in the same run (on: the write queues one fan-out job in its transaction), the time until the
// worker has written every inbox row and mail job (every notification queued), then the time until every member's digest is
// accepted by a loopback SMTP server (smtp-server, accepting only), with the CPU time used.
// The fan-out writes in batches (FANOUT_BATCH people per transaction): the longest transaction is
// the longest the write lock is held; while it runs, a probe makes one small write after another
// and reports the longest it waited (on SQLite the lock, and the event loop, since better-sqlite3 is
// synchronous). The same is measured with the whole fan-out in one transaction (how it was before
// batching), alternating run by run.
// Digests: built (the full MIME message, no network) for every member, timed on their own, then
// sent to the loopback SMTP server. Idle: a worker on the notification queues with nothing due,
// for --idle seconds: polls, CPU and database time a minute.
// Readers: on SQLite and PostgreSQL in the same run (--readers), a fresh group of N members each,
// one small web page (a person's page, read through the HTTP app in this process, as `wghub serve`
// does with its worker) read again and again: idle, then while a decision opens and the worker fans
// it out page by page (FANOUT_BATCH), then with the whole group in one page (the audience read and
// written in one piece, as before paging): p50, p95 and the longest read of each.
// Usage: node bench/notifications.ts [--members 10000] [--db sqlite|postgres] [--runs 3] [--idle 30]
//        [--readers sqlite,postgres] [--readers-only]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { loadGovernance } from '../src/app/core/governance-file.ts';
import { type Actor, createHub, inTransaction, SYSTEM } from '../src/app/core/hub.ts';
import { Worker } from '../src/app/core/worker.ts';
import { openDecision } from '../src/app/decisions/decisions.ts';
import { proposeGroup } from '../src/app/groups/groups.ts';
import { createMailer, sendDigest } from '../src/app/notifications/mail.ts';
import {
  CLOSING_QUEUE,
  DIGEST_QUEUE,
  expandFanout,
  FANOUT_BATCH,
  FANOUT_QUEUE,
  MAIL_QUEUE,
  notificationsReaction,
} from '../src/app/notifications/notify.ts';
import { acceptAgreements, createPerson, personRow } from '../src/app/people/people.ts';
import { ManualClock } from '../src/domain/clock.ts';
import { createHttpApp } from '../src/http/server.ts';
import { openStore } from '../src/store/connect.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { percentile } from './support.ts';

const { values } = parseArgs({
  options: {
    members: { type: 'string', default: '10000' },
    db: { type: 'string', default: 'sqlite' },
    runs: { type: 'string', default: '3' },
    idle: { type: 'string', default: '30' },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    readers: { type: 'string', default: 'sqlite,postgres' },
    'readers-only': { type: 'boolean', default: false },
  },
});
const N = Number(values.members);
class SkipMain extends Error {}
const RUNS = Number(values.runs);
const ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Helsinki',
  'Europe/Moscow',
  'Asia/Dubai',
  'Asia/Karachi',
  'Asia/Kolkata',
  'Asia/Dhaka',
  'Asia/Bangkok',
  'Asia/Shanghai',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Pacific/Auckland',
  'Pacific/Honolulu',
  'America/Anchorage',
  'America/Los_Angeles',
  'America/Denver',
  'America/Chicago',
  'America/New_York',
  'America/Halifax',
  'America/Sao_Paulo',
  'Atlantic/Azores',
  'Africa/Lagos',
  'Africa/Nairobi',
  'Asia/Tehran',
  'Asia/Kathmandu',
  'Asia/Yangon',
  'Australia/Adelaide',
  'America/St_Johns',
];

/** A hub on `url` with a group `big` of N members in 30 zones, led by `lead`. */
async function bigGroup(store: ReturnType<typeof openStore>, label: string) {
  await migrateToLatest(store.db, store.schema);
  const clock = new ManualClock('2026-03-02T12:00:00Z');
  const hub = createHub(store, loadGovernance(), { clock });
  await createPerson(hub, SYSTEM, { handle: 'lead', name: 'Lead', timeZone: 'UTC', role: 'member', affiliations: [] });
  const g = hub.governance.agreements;
  await acceptAgreements(hub, SYSTEM, 'lead', {
    codeOfConduct: g.codeOfConduct.version,
    contributionTerms: g.contributionTerms.version,
  });
  const lead = { kind: 'person' as const, person: await personRow(store.db, 'lead') };
  await proposeGroup(hub, lead, {
    slug: 'big',
    name: 'Big group',
    kind: 'working',
    mission: 'A group as big as a large community gets.',
    scopeIn: ['Everything'],
    leads: ['lead'],
  });
  const group = await store.db.selectFrom('groups').select('id').where('slug', '=', 'big').executeTakeFirstOrThrow();
  const model = await store.db.selectFrom('people').selectAll().where('handle', '=', 'lead').executeTakeFirstOrThrow();
  const t0 = performance.now();
  for (let i = 0; i < N; i += 500) {
    const batch = Array.from({ length: Math.min(500, N - i) }, (_, k) => {
      const n = i + k;
      return {
        ...model,
        id: `bench-${n}`,
        handle: `member-${n}`,
        name: `Member ${n}`,
        time_zone: ZONES[n % ZONES.length]!,
        email: `member-${n}@example.org`,
      };
    });
    await store.db.insertInto('people').values(batch).execute();
    await store.db
      .insertInto('group_members')
      .values(
        batch.map((p) => ({
          group_id: group.id,
          person_id: p.id,
          level: 'member',
          level_label: null,
          emeritus: 0,
          joined_at: '2026-03-01T00:00:00.000Z',
          last_active_at: '2026-03-01T00:00:00.000Z',
        })),
      )
      .execute();
  }
  console.log(
    `${label}: ${N} members in ${ZONES.length} time zones set up in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  return { hub, clock, lead };
}

const openIn = (hub: ReturnType<typeof createHub>, lead: Actor) =>
  openDecision(hub, lead, {
    group: 'big',
    subject: { type: 'process' },
    question: 'Adopt fortnightly content meetings?',
    significance: 'minor',
  });

/**
 * A reader's view of a fan-out: one small web page read over and over through the HTTP app in
 * this process, idle and while a decision opens and the worker fans it out.
 */
async function readerLatency(kind: string): Promise<void> {
  const rdir = mkdtempSync(path.join(tmpdir(), 'wghub-bench-readers-'));
  const rschema = `bench_readers_${process.pid}`;
  const rstore = openStore(
    kind === 'postgres' ? `${values.pg}?schema=${rschema}` : `sqlite:${path.join(rdir, 'hub.sqlite')}`,
  );
  try {
    const { hub, lead } = await bigGroup(rstore, `${kind} (readers)`);
    // one client reading as fast as it can: the hub's rate limits would refuse it
    hub.governance = { ...hub.governance, rateLimits: { ...hub.governance.rateLimits, enabled: false } };
    const app = createHttpApp(hub, undefined, {
      web: { oidc: null, publicUrl: null, secureCookies: false, sessionHours: 24 },
    });
    const read = async () => {
      const res = await app.request('http://localhost/people/member-5');
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`the page answered ${res.status}`);
    };
    for (let i = 0; i < 20; i++) await read(); // warm
    /**
     * Readers arriving every INTERVAL ms (open loop, each on its own, as clients on sockets would):
     * each read's latency runs from when it was due, so a read that could not even start because the
     * event loop or the database was busy counts its wait (no coordinated omission).
     */
    const INTERVAL = 25;
    const readWhile = async (work: Promise<unknown> | null, count = 0) => {
      let done = false;
      const finished = work?.finally(() => {
        done = true;
      });
      const reads: Promise<number>[] = [];
      const start = performance.now();
      for (let i = 0; work ? !done : i < count; i++) {
        const due = start + i * INTERVAL;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        reads.push(read().then(() => performance.now() - due));
      }
      await finished;
      return Promise.all(reads);
    };
    const idle = await readWhile(null, 250);
    hub.reactions.push(notificationsReaction({ mail: true }));
    // the longest stretch from one page's write to the next (its reads, its transaction; the first
    // from the decision's opening)
    let longest = 0;
    const fanout = async (fanoutBatch: number) => {
      longest = 0;
      let last = performance.now();
      const onFanoutBatch = () => {
        const now = performance.now();
        longest = Math.max(longest, now - last);
        last = now;
      };
      const worker = new Worker(
        hub,
        { [FANOUT_QUEUE]: (h, j) => expandFanout(h, j, { mail: true, fanoutBatch, onFanoutBatch }) },
        {},
      );
      const start = performance.now();
      await openIn(hub, lead);
      last = performance.now();
      await worker.drain();
      return performance.now() - start;
    };
    const line = (label: string, xs: number[], took?: number) =>
      console.log(
        `${kind}, ${label.padEnd(52)} p50 ${percentile(xs, 50).toFixed(1).padStart(6)} ms  p95 ${percentile(xs, 95).toFixed(1).padStart(7)} ms  max ${Math.max(
          ...xs,
        )
          .toFixed(0)
          .padStart(
            5,
          )} ms  ${String(xs.length).padStart(4)} reads${took === undefined ? '' : ` in ${(took / 1000).toFixed(1)} s (longest page ${longest.toFixed(0)} ms)`}`,
      );
    line(`page read every ${INTERVAL} ms, idle:`, idle);
    for (let r = 0; r < RUNS; r++) {
      let took = 0;
      const paged = await readWhile(
        fanout(FANOUT_BATCH).then((ms) => {
          took = ms;
        }),
      );
      line(`while a decision opens, pages of ${FANOUT_BATCH}:`, paged, took);
      const whole = await readWhile(
        fanout(N + 1_000).then((ms) => {
          took = ms;
        }),
      );
      line('while a decision opens, the group in one piece:', whole, took);
    }
  } finally {
    if (kind === 'postgres')
      await rstore.db.schema
        .dropSchema(rschema)
        .ifExists()
        .cascade()
        .execute()
        .catch(() => {});
    await rstore.close();
    rmSync(rdir, { recursive: true, force: true });
  }
}

const dir = mkdtempSync(path.join(tmpdir(), 'wghub-bench-notify-'));
const schema = `bench_notify_${process.pid}`;
const url = values.db === 'postgres' ? `${values.pg}?schema=${schema}` : `sqlite:${path.join(dir, 'hub.sqlite')}`;
const store = openStore(url);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

console.log(
  `${new Date().toISOString()}, Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
try {
  if (values['readers-only']) throw new SkipMain();
  const { hub, clock, lead } = await bigGroup(store, String(values.db));

  const open = async () => {
    const start = performance.now();
    await openIn(hub, lead);
    return performance.now() - start;
  };
  // alternate off and on, so drift on a shared machine falls on both alike
  const off: number[] = [];
  const on: number[] = [];
  const queued: number[] = [];
  const heldBatched: number[] = [];
  const heldWhole: number[] = [];
  let cpuOn = 0;
  const reaction = notificationsReaction({ mail: true });
  let longestTx = 0;
  const onFanoutBatch = (_people: number, ms: number) => {
    longestTx = Math.max(longestTx, ms);
  };
  const txBatched: number[] = [];
  const txWhole: number[] = [];
  const fanoutWorker = (fanoutBatch: number) =>
    new Worker(hub, { [FANOUT_QUEUE]: (h, j) => expandFanout(h, j, { mail: true, fanoutBatch, onFanoutBatch }) }, {});
  const batched = fanoutWorker(FANOUT_BATCH);
  const whole = fanoutWorker(N + 1_000);
  /**
   * Runs `work` while small writes probe the database, one after another with a turn of the event
   * loop between them; returns the longest gap between two probes' ends: how long a write that
   * arrived at the worst moment waited. (On SQLite a transaction also holds the event loop:
   * better-sqlite3 is synchronous, so what waits is every request to this process, not only writes.)
   */
  const probed = async (work: Promise<unknown>): Promise<number> => {
    let done = false;
    const finished = work.finally(() => {
      done = true;
    });
    let longest = 0;
    let last = performance.now();
    const probe = async () => {
      await inTransaction(hub, (trx) =>
        trx.updateTable('people').set({ name: 'Probe' }).where('id', '=', 'bench-0').execute(),
      );
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    };
    while (!done) {
      await probe();
      await new Promise((r) => setImmediate(r));
    }
    await finished;
    await probe(); // the gap that ended with the work
    return longest;
  };
  for (let r = 0; r < RUNS * 2; r++) {
    hub.reactions.length = 0;
    off.push(await open());
    hub.reactions.push(reaction);
    const c = cpu();
    const write = await open();
    on.push(write);
    cpuOn += cpu() - c;
    const start = performance.now();
    longestTx = 0;
    if (r % 2 === 0) {
      heldBatched.push(await probed(batched.drain()));
      queued.push(write + performance.now() - start);
      txBatched.push(longestTx);
    } else {
      heldWhole.push(await probed(whole.drain()));
      txWhole.push(longestTx);
    }
  }
  hub.reactions.length = 0;
  const rows = await store.db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const p50 = (xs: number[]) => percentile(xs, 50);
  console.log(
    `decision opened, notifications off: p50 ${p50(off).toFixed(0)} ms (runs: ${off.map((x) => x.toFixed(0)).join(', ')})`,
  );
  console.log(
    `decision opened, notifications on (one fan-out job queued in the same transaction): p50 ${p50(on).toFixed(0)} ms (runs: ${on.map((x) => x.toFixed(0)).join(', ')}); CPU ${(cpuOn / (RUNS * 2)).toFixed(0)} ms a run`,
  );
  console.log(
    `until every inbox row and mail job is queued (the write, then the worker's batched fan-out): p50 ${p50(queued).toFixed(0)} ms (runs: ${queued.map((x) => x.toFixed(0)).join(', ')})`,
  );
  const ms = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  console.log(
    `longest fan-out transaction (the write lock held): batches of ${FANOUT_BATCH}: max ${Math.max(...txBatched).toFixed(0)} ms (runs: ${ms(txBatched)}); the whole fan-out in one transaction: max ${Math.max(...txWhole).toFixed(0)} ms (runs: ${ms(txWhole)})`,
  );
  console.log(
    `longest wait of a small write made during the fan-out (lock and event loop): batches: max ${Math.max(...heldBatched).toFixed(0)} ms (runs: ${ms(heldBatched)}); one transaction: max ${Math.max(...heldWhole).toFixed(0)} ms (runs: ${ms(heldWhole)})`,
  );
  console.log(`ratio on / off: ${(p50(on) / p50(off)).toFixed(1)}; ${Number(rows.n)} inbox rows written in all`);

  // every member's digest, due at 08:00 in each of the 30 zones: run them all and time the SMTP side
  let accepted = 0;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _s, cb) {
      stream.on('data', () => {});
      stream.on('end', () => {
        accepted++;
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  const port = (smtp.server.address() as { port: number }).port;
  const mailer = createMailer({
    smtpUrl: `smtp://127.0.0.1:${port}?pool=true&maxConnections=4`,
    from: 'Big group hub <hub@wg.example.org>',
    publicUrl: 'https://wg.example.org',
    replyDomain: null,
  });
  clock.set('2026-03-04T00:00:00Z');
  const digests = await store.db
    .selectFrom('jobs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('queue', '=', DIGEST_QUEUE)
    .executeTakeFirstOrThrow();
  // built only: the full MIME message of each digest, streamed to nothing
  const builder = {
    config: mailer.config,
    transport: nodemailer.createTransport({ streamTransport: true, buffer: true }),
  };
  const build = new Worker(hub, { [DIGEST_QUEUE]: (h, j) => sendDigest(h, builder, j) }, { onError: () => {} });
  let c = cpu();
  let start = performance.now();
  await build.drain(100_000);
  const built = performance.now() - start;
  const builtCount = await store.db
    .selectFrom('notifications')
    .select((eb) => eb.fn.count<number>('person_id').distinct().as('n'))
    .where('mail_state', '=', 'digest-sent')
    .executeTakeFirstOrThrow();
  console.log(
    `digests built (queries, tokens, MIME; no network) for ${Number(builtCount.n)} people across ${ZONES.length} zones: ${(built / 1000).toFixed(1)} s (${(built / Number(builtCount.n)).toFixed(1)} ms each; CPU ${((cpu() - c) / 1000).toFixed(1)} s)`,
  );
  // the same digests again, now through SMTP
  await store.db
    .updateTable('notifications')
    .set({ mail_state: 'digest', mailed_at: null })
    .where('mail_state', '=', 'digest-sent')
    .execute();
  await store.db
    .updateTable('jobs')
    .set({ done_at: null, attempts: 0, locked_by: null, locked_until: null })
    .where('queue', '=', DIGEST_QUEUE)
    .execute();
  const worker = new Worker(hub, { [DIGEST_QUEUE]: (h, j) => sendDigest(h, mailer, j) }, { onError: () => {} });
  c = cpu();
  start = performance.now();
  await worker.drain(100_000);
  const took = performance.now() - start;
  console.log(
    `digests: ${Number(digests.n)} queued across ${ZONES.length} zones; ${accepted} accepted by the loopback SMTP server in ${(took / 1000).toFixed(1)} s (${(accepted / (took / 1000)).toFixed(0)} a second; CPU ${((cpu() - c) / 1000).toFixed(1)} s in this process, the SMTP server included)`,
  );

  // idle: every job done or not yet due (the clock back before the closing reminders)
  clock.set('2026-03-02T13:00:00Z');
  const idleSeconds = Number(values.idle);
  const idle = new Worker(
    hub,
    Object.fromEntries([MAIL_QUEUE, DIGEST_QUEUE, FANOUT_QUEUE, CLOSING_QUEUE].map((q) => [q, async () => {}])),
    { pollMs: 1000 },
  );
  let polls = 0;
  let found = 0;
  let pollMs = 0;
  const runOnce = idle.runOnce.bind(idle);
  idle.runOnce = async () => {
    const s = performance.now();
    const n = await runOnce();
    pollMs += performance.now() - s;
    polls++;
    found += n;
    return n;
  };
  const jobsInTable = await store.db
    .selectFrom('jobs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  c = cpu();
  idle.start();
  await new Promise((r) => setTimeout(r, idleSeconds * 1000));
  await idle.stop();
  const perMinute = 60 / idleSeconds;
  console.log(
    `idle (nothing due, ${Number(jobsInTable.n)} jobs in the table, done or later): ${(polls * perMinute).toFixed(0)} polls a minute (one claim query each), ${found} jobs found; database ${((pollMs / Math.max(polls, 1)) * 1).toFixed(2)} ms a poll, ${(pollMs * perMinute).toFixed(0)} ms a minute; CPU ${((cpu() - c) * perMinute).toFixed(0)} ms a minute`,
  );
  mailer.transport.close();
  await new Promise<void>((r) => smtp.close(() => r()));
} catch (e) {
  if (!(e instanceof SkipMain)) throw e;
} finally {
  if (values.db === 'postgres')
    await store.db.schema
      .dropSchema(schema)
      .ifExists()
      .cascade()
      .execute()
      .catch(() => {});
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

for (const kind of String(values.readers).split(',').filter(Boolean)) await readerLatency(kind);
console.log(
  `load average at the end ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
