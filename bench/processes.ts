// Real `wghub serve` processes, measured from outside over loopback HTTP:
// 1. read throughput of one process, then of two on the same database and machine (clients split
//    their connections between the two, a round-robin on the client side), as a ratio;
// 2. a reader's latency (one request after another, `GET /proposals/{ref}` as a visitor, the web
//    page) idle and while 8 writers comment on another proposal as fast as the hub answers them,
//    through the same one process (the writers on a thread of their own, so that the reader's timing
//    holds only the hub's delay, not the writers' client work).
// Rate limits are off (a governance copy with `rateLimits.enabled: false`): this measures capacity.
// `--rate-limits counted` keeps them on with budgets no run reaches, so every request pays for its
// counting (on PostgreSQL, in the shared `rate_limits` table) and none is refused: the cost of the limits.
// Usage: node bench/processes.ts [--db postgres|sqlite] [--duration 10] [--connections 50] [--writers 8]
//        [--rate-limits off|counted]
import autocannon from 'autocannon';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { freePort, percentile } from './support.ts';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'postgres' },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    writers: { type: 'string', default: '8' },
    'rate-limits': { type: 'string', default: 'off' },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const root = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(tmpdir(), 'wghub-processes-'));
const schema = `procs_${process.pid}`;
const governance = path.join(dir, 'governance.yaml');
const defaults = readFileSync(path.join(root, 'governance/default.yaml'), 'utf8');
const unreached = 1_000_000_000;
writeFileSync(
  governance,
  values['rate-limits'] === 'counted'
    ? defaults
        .replace(/^( {2}(?:reads|searches|writes|probes|registrations): )\d+$/gm, `$1${unreached}`)
        .replace(/^( {2}inFlight: )\d+$/m, '$1100')
        .replace(
          /^ {2}perSecond: .*$/m,
          `  perSecond: { reads: ${unreached}, searches: ${unreached}, writes: ${unreached}, probes: ${unreached}, registrations: ${unreached} }`,
        )
    : defaults.replace(/rateLimits:\n {2}enabled: true/, 'rateLimits:\n  enabled: false'),
);
if (values.db === 'postgres') {
  const c = new pg.Client({ connectionString: values.pg });
  await c.connect();
  await c.query(`create schema ${schema}`);
  await c.end();
}
const env = {
  ...process.env,
  WGHUB_DATABASE_URL:
    values.db === 'postgres' ? `${values.pg}?schema=${schema}` : `sqlite:${path.join(dir, 'hub.sqlite')}`,
  WGHUB_GOVERNANCE: governance,
  WGHUB_LOG_LEVEL: 'warn',
};
const wghub = (...args: string[]) =>
  execFileSync(path.join(root, 'bin/wghub'), args, { env, stdio: 'pipe' }).toString();

const children: ChildProcess[] = [];
async function start(args: string[] = []): Promise<string> {
  const port = await freePort();
  const child = spawn(path.join(root, 'bin/wghub'), ['serve', '--port', String(port), ...args], {
    env,
    stdio: 'ignore',
  });
  children.push(child);
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`wghub serve exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/readyz`)).ok) return base;
    } catch {
      /* not yet */
    }
    if (i > 1800) throw new Error('the hub did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function throughput(urls: string[]) {
  const runs = await Promise.all(
    urls.map((url) =>
      autocannon({ url, connections: Math.max(1, Math.round(connections / urls.length)), duration, pipelining: 1 }),
    ),
  );
  return {
    rps: runs.reduce((s, r) => s + r.requests.average, 0),
    p50: Math.max(...runs.map((r) => r.latency.p50)),
    p99: Math.max(...runs.map((r) => r.latency.p99)),
    errors: runs.reduce((s, r) => s + r.errors + r.non2xx, 0),
  };
}

try {
  console.log(
    `\n${values.db}, rate limits ${values['rate-limits']}, ${new Date().toISOString()}, Node ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const a = await start(); // loads the demo community
  const token = JSON.parse(wghub('token', 'create', '--person', 'amara', '--json')).token as string;
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const propose = async (title: string) => {
    const r = await fetch(`${a}/api/proposals`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        title,
        problem: 'A stream cut by a deploy cannot be resumed on another server process.',
        examples: ['A rolling deploy drops every open stream'],
        layer: 'working-group-artifact',
        group: 'hosting',
      }),
    });
    if (r.status !== 201) throw new Error(`could not create a proposal: ${r.status} ${await r.text()}`);
    return ((await r.json()) as { ref: string }).ref;
  };
  const read = await propose('Resumable streams behind load balancers');
  const written = await propose('Where the writes go');
  for (let i = 0; i < 20; i++) {
    await fetch(`${a}/api/proposals/${read}/comments`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ body: `Comment ${i}: we see this at **our** deploys too.` }),
    });
  }

  // 1. read throughput, one process then two
  const path1 = `/api/proposals/${read}`;
  await throughput([`${a}${path1}`]); // warm-up (JIT, caches)
  const one = await throughput([`${a}${path1}`]);
  const b = await start(['--no-demo']);
  await throughput([`${a}${path1}`, `${b}${path1}`]);
  const two = await throughput([`${a}${path1}`, `${b}${path1}`]);
  console.log(
    `GET ${path1}, ${connections} connections, ${duration} s: 1 process ${one.rps.toFixed(0)} req/s (p50 ${one.p50} ms, p99 ${one.p99} ms, ${one.errors} errors); 2 processes ${two.rps.toFixed(0)} req/s (p50 ${two.p50} ms, p99 ${two.p99} ms, ${two.errors} errors); ratio ${(two.rps / one.rps).toFixed(2)}`,
  );
  children.pop()!.kill('SIGTERM');

  // 2. a reader idle and while writers comment elsewhere, through process A
  const reader = async (ms: number) => {
    const times: number[] = [];
    const end = performance.now() + ms;
    while (performance.now() < end) {
      const t = performance.now();
      const r = await fetch(`${a}/proposals/${read}`, { headers: { accept: 'text/html', 'accept-encoding': 'gzip' } });
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`the reader got ${r.status}`);
      times.push(performance.now() - t);
    }
    return times;
  };
  await reader(1000);
  const idle = await reader(duration * 1000);
  // the writers run on a thread of their own (bench/comment-writers.ts): their client work would
  // otherwise share the event loop that times the reader
  const writers = new Worker(new URL('./comment-writers.ts', import.meta.url), {
    workerData: { url: `${a}/api/proposals/${written}/comments`, auth, writers: Number(values.writers) },
  });
  const counts = () =>
    new Promise<{ comments: number; failed: number }>((resolve) => {
      writers.once('message', resolve);
      writers.postMessage('count');
    });
  await new Promise((r) => setTimeout(r, 500));
  const before = (await counts()).comments;
  const busy = await reader(duration * 1000);
  const at = await counts();
  const rate = (at.comments - before) / duration;
  const failed = at.failed;
  const done = new Promise<void>((resolve) => writers.on('message', (m: { done?: boolean }) => m.done && resolve()));
  writers.postMessage('stop');
  await done;
  await writers.terminate();
  console.log(
    `reader GET /proposals/${read} (visitor): idle p50 ${percentile(idle, 50).toFixed(1)} ms p99 ${percentile(idle, 99).toFixed(1)} ms; with ${values.writers} writers (${rate.toFixed(0)} comments/s on another proposal, ${failed} failed) p50 ${percentile(busy, 50).toFixed(1)} ms p99 ${percentile(busy, 99).toFixed(1)} ms; ratio p50 ${(percentile(busy, 50) / percentile(idle, 50)).toFixed(1)}× p99 ${(percentile(busy, 99) / percentile(idle, 99)).toFixed(1)}×`,
  );
} finally {
  for (const c of children) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  if (values.db === 'postgres') {
    const c = new pg.Client({ connectionString: values.pg });
    await c.connect();
    await c.query(`drop schema if exists ${schema} cascade`);
    await c.end();
  }
  rmSync(dir, { recursive: true, force: true });
}
