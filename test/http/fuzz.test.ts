// Schema-driven fuzzing of the REST API: every operation in /api/openapi.json is sent valid
// input, hostile input (NUL, ESC, bidi overrides, oversized text, numbers beyond int4, broken
// escapes, duplicate list items, wrong types) and hostile path parameters, as an anonymous
// visitor and as a lead maintainer, on both databases. Nothing may answer 5xx, and no request
// may take over a second. Bounded: a fixed, seeded set of requests (about 1,500 per database).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { setPersonRole } from '../../src/app/people/people.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub, type TestHub } from '../support/hub.ts';

vi.setConfig({ testTimeout: 240_000, hookTimeout: 120_000 });

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  maxLength?: number;
  default?: unknown;
};
type Operation = {
  parameters?: { name: string; in: string; schema: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
};

/** A small deterministic random source, so a failure can be replayed. */
function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

const HOSTILE_STRINGS = [
  '',
  'x',
  'nul\u0000inside',
  'esc \u001b[31mred\u001b[0m and bell \u0007',
  'right-to-left \u202e override',
  'non-character \uffff',
  'a'.repeat(60_000),
  '%',
  '%E0%A4%A',
  'P-99999999999999999999',
  'SEP-99999999999999999999',
  '99999999999999999999',
  '2025-02-30',
  '0000-01-01',
  'FREQ=WEEKLY;INTERVAL=-1',
  'FREQ=HOURLY;BYSETPOS=366',
  `${'*'.repeat(20_000)}a${'*'.repeat(20_000)}`,
  `${'>'.repeat(40_000)} a`,
  'stdio:constructor',
  'http://127.0.0.1:1/mcp',
  '@priya SEP-1 #1 <script>alert(1)</script>',
  '../../etc/passwd',
];
const HOSTILE_NUMBERS = [-1, 0, 2_147_483_648, 1e20, 0.5];
const PATH_VALUES = [
  'P-1',
  'SEP-1',
  'D-1',
  'M-1',
  'hosting',
  'priya',
  '1',
  '%25',
  '%',
  '%00',
  'P-99999999999999999999',
  'D-99999999999999999999',
  'M-99999999999999999999',
  'a'.repeat(300),
  '%E2%80%AE',
];

function sample(schema: Schema | undefined, r: () => number, hostile: boolean, depth = 0): unknown {
  if (!schema || depth > 4) return null;
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return sample(pick(options), r, hostile, depth + 1);
  if (schema.enum) return hostile && r() < 0.3 ? 'not-one-of-them' : pick(schema.enum);
  const type = Array.isArray(schema.type) ? pick(schema.type) : schema.type;
  if (hostile && r() < 0.1) return pick([null, 42, 'text', [], {}, true]); // the wrong type
  switch (type) {
    case 'string':
      return hostile ? pick(HOSTILE_STRINGS) : 'A reasonable sentence about session affinity for gateways.';
    case 'integer':
    case 'number':
      return hostile ? pick(HOSTILE_NUMBERS) : 1;
    case 'boolean':
      return r() < 0.5;
    case 'array': {
      const item = sample(schema.items, r, hostile, depth + 1);
      return hostile && r() < 0.3 ? [item, item] : r() < 0.5 ? [] : [item];
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(schema.properties ?? {}))
        if (schema.required?.includes(k) || r() < 0.6) out[k] = sample(v, r, hostile, depth + 1);
      return out;
    }
    default:
      return null;
  }
}

describe.each(databases)('REST fuzzing on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  let token: string;

  beforeAll(async () => {
    hub = await openDemoHub(database);
    hub.governance.rateLimits = { ...hub.governance.rateLimits, enabled: false };
    const sam = await hub.store.db
      .selectFrom('people')
      .select('version')
      .where('handle', '=', 'sam-lead')
      .executeTakeFirstOrThrow();
    await setPersonRole(hub, SYSTEM, 'sam-lead', sam.version, { role: 'lead-maintainer' });
    token = (await createToken(hub, SYSTEM, 'sam-lead')).token;
    app = createHttpApp(hub);
  });
  afterAll(async () => hub?.close());

  it('answers every generated request below 500, each within a second', async () => {
    const spec = (await (await app.request('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    const r = rng(12);
    const failures: string[] = [];
    let sent = 0;
    for (const [path, methods] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        for (let variant = 0; variant < 10; variant++) {
          const hostile = variant > 1;
          const url = path.replace(/\{(\w+)\}/g, () =>
            hostile ? PATH_VALUES[Math.floor(r() * PATH_VALUES.length)]! : 'P-1',
          );
          const query = new URLSearchParams();
          for (const p of op.parameters ?? [])
            if (p.in === 'query' && (hostile || r() < 0.5)) {
              const v = sample(p.schema, r, hostile);
              if (v !== null && typeof v !== 'object') query.set(p.name, String(v).slice(0, 2000));
            }
          const bodySchema = op.requestBody?.content['application/json']?.schema;
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (variant % 3 !== 0) headers.authorization = `Bearer ${token}`;
          if (variant % 4 === 1) headers['if-match'] = hostile ? '"v99999999999999999999"' : '"v1"';
          const init: RequestInit = { method: method.toUpperCase(), headers };
          if (bodySchema) init.body = variant === 9 ? '{"unterminated' : JSON.stringify(sample(bodySchema, r, hostile));
          const target = `${url}${query.size ? `?${query}` : ''}`;
          const t = performance.now();
          const res = await app.request(target, init);
          await res.arrayBuffer();
          const ms = performance.now() - t;
          sent++;
          if (res.status >= 500) failures.push(`${res.status} ${method.toUpperCase()} ${target.slice(0, 200)}`);
          if (ms > 1000) failures.push(`${Math.round(ms)} ms ${method.toUpperCase()} ${target.slice(0, 200)}`);
        }
      }
    }
    expect(sent).toBeGreaterThan(300);
    expect(failures).toEqual([]);
  });
});
