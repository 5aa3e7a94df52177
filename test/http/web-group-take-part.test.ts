// "Run this group" on a group's page showed a participant only what they may not do (change levels,
// move the group). To someone who does not run the group it now says who does, and lists what
// they may do there, each with its link: propose something in the group, open a decision, add to a
// coming meeting's agenda or send written input, answer an open decision. Each item is there when
// its policy allows it (a changed governance file changes the list). The section is "Taking part",
// not "Run this group": what only those who run it do was a folded list under headings ("Status")
// that a newcomer opened to read what they may not do; it is one line now, saying who may in the
// policies' words, with a link to who may do what. On both databases, over the demo community and its work.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Governance } from '../../src/domain/governance/schema.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub, person, type TestHub } from '../support/hub.ts';
import { pageText, signInAs, WebClient } from '../support/web-client.ts';
import { demoSignIn } from '../support/web-hub.ts';

/** The "Run this group" section of a group page: its text outside any closed details, its links, and what is folded away. */
function runThisGroup(html: string) {
  const section = /<section aria-labelledby="manage">([\s\S]*?)<\/section>/.exec(html)?.[1];
  if (section === undefined) throw new Error('no "Run this group" section');
  const folded = [...section.matchAll(/<details>([\s\S]*?)<\/details>/g)].map((m) => m[1]!);
  const shown = section.replace(/<details>[\s\S]*?<\/details>/g, '');
  // inline elements (links, times) read as the words around them, without a space of their own
  const read = (h: string) => pageText(h.replace(/<\/?(a|time|strong)\b[^>]*>/g, ''));
  return {
    heading: pageText(/<h2 id="manage">([\s\S]*?)<\/h2>/.exec(section)?.[1] ?? '').trim(),
    subheadings: [...section.matchAll(/<h3>([\s\S]*?)<\/h3>/g)].map((m) => pageText(m[1]!).trim()),
    text: read(shown),
    links: [...shown.matchAll(/<a href="([^"]+)">([\s\S]*?)<\/a>/g)].map((m) => [pageText(m[2]!).trim(), m[1]!]),
    refusalsShown: [...shown.matchAll(/<p class="why-not">([\s\S]*?)<\/p>/g)].map((m) => pageText(m[1]!).trim()),
    folded: folded.map(read),
  };
}

describe.each(databases)('"Run this group" for those who do not run it, on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  beforeEach(async () => {
    hub = await openDemoHub(database, { work: true });
    app = createHttpApp(hub, undefined, { web: demoSignIn });
  });
  afterEach(async () => hub?.close());

  it('a participant is told who runs it and what they can do there, with links that lead to it', async () => {
    const jonas = await signInAs(app, 'jonas');
    const section = runThisGroup((await jonas.get('/groups/hosting')).html);
    expect(section.text).toContain('Sam Rivera (@sam-lead), its lead, runs this group');
    expect(section.links).toContainEqual(['Sam Rivera', '/people/sam-lead']);
    expect(section.text).toContain('What you can do here as a participant:');
    expect(section.links).toContainEqual(['Propose something in Hosting', '/proposals/new?group=hosting']);
    // the coming meeting whose agenda is open to him, and the open decision he may answer
    expect(section.text).toMatch(/Add an item to the agenda, or send written input if you cannot attend: M-2: /);
    expect(section.links).toContainEqual([
      'M-2: Horizontal scaling deep-dive: sticky sessions',
      '/meetings/M-2#agenda',
    ]);
    // the deadline reads as the group's list of open decisions says it, not "open until in 6 days"
    expect(section.text).toMatch(/Answer D-1: Adopt the session affinity guide .*, closes in \d+ days, /);
    expect(section.text).not.toContain('until in');
    expect(section.links.map(([, href]) => href)).toContain('/decisions/D-1');
    // opening a decision is for members and leads: not offered to him
    expect(section.links.map(([, href]) => href)).not.toContain('/decisions/new?group=hosting');
    // the section is his part, not "Run this group"; what only those who run it do is one line, in
    // the policies' words (who may), with no heading per refusal and nothing folded away
    expect(section.heading).toBe('Taking part');
    expect(section.refusalsShown).toEqual([]);
    expect(section.folded).toEqual([]);
    // leaving, his to do, keeps its heading; none is left for what he may not do ("Status")
    expect(section.subheadings).toEqual(['Leave']);
    expect(section.text).toMatch(
      /Not yours to do here: Only a group lead, a core maintainer or a lead maintainer may change a member's level[^.]*\. Only a core maintainer or a lead maintainer may move an active group\. Who may do what\./,
    );
    expect(section.links).toContainEqual(['Who may do what', '/how-we-work#who-may-do-what']);
    expect(section.text).toContain('You are a participant of Hosting.');
    // each link leads where it says: the form with the group chosen, the meeting's agenda form, the decision's answer form
    const form = await jonas.get('/proposals/new?group=hosting');
    expect(form.html).toMatch(/<option value="hosting" selected>/);
    expect((await jonas.get('/meetings/M-2')).html).toContain('action="/meetings/M-2/agenda"');
    expect((await jonas.get('/decisions/D-1')).html).toContain('action="/decisions/D-1/respond"');
  });

  it('a visitor deciding whether to join reads who leads it beside the sign-in to join, not only under Members', async () => {
    const html = (await new WebClient(app).get('/groups/hosting')).html;
    const top = pageText(html.slice(0, html.indexOf('aria-label="On this page"')));
    expect(top).toMatch(
      /Sign in to join this group\.\s+Sam Rivera \(@sam-lead\), its lead, runs this group, with Priya Nair \(@priya\), who facilitates/,
    );
    // and no section of forms it cannot use
    expect(html).not.toContain('<section aria-labelledby="manage">');
  });

  it('a newcomer who has not accepted the agreements is told so once, beside Join, not again under Run this group', async () => {
    await person(hub, 'ada', { accepted: false });
    const html = (await (await signInAs(app, 'ada')).get('/groups/hosting')).html;
    expect(pageText(html).match(/Accept the MCP Code of Conduct and the contribution terms first/g)).toHaveLength(1);
    expect(runThisGroup(html).text).toContain('Nothing here is yours to do yet: see above.');
  });

  it('a member is offered to open a decision too; an observer only written input; someone from outside to propose', async () => {
    const priya = runThisGroup((await (await signInAs(app, 'priya')).get('/groups/hosting')).html);
    expect(priya.text).toContain('What you can do here as a member:');
    expect(priya.links).toContainEqual(['Open a decision in Hosting', '/decisions/new?group=hosting']);
    const amaraPage = (await (await signInAs(app, 'amara')).get('/groups/hosting')).html;
    // her level named with its article: "an observer", not "a observer"
    expect(pageText(amaraPage)).toContain('You are an observer of this group.');
    const amara = runThisGroup(amaraPage);
    expect(amara.text).toContain('What you can do here as an observer:');
    expect(amara.text).toMatch(/Send written input if you cannot attend: M-2: /);
    expect(amara.text).not.toContain('Add an item to the agenda');
    const outside = runThisGroup((await (await signInAs(app, 'jonas')).get('/groups/security')).html);
    expect(outside.text).toContain('Priya Nair (@priya), its lead, runs this group.');
    expect(outside.links).toContainEqual(['Propose something in Security', '/proposals/new?group=security']);
    expect(outside.refusalsShown).toEqual([]);
  });

  it('a topic area’s facilitator who is not a lead is offered to schedule its meetings, the topic chosen', async () => {
    // Priya facilitates Horizontal scaling and may schedule its meetings, but the group page offered
    // her no "Schedule a meeting" anywhere (only leads saw one): she had to find /meetings/new herself
    const priya = await signInAs(app, 'priya');
    const section = runThisGroup((await priya.get('/groups/hosting')).html);
    const link = '/meetings/new?group=hosting&amp;topic=horizontal-scaling';
    expect(section.links).toContainEqual(['Schedule a meeting of Horizontal scaling', link]);
    expect(section.text).toContain('Schedule a meeting of Horizontal scaling, the topic area you facilitate');
    const form = (await priya.get(link.replace('&amp;', '&'))).html;
    expect(form).toMatch(/<option value="horizontal-scaling"[^>]* selected>Horizontal scaling</);
    // a participant facilitates nothing: not offered
    const jonas = runThisGroup((await (await signInAs(app, 'jonas')).get('/groups/hosting')).html);
    expect(jonas.text).not.toContain('Schedule a meeting');
  });

  it('a member reads under Topic areas how one starts; a lead, who adds them, does not', async () => {
    // a member who wanted a topic area for their challenge found no word of how one starts
    const topics = (html: string) =>
      pageText(/<section aria-labelledby="topics">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '');
    const priya = topics((await (await signInAs(app, 'priya')).get('/groups/hosting')).html);
    expect(priya).toContain(
      "To start one, bring it to the group (an item on a coming meeting's agenda, or a proposal) and ask its leads to add it.",
    );
    expect(priya).toContain('Only a group lead, a core maintainer or a lead maintainer may add a topic area.');
    const sam = topics((await (await signInAs(app, 'sam-lead')).get('/groups/hosting')).html);
    expect(sam).not.toContain('To start one');
  });

  it('the lead still runs it from there: the forms, and no list of what others may do', async () => {
    const sam = await signInAs(app, 'sam-lead');
    const html = (await sam.get('/groups/hosting')).html;
    const section = runThisGroup(html);
    expect(html).toContain('action="/groups/hosting/members/level"');
    expect(section.text).not.toContain('What you can do here');
    expect(section.text).not.toContain('runs this group');
  });

  it('the list follows the governance file: what it allows a participant is offered, what it takes away is not', async () => {
    const g = hub.governance;
    const changed: Governance = {
      ...g,
      permissions: {
        ...g.permissions,
        'decision.open': { groupLevels: ['lead', 'member', 'participant'] },
        'meeting.addAgendaItem': { groupLevels: ['member', 'lead'] },
      },
    };
    const other = createHttpApp({ ...hub, governance: changed }, undefined, { web: demoSignIn });
    const section = runThisGroup((await (await signInAs(other, 'jonas')).get('/groups/hosting')).html);
    expect(section.links).toContainEqual(['Open a decision in Hosting', '/decisions/new?group=hosting']);
    expect(section.text).not.toContain('Add an item to the agenda');
    expect(section.text).toMatch(/Send written input if you cannot attend: M-2: /);
  });
});
