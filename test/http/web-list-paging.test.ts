// The web's long lists page alike, on both databases: a page at a time (LIMITS.webListPage, lowered
// here to 2), the next page and, past the first, the first page as plain links in a landmark a
// keyboard reaches (rel="next", rel="first"); a cursor hand-edited, cut short or out of range is
// named beside the field (422) or said to leave nothing more, never a 200 looking like an empty list;
// and the web's next page is the REST list's, from the same cursor.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDecision } from '../../src/app/decisions/decisions.ts';
import { createProposal } from '../../src/app/proposals/proposals.ts';
import { LIMITS } from '../../src/domain/limits.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { asActor, openDemoHub, type TestHub } from '../support/hub.ts';
import { pageText, WebClient } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };
const limits = LIMITS as { webListPage: number };
const shipped = LIMITS.webListPage;
/** A refused cursor in the error summary, in a reader's words. */
const PAGE_LINK_REFUSED =
  'This address is not one the list gave (it may have been changed or cut short): go to the first page';

describe.each(databases)('paging the web lists on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  beforeEach(async () => {
    limits.webListPage = 2;
    hub = await openDemoHub(database);
    app = createHttpApp(hub, undefined, { web: demo });
    const amara = await asActor(hub, 'amara');
    const sam = await asActor(hub, 'sam-lead');
    for (const [i, group] of ['hosting', 'hosting', 'hosting', 'hosting'].entries()) {
      await createProposal(hub, amara, {
        title: `Resumable streams, take ${i + 1}`,
        problem: 'A stream cut by a deploy cannot be resumed on another server process.',
        examples: ['A rolling deploy drops every open stream'],
        layer: 'working-group-artifact',
        group,
      });
      await openDecision(hub, sam, {
        group: 'hosting',
        subject: { type: 'process' },
        question: `Adopt the meeting time, take ${i + 1}?`,
        significance: 'minor',
      });
    }
  });
  afterEach(async () => {
    limits.webListPage = shipped;
    await hub?.close();
  });

  for (const list of ['proposals', 'decisions'] as const) {
    it(`${list}: next and first page links, a bad cursor named (422), a page past the end says so`, async () => {
      const w = new WebClient(app);
      const rows = (h: string) =>
        [...h.matchAll(new RegExp(`<tr><td><a href="/${list}/([^"]+)">`, 'g'))].map((m) => m[1]);
      const first = await w.get(`/${list}`);
      expect(first.status).toBe(200);
      expect(rows(first.html)).toHaveLength(2);
      // the links stand in a landmark of their own; the first page has no "First page"
      const nav = new RegExp(`<nav class="pager" aria-label="Pages of ${list}"><p>(.*?)</p></nav>`).exec(first.html);
      expect(nav?.[1]).toMatch(/^<a href="[^"]+" rel="next">Next page<\/a>$/);
      const next = /<a href="([^"]+)" rel="next">/.exec(first.html)![1]!.replaceAll('&amp;', '&');
      // the same cursor as REST gives for a page of the same size
      const rest = (await (await app.request(`/api/${list}?limit=2`)).json()) as { nextCursor: string };
      expect(new URL(next, 'http://x').searchParams.get('cursor')).toBe(rest.nextCursor);
      const second = await w.get(next);
      expect(second.status).toBe(200);
      expect(rows(second.html)).toHaveLength(2);
      expect(rows(second.html).filter((r) => rows(first.html).includes(r))).toEqual([]);
      expect(second.html).toContain(`<a href="/${list}" rel="first">First page</a>`);
      // and REST, from that cursor, lists what the second page shows
      const restSecond = (await (
        await app.request(`/api/${list}?limit=2&cursor=${encodeURIComponent(rest.nextCursor)}`)
      ).json()) as { items: { ref: string }[] };
      expect(restSecond.items.map((i) => i.ref)).toEqual(rows(second.html));

      // a cursor made up, forged past the numbers a list has or too long: named beside
      // the field, with the first page
      const forged = Buffer.from('99999999999999999999').toString('base64url');
      for (const bad of ['nonsense', forged, 'A'.repeat(5000)]) {
        const r = await w.get(`/${list}?cursor=${bad}`);
        expect([bad, r.status]).toEqual([bad, 422]);
        // in the reader's words, the summary's link going to the first page: there is no cursor field
        // to link to (a link to "#f-cursor" led nowhere), and "nextCursor" is REST's word
        expect(r.html).toContain(`<li><a href="/${list}">${PAGE_LINK_REFUSED}</a></li>`);
        expect(r.html).not.toContain('#f-cursor');
        expect(pageText(r.html)).not.toContain('nextCursor');
        expect(r.html).toContain(`<a href="/${list}" rel="first">First page</a>`);
        expect(pageText(r.html)).not.toMatch(/No (proposal|decision) matches/);
      }
      // a page past the end (the filter narrowed since the cursor was given): no more, and the way back
      const narrowed = await w.get(`/${list}?group=security&cursor=${encodeURIComponent(rest.nextCursor)}`);
      expect(narrowed.status).toBe(200);
      expect(rows(narrowed.html)).toEqual([]);
      expect(pageText(narrowed.html)).toContain(`No more ${list}: fewer match than when the page before was shown.`);
      expect(narrowed.html).toContain(`<a href="/${list}?group=security" rel="first">First page</a>`);
      // a number where the cursor goes, or an offset from an old link, is no way past the list
      const offset = await w.get(`/${list}?offset=-1`);
      expect(offset.status).toBe(200);
      expect(rows(offset.html)).toEqual(rows(first.html));
    });
  }

  it('search: a bad cursor leads to the first page of the same search (it showed no paging at all)', async () => {
    const r = await new WebClient(app).get('/search?q=streams&kind=proposal&cursor=nonsense');
    expect(r.status).toBe(422);
    expect(r.html).toContain(`<li><a href="/search?q=streams&amp;kind=proposal">${PAGE_LINK_REFUSED}</a></li>`);
    expect(r.html).not.toContain('#f-cursor');
  });
});
