// Does one token's flood slow another token's reads? A real `wghub serve` (SQLite, demo
// community): token B reads a proposal at a steady 25 reads a second (well within its own budget),
// first alone, then while token A floods the hub with searches and comment writes from many
// connections (bench/flood-client.ts, a process of its own). The flood runs at fixed rates a real
// misbehaving client reaches (500 and 2,000 requests a second) and then unbounded (as fast as the
// hub answers; on a small machine the flooder then takes a core of its own). Each flood phase is
// compared with a quiet phase just before it, so a shared machine's drifting load is not counted
// as the flood's.
// Prints, per phase: A's requests per second and how many were refused (429), B's p50 and p99
// alone and during the flood and their ratio (target: p50 within 3×), and the hub's CPU time per
// flood request (from /proc: what refusing costs, a figure the machine's other load barely moves).
// Usage: node bench/flood.ts [--duration 10] [--connections 50] [--rates 500,2000,0]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, percentile } from './support.ts';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    rates: { type: 'string', default: '500,2000,0' },
  },
});
const duration = Number(values.duration);
const root = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(tmpdir(), 'wghub-flood-'));
const env = { ...process.env, WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'hub.sqlite')}` };
const wghub = (...args: string[]) =>
  execFileSync(path.join(root, 'bin/wghub'), args, { env, stdio: 'pipe' }).toString();
const port = await freePort();
// bin/wghub execs Node, so this pid is the hub's own process
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
// the proposal B reads and A comments on (the demo community has groups and people, no proposals)
const created = await fetch(`${base}/api/proposals`, {
  method: 'POST',
  headers: { authorization: `Bearer ${b}`, 'content-type': 'application/json' },
  body: JSON.stringify({
    title: 'Session affinity guide',
    problem: 'Operators cannot scale stateful MCP servers behind a load balancer without session affinity.',
    layer: 'supporting-resource',
  }),
});
const ref = ((await created.json()) as { ref: string }).ref;
if (created.status !== 201) throw new Error(`could not create the proposal: ${created.status}`);

const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim() || 100);
/** CPU time (user + system) the hub has used so far, in milliseconds. */
function hubCpuMs(): number {
  const fields = readFileSync(`/proc/${hub.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let refusedB = 0;
/** B's reads, one every 40 ms, for `ms`: each one's time to the full answer. */
async function readsOfB(ms: number): Promise<number[]> {
  const out: number[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const t = performance.now();
    const r = await fetch(`${base}/api/proposals/${ref}`, { headers: { authorization: `Bearer ${b}` } });
    if (r.status === 200) await r.arrayBuffer();
    if (r.status !== 200 && refusedB++ === 0) console.log('B refused:', r.status, await r.text());
    out.push(performance.now() - t);
    await sleep(Math.max(0, 40 - (performance.now() - t)));
  }
  return out;
}

type FloodResult = { total: number; ok: number; refused: number; other: number; errors: number; seconds: number };
function flood(rate: number): Promise<FloodResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        path.join(import.meta.dirname, 'flood-client.ts'),
        base,
        a,
        ref,
        String(rate),
        String(duration),
        values.connections!,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`flooder exited ${code}`))));
  });
}

await readsOfB(2000); // warm the hub's read path and caches before anything is measured
const rows: string[] = [];
for (const rate of values.rates!.split(',').map(Number)) {
  let cpu = hubCpuMs();
  const quiet = await readsOfB(duration * 1000);
  const quietCpu = hubCpuMs() - cpu;
  cpu = hubCpuMs();
  const flooding = flood(rate);
  await sleep(500); // the flooder's Node starting
  const loud = await readsOfB((duration - 1) * 1000);
  const result = await flooding;
  const loudCpu = hubCpuMs() - cpu;
  // the hub's CPU beyond what B's reads cost in the same time, per request A sent
  const perRequest = (loudCpu - (quietCpu * (duration - 0.5)) / duration) / result.total;
  const ratio = (p: number) => (percentile(loud, p) / percentile(quiet, p)).toFixed(1);
  rows.push(
    [
      `A at ${rate ? `${rate} req/s` : 'unbounded'}: sent ${(result.total / result.seconds).toFixed(0)} req/s,`,
      `${((100 * result.refused) / Math.max(1, result.total)).toFixed(1)}% refused (429), ${(result.ok / result.seconds).toFixed(0)} answered/s`,
      `(within A's budget), ${result.other} other non-2xx, ${result.errors} errors;`,
      `hub CPU ${(perRequest * 1000).toFixed(0)} µs per A request.`,
      `B p50 ${percentile(quiet, 50).toFixed(1)} → ${percentile(loud, 50).toFixed(1)} ms (${ratio(50)}×),`,
      `p99 ${percentile(quiet, 99).toFixed(1)} → ${percentile(loud, 99).toFixed(1)} ms (${ratio(99)}×)`,
    ].join(' '),
  );
  console.log(rows.at(-1));
}
hub.kill();
rmSync(dir, { recursive: true, force: true });
console.log(`B's reads refused: ${refusedB} (must be 0: B stays within its own budget). Target: B's p50 ratio ≤ 3.`);
