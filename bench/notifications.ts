// Notifications at the scale of a big group: one decision opened in a group of N members (default
// 10,000, in 30 time zones). Prints the opening's own write latency with notifications off and on
// in the same run (on: the write queues one fan-out job in its transaction), the time until the
// worker has written every inbox row and mail job (every notification queued), then the time until every member's digest is
// accepted by a loopback SMTP server (smtp-server, accepting only), with the CPU time used.
// Usage: node bench/notifications.ts [--members 10000] [--db sqlite|postgres] [--runs 3]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SMTPServer } from 'smtp-server';
import { loadGovernance } from '../src/app/core/governance-file.ts';
import { createHub, SYSTEM } from '../src/app/core/hub.ts';
import { Worker } from '../src/app/core/worker.ts';
import { openDecision } from '../src/app/decisions/decisions.ts';
import { proposeGroup } from '../src/app/groups/groups.ts';
import { createMailer, sendDigest } from '../src/app/notifications/mail.ts';
import { DIGEST_QUEUE, expandFanout, FANOUT_QUEUE, notificationsReaction } from '../src/app/notifications/notify.ts';
import { acceptAgreements, createPerson, personRow } from '../src/app/people/people.ts';
import { ManualClock } from '../src/domain/clock.ts';
import { openStore } from '../src/store/connect.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { percentile } from './support.ts';

const { values } = parseArgs({
  options: {
    members: { type: 'string', default: '10000' },
    db: { type: 'string', default: 'sqlite' },
    runs: { type: 'string', default: '3' },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const N = Number(values.members);
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

const dir = mkdtempSync(path.join(tmpdir(), 'wghub-bench-notify-'));
const schema = `bench_notify_${process.pid}`;
const url = values.db === 'postgres' ? `${values.pg}?schema=${schema}` : `sqlite:${path.join(dir, 'hub.sqlite')}`;
const store = openStore(url);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

try {
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
    `${values.db}: ${N} members in ${ZONES.length} time zones set up in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const open = async () => {
    const start = performance.now();
    await openDecision(hub, lead, {
      group: 'big',
      subject: { type: 'process' },
      question: 'Adopt fortnightly content meetings?',
      significance: 'minor',
    });
    return performance.now() - start;
  };
  // alternate off and on, so drift on a shared machine falls on both alike
  const off: number[] = [];
  const on: number[] = [];
  const queued: number[] = [];
  let cpuOn = 0;
  const reaction = notificationsReaction({ mail: true });
  const fanout = new Worker(hub, { [FANOUT_QUEUE]: (h, j) => expandFanout(h, j, { mail: true }) }, {});
  for (let r = 0; r < RUNS; r++) {
    hub.reactions.length = 0;
    off.push(await open());
    hub.reactions.push(reaction);
    const c = cpu();
    const write = await open();
    on.push(write);
    cpuOn += cpu() - c;
    const start = performance.now();
    await fanout.drain();
    queued.push(write + performance.now() - start);
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
    `decision opened, notifications on (one fan-out job queued in the same transaction): p50 ${p50(on).toFixed(0)} ms (runs: ${on.map((x) => x.toFixed(0)).join(', ')}); CPU ${(cpuOn / RUNS).toFixed(0)} ms a run`,
  );
  console.log(
    `until every inbox row and mail job is queued (the write, then the worker's fan-out): p50 ${p50(queued).toFixed(0)} ms (runs: ${queued.map((x) => x.toFixed(0)).join(', ')})`,
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
  const worker = new Worker(hub, { [DIGEST_QUEUE]: (h, j) => sendDigest(h, mailer, j) }, { onError: () => {} });
  const c = cpu();
  const start = performance.now();
  await worker.drain(100_000);
  const took = performance.now() - start;
  console.log(
    `digests: ${Number(digests.n)} queued across ${ZONES.length} zones; ${accepted} accepted by the loopback SMTP server in ${(took / 1000).toFixed(1)} s (${(accepted / (took / 1000)).toFixed(0)} a second; CPU ${((cpu() - c) / 1000).toFixed(1)} s in this process, the SMTP server included)`,
  );
  mailer.transport.close();
  await new Promise<void>((r) => smtp.close(() => r()));
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
