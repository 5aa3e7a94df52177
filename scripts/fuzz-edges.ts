// An attacker's round against the edges, in-process: a hub in memory with the demo community, every
// REST route of the OpenAPI document and every MCP tool sent hostile values (lone surrogates, NUL,
// right-to-left overrides, 300,000-character tokens, huge arrays, deep nesting, numbers past any
// column, malformed bodies), as a lead maintainer so requests get past authorization. It prints
// each answer that is a 5xx (REST) or an internal error (MCP), and each slower than a limit; it
// exits 1 when there is any. Rate limits are off: the point is what a request does once admitted.
// Usage: node scripts/fuzz-edges.ts [--slow-ms 500]
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { loadGovernance } from '../src/app/core/governance-file.ts';
import { createHub, SYSTEM } from '../src/app/core/hub.ts';
import { loadDemoCommunity } from '../src/app/demo/demo.ts';
import { createToken } from '../src/app/people/tokens.ts';
import { createHttpApp } from '../src/http/server.ts';
import { createWghubMcpServer } from '../src/mcp/server.ts';
import { openStore } from '../src/store/connect.ts';
import { migrateToLatest } from '../src/store/migrate.ts';

const slowMs = Number(process.argv[process.argv.indexOf('--slow-ms') + 1]) || 500;
const STRINGS = ['\uD800', 'x\u0000y', '\u202Eevil', 'a'.repeat(300_000), '', ' ', '../..', '%00', '<script>', '1e309'];
const VALUES: unknown[] = [...STRINGS, 1e300, -1, 2 ** 53, 2_147_483_648, true, null, [], {}, Array(20_000).fill('a')];
const BODIES = ['', '{', 'null', '[]', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, '{"__proto__":{"x":1}}'];
const IDS = ['hosting', 'P-1', 'SEP-1686', 'D-1', 'M-1', 'priya', 'P-99999999999', '%ED%A0%80', 'a'.repeat(600)];

const store = openStore('sqlite::memory:');
await migrateToLatest(store.db, store.schema);
const governance = loadGovernance();
const hub = createHub(store, { ...governance, rateLimits: { ...governance.rateLimits, enabled: false } });
await loadDemoCommunity(hub, { work: true });
const token = (await createToken(hub, SYSTEM, 'lena-core')).token;
const app = createHttpApp(hub);
const found: string[] = [];

async function timed<T>(what: string, act: () => Promise<T>): Promise<T> {
  const at = performance.now();
  const out = await act();
  const ms = performance.now() - at;
  if (ms > slowMs) found.push(`slow ${ms.toFixed(0)} ms: ${what}`);
  return out;
}

// REST: each route with each placeholder filled, each body field given each hostile value
type Operation = { requestBody?: { content?: { 'application/json'?: { schema?: { properties?: object } } } } };
const spec = (await (await app.request('http://localhost/api/openapi.json')).json()) as {
  paths: Record<string, Record<string, Operation>>;
};
let requests = 0;
for (const [template, operations] of Object.entries(spec.paths))
  for (const [method, op] of Object.entries(operations))
    for (const id of IDS) {
      const path = template.replace(/\{[^}]+\}/g, id);
      const fields = Object.keys(op.requestBody?.content?.['application/json']?.schema?.properties ?? {});
      const bodies =
        method === 'get' || method === 'delete'
          ? [undefined]
          : id === IDS[0]
            ? [...BODIES, ...fields.flatMap((f) => VALUES.map((v) => JSON.stringify({ [f]: v })))]
            : ['{}'];
      for (const body of bodies) {
        requests++;
        const what = `${method.toUpperCase()} ${path.slice(0, 80)} ${body?.slice(0, 60) ?? ''}`;
        const res = await timed(what, async () =>
          app.request(`http://localhost${path}`, {
            method: method.toUpperCase(),
            headers: {
              Authorization: `Bearer ${token}`,
              'If-Match': '"v1"',
              ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
            },
            ...(body === undefined ? {} : { body }),
          }),
        );
        const text = await res.text();
        if (res.status >= 500) found.push(`${res.status}: ${what} → ${text.slice(0, 200)}`);
      }
    }

// MCP: each tool with each argument given each hostile value, the others as a valid call has them
const server = createWghubMcpServer(hub, {
  actor: {
    kind: 'person',
    person: await hub.store.db
      .selectFrom('people')
      .selectAll()
      .where('handle', '=', 'lena-core')
      .executeTakeFirstOrThrow(),
  },
});
const [a, b] = InMemoryTransport.createLinkedPair();
await server.connect(a);
const client = new Client({ name: 'fuzz-edges', version: '1' });
await client.connect(b);
const valid: Record<string, string> = {
  group: 'hosting',
  ref: 'P-1',
  handle: 'priya',
  decision: 'D-1',
  meeting: 'M-1',
};
let calls = 0;
for (const tool of (await client.listTools()).tools) {
  if (tool.name === 'verify_evidence') continue; // connects to other servers: bench/ has its own
  const args = Object.keys(tool.inputSchema.properties ?? {});
  const base = Object.fromEntries(args.filter((k) => k in valid).map((k) => [k, valid[k]]));
  for (const arg of args)
    for (const v of VALUES) {
      calls++;
      const what = `${tool.name} ${arg}=${JSON.stringify(v)?.slice(0, 40)}`;
      try {
        const r = await timed(what, () => client.callTool({ name: tool.name, arguments: { ...base, [arg]: v } }));
        const text = ((r.content ?? []) as { text?: string }[]).map((c) => c.text ?? '').join(' ');
        if (r.isError && /internal|TypeError|ReferenceError|SqliteError/i.test(text))
          found.push(`tool error: ${what} → ${text.slice(0, 200)}`);
      } catch (e) {
        const code = (e as { code?: number }).code;
        if (code !== -32602) found.push(`${code}: ${what} → ${String((e as Error).message).slice(0, 200)}`);
      }
    }
}
await client.close();
await store.close();

console.log(`${requests} REST requests, ${calls} MCP tool calls; ${found.length} findings`);
for (const f of found) console.log(f);
process.exitCode = found.length ? 1 : 0;
