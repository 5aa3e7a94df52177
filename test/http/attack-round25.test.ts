// What attack round 25 found over the web and REST, in-process (`app.request`), on both databases:
// each test is what the attacker sent and what they are answered now.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { moveGroup, proposeGroup, updateCharter } from '../../src/app/groups/groups.ts';
import { LIMITS } from '../../src/domain/limits.ts';
import { renderedCharters } from '../../src/http/web/pages/groups.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { asActor, openDemoHub, type TestHub } from '../support/hub.ts';
import { signInAs } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };

describe.each(databases)('attack round 25 over the web and REST on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  beforeEach(async () => {
    hub = await openDemoHub(database);
    app = createHttpApp(hub, undefined, { web: demo });
  });
  afterEach(async () => hub?.close());

  it('a retired group is not offered for a new proposal, and REST refuses one placed in it', async () => {
    await moveGroup(hub, await asActor(hub, 'kai-core'), 'security', { to: 'retired' });
    const priya = await signInAs(app, 'priya');
    const form = await priya.get('/proposals/new');
    expect(form.html).toContain('<option value="hosting"');
    expect(form.html).not.toContain('<option value="security"');
    const { token } = await createToken(hub, await asActor(hub, 'priya'), 'priya', {});
    const res = await app.request('/api/proposals', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Tokens for hosted servers',
        problem: 'Hosted servers need tokens scoped to one tenant at a time.',
        layer: 'specification',
        group: 'security',
      }),
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      errors: [
        {
          field: 'group',
          rule: 'Security (security) is retired and takes no new proposals: choose another group, or none',
        },
      ],
    });
  });

  it('the new-proposal form offers an open group that sorts after 200 retired ones', async () => {
    // the form read the first 200 groups and then dropped the retired ones: groups past them were never offered
    const security = await hub.store.db
      .selectFrom('groups')
      .selectAll()
      .where('slug', '=', 'security')
      .executeTakeFirstOrThrow();
    for (let i = 0; i < 200; i++) {
      const n = String(i).padStart(3, '0');
      await hub.store.db
        .insertInto('groups')
        .values({ ...security, id: `old-${n}`, slug: `aa-old-${n}`, name: `Old ${n}`, status: 'retired' })
        .execute();
    }
    const form = await (await signInAs(app, 'priya')).get('/proposals/new');
    expect(form.html).not.toContain('<option value="aa-old-000"');
    expect(form.html).toContain('<option value="security"');
  });

  it("a charter amended many times and viewed after each is kept rendered within the page's bound", async () => {
    // the page kept each charter's HTML by the text of its sections, 500 at a time: a member amending a
    // charter of 200,000 characters and viewing it after each grew the process 400 MB in 150 amendments
    const priya = await asActor(hub, 'priya');
    let g = await proposeGroup(hub, priya, {
      slug: 'big-charter',
      name: 'Big Charter',
      kind: 'working',
      mission: 'A group whose charter is amended and read many times.',
      scopeIn: ['Reading'],
      leads: ['priya'],
    });
    const text = (heading: string, i: number) =>
      `${i} ${`Words about ${heading} here. `.repeat(2_500)}`.slice(0, 48_000);
    const headings = ['Mission Statement', 'Operations', 'Membership', 'Authority & Decision Rights'];
    // a small charter viewed all along (Hosting's) stays rendered: the least recently viewed is dropped first
    const view = async (slug: string) => {
      const page = await app.request(`/groups/${slug}`);
      expect(page.status).toBe(200);
      return page.text();
    };
    await view('hosting');
    for (let i = 0; i < 24; i++) {
      g = await updateCharter(hub, priya, 'big-charter', g.version, {
        sections: headings.map((heading) => ({ heading, markdown: text(heading, i) })),
      });
      expect(await view('big-charter')).toContain(`${i} Words about Operations`);
      const renders = renderedCharters().renders;
      await view('hosting');
      expect(renderedCharters().renders, `Hosting's charter rendered again after amendment ${i}`).toBe(renders);
      expect(renderedCharters().chars).toBeGreaterThan(0);
      expect(renderedCharters().chars).toBeLessThanOrEqual(LIMITS.markdown.charterCacheChars);
    }
    const before = renderedCharters().renders;
    // the first amendment's charter (about 200,000 characters of HTML each, 24 of them past the bound) was
    // dropped: amended back to it, the page renders it again
    await updateCharter(hub, priya, 'big-charter', g.version, {
      sections: headings.map((heading) => ({ heading, markdown: text(heading, 0) })),
    });
    expect(await view('big-charter')).toContain('0 Words about Operations');
    expect(renderedCharters().renders).toBe(before + 1);
    // and then kept: viewed again, it is not rendered again
    await view('big-charter');
    expect(renderedCharters().renders).toBe(before + 1);
  });
});
