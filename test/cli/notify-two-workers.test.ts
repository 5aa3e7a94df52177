// Two `wghub worker` processes on one PostgreSQL (on SQLite: the one worker, then its restart)
// deliver notification mail to a loopback SMTP server, and one is killed with -9 in the middle: every notification is mailed, each under one
// Message-ID (a mail the killed worker sent but did not mark done is sent again under the same
// id, so the receiver can drop it), and no mail is sent twice by the two workers racing.
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
const dir = mkdtempSync(path.join(tmpdir(), 'wghub-notify-workers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function startWorker(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(WGHUB, ['worker'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return { child, output: () => out };
}

const until = async (what: string, ok: () => Promise<boolean> | boolean, ms = 60_000) => {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

/**
 * On PostgreSQL two workers run at once and one is killed; on SQLite, where one process delivers,
 * the only worker is killed and a new one started after it (as a supervisor restarts `wghub serve`).
 */
async function killMidDelivery(database: 'postgres' | 'sqlite'): Promise<void> {
  {
    let smtp: LoopbackSmtp | null = null;
    const workers: ReturnType<typeof startWorker>[] = [];
    const db = await databaseForProcess(databases.find((d) => d.name === database)!);
    // mail at once (no batching window), and no hourly cap in the way
    const governance = path.join(dir, 'governance.yaml');
    writeFileSync(
      governance,
      readFileSync(path.join(ROOT, 'governance/default.yaml'), 'utf8')
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
    };
    const store = openStore(db.url);
    try {
      expect((await runCli(['seed', '--full'], env)).code).toBe(0);
      await store.db
        .updateTable('people')
        .set({ email: sql<string>`handle || '@example.org'`, confirmed_email: sql<string>`handle || '@example.org'` })
        .execute();
      const everyone = (await store.db.selectFrom('people').select('handle').execute()).map((p) => `@${p.handle}`);
      for (const ref of ['P-1', 'P-2'])
        expect(
          (await runCli(['--as', 'sam-lead', 'proposal', 'comment', ref, `Please look, ${everyone.join(' ')}`], env))
            .code,
        ).toBe(0);
      const queued = await store.db
        .selectFrom('notifications')
        .select(['id', 'message_id'])
        .where('mail_state', '=', 'queued')
        .execute();
      expect(queued.length).toBeGreaterThanOrEqual(8);

      workers.push(startWorker(env));
      if (database === 'postgres') workers.push(startWorker(env));
      await until('the first mail', () => smtp!.received.length > 0);
      workers[0]!.child.kill('SIGKILL');
      if (database === 'sqlite') workers.push(startWorker(env));
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
      const sent = await store.db
        .selectFrom('notifications')
        .select(['id', 'mail_state', 'message_id'])
        .where(
          'id',
          'in',
          queued.map((q) => q.id),
        )
        .execute();
      expect(sent.every((n) => n.mail_state === 'sent')).toBe(true);
      const received = smtp.received.map((m) => m.mail.messageId ?? null);
      // the workers also run the seeded decisions' timers, whose reminders are mailed too: each
      // mail is a notification's, under its own Message-ID
      const known = new Set(
        (await store.db.selectFrom('notifications').select('message_id').execute()).map((n) => n.message_id),
      );
      expect(received.filter((id) => !known.has(id))).toEqual([]);
      const ours = new Set(sent.map((n) => n.message_id));
      const ids = received.filter((id) => ours.has(id));
      // each of the comments' notifications' mail arrived, under its own fixed Message-ID
      expect(new Set(ids)).toEqual(ours);
      // a repeat is only ever the killed worker's unfinished job, sent again under the same id
      expect(ids.length - new Set(ids).size).toBeLessThanOrEqual(1);
    } finally {
      for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
      await smtp?.close();
      await store.close();
      db.cleanup();
    }
  }
}

describe.skipIf(!hasPostgres)('notification mail from two workers on one PostgreSQL', () => {
  it('every notification is mailed under one Message-ID though a worker is killed mid-way', async () => {
    await killMidDelivery('postgres');
  }, 180_000);
});

describe('notification mail from the one worker on SQLite', () => {
  it('killed with -9 mid-way and started again: every notification is mailed under one Message-ID', async () => {
    await killMidDelivery('sqlite');
  }, 180_000);
});
