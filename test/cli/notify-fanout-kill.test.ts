// Two `wghub worker` processes on one PostgreSQL, a decision opened in a group of 60+ members with
// the fan-out threshold lowered to 20 (so the fan-out job path is used, in batches of 2), and the
// worker doing the fan-out killed with -9 between batches: the other takes the job over from its
// cursor once the lease runs out, every member gets exactly one notification, and the loopback SMTP
// server receives each member's mail once, under that notification's Message-ID. The group is small
// and built in this process (a migrated schema, rows inserted directly) so the test stays quick; the
// path is the same as for 10,000 members (bench/notifications.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { loadGovernance } from '../../src/app/core/governance-file.ts';
import { createHub } from '../../src/app/core/hub.ts';
import { openDecision } from '../../src/app/decisions/decisions.ts';
import { proposeGroup } from '../../src/app/groups/groups.ts';
import { notificationsReaction } from '../../src/app/notifications/notify.ts';
import { databases, postgresDatabase } from '../support/databases.ts';
import { person } from '../support/hub.ts';
import { ROOT, WGHUB } from '../support/process.ts';
import { type LoopbackSmtp, startSmtp } from '../support/smtp.ts';

const hasPostgres = databases.some((d) => d.name === 'postgres');
const dir = mkdtempSync(path.join(tmpdir(), 'wghub-notify-fanout-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MEMBERS = 60;

/** Starts `wghub worker`; resolves once it says it works the queue (it prints that line when ready). */
function startWorker(env: Record<string, string>): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(WGHUB, ['worker'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes(' worker on ')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`wghub worker exited with ${code} before it was ready`)));
  });
  ready.catch(() => {}); // awaited below; a worker that dies later (the one killed) is no error
  return { child, ready };
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
    const store = await postgresDatabase.open();
    const env = {
      WGHUB_DATABASE_URL: store.url,
      WGHUB_GOVERNANCE: governance,
      WGHUB_SMTP_URL: smtp.url,
      WGHUB_MAIL_FROM: 'Hub <hub@wg.example.org>',
      WGHUB_LOG_LEVEL: 'warn',
      WGHUB_JOB_LEASE_MS: '3000',
      WGHUB_FANOUT_BATCH: '2',
    };
    // the workers start while this process builds the group (starting a process is the slow part)
    const starting = [startWorker(env), startWorker(env)];
    workers.push(...starting.map((w) => w.child));
    // this process only opens the decision: its reaction, with the threshold at 20, queues the fan-out
    const hub = createHub(store, loadGovernance(governance));
    hub.reactions.push(notificationsReaction({ mail: true, inlineLimit: 20 }));
    try {
      const lead = await person(hub, 'sam-lead', { role: 'member' });
      await proposeGroup(hub, lead, {
        slug: 'hosting',
        name: 'Hosting',
        kind: 'working',
        mission: 'Share practices for hosting MCP servers at scale.',
        scopeIn: ['Scaling'],
        leads: ['sam-lead'],
      });
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
      const extra = Array.from({ length: MEMBERS }, (_, n) => ({
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
            joined_at: new Date().toISOString(),
            last_active_at: new Date().toISOString(),
          })),
        )
        .execute();
      await store.db
        .updateTable('people')
        .set({ email: sql<string>`handle || '@example.org'`, confirmed_email: sql<string>`handle || '@example.org'` })
        .execute();
      const members = extra.map((p) => p.id);

      // both workers ready (they started while the group was being built) before the decision opens
      await Promise.all(starting.map((w) => w.ready));
      await openDecision(hub, lead, {
        group: 'hosting',
        subject: { type: 'process' },
        question: 'Adopt the runbook?',
        significance: 'minor',
      });
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
    }
  }, 180_000);
});
