// People, organisations, one's own profile and API tokens in the browser (no JavaScript), on both
// databases: the forms call the same use cases as REST, keep what was typed on bad input, and a
// stale profile form says so instead of overwriting.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getPerson, updatePerson } from '../../src/app/people/people.ts';
import { authenticate } from '../../src/app/people/tokens.ts';
import type { Actor } from '../../src/app/core/hub.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { LIMITS } from '../../src/domain/limits.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';
import { pageText, WebClient } from '../support/web-client.ts';

/** A refused cursor in the error summary, in a reader's words. */
const PAGE_LINK_REFUSED =
  'This address is not one the list gave (it may have been changed or cut short): go to the first page';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: false, sessionHours: 24 };

describe.each(databases)('people pages on $name', (database) => {
  let hub: TestHub;
  let priya: Actor;
  const client = () => new WebClient(createHttpApp(hub, undefined, { web: demo }));
  async function signedIn(handle: string): Promise<WebClient> {
    const w = client();
    await w.get('/sign-in');
    expect((await w.post('/sign-in/demo', { handle })).status).toBe(303);
    return w;
  }

  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    priya = await person(hub, 'priya', { role: 'member', org: 'Nebula Tools', timeZone: 'Asia/Kolkata' });
    await person(hub, 'jonas', { org: 'Galactic Hosting Corporation' });
  });
  afterEach(async () => hub?.close());

  it('the role forms say which roles their viewer may give: any at the top of the ladder, else those below their own', async () => {
    await person(hub, 'lena', { role: 'lead-maintainer' });
    await person(hub, 'kai', { role: 'core-maintainer' });
    const lena = await signedIn('lena');
    for (const path of ['/people/new', '/people/jonas/edit']) {
      const text = pageText((await lena.get(path)).html);
      expect(text).toContain('At the top of the ladder, you may give any role, your own too.');
      expect(text).not.toContain('You may give the roles below your own');
    }
    const kai = await signedIn('kai');
    expect(pageText((await kai.get('/people/new')).html)).toContain(
      'You may give the roles below your own on the ladder.',
    );
  });

  it('a moderator adds a person from the browser; bad input names the field and keeps what was typed; others are told who may', async () => {
    await person(hub, 'mo', { role: 'moderator' });
    const mo = await signedIn('mo');
    expect((await mo.get('/people')).html).toContain('<a class="button" href="/people/new">Add a person</a>');
    const form = await mo.get('/people/new');
    expect(form.status).toBe(200);
    // the address field says what becomes of it before anyone is added: this hub sends no mail
    expect(pageText(form.html)).toContain(
      'This hub sends no mail (WGHUB_SMTP_URL is not set), so no invitation goes: tell them how to sign in yourself.',
    );
    expect(pageText(form.html)).not.toContain('It is mailed an invitation');
    hub.settings = { ...hub.settings, mailsOut: true };
    expect(pageText((await mo.get('/people/new')).html)).toContain('It is mailed an invitation');
    hub.settings = { ...hub.settings, mailsOut: false };
    const bad = await mo.post('/people/new', { handle: 'x y', name: 'Ada Lovelace', timeZone: 'Nowhere/Land' });
    expect(bad.status).toBe(422);
    const badText = pageText(bad.html);
    expect(badText).toContain('Handle: must be a GitHub login: letters, digits and single hyphens');
    expect(badText).toContain('Time zone:');
    expect(bad.html).toContain('value="Ada Lovelace"');
    const taken = await mo.post('/people/new', { handle: 'PRIYA', name: 'Another Priya', timeZone: 'UTC' });
    expect(pageText(taken.html)).toContain("Handle: 'PRIYA' is already taken");
    const added = await mo.post('/people/new', {
      handle: 'ada',
      name: 'Ada Lovelace',
      timeZone: 'Europe/London',
      role: 'member',
      organisation: 'Analytical Engines',
      email: 'ada@example.org',
    });
    expect(added.status).toBe(303);
    expect(added.location).toBe('/people/ada');
    const page = pageText((await mo.get('/people/ada')).html);
    expect(page).toContain('Ada Lovelace (@ada) is added.');
    // her groups are spoken of as hers, not as the viewer's to join
    expect(page).toContain('Ada Lovelace is in no group yet: they join one from its page, or its leads add them there');
    expect(page).not.toContain('to find one to join');
    // the address given is invited, or the page says why not (this hub sends no mail)
    expect(page).toContain('No invitation was mailed: this hub sends no mail (WGHUB_SMTP_URL is not set)');
    expect(await getPerson(hub, 'ada')).toMatchObject({
      name: 'Ada Lovelace',
      role: 'member',
      timeZone: 'Europe/London',
      affiliations: [
        expect.objectContaining({ organisation: expect.objectContaining({ name: 'Analytical Engines' }) }),
      ],
    });
    // someone the governance file does not let add people: no button, and the page says who may
    const jonas = await signedIn('jonas');
    expect((await jonas.get('/people')).html).not.toContain('href="/people/new"');
    expect(pageText((await jonas.get('/people/new')).html)).toMatch(/Only .* may add a person/);
    expect((await jonas.post('/people/new', { handle: 'eve', name: 'Eve', timeZone: 'UTC' })).status).toBe(403);
  });

  it('lists people with their organisation, and organisations with who works there', async () => {
    const w = client();
    const people = pageText((await w.get('/people')).html);
    expect(people).toContain('Priya');
    expect(people).toContain('Nebula Tools');
    const orgs = await w.get('/organisations');
    expect(orgs.html).toContain('href="/organisations/nebula-tools"');
    const org = pageText((await w.get('/organisations/nebula-tools')).html);
    expect(org).toContain('Priya');
    expect(org).not.toContain('Jonas');
  });

  it('pages the organisations as the other long lists are: a page at a time with a Next page link, a bad cursor named', async () => {
    // two from the people above, and a page's worth more
    for (let i = 0; i < LIMITS.webListPage; i++)
      await person(hub, `p${i}`, { org: `Org ${String(i).padStart(2, '0')}` });
    const w = client();
    const rows = (h: string) => [...h.matchAll(/<tr><td><a href="\/organisations\/([^"]+)">/g)].map((m) => m[1]);
    const first = await w.get('/organisations');
    expect(first.status).toBe(200);
    expect(rows(first.html)).toHaveLength(LIMITS.webListPage);
    expect(pageText(first.html)).toContain(`${LIMITS.webListPage}+ organisations`);
    const next = /<a href="(\/organisations\?cursor=[^"]+)" rel="next">Next page<\/a>/.exec(first.html)?.[1];
    expect(next).toBeDefined();
    const second = await w.get(next!.replaceAll('&amp;', '&'));
    expect(rows(second.html)).toHaveLength(2);
    expect(pageText(second.html)).toContain('2 organisations');
    expect(second.html).not.toContain('Next page');
    // every organisation once, by slug
    const all = [...rows(first.html), ...rows(second.html)];
    expect(new Set(all).size).toBe(LIMITS.webListPage + 2);
    expect(all).toEqual([...all].sort());
    const bad = await w.get('/organisations?cursor=nonsense');
    expect(bad.status).toBe(422);
    expect(bad.html).toContain(`<li><a href="/organisations">${PAGE_LINK_REFUSED}</a></li>`);
    expect(bad.html).toContain('<a href="/organisations" rel="first">First page</a>');
  });

  it('pages the people as the other long lists are: a page at a time with a Next page link, a bad cursor named', async () => {
    // two from above, and a page's worth more
    for (let i = 0; i < LIMITS.webListPage; i++) await person(hub, `p${String(i).padStart(2, '0')}`);
    const w = client();
    const rows = (h: string) => [...h.matchAll(/<tr><td><a href="\/people\/([^"]+)">/g)].map((m) => m[1]);
    const first = await w.get('/people');
    expect(first.status).toBe(200);
    expect(rows(first.html)).toHaveLength(LIMITS.webListPage);
    expect(pageText(first.html)).toContain(`${LIMITS.webListPage}+ people`);
    expect(first.html).not.toContain('More people');
    const next = /<a href="(\/people\?cursor=[^"]+)" rel="next">Next page<\/a>/.exec(first.html)?.[1];
    expect(next).toBeDefined();
    const second = await w.get(next!.replaceAll('&amp;', '&'));
    expect(rows(second.html)).toHaveLength(2);
    expect(pageText(second.html)).toContain('2 people');
    expect(second.html).not.toContain('Next page');
    // everyone once, by handle
    const all = [...rows(first.html), ...rows(second.html)];
    expect(new Set(all).size).toBe(LIMITS.webListPage + 2);
    const bad = await w.get('/people?cursor=nonsense');
    expect(bad.status).toBe(422);
    expect(bad.html).toContain(`<li><a href="/people">${PAGE_LINK_REFUSED}</a></li>`);
    expect(bad.html).toContain('<a href="/people" rel="first">First page</a>');
  });

  it('a member edits their own name and time zone; bad input names the field and keeps the text; a stale form does not overwrite', async () => {
    const w = await signedIn('priya');
    expect((await w.get('/people/priya')).html).toContain('href="/people/priya/edit"');
    const form = await w.get('/people/priya/edit');
    expect(form.html).toContain('<option value="Asia/Kolkata" selected>');
    const version = String((await getPerson(hub, 'priya')).version);

    const bad = await w.post('/people/priya/edit', {
      version,
      name: '   ',
      timeZone: 'Europe/Berlin',
      github: 'priya-gh',
    });
    expect(bad.status).toBe(422);
    expect(pageText(bad.html)).toContain('Name: must not be empty');
    expect(bad.html).toContain('value="priya-gh"');
    expect((await getPerson(hub, 'priya')).timeZone).toBe('Asia/Kolkata');

    const ok = await w.post('/people/priya/edit', { version, name: 'Priya R.', timeZone: 'Europe/Berlin', github: '' });
    expect(ok.status).toBe(303);
    const after = await getPerson(hub, 'priya');
    expect([after.name, after.timeZone]).toEqual(['Priya R.', 'Europe/Berlin']);

    // someone else saved in between: the old form is refused and shows the current values
    await updatePerson(hub, priya, 'priya', after.version, { name: 'Priya Raman' });
    const stale = await w.post('/people/priya/edit', { version: String(after.version), name: 'Mine', timeZone: 'UTC' });
    expect(stale.status).toBe(409);
    expect(stale.html).toContain('value="Priya Raman"');
    expect((await getPerson(hub, 'priya')).name).toBe('Priya Raman');
  });

  it('a moderator names an organisation nobody has named yet in a profile: the old affiliation ends today', async () => {
    await person(hub, 'mo', { role: 'moderator' });
    const w = await signedIn('mo');
    const form = await w.get('/people/jonas/edit');
    expect(form.html).toContain('value="Galactic Hosting Corporation"');
    expect(pageText(form.html)).toContain('Naming one nobody has named yet adds it');
    const version = String((await getPerson(hub, 'jonas')).version);
    const r = await w.post('/people/jonas/edit', {
      version,
      name: 'Jonas',
      timeZone: 'UTC',
      organisation: 'Brand New Co',
    });
    expect(r.status).toBe(303);
    expect((await getPerson(hub, 'jonas')).affiliations.map((a) => [a.organisation.name, a.to])).toEqual([
      ['Galactic Hosting Corporation', '2026-03-02'],
      ['Brand New Co', null],
    ]);
    expect(pageText((await w.get('/organisations')).html)).toContain('Brand New Co');
  });

  it('one whose affiliation began before the years now allowed still has their organisation changed from the profile page', async () => {
    // stored before LIMITS.affiliationYears bounded the days: the form resends it as it was
    await hub.store.db.updateTable('affiliations').set({ from_date: '0000-01-01' }).execute();
    await person(hub, 'mo', { role: 'moderator' });
    const w = await signedIn('mo');
    expect((await w.get('/people/jonas/edit')).status).toBe(200);
    const version = String((await getPerson(hub, 'jonas')).version);
    const r = await w.post('/people/jonas/edit', {
      version,
      name: 'Jonas',
      timeZone: 'UTC',
      organisation: 'Brand New Co',
    });
    expect(r.status).toBe(303);
    expect((await getPerson(hub, 'jonas')).affiliations.map((a) => [a.organisation.name, a.from, a.to])).toContainEqual(
      ['Galactic Hosting Corporation', '0000-01-01', '2026-03-02'],
    );
  });

  it('a newcomer gives a mail address in their profile, reached from "How you are told"; a bad one names the field; a moderator neither sees nor clears it', async () => {
    const w = await signedIn('jonas');
    // without an address the notification settings say so and lead to where one is given
    const told = await w.get('/me/notifications');
    expect(pageText(told.html)).toContain('You have no mail address on record');
    expect(told.html).toContain('href="/people/jonas/edit#f-profile-email"');
    const form = await w.get('/people/jonas/edit');
    expect(form.html).toContain('id="f-profile-email"');
    const version = String((await getPerson(hub, 'jonas')).version);
    const bad = await w.post('/people/jonas/edit', {
      version,
      name: 'Jonas',
      timeZone: 'UTC',
      email: 'jonas at example',
    });
    expect(bad.status).toBe(422);
    expect(pageText(bad.html)).toContain('Mail address (optional): must be an e-mail address');
    expect(bad.html).toContain('value="jonas at example"');
    const ok = await w.post('/people/jonas/edit', {
      version,
      name: 'Jonas',
      timeZone: 'UTC',
      email: 'Jonas@Example.org',
    });
    expect(ok.status).toBe(303);
    const row = () =>
      hub.store.db.selectFrom('people').select('email').where('handle', '=', 'jonas').executeTakeFirstOrThrow();
    expect((await row()).email).toBe('jonas@example.org');
    expect((await w.get('/people/jonas/edit')).html).toContain('value="jonas@example.org"');
    // given, but not confirmed yet: nothing is mailed to it until its owner opens the mailed link
    expect(pageText((await w.get('/me/notifications')).html)).toContain(
      'Your address jonas@example.org is not confirmed yet: nothing is mailed to it',
    );
    // never shown to others: not on the public profile, not in a moderator's form, and their save keeps it
    expect((await client().get('/people/jonas')).html).not.toContain('jonas@example.org');
    await person(hub, 'mo', { role: 'moderator' });
    const mo = await signedIn('mo');
    const theirs = await mo.get('/people/jonas/edit');
    expect(theirs.html).not.toContain('f-profile-email');
    const v2 = String((await getPerson(hub, 'jonas')).version);
    expect((await mo.post('/people/jonas/edit', { version: v2, name: 'Jonas B.', timeZone: 'UTC' })).status).toBe(303);
    expect((await row()).email).toBe('jonas@example.org');
  });

  it('nobody else is offered the profile form, and is told in words who may edit it', async () => {
    const w = await signedIn('jonas');
    const page = await w.get('/people/priya/edit');
    expect(page.html).not.toContain('action="/people/priya/edit"');
    expect(pageText(page.html)).toMatch(/Only the person themself.* may edit this profile/);
    expect(page.html).not.toContain('person.edit');
    const refused = await w.post('/people/priya/edit', { version: '1', name: 'Hacked', timeZone: 'UTC' });
    expect(refused.status).toBe(403);
    expect((await getPerson(hub, 'priya')).name).not.toBe('Hacked');
    const visitor = await client().get('/people/priya/edit');
    expect(pageText(visitor.html)).toContain('Sign in first.');
  });

  it('creates an API token shown once that authenticates, then revokes it', async () => {
    const w = await signedIn('priya');
    await w.get('/people/priya/edit');
    const long = await w.post('/people/priya/tokens', { label: 'x'.repeat(101) });
    expect(long.status).toBe(422);
    expect(pageText(long.html)).toMatch(/What the new token is for: .*100/);
    const made = await w.post('/people/priya/tokens', { label: 'laptop CLI' });
    expect(made.status).toBe(200);
    const secret = /<code class="secret">(wgh_[^<]+)<\/code>/.exec(made.html)?.[1];
    expect(secret).toBeTruthy();
    expect((await authenticate(hub, secret!)).handle).toBe('priya');
    expect((await w.get('/people/priya/edit')).html).not.toContain(secret!);
    const id = /action="\/people\/priya\/tokens\/([^/]+)\/revoke"/.exec(made.html)![1]!;
    expect((await w.post(`/people/priya/tokens/${id}/revoke`, {})).status).toBe(303);
    await expect(authenticate(hub, secret!)).rejects.toThrow();
    expect(pageText((await w.get('/people/priya/edit')).html)).toContain('revoked');
  });
});
