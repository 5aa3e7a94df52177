// GitHub backfill speed against the stand-in (test/support/github-standin.ts, in its own thread):
// N SEP pull requests with C comments each are mirrored as `wghub serve` does it, by a `github.sync`
// job that the hub's GitHub thread (src/cli/github-thread.ts) takes up, while webhook deliveries are
// posted to the hub (in this process's main thread, as in `serve`) and its proposals page and REST
// list are read; then the same reads again with nothing running (idle, same data), and a second
// sync (every list page answered 304). Prints total time, items per second, CPU time, and the
// webhook acknowledgement and read latencies during the backfill next to idle.
// The sync runs where `wghub serve` runs it (the GitHub thread on PostgreSQL, the serving thread on
// SQLite); --in main|thread chooses (on SQLite the thread needs a second connection to the file).
// --interrupt kills the GitHub thread half-way through the pull requests (as a crash would) and
// starts another, which resumes from the stored cursor: prints how long the resumed run took to
// mirror its first new pull request and to finish.
// Usage: node bench/github-backfill.ts --help
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
import { createHub, inTransaction } from '../src/app/core/hub.ts';
import { enqueue } from '../src/app/core/jobs.ts';
import { SYNC_QUEUE } from '../src/app/github/operate.ts';
import { githubThreadEntry, type GithubThreadData } from '../src/cli/github-thread.ts';
import { reactions } from '../src/cli/hub-settings.ts';
import { readJson } from '../src/store/schema.ts';
import type { SyncSummary } from '../src/domain/github/sync-records.ts';
import { githubClient } from '../src/app/github/client.ts';
import { secret } from '../src/app/github/config.ts';
import { syncRepository } from '../src/app/github/sync.ts';
import { createHttpApp } from '../src/http/server.ts';
import { openStore } from '../src/store/connect.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { percentile } from './support.ts';

const HELP = `Usage: node bench/github-backfill.ts [options]

Mirrors N SEP pull requests with C comments each from a GitHub stand-in (its own thread), as
\`wghub serve\` does, while posting signed webhook deliveries and reading /proposals and
/api/proposals; then the same reads idle, and a second sync. Prints the total time, items per
second, and webhook acknowledgement p50/p95 and page/REST read latency during the backfill
next to idle.

Options:
  --pulls N         SEP pull requests to mirror (default 200)
  --comments C      comments on each (default 10; --pulls 5000 --comments 10 is the issue's
                    5,000 items and 50,000 comments)
  --db sqlite|postgres   the database (default sqlite)
  --in main|thread  where the sync runs (default: where serve runs it: the GitHub thread on
                    PostgreSQL, the serving thread on SQLite)
  --interrupt       kill the GitHub thread half-way and let another resume the job
  --pg URL          the PostgreSQL server (default postgres://postgres@127.0.0.1:5432/test)
  --report S        print a progress line every S seconds of the backfill (default 60; 0: none):
                    items mirrored, items/s, webhook ack p50/p95 so far and in the last S seconds,
                    load average; a long run stopped early still leaves its figures
  --help            this text`;

const { values } = parseArgs({
  options: {
    help: { type: 'boolean', default: false },
    pulls: { type: 'string', default: '200' },
    comments: { type: 'string', default: '10' },
    db: { type: 'string', default: 'sqlite' },
    in: { type: 'string' },
    interrupt: { type: 'boolean', default: false },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    report: { type: 'string', default: '60' },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const PULLS = Number(values.pulls);
const COMMENTS = Number(values.comments);
const REPO = 'modelcontextprotocol/modelcontextprotocol';
const SECRET = 'bench-webhook-secret';
const ROOT = path.resolve(import.meta.dirname, '..');
const template = readFileSync(
  path.join(
    process.env.WGHUB_CORPUS_DIR ?? path.join(ROOT, '../shared/corpus/mcp-governance'),
    'spec-repo/seps/2207-oidc-refresh-token-guidance.md',
  ),
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
// with the reactions `wghub serve` runs (notifications, chat, write-back) in each transaction
const hub = createHub(store, governance, { reactions: reactions() });
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
// the GitHub thread, as `wghub serve` starts it (its client from the environment, as there)
process.env.WGHUB_GITHUB_API_URL = standinUrl;
process.env.WGHUB_GITHUB_TOKEN = 'bench-token';
process.env.WGHUB_LOG_LEVEL ??= 'warn';
const threadData: GithubThreadData = { databaseUrl: store.url, governance, leaseMs: 2000 };
const githubThread = () =>
  new Worker(githubThreadEntry(), { workerData: threadData, env: { ...process.env, WGHUB_DATABASE_POOL: '2' } });
const stopThread = (t: Worker) =>
  new Promise<void>((resolve) => {
    t.once('exit', () => resolve());
    t.postMessage('stop');
  });

/** One sync: in the GitHub thread (a queued job, waited for) or, with --in main, right here. */
async function syncOnce(thread: Worker | null): Promise<SyncSummary> {
  if (!thread) return syncRepository(hub, client, REPO);
  const key = `bench:${performance.now()}`;
  await inTransaction(hub, (trx) => enqueue(trx, hub, { queue: SYNC_QUEUE, key, payload: { repo: REPO } }));
  thread.postMessage('wake');
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const job = await store.db.selectFrom('jobs').selectAll().where('key', '=', key).executeTakeFirstOrThrow();
    if (job.failed_at) throw new Error(`the sync failed: ${job.last_error}`);
    if (job.done_at) break;
  }
  const row = await store.db.selectFrom('github_repos').selectAll().where('name', '=', REPO).executeTakeFirstOrThrow();
  return readJson(row.summary)!;
}

const mirroredPulls = async () =>
  Number(
    (
      await store.db
        .selectFrom('github_items')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('kind', '=', 'pull')
        .executeTakeFirstOrThrow()
    ).n,
  );

// where `wghub serve` runs it: the GitHub thread on PostgreSQL, the serving thread on SQLite (github-thread.ts)
const inThread = (values.in ?? (values.db === 'postgres' ? 'thread' : 'main')) === 'thread';
let thread = inThread ? githubThread() : null;
// a progress line every --report seconds, so a run stopped before its end still says how it went
const mirroredComments = async () =>
  Number(
    (
      await store.db
        .selectFrom('github_items')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('hub_type', '=', 'comment')
        .executeTakeFirstOrThrow()
    ).n,
  );
let reported = 0;
const reportEvery = Number(values.report) * 1000;
const progress =
  reportEvery > 0
    ? setInterval(async () => {
        const [pulls, comments] = [await mirroredPulls(), await mirroredComments()];
        const s = (performance.now() - t0) / 1000;
        const last = during.webhook.slice(reported);
        reported = during.webhook.length;
        const p = (xs: number[], q: number) => (xs.length ? percentile(xs, q).toFixed(0) : 'n/a');
        console.log(
          `progress ${new Date().toISOString().slice(11, 19)} UTC  ${s.toFixed(0)} s: ${pulls} PRs, ${comments} comments, ${((pulls + comments) / s).toFixed(1)} items/s; ack p50/p95 so far ${p(during.webhook, 50)}/${p(during.webhook, 95)} ms (n=${during.webhook.length}), last ${values.report} s ${p(last, 50)}/${p(last, 95)} ms (n=${last.length}); load ${loadavg()
            .map((x) => x.toFixed(1))
            .join(' ')}`,
        );
      }, reportEvery)
    : null;
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
const cpu0 = process.threadCpuUsage();
const proc0 = process.cpuUsage();
const t0 = performance.now();
let resume: { atPulls: number; firstNewMs: number; restMs: number; fromPage: number | null } | null = null;
let first: SyncSummary;
if (values.interrupt && thread) {
  // kill the thread once half the pull requests are in, as a crash would; another resumes the job
  const killed = thread;
  const pending = syncOnce(killed).catch(() => null);
  while ((await mirroredPulls()) < PULLS / 2) await new Promise((r) => setTimeout(r, 200));
  await killed.terminate();
  void pending;
  const atPulls = await mirroredPulls();
  const key = (
    await store.db.selectFrom('jobs').select('key').where('queue', '=', SYNC_QUEUE).executeTakeFirstOrThrow()
  ).key!;
  const r0 = performance.now();
  thread = githubThread();
  let firstNewMs = -1;
  const watch = (async () => {
    while (firstNewMs < 0) {
      if ((await mirroredPulls()) > atPulls) firstNewMs = performance.now() - r0;
      else await new Promise((r) => setTimeout(r, 20));
    }
  })();
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const job = await store.db.selectFrom('jobs').selectAll().where('key', '=', key).executeTakeFirstOrThrow();
    if (job.failed_at) throw new Error(`the resumed sync failed: ${job.last_error}`);
    if (job.done_at) break;
  }
  await watch;
  const row = await store.db.selectFrom('github_repos').selectAll().where('name', '=', REPO).executeTakeFirstOrThrow();
  first = readJson(row.summary)!;
  resume = { atPulls, firstNewMs, restMs: performance.now() - r0, fromPage: first.resumedFromPage };
} else first = await syncOnce(thread);
if (progress) clearInterval(progress);
const wall = (performance.now() - t0) / 1000;
const cpu = process.threadCpuUsage(cpu0);
const proc = process.cpuUsage(proc0);
loopDelay.disable();
syncing = false;
await prober;

const idle: Probe = { webhook: [], page: [], rest: [] };
// paced as during the backfill: back to back, the reads ran into the hub's rate limit (429)
for (let i = 0; i < Math.max(30, during.page.length); i++) {
  await probeOnce(idle);
  await new Promise((r) => setTimeout(r, 100));
}

const t1 = performance.now();
const second = await syncOnce(thread);
const again = (performance.now() - t1) / 1000;
if (thread) await stopThread(thread);

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

// after an interruption the summary is the resumed run's: count what the database holds instead
const items = resume ? PULLS * (1 + COMMENTS) : first.pulls + first.comments.added;
const ms = (xs: number[], p: number) => (xs.length ? percentile(xs, p).toFixed(1) : 'n/a');
const line = (name: string, d: number[], i: number[]) =>
  `${name.padEnd(24)} during p50 ${ms(d, 50)} ms  p95 ${ms(d, 95)} ms (n=${d.length})  |  idle p50 ${ms(i, 50)} ms  p95 ${ms(i, 95)} ms (n=${i.length})  |  p95 ratio ${(percentile(d, 95) / percentile(i, 95)).toFixed(2)}`;
const seconds = (u: { user: number; system: number }) => (u.user + u.system) / 1e6;
console.log(
  `GitHub backfill on ${values.db}: ${PULLS} SEP pull requests with ${COMMENTS} comments each; sync ${inThread ? 'in the GitHub thread' : 'on the serving thread'}`,
);
console.log(
  `first sync   ${wall.toFixed(1)} s wall, ${items} items (${first.pulls} PRs, ${first.seps.created} SEPs, ${first.comments.added} comments${resume ? ' in the resumed run' : ''}), ${(items / wall).toFixed(0)} items/s; serving thread CPU ${seconds(cpu).toFixed(1)} s, whole process ${seconds(proc).toFixed(1)} s (stand-in thread included)`,
);
if (resume)
  console.log(
    `interrupted  the GitHub thread killed with ${resume.atPulls} of ${PULLS} PRs mirrored; a new one resumed at list page ${resume.fromPage}, mirrored its first new PR after ${resume.firstNewMs.toFixed(0)} ms and finished in ${(resume.restMs / 1000).toFixed(1)} s`,
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
