// Tool-call latency over Streamable HTTP on loopback: wghub's read-only get_proposal on the
// demo community next to a minimal server built with the same SDK (bench/mcp-minimal.ts), in
// the same run (alternating one-second rounds), 20 concurrent SDK clients each calling in a loop. Prints p50/p99 and the ratio
// wghub/minimal per protocol era (target: p50 and p99 ratios ≤ 2.0).
// Usage: npm run bench:mcp [-- --duration 10 --clients 20]
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, percentile as pct } from './support.ts';

const { values } = parseArgs({
  options: { duration: { type: 'string', default: '10' }, clients: { type: 'string', default: '20' } },
});
const duration = Number(values.duration) * 1000;
const clients = Number(values.clients);
const root = path.resolve(import.meta.dirname, '..');
const node = process.execPath;

async function waitFor(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not answer`);
}

type Era = 'legacy' | 'modern';

type Target = { url: string; tool: string; args: Record<string, unknown>; token?: string };

async function connect(t: Target, era: Era): Promise<Client[]> {
  return Promise.all(
    Array.from({ length: clients }, async () => {
      const c = new Client(
        { name: 'bench', version: '1' },
        { versionNegotiation: era === 'modern' ? { mode: { pin: '2026-07-28' } } : { mode: 'legacy' } },
      );
      await c.connect(
        new StreamableHTTPClientTransport(new URL(t.url), {
          requestInit: { headers: t.token ? { Authorization: `Bearer ${t.token}` } : {} },
        }),
      );
      return c;
    }),
  );
}

/** Every client calls the tool back to back for `ms`; latencies go into `record`. */
async function burst(cs: Client[], t: Target, ms: number, record: number[] | null): Promise<number> {
  let errors = 0;
  const end = performance.now() + ms;
  await Promise.all(
    cs.map(async (c) => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const r = await c.callTool({ name: t.tool, arguments: t.args });
        if (r.isError) errors++;
        record?.push(performance.now() - t0);
      }
    }),
  );
  return errors;
}

/**
 * The two servers take turns in one-second rounds, so both see the same machine load (the
 * benchmark machine is shared); each round has `clients` concurrent clients on one server.
 */
type Figures = { calls: number; perSecond: number; p50: number; p99: number; errors: number };

async function compare(a: Target, b: Target, era: Era): Promise<[Figures, Figures]> {
  const [ca, cb] = [await connect(a, era), await connect(b, era)];
  await burst(ca, a, 1500, null); // warm-up: JIT, connection pools, the hub's read cache
  await burst(cb, b, 1500, null);
  const lat: [number[], number[]] = [[], []];
  const errors = [0, 0];
  for (let round = 0; round < duration / 1000; round++) {
    errors[0]! += await burst(ca, a, 1000, lat[0]);
    errors[1]! += await burst(cb, b, 1000, lat[1]);
  }
  await Promise.all([...ca, ...cb].map((c) => c.close()));
  const figures = (l: number[], e: number): Figures => {
    l.sort((x, y) => x - y);
    return { calls: l.length, perSecond: l.length / (duration / 1000), p50: pct(l, 50), p99: pct(l, 99), errors: e };
  };
  return [figures(lat[0], errors[0]!), figures(lat[1], errors[1]!)];
}

const dir = mkdtempSync(path.join(tmpdir(), 'wghub-bench-mcp-'));
const env = { ...process.env, WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'bench.sqlite')}` };
const children: ChildProcess[] = [];
const wghub = (args: string[]) =>
  execFileSync(node, [path.join(root, 'src/cli/entry.ts'), ...args], { env, encoding: 'utf8' });
try {
  wghub(['seed']);
  wghub([
    '--as',
    'priya',
    'proposal',
    'new',
    '--title',
    'Session affinity guide',
    '--problem',
    'Operators cannot scale stateful MCP servers behind a load balancer.',
    '--example',
    'A gateway loses sessions on every deploy',
    '--layer',
    'working-group-artifact',
    '--group',
    'hosting',
  ]);
  const token = (JSON.parse(wghub(['--json', 'token', 'create', '--person', 'priya'])) as { token: string }).token;

  const hubPort = await freePort();
  const hub = spawn(node, [path.join(root, 'src/cli/entry.ts'), 'serve', '--port', String(hubPort), '--no-demo'], {
    env,
    stdio: 'ignore',
  });
  children.push(hub);
  const minPort = await freePort();
  const min = spawn(node, [path.join(root, 'bench/mcp-minimal.ts'), String(minPort)], { stdio: 'ignore' });
  children.push(min);
  await waitFor(`http://127.0.0.1:${hubPort}/healthz`, hub);
  await waitFor(`http://127.0.0.1:${minPort}/healthz`, min);

  const rows: string[] = [];
  for (const era of ['modern', 'legacy'] as const) {
    const [m, w] = await compare(
      { url: `http://127.0.0.1:${minPort}/mcp`, tool: 'echo', args: { text: 'hi' } },
      { url: `http://127.0.0.1:${hubPort}/mcp`, tool: 'get_proposal', args: { ref: 'P-1' }, token },
      era,
    );
    const f = (x: number) => x.toFixed(1).padStart(7);
    rows.push(
      `${era.padEnd(7)} minimal echo        ${f(m.p50)} ${f(m.p99)} ${String(Math.round(m.perSecond)).padStart(7)} ${String(m.errors).padStart(6)}`,
    );
    rows.push(
      `${era.padEnd(7)} wghub get_proposal  ${f(w.p50)} ${f(w.p99)} ${String(Math.round(w.perSecond)).padStart(7)} ${String(w.errors).padStart(6)}`,
    );
    rows.push(
      `${era.padEnd(7)} ratio wghub/minimal ${(w.p50 / m.p50).toFixed(2).padStart(7)} ${(w.p99 / m.p99).toFixed(2).padStart(7)}   (target ≤ 2.0)`,
    );
  }
  console.log(
    `MCP tool-call latency over Streamable HTTP, loopback, ${clients} concurrent clients, ${duration / 1000} one-second rounds per server, alternating (SQLite, demo community)`,
  );
  console.log('era     server              p50 ms  p99 ms  calls/s errors');
  for (const r of rows) console.log(r);
} finally {
  for (const c of children) c.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
