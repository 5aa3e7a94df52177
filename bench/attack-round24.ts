// Attack round 24, against a running hub (`wghub serve`, rate limits off): a decision's timeline paged
// with hostile cursors and filled with long responses, the HTTP edge's route memory flooded with
// distinct paths and asked for look-alike ones, proposed groups and their charters grown as far as
// one member can, affiliation days at the edges of the rule, and raw HTTP framing (pipelining,
// Expect: 100-continue). Prints each answer that is a 5xx or not problem+json and each expectation
// that failed. Usage:
//   node bench/attack-round24.ts --url http://127.0.0.1:9624 --lead TOKEN --member TOKEN --other TOKEN --core TOKEN
// (lead: sam-lead, member: priya, other: jonas, core: lena-core of the demo community). One person has
// at most 10 groups proposed at once: after a run priya has them, so later runs see the refusal at once.
import { connect } from 'node:net';
import { arg, attacker } from './attack-support.ts';
import { percentile } from './support.ts';

const base = arg('url');
const tokens = { lead: arg('lead'), member: arg('member'), other: arg('other'), core: arg('core') };
type Who = keyof typeof tokens;
const { found, call, race, expectStatus, report } = attacker<Who>(base, tokens);
const run = Date.now().toString(36);

// ── a decision's timeline ─────────────────────────────────────────────────────────────────────────
const opened = await call('lead', 'POST', '/api/decisions', {
  group: 'hosting',
  subject: { type: 'process' },
  question: `Round 24 ${run}: should the timeline hold?`,
  significance: 'minor',
});
const ref = opened.json?.ref as string;
console.log('decision', opened.status, ref ?? opened.text.slice(0, 200));
const timeline = (q: string) => call(null, 'GET', `/api/decisions/${ref}/timeline${q}`);
for (const before of [
  '',
  '0',
  '-1',
  '1.5',
  '1e3',
  '0x10',
  'abc',
  '99999999999999999999',
  '2147483648',
  '%D9%A1',
  '+1',
  '1%20',
])
  await expectStatus(`timeline before=${before}`, 422, timeline(`?before=${before}`));
await expectStatus('timeline before twice', 400, timeline('?before=1&before=2'));
await expectStatus('timeline before=%00', 400, timeline('?before=%00'));
for (const limit of ['0', '101', '-5', '1.0'])
  await expectStatus(`timeline limit=${limit}`, 422, timeline(`?limit=${limit}`));
await expectStatus('timeline before=1 (none before)', 200, timeline('?before=1'));
await expectStatus('the web timeline, before=abc', 422, call(null, 'GET', `/decisions/${ref}/timeline?before=abc`));
await expectStatus('the web timeline, before=0', 422, call(null, 'GET', `/decisions/${ref}/timeline?before=0`));
const mcp = (who: Who | null, name: string, args: object) =>
  call(
    who,
    'POST',
    '/mcp',
    { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } },
    { accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' },
  );
for (const args of [
  { before: 0 },
  { before: '5' },
  { before: 1.5 },
  { before: 1e300 },
  { limit: 1000 },
  { before: -0 },
]) {
  const a = await mcp('member', 'decision_timeline', { ref, ...args });
  const refused = /"isError":true/.test(a.text) && /before|limit/.test(a.text);
  if (!refused)
    found.push(`MCP decision_timeline ${JSON.stringify(args)}: not refused naming it: ${a.text.slice(0, 200)}`);
  console.log(`${refused ? 'held' : 'FOUND'} MCP decision_timeline ${JSON.stringify(args)}`);
}
// fill it: three people answering 30 times each with two texts of 20,000 characters
const long = (c: string) => `${c} `.repeat(20_000).slice(0, 20_000);
for (const who of ['member', 'other', 'lead'] as const)
  for (let i = 0; i < 30; i++)
    await call(who, 'POST', `/api/decisions/${ref}/responses`, {
      kind: 'concern',
      reason: long(`r${i}`),
      amendment: long(`a${i}`),
    });
// page back from the latest to the first: every page within the bound, each `before` smaller, no loop
let before: number | null = null;
let pages = 0;
let events = 0;
const ms: number[] = [];
for (;;) {
  const a = await timeline(before === null ? '' : `?before=${before}`);
  ms.push(a.ms);
  if (a.status !== 200) break;
  pages++;
  events += a.json.items.length;
  const chars = a.json.items.reduce((n: number, e: any) => n + JSON.stringify(e.after ?? null).length, 0);
  if (a.json.items.length > 1 && chars > 200_000 + 50_000) found.push(`timeline page of ${chars} characters of facts`);
  const next = a.json.earlier?.before ?? null;
  if (next !== null && before !== null && next >= before) {
    found.push(`timeline paging loops: before ${before} gave ${next}`);
    break;
  }
  if (next === null || pages > 500) break;
  before = next;
}
const whole = await call(null, 'GET', `/api/decisions/${ref}`);
console.log(
  `timeline: ${events} events in ${pages} pages, p50 ${percentile(ms, 50).toFixed(0)} ms, max ${Math.max(...ms).toFixed(0)} ms; the decision ${whole.text.length} characters in ${whole.ms.toFixed(0)} ms`,
);

// ── the route memory ──────────────────────────────────────────────────────────────────────────────
const variants = [
  '/api/groups/hosting',
  '/api/groups/Hosting',
  '/api/groups/hosting/',
  '/api/groups/%68osting',
  '/api/groups//hosting',
  '/API/groups/hosting',
  '/api/groups/hosting%2F',
  '/api/groups/%2568osting',
  '/api/groups/x/../hosting',
  '/api/groups/hosting%E2%80%AE',
  `/api/decisions/${ref}`,
  `/api/decisions/${ref.toLowerCase()}`,
  `/api/decisions/${ref}/`,
  `/api/decisions/${ref}/TIMELINE`,
  '/groups/hosting',
  '/groups/Hosting',
  '/mcp/',
];
const methods = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'];
const said = async (m: string, p: string) => {
  const a = await call(null, m, p);
  return `${a.status} ${a.headers.get('content-type')?.split(';')[0]} ${a.json?.slug ?? a.json?.ref ?? a.json?.type ?? ''}`;
};
const first = new Map<string, string>();
for (const m of methods) for (const p of variants) first.set(`${m} ${p}`, await said(m, p));
const victim = async () => {
  const t: number[] = [];
  for (let i = 0; i < 200; i++) t.push((await call(null, 'GET', '/api/groups/hosting')).ms);
  return percentile(t, 50);
};
const calm = await victim();
// 3,000 distinct paths that reach a route (unknown groups), each of three methods: past the 1,000 kept
await Promise.all(
  Array.from({ length: 8 }, async (_, w) => {
    for (let i = w; i < 3_000; i += 8)
      await call(null, ['GET', 'HEAD', 'DELETE'][i % 3]!, `/api/groups/r24-${run}-${i}`);
  }),
);
const flooded = await victim();
for (const m of [...methods].reverse())
  for (const p of [...variants].reverse()) {
    const now = await said(m, p);
    if (now !== first.get(`${m} ${p}`))
      found.push(`route memory: ${m} ${p} answered ${first.get(`${m} ${p}`)}, then ${now}`);
  }
console.log(
  `route memory: ${variants.length * methods.length} method and path pairs answered alike before and after a flood; a read p50 ${calm.toFixed(1)} ms, after it ${flooded.toFixed(1)} ms`,
);

// ── proposed groups and their charters ────────────────────────────────────────────────────────────
const text = (c: string, n: number) => `Words about ${c} here. `.repeat(Math.ceil(n / 20)).slice(0, n);
let refused: any = null;
for (let i = 0; i <= 10 && !refused; i++) {
  const a = await call('member', 'POST', '/api/groups', {
    slug: `r24-${run}-${i}`,
    name: `Round 24 ${run} ${i}`,
    kind: 'working',
    mission: text('mission', 20_000),
    scopeIn: [text('scope', 5_000)],
    leads: ['priya'],
  });
  if (a.status === 409) refused = a.json;
  else if (a.status !== 201) found.push(`proposing group ${i}: ${a.status} ${a.text.slice(0, 200)}`);
  else
    await call(
      'member',
      'PATCH',
      `/api/groups/r24-${run}-${i}`,
      {
        sections: ['Mission Statement', 'Operations', 'Membership', 'Authority & Decision Rights'].map((heading) => ({
          heading,
          markdown: text(heading, 49_000),
        })),
      },
      { 'if-match': `"v${a.json.version}"` },
    );
}
if (refused?.rule !== 'too-many-groups-proposed') found.push('one member proposed 11 groups: none refused');
console.log(`${refused ? 'held' : 'FOUND'} the 11th proposed group: ${String(refused?.detail ?? '').slice(0, 160)}`);
const list = await call(null, 'GET', '/api/groups?limit=200');
const needs = await call('core', 'GET', '/api/me/needs');
console.log(
  `groups list ${list.text.length} characters in ${list.ms.toFixed(0)} ms; a core maintainer's needs in ${needs.ms.toFixed(0)} ms`,
);
// a charter's Changelog, a line of 5,000 characters at a time
const logs = await call('lead', 'POST', '/api/groups', {
  slug: `r24-log-${run}`,
  name: `Round 24 log ${run}`,
  kind: 'working',
  mission: 'A group whose changelog grows, for attack round 24.',
  scopeIn: ['Changelogs'],
  leads: ['sam-lead'],
});
let version = logs.json?.version;
let lines = 0;
let stop: any = null;
for (; lines < 40 && version; lines++) {
  const a = await call(
    'lead',
    'PATCH',
    `/api/groups/r24-log-${run}`,
    { changelog: `${lines} ${'x'.repeat(4_990)}` },
    { 'if-match': `"v${version}"` },
  );
  if (a.status !== 200) {
    stop = a;
    break;
  }
  version = a.json.version;
}
const named = stop?.status === 422 && stop.json?.errors?.[0]?.field === 'changelog';
if (!named) found.push(`changelog: ${lines} lines of 5,000 taken, then ${stop?.status ?? 'none refused'}`);
console.log(
  `${named ? 'held' : 'FOUND'} changelog: ${lines} lines taken, then ${stop?.status} ${String(stop?.json?.detail ?? '').slice(0, 140)}`,
);

// a charter's history: a charter of 250,000 characters amended 40 times, then the group's page after one more
let big = await call('lead', 'POST', '/api/groups', {
  slug: `r24-hist-${run}`,
  name: `Round 24 history ${run}`,
  kind: 'working',
  mission: 'A group whose charter is amended often, for attack round 24.',
  scopeIn: ['History'],
  leads: ['sam-lead'],
});
const amend = async (sections: { heading: string; markdown: string }[]) => {
  big = await call(
    'lead',
    'PATCH',
    `/api/groups/r24-hist-${run}`,
    { sections },
    { 'if-match': `"v${big.json?.version}"` },
  );
  if (big.status !== 200) found.push(`amending the history group: ${big.status} ${big.text.slice(0, 200)}`);
};
await amend(
  ['Mission Statement', 'Operations', 'Membership', 'Authority & Decision Rights', 'Scope'].map((heading) => ({
    heading,
    markdown: text(heading, 48_000),
  })),
);
for (let i = 0; i < 40 && big.status === 200; i++)
  await amend([{ heading: 'Operations', markdown: `${text('Operations', 40_000)} ${i}` }]);
const views: number[] = [];
for (let i = 0; i < 3; i++) {
  await amend([{ heading: 'Operations', markdown: `Short ${i}` }]);
  views.push((await call(null, 'GET', `/groups/r24-hist-${run}`)).ms);
}
console.log(
  `a charter amended 44 times: the group's page after the next amendment ${views.map((v) => v.toFixed(0)).join(', ')} ms`,
);

// ── affiliation days ──────────────────────────────────────────────────────────────────────────────
for (const [a, status] of [
  [{ from: '1899-12-31' }, 422],
  [{ from: '2101-01-01' }, 422],
  [{ from: '0000-01-01' }, 422],
  [{ from: '+02024-01-01' }, 422],
  [{ from: '2023-02-29' }, 422],
  [{ from: '2025-01-01', to: '2024-12-31' }, 422],
  [{ from: '2024-02-29' }, 200],
  [{ from: '1900-01-01', to: '2100-12-31' }, 200],
] as const) {
  const me = await call('other', 'GET', '/api/people/jonas');
  await expectStatus(
    `affiliation ${JSON.stringify(a)}`,
    status,
    call(
      'other',
      'PATCH',
      '/api/people/jonas',
      { affiliations: [{ organisation: 'Independent', ...a }] },
      { 'if-match': me.headers.get('etag')! },
    ),
  );
}

// ── raw HTTP framing ──────────────────────────────────────────────────────────────────────────────
const url = new URL(base);
const raw = (data: string, ms = 5_000) =>
  new Promise<string>((resolve) => {
    const s = connect(Number(url.port), url.hostname);
    let out = '';
    s.on('data', (d) => {
      out += d;
    });
    s.on('close', () => resolve(out));
    s.on('error', () => resolve(out));
    s.write(data);
    setTimeout(() => s.destroy(), ms);
  });
const get = (p: string) => `GET ${p} HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`;
const statuses = (out: string) => out.match(/HTTP\/1\.1 \d{3}/g) ?? [];
const piped = await raw(
  Array.from({ length: 300 }, (_, i) =>
    get(i % 2 ? '/api/groups/hosting' : `/api/decisions/${ref}/timeline?limit=1`),
  ).join(''),
);
if (statuses(piped).length !== 300 || statuses(piped).some((s) => !s.endsWith('200')))
  found.push(`300 pipelined reads: ${statuses(piped).length} answered`);
console.log(`pipelined: ${statuses(piped).length} of 300 answered`);
const body = '{"x":1}';
const after = statuses(
  await raw(
    `POST /api/decisions HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}${get('/api/groups/hosting')}${get(`/api/decisions/${ref}/timeline?before=0`)}`,
  ),
);
if (after.join() !== 'HTTP/1.1 401,HTTP/1.1 200,HTTP/1.1 422')
  found.push(`a refused write pipelined before reads: ${after.join()}`);
console.log(`a refused write, then two reads on one connection: ${after.join(', ')}`);
const cont = statuses(
  await raw(
    `POST /api/decisions HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: 900000\r\nExpect: 100-continue\r\n\r\n`,
    2_000,
  ),
);
console.log(`Expect: 100-continue without a token: ${cont.join(', ')}`);

await race(
  'the timeline read 50 times at once',
  Array.from({ length: 50 }, () => timeline('')),
);
report();
