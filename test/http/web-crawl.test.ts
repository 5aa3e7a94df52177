// Every page reachable from `/` on a hub with the demo community (its proposals, decisions and
// meetings too) and the real corpus imported, signed out and as each demo role (a lead maintainer,
// a core maintainer, a group lead, a member, a contributor): no link a reader can follow answers
// 4xx or 5xx, and no page's visible text has doubled punctuation or a count larger than its whole
// ("Quorum: 2 of 1").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { importCorpus } from '../../src/app/imports/corpus.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { CORPUS } from '../support/corpus.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub, type TestHub } from '../support/hub.ts';
import { punctuationSlips } from '../support/punctuation.ts';
import { WebClient } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: false, sessionHours: 24 };

/** Links a reader follows: same-site pages, not the sign-out form, API documents or feeds. */
function pageLinks(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<a\b[^>]*\bhref="([^"]+)"/g)) {
    const href = m[1]!.replace(/&amp;/g, '&').split('#')[0]!;
    if (!href.startsWith('/') || href.startsWith('//')) continue;
    out.push(href);
  }
  return out;
}

/**
 * Walks the site breadth-first from `/`, a few pages at a time (the pages are only read, and on
 * PostgreSQL one page's queries wait on the server while another's render); returns every dead link
 * with the page it was on.
 */
async function crawl(w: WebClient, limit = 1500): Promise<{ dead: string[]; slips: string[]; pages: number }> {
  const seen = new Set<string>(['/']);
  let level: { url: string; from: string }[] = [{ url: '/', from: '(start)' }];
  const dead: string[] = [];
  const slips = new Set<string>();
  let pages = 0;
  const visit = async ({ url, from }: { url: string; from: string }, next: { url: string; from: string }[]) => {
    const r = await w.get(url);
    if (r.status >= 400) {
      dead.push(`${r.status} ${url} (linked from ${from})`);
      return;
    }
    if (r.status >= 300 && r.location && !seen.has(r.location)) {
      seen.add(r.location);
      next.push({ url: r.location, from: url });
    }
    if (r.status >= 300 || url.startsWith('/api/') || url.endsWith('.ics')) return;
    for (const slip of punctuationSlips(r.html)) slips.add(`${url}: ${slip}`);
    for (const link of pageLinks(r.html)) {
      // a page of search results or a filtered list is the same page with other words; one of each is enough
      const key = link.replace(/\?(offset|cursor|before)=.*$/, '');
      if (seen.has(key) || /^\/(sign-out|auth\/)/.test(link)) continue;
      seen.add(key);
      next.push({ url: link, from: url });
    }
  };
  while (level.length && pages < limit) {
    const todo = level.slice(0, limit - pages);
    pages += todo.length;
    const next: { url: string; from: string }[] = [];
    const lanes = Array.from({ length: CRAWL_LANES }, async () => {
      for (let item = todo.shift(); item; item = todo.shift()) await visit(item, next);
    });
    await Promise.all(lanes);
    level = next;
  }
  return { dead, slips: [...slips], pages };
}

const CRAWL_LANES = 4;

describe.each(databases)('no dead links and no doubled punctuation on $name', (database) => {
  let hub: TestHub;
  const client = () => new WebClient(createHttpApp(hub, undefined, { web: demo }));
  beforeAll(async () => {
    hub = await openDemoHub(database, { work: true, start: '2026-12-02T09:00:00Z' });
    // the crawl reads pages back to back in process, over 500 a second on a quiet machine: past a
    // session's per-second read budget, which is the rate limits' own tests' business, not this one's
    hub.governance.rateLimits = { ...hub.governance.rateLimits, enabled: false };
    await importCorpus(hub, SYSTEM, CORPUS);
  }, 600_000);
  afterAll(async () => hub?.close());

  it('signed out, every page reachable from / answers', async () => {
    const { dead, slips, pages } = await crawl(client());
    expect(pages).toBeGreaterThan(80);
    expect(dead).toEqual([]);
    expect(slips).toEqual([]);
  }, 600_000);

  for (const handle of ['lena-core', 'kai-core', 'sam-lead', 'priya', 'amara'])
    it(`signed in as ${handle}, every page reachable from / answers`, async () => {
      const w = client();
      await w.get('/sign-in');
      expect((await w.post('/sign-in/demo', { handle })).status).toBe(303);
      const { dead, slips, pages } = await crawl(w);
      expect(pages).toBeGreaterThan(80);
      expect(dead).toEqual([]);
      expect(slips).toEqual([]);
    }, 600_000);
});
