// An attacker's round against the edges, in-process: a hub in memory with the demo community, every
// REST route of the OpenAPI document and every MCP tool sent hostile values (lone surrogates, NUL,
// right-to-left overrides, 300,000-character tokens, huge arrays, deep nesting, numbers past any
// column, malformed bodies), as a lead maintainer so requests get past authorization. It prints
// each answer that is a 5xx (REST) or an internal error (MCP), and each slower than a limit; it
// exits 1 when there is any. Rate limits are off: the point is what a request does once admitted.
// A 422 must name the field it refuses. Then the surfaces added since the first round, replayed with
// the cases that found something: agenda items named by positions past any agenda, versions no
// record showed (the CLI hands them to the use case as numbers), ends of series from odd days in odd
// zones, membership requests, the web forms' version and item fields, raw JSON-RPC and OAuth; round 6
// checks that a refused write changes nothing stored, races end with one winner (seven changes from
// one read, a withdrawal and two answers, written input and its item's removal, a restore and a
// series' end, two preference changes), visitors and MCP callers without standing write nothing, a
// 422 says each rule once, counts are bounded (agenda items, written input), and odd request targets
// over a real socket, quiet hours, instants past 9999 and ended series moved to other zones. Round 7
// signs GitHub deliveries with hostile bodies (nested 5,000 deep; numbers past a column or not whole,
// ids past 2^53, times that are no time, 500,000-character titles: each fails naming the field),
// asks for sign-in under a forged Host (no callback or page may name it), pushes lists one person
// could grow past their bounds (action items, recorded decisions, responses, votes, evidence, tokens),
// imports a SEP of 100,000 headings, and reads a reply whose From names its owner beside a stranger.
// Usage: node scripts/fuzz-edges.ts [--slow-ms 500] [--db postgres://…?schema=fuzz]
//   (--db: an empty database or schema; the PostgreSQL refusals of numbers past a column show only there)
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
const IDS = [
  'hosting',
  'P-1',
  'SEP-1686',
  'D-1',
  'M-1',
  'priya',
  'P-99999999999',
  '%ED%A0%80',
  'a'.repeat(600),
  '2147483648',
  '9'.repeat(400),
];
const dbAt = process.argv.indexOf('--db');

const store = openStore(dbAt > 0 ? process.argv[dbAt + 1]! : 'sqlite::memory:');
await migrateToLatest(store.db, store.schema);
const governance = loadGovernance();
const hub = createHub(store, { ...governance, rateLimits: { ...governance.rateLimits, enabled: false } });
await loadDemoCommunity(hub, { work: true });
const token = (await createToken(hub, SYSTEM, 'lena-core')).token;
const app = createHttpApp(hub);
const found: string[] = [];

/** Whether a problem+json body names a field (`errors[].field`), and the fields it names. */
function unnamed(text: string): { named: boolean; fields: string[] } {
  try {
    const fields = ((JSON.parse(text) as { errors?: { field?: string }[] }).errors ?? []).map((e) => e.field ?? '');
    return { named: fields.some((f) => f !== ''), fields };
  } catch {
    return { named: false, fields: [] };
  }
}

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
const sweep422s: [string, number, string][] = []; // read again by round 6: each rule said once
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
        if (res.status === 422 && !unnamed(text).named)
          found.push(`422 naming no field: ${what} → ${text.slice(0, 200)}`);
        sweep422s.push([what, res.status, text]);
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
        if (r.isError && /internal|TypeError|ReferenceError|SqliteError|the database cannot store/i.test(text))
          found.push(`tool error: ${what} → ${text.slice(0, 200)}`);
      } catch (e) {
        const code = (e as { code?: number }).code;
        if (code !== -32602) found.push(`${code}: ${what} → ${String((e as Error).message).slice(0, 200)}`);
      }
    }
}

// The surfaces added since the first round, with the cases that found something there.
const lena = {
  kind: 'person' as const,
  person: await hub.store.db
    .selectFrom('people')
    .selectAll()
    .where('handle', '=', 'lena-core')
    .executeTakeFirstOrThrow(),
};
const rest = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}, as = token) => {
  requests++;
  const what = `${method} ${path.slice(0, 80)} ${JSON.stringify(body)?.slice(0, 60) ?? ''} ${JSON.stringify(headers).slice(0, 60)}`;
  const res = await timed(what, async () =>
    app.request(`http://localhost${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${as}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
  const text = await res.text();
  if (res.status >= 500) found.push(`${res.status}: ${what} → ${text.slice(0, 200)}`);
  return { status: res.status, text, etag: res.headers.get('etag') ?? '', ...unnamed(text) };
};
/** A refusal of `field` must be a 4xx naming it (a 422 naming another, or none, is a finding). */
const refusedNaming = (what: string, r: { status: number; text: string; fields: string[] }, field: string) => {
  if (r.status === 422 && !r.fields.includes(field))
    found.push(`422 not naming ${field}: ${what} → ${r.text.slice(0, 200)}`);
  if (r.status < 400) found.push(`accepted ${what} → ${r.status} ${r.text.slice(0, 120)}`);
};

// agenda items named by positions past any agenda, padded or odd, on every route that names one
const agendaRef = JSON.parse(
  (
    await rest('POST', '/api/meetings', {
      group: 'hosting',
      kind: 'process',
      title: 'Fuzzed agenda',
      startsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    })
  ).text,
).ref as string;
for (const title of ['First item', 'Second item', 'Third item'])
  await rest('POST', `/api/meetings/${agendaRef}/agenda`, { title });
const ITEM_KEYS = [
  '0',
  '-1',
  '1.5',
  '1e3',
  '0x1',
  '2147483648',
  '9007199254740993',
  '9'.repeat(400),
  '10001',
  ' 1 ',
  '%E2%80%AE1',
  'a'.repeat(65),
  'NaN',
  'Infinity',
];
for (const key of ITEM_KEYS) {
  const etag = (await rest('GET', `/api/meetings/${agendaRef}`)).etag;
  const moved = await rest(
    'POST',
    `/api/meetings/${agendaRef}/agenda/${key}/move`,
    { direction: 'up' },
    { 'If-Match': etag },
  );
  if (moved.status === 422 && !moved.named)
    found.push(`422 naming no field: move item ${key.slice(0, 20)} → ${moved.text.slice(0, 200)}`);
  const input = await rest('POST', `/api/meetings/${agendaRef}/written-input`, {
    item: key,
    body: 'Input on an item named oddly.',
  });
  if (input.status === 422 && !input.named)
    found.push(`422 naming no field: written input item ${key.slice(0, 20)} → ${input.text.slice(0, 200)}`);
  if (key.trim() !== '1' && key !== '0x1' && key !== '1e3') {
    const removed = await rest('DELETE', `/api/meetings/${agendaRef}/agenda/${key}`, undefined, { 'If-Match': etag });
    refusedNaming(`remove item ${key.slice(0, 20)}`, removed, 'item');
  }
}
// If-Match as clients mangle it, on each route that takes one
const IF_MATCH = [
  'W/"v1"',
  '"v1", "v2"',
  'x',
  `"v${'9'.repeat(400)}"`,
  '"v-1"',
  '"v1.5"',
  ' ',
  '""',
  '*',
  ',,,',
  'a'.repeat(8000),
  '"v2147483648"',
];
for (const im of IF_MATCH) {
  await rest('POST', `/api/meetings/${agendaRef}/agenda`, { title: 'If-Match item' }, { 'If-Match': im });
  await rest('POST', `/api/meetings/${agendaRef}/agenda/1/move`, { direction: 'down' }, { 'If-Match': im });
  await rest('DELETE', `/api/meetings/${agendaRef}/agenda/9`, undefined, { 'If-Match': im });
}
// versions no record showed, as the CLI hands them over (Number() of what was typed)
for (const version of [Number.NaN, -1, 1.5, 1e20, Number.POSITIVE_INFINITY]) {
  const { addAgendaItem, moveAgendaItem, removeAgendaItem } = await import('../src/app/meetings/agenda.ts');
  const { endSeries } = await import('../src/app/meetings/series-end.ts');
  for (const [what, attempt] of [
    ['add', () => addAgendaItem(hub, lena, agendaRef, { title: 'At an odd version' }, version)],
    ['remove', () => removeAgendaItem(hub, lena, agendaRef, 1, version)],
    ['move', () => moveAgendaItem(hub, lena, agendaRef, version, { item: 2, direction: 'up' })],
    ['end series', () => endSeries(hub, lena, 'M-1', version, { from: '2030-01-01', reason: 'an odd version' })],
  ] as const) {
    calls++;
    try {
      await attempt();
      found.push(`accepted ${what} at version ${version}`);
    } catch (e) {
      const issues = (e as { issues?: { field: string }[] }).issues ?? [];
      if (!issues.some((i) => i.field === 'version'))
        found.push(`${what} at version ${version}: ${String(e).slice(0, 160)}`);
    }
  }
}
// a series ended from odd days, in zones with odd clocks: refused naming 'from', or ended before that day
const SERIES: [string, string, string][] = [
  ['Europe/London', '01:30', 'FREQ=DAILY;COUNT=520'],
  ['America/New_York', '02:30', 'FREQ=DAILY'],
  ['Pacific/Kiritimati', '23:30', 'FREQ=WEEKLY'],
  ['Australia/Lord_Howe', '01:45', 'FREQ=DAILY'],
  ['America/Santiago', '00:00', 'FREQ=DAILY'],
  ['Etc/GMT+12', '00:00', 'FREQ=DAILY;UNTIL=99991231T000000Z'],
];
const year = new Date().getUTCFullYear() + 1;
const FROMS: unknown[] = [
  '9999-12-31',
  '+275760-09-13',
  '0000-01-01',
  `${year}-02-29`,
  `${year}-13-01`,
  '2026-1-1',
  `${year}-03-14T00:00`,
  '２０２６-12-10',
  20261210,
  null,
  '',
  'x'.repeat(100_000),
  `${year}-03-14\u0000`,
  `${year}-03-14`,
  `${year}-03-28`,
  `${year}-04-04`,
  `${year}-10-31`,
];
for (const [zone, at, rrule] of SERIES)
  for (const from of FROMS) {
    const starts = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const made = await rest('POST', '/api/meetings', {
      group: 'hosting',
      kind: 'process',
      title: `Series in ${zone}`,
      startsAt: `${starts}T${at}:00Z`,
      timeZone: zone,
      rrule,
    });
    if (made.status !== 201) continue;
    const ref = JSON.parse(made.text).ref as string;
    const ended = await rest(
      'POST',
      `/api/meetings/${ref}/end-series`,
      { from, reason: 'ended while fuzzing' },
      { 'If-Match': made.etag },
    );
    if (ended.status === 200 && JSON.parse(ended.text).seriesEnd?.from !== from)
      found.push(`series ${zone} ended from ${String(from)} records ${ended.text.slice(0, 120)}`);
    else if (ended.status !== 200)
      refusedNaming(`end ${zone} from ${JSON.stringify(from)?.slice(0, 30)}`, ended, 'from');
  }
// membership requests: asked by someone not yet a member, answered oddly
const kai = (await createToken(hub, SYSTEM, 'kai-core')).token;
for (const note of [...STRINGS, 123, null, [], {}])
  await rest('POST', '/api/groups/security/membership-requests', { note }, {}, kai);
await rest('POST', '/api/groups/hosting/membership-requests', { note: 'please' }, {}, kai);
const open = JSON.parse((await rest('GET', '/api/groups/hosting/membership-requests')).text).items as { id: string }[];
for (const id of [...IDS, open[0]?.id ?? 'none'])
  for (const body of [
    { answer: 'maybe' },
    { answer: 'declined' },
    { answer: 'declined', reason: 'x\u0000' },
    { answer: ['accepted'] },
    null,
  ])
    await rest('POST', `/api/groups/hosting/membership-requests/${encodeURIComponent(id)}/answer`, body);

// the web forms: a version or an item as the form did not write it is refused naming the field
const cookies = new Map<string, string>();
const page = async (path: string, form?: Record<string, string>) => {
  requests++;
  const res = await timed(`web ${path}`, async () =>
    app.request(`http://localhost${path}`, {
      method: form ? 'POST' : 'GET',
      headers: {
        Accept: 'text/html',
        Cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form ? { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost' } : {}),
      },
      ...(form ? { body: new URLSearchParams({ ...form, _csrf: csrf }).toString() } : {}),
    }),
  );
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const [k, ...v] = pair!.split('=');
    cookies.set(k!.trim(), v.join('='));
  }
  const text = await res.text();
  csrf = /name="_csrf" value="([^"]+)"/.exec(text)?.[1] ?? csrf;
  if (res.status >= 500) found.push(`${res.status}: web ${path}`);
  if (/<script>alert|<img src=x/.test(text.replace(/<head>[\s\S]*?<\/head>/, '')))
    found.push(`raw markup echoed: web ${path}`);
  return { status: res.status, text };
};
let csrf = '';
await page('/sign-in');
await page('/sign-in/demo', { handle: 'lena-core', next: '/' });
await page(`/meetings/${agendaRef}`);
for (const version of ['0x1', '1e0', '1.0', '-1', '9'.repeat(400), 'abc']) {
  const r = await page(`/meetings/${agendaRef}/agenda/1/move`, { direction: 'down', version });
  if (r.status !== 422 || !r.text.includes('version: must be'))
    found.push(`web move at version ${version.slice(0, 20)} → ${r.status}`);
}
for (const item of ['9'.repeat(400), '2147483648', '<script>alert(1)</script>', '"><img src=x>']) {
  const r = await page(`/meetings/${agendaRef}/written-input`, { item, body: 'Input on an item named oddly.' });
  if (r.status !== 422 || !/On which item: (?:M-\d+ has no agenda item|must be at most 64)/.test(r.text))
    found.push(`web written input on item ${item.slice(0, 20)} → ${r.status}`);
}

// numbers in web paths past any column are nothing there, not a database refusal
for (const number of ['2147483648', '9'.repeat(400), '1e300', '0x10'])
  for (const kind of ['issues', 'discussions']) {
    const r = await page(`/github/modelcontextprotocol/modelcontextprotocol/${kind}/${number}`);
    if (r.status !== 404) found.push(`web mirrored ${kind} #${number.slice(0, 20)} → ${r.status}`);
  }

// raw JSON-RPC at /mcp: batches, odd ids, deep nesting, huge names
const RPC = [
  '[]',
  JSON.stringify(Array(1000).fill({ jsonrpc: '2.0', method: 'notifications/initialized' })),
  ...[{ a: 1 }, [1], null, 1.5, true, 'x'.repeat(200_000), '\uD800'].map((id) =>
    JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/list' }),
  ),
  `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_groups","arguments":{"a":${'['.repeat(200_000)}${']'.repeat(200_000)}}}}`,
  JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x'.repeat(500_000), arguments: {} } }),
  JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_groups', arguments: [1] } }),
  '{"jsonrpc":"2.0","id":1,"id":2,"method":"tools/list","method":"tools/call"}',
  '\uFEFF{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
  JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'resources/read',
    params: { uri: `wghub://meetings/M-${'9'.repeat(400)}` },
  }),
];
for (const body of RPC) {
  requests++;
  const res = await timed(`mcp ${body.slice(0, 60)}`, async () =>
    app.request('http://localhost/mcp', {
      method: 'POST',
      headers: {
        Host: 'localhost',
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        'MCP-Protocol-Version': '2025-06-18',
      },
      body,
    }),
  );
  const text = await res.text();
  if (res.status >= 500 || /internal error|TypeError|ReferenceError|SqliteError/i.test(text))
    found.push(`mcp ${res.status}: ${body.slice(0, 60)} → ${text.slice(0, 200)}`);
}

// OAuth: registrations and consent requests with odd URIs, states and scopes
const REDIRECTS = [
  'javascript:alert(1)',
  'https://[::1]/cb',
  'https://u:p@app.example/cb',
  'https://☃.example/cb',
  'https://app.example:99999/cb',
  'https://app.example/c%0Ab',
  'com.example.app:/cb',
  `com.example.app://${'a'.repeat(5000)}`,
];
for (const uri of REDIRECTS) {
  requests++;
  const res = await app.request('http://localhost/oauth/register', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ redirect_uris: [uri], client_name: '<script>alert(1)</script>' }),
  });
  if (res.status >= 500) found.push(`${res.status}: register ${uri.slice(0, 60)}`);
}
const oauthClient = JSON.parse(
  await (
    await app.request('http://localhost/oauth/register', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        redirect_uris: ['https://app.example/cb'],
        client_name: '"><img src=x onerror=alert(1)>',
      }),
    })
  ).text(),
).client_id as string;
const authorize = {
  response_type: 'code',
  client_id: oauthClient,
  redirect_uri: 'https://app.example/cb',
  code_challenge: 'a'.repeat(43),
  code_challenge_method: 'S256',
  state: 'st',
  scope: 'mcp',
  resource: 'http://localhost/mcp',
};
const CONSENTS: Record<string, string>[] = [
  authorize,
  { ...authorize, state: '"><script>alert(1)</script>' },
  { ...authorize, state: 'a\u200Bb\u202Ec' },
  { ...authorize, state: 'a'.repeat(20_000) },
  { ...authorize, scope: 'mcp admin <b>x</b>' },
  ...[
    'https://[::1]/c.json',
    'https://u:p@app.example/c.json',
    'https://app.example/%2e%2e/c.json',
    'https://☃.example/c.json',
    'https://169.254.169.254/latest/meta-data',
    'https://2130706433/c.json',
    `https://app.example/${'a'.repeat(5000)}`,
    'https://app.example/"><script>alert(1)</script>',
  ].map((c) => ({ ...authorize, client_id: c })),
];
for (const q of CONSENTS) await page(`/oauth/authorize?${new URLSearchParams(q)}`);
for (const extra of ['&state=two', '&redirect_uri=https://evil.example/cb', '&state=%ED%A0%80'])
  await page(`/oauth/authorize?${new URLSearchParams(authorize)}${extra}`);

// Round 6: what changed last. A refused write must change nothing stored; races at one version or one
// open request end with one winner; visitors and MCP callers without standing are refused; request
// targets, quiet hours and instants past year 9999 are refused naming the rule.
const as6: Record<string, string> = {};
for (const h of ['sam-lead', 'priya', 'jonas', 'amara']) as6[h] = (await createToken(hub, SYSTEM, h)).token;
/** What the round-6 surfaces have stored, to compare before and after a refused request. */
const stored = async () => {
  const parts: unknown[] = [];
  for (const table of [
    'events',
    'meetings',
    'meeting_agenda_items',
    'membership_requests',
    'group_members',
    'notification_preferences',
    'decisions',
  ] as const)
    parts.push(await hub.store.db.selectFrom(table).selectAll().execute());
  return JSON.stringify(parts);
};
/** A request that must be refused (4xx) and leave everything stored as it was; a 422 names `field`. */
const refusedKeeping = async (
  what: string,
  send: () => Promise<{ status: number; text: string; fields: string[] }>,
  field?: string,
) => {
  const before = await stored();
  const r = await send();
  if (r.status < 400 || r.status >= 500) found.push(`not refused: ${what} → ${r.status} ${r.text.slice(0, 160)}`);
  else if (field && r.status === 422 && !r.fields.includes(field))
    found.push(`422 not naming ${field}: ${what} → ${r.text.slice(0, 160)}`);
  if ((await stored()) !== before) found.push(`refused but changed what was stored: ${what} → ${r.status}`);
  return r;
};
/** Each 422 names each field once per rule: two checks saying the same read as one mistake. */
const saidOnce = (what: string, r: { status: number; text: string }) => {
  if (r.status !== 422) return;
  const errors = (JSON.parse(r.text) as { errors?: { field: string; rule: string }[] }).errors ?? [];
  const keys = errors.map((e) => `${e.field}: ${e.rule}`);
  if (new Set(keys).size !== keys.length)
    found.push(`422 saying one thing twice: ${what} → ${keys.join('; ').slice(0, 160)}`);
};

for (const [what, status, text] of sweep422s) saidOnce(what, { status, text });

// visitors write nothing on any route, and members get no 5xx where a lead would act
for (const [template, operations] of Object.entries(spec.paths))
  for (const method of Object.keys(operations))
    for (const id of ['hosting', 'M-1', 'D-1', 'P-1', 'mine', 'jonas']) {
      const path = template.replace(/\{[^}]+\}/g, id);
      const body = method === 'get' || method === 'delete' ? undefined : {};
      for (const who of [null, as6.jonas!, as6.amara!]) {
        requests++;
        const res = await app.request(`http://localhost${path}`, {
          method: method.toUpperCase(),
          headers: {
            ...(who ? { Authorization: `Bearer ${who}` } : {}),
            ...(body ? { 'Content-Type': 'application/json' } : {}),
            'If-Match': '"v1"',
          },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        const text = await res.text();
        if (res.status >= 500) found.push(`${res.status}: ${who ? 'member' : 'visitor'} ${method} ${path}`);
        if (!who && method !== 'get' && res.status < 400)
          found.push(`visitor wrote: ${method} ${path} → ${res.status}`);
        saidOnce(`${method} ${path}`, { status: res.status, text });
      }
    }

// membership requests: a member or participant answering, a visitor reading notes, races on one request
await rest(
  'POST',
  '/api/groups/hosting/membership-requests',
  { note: 'private: my employer is moving' },
  {},
  as6.amara,
);
const openNow = JSON.parse(
  (await rest('GET', '/api/groups/hosting/membership-requests', undefined, {}, as6['sam-lead'])).text,
).items as { id: string; handle: string }[];
const amaraAsks = openNow.find((r) => r.handle === 'amara')?.id ?? 'none';
for (const who of ['priya', 'jonas'])
  await refusedKeeping(`${who} answers a request`, () =>
    rest('POST', `/api/groups/hosting/membership-requests/${amaraAsks}/answer`, { answer: 'accepted' }, {}, as6[who]),
  );
for (const who of [undefined, as6.jonas])
  if (
    (await rest('GET', '/api/groups/hosting/membership-requests', undefined, {}, who ?? '')).text.includes(
      'my employer',
    )
  )
    found.push(`a request's note read by ${who ? 'a participant' : 'a visitor'}`);
await refusedKeeping('withdrawing nothing', () =>
  rest('DELETE', '/api/groups/hosting/membership-requests/mine', undefined, {}, as6.jonas),
);
await refusedKeeping(
  'declining without a reason',
  () =>
    rest(
      'POST',
      `/api/groups/hosting/membership-requests/${amaraAsks}/answer`,
      { answer: 'declined' },
      {},
      as6['sam-lead'],
    ),
  'reason',
);
const raced = await Promise.all([
  rest('DELETE', '/api/groups/hosting/membership-requests/mine', undefined, {}, as6.amara),
  rest(
    'POST',
    `/api/groups/hosting/membership-requests/${amaraAsks}/answer`,
    { answer: 'accepted' },
    {},
    as6['sam-lead'],
  ),
  rest(
    'POST',
    `/api/groups/hosting/membership-requests/${amaraAsks}/answer`,
    { answer: 'declined', reason: 'no' },
    {},
    token,
  ),
]);
if (raced.filter((r) => r.status < 300).length !== 1)
  found.push(`withdraw and two answers at once: ${raced.map((r) => r.status).join(', ')} (one must win)`);
const asks = await Promise.all(
  [1, 2, 3].map(() => rest('POST', '/api/groups/hosting/membership-requests', { note: 'twice' }, {}, as6.jonas)),
);
if (
  asks.filter((r) => r.status === 201).length !== 1 ||
  asks.some((r) => r.status !== 201 && r.status !== 403 && r.status !== 409)
)
  found.push(`three asks at once: ${asks.map((r) => r.status).join(', ')} (one request, the others refused)`);

// meetings: five changes sent at once from one read; exactly one is written
const day6 = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
const racing = await rest('POST', '/api/meetings', {
  group: 'hosting',
  kind: 'process',
  title: 'Raced',
  startsAt: day6(20),
});
const racingRef = JSON.parse(racing.text).ref as string;
for (const title of ['One', 'Two', 'Three']) await rest('POST', `/api/meetings/${racingRef}/agenda`, { title });
const read6 = (await rest('GET', `/api/meetings/${racingRef}`)).etag;
const at6 = { 'If-Match': read6 };
const sent6 = await Promise.all([
  rest('PATCH', `/api/meetings/${racingRef}`, { startsAt: day6(21) }, at6),
  rest('PATCH', `/api/meetings/${racingRef}`, { startsAt: day6(22) }, at6, as6['sam-lead']),
  rest('PATCH', `/api/meetings/${racingRef}`, { cancelled: true }, at6, as6['sam-lead']),
  rest('PATCH', `/api/meetings/${racingRef}`, { noteTaker: 'priya' }, at6),
  rest('POST', `/api/meetings/${racingRef}/agenda/1/move`, { direction: 'down' }, at6, as6['sam-lead']),
  rest('DELETE', `/api/meetings/${racingRef}/agenda/3`, undefined, at6),
  rest('POST', `/api/meetings/${racingRef}/agenda`, { title: 'Late' }, at6, as6.priya),
]);
if (sent6.filter((r) => r.status < 300).length !== 1 || sent6.some((r) => r.status >= 300 && r.status !== 409))
  found.push(`seven changes from one read: ${sent6.map((r) => r.status).join(', ')} (one written, the rest 409)`);

// written input sent while its item is removed: one of them is refused, never a database error
const crossing = JSON.parse(
  (await rest('POST', '/api/meetings', { group: 'hosting', kind: 'process', title: 'Crossed', startsAt: day6(20) }))
    .text,
).ref as string;
for (let i = 0; i < 10; i++) {
  const added = JSON.parse(
    (await rest('POST', `/api/meetings/${crossing}/agenda`, { title: `Crossed ${i}` })).text,
  ) as {
    agenda?: { items: { id: string }[] };
  };
  const item = added.agenda?.items.at(-1)?.id ?? 'none';
  const crossed = await Promise.all([
    rest('POST', `/api/meetings/${crossing}/written-input`, { item, body: 'I cannot come; my view.' }, {}, as6.priya),
    rest('DELETE', `/api/meetings/${crossing}/agenda/${item}`),
  ]);
  if (crossed.filter((r) => r.status < 300).length !== 1)
    found.push(`written input and removal of item ${i} at once: ${crossed.map((r) => r.status).join(', ')}`);
}

// publishing while items are added: each change moves the version once, so it never goes back
{
  const pub = JSON.parse(
    (
      await rest('POST', '/api/meetings', {
        group: 'hosting',
        kind: 'process',
        title: 'Published while added',
        startsAt: day6(20),
      })
    ).text,
  ).ref as string;
  await rest('POST', `/api/meetings/${pub}/agenda`, { title: 'First' });
  for (let round = 0; round < 5; round++) {
    const before = JSON.parse((await rest('GET', `/api/meetings/${pub}`)).text).version as number;
    const sent = await Promise.all([
      rest('POST', `/api/meetings/${pub}/agenda`, { title: `Added ${round}a` }),
      rest('POST', `/api/meetings/${pub}/agenda/publish`),
      rest('POST', `/api/meetings/${pub}/agenda`, { title: `Added ${round}b` }, {}, as6.priya),
      rest('POST', `/api/meetings/${pub}/agenda/publish`, undefined, {}, as6['sam-lead']),
    ]);
    const done = sent.filter((r) => r.status < 300).length;
    const after = JSON.parse((await rest('GET', `/api/meetings/${pub}`)).text).version as number;
    if (after !== before + done)
      found.push(`${done} agenda changes at once moved the version from ${before} to ${after}`);
  }
}

// an ended series moved to another clock keeps the meetings its end kept
{
  const first = new Date(Date.now() + 3 * 86_400_000);
  first.setUTCHours(15, 0, 0, 0);
  const made = await rest('POST', '/api/meetings', {
    group: 'hosting',
    kind: 'process',
    title: 'Ends, then moves zone',
    startsAt: first.toISOString(),
    timeZone: 'Europe/Berlin',
    rrule: 'FREQ=WEEKLY',
  });
  const ref = JSON.parse(made.text).ref as string;
  const from = new Date(first.getTime() + 15 * 86_400_000).toISOString().slice(0, 10);
  const ended = await rest(
    'POST',
    `/api/meetings/${ref}/end-series`,
    { from, reason: 'ended while fuzzing' },
    { 'If-Match': made.etag },
  );
  const kept = JSON.parse(ended.text).upcoming as string[];
  for (const zone of ['Europe/Helsinki', 'Europe/Lisbon', 'Europe/Berlin']) {
    const etag = (await rest('GET', `/api/meetings/${ref}`)).etag;
    const moved = await rest('PATCH', `/api/meetings/${ref}`, { timeZone: zone }, { 'If-Match': etag });
    const now = moved.status === 200 ? (JSON.parse(moved.text).upcoming as string[]) : [];
    if (moved.status === 200 && JSON.stringify(now) !== JSON.stringify(kept))
      found.push(`ended series moved to ${zone}: meetings ${JSON.stringify(kept)} became ${JSON.stringify(now)}`);
  }
}

// a called-off meeting restored while its series ends past it: it must stay called off
for (let round = 0; round < 8; round++) {
  const first = new Date(Date.now() + 2 * 86_400_000);
  first.setUTCHours(9, 0, 0, 0);
  const made = await rest('POST', '/api/meetings', {
    group: 'hosting',
    kind: 'process',
    title: `Restored while ending ${round}`,
    startsAt: first.toISOString(),
    timeZone: 'UTC',
    rrule: 'FREQ=DAILY',
  });
  const ref = JSON.parse(made.text).ref as string;
  const opened = await rest('POST', '/api/meetings', {
    group: 'hosting',
    kind: 'process',
    title: `Restored while ending ${round}`,
    startsAt: new Date(first.getTime() + 5 * 86_400_000).toISOString(),
    timeZone: 'UTC',
    seriesOf: ref,
  });
  const occurrence = JSON.parse(opened.text).ref as string;
  const off = await rest('PATCH', `/api/meetings/${occurrence}`, { cancelled: true }, { 'If-Match': opened.etag });
  const from = new Date(first.getTime() + 2 * 86_400_000).toISOString().slice(0, 10);
  const seriesTag = (await rest('GET', `/api/meetings/${ref}`)).etag;
  await Promise.all([
    rest('PATCH', `/api/meetings/${occurrence}`, { cancelled: false }, { 'If-Match': off.etag }),
    rest('POST', `/api/meetings/${ref}/end-series`, { from, reason: 'ended while fuzzing' }, { 'If-Match': seriesTag }),
  ]);
  const ended = JSON.parse((await rest('GET', `/api/meetings/${ref}`)).text).seriesEnd;
  const after = JSON.parse((await rest('GET', `/api/meetings/${occurrence}`)).text);
  if (ended && !after.cancelled) found.push(`${occurrence} restored past the end of ${ref} from ${from}`);
}

// counts a participant could push without end: agenda items past 500, written input past 20 a person
{
  const full = JSON.parse(
    (
      await rest('POST', '/api/meetings', {
        group: 'hosting',
        kind: 'process',
        title: 'Full agenda',
        startsAt: day6(25),
      })
    ).text,
  ).ref as string;
  const row = await hub.store.db
    .selectFrom('meetings')
    .select('id')
    .where('number', '=', Number(full.slice(2)))
    .executeTakeFirstOrThrow();
  const by = lena.person.id;
  for (let from = 1; from <= 500; from += 100)
    await hub.store.db
      .insertInto('meeting_agenda_items')
      .values(
        Array.from({ length: 100 }, (_, i) => ({
          id: `fuzz-${full}-${from + i}`,
          meeting_id: row.id,
          position: from + i,
          title: `Item ${from + i}`,
          description: 'x'.repeat(2000),
          kind: 'process',
          link_type: null,
          link_ref: null,
          added_by: by,
          added_at: new Date().toISOString(),
        })),
      )
      .execute();
  for (const who of [token, as6.priya!])
    await refusedKeeping('the 501st agenda item', () =>
      rest('POST', `/api/meetings/${full}/agenda`, { title: 'One too many' }, {}, who),
    );
  for (let i = 1; i <= 20; i++)
    await rest('POST', `/api/meetings/${full}/written-input`, { item: 1, body: `Thought ${i}.` }, {}, as6.priya);
  await refusedKeeping('the 21st written input of one person', () =>
    rest('POST', `/api/meetings/${full}/written-input`, { item: 1, body: 'One too many.' }, {}, as6.priya),
  );
}

// instants past the year 9999 in UTC, where a start or a deadline is given or listed from
const FAR = ['9999-12-31T23:59:00-12:00', '9999-12-31T23:59:59.999-00:01', '0000-01-01T00:00:00+14:00'];
for (const far of FAR) {
  await refusedKeeping(
    `meeting at ${far}`,
    () => rest('POST', '/api/meetings', { group: 'hosting', kind: 'process', title: 'Far off', startsAt: far }),
    'startsAt',
  );
  await refusedKeeping(
    `occurrence at ${far}`,
    () =>
      rest('POST', '/api/meetings', {
        group: 'hosting',
        kind: 'process',
        title: 'Far off',
        startsAt: far,
        seriesOf: 'M-1',
      }),
    'startsAt',
  );
  await refusedKeeping(
    `decision due ${far}`,
    () =>
      rest('POST', '/api/decisions', {
        group: 'hosting',
        subject: { type: 'process' },
        question: 'Shall we meet in ten thousand?',
        significance: 'minor',
        deadline: far,
      }),
    'deadline',
  );
  refusedNaming(`meetings from ${far}`, await rest('GET', `/api/meetings?from=${encodeURIComponent(far)}`), 'from');
}
if ((await stored()).includes('+0100')) found.push('an instant past the year 9999 is stored');

// quiet hours: half of a span, or one ending where it starts, is refused and keeps the one stored
await rest('PATCH', '/api/me/notification-preferences', { quietStart: '23:00', quietEnd: '06:00' }, {}, as6.jonas);
for (const [quietStart, quietEnd, field] of [
  ['22:00', null, 'quietEnd'],
  [null, '07:00', 'quietStart'],
  ['22:00', '22:00', 'quietEnd'],
  ['24:00', '07:00', 'quietStart'],
  ['２２:００', '07:00', 'quietStart'],
] as const)
  await refusedKeeping(
    `quiet from ${quietStart} until ${quietEnd}`,
    () => rest('PATCH', '/api/me/notification-preferences', { quietStart, quietEnd }, {}, as6.jonas),
    field,
  );
for (const [quietStart, quietEnd] of [
  ['22:00', ''],
  ['', '07:00'],
  ['22:00', '22:00'],
] as const) {
  const r = await page('/me/notifications', {
    digest: 'daily',
    digestHour: '8',
    digestWeekday: '1',
    quietStart,
    quietEnd,
  });
  if (r.status !== 422) found.push(`web quiet from '${quietStart}' until '${quietEnd}' → ${r.status}`);
}

// two changes to one person's preferences at once both hold (each used to write back the row it read)
for (let round = 0; round < 5; round++) {
  await rest(
    'PATCH',
    '/api/me/notification-preferences',
    { digest: 'daily', quietStart: null, quietEnd: null },
    {},
    as6.priya,
  );
  await Promise.all([
    rest('PATCH', '/api/me/notification-preferences', { digest: 'weekly' }, {}, as6.priya),
    rest('PATCH', '/api/me/notification-preferences', { quietStart: '22:00', quietEnd: '07:00' }, {}, as6.priya),
  ]);
  const prefs = JSON.parse((await rest('GET', '/api/me/notification-preferences', undefined, {}, as6.priya)).text);
  if (prefs.digest !== 'weekly' || prefs.quietStart !== '22:00')
    found.push(`two preference changes at once, one lost: ${JSON.stringify(prefs).slice(0, 120)}`);
}

// MCP without standing: a visitor's and an observer's writes are refused, as themselves, never internal
for (const handle of [null, 'amara']) {
  const actor = handle
    ? {
        kind: 'person' as const,
        person: await hub.store.db
          .selectFrom('people')
          .selectAll()
          .where('handle', '=', handle)
          .executeTakeFirstOrThrow(),
      }
    : null;
  const s6 = createWghubMcpServer(hub, { actor });
  const [x, y] = InMemoryTransport.createLinkedPair();
  await s6.connect(x);
  const c6 = new Client({ name: 'fuzz-edges-6', version: '1' });
  await c6.connect(y);
  const version = JSON.parse((await rest('GET', `/api/meetings/${agendaRef}`)).text).version as number;
  for (const [name, args] of [
    ['reschedule_meeting', { ref: agendaRef, startsAt: day6(40), version }],
    ['cancel_meeting', { ref: agendaRef, version }],
    ['remove_agenda_item', { ref: agendaRef, item: 1, version }],
    ['move_agenda_item', { ref: agendaRef, item: 1, direction: 'down', version }],
    ['end_meeting_series', { ref: 'M-1', from: day6(30).slice(0, 10), reason: 'fuzzing', version: 1 }],
    ['answer_membership_request', { group: 'hosting', id: amaraAsks, answer: 'accepted' }],
    ['withdraw_membership_request', { group: 'security' }],
  ] as const) {
    calls++;
    const before = await stored();
    const r = await c6
      .callTool({ name, arguments: args })
      .catch((e: Error) => ({ isError: true, content: [{ text: e.message }] }));
    const text = ((r.content ?? []) as { text?: string }[]).map((t) => t.text ?? '').join(' ');
    if (!r.isError || !/^(unauthenticated|forbidden|invalid input|not found|conflict)/.test(text))
      found.push(`mcp ${handle ?? 'visitor'} ${name} → ${r.isError ? '' : 'done '}${text.slice(0, 120)}`);
    if ((await stored()) !== before) found.push(`mcp ${handle ?? 'visitor'} ${name} changed what was stored`);
  }
  await c6.close();
}

// request targets over a real socket: absolute form naming a user or password, or odd hosts
{
  const { serveHub } = await import('../src/http/node-server.ts');
  const { connect } = await import('node:net');
  const served = serveHub(app, { hostname: '127.0.0.1', port: 0 });
  await new Promise((r) => served.once('listening', r));
  const port = (served.address() as { port: number }).port;
  const raw = (head: string) =>
    new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let got = '';
      socket.on('data', (d) => {
        got += d;
      });
      socket.on('close', () => resolve(got));
      socket.on('error', () => resolve(got));
      socket.write(head);
      setTimeout(() => socket.destroy(), 2000);
    });
  for (const target of [
    'http://localhost@evil.example/mcp',
    'http://evil.example:80@localhost/api/groups',
    'http://u:p@localhost/',
    'http://:@localhost/api/groups',
    'http://evil.example/.well-known/oauth-authorization-server',
    '//evil.example/api/groups',
    'http://localhost:99999/api',
    'http://[::1/',
  ])
    for (const method of ['GET', 'POST']) {
      requests++;
      const answer = await raw(
        `${method} ${target} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`,
      );
      const status = Number(answer.slice(9, 12));
      if (!status || status >= 500) found.push(`${status || 'no answer'}: raw ${method} ${target}`);
    }
  served.close();
}

// Round 7: signed GitHub deliveries with hostile bodies, sign-in callbacks under a forged Host, lists
// one person could grow without end, imported documents of 100,000 headings, a From of several.
{
  const { Webhooks } = await import('@octokit/webhooks');
  const { createRequire } = await import('node:module');
  const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as {
    name: string;
    examples: { action?: string }[];
  }[];
  const { secret } = await import('../src/app/github/config.ts');
  const { applyDelivery } = await import('../src/app/github/webhooks.ts');
  const REPO = 'Codertocat/Hello-World';
  type Hook = Record<string, Record<string, unknown>>;
  hub.governance = structuredClone(hub.governance);
  hub.governance.github!.repositories = [{ name: REPO, writeBack: false, issues: true }];
  const hooks = createHttpApp(hub, undefined, { githubWebhookSecret: secret('fuzz-7') });
  const signer = new Webhooks({ secret: 'fuzz-7' });
  const example = (event: string, action: string) =>
    structuredClone(examples.find((e) => e.name === event)!.examples.find((x) => x.action === action)!) as Hook;
  let delivery = 0;
  const deliver = async (event: string, body: string) => {
    requests++;
    const id = `fuzz7-${delivery++}`;
    const res = await timed(`delivery ${event} ${body.slice(0, 60)}`, async () =>
      hooks.request('http://localhost/github/webhooks', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': event,
          'x-github-delivery': id,
          'x-hub-signature-256': await signer.sign(body),
        },
        body,
      }),
    );
    return { id, status: res.status, text: await res.text() };
  };
  const deep = await deliver('issue_comment', `{"action":"created","x":${'['.repeat(5000)}${']'.repeat(5000)}}`);
  if (deep.status !== 400) found.push(`delivery nested 5,000 deep → ${deep.status} ${deep.text.slice(0, 120)}`);
  const noClient = async (): Promise<never> => {
    throw new Error('no GitHub client in the fuzz round');
  };
  for (const [event, action, field, mutate] of [
    ['issues', 'opened', 'issue.number', (p: Hook) => (p.issue!.number = 2 ** 31)],
    ['issues', 'opened', 'issue.number', (p: Hook) => (p.issue!.number = 1.5)],
    ['issue_comment', 'created', 'comment.id', (p: Hook) => (p.comment!.id = 1e300)],
    ['issues', 'edited', 'issue.updated_at', (p: Hook) => (p.issue!.updated_at = 'not a date')],
    ['discussion', 'created', 'discussion.title', (p: Hook) => (p.discussion!.title = 't'.repeat(500_000))],
    ['discussion_comment', 'created', 'discussion.number', (p: Hook) => (p.discussion!.number = -1)],
  ] as const) {
    const p = example(event, action);
    mutate(p);
    const r = await deliver(event, JSON.stringify(p));
    if (r.status !== 202) {
      found.push(`signed ${event} with ${field} odd → ${r.status} ${r.text.slice(0, 120)}`);
      continue;
    }
    const outcome = await applyDelivery(hub, r.id, noClient).then(
      (o) => o,
      (e: Error) => e.message,
    );
    if (!outcome.includes(field)) found.push(`signed ${event} with ${field} odd → ${outcome.slice(0, 160)}`);
  }

  // sign-in callbacks are never built from a forged Host
  const signIn = createHttpApp(hub, undefined, {
    web: {
      oidc: null,
      github: { clientId: 'Iv23fuzz', clientSecret: secret('fuzz'), apiUrl: 'http://127.0.0.1:9' },
      publicUrl: null,
      secureCookies: false,
      sessionHours: 24,
    },
  });
  for (const path of ['/auth/github/login', '/auth/github/callback?code=x&state=y', '/developers', '/meetings']) {
    requests++;
    const r = await signIn.request(`http://attacker.example${path}`);
    const body = `${r.headers.get('location') ?? ''} ${await r.text()}`;
    if (/redirect_uri=http%3A%2F%2Fattacker|(https?|webcal):\/\/attacker\.example\//.test(body))
      found.push(`${path} under Host attacker.example names it: ${r.status}`);
  }

  // lists one person could grow without end: one past each bound is a 422 naming the field
  const db = hub.store.db;
  const lenaId = lena.person.id;
  const priyaId = (await db.selectFrom('people').select('id').where('handle', '=', 'priya').executeTakeFirstOrThrow())
    .id;
  const now7 = new Date().toISOString();
  const past = await db
    .selectFrom('meetings')
    .select(['id', 'number'])
    .where('starts_at', '<', now7)
    .where('cancelled_at', 'is', null)
    .orderBy('starts_at', 'desc')
    .executeTakeFirstOrThrow();
  const fill = async (
    table:
      | 'meeting_actions'
      | 'meeting_decisions'
      | 'decision_responses'
      | 'decision_votes'
      | 'proposal_evidence'
      | 'api_tokens',
    rows: (i: number) => object,
    n: number,
  ) => {
    for (let from = 0; from < n; from += 100)
      await db
        .insertInto(table)
        .values(Array.from({ length: Math.min(100, n - from) }, (_, i) => rows(from + i)) as never)
        .execute();
  };
  const { LIMITS } = await import('../src/domain/limits.ts');
  await fill(
    'meeting_actions',
    (i) => ({
      id: `f7a-${i}`,
      meeting_id: past.id,
      owner_id: lenaId,
      description: `Action ${i}`,
      due_date: '2099-01-01',
      done_at: null,
      created_at: now7,
    }),
    LIMITS.actionItems,
  );
  refusedNaming(
    'the 301st action item',
    await rest('POST', `/api/meetings/M-${past.number}/actions`, {
      owner: 'priya',
      description: 'One more',
      due: '2099-01-01',
    }),
    'description',
  );
  await fill(
    'meeting_decisions',
    (i) => ({
      id: `f7d-${i}`,
      meeting_id: past.id,
      summary: `Decided ${i}`,
      decision_ref: null,
      recorded_by: 'lena-core',
      recorded_at: now7,
    }),
    LIMITS.meetingDecisions,
  );
  refusedNaming(
    'the 201st decision recorded',
    await rest('POST', `/api/meetings/M-${past.number}/decisions`, { summary: 'One more decided' }),
    'summary',
  );
  const open = await db
    .selectFrom('decisions')
    .select(['id', 'number'])
    .where('withdrawn_at', 'is', null)
    .where('deadline', '>', now7)
    .orderBy('number')
    .executeTakeFirstOrThrow();
  await fill(
    'decision_responses',
    (i) => ({
      id: `f7r-${i}`,
      decision_id: open.id,
      person_id: priyaId,
      kind: 'consent',
      reason: null,
      alternative: null,
      resolution_criteria: null,
      amendment: null,
      organisation: null,
      eligible: 1,
      at: now7,
    }),
    LIMITS.responsesPerPerson,
  );
  refusedNaming(
    'the 51st response of one person',
    await rest('POST', `/api/decisions/D-${open.number}/responses`, { kind: 'consent' }, {}, as6.priya),
    'kind',
  );
  const voting = await db
    .selectFrom('decisions')
    .select(['id', 'number'])
    .where('vote_requested_at', 'is not', null)
    .where('withdrawn_at', 'is', null)
    .orderBy('number')
    .executeTakeFirst();
  const vote = () => rest('POST', `/api/decisions/D-${voting?.number}/votes`, { choice: 'no' }, {}, as6.priya);
  if (!voting || (await vote()).status !== 200) found.push('round 7: no open vote priya may vote in');
  else {
    await fill(
      'decision_votes',
      (i) => ({
        id: `f7v-${i}`,
        decision_id: voting.id,
        person_id: priyaId,
        choice: 'yes',
        rationale: null,
        organisation: null,
        eligible: 1,
        at: now7,
      }),
      LIMITS.votesPerPerson,
    );
    refusedNaming('the 51st vote of one person', await vote(), 'choice');
  }
  const proposal = await db
    .selectFrom('proposals')
    .select(['id', 'number'])
    .orderBy('number')
    .executeTakeFirstOrThrow();
  await fill(
    'proposal_evidence',
    (i) => ({
      id: `f7e-${i}`,
      proposal_id: proposal.id,
      kind: 'other',
      description: `Seen ${i}`,
      url: null,
      organisation: null,
      sdk: null,
      added_by: priyaId,
      added_at: now7,
    }),
    LIMITS.evidencePerPerson,
  );
  refusedNaming(
    'the 51st evidence of one person',
    await rest(
      'POST',
      `/api/proposals/P-${proposal.number}/evidence`,
      { kind: 'other', description: 'One more seen.' },
      {},
      as6.priya,
    ),
    'description',
  );
  await fill(
    'api_tokens',
    (i) => ({
      id: `f7t-${i}`,
      person_id: priyaId,
      token_hash: `fuzz7-${i}`,
      label: 'api',
      created_at: now7,
      revoked_at: null,
      last_used_at: null,
    }),
    LIMITS.tokensPerPerson,
  );
  refusedNaming(
    'the 101st token of one person',
    await rest('POST', '/api/people/priya/tokens', { label: 'one more' }, {}, as6.priya),
    'label',
  );

  // imported documents: a SEP of 100,000 headings (a pull request's file) is refused, in time
  const { importSepText } = await import('../src/app/imports/seps.ts');
  const sep = `# SEP-4799: Many headings\n\n- **Status**: Draft\n- **Type**: Standards Track\n- **Created**: 2026-01-01\n- **Author(s)**: Ada (@ada)\n\n${Array.from({ length: 100_000 }, (_, i) => `## Part ${i}`).join('\n')}\n`;
  const refusedSep = await timed('a SEP of 100,000 headings', () =>
    importSepText(hub, SYSTEM, sep, 'seps/4799-many.md', () => {}).then(
      () => 'imported',
      (e: Error) => e.message,
    ),
  );
  if (!/headings; an imported document may have at most/.test(refusedSep))
    found.push(`a SEP of 100,000 headings → ${refusedSep.slice(0, 120)}`);

  // reply by mail: a From naming the owner beside a stranger is refused, never read as the owner's
  const { parseMail, soleSender } = await import('../src/app/notifications/parse-mail.ts');
  for (const from of ['ana@example.org, mallory@evil.example', 'Team: ana@example.org, mallory@evil.example;']) {
    const taken = await parseMail(`From: ${from}\r\nTo: x@y.org\r\n\r\nHello.\r\n`, 'mail')
      .then(
        (m) => soleSender(m, 'mail'),
        (e: Error) => e.message,
      )
      .catch((e: Error) => `refused: ${e.message}`);
    if (!taken.startsWith('refused')) found.push(`a From of '${from}' read as ${taken}`);
  }
}

await client.close();
await store.close();

console.log(`${requests} REST requests, ${calls} MCP tool calls; ${found.length} findings`);
for (const f of found) console.log(f);
process.exitCode = found.length ? 1 : 0;
