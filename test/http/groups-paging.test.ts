// The web's /groups pages as the other long lists do (LIMITS.webListPage, lowered here to 2): it listed at
// most 100 groups and said nothing of the rest. The next page is REST's (GET /api/groups), from the same
// cursor; a cursor it did not give is named (422), never a 200 looking like an empty list. Both databases.
import type { KyselyPlugin } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CharterDocument } from '../../src/domain/charter-doc/document.ts';
import { LIMITS } from '../../src/domain/limits.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { readJson, writeJson } from '../../src/store/schema.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub, type TestHub } from '../support/hub.ts';
import { pageText, WebClient } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };
const limits = LIMITS as { webListPage: number };
const shipped = LIMITS.webListPage;

describe.each(databases)('paging the groups on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  beforeEach(async () => {
    limits.webListPage = 2;
    hub = await openDemoHub(database);
    app = createHttpApp(hub, undefined, { web: demo });
  });
  afterEach(async () => {
    limits.webListPage = shipped;
    await hub?.close();
  });

  it('a page at a time, REST’s cursor, the first page linked back, a bad cursor named', async () => {
    const w = new WebClient(app);
    const cards = (h: string) => [...h.matchAll(/<li class="card"><h3><a href="\/groups\/([^"]+)">/g)].map((m) => m[1]);
    const first = await w.get('/groups');
    expect(first.status).toBe(200);
    expect(cards(first.html)).toHaveLength(2);
    const nav = /<nav class="pager" aria-label="Pages of groups"><p>(.*?)<\/p><\/nav>/.exec(first.html);
    expect(nav?.[1]).toMatch(/^<a href="[^"]+" rel="next">Next page<\/a>$/);
    const next = /<a href="([^"]+)" rel="next">/.exec(first.html)![1]!.replaceAll('&amp;', '&');
    const rest = (await (await app.request('/api/groups?limit=2')).json()) as {
      items: { slug: string }[];
      nextCursor: string;
    };
    expect(rest.items.map((g) => g.slug).sort()).toEqual([...cards(first.html)].sort());
    expect(new URL(next, 'http://x').searchParams.get('cursor')).toBe(rest.nextCursor);
    const second = await w.get(next);
    expect(second.status).toBe(200);
    expect(cards(second.html).length).toBeGreaterThan(0);
    expect(cards(second.html).filter((s) => cards(first.html).includes(s))).toEqual([]);
    expect(second.html).toContain('<a href="/groups" rel="first">First page</a>');

    for (const bad of ['nonsense', 'A'.repeat(5000)]) {
      const r = await w.get(`/groups?cursor=${bad}`);
      expect(r.status).toBe(422);
      expect(r.html).toContain(
        '<li><a href="/groups">This address is not one the list gave (it may have been changed or cut short): go to the first page</a></li>',
      );
      expect(pageText(r.html)).not.toContain('No groups yet');
    }
  });

  // the page used to read every listed group's whole charter (up to 500,000 characters each) on every
  // request: an anonymous visitor reloading /groups made the database send about 25 MB a hit
  it("the list says what a group's page holds, and each topic area links to its card there", async () => {
    // a newcomer looking for the groups and topic areas for them read names with nowhere to go but the
    // group, and the first words on the page were what they may not do (propose a group)
    limits.webListPage = shipped;
    const w = new WebClient(app);
    const page = (await w.get('/groups')).html;
    expect(pageText(page)).toContain(
      "Each group's page has its charter (mission, scope and leadership), who leads it and who facilitates each of its topic areas, its meetings and open decisions, and the way to join it.",
    );
    expect(page).toContain('1 topic area: <a href="/groups/hosting#topic-horizontal-scaling">Horizontal scaling</a>');
    expect((await w.get('/groups/hosting')).html).toContain('id="topic-horizontal-scaling"');
  });

  it('reloading a page does not read the listed charters again, and a changed mission shows', async () => {
    let chars = 0;
    const counter: KyselyPlugin = {
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        for (const row of args.result.rows)
          for (const v of Object.values(row as Record<string, unknown>)) if (typeof v === 'string') chars += v.length;
        return args.result;
      },
    };
    hub.store = { ...hub.store, db: hub.store.db.withPlugin(counter) };
    const w = new WebClient(app);
    const first = await w.get('/groups');
    const slug = /<li class="card"><h3><a href="\/groups\/([^"]+)">/.exec(first.html)![1]!;
    const g = await hub.store.db.selectFrom('groups').selectAll().where('slug', '=', slug).executeTakeFirstOrThrow();
    const doc = readJson<CharterDocument>(g.charter);
    const mission = doc.sections.find((s) => /^mission/i.test(s.heading))!;
    mission.blocks = [{ type: 'markdown', text: 'Keep the hosting story boring and well documented.' }];
    doc.sections.push({ heading: 'Notes', level: 2, blocks: [{ type: 'markdown', text: 'x'.repeat(200_000) }] });
    // as every write of a charter does, the group's version moves with it
    await hub.store.db
      .updateTable('groups')
      .set({ charter: writeJson(doc), version: g.version + 1, updated_at: '2026-11-02T10:00:00.000Z' })
      .where('id', '=', g.id)
      .execute();
    chars = 0;
    expect((await w.get('/groups')).html).toContain('Keep the hosting story boring and well documented.');
    expect(chars).toBeGreaterThan(200_000);
    for (let i = 0; i < 3; i++) {
      chars = 0;
      const again = await w.get('/groups');
      expect(again.html).toContain('Keep the hosting story boring and well documented.');
      expect(chars, 'characters the database sent for a reload of /groups').toBeLessThan(50_000);
    }
  });
});
