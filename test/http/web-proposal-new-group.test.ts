// The new-proposal form starts with a group when it knows which one is meant: the group whose page
// it was opened from (?group=slug), or the viewer's only group. Otherwise "No group", as before. A
// group the author changed (to none, too) stays as they chose when the form comes back, and the
// prior-work check and filing work with the chosen group. On both databases, over the demo
// community and its work: Jonas belongs to Hosting only, Priya to Hosting and Security, Kai to none.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getProposal } from '../../src/app/proposals/proposals.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub } from '../support/hub.ts';
import { pageText, signInAs, WebClient } from '../support/web-client.ts';
import { demoSignIn, type WebHub } from '../support/web-hub.ts';

/** The group the form's "Group (optional)" shows: the option marked selected, else the first ("No group"). */
function chosenGroup(html: string): string {
  const select = /<select id="f-group" name="group"[^>]*>([\s\S]*?)<\/select>/.exec(html);
  if (!select) throw new Error('no group choice on the page');
  const selected = /<option value="([^"]*)"[^>]* selected>/.exec(select[1]!);
  return selected ? selected[1]! : (/<option value="([^"]*)"/.exec(select[1]!)?.[1] ?? '');
}

const draft = {
  title: 'Sessions across load balancers',
  problem: 'Requests land on another process behind the load balancer and the session is lost.',
  examples: 'Two pods behind an ingress drop the Mcp-Session-Id',
  interests: '',
  layer: 'working-group-artifact',
  route: 'contribution',
};

describe.each(databases)('the new-proposal form starts with the group meant, on $name', (database) => {
  const web = {} as WebHub;
  beforeEach(async () => {
    web.hub = await openDemoHub(database, { work: true });
    web.app = createHttpApp(web.hub, undefined, { web: demoSignIn });
  });
  afterEach(async () => web.hub?.close());

  it("opened from a group's page, the form has that group chosen; from the list filtered by a group too", async () => {
    const priya = await signInAs(web.app, 'priya');
    // Hosting has proposals: a link to propose another there; Observability has none: "File the first"
    const hosting = await priya.get('/groups/hosting');
    expect(hosting.html).toContain('<a href="/proposals/new?group=hosting">Propose something in Hosting</a>');
    const observability = await priya.get('/groups/observability');
    expect(observability.html).toContain('<a href="/proposals/new?group=observability">File the first proposal</a>');
    const form = await priya.get('/proposals/new?group=hosting');
    expect(form.status).toBe(200);
    expect(chosenGroup(form.html)).toBe('hosting');
    expect(pageText(form.html)).toContain('Hosting is chosen: the group you came from.');
    expect(chosenGroup((await priya.get('/proposals/new?group=observability')).html)).toBe('observability');
    const list = await priya.get('/proposals?group=security');
    expect(list.html).toContain('href="/proposals/new?group=security">New proposal</a>');
    expect(chosenGroup((await priya.get('/proposals/new?group=security')).html)).toBe('security');
    // filed as it reads
    const filed = await priya.post('/proposals/new', { ...draft, group: 'hosting', intent: 'file' });
    expect(filed.status).toBe(303);
    expect((await getProposal(web.hub, filed.location!.split('/').pop()!)).group).toBe('hosting');
  });

  it('a member of one group finds it chosen; of two or none, "No group"; an unknown ?group is ignored', async () => {
    const jonas = await signInAs(web.app, 'jonas');
    const his = await jonas.get('/proposals/new');
    expect(chosenGroup(his.html)).toBe('hosting');
    expect(pageText(his.html)).toContain('Hosting is chosen: the one group you belong to.');
    expect(chosenGroup((await jonas.get('/proposals/new?group=no-such-group')).html)).toBe('hosting');
    // "?group=" asks for none, and another group's link wins over his own
    expect(chosenGroup((await jonas.get('/proposals/new?group=')).html)).toBe('');
    expect(chosenGroup((await jonas.get('/proposals/new?group=security')).html)).toBe('security');
    const priya = await signInAs(web.app, 'priya');
    const hers = await priya.get('/proposals/new');
    expect(chosenGroup(hers.html)).toBe('');
    expect(pageText(hers.html)).not.toContain('is chosen');
    expect(chosenGroup((await (await signInAs(web.app, 'kai-core')).get('/proposals/new')).html)).toBe('');
  });

  it('the choice the author made stays when the form comes back, none included; the prior-work check runs with it', async () => {
    const jonas = await signInAs(web.app, 'jonas');
    await jonas.get('/proposals/new');
    // he chose "No group" and asked for the prior-work check: still none, not his group again
    const checked = await jonas.post('/proposals/new', { ...draft, group: '', intent: 'check' });
    expect(checked.status).toBe(200);
    expect(chosenGroup(checked.html)).toBe('');
    expect(pageText(checked.html)).toMatch(/These may already cover the same ground\..*Session affinity/);
    // a refused filing keeps his other choice too
    const refused = await jonas.post('/proposals/new', {
      ...draft,
      problem: 'short',
      group: 'security',
      intent: 'file',
    });
    expect(refused.status).toBe(422);
    expect(chosenGroup(refused.html)).toBe('security');
    // the check with his group, with JavaScript (the panel alone) and without
    const panel = await jonas.get(`/proposals/new/prior-work?${new URLSearchParams({ ...draft, group: 'hosting' })}`);
    expect(panel.status).toBe(200);
    expect(pageText(panel.html)).toMatch(/These may already cover the same ground\..*Session affinity/);
    const withGroup = await jonas.post('/proposals/new', { ...draft, group: 'hosting', intent: 'check' });
    expect(chosenGroup(withGroup.html)).toBe('hosting');
    expect(pageText(withGroup.html)).toMatch(/These may already cover the same ground\..*Session affinity/);
    const filed = await jonas.post('/proposals/new', { ...draft, group: '', intent: 'file' });
    expect((await getProposal(web.hub, filed.location!.split('/').pop()!)).group).toBeNull();
  });

  it("a visitor who follows a group's link signs in and comes back to the form with that group", async () => {
    const visitor = new WebClient(web.app);
    const asked = await visitor.get('/proposals/new?group=security');
    expect(asked.status).toBe(303);
    expect(asked.location).toBe(`/sign-in?next=${encodeURIComponent('/proposals/new?group=security')}`);
    await visitor.get(asked.location!);
    const signedIn = await visitor.post('/sign-in/demo', { handle: 'jonas', next: '/proposals/new?group=security' });
    expect(signedIn.location).toBe('/proposals/new?group=security');
    expect(chosenGroup((await visitor.get(signedIn.location!)).html)).toBe('security');
  });
});
