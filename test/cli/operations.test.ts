// What an operator sees of a running hub: JSON log lines, readiness, a clean stop on SIGTERM, and a
// worker process that runs jobs without serving HTTP.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { databaseForProcess, databases } from '../support/databases.ts';
import { runCli, startHub, WGHUB } from '../support/process.ts';

function exitOf(child: import('node:child_process').ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
  });
}

describe.each(databases)('running the hub on $name', (database) => {
  it('serve logs each request as JSON with its id, is ready, and stops cleanly on SIGTERM', async () => {
    const db = await databaseForProcess(database);
    const hub = await startHub({ WGHUB_DATABASE_URL: db.url });
    try {
      expect((await fetch(`${hub.base}/readyz`)).status).toBe(200);
      const res = await fetch(`${hub.base}/api/groups`, { headers: { 'X-Request-Id': 'probe-42' } });
      expect(res.headers.get('x-request-id')).toBe('probe-42');
      // the line is written after the answer: wait for it rather than a fixed moment (a loaded machine is slower)
      const lines = () =>
        hub
          .output()
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l));
      for (let i = 0; i < 100 && !lines().some((l) => l.requestId === 'probe-42'); i++)
        await new Promise((r) => setTimeout(r, 50));
      const logged = lines();
      expect(logged).toContainEqual(
        expect.objectContaining({ level: 30, requestId: 'probe-42', route: '/api/groups', status: 200 }),
      );
      const exited = exitOf(hub.child);
      hub.child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(hub.output()).toMatch(/"msg":"shutting down"/);
    } finally {
      if (hub.child.exitCode === null) hub.child.kill('SIGKILL');
      db.cleanup();
    }
  }, 60_000);

  it('serve with WGHUB_DRAIN_MS: after SIGTERM /readyz answers 503 naming why while it still serves; a second signal ends the drain', async () => {
    const db = await databaseForProcess(database);
    // a drain far longer than any test: only the second signal ends it
    const hub = await startHub({ WGHUB_DATABASE_URL: db.url, WGHUB_DRAIN_MS: '600000' }, ['--no-worker']);
    try {
      expect((await fetch(`${hub.base}/readyz`)).status).toBe(200);
      const exited = exitOf(hub.child);
      hub.child.kill('SIGTERM');
      await expect.poll(async () => (await fetch(`${hub.base}/readyz`)).status, { timeout: 10_000 }).toBe(503);
      const ready = await fetch(`${hub.base}/readyz`);
      expect(await ready.json()).toEqual({
        ready: false,
        reason:
          'shutting down (SIGTERM): still serving for WGHUB_DRAIN_MS (600000 ms) while load balancers take this process out of rotation, then closing its connections',
      });
      // alive (a liveness check must not restart it), and still answering what a balancer sends
      expect((await fetch(`${hub.base}/healthz`)).status).toBe(200);
      const groups = await fetch(`${hub.base}/api/groups`);
      expect(groups.status).toBe(200);
      expect(await groups.json()).toHaveProperty('items');
      expect(hub.child.exitCode).toBeNull();
      // an operator who will not wait: the drain ends and the hub stops cleanly
      hub.child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(hub.output()).toMatch(/"msg":"draining: \/readyz answers 503, requests are still served"/);
      // its deliberate 503s were never logged as failed requests
      expect(hub.output()).not.toMatch(/request failed/);
    } finally {
      if (hub.child.exitCode === null) hub.child.kill('SIGKILL');
      db.cleanup();
    }
  }, 60_000);

  it('`wghub worker` works the queue without listening, and stops on SIGTERM', async () => {
    const db = await databaseForProcess(database);
    const env = { ...process.env, WGHUB_DATABASE_URL: db.url };
    // a fresh database is not up to date: --check says what is pending and exits 1, for a script to gate on
    const check = await runCli(['migrate', '--check'], env as Record<string, string>);
    expect([check.code, check.stdout]).toEqual([1, expect.stringMatching(/^pending: 001-/)]);
    expect((await runCli(['migrate'], env as Record<string, string>)).code).toBe(0);
    const child = spawn(WGHUB, ['worker'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    try {
      for (let i = 0; i < 600 && !out.includes('no HTTP'); i++) await new Promise((r) => setTimeout(r, 50));
      expect(out).toMatch(/worker on .*: jobs and timers, no HTTP/);
      // a worker with nothing to do stays up until it is told to stop
      await new Promise((r) => setTimeout(r, 500));
      expect(child.exitCode).toBeNull();
      const exited = exitOf(child);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      db.cleanup();
    }
  }, 60_000);
});
