// Two `wghub worker` processes on one PostgreSQL, a decision opened in a group of 300+ members (so
// the fan-out job path is used, in batches of 10), and the worker doing the fan-out killed with -9
// between batches: the other takes the job over from its cursor once the lease runs out, every
// member gets exactly one notification, and the loopback SMTP server receives each member's mail
// once, under that notification's Message-ID.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/connect.ts';
import { databaseForProcess, databases } from '../support/databases.ts';
import { ROOT, runCli, WGHUB } from '../support/process.ts';
import { type LoopbackSmtp, startSmtp } from '../support/smtp.ts';

const hasPostgres = databases.some((d) => d.name === 'postgres');
const dir = mkdtempSync(path.join(tmpdir(), 'wghub-notify-fanout-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function startWorker(env: Record<string, string>): ChildProcess {
  const child = spawn(WGHUB, ['worker'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'ignore'] });
  return child;
}

const until = async (what: string, ok: () => Promise<boolean> | boolean, ms = 90_000, every = 100) => {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
};

describe.skipIf(!hasPostgres)('a fan-out and its mail from two workers on one PostgreSQL', () => {
  it('a worker killed with -9 in the middle of a fan-out: every member told once, every mail received once', async () => {
    let smtp: LoopbackSmtp | null = null;
    const workers: ChildProcess[] = [];
    const db = await databaseForProcess(databases.find((d) => d.name === 'postgres')!);
    // a decision opened is mailed at once (no batching window, no hourly cap in the way)
    const governance = path.join(dir, 'governance.yaml');
    writeFileSync(
      governance,
      readFileSync(path.join(ROOT, 'governance/default.yaml'), 'utf8')
        .replace(/decision-opened: \{ immediate: false \}/, 'decision-opened: { immediate: true }')
        .replace(/batchMinutes: \d+/, 'batchMinutes: 0')
        .replace(/hourlyCap: \d+/, 'hourlyCap: 1000'),
    );
    smtp = await startSmtp();
    const env = {
      WGHUB_DATABASE_URL: db.url,
      WGHUB_GOVERNANCE: governance,
      WGHUB_SMTP_URL: smtp.url,
      WGHUB_MAIL_FROM: 'Hub <hub@wg.example.org>',
      WGHUB_LOG_LEVEL: 'warn',
      WGHUB_JOB_LEASE_MS: '3000',
      WGHUB_FANOUT_BATCH: '10',
    };
    const store = openStore(db.url);
    try {
      expect((await runCli(['seed'], env)).code).toBe(0);
      const hosting = await store.db
        .selectFrom('groups')
        .select('id')
        .where('slug', '=', 'hosting')
        .executeTakeFirstOrThrow();
      const model = await store.db
        .selectFrom('people')
        .selectAll()
        .where('handle', '=', 'sam-lead')
        .executeTakeFirstOrThrow();
      const extra = Array.from({ length: 300 }, (_, n) => ({
        ...model,
        id: `member-${String(n).padStart(3, '0')}`,
        handle: `member-${n}`,
        name: `Member ${n}`,
        role: 'contributor' as const,
      }));
      await store.db.insertInto('people').values(extra).execute();
      await store.db
        .insertInto('group_members')
        .values(
          extra.map((p) => ({
            group_id: hosting.id,
            person_id: p.id,
            level: 'member',
            level_label: null,
            emeritus: 0,
            joined_at: '2026-03-01T00:00:00.000Z',
            last_active_at: '2026-03-01T00:00:00.000Z',
          })),
        )
        .execute();
      await store.db.updateTable('people').set({ email: sql<string>`handle || '@example.org'` }).execute();
      const members = (
        await store.db
          .selectFrom('group_members as m')
          .innerJoin('people as p', 'p.id', 'm.person_id')
          .select('p.id')
          .where('m.group_id', '=', hosting.id)
          .where('m.emeritus', '=', 0)
          .where('m.level', '!=', 'observer')
          .where('p.handle', '!=', 'sam-lead')
          .execute()
      ).map((m) => m.id);
      expect(members.length).toBeGreaterThan(300);

      workers.push(startWorker(env), startWorker(env));
      const opened = await runCli(
        [
          '--as',
          'sam-lead',
          'decision',
          'open',
          '--group',
          'hosting',
          '--question',
          'Adopt the runbook?',
          '--significance',
          'minor',
        ],
        env,
      );
      expect(opened.code).toBe(0);
      const fanout = () =>
        store.db.selectFrom('jobs').selectAll().where('queue', '=', 'notify.fanout').executeTakeFirstOrThrow();
      // the moment the fan-out has written some batches but not all: kill the process doing it
      let holder = 0;
      await until(
        'the fan-out to be part-way',
        async () => {
          const j = await fanout();
          if (j.done_at) throw new Error('the fan-out finished before it could be interrupted');
          holder = Number(/:(\d+):/.exec(j.locked_by ?? '')?.[1] ?? 0);
          return j.payload.includes('"after"') && holder > 0;
        },
        90_000,
        20,
      );
      const victim = workers.find((w) => w.pid === holder)!;
      expect(victim).toBeDefined();
      victim.kill('SIGKILL');
      const told = async () =>
        Number(
          (
            await store.db
              .selectFrom('notifications')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('kind', '=', 'decision-opened')
              .executeTakeFirstOrThrow()
          ).n,
        );
      expect(await told()).toBeLessThan(members.length);
      await until('the fan-out to be taken over and done', async () => (await fanout()).done_at !== null);
      await until(
        'every mail job to be done',
        async () =>
          (
            await store.db
              .selectFrom('jobs')
              .select('id')
              .where('queue', '=', 'notify.mail')
              .where('done_at', 'is', null)
              .execute()
          ).length === 0,
      );
      const rows = await store.db
        .selectFrom('notifications')
        .select(['person_id', 'mail_state', 'message_id'])
        .where('kind', '=', 'decision-opened')
        .execute();
      // every member told exactly once
      expect(rows.map((r) => r.person_id).sort()).toEqual([...members].sort());
      expect(rows.every((r) => r.mail_state === 'sent')).toBe(true);
      // the SMTP server got each member's mail once, under its notification's Message-ID
      const ids = smtp.received.map((m) => m.mail.messageId);
      expect(new Set(ids)).toEqual(new Set(rows.map((r) => r.message_id)));
      expect({ received: ids.length, distinct: new Set(ids).size }).toEqual({
        received: members.length,
        distinct: members.length,
      });
    } finally {
      for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
      await smtp?.close();
      await store.close();
      db.cleanup();
    }
  }, 180_000);
});
