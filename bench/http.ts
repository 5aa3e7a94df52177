// Compares wghub's GET /api/groups/{slug} with a bare node:http JSON server, in the same run,
// on loopback, with the rate limits off (errors counts every answer not 2xx). Prints req/s, p50/p99
// latency, the ratio wghub/bare, cold start and idle RSS.
// Usage: npm run bench:http [-- --duration 10 --connections 50]
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from './support.ts';

const { values } = parseArgs({
  options: { duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '50' } },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const root = path.resolve(import.meta.dirname, '..');

async function waitFor(url: string, child: ChildProcess, timeoutMs = 30_000): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode}`);
    try {
      const r = await fetch(url);
      if (r.ok) return performance.now() - start;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`${url} did not answer`);
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function load(url: string) {
  const r = await autocannon({ url, connections, duration, pipelining: 1 });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

const BARE = `
const http = require('node:http');
const body = JSON.stringify({ slug: 'hosting', name: 'Hosting', kind: 'working', status: 'active' });
http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(body); }).listen(Number(process.argv[1]), '127.0.0.1');
`;

const node = process.execPath;
const dir = mkdtempSync(path.join(tmpdir(), 'wghub-bench-'));
// the default governance with its rate limits off: one loopback address sending 30,000 requests a
// second spends a window's reads in a tenth of a second, and the rest would measure the 429s
const governance = path.join(dir, 'governance.yaml');
const rules = readFileSync(path.join(root, 'governance/default.yaml'), 'utf8');
if (!/^rateLimits:\n {2}enabled: true$/m.test(rules))
  throw new Error('governance/default.yaml: rateLimits.enabled not found');
writeFileSync(governance, rules.replace(/^rateLimits:\n {2}enabled: true$/m, 'rateLimits:\n  enabled: false'));
const env = {
  ...process.env,
  WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'bench.sqlite')}`,
  WGHUB_GOVERNANCE: governance,
};
const children: ChildProcess[] = [];
try {
  // First start creates the database and loads the demo community; the second start is the cold start we report.
  const p0 = await freePort();
  const first = spawn(path.join(root, 'bin/wghub'), ['serve', '--port', String(p0)], { env, stdio: 'ignore' });
  children.push(first);
  const firstStart = await waitFor(`http://127.0.0.1:${p0}/api/groups/hosting`, first);
  first.kill('SIGTERM');
  await new Promise((r) => first.once('exit', r));

  const port = await freePort();
  const t0 = performance.now();
  const hub = spawn(path.join(root, 'bin/wghub'), ['serve', '--port', String(port)], { env, stdio: 'ignore' });
  children.push(hub);
  await waitFor(`http://127.0.0.1:${port}/api/groups/hosting`, hub);
  const coldStart = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 1000));
  const idleRss = rssMb(hub.pid!);

  const barePort = await freePort();
  const bare = spawn(node, ['-e', BARE, String(barePort)], { stdio: 'ignore' });
  children.push(bare);
  await waitFor(`http://127.0.0.1:${barePort}/`, bare);

  // warm both up briefly, then measure bare first, then wghub
  await autocannon({ url: `http://127.0.0.1:${barePort}/`, connections: 10, duration: 2 });
  await autocannon({ url: `http://127.0.0.1:${port}/api/groups/hosting`, connections: 10, duration: 2 });
  const b = await load(`http://127.0.0.1:${barePort}/`);
  const w = await load(`http://127.0.0.1:${port}/api/groups/hosting`);
  const loadedRss = rssMb(hub.pid!);

  const f = (n: number) => n.toFixed(0).padStart(8);
  console.log(
    `\nloopback, ${connections} connections, ${duration} s each, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
  );
  console.log(
    `${'server'.padEnd(34)}${'req/s'.padStart(8)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'errors'.padStart(8)}`,
  );
  console.log(`${'bare node:http JSON'.padEnd(34)}${f(b.rps)}${f(b.p50)}${f(b.p99)}${f(b.errors)}`);
  console.log(`${'wghub GET /api/groups/hosting'.padEnd(34)}${f(w.rps)}${f(w.p50)}${f(w.p99)}${f(w.errors)}`);
  console.log(`ratio wghub/bare: ${(w.rps / b.rps).toFixed(2)} (target >= 0.35), wghub p99 ${w.p99} ms (target < 20)`);
  console.log(`first start (create database, migrate, load demo) to first answer: ${firstStart.toFixed(0)} ms`);
  console.log(`cold start (process start to first successful request): ${coldStart.toFixed(0)} ms (target < 1000)`);
  console.log(`idle RSS: ${idleRss.toFixed(0)} MB (target < 150); RSS after load: ${loadedRss.toFixed(0)} MB`);
} finally {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
