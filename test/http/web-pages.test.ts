// The web pages over HTTP on both databases (no browser): what a member sees and what a form
// does, including refusals and version conflicts. The browser journeys are in test/web/.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDecision, respondToDecision } from '../../src/app/decisions/decisions.ts';
import { placeInGroup, proposeGroup } from '../../src/app/groups/groups.ts';
import { SYSTEM, type Actor } from '../../src/app/core/hub.ts';
import {
  createProposal,
  moveProposal,
  supportProposal,
  updateProposal,
  getProposal,
} from '../../src/app/proposals/proposals.ts';
import { createTopicArea } from '../../src/app/groups/topic-areas.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { asActor, openTestHub, person, type TestHub } from '../support/hub.ts';
import { pageText, WebClient } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: false, sessionHours: 24 };

describe.each(databases)('web pages on $name', (database) => {
  let hub: TestHub;
  let lead: Actor;
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
    lead = await person(hub, 'sam', {
      role: 'member',
      org: 'Galactic Hosting Corporation',
      timeZone: 'America/Los_Angeles',
    });
    priya = await person(hub, 'priya', { role: 'member', org: 'Nebula Tools', timeZone: 'Asia/Kolkata' });
    await person(hub, 'jonas', { org: 'Galactic Hosting Corporation' });
    await person(hub, 'ada', { accepted: false });
    await proposeGroup(hub, lead, {
      slug: 'hosting',
      name: 'Hosting',
      kind: 'working',
      mission: 'Share practices for hosting MCP servers at scale.',
      scopeIn: ['Scaling'],
      leads: ['sam'],
    });
    await placeInGroup(hub, SYSTEM, 'hosting', 'priya', { level: 'member' });
    await placeInGroup(hub, SYSTEM, 'hosting', 'jonas', { level: 'participant' });
    await createTopicArea(hub, lead, 'hosting', {
      slug: 'scaling',
      name: 'Horizontal scaling',
      goal: 'both',
      description: 'Sessions across processes.',
      facilitators: ['sam'],
    });
  });
  afterEach(async () => hub?.close());

  it('home lists the decisions awaiting me with the deadline in my time zone, until I respond', async () => {
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Adopt fortnightly content meetings?',
      significance: 'minor',
    });
    const w = await signedIn('priya');
    let home = (await w.get('/')).html;
    expect(home).toContain('What needs you, Priya');
    expect(home).toContain('Adopt fortnightly content meetings?');
    // deadline 2026-03-07T12:00Z is 17:30 in Kolkata
    expect(home).toMatch(/7 Mar 2026, 17:30 \(Asia\/Kolkata\)/);
    // the group by its name, as its page calls it, not its slug
    expect(home).toContain('<td><a href="/groups/hosting">Hosting</a></td>');
    await respondToDecision(hub, priya, 'D-1', { kind: 'consent' });
    home = (await w.get('/')).html;
    expect(home).not.toContain('Adopt fortnightly content meetings?');
    expect(home).toContain('no open decision is waiting for your voice');
  });

  it("a participant's home lists the group's open decisions as advisory, until they answer, instead of only 'none awaits you'", async () => {
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Adopt fortnightly content meetings?',
      significance: 'minor',
    });
    const w = await signedIn('jonas');
    let home = pageText((await w.get('/')).html);
    // jonas is a participant: nothing waits for his counted voice, but the decision is there to weigh in on
    expect(home).toContain('None: no open decision is waiting for your voice.');
    // a meeting's page offers "Add an action item" before it meets too: the home does not say "once it has met"
    expect(home).toContain("None open. Action items are added on a meeting's page, before it or as it meets");
    expect(home).toContain(
      'Open in your groups, where your answer is advisory (shown to the group, not counted: only its members and leads count):',
    );
    expect(home).toContain('D-1: Adopt fortnightly content meetings? (Hosting), closes');
    await respondToDecision(hub, await asActor(hub, 'jonas'), 'D-1', { kind: 'consent' });
    home = pageText((await w.get('/')).html);
    expect(home).not.toContain('Adopt fortnightly content meetings?');
    // a member sees it among those awaiting them, not as advisory
    expect(pageText((await (await signedIn('priya')).get('/')).html)).not.toContain('where your answer is advisory');
  });

  it('home marks the proposals I support that moved stage since my last visit', async () => {
    const ada = await person(hub, 'author', { org: 'Acme' });
    await createProposal(hub, ada, {
      title: 'Session affinity guide',
      problem: 'Operators cannot scale stateful servers.',
      layer: 'working-group-artifact',
    });
    await supportProposal(hub, priya, 'P-1');
    const first = await signedIn('priya');
    expect((await first.get('/')).html).not.toContain('moved since your last visit');
    hub.clock.set('2026-03-03T12:00:00Z');
    await updateProposal(hub, ada, 'P-1', (await getProposal(hub, 'P-1')).version, {
      examples: ['A gateway loses sessions on every deploy'],
    });
    await moveProposal(hub, ada, 'P-1', { to: 'prior-work-checked' });
    hub.clock.set('2026-03-04T12:00:00Z');
    const html = (await (await signedIn('priya')).get('/')).html;
    expect(html).toContain('moved since your last visit');
    expect(html).toContain('P-1: Session affinity guide');
    expect(html).toContain('now <strong>prior work checked</strong>');
    expect(html).toContain('you are its supporter');
  });

  it('a group page shows every charter section, members by level and organisation, and topic areas with their goals', async () => {
    const html = (await client().get('/groups/hosting')).html;
    for (const h of ['Mission Statement', 'Scope', 'Leadership', 'Changelog']) expect(html).toContain(`>${h}</h`);
    expect(html).toMatch(/Leads \(1\)<\/h3><ul><li><a href="\/people\/sam">Sam<\/a>/);
    expect(html).toContain('Participants (1)');
    expect(html).toMatch(/<td>Galactic Hosting Corporation<\/td><td>2<\/td>/);
    expect(html).toContain('<strong>Goal:</strong> agree common patterns and propose specification changes');
    expect(html).not.toContain('Edit the charter');
  });

  it('a lead edits a charter section; history names the section; a stale form gets the current text, not an overwrite', async () => {
    const w = await signedIn('sam');
    const edit = await w.get('/groups/hosting/charter/edit?section=Mission%20Statement');
    expect(edit.status).toBe(200);
    const version = /name="version" value="(\d+)"/.exec(edit.html)![1]!;
    const empty = await w.post('/groups/hosting/charter', {
      heading: 'Mission Statement',
      markdown: 'New mission.',
      changelog: '',
      version,
    });
    expect(empty.status).toBe(422);
    expect(empty.html).toContain('What changed, for the changelog: must say what changed');
    expect(empty.html).toContain('New mission.');
    // blanking the Mission Statement is refused naming it, beside the changelog line it also lacks
    const blank = await w.post('/groups/hosting/charter', {
      heading: 'Mission Statement',
      markdown: '   ',
      changelog: '',
      version,
    });
    expect(blank.status).toBe(422);
    expect(blank.html).toContain('href="#f-sections-0-markdown"');
    expect(pageText(blank.html)).toContain(
      '“Mission Statement” cannot be saved empty: the charter template requires it',
    );
    expect(blank.html).toContain('What changed, for the changelog: must say what changed');

    const noVersion = await w.post('/groups/hosting/charter', {
      heading: 'Mission Statement',
      markdown: 'New mission.',
      changelog: 'x',
    });
    expect(noVersion.status).toBe(422);
    expect(noVersion.html).toContain('version: must be the version the form was loaded with');
    // a version the form never wrote (hex, exponent, a fraction) is mangled, not a stale read of version 16
    for (const mangled of [`0x${Number(version).toString(16)}`, `${version}e0`, `${version}.0`, '0x10']) {
      const odd = await w.post('/groups/hosting/charter', {
        heading: 'Mission Statement',
        markdown: 'New mission.',
        changelog: 'x',
        version: mangled,
      });
      expect(odd.status).toBe(422);
      expect(odd.html).toContain('version: must be the version the form was loaded with');
    }

    const ok = await w.post('/groups/hosting/charter', {
      heading: 'Mission Statement',
      markdown: 'Host MCP servers well, at any scale.',
      changelog: 'Shorter mission',
      version,
    });
    expect(ok.status).toBe(303);
    const page = (await w.get('/groups/hosting')).html;
    expect(page).toContain('Host MCP servers well, at any scale.');
    expect(pageText(page)).toMatch(/amended by Sam \(@sam\) — sections: Mission Statement — “Shorter mission”/);

    const stale = await w.post('/groups/hosting/charter', {
      heading: 'Mission Statement',
      markdown: 'My edit from an old tab.',
      changelog: 'Old tab',
      version,
    });
    expect(stale.status).toBe(409);
    expect(stale.html).toContain('changed by someone else');
    expect(stale.html).toContain('<pre>Host MCP servers well, at any scale.</pre>');
    expect(stale.html).toContain('My edit from an old tab.');
    expect(stale.html).toMatch(new RegExp(`name="version" value="${Number(version) + 1}"`));
    expect((await w.get('/groups/hosting')).html).not.toContain('My edit from an old tab.');
  });

  it("a lead adds the template's deliverables section the charter lacks, from the group page's 'no deliverables'", async () => {
    // a charter made here has no deliverables section: the page said so and the editor offered no
    // way to add one (a heading it did not have was refused)
    const w = await signedIn('sam');
    const group = (await w.get('/groups/hosting')).html;
    expect(pageText(group)).toContain('The charter lists no deliverables. Add them to the charter');
    const link = /href="(\/groups\/hosting\/charter\/edit\?section=[^"]+)">Add them to the charter/.exec(group)![1]!;
    const edit = await w.get(link.replace(/&amp;/g, '&'));
    expect(edit.status).toBe(200);
    expect(pageText(edit.html)).toContain('Deliverables & Success Metrics (not in the charter yet: add it)');
    expect(edit.html).toContain('name="heading" value="Deliverables &amp; Success Metrics"');
    expect(edit.html).toContain('| Item | Status | Target Date | Champion |');
    const version = /name="version" value="(\d+)"/.exec(edit.html)![1]!;
    const saved = await w.post('/groups/hosting/charter', {
      heading: 'Deliverables & Success Metrics',
      markdown:
        '### Active Work Items\n\n| Item | Status | Target Date | Champion |\n| --- | --- | --- | --- |\n| Session affinity guide | Draft | 2027-03-01 | @priya |\n',
      changelog: 'Listed the session affinity guide as a deliverable',
      version,
    });
    expect(saved.status).toBe(303);
    const after = (await w.get('/groups/hosting')).html;
    expect(after).toMatch(/<td>Session affinity guide<\/td><td>Draft<\/td><td>2027-03-01<\/td>/);
    expect(pageText(after)).not.toContain('Add them to the charter');
    // it went before the changelog, as in the template; any other unknown heading is still refused
    const md = (await w.get('/api/groups/hosting/charter.md')).html;
    expect(md.indexOf('## Deliverables & Success Metrics')).toBeGreaterThan(0);
    expect(md.indexOf('## Deliverables & Success Metrics')).toBeLessThan(md.indexOf('## Changelog'));
    const stray = await w.post('/groups/hosting/charter', {
      heading: 'Random Notes',
      markdown: 'x',
      changelog: 'x',
      version: String(Number(version) + 1),
    });
    expect(stray.status).toBe(422);
  });

  it('a deliverables section written as a list, not the table, says where the page reads deliverables from', async () => {
    // a lead wrote the work items as a bullet list: the page said "The charter lists no
    // deliverables." and no more, the section plainly there in the charter below
    const w = await signedIn('sam');
    const edit = (await w.get('/groups/hosting/charter/edit?section=Deliverables%20%26%20Success%20Metrics')).html;
    const saved = await w.post('/groups/hosting/charter', {
      heading: 'Deliverables & Success Metrics',
      markdown: '### Active Work Items\n\n- Session affinity guide, a draft by March\n',
      changelog: 'Listed the work items',
      version: /name="version" value="(\d+)"/.exec(edit)![1]!,
    });
    expect(saved.status).toBe(303);
    const group = (await w.get('/groups/hosting')).html;
    expect(pageText(group)).toContain(
      'The charter lists no deliverables. They are read from a table with the columns Item, Status, Target Date and Champion in its section “Deliverables & Success Metrics”: edit that section to list them.',
    );
    expect(group).toContain(
      'href="/groups/hosting/charter/edit?section=Deliverables%20%26%20Success%20Metrics#f-sections-0-markdown">edit that section</a>',
    );
    // a reader who may not edit the charter reads only that there are none
    const jonas = await signedIn('jonas');
    expect(pageText((await jonas.get('/groups/hosting')).html)).not.toContain('They are read from a table');
  });

  it('someone who is not a lead cannot open the charter editor or post to it', async () => {
    const w = await signedIn('jonas');
    const page = await w.get('/groups/hosting/charter/edit');
    expect(page.status).toBe(403);
    expect(page.html).toContain(
      'Only a group lead, a core maintainer or a lead maintainer may edit the group&#39;s charter',
    );
    expect(page.html).not.toContain('group.editCharter');
    const post = await w.post('/groups/hosting/charter', {
      heading: 'Mission Statement',
      markdown: 'x',
      changelog: 'x',
      version: '1',
    });
    expect(post.status).toBe(403);
    const visitor = client();
    const anon = await visitor.get('/groups/hosting/charter/edit');
    expect(anon.status).toBe(303);
    expect(anon.location).toBe('/sign-in?next=%2Fgroups%2Fhosting%2Fcharter%2Fedit');
  });

  it('a newcomer accepts both texts and joins from the welcome page; joining first is refused with the reason', async () => {
    const w = await signedIn('ada');
    // the home says what is still to accept, as the welcome page names them
    expect(pageText((await w.get('/')).html)).toContain(
      'Before you can contribute, accept the MCP Code of Conduct and the Contributions under the MIT License on the',
    );
    await w.get('/welcome');
    // before choosing a level, the newcomer reads what each means and which answers count
    const steps = pageText((await w.get('/welcome')).html);
    expect(steps).toContain(
      'observer : you follow the group from its pages; you are not told of its decisions and meetings',
    );
    expect(steps).toContain('participant : you are told when the group opens a decision or lists a meeting');
    expect(steps).toContain("Only the answers of a group's members and leads count in its decisions");
    expect(steps).toContain("Those levels are granted by the group's leads");
    const early = await w.post('/groups/hosting/join', { level: 'participant', next: '/welcome' });
    expect(early.status).toBe(403);
    expect(early.html).toContain('Accept the MCP Code of Conduct and the contribution terms first');
    const g = hub.governance.agreements;
    // one box missed: the page names it, and the one ticked stays ticked
    const missed = await w.post('/welcome/agreements', { codeOfConduct: g.codeOfConduct.version });
    expect(missed.status).toBe(422);
    expect(missed.html).toMatch(/<input type="checkbox" id="f-codeOfConduct"[^>]* checked>/);
    expect(missed.html).toMatch(
      /<input type="checkbox" id="f-contributionTerms"(?![^>]* checked)[^>]*aria-invalid="true"/,
    );
    // a box sent for a version that is no longer current (the text changed while the form was open)
    // comes back unticked: ticking it again accepts the version now shown, read anew
    const stale = await w.post('/welcome/agreements', {
      codeOfConduct: `${g.codeOfConduct.version}-old`,
      contributionTerms: g.contributionTerms.version,
    });
    expect(stale.status).toBe(422);
    expect(stale.html).toMatch(/<input type="checkbox" id="f-codeOfConduct"(?![^>]* checked)[^>]*>/);
    expect(stale.html).toMatch(/<input type="checkbox" id="f-contributionTerms"[^>]* checked>/);
    expect(
      (
        await w.post('/welcome/agreements', {
          codeOfConduct: g.codeOfConduct.version,
          contributionTerms: g.contributionTerms.version,
        })
      ).status,
    ).toBe(303);
    // a level the leads grant is refused naming it
    const tooHigh = await w.post('/groups/hosting/join', { level: 'lead', next: '/welcome' });
    expect(tooHigh.status).toBe(422);
    expect((await w.post('/groups/hosting/join', { level: 'participant', next: '/welcome' })).status).toBe(303);
    // the welcome page names the level joined at, as the group's page does
    expect(pageText((await w.get('/welcome')).html)).toContain('You are a participant of this group.');
    const members = (await client().get('/groups/hosting')).html;
    expect(members).toContain('Participants (2)');
    // the same form sent again (a double click) takes her to where she is, saying so, and changes nothing
    const again = await w.post('/groups/hosting/join', { level: 'observer', next: '/welcome' });
    expect(again.status).toBe(303);
    expect(pageText((await w.get('/welcome')).html)).toContain('You are already in this group, as a participant');
    expect((await client().get('/groups/hosting')).html).toContain('Participants (2)');
    // a visitor can read what they would be asked to accept before making an account
    const visitor = (await client().get('/welcome')).html;
    expect(visitor).toContain(`<a href="${g.codeOfConduct.url}">${g.codeOfConduct.title}</a>`);
    expect(visitor).toContain(`<a href="${g.contributionTerms.url}">${g.contributionTerms.title}</a>`);
  });

  it("a search result says where it lives as the lists do: the group's name, the stage in words, the day on the reader's clock", async () => {
    // 20:00 UTC on 2 March is already 3 March in Kolkata, where Priya reads
    hub.clock.set('2026-03-02T20:00:00Z');
    await createProposal(hub, priya, {
      title: 'Sticky sessions behind gateways',
      problem: 'Operators cannot keep sticky sessions when a gateway restarts.',
      examples: ['A gateway restart dropped every session'],
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    await moveProposal(hub, priya, 'P-1', { to: 'prior-work-checked' });
    const w = await signedIn('priya');
    const text = pageText((await w.get('/search?q=sticky+gateways&kind=proposal')).html);
    expect(text).toContain(
      'P-1: Sticky sessions behind gateways proposal · Hosting · prior work checked · updated today, Tue 3 Mar 2026',
    );
    expect(text).not.toContain('2026-03-02');
    expect(text).not.toContain('prior-work-checked');
  });

  it("a visitor's Sign in in the header comes back to the page it was followed from", async () => {
    const signInLink = (h: string) => /<div class="who"><a href="([^"]+)"/.exec(h)?.[1]?.replaceAll('&amp;', '&');
    const w = client();
    expect(signInLink((await w.get('/groups/hosting')).html)).toBe('/sign-in?next=%2Fgroups%2Fhosting');
    expect(signInLink((await w.get('/search?q=scaling&group=hosting')).html)).toBe(
      `/sign-in?next=${encodeURIComponent('/search?q=scaling&group=hosting')}`,
    );
    // where signing in starts anyway, it carries nothing
    expect(signInLink((await w.get('/welcome')).html)).toBe('/sign-in');
    expect(signInLink((await w.get('/sign-in')).html)).toBe('/sign-in');
    // and signing in from there lands on the group's page
    const form = (await w.get('/sign-in?next=%2Fgroups%2Fhosting')).html;
    expect(form).toContain('<input type="hidden" name="next" value="/groups/hosting">');
    const done = await w.post('/sign-in/demo', { handle: 'jonas', next: '/groups/hosting' });
    expect(done.location).toBe('/groups/hosting');
  });

  it('the log verifies its chain, and search explains an empty query', async () => {
    const log = (await client().get('/log?verify=1')).html;
    expect(log).toMatch(/The chain holds:<\/strong> \d+ events checked/);
    // who acted, by name with the handle beside it, as every other page names people
    expect(log).toContain('<a href="/people/sam"><bdi>Sam</bdi></a> (@sam)');
    expect(log).not.toContain('>@sam</a>');
    const empty = await client().get('/search?q=');
    expect(empty.status).toBe(422);
    expect(empty.html).toContain('Search for: must not be empty');
    const found = (await client().get('/search?q=scaling')).html;
    expect(found).toContain('href="/groups/hosting"');
    expect(log).toContain('group <a href="/groups/hosting">hosting</a>');
    expect((await client().get('/search?q=scaling&group=hosting')).html).toContain('href="/groups/hosting"');
    // a group that does not exist is named as such, not read as one with nothing in it
    const unknown = await client().get('/search?q=scaling&group=security');
    expect(unknown.status).toBe(404);
    expect(pageText(unknown.html)).toContain("group 'security' does not exist");
    const none = (await client().get('/search?q=scaling&kind=sep')).html;
    expect(none).toContain('No results');
    // nothing found is not a dead end: search without the filters, or start it
    expect(pageText(none)).toContain('Nothing here matches “scaling” with these filters.');
    expect(none).toContain('href="/search?q=scaling">Search everything</a>');
    expect(none).toContain('href="/proposals/new?title=scaling">propose it</a>');
    // a link from when search paged by offset opens the first page (the page is numbered from 1)
    const old = await client().get('/search?q=scaling&offset=30');
    expect(old.status).toBe(200);
    expect(old.html).toMatch(/<h2 id="results">\d+ results?</);
    expect(old.html).toContain('<ol aria-labelledby="results" start="1">');
    // one result is "1 result", not "1 results"
    const counts = [
      ...(await client().get('/search?q=scaling&group=hosting&kind=charter')).html.matchAll(
        /<h2 id="results">([^<]+)</g,
      ),
    ].map((m) => m[1]);
    expect(counts).toEqual(['1 result']);
  });
});
