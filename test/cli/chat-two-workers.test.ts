// Two `wghub worker` processes on one PostgreSQL post a group's chat notice once. Worker A posts it
// and stalls (SIGSTOP) before the chat service answers, past its job lease; worker B claims the job,
// finds A's claim on the post still running and waits instead of posting beside it; A goes on, is
// answered, and records the post sent. Before 2026-12-07 B posted the same notice a second time.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/connect.ts';
import { writeJson } from '../../src/store/schema.ts';
import { databaseForProcess, databases } from '../support/databases.ts';
import { runCli, WGHUB } from '../support/process.ts';

const postgres = databases.find((d) => d.name === 'postgres');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

const until = async (what: string, ok: () => Promise<boolean> | boolean, ms = 30_000) => {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe.skipIf(!postgres)('a chat notice from two workers on one PostgreSQL', () => {
  it('posted once though the worker posting it stalls past its lease and the other takes the job', async () => {
    const db = await databaseForProcess(postgres!);
    const store = openStore(db.url);
    const deliveries: string[] = [];
    let answer: () => void = () => {};
    const chat = createServer((req, res) => {
      deliveries.push(String(req.headers['x-wghub-delivery']));
      req.resume();
      // the first post is answered only when the test says so (its worker is stopped meanwhile)
      if (deliveries.length === 1) answer = () => res.writeHead(204).end();
      else res.writeHead(204).end();
    });
    await new Promise<void>((r) => chat.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(chat.address() as { port: number }).port}/hooks/hosting`;
    const env = {
      WGHUB_DATABASE_URL: db.url,
      WGHUB_LOG_LEVEL: 'warn',
      WGHUB_JOB_LEASE_MS: '1500',
      WGHUB_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    };
    const worker = () => {
      const child = spawn(WGHUB, ['worker'], { env: { ...process.env, ...env }, stdio: 'ignore' });
      children.push(child);
      return child;
    };
    try {
      expect((await runCli(['seed'], env)).code).toBe(0);
      expect(
        (await runCli(['--as', 'sam-lead', 'group', 'webhook-add', 'hosting', '--format', 'slack', '--url', url], env))
          .code,
      ).toBe(0);
      const hook = await store.db.selectFrom('group_webhooks').select('id').executeTakeFirstOrThrow();
      const now = new Date().toISOString();
      await store.db
        .insertInto('jobs')
        .values({
          id: 'chat-post-1',
          queue: 'notify.chat',
          key: null,
          payload: writeJson({
            webhook: hook.id,
            message: { event: 'decision-opened', group: 'hosting', title: 'D-9 opened', url, lines: [], at: now },
          }),
          run_at: now,
          attempts: 0,
          max_attempts: 8,
          locked_by: null,
          locked_until: null,
          last_error: null,
          created_at: now,
          done_at: null,
          failed_at: null,
        })
        .execute();
      const a = worker();
      await until('the post from worker A', () => deliveries.length === 1);
      a.kill('SIGSTOP'); // A stalls before it hears the answer, past its lease
      worker();
      const job = () =>
        store.db.selectFrom('jobs').selectAll().where('id', '=', 'chat-post-1').executeTakeFirstOrThrow();
      await until('worker B to take the job and leave the post to A', async () =>
        /another worker is posting it/.test((await job()).last_error ?? ''),
      );
      expect(deliveries).toHaveLength(1);
      a.kill('SIGCONT');
      answer();
      await until('A to record the post sent', async () => {
        const row = await store.db
          .selectFrom('chat_deliveries')
          .select('sent_at')
          .where('id', '=', 'chat-post-1')
          .executeTakeFirst();
        return !!row?.sent_at;
      });
      await new Promise((r) => setTimeout(r, 2000));
      expect(deliveries).toEqual(['chat-post-1']);
    } finally {
      for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
      await new Promise((r) => chat.close(r));
      await store.close();
      db.cleanup();
    }
  }, 120_000);
});
