// A 1,000-comment thread costs what a short one does, on both databases: its page shows a bounded
// window (the newest comments, plain "show earlier" links that walk back through every comment once,
// no JavaScript), REST pages it with an opaque cursor that meets every comment exactly once even
// while people keep commenting, markdown is rendered when a comment is written, and the member home
// lists what changed last and counts the rest.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/app/core/hub.ts';
import { addComment, editComment } from '../../src/app/proposals/comments.ts';
import { createProposal } from '../../src/app/proposals/proposals.ts';
import { storedRendering } from '../../src/domain/comment-rendering.ts';
import { writeJson } from '../../src/store/schema.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { asActor, openDemoHub, type TestHub } from '../support/hub.ts';
import { pageText, signInAs, WebClient } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };
const BULK = 1000;

describe.each(databases)('long threads on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  let ref: string;
  let jonas: Actor;
  let first: string;
  beforeEach(async () => {
    hub = await openDemoHub(database, { start: '2026-03-02T12:00:00Z' });
    const amara = await asActor(hub, 'amara');
    jonas = await asActor(hub, 'jonas');
    ref = (
      await createProposal(hub, amara, {
        title: 'Resumable streams behind load balancers',
        problem: 'A stream cut by a deploy cannot be resumed on another server process.',
        examples: ['A rolling deploy drops every open stream'],
        layer: 'working-group-artifact',
        group: 'hosting',
      })
    ).ref;
    first = (await addComment(hub, jonas, ref, { body: 'The **first** word, about @amara and #1.' })).id;
    await addComment(hub, amara, ref, { body: 'A reply to the first word.', parent: first });
    // a thousand more, written straight to the table (as a long-running community would have them);
    // ten at a time share a timestamp, so the order needs the id as well
    const proposal = await hub.store.db
      .selectFrom('proposals')
      .select('id')
      .where('title', '=', 'Resumable streams behind load balancers')
      .executeTakeFirstOrThrow();
    const people = await hub.store.db.selectFrom('people').select('id').limit(8).execute();
    const rows = Array.from({ length: BULK }, (_, i) => {
      const body = `Comment number ${i} with *some* markdown and a [link](/proposals/${ref}).`;
      const at = new Date(Date.parse('2026-03-03T00:00:00Z') + Math.floor(i / 10) * 1000).toISOString();
      return {
        id: `bulk-${String(i).padStart(4, '0')}-${(i * 7919) % 1000}`,
        proposal_id: proposal.id,
        parent_id: null,
        author_id: people[i % people.length]!.id,
        body,
        organisation: null,
        created_at: at,
        updated_at: at,
        version: 1,
        rendered: writeJson(storedRendering(body, 1)),
      };
    });
    for (let i = 0; i < rows.length; i += 200)
      await hub.store.db
        .insertInto('comments')
        .values(rows.slice(i, i + 200))
        .execute();
    app = createHttpApp(hub, undefined, { web: demo });
  }, 60_000);
  afterEach(async () => hub?.close());

  const total = BULK + 2;
  const ids = (html: string) => [...html.matchAll(/<li id="c-([^"]+)">/g)].map((m) => m[1]!);

  it('REST: the cursor walks every comment exactly once, oldest first, and a comment added meanwhile comes last', async () => {
    const seen: string[] = [];
    let url: string | null = `/api/proposals/${ref}/comments?limit=97`;
    let added: string | null = null;
    let pages = 0;
    while (url) {
      const res = await app.request(url);
      expect(res.status).toBe(200);
      const page = (await res.json()) as {
        items: { id: string; createdAt: string; html: string }[];
        total: number;
        next: string | null;
      };
      expect(page.items.length).toBeLessThanOrEqual(97);
      seen.push(...page.items.map((c) => c.id));
      expect(page.total).toBe(added ? total + 1 : total);
      if (++pages === 3) {
        hub.clock.set('2026-03-10T00:00:00Z'); // later than every comment so far
        added = (await addComment(hub, jonas, ref, { body: 'Said while someone paged.' })).id;
      }
      url = page.next;
    }
    expect(seen).toHaveLength(total + 1);
    expect(new Set(seen).size).toBe(total + 1);
    expect(seen[0]).toBe(first);
    expect(seen.at(-1)).toBe(added);

    const bad = await app.request(`/api/proposals/${ref}/comments?limit=1000`);
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await bad.json())).toContain('must be at most 200');
    const forged = await app.request(`/api/proposals/${ref}/comments?cursor=bm90IGEgY3Vyc29y`);
    expect(forged.status).toBe(422);
    expect(JSON.stringify(await forged.json())).toContain('cursor');
  });

  it('the page shows a bounded window, newest last, and "show earlier" links walk back through every comment once', async () => {
    const visitor = new WebClient(app);
    const top = await visitor.get(`/proposals/${ref}`);
    expect(top.status).toBe(200);
    expect(top.html.length).toBeLessThan(100_000);
    expect(pageText(top.html)).toContain(`Discussion (${total})`);
    expect(pageText(top.html)).toContain(`Showing 30 of ${total} comments, the newest`);
    const shown = ids(top.html);
    expect(shown).toHaveLength(30);
    expect(shown.at(-1)).toMatch(/^bulk-0999-/);

    const seen = [...shown];
    let html = top.html;
    for (;;) {
      const earlier = /<a href="([^"]+)" rel="prev">Show earlier comments<\/a>/.exec(html)?.[1];
      if (!earlier) break;
      html = (await visitor.get(earlier.replace(/&amp;/g, '&'))).html;
      expect(html.length).toBeLessThan(100_000);
      expect(html).toContain('rel="next"'); // and a way forward again
      seen.unshift(...ids(html));
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(seen[0]).toBe(first); // the oldest page ends the walk, its reply nested under it
    expect(html).toMatch(new RegExp(`<li id="c-${first}">[\\s\\S]*<ol class="thread"><li id="c-`));

    // a moderator sees a form per comment: still bounded
    const lead = await signInAs(app, 'sam-lead');
    const asLead = await lead.get(`/proposals/${ref}`);
    expect(asLead.html).toContain('/moderate"');
    expect(asLead.html.length).toBeLessThan(100_000);
  });

  it('a link to one old comment opens the window that holds it; an edit lands there', async () => {
    const visitor = new WebClient(app);
    const go = await visitor.get(`/proposals/${ref}/comments/bulk-0005-${(5 * 7919) % 1000}`);
    expect(go.status).toBe(302);
    const page = await visitor.get(go.location!.replace(/#.*/, ''));
    expect(ids(page.html)).toContain(`bulk-0005-${(5 * 7919) % 1000}`);
    expect(ids(page.html).length).toBeLessThanOrEqual(30);

    const jonasWeb = await signInAs(app, 'jonas');
    await jonasWeb.get(`/proposals/${ref}`);
    const edited = await jonasWeb.post(`/comments/${first}/edit`, { ref, version: '1', body: 'Now _edited_.' });
    expect(edited.status).toBe(303);
    const landed = await jonasWeb.get(edited.location!.replace(/#.*/, ''));
    expect(ids(landed.html)).toContain(first);
    expect(landed.html).toContain('Now <em>edited</em>.');
  });

  it('markdown is rendered when written: the stored rendering is what readers get, and an edit renders again', async () => {
    const row = await hub.store.db
      .selectFrom('comments')
      .select(['rendered'])
      .where('id', '=', first)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(row.rendered!)).toMatchObject({
      v: 1,
      html: expect.stringContaining('<strong>first</strong>'),
      mentions: { people: ['amara'], items: ['P-1'] },
    });
    const c = await editComment(hub, jonas, first, 1, { body: 'Second _thoughts_.' });
    expect(c.html).toContain('<em>thoughts</em>');
    const again = await hub.store.db
      .selectFrom('comments')
      .select(['rendered'])
      .where('id', '=', first)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(again.rendered!)).toMatchObject({ v: 2, html: expect.stringContaining('<em>thoughts</em>') });
    const api = (await (await app.request(`/api/proposals/${ref}/comments?limit=1`)).json()) as {
      items: { html: string }[];
    };
    expect(api.items[0]!.html).toContain('<em>thoughts</em>');
  });
});

describe.each(databases)('the member home on $name', (database) => {
  let hub: TestHub;
  afterEach(async () => hub?.close());

  it('lists the proposals that changed stage last and counts the rest', async () => {
    hub = await openDemoHub(database, { start: '2026-03-02T12:00:00Z' });
    const app = createHttpApp(hub, undefined, { web: demo });
    const before = await signInAs(app, 'amara');
    const mine = (await before.get('/')).html;
    const already = (mine.match(/<a href="\/proposals\/(P|SEP)-\d+">/g) ?? []).length;
    const amara = await asActor(hub, 'amara');
    for (let i = 0; i < 25; i++)
      await createProposal(hub, amara, {
        title: `Home-bounding proposal ${i}`,
        problem: 'A home page listing everything grows with the community.',
        layer: 'working-group-artifact',
        group: 'hosting',
      });
    const client = await signInAs(app, 'amara');
    const home = pageText((await client.get('/')).html);
    const listed = (home.match(/Home-bounding proposal \d+/g) ?? []).length;
    expect(listed).toBe(20);
    expect(home).toContain(`And ${25 + already - 20} more that have not moved lately (of ${25 + already};`);
  });
});
