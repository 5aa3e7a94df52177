// Does one token's flood slow another token's reads? A real `wghub serve` (SQLite, demo
// community): token B reads a proposal one request at a time, first alone, then while token A
// floods the hub with searches and writes from many connections (autocannon). Prints B's p50 and
// p99 in both phases, the ratio (target: p50 within 3× of the quiet phase), and how many of A's
// requests were refused (429) by the rate limits.
// Usage: node bench/flood.ts [--duration 10 --connections 50]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { freePort, percentile } from './support.ts';

const { values } = parseArgs({
  options: { duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '50' } },
});
const duration = Number(values.duration);
const root = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(tmpdir(), 'wghub-flood-'));
const env = { ...process.env, WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'hub.sqlite')}` };
const wghub = (...args: string[]) =>
  execFileSync(path.join(root, 'bin/wghub'), args, { env, stdio: 'pipe' }).toString();
const port = await freePort();
const hub = spawn(path.join(root, 'bin/wghub'), ['serve', '--port', String(port)], { env, stdio: 'ignore' });
const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${base}/healthz`)).ok) break;
  } catch {
    if (i > 1200) throw new Error('the hub did not start');
  }
  await new Promise((r) => setTimeout(r, 100));
}
const token = (handle: string) => JSON.parse(wghub('token', 'create', '--person', handle, '--json')).token as string;
const a = token('priya');
const b = token('sam-lead');

async function readsOfB(ms: number): Promise<number[]> {
  const out: number[] = [];
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const t = performance.now();
    const r = await fetch(`${base}/api/proposals/P-1`, { headers: { authorization: `Bearer ${b}` } });
    await r.arrayBuffer();
    out.push(performance.now() - t);
  }
  return out;
}

const quiet = await readsOfB(duration * 1000);
const flood = autocannon({
  url: base,
  connections: Number(values.connections),
  duration,
  headers: { authorization: `Bearer ${a}`, 'content-type': 'application/json' },
  requests: [
    { method: 'GET', path: '/api/search?q=session%20affinity' },
    { method: 'POST', path: '/api/proposals/P-1/comments', body: JSON.stringify({ body: 'flood '.repeat(200) }) },
  ],
});
const loud = await readsOfB(duration * 1000);
const result = await flood;
hub.kill();
rmSync(dir, { recursive: true, force: true });
const fmt = (xs: number[]) =>
  `p50 ${percentile(xs, 50).toFixed(1)} ms, p99 ${percentile(xs, 99).toFixed(1)} ms (${xs.length} reads)`;
console.log(`token B alone:          ${fmt(quiet)}`);
console.log(`token B during A flood: ${fmt(loud)}`);
console.log(
  `ratio p50 ${(percentile(loud, 50) / percentile(quiet, 50)).toFixed(2)}, p99 ${(percentile(loud, 99) / percentile(quiet, 99)).toFixed(2)} (target p50 ≤ 3)`,
);
console.log(
  `token A sent ${result.requests.total} requests: ${result['2xx']} answered, ${result.non2xx} refused (429 after its budget)`,
);
