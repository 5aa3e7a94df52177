// Back up while people write, restore, verify the event log and compare every table; and move a
// hub between databases through `export all` / `import all`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { backupDatabase, restoreDatabase } from '../../../src/app/operations/backup.ts';
import { exportAll, importAll } from '../../../src/app/operations/export-all.ts';
import { dataTables, readTable } from '../../../src/app/operations/tables.ts';
import { openStore, type Store } from '../../../src/store/connect.ts';
import { databases, PG_URL, postgresDatabase, sqliteDatabase } from '../../support/databases.ts';
import { asActor, hostingGroup, openTestHub, person, type TestHub } from '../../support/hub.ts';
import { SYSTEM } from '../../../src/app/core/hub.ts';
import { createToken } from '../../../src/app/people/tokens.ts';
import { createProposal } from '../../../src/app/proposals/proposals.ts';
import { addComment, editComment } from '../../../src/app/proposals/comments.ts';
import { moderateComment } from '../../../src/app/proposals/moderation.ts';
import { loadGovernance } from '../../../src/app/core/governance-file.ts';
import { createHub } from '../../../src/app/core/hub.ts';
import { getMeetingAt, scheduleMeeting } from '../../../src/app/meetings/meetings.ts';
import { upcomingMeetings } from '../../../src/app/meetings/upcoming.ts';
import { ManualClock } from '../../../src/domain/clock.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'wghub-backup-'));
const madeDatabases: string[] = [];
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  const c = new pg.Client({ connectionString: PG_URL });
  if (!madeDatabases.length) return;
  await c.connect();
  for (const d of madeDatabases) await c.query(`drop database if exists ${d}`);
  await c.end();
});

/** Every data table's rows, values as text, so SQLite's numbers and PostgreSQL's bigint strings compare. */
async function contents(store: Store): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of await dataTables(store)) {
    const rows: string[] = [];
    await readTable(store.db, t, (page) => {
      for (const r of page) rows.push(JSON.stringify(t.columns.map((c) => (r[c] === null ? null : String(r[c])))));
    });
    out[t.name] = rows.sort();
  }
  return out;
}

/** An empty place to restore into: a new SQLite file, or a new PostgreSQL database with the same schema name. */
async function restoreTarget(source: Store): Promise<string> {
  if (source.kind === 'sqlite')
    return `sqlite:${path.join(dir, `restored-${Math.random().toString(36).slice(2)}.sqlite`)}`;
  const name = `wghub_restore_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  madeDatabases.push(name);
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  u.searchParams.set('schema', source.schema!);
  return u.toString();
}

async function writeWhile(hub: TestHub, until: Promise<unknown>): Promise<number> {
  let done = false;
  void until.finally(() => (done = true));
  let n = 0;
  // a write every few milliseconds, as a busy community makes them (SQLite's backup restarts after
  // a write from elsewhere, so a loop with no pause at all could keep it from ever finishing)
  while (!done && n < 500) {
    await person(hub, `writer-${n++}`, { role: 'member' });
    await new Promise((r) => setTimeout(r, 2));
  }
  return n;
}

// A CI run under load: the backup "finished" and the file was not there. better-sqlite3 takes a
// step that met a busy database for the end of the backup, then deletes the unfinished file.
describe('a SQLite backup that meets a busy database', () => {
  it('starts again until the file is written, and says so if it never is', async () => {
    let calls = 0;
    const busyOnce = {
      kind: 'sqlite',
      sqlite: {
        backup: async (file: string) => {
          if (++calls > 1) writeFileSync(file, 'SQLite format 3');
          return { totalPages: 1, remainingPages: 0 };
        },
      },
    } as unknown as Store;
    const r = await backupDatabase(busyOnce, path.join(dir, 'busy-once.backup'));
    expect(calls).toBe(2);
    expect(r.bytes).toBe(15);
    const alwaysBusy = { kind: 'sqlite', sqlite: { backup: async () => ({}) } } as unknown as Store;
    await expect(backupDatabase(alwaysBusy, path.join(dir, 'never.backup'))).rejects.toThrow(
      /could not finish: the database stayed busy/,
    );
  }, 20_000);
});

describe.each(databases)('backup and restore on $name', (database) => {
  it('a backup taken during writes restores to a consistent hub whose log verifies; after writes, every table matches', async () => {
    const hub = await openTestHub(database);
    try {
      for (let i = 0; i < 20; i++) await person(hub, `early-${i}`, { role: 'member' });
      const file = path.join(dir, `mid-${database.name}.backup`);
      const backup = backupDatabase(hub.store, file);
      const written = await writeWhile(hub, backup);
      expect(written).toBeGreaterThan(0);
      expect((await backup).bytes).toBeGreaterThan(0);

      const midUrl = await restoreTarget(hub.store);
      const mid = await restoreDatabase(midUrl, file);
      expect(mid.chain).toEqual({ ok: true, firstBroken: null });
      const restored = openStore(midUrl);
      try {
        // one moment of the hub: every person restored has the event that created them, and no more
        const people = await restored.db.selectFrom('people').select('handle').execute();
        const created = await restored.db
          .selectFrom('events')
          .select('subject_id')
          .where('kind', '=', 'person.created')
          .execute();
        expect(new Set(created.map((e) => e.subject_id))).toEqual(new Set(people.map((p) => p.handle)));
        expect(people.length).toBeGreaterThanOrEqual(20);
      } finally {
        await restored.close();
      }

      // a backup never overwrites
      await expect(backupDatabase(hub.store, file)).rejects.toThrow(/exists/);
      // nor does a restore replace a hub unless told to
      await expect(restoreDatabase(midUrl, file)).rejects.toThrow(/already holds a hub/);

      const quiet = path.join(dir, `quiet-${database.name}.backup`);
      await backupDatabase(hub.store, quiet);
      const quietUrl = await restoreTarget(hub.store);
      expect((await restoreDatabase(quietUrl, quiet)).chain.ok).toBe(true);
      const again = openStore(quietUrl);
      try {
        expect(await contents(again)).toEqual(await contents(hub.store));
      } finally {
        await again.close();
      }
    } finally {
      await hub.close();
    }
  }, 120_000);
});

describe.each(databases)('a public export on $name', (database) => {
  it('leaves out credentials, chat webhooks and inboxes, and empties mail addresses; it still imports', async () => {
    const source = await openTestHub(database);
    const target = await database.open();
    try {
      await person(source, 'priya', { role: 'member' });
      await source.store.db
        .updateTable('people')
        .set({ email: 'priya@example.org', confirmed_email: 'priya@example.org', email_confirmed_via: 'link' })
        .where('handle', '=', 'priya')
        .execute();
      await source.store.db
        .insertInto('rate_limits')
        .values({ key: 'ip:203.0.113.9', points: 1, expire: null })
        .execute();
      // a comment a moderator hid: its text leaves the open data as it leaves its page
      const mod = await person(source, 'mo', { role: 'moderator' });
      const author = await asActor(source, 'priya');
      await createProposal(source, author, {
        title: 'Session affinity guide',
        problem: 'Operators cannot scale stateful MCP servers behind a load balancer.',
        layer: 'working-group-artifact',
      });
      const spam = await addComment(source, author, 'P-1', { body: 'Buy Zorblax balancers today.' });
      await editComment(source, author, spam.id, spam.version, { body: 'Buy Zorblax balancers today, 20% off.' });
      await moderateComment(source, mod, spam.id, { action: 'hide', reason: 'advertising' });
      await addComment(source, author, 'P-1', { body: 'Sticky cookies are our workaround.' });
      // a chat post withheld while a group was retired: only those who manage its hooks are shown it
      await hostingGroup(source, author, 'priya');
      const group = await source.store.db.selectFrom('groups').select('id').executeTakeFirstOrThrow();
      await source.store.db
        .insertInto('chat_withheld')
        .values({
          id: 'w-1',
          group_id: group.id,
          post_key: 'k-1',
          event: 'weekly-summary',
          title: 'Hosting: the week withheld from its chat',
          url: 'https://wg.example.org/groups/hosting',
          at: '2026-03-09T09:00:00.000Z',
          withheld_at: '2026-03-09T09:00:00.000Z',
          told_at: null,
        })
        .execute();
      const stream = new PassThrough();
      const lines: string[] = [];
      stream.on('data', (d) => lines.push(String(d)));
      await exportAll(source.store, stream, { public: true });
      stream.end();
      const text = lines.join('');
      // before, every person's address went out in the community's open data
      expect(text).not.toContain('priya@example.org');
      expect(text).not.toContain('203.0.113.9');
      expect(text).not.toContain('withheld from its chat');
      const rows = (t: string) =>
        text.split('\n').flatMap((l) => (l.startsWith(`{"t":"${t}"`) ? [JSON.stringify(JSON.parse(l).r)] : []));
      expect(rows('comments').join('\n')).not.toContain('Zorblax');
      expect(rows('comments').join('\n')).toContain('Sticky cookies');
      expect(rows('comment_revisions').join('\n')).not.toContain('Zorblax');
      expect(rows('comments').some((r) => r.includes('advertising'))).toBe(true);
      const tables = new Set(text.split('\n').flatMap((l) => (l.startsWith('{"t":') ? [JSON.parse(l).t] : [])));
      for (const t of ['people', 'events']) expect(tables, t).toContain(t);
      for (const t of [
        'api_tokens',
        'web_sessions',
        'group_webhooks',
        'notifications',
        'rate_limits',
        'jobs',
        'chat_withheld',
      ])
        expect(tables, t).not.toContain(t);
      expect(JSON.parse(text.split('\n')[0]!)).toMatchObject({ public: true });
      const r = await importAll(target, PassThrough.from([text]));
      expect(r.chainOk).toBe(true);
      const priya = await target.db
        .selectFrom('people')
        .selectAll()
        .where('handle', '=', 'priya')
        .executeTakeFirstOrThrow();
      expect(priya).toMatchObject({ email: null, confirmed_email: null });
    } finally {
      await target.close();
      await source.close();
    }
  }, 120_000);
});

describe.each(databases)(
  'an export made before a meeting of a series kept its start (migration 321) on $name',
  (database) => {
    it('imports each meeting opened at a start of a series as standing for that start', async () => {
      const source = await openTestHub(database, '2026-03-02T12:00:00Z');
      const target = await database.open();
      try {
        const lead = await person(source, 'lead', { role: 'member' });
        await hostingGroup(source, lead, 'lead');
        const meeting = { group: 'hosting', kind: 'process', title: 'Hosting coordination', timeZone: 'UTC' } as const;
        await scheduleMeeting(source, lead, { ...meeting, startsAt: '2026-03-05T16:00:00Z', rrule: 'FREQ=WEEKLY' });
        await scheduleMeeting(source, lead, { ...meeting, startsAt: '2026-03-12T16:00:00Z', seriesOf: 'M-1' });
        const stream = new PassThrough();
        const lines: string[] = [];
        stream.on('data', (d) => lines.push(String(d)));
        await exportAll(source.store, stream);
        stream.end();
        // as a hub before migration 321 wrote it: no series_start column, and that migration not applied
        const old = lines
          .join('')
          .split('\n')
          .map((l) => {
            if (!l.trim()) return l;
            const o = JSON.parse(l);
            if (o.format) o.migrations = o.migrations.filter((m: string) => !m.startsWith('321'));
            if (o.t === 'meetings') delete o.r.series_start;
            return JSON.stringify(o);
          })
          .join('\n');
        expect(old).not.toContain('series_start');
        expect((await importAll(target, PassThrough.from([old]))).chainOk).toBe(true);

        const hub = createHub(target, loadGovernance(), { clock: new ManualClock('2026-03-06T12:00:00Z') });
        // its id still finds it, and the series no longer stands for that start
        const read = await getMeetingAt(hub, 'M-1@2026-03-12T16:00:00.000Z');
        expect(read.ref).toBe('M-2');
        expect(read.occurrence).toMatchObject({ ref: 'M-2' });
        const upcoming = await upcomingMeetings(hub, {});
        expect(upcoming.items.slice(0, 2).map((m) => [m.ref, m.nextStartsAt])).toEqual([
          ['M-2', '2026-03-12T16:00:00.000Z'],
          ['M-1', '2026-03-19T16:00:00.000Z'],
        ]);
      } finally {
        await target.close();
        await source.close();
      }
    }, 120_000);
  },
);

describe.skipIf(databases.length < 2)('moving a hub between databases', () => {
  for (const [from, to] of [
    [sqliteDatabase, postgresDatabase],
    [postgresDatabase, sqliteDatabase],
  ] as const) {
    it(`export all from ${from.name}, import all into an empty ${to.name}: every table the same, the log verifies`, async () => {
      const source = await openTestHub(from);
      const target = await to.open();
      try {
        for (let i = 0; i < 30; i++) await person(source, `p-${i}`, { role: 'member' });
        // tables whose names sort before those they point at (api_tokens, group_members): SQLite must
        // take them with its foreign keys off on the connection that writes
        await hostingGroup(source, await asActor(source, 'p-0'), 'p-0');
        await createToken(source, SYSTEM, 'p-1');
        const stream = new PassThrough();
        const lines: string[] = [];
        stream.on('data', (d) => lines.push(String(d)));
        await exportAll(source.store, stream);
        stream.end();
        const text = lines.join('');
        expect(text.split('\n')[0]).toContain('"format":"wghub-export/1"');

        const r = await importAll(target, PassThrough.from([text]));
        expect(r.chainOk).toBe(true);
        expect(r.events).toBeGreaterThanOrEqual(30);
        expect(await contents(target)).toEqual(await contents(source.store));

        // an import never lands on a hub that holds anything
        await expect(importAll(target, PassThrough.from([text]))).rejects.toThrow(/empty hub/);
        // a cut-off file imports nothing
        const fresh = await to.open();
        try {
          const cut = text.split('\n').slice(0, -3).join('\n');
          await expect(importAll(fresh, PassThrough.from([cut]))).rejects.toThrow(/cut off|ends early/);
          const people = await fresh.db.selectFrom('people').select('id').execute();
          expect(people).toEqual([]);
        } finally {
          await fresh.close();
        }
      } finally {
        await target.close();
        await source.close();
      }
    }, 120_000);
  }
});
