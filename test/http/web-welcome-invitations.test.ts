// The welcome page leads one a lead invited to the invitation on its group's card, not to a join at a
// lower level: found in review, it named invitations that had no card (one who had joined the group lower
// already, whose invitation stayed open; a group past the directory's 100) with a link going nowhere, and
// an invitation that could no longer be accepted took the place of the group's Join form, so the newcomer
// could neither accept nor join. On both databases, over the web.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/app/core/hub.ts';
import { inviteToGroup } from '../../src/app/groups/invitations.ts';
import { joinGroup, proposeGroup, setMemberLevel } from '../../src/app/groups/groups.ts';
import { removeMember } from '../../src/app/groups/leave-group.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { hostingGroup, openTestHub, person, type TestHub } from '../support/hub.ts';
import { pageText, signInAs } from '../support/web-client.ts';

const web: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };

describe.each(databases)('the welcome page and invitations on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  let sam: Actor;
  beforeEach(async () => {
    hub = await openTestHub(database);
    sam = await person(hub, 'sam', { role: 'member' });
    await hostingGroup(hub, sam, 'sam');
    app = createHttpApp(hub, undefined, { web });
  });
  afterEach(async () => hub?.close());

  const group = (slug: string, name: string) =>
    proposeGroup(hub, sam, {
      slug,
      name,
      kind: 'working',
      mission: `Share practices for ${name} across the community.`,
      scopeIn: ['Everything'],
      leads: ['sam'],
    });
  /** The card of a group on the welcome page, as html. */
  const card = (html: string, name: string) => {
    const at = html.indexOf(`>${name}</a></h3>`);
    expect(at).toBeGreaterThan(-1);
    return html.slice(at, html.indexOf('</li>\n<li class="card"', at) + 1 || html.indexOf('</ul></section>', at));
  };

  it('one who joined lower reads their invitation on the card, and the link to it leads there', async () => {
    const ana = await person(hub, 'ana');
    const inv = await inviteToGroup(hub, sam, 'hosting', { handle: 'ana', level: 'member' });
    // joining lower keeps the invitation open (settleOnJoin)
    await joinGroup(hub, ana, 'hosting', { level: 'observer' });
    const page = await (await signInAs(app, 'ana')).get('/welcome');
    expect(pageText(page.html)).toContain('You are invited to Hosting as a member');
    expect(page.html).toContain(`href="#invitation-${inv.id}"`);
    const hosting = card(page.html, 'Hosting');
    expect(hosting).toContain(`id="invitation-${inv.id}"`);
    expect(pageText(hosting)).toContain('You are an observer of this group.');
    expect(pageText(hosting)).toContain('Accept: join Hosting as a member');
  });

  it('an invitation that can only be declined leaves the Join form beside it, and is not named to accept', async () => {
    await person(hub, 'ana');
    const lee = await person(hub, 'lee', { role: 'member' });
    await joinGroup(hub, lee, 'hosting', { level: 'participant' });
    await setMemberLevel(hub, sam, 'hosting', 'lee', { level: 'lead' });
    const inv = await inviteToGroup(hub, lee, 'hosting', { handle: 'ana', level: 'member' });
    await removeMember(hub, sam, 'hosting', 'lee');
    const page = await (await signInAs(app, 'ana')).get('/welcome');
    expect(page.html).not.toContain('id="invited"');
    const hosting = card(page.html, 'Hosting');
    expect(hosting).toContain(`id="invitation-${inv.id}"`);
    expect(pageText(hosting)).toContain('lee may no longer set the levels of Hosting');
    expect(hosting).toContain('aria-label="Join Hosting"');
    expect(hosting).toContain('Decline the invitation');
  });

  it('an invitation to a group without a card on the page is not named with a link going nowhere', async () => {
    await person(hub, 'ana');
    // the directory lists 100 groups by slug: a hundred more come before Zeta
    await group('zeta', 'Zeta');
    const hosting = await hub.store.db
      .selectFrom('groups')
      .selectAll()
      .where('slug', '=', 'hosting')
      .executeTakeFirstOrThrow();
    for (let n = 0; n < 100; n++)
      await hub.store.db
        .insertInto('groups')
        .values({ ...hosting, id: `copy-${n}`, slug: `a-${String(n).padStart(3, '0')}`, name: `A ${n}` })
        .execute();
    await inviteToGroup(hub, sam, 'zeta', { handle: 'ana', level: 'member' });
    const page = await (await signInAs(app, 'ana')).get('/welcome');
    expect(page.html).not.toContain('>Zeta</a></h3>');
    expect(page.html).not.toContain('href="#invitation-');
    expect(page.html).not.toContain('id="invited"');
  });

  it('after the agreements, the flash names the invitations the page leads to, a few at most', async () => {
    await person(hub, 'ana', { accepted: false });
    const lee = await person(hub, 'lee', { role: 'member' });
    await joinGroup(hub, lee, 'hosting', { level: 'participant' });
    await setMemberLevel(hub, sam, 'hosting', 'lee', { level: 'lead' });
    // Hosting's invitation, from a lead removed since, can only be declined: not named
    await inviteToGroup(hub, lee, 'hosting', { handle: 'ana', level: 'member' });
    await removeMember(hub, sam, 'hosting', 'lee');
    for (const name of ['Beta', 'Gamma', 'Delta', 'Epsilon', 'Eta']) {
      await group(name.toLowerCase(), name);
      await inviteToGroup(hub, sam, name.toLowerCase(), { handle: 'ana', level: 'participant' });
    }
    const ana = await signInAs(app, 'ana');
    const g = hub.governance.agreements;
    await ana.get('/welcome');
    const done = await ana.post('/welcome/agreements', {
      codeOfConduct: g.codeOfConduct.version,
      contributionTerms: g.contributionTerms.version,
    });
    expect(done.status).toBe(303);
    const text = pageText((await ana.get(done.location!)).html);
    expect(text).toMatch(
      /Next, accept your invitations to (Beta|Gamma|Delta|Epsilon|Eta), \w+, \w+ and 2 more below\./,
    );
    expect(text).not.toMatch(/Next, accept your invitations to [^.]*Hosting/);
  });
});
