// Render time and transferred bytes of the proposal, decision and meeting pages, with the real
// corpus imported (charters, 41 SEPs, artifacts) beside the demo community, a discussed proposal,
// an answered decision and the demo meetings. Requests go through the whole web app in process
// (session, CSRF, compression), signed in as a member.
// Usage: node bench/web-pages-pdm.ts [--corpus DIR] [--n 200]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { addComment } from '../src/app/proposals/comments.ts';
import { importCorpus } from '../src/app/imports/corpus.ts';
import { openDecision, respondToDecision } from '../src/app/decisions/decisions.ts';
import { loadDemoCommunity } from '../src/app/demo/demo.ts';
import { loadGovernance } from '../src/app/core/governance-file.ts';
import { createHub, SYSTEM, type Actor } from '../src/app/core/hub.ts';
import { personRow } from '../src/app/people/people.ts';
import { createProposal, supportProposal } from '../src/app/proposals/proposals.ts';
import { startWebSession } from '../src/app/people/web-sessions.ts';
import { createHttpApp } from '../src/http/server.ts';
import { ASSETS } from '../src/http/web/assets.ts';
import { PRIOR_WORK_SCRIPT } from '../src/http/web/pages/proposal-new.ts';
import { openStore } from '../src/store/connect.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { percentile } from './support.ts';

const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: '/work/shared/corpus/mcp-governance' },
    n: { type: 'string', default: '200' },
  },
});
const N = Number(values.n);

const dir = mkdtempSync(path.join(tmpdir(), 'wghub-web-bench-'));
const store = await openStore(`sqlite:${path.join(dir, 'bench.sqlite')}`);
await migrateToLatest(store.db);
const hub = createHub(store, loadGovernance());
await loadDemoCommunity(hub);
let t = performance.now();
const report = await importCorpus(hub, SYSTEM, values.corpus);
console.log(`corpus imported: ${report.imported} items in ${Math.round(performance.now() - t)} ms`);

const as = async (h: string): Promise<Actor> => ({ kind: 'person', person: await personRow(store.db, h) });
const p = await createProposal(hub, await as('priya'), {
  title: 'Session affinity behind load balancers',
  problem: 'Hosted MCP servers behind load balancers lose the session when a request lands on another process.',
  examples: ['Two pods drop the session id'],
  layer: 'working-group-artifact',
  group: 'hosting',
});
for (const h of ['sam-lead', 'jonas', 'amara']) await supportProposal(hub, await as(h), p.ref);
let parent: string | undefined;
for (let i = 0; i < 20; i++)
  parent = (
    await addComment(hub, await as(i % 2 ? 'sam-lead' : 'priya'), p.ref, {
      body: `Comment ${i} about **sticky sessions** and SEP-1303.`,
      ...(i % 3 && parent ? { parent } : {}),
    })
  ).id;
const d = await openDecision(hub, await as('sam-lead'), {
  group: 'hosting',
  subject: { type: 'proposal', ref: p.ref },
  question: 'Adopt the session affinity guide?',
  significance: 'minor',
});
await respondToDecision(hub, await as('priya'), d.ref, {
  kind: 'block',
  reason: 'untested',
  alternative: 'test it behind envoy first',
});
await respondToDecision(hub, await as('jonas'), d.ref, { kind: 'consent' });

const session = await startWebSession(hub, (await personRow(store.db, 'priya')).id, 'demo', 24);
const app = createHttpApp(hub, undefined, {
  web: { oidc: null, publicUrl: null, secureCookies: false, sessionHours: 24 },
});
const headers = { Accept: 'text/html', 'Accept-Encoding': 'gzip', Cookie: `wghub_session=${session.secret}` };

const pages = [
  '/proposals',
  `/proposals/${p.ref}`,
  '/proposals/SEP-1303',
  '/proposals/new',
  `/proposals/new/prior-work?title=${encodeURIComponent('Input validation errors as tool execution errors')}`,
  '/decisions',
  `/decisions/${d.ref}`,
  '/meetings',
  '/meetings/M-1',
  '/meetings/fair-times?group=hosting',
  '/',
];
const cssJs = gzipSync(ASSETS.css.body).length + gzipSync(ASSETS.js.body).length;
console.log(
  `\n${N} requests per page after 20 warm-up; CSS+JS gzip ${cssJs} B (+${gzipSync(PRIOR_WORK_SCRIPT.body).length} B prior-work script on /proposals/new)`,
);
console.log('page | p50 ms | p95 ms | HTML gzip B | page + CSS + JS gzip B');
for (const page of pages) {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < N + 20; i++) {
    t = performance.now();
    const res = await app.request(`http://localhost${page}`, { headers });
    const body = new Uint8Array(await res.arrayBuffer());
    if (res.status !== 200) throw new Error(`${page}: ${res.status}`);
    if (i >= 20) times.push(performance.now() - t);
    bytes = res.headers.get('content-encoding') === 'gzip' ? body.length : gzipSync(body).length;
  }
  const extra = page === '/proposals/new' ? gzipSync(PRIOR_WORK_SCRIPT.body).length : 0;
  console.log(
    `${page} | ${percentile(times, 50).toFixed(1)} | ${percentile(times, 95).toFixed(1)} | ${bytes} | ${bytes + cssJs + extra}`,
  );
}
await store.close();
rmSync(dir, { recursive: true, force: true });
