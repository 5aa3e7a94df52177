// Compares wghub's GET /api/groups/{slug} with a bare node:http JSON server, in the same run,
// on loopback, with the rate limits off (errors counts every answer not 2xx). Prints req/s, p50/p99
// latency, the ratio wghub/bare, cold start and idle RSS. A second bare server answers the very bytes
// wghub answers (its 4 KB group, not a 70-byte stub), and each server's CPU time per request is read
// from /proc around its run: on a 2-core machine where autocannon shares the cores, req/s says as
// much about the load generator as about the server, and CPU per request does not.
// Usage: npm run bench:http [-- --duration 10 --connections 50]
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, servedHubEnv } from './support.ts';

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

/** The CPU time a process has used so far, in microseconds (user + system, from /proc/PID/stat). */
function cpuMicros(pid: number): number {
  // the command name (field 2) may hold spaces: the fields are counted after its closing parenthesis
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime and stime, fields 14 and 15
  return (ticks * 1e6) / 100; // USER_HZ is 100 on Linux
}

async function load(url: string, pid: number) {
  const cpu0 = cpuMicros(pid);
  const r = await autocannon({ url, connections, duration, pipelining: 1 });
  const cpuPerRequest = (cpuMicros(pid) - cpu0) / Math.max(1, r.requests.total);
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx,
    cpuPerRequest,
  };
}

// argv: port, then the body to answer (the stub when none is given)
const BARE = `
const http = require('node:http');
const body = process.argv[2] ?? JSON.stringify({ slug: 'hosting', name: 'Hosting', kind: 'working', status: 'active' });
http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(body); }).listen(Number(process.argv[1]), '127.0.0.1');
`;

const node = process.execPath;
const dir = mkdtempSync(path.join(tmpdir(), 'wghub-bench-'));
// the default governance with its rate limits off: one loopback address sending 30,000 requests a
// second spends a window's reads in a tenth of a second, and the rest would measure the 429s
const env = servedHubEnv(root, dir);
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

  const wghubUrl = `http://127.0.0.1:${port}/api/groups/hosting`;
  const answer = await (await fetch(wghubUrl)).text();
  const barePort = await freePort();
  const bare = spawn(node, ['-e', BARE, String(barePort)], { stdio: 'ignore' });
  const sameBodyPort = await freePort();
  const sameBody = spawn(node, ['-e', BARE, String(sameBodyPort), answer], { stdio: 'ignore' });
  children.push(bare, sameBody);
  await waitFor(`http://127.0.0.1:${barePort}/`, bare);
  await waitFor(`http://127.0.0.1:${sameBodyPort}/`, sameBody);

  // warm each up briefly, then measure the bare servers first, then wghub
  await autocannon({ url: `http://127.0.0.1:${barePort}/`, connections: 10, duration: 2 });
  await autocannon({ url: `http://127.0.0.1:${sameBodyPort}/`, connections: 10, duration: 2 });
  await autocannon({ url: wghubUrl, connections: 10, duration: 2 });
  const b = await load(`http://127.0.0.1:${barePort}/`, bare.pid!);
  const s = await load(`http://127.0.0.1:${sameBodyPort}/`, sameBody.pid!);
  const w = await load(wghubUrl, hub.pid!);
  const loadedRss = rssMb(hub.pid!);

  const f = (n: number) => n.toFixed(0).padStart(8);
  console.log(
    `\nloopback, ${connections} connections, ${duration} s each, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
  );
  console.log(
    `${'server'.padEnd(40)}${'req/s'.padStart(8)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'errors'.padStart(8)}${'CPU µs/req'.padStart(12)}`,
  );
  const row = (name: string, r: typeof b) =>
    console.log(
      `${name.padEnd(40)}${f(r.rps)}${f(r.p50)}${f(r.p99)}${f(r.errors)}${r.cpuPerRequest.toFixed(1).padStart(12)}`,
    );
  row('bare node:http JSON (70-byte stub)', b);
  row(`bare node:http, wghub's ${Buffer.byteLength(answer)} bytes`, s);
  row('wghub GET /api/groups/hosting', w);
  console.log(`ratio wghub/bare: ${(w.rps / b.rps).toFixed(2)} (target >= 0.35), wghub p99 ${w.p99} ms (target < 20)`);
  console.log(
    `against bare answering the same bytes: req/s ${(w.rps / s.rps).toFixed(2)}, CPU per request ${(s.cpuPerRequest / w.cpuPerRequest).toFixed(2)} (bare/wghub)`,
  );
  console.log(`first start (create database, migrate, load demo) to first answer: ${firstStart.toFixed(0)} ms`);
  console.log(`cold start (process start to first successful request): ${coldStart.toFixed(0)} ms (target < 1000)`);
  console.log(`idle RSS: ${idleRss.toFixed(0)} MB (target < 150); RSS after load: ${loadedRss.toFixed(0)} MB`);
} finally {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
