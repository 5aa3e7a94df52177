// The web's /meetings lists a page at a time (LIMITS.webListPage, lowered here to 1: the demo has two meetings to come): it showed at most 200
// meetings in each list and said only "Only 200 meetings are shown". The meetings to come page by REST's
// cursor (GET /api/meetings/upcoming), the meetings held by their own (`pastCursor`), each list's links
// keeping the other's page; a cursor neither gave is named (422), never a 200 looking like an empty list.
// Both databases.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/domain/limits.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub, type TestHub } from '../support/hub.ts';
import { pageText, WebClient } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };
const limits = LIMITS as { webListPage: number };
const shipped = LIMITS.webListPage;

describe.each(databases)('paging the meetings on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  beforeEach(async () => {
    limits.webListPage = 1;
    hub = await openDemoHub(database);
    app = createHttpApp(hub, undefined, { web: demo });
  });
  afterEach(async () => {
    limits.webListPage = shipped;
    await hub?.close();
  });

  const section = (h: string, id: string) =>
    h.slice(h.indexOf(`<section aria-labelledby="${id}">`)).split('</section>')[0]!;
  const rows = (h: string) => [...h.matchAll(/<tr><td><a href="\/meetings\/([^"#]+)/g)].map((m) => m[1]);
  const link = (h: string, rel: string) =>
    new RegExp(`<a href="([^"]+)" rel="${rel}">`).exec(h)?.[1]?.replaceAll('&amp;', '&');

  it('the meetings to come a page at a time, by REST’s cursor, the first page linked back', async () => {
    const w = new WebClient(app);
    const first = await w.get('/meetings?past=1');
    expect(first.status).toBe(200);
    expect(first.html).not.toContain('Only 200 meetings');
    const coming = section(first.html, 'upcoming');
    expect(rows(coming)).toHaveLength(1);
    expect(coming).toContain('<nav class="pager" aria-label="Pages of upcoming meetings">');
    const next = link(coming, 'next')!;
    const rest = (await (await app.request('/api/meetings/upcoming?limit=1')).json()) as {
      items: { ref: string }[];
      nextCursor: string;
    };
    expect(rows(coming)).toEqual(rest.items.map((m) => m.ref));
    const url = new URL(next, 'http://x');
    expect(url.searchParams.get('cursor')).toBe(rest.nextCursor);
    expect(url.searchParams.get('past')).toBe('1');
    const second = await w.get(next);
    expect(second.status).toBe(200);
    const later = rows(section(second.html, 'upcoming'));
    expect(later.length).toBeGreaterThan(0);
    const restNext = (await (await app.request(`/api/meetings/upcoming?limit=1&cursor=${rest.nextCursor}`)).json()) as {
      items: { ref: string }[];
    };
    expect(later).toEqual(restNext.items.map((m) => m.ref));
    expect(link(section(second.html, 'upcoming'), 'first')).toBe('/meetings?past=1');
    // the past list stays on its first page
    expect(rows(section(second.html, 'past'))).toEqual(rows(section(first.html, 'past')));
  });

  it('the meetings held a page at a time by their own cursor, none twice', async () => {
    const w = new WebClient(app);
    const first = await w.get('/meetings?past=1');
    const held = section(first.html, 'past');
    expect(rows(held)).toHaveLength(1);
    const next = link(held, 'next')!;
    expect(new URL(next, 'http://x').searchParams.get('pastCursor')).toBeTruthy();
    const second = await w.get(next);
    expect(second.status).toBe(200);
    const more = rows(section(second.html, 'past'));
    expect(more.length).toBeGreaterThan(0);
    expect(more.filter((r) => rows(held).includes(r))).toEqual([]);
    expect(link(section(second.html, 'past'), 'first')).toBe('/meetings?past=1');
    expect(rows(section(second.html, 'upcoming'))).toEqual(rows(section(first.html, 'upcoming')));
  });

  it('a cursor neither list gave is named, 422, linked to the first page', async () => {
    const w = new WebClient(app);
    for (const param of ['cursor', 'pastCursor'])
      for (const bad of ['nonsense', 'A'.repeat(5000)]) {
        const r = await w.get(`/meetings?${param}=${bad}`);
        expect(r.status).toBe(422);
        expect(r.html).toContain(
          '<li><a href="/meetings">This address is not one the list gave (it may have been changed or cut short): go to the first page</a></li>',
        );
        expect(pageText(r.html)).not.toContain('No meetings coming up');
      }
  });
});
