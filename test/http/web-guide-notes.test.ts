// What the guide asks a newcomer, a contributor and a facilitator to know, where they meet it: the
// getting-started steps and the six-step route (links from the governance file), the contribution
// note beside forms that add content (naming whom to ask), and the ideal topic facilitator.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { placeInGroup } from '../../src/app/groups/groups.ts';
import { SYSTEM, type Actor } from '../../src/app/core/hub.ts';
import { createProposal, getProposal, moveProposal } from '../../src/app/proposals/proposals.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createTopicArea } from '../../src/app/groups/topic-areas.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { hostingGroup, openTestHub, person, type TestHub } from '../support/hub.ts';
import { pageText, signInAs, WebClient } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: false, sessionHours: 24 };
const NOTE =
  'All content added here is contributed under the MIT License. If you are unsure if you are able to include content under that license, please contact one of the group administrators for advice.';

describe.each(databases)("the guide's notes on the web on $name", (database) => {
  let hub: TestHub;
  let sam: Actor;
  let priya: Actor;
  const app = () => createHttpApp(hub, undefined, { web: demo });
  const client = () => new WebClient(app());
  const signedIn = (handle: string) => signInAs(app(), handle);

  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    sam = await person(hub, 'sam', { role: 'member' });
    priya = await person(hub, 'priya', { role: 'member' });
    await person(hub, 'mo', { role: 'moderator' });
    await hostingGroup(hub, sam, 'sam');
    await placeInGroup(hub, SYSTEM, 'hosting', 'priya', { level: 'member' });
    await createTopicArea(hub, sam, 'hosting', {
      slug: 'scaling',
      name: 'Horizontal scaling',
      goal: 'both',
      description: 'Sessions across processes.',
      facilitators: ['sam'],
    });
  });
  afterEach(async () => hub?.close());

  it("a visitor's welcome page gives the guide's first steps and six-step route, linked from the governance file", async () => {
    const page = (await client().get('/welcome')).html;
    const s = hub.governance.gettingStarted;
    expect(page).toContain(`Read the <a href="${s.specification!.url}">Model Context Protocol specification</a>.`);
    expect(page).toContain(`Join us on the <a href="${s.chat!.url}">CWG Discord</a>.`);
    expect(page).toContain(`suggest new topic areas in <a href="${s.ideas!.url}">#working-group-ideation</a>.`);
    expect(page).toContain(`get your initiative added to the <a href="${s.tracker!.url}">CWG Project Tracker</a>.`);
    expect(page).toContain(`Start a thread on the official MCP <a href="${s.forum!.url}">discussion forum</a>.`);
    const text = pageText(page);
    expect(text).toContain(
      'Engage with the protocol and your use cases to build familiarity with its capabilities and scope.',
    );
    expect(text).toContain(
      'Finally, open a pull request on the relevant official MCP repository explaining the collaboration',
    );
    // How we work lists the same, with the ideal topic facilitator
    const howPage = (await client().get('/how-we-work')).html;
    expect(howPage).toContain(
      '3. Join us on the CWG Discord (<a href="https://discord.gg/RkqKnmrp">https://discord.gg/RkqKnmrp</a>).',
    );
    const how = pageText(howPage);
    expect(how).toContain('The ideal topic facilitator');
    expect(how).toContain("considers how they'll maintain neutrality while facilitating group discussions");
    // the same as data, for REST (and the MCP resource and `wghub governance show`, which print `described`)
    const api = await createHttpApp(hub).request('/api/governance');
    const body = (await api.json()) as {
      rules: { gettingStarted: { chat: unknown }; agreements: { contributionTerms: { note: string } } };
      described: { title: string }[];
    };
    expect(body.rules.gettingStarted.chat).toEqual({ title: 'CWG Discord', url: 'https://discord.gg/RkqKnmrp' });
    expect(body.rules.agreements.contributionTerms.note).toBe(NOTE);
    expect(body.described[0]!.title).toBe('Getting started');
  });

  it('the welcome page gives the route once, as the six steps, and its last step leads to the proposal form', async () => {
    const page = (await client().get('/welcome')).html;
    const text = pageText(page);
    // "How the community works" points to the steps rather than summing the route up a second time
    expect(text).not.toContain('get it tracked');
    expect(page).toContain('<a href="#steps" rel="nofollow ugc noopener">Your first steps</a>');
    expect(text.split('Ensure there is no pre-existing work').length - 1).toBe(1);
    expect(text).not.toContain('Search for existing work on your idea first');
    const steps = page.slice(page.indexOf('id="steps"'), page.indexOf('id="groups"'));
    expect(steps).toContain('<a href="/proposals/new">propose a contribution</a>');
  });

  it("the welcome page and the proposal form name the guide's barrier to change and lead to what each layer's asks", async () => {
    // "the higher the layer, the higher the bar" named no barrier and led nowhere; the form's layer
    // choice said nothing of what a higher layer must show before its pull request
    const welcome = (await client().get('/welcome')).html;
    expect(pageText(welcome)).toContain(
      'The higher the layer a contribution changes (working-group artifact, supporting resource, SDK, specification), the higher its barrier to change : what each layer asks before a pull request.',
    );
    expect(welcome).toMatch(/<a href="\/how-we-work#contributions"[^>]*>barrier to change<\/a>/);
    const form = (await (await signedIn('priya')).get('/proposals/new')).html;
    const hint = form.slice(form.indexOf('id="f-layer-hint"'), form.indexOf('</p>', form.indexOf('id="f-layer-hint"')));
    expect(hint).toContain(
      'The higher the layer, the higher its <a href="/how-we-work#contributions">barrier to change</a>',
    );
    expect((await client().get('/how-we-work')).html).toContain('id="contributions"');
  });

  it("forms that add content carry the contribution note and name whom to ask: the group's leads, else the moderators", async () => {
    const w = await signedIn('priya');
    // a new proposal opened from the group's page starts in it: its leads by name
    const fresh = pageText((await w.get('/proposals/new?group=hosting')).html);
    expect(fresh).toContain(
      `${NOTE} Ask the lead of Hosting: Sam (@sam). The terms in full: Contributions under the MIT License .`,
    );
    await createProposal(hub, priya, {
      title: 'Session affinity guide',
      problem: 'Operators cannot scale stateful servers.',
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    const page = (await w.get('/proposals/P-1')).html;
    // beside the evidence form and the comment form
    expect(page.split('Ask the lead of Hosting: <a href="/people/sam"><bdi>Sam</bdi></a> (@sam).').length - 1).toBe(2);
    expect(page).toContain('<a href="https://opensource.org/license/mit">Contributions under the MIT License</a>');
    // and under the author's edit form
    expect(pageText((await w.get('/proposals/P-1/edit')).html)).toContain(
      `${NOTE} Ask the lead of Hosting: Sam (@sam).`,
    );
    // a proposal in no group: the moderators are whom to ask
    await createProposal(hub, priya, {
      title: 'A registry of hosts',
      problem: 'Nobody knows which hosts run MCP servers.',
      layer: 'working-group-artifact',
    });
    expect(pageText((await w.get('/proposals/P-2')).html)).toContain(`${NOTE} Ask the moderator: Mo (@mo).`);
    await person(hub, 'zoe', { role: 'moderator' });
    expect(pageText((await w.get('/proposals/P-2')).html)).toContain(
      `${NOTE} Ask the moderators: Mo (@mo) or Zoe (@zoe).`,
    );
    // a community without moderators names its lead maintainers, so the note always says whom to ask
    await hub.store.db.updateTable('people').set({ role: 'member' }).where('role', '=', 'moderator').execute();
    await person(hub, 'lena', { role: 'lead-maintainer' });
    expect(pageText((await w.get('/proposals/P-2')).html)).toContain(`${NOTE} Ask the lead maintainer: Lena (@lena).`);
    // a visitor adds nothing, and is not shown the note
    expect((await client().get('/proposals/P-1')).html).not.toContain(NOTE);
  });

  it("whoever names a facilitator reads the guide's ideal topic facilitator; the group's topic areas point to it", async () => {
    const w = await signedIn('sam');
    const form = pageText((await w.get('/groups/hosting/topics/new')).html);
    expect(form).toContain('The ideal topic facilitator:');
    expect(form).toContain('welcoming new members, and guiding contributors to the topic area');
    expect(form).toContain('Uses techniques to maintain fair participation');
    expect((await w.get('/groups/hosting/topics/scaling/edit')).html).toContain('id="ideal-facilitator"');
    const group = (await client().get('/groups/hosting')).html;
    expect(group).toContain(
      'stay neutral where they hold strong views: <a href="/how-we-work#the-ideal-topic-facilitator">',
    );
    // the anchor it links to is there
    expect((await client().get('/how-we-work')).html).toContain('id="the-ideal-topic-facilitator"');
  });

  it('an author who may move their own proposal only as its facilitator or lead is told so beside the move', async () => {
    await createProposal(hub, sam, {
      title: 'Sticky sessions pattern',
      problem: 'Sessions are lost when a request lands on another process.',
      examples: ['Our gateway drops sessions on deploy'],
      layer: 'working-group-artifact',
      group: 'hosting',
      topicArea: 'scaling',
    });
    await moveProposal(hub, sam, 'P-1', { to: 'prior-work-checked' });
    // at prior work checked the move forward is the author's own (declining it ends it, nobody's gain): no note
    expect((await (await signedIn('sam')).get('/proposals/P-1')).html).not.toContain('id="own-proposal"');
    await moveProposal(hub, sam, 'P-1', { to: 'community-discussion' });
    const mine = pageText((await (await signedIn('sam')).get('/proposals/P-1')).html);
    expect(mine).toContain(
      'You are its author: a move to tracked is yours only as a lead of its group or a facilitator of its topic area.',
    );
    expect(mine).toContain('consider asking another lead, facilitator or a moderator to make it');
    // scripts and assistants read the same from the proposal's view (REST, MCP's get_proposal)
    const rest = async (handle: string, ref: string) => {
      const token = (await createToken(hub, SYSTEM, handle)).token;
      const res = await app().request(`/api/proposals/${ref}`, { headers: { authorization: `Bearer ${token}` } });
      return (await res.json()).asAuthor;
    };
    expect(await rest('sam', 'P-1')).toEqual({ movesAsLead: ['tracked'], nextStepIsOthers: false });
    expect(await rest('mo', 'P-1')).toBeNull();
    // the moderator who is not its author is not told, nor is an author who holds no such power
    expect((await (await signedIn('mo')).get('/proposals/P-1')).html).not.toContain('id="own-proposal"');
    await createProposal(hub, priya, {
      title: 'Session store survey',
      problem: 'Nobody has compared the session stores operators use.',
      examples: ['Two operators asked last month'],
      layer: 'working-group-artifact',
      group: 'hosting',
      topicArea: 'scaling',
    });
    await moveProposal(hub, priya, 'P-2', { to: 'prior-work-checked' });
    await moveProposal(hub, priya, 'P-2', { to: 'community-discussion' });
    expect((await (await signedIn('priya')).get('/proposals/P-2')).html).not.toContain('id="own-proposal"');
    // hers waits on the group's leads, and her page says so
    expect(await rest('priya', 'P-2')).toEqual({ movesAsLead: [], nextStepIsOthers: true });
    expect(pageText((await (await signedIn('priya')).get('/proposals/P-2')).html)).toContain(
      'Its next step forward, to tracked , is not yours to take',
    );
    expect((await getProposal(hub, 'P-2', priya)).asAuthor?.nextStepIsOthers).toBe(true);
    expect((await getProposal(hub, 'P-2')).asAuthor).toBeNull();
  });

  it('an author whose idea lacks a real-world example is told what it lacks, not that the next step is not theirs', async () => {
    // a newcomer files an idea without an example: leaving idea is theirs, once they add one
    await createProposal(hub, priya, {
      title: 'Session store survey',
      problem: 'Nobody has compared the session stores operators use.',
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    const page = pageText((await (await signedIn('priya')).get('/proposals/P-1')).html);
    expect(page).toContain('A proposal leaves idea only with at least one real-world example of the problem.');
    expect(page).not.toContain('is not yours to take');
    expect((await getProposal(hub, 'P-1', priya)).asAuthor?.nextStepIsOthers).toBe(false);
  });
});
