// GitHub backfill speed against the stand-in (test/support/github-standin.ts, in its own thread):
// N SEP pull requests with C comments each are mirrored by `syncRepository`, as `wghub github
// sync` does, while webhook deliveries are posted to the hub and its proposals page and REST list
// are read; then the same reads again with nothing running (idle, same data), and a second
// sync (every list page answered 304). Prints total time, items per second, the hub thread's CPU
// time, and the webhook acknowledgement and read latencies during the backfill next to idle.
// Usage: node bench/github-backfill.ts [--pulls 5000] [--comments 10] [--db sqlite|postgres]
import { serve } from '@hono/node-server';
import { Webhooks } from '@octokit/webhooks';
import examples from '@octokit/webhooks-examples' with { type: 'json' };
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import { loadGovernance } from '../src/app/core/governance-file.ts';
import { createHub } from '../src/app/core/hub.ts';
import { githubClient } from '../src/app/github/client.ts';
import { secret } from '../src/app/github/config.ts';
import { syncRepository } from '../src/app/github/sync.ts';
import { createHttpApp } from '../src/http/server.ts';
import { openStore } from '../src/store/connect.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { percentile } from './support.ts';

const { values } = parseArgs({
  options: {
    pulls: { type: 'string', default: '5000' },
    comments: { type: 'string', default: '10' },
    db: { type: 'string', default: 'sqlite' },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const PULLS = Number(values.pulls);
const COMMENTS = Number(values.comments);
const REPO = 'modelcontextprotocol/modelcontextprotocol';
const SECRET = 'bench-webhook-secret';
const ROOT = path.resolve(import.meta.dirname, '..');
const template = readFileSync(
  path.join(ROOT, '../shared/corpus/mcp-governance/spec-repo/seps/2207-oidc-refresh-token-guidance.md'),
  'utf8',
);

// the stand-in, in its own thread
const standinThread = new Worker(path.join(import.meta.dirname, 'github-standin-worker.ts'), {
  workerData: { repo: REPO, pulls: PULLS, comments: COMMENTS, template },
});
const standinUrl = await new Promise<string>((resolve) =>
  standinThread.once('message', (m: { url: string }) => resolve(m.url)),
);

// a fresh hub
const dir = mkdtempSync(path.join(tmpdir(), 'wghub-gh-bench-'));
const schema = `gh_bench_${process.pid}`;
if (values.db === 'postgres') {
  const admin = openStore(values.pg!);
  await sql`create schema if not exists ${sql.raw(schema)}`.execute(admin.db);
  await admin.close();
}
const store = openStore(
  values.db === 'postgres' ? `${values.pg}?schema=${schema}` : `sqlite:${path.join(dir, 'hub.sqlite')}`,
);
await migrateToLatest(store.db, store.schema);
const governance = loadGovernance();
governance.github!.repositories = [{ name: REPO, writeBack: false, issues: true }];
const hub = createHub(store, governance);
const app = createHttpApp(hub, undefined, {
  web: { oidc: null, publicUrl: null, secureCookies: false, sessionHours: 24 },
  githubWebhookSecret: secret(SECRET),
});
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
await new Promise<void>((r) => server.once('listening', () => r()));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const client = await githubClient(
  { apiUrl: standinUrl, auth: { kind: 'token', token: secret('bench-token') }, webhookSecret: null, publicUrl: base },
  REPO,
);

// what people and GitHub do meanwhile: a webhook delivery, the proposals page, the REST list
const signer = new Webhooks({ secret: SECRET });
const comment = (examples as unknown as { name: string; examples: { action?: string }[] }[])
  .find((e) => e.name === 'issue_comment')!
  .examples.find((x) => x.action === 'created') as Record<string, any>;
let delivery = 0;
async function timed(fn: () => Promise<Response>): Promise<number> {
  const t = performance.now();
  const r = await fn();
  await r.arrayBuffer();
  if (r.status >= 400) throw new Error(`${r.status} ${r.url}`);
  return performance.now() - t;
}
type Probe = { webhook: number[]; page: number[]; rest: number[] };
async function probeOnce(into: Probe): Promise<void> {
  const n = ++delivery;
  const payload = structuredClone(comment);
  payload.repository.full_name = REPO;
  payload.comment.id = 5_000_000 + n;
  payload.issue.number = 10_000 + (n % Math.max(1, PULLS));
  const body = JSON.stringify(payload);
  const signature = await signer.sign(body);
  into.webhook.push(
    await timed(() =>
      fetch(`${base}/github/webhooks`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'issue_comment',
          'x-github-delivery': `bench-${process.pid}-${n}`,
          'x-hub-signature-256': signature,
        },
        body,
      }),
    ),
  );
  into.page.push(await timed(() => fetch(`${base}/proposals`)));
  into.rest.push(await timed(() => fetch(`${base}/api/proposals?limit=20`)));
}

const during: Probe = { webhook: [], page: [], rest: [] };
let syncing = true;
const prober = (async () => {
  while (syncing) {
    await probeOnce(during);
    await new Promise((r) => setTimeout(r, 100));
  }
})();
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
const cpu0 = process.threadCpuUsage();
const t0 = performance.now();
const first = await syncRepository(hub, client, REPO);
const wall = (performance.now() - t0) / 1000;
const cpu = process.threadCpuUsage(cpu0);
loopDelay.disable();
syncing = false;
await prober;

const idle: Probe = { webhook: [], page: [], rest: [] };
for (let i = 0; i < Math.max(30, during.page.length); i++) await probeOnce(idle);

const t1 = performance.now();
const second = await syncRepository(hub, client, REPO);
const again = (performance.now() - t1) / 1000;

standinThread.postMessage('stop');
const stats = await new Promise<{ requests: number; notModified: number; drift: number; cpuSeconds: number }>(
  (resolve) => standinThread.on('message', (m) => m.stopped && resolve(m)),
);
await standinThread.terminate();
server.close();
await store.close();
if (values.db === 'postgres') {
  const admin = openStore(values.pg!);
  await sql`drop schema if exists ${sql.raw(schema)} cascade`.execute(admin.db);
  await admin.close();
}
rmSync(dir, { recursive: true, force: true });

const items = first.pulls + first.comments.added;
const ms = (xs: number[], p: number) => (xs.length ? percentile(xs, p).toFixed(1) : 'n/a');
const line = (name: string, d: number[], i: number[]) =>
  `${name.padEnd(24)} during p50 ${ms(d, 50)} ms  p95 ${ms(d, 95)} ms (n=${d.length})  |  idle p50 ${ms(i, 50)} ms  p95 ${ms(i, 95)} ms (n=${i.length})  |  p95 ratio ${(percentile(d, 95) / percentile(i, 95)).toFixed(2)}`;
console.log(`GitHub backfill on ${values.db}: ${PULLS} SEP pull requests with ${COMMENTS} comments each`);
console.log(
  `first sync   ${wall.toFixed(1)} s wall, ${items} items (${first.pulls} PRs, ${first.seps.created} SEPs, ${first.comments.added} comments), ${(items / wall).toFixed(0)} items/s; hub thread CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (${(((cpu.user + cpu.system) / 1e6 / wall) * 100).toFixed(0)}% of wall)`,
);
console.log(
  `second sync  ${again.toFixed(2)} s wall, ${second.pagesUnchanged} of ${second.pages} list pages answered 304, ${second.seps.created + second.seps.updated} SEPs changed`,
);
console.log(
  `event loop delay during the backfill: p50 ${(loopDelay.percentile(50) / 1e6).toFixed(1)} ms  p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms  max ${(loopDelay.max / 1e6).toFixed(1)} ms`,
);
console.log(line('webhook acknowledged', during.webhook, idle.webhook));
console.log(line('GET /proposals (page)', during.page, idle.page));
console.log(line('GET /api/proposals', during.rest, idle.rest));
console.log(
  `stand-in: ${stats.requests} requests answered (${stats.notModified} were 304), ${stats.drift} drifted from GitHub's OpenAPI description; its thread's CPU ${stats.cpuSeconds.toFixed(1)} s`,
);
console.log(
  `load average at the end: ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} on ${cpus().length} cores`,
);
