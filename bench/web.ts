// Web UI speed and weight with the real MCP governance corpus imported beside the demo community:
// server render time per main page (p50/p95 over --runs requests, in-process, after a warm-up)
// and bytes transferred per page with gzip (the page plus its stylesheet and script, as a first
// visit downloads them). With --screenshots DIR it also saves PNGs of the main pages from
// Chromium (the README's pictures; the member home and the phone views are the widths journey's,
// test/web/widths.browser.test.ts with WGHUB_DOCS_SCREENSHOTS=1). The hub's rate limits are off: one client asking for the search
// page hundreds of times a minute is a flood to them (20 searches a second), and a refusal timed as a
// render, or measured as a page, is no figure. Every response measured must be a 200.
// Usage: node bench/web.ts [--runs 200] [--corpus DIR] [--screenshots docs/screenshots]
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { importCorpus } from '../src/app/imports/corpus.ts';
import { loadDemoCommunity } from '../src/app/demo/demo.ts';
import { openDecision } from '../src/app/decisions/decisions.ts';
import { loadGovernance } from '../src/app/core/governance-file.ts';
import { personRow } from '../src/app/people/people.ts';
import { createProposal, supportProposal } from '../src/app/proposals/proposals.ts';
import { createHub, SYSTEM } from '../src/app/core/hub.ts';
import { ReadCache } from '../src/app/core/read-cache.ts';
import { createHttpApp } from '../src/http/server.ts';
import { ASSETS } from '../src/http/web/assets.ts';
import { openStore } from '../src/store/connect.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { percentile as pct } from './support.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '200' },
    corpus: { type: 'string', default: path.resolve(import.meta.dirname, '../../shared/corpus/mcp-governance') },
    screenshots: { type: 'string' },
  },
});
const RUNS = Number(values.runs);

const dir = mkdtempSync(path.join(tmpdir(), 'wghub-bench-web-'));
const store = openStore(`sqlite:${path.join(dir, 'hub.sqlite')}`);
await migrateToLatest(store.db);
const governance = loadGovernance();
const hub = createHub(store, { ...governance, rateLimits: { ...governance.rateLimits, enabled: false } });
await loadDemoCommunity(hub);
let t = performance.now();
const report = await importCorpus(hub, SYSTEM, values.corpus);
console.log(`corpus imported: ${report.imported} items in ${((performance.now() - t) / 1000).toFixed(1)} s`);
// Something on the member's plate, so home shows what it is for.
const as = async (h: string) => ({ kind: 'person' as const, person: await personRow(store.db, h) });
await openDecision(hub, await as('sam-lead'), {
  group: 'hosting',
  subject: { type: 'process' },
  question: 'Meet fortnightly, alternating time slots for Asia and the Americas?',
  significance: 'minor',
});
const mine = await createProposal(hub, await as('jonas'), {
  title: 'Session affinity guide for load-balanced MCP servers',
  problem: 'Operators cannot scale stateful MCP servers behind a load balancer.',
  layer: 'working-group-artifact',
  group: 'hosting',
});
await supportProposal(hub, await as('priya'), mine.ref);
const app = createHttpApp(hub, undefined, {
  web: { oidc: null, publicUrl: null, secureCookies: false, sessionHours: 24 },
});

// Sign in as a demo member the way a browser does: the visitor's CSRF cookie, then the form.
const signInPage = await app.request('http://localhost/sign-in', { headers: { Accept: 'text/html' } });
const visitor = signInPage.headers.getSetCookie()[0]!.split(';')[0]!;
const token = /name="_csrf" value="([^"]+)"/.exec(await signInPage.text())![1]!;
const signIn = await app.request('http://localhost/sign-in/demo', {
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: visitor, Origin: 'http://localhost' },
  body: new URLSearchParams({ handle: 'priya', _csrf: token }).toString(),
});
const session = signIn.headers
  .getSetCookie()
  .find((c) => c.startsWith('wghub_session='))!
  .split(';')[0]!;

const PAGES: { name: string; path: string; member?: boolean }[] = [
  { name: 'welcome (visitor)', path: '/welcome' },
  { name: 'home (member)', path: '/', member: true },
  { name: 'groups', path: '/groups' },
  { name: 'group: hosting (demo)', path: '/groups/hosting' },
  { name: 'group: registry (real charter)', path: '/groups/registry' },
  { name: 'search "stateless session"', path: '/search?q=stateless+session' },
  { name: 'how we work', path: '/how-we-work' },
  { name: 'log (50 newest)', path: '/log' },
  { name: 'sign-in', path: '/sign-in' },
];

async function fetchPage(p: (typeof PAGES)[number], gzip: boolean): Promise<Response> {
  const res = await app.request(`http://localhost${p.path}`, {
    headers: {
      Accept: 'text/html',
      Cookie: p.member ? session : visitor,
      ...(gzip ? { 'Accept-Encoding': 'gzip' } : {}),
    },
  });
  if (res.status !== 200) throw new Error(`${p.path} answered ${res.status}: ${await res.text()}`);
  return res;
}

async function gzippedBytes(url: string, cookie = visitor): Promise<number> {
  const res = await app.request(`http://localhost${url}`, {
    headers: { Accept: '*/*', Cookie: cookie, 'Accept-Encoding': 'gzip' },
  });
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  if (res.headers.get('content-encoding') !== 'gzip' && Number(res.headers.get('content-length') ?? 2000) > 1024)
    throw new Error(`${url} was not compressed`);
  return (await res.arrayBuffer()).byteLength;
}

const css = await gzippedBytes(ASSETS.css.path);
const js = await gzippedBytes(ASSETS.js.path);
const rows: string[] = [];
for (const p of PAGES) {
  const first = await fetchPage(p, false);
  const raw = (await first.arrayBuffer()).byteLength;
  for (let i = 0; i < 20; i++) await (await fetchPage(p, false)).arrayBuffer();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    t = performance.now();
    await (await fetchPage(p, false)).arrayBuffer();
    times.push(performance.now() - t);
  }
  // the same page when every read misses the cache (as right after a write)
  const cold: number[] = [];
  for (let i = 0; i < Math.min(RUNS, 100); i++) {
    hub.reads = new ReadCache();
    t = performance.now();
    await (await fetchPage(p, false)).arrayBuffer();
    cold.push(performance.now() - t);
  }
  const page = await gzippedBytes(p.path, p.member ? session : visitor);
  rows.push(
    `| ${p.name} | ${pct(times, 50).toFixed(1)} ms | ${pct(times, 95).toFixed(1)} ms | ${pct(cold, 95).toFixed(1)} ms | ${(raw / 1024).toFixed(1)} KB | ${((page + css + js) / 1024).toFixed(1)} KB |`,
  );
}
console.log(`\nweb pages, ${RUNS} renders each after 20 warm-up, SQLite, in-process (no network)\n`);
console.log(
  '| page | render p50 | render p95 | p95 after a write (cache missed) | HTML | transferred, gzip, incl. CSS+JS |',
);
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
console.log(`\nCSS ${css} B and JS ${js} B gzipped (cached for a year after the first page).`);

if (values.screenshots) {
  const out = path.resolve(values.screenshots);
  mkdirSync(out, { recursive: true });
  const { chromium } = await import('playwright-core');
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const profile = mkdtempSync(path.join(tmpdir(), 'wghub-shots-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.WGHUB_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox'],
    viewport: { width: 1200, height: 900 },
  });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  const shot = async (name: string, url: string, full = false) => {
    await page.goto(base + url);
    await page.screenshot({ path: path.join(out, `${name}.png`), fullPage: full });
  };
  await shot('welcome', '/welcome');
  // a group's home as a newcomer finds it, before signing in
  await shot('group', '/groups/hosting');
  await shot('sign-in', '/sign-in');
  await page.getByRole('button', { name: 'Sign in as Priya Nair' }).click();
  await page.waitForURL(`${base}/`);
  await shot('groups', '/groups');
  await shot('search', '/search?q=stateless+session&kind=sep');
  await shot('how-we-work', '/how-we-work');
  await shot('log', '/log?verify=1');
  await ctx.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
  console.log(`screenshots saved in ${out}`);
}

await store.close();
rmSync(dir, { recursive: true, force: true });
