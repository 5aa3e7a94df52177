// Where a read's bytes are allocated: starts `wghub serve` (rate limits off, the demo community)
// with the inspector on, warms it up, then runs a sampling heap profile that keeps the objects the
// young and old collections freed (V8 counts every sampled allocation, not only what survives)
// around a fixed number of requests, and prints the bytes allocated per request, the CPU time per
// request and the functions and files that allocate most (self bytes). `--out FILE` also writes the
// profile (open it in Chrome DevTools' Memory tab).
// Usage: node bench/http-alloc.ts [--path /api/groups/hosting] [--requests 20000] [--top 40]
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, servedHubEnv } from './support.ts';

const { values } = parseArgs({
  options: {
    path: { type: 'string', default: '/api/groups/hosting' },
    requests: { type: 'string', default: '20000' },
    top: { type: 'string', default: '40' },
    out: { type: 'string' },
    interval: { type: 'string', default: '4096' },
    cpu: { type: 'boolean', default: false },
  },
});
const root = path.resolve(import.meta.dirname, '..');
const requests = Number(values.requests);

async function waitFor(url: string, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const start = performance.now();
  while (performance.now() - start < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${url} did not answer`);
}

function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
}

/** A minimal Chrome DevTools Protocol client over the inspector's WebSocket. */
async function inspector(port: number) {
  const list = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  const ws = new WebSocket(list[0]!.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  let id = 0;
  const waiting = new Map<number, (r: unknown) => void>();
  ws.onmessage = (m) => {
    const msg = JSON.parse(String(m.data)) as { id?: number; result?: unknown; error?: unknown };
    if (msg.id !== undefined) waiting.get(msg.id)?.(msg.error ? Promise.reject(msg.error) : msg.result);
  };
  return {
    send: (method: string, params: object = {}) =>
      new Promise<unknown>((resolve) => {
        waiting.set(++id, resolve);
        ws.send(JSON.stringify({ id, method, params }));
      }),
    close: () => ws.close(),
  };
}

type ProfileNode = {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
};

const dir = mkdtempSync(path.join(tmpdir(), 'wghub-alloc-'));
const env = servedHubEnv(root, dir);
const children: ChildProcess[] = [];
try {
  const p0 = await freePort();
  const first = spawn(path.join(root, 'bin/wghub'), ['serve', '--port', String(p0)], { env, stdio: 'ignore' });
  children.push(first);
  await waitFor(`http://127.0.0.1:${p0}/api/groups/hosting`, first);
  first.kill('SIGTERM');
  await new Promise((r) => first.once('exit', r));

  const port = await freePort();
  const inspectPort = await freePort();
  const hub = spawn(path.join(root, 'bin/wghub'), ['serve', '--port', String(port)], {
    env: { ...env, NODE_OPTIONS: `--inspect=127.0.0.1:${inspectPort}` },
    stdio: 'ignore',
  });
  children.push(hub);
  const url = `http://127.0.0.1:${port}${values.path}`;
  await waitFor(url, hub);
  await autocannon({ url, connections: 10, duration: 2 });
  const cdp = await inspector(inspectPort);
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.startSampling', {
    samplingInterval: Number(values.interval),
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  if (values.cpu) {
    await cdp.send('HeapProfiler.stopSampling');
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
  }
  const cpu0 = cpuMicros(hub.pid!);
  const r = await autocannon({ url, connections: 50, amount: requests });
  const cpu = (cpuMicros(hub.pid!) - cpu0) / r.requests.total;
  if (values.cpu) {
    const { profile } = (await cdp.send('Profiler.stop')) as {
      profile: { nodes: (ProfileNode & { id: number; hitCount: number })[] };
    };
    if (values.out) writeFileSync(values.out, JSON.stringify(profile));
    const self = new Map<string, number>();
    let hits = 0;
    for (const n of profile.nodes) {
      const f = n.callFrame;
      const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^file:\/\//, '').replace(`${root}/`, '')}:${f.lineNumber + 1}`;
      self.set(key, (self.get(key) ?? 0) + n.hitCount);
      hits += n.hitCount;
    }
    console.log(
      `${values.path}: ${r.requests.total} requests, ${cpu.toFixed(1)} µs CPU per request (profiler attached)`,
    );
    for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top)))
      console.log(`${((100 * v) / hits).toFixed(1).padStart(5)} %  ${k}`);
    // process.exit skips the `finally` below: the hub it started is stopped here, or it outlives the bench
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }
  const { profile } = (await cdp.send('HeapProfiler.stopSampling')) as { profile: { head: ProfileNode } };
  cdp.close();
  if (values.out) writeFileSync(values.out, JSON.stringify(profile));

  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  const walk = (n: ProfileNode) => {
    const f = n.callFrame;
    const file = f.url.replace(/^file:\/\//, '').replace(`${root}/`, '') || '(native)';
    const key = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + n.selfSize);
    byFile.set(file, (byFile.get(file) ?? 0) + n.selfSize);
    total += n.selfSize;
    for (const c of n.children) walk(c);
  };
  walk(profile.head);
  const per = (b: number) => `${(b / r.requests.total).toFixed(0).padStart(7)} B`;
  console.log(
    `${values.path}: ${r.requests.total} requests (${r.non2xx} not 2xx), ${(total / r.requests.total / 1024).toFixed(1)} KB allocated and ${cpu.toFixed(1)} µs CPU per request (inspector attached)`,
  );
  const top = Number(values.top);
  console.log('\nby function (self bytes per request):');
  for (const [k, v] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${per(v)}  ${k}`);
  console.log('\nby file:');
  for (const [k, v] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${per(v)}  ${k}`);
} finally {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
