// Two `wghub serve` processes on one SQLite file (an upgrade side by side, or a second process an
// operator starts by mistake): concurrent comment writes through both lose nothing and never answer
// 5xx. A write transaction begins IMMEDIATE: with a deferred BEGIN it read first and then could not
// become the writer once the other process had committed (SQLITE_BUSY_SNAPSHOT), a 500.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, startHub, stop, type Running } from '../support/process.ts';

describe('two processes on one SQLite file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wghub-two-sqlite-'));
  const governance = path.join(dir, 'governance.yaml');
  const env = { WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'hub.sqlite')}`, WGHUB_GOVERNANCE: governance };
  let a: Running;
  let b: Running;
  let token: string;
  beforeAll(async () => {
    // capacity, not fairness, is under test: rate limits off
    writeFileSync(
      governance,
      readFileSync(path.join(ROOT, 'governance/default.yaml'), 'utf8').replace(
        /rateLimits:\n {2}enabled: true/,
        'rateLimits:\n  enabled: false',
      ),
    );
    a = await startHub(env, [], 60_000);
    b = await startHub(env, ['--no-demo'], 60_000);
    token = JSON.parse((await runCli(['token', 'create', '--person', 'amara', '--json'], env)).stdout).token;
  }, 120_000);
  afterAll(async () => {
    await Promise.all([a, b].filter(Boolean).map((r) => stop(r)));
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every comment written through either process, none with a 5xx, and both read them all', async () => {
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const created = await fetch(`${a.base}/api/proposals`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        title: 'Two processes, one file',
        problem: 'An upgrade runs the old and the new release side by side on one SQLite file.',
        examples: ['A rolling restart'],
        layer: 'working-group-artifact',
        group: 'hosting',
      }),
    });
    expect(created.status).toBe(201);
    const ref = ((await created.json()) as { ref: string }).ref;
    const statuses: number[] = [];
    const until = Date.now() + 2_500;
    const writer = (base: string, name: string) =>
      (async () => {
        for (let i = 0; Date.now() < until; i++) {
          const r = await fetch(`${base}/api/proposals/${ref}/comments`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ body: `${name} ${i}` }),
          });
          await r.arrayBuffer();
          statuses.push(r.status);
        }
      })();
    await Promise.all([0, 1, 2, 3].flatMap((n) => [writer(a.base, `a${n}`), writer(b.base, `b${n}`)]));
    const failed = statuses.filter((s) => s !== 201);
    expect(failed, `${a.output().slice(-2000)}\n${b.output().slice(-2000)}`).toEqual([]);
    for (const base of [a.base, b.base]) {
      const page = (await (await fetch(`${base}/api/proposals/${ref}/comments?limit=1`, { headers })).json()) as {
        total: number;
      };
      expect(page.total).toBe(statuses.length);
    }
  }, 60_000);
});
