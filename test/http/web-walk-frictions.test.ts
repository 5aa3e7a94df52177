// What a browser walk by newcomers found, on both databases: a person newly named to facilitate a
// topic area is told so in their inbox and finds it on their home page; a lead who names a newcomer as facilitator is told how the
// rule is met; notes written with "##" sections skip no heading level on the meeting's page; a contributor whose proposal has no sponsor reads who may
// sponsor it, by name.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getTopicArea, updateTopicArea } from '../../src/app/groups/topic-areas.ts';
import { getPerson, setPersonRole } from '../../src/app/people/people.ts';
import { createProposal, relateProposal, sponsorProposal } from '../../src/app/proposals/proposals.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { asActor, openDemoHub, type TestHub } from '../support/hub.ts';
import { setMemberLevel } from '../../src/app/groups/groups.ts';
import { getMeeting } from '../../src/app/meetings/meetings.ts';
import { notificationsReaction } from '../../src/app/notifications/notify.ts';
import { recordMeetingDecision, recordNotes } from '../../src/app/meetings/outcomes.ts';
import { closeDueDecisions } from '../../src/app/decisions/decisions.ts';
import { pageText, signInAs } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };

describe.each(databases)('frictions of the newcomers walk on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  beforeEach(async () => {
    hub = await openDemoHub(database);
    app = createHttpApp(hub, undefined, { web: demo });
  });
  afterEach(async () => hub?.close());

  it('a newly named facilitator finds their topic area on their home page, linked to its card', async () => {
    const lena = await asActor(hub, 'lena-core');
    const jonas = await getPerson(hub, 'jonas');
    await setPersonRole(hub, lena, 'jonas', jonas.version, { role: 'member' });
    const sam = await asActor(hub, 'sam-lead');
    const area = await getTopicArea(hub, 'hosting', 'horizontal-scaling');
    await updateTopicArea(hub, sam, 'hosting', 'horizontal-scaling', area.version, { facilitators: ['jonas'] });

    const client = await signInAs(app, 'jonas');
    const home = await client.get('/');
    const t = pageText(home.html);
    expect(t).toMatch(/Hosting \(participant\) · you facilitate Horizontal scaling/);
    expect(t).toContain("As a facilitator you run your topic area's meetings as a lead does");
    expect(home.html).toContain('href="/groups/hosting#topic-horizontal-scaling"');
    // the link lands on the area's card
    expect((await client.get('/groups/hosting')).html).toContain('id="topic-horizontal-scaling"');

    // one who facilitates nothing reads no such line
    const amara = pageText((await (await signInAs(app, 'amara')).get('/')).html);
    expect(amara).not.toContain('you facilitate');
  });

  it('a proposal with no sponsor tells its author who may sponsor it, by name; the line goes once it has one', async () => {
    const amara = await asActor(hub, 'amara');
    const { ref } = await createProposal(hub, amara, {
      title: 'Idempotency keys so retried tool calls are not run twice',
      problem: 'Clients retry tool calls after a gateway drops them, and servers run them twice.',
      examples: ['A nightly gateway restart made a client retry a payment tool call'],
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    const author = await signInAs(app, 'amara');
    const page = await author.get(`/proposals/${ref}`);
    const t = pageText(page.html);
    expect(t).toContain('It has no sponsor yet.');
    expect(t).toMatch(
      /a maintainer, a core maintainer or a lead maintainer may sponsor a proposal, such as .*Kai Tanaka \(@kai-core, core maintainer\)/,
    );
    expect(t).toContain("ask the group's leads for review below");
    expect(page.html).toContain('href="/people/kai-core"');

    // one who may sponsor it gets the button instead
    const kai = await signInAs(app, 'kai-core');
    const kaiPage = pageText((await kai.get(`/proposals/${ref}`)).html);
    expect(kaiPage).toContain('Sponsor this proposal');
    expect(kaiPage).not.toContain('It has no sponsor yet.');

    await sponsorProposal(hub, await asActor(hub, 'kai-core'), ref);
    expect(pageText((await author.get(`/proposals/${ref}`)).html)).not.toContain('It has no sponsor yet.');
  });

  it("naming a contributor as facilitator says the ladder role is not the group's level, and who raises it where", async () => {
    // Sam first makes Jonas a member of the group, as a lead would try, then names him
    await setMemberLevel(hub, await asActor(hub, 'sam-lead'), 'hosting', 'jonas', { level: 'member' });
    const sam = await signInAs(app, 'sam-lead');
    await sam.get('/groups/hosting/topics/horizontal-scaling/edit');
    const refused = await sam.post('/groups/hosting/topics/horizontal-scaling/edit', {
      version: '1',
      name: 'Horizontal scaling',
      goal: 'both',
      description: 'Sessions across processes.',
      facilitators: 'priya jonas',
    });
    expect(refused.status).toBe(422);
    expect(pageText(refused.html)).toContain(
      'Facilitators (handles), entry 2: jonas is a contributor; leads and facilitators must hold at least the member role on the contributor ladder, not a level in a group: a moderator or a lead maintainer raises it on their profile',
    );
    expect(refused.html).toContain('value="priya jonas"');
  });

  it('the propose-a-group form names an ineligible lead without a bare path in its words', async () => {
    const sam = await signInAs(app, 'sam-lead');
    await sam.get('/groups/new');
    const refused = await sam.post('/groups/new', {
      name: 'Gateways',
      slug: 'gateways',
      kind: 'working',
      mission: 'Agree how gateways in front of MCP servers pass identity along.',
      scopeIn: 'Identity propagation',
      leads: 'sam-lead jonas',
    });
    expect(refused.status).toBe(422);
    const text = pageText(refused.html);
    expect(text).toContain(
      'jonas is a contributor; leads and facilitators must hold at least the member role on the contributor ladder, not a level in a group: a moderator or a lead maintainer raises it on their profile',
    );
    expect(text).not.toContain('(/people/jonas)');
  });

  it('notes whose sections start at "##" read as h3 under the Notes h2, no level skipped for a screen reader', async () => {
    const m = await getMeeting(hub, 'M-3');
    await recordNotes(hub, await asActor(hub, 'priya'), 'M-3', m.version, {
      notes: '## Attendance\n\nPriya, Sam\n\n## Outcome\n\nA checklist draft by Friday.',
    });
    const page = (await (await signInAs(app, 'amara')).get('/meetings/M-3')).html;
    expect(page).toContain('<h3>Attendance</h3>');
    expect(page).toContain('<h3>Outcome</h3>');
    // the outline as read: no heading more than one level below the one before it
    const levels = [...page.matchAll(/<h([1-6])[\s>]/g)].map((x) => Number(x[1]));
    expect(levels.filter((l, i) => i > 0 && l > levels[i - 1]! + 1)).toEqual([]);
  });

  it('an author about to say prior work is checked, with a similar proposal listed and none related, is pointed to it', async () => {
    const sam = await asActor(hub, 'sam-lead');
    const earlier = await createProposal(hub, sam, {
      title: 'Retry guidance for clients behind flaky gateways',
      problem:
        'Clients retry requests in different ways when a gateway drops the connection, so servers see duplicated tool calls.',
      examples: ['Our gateway restarts every night'],
      layer: 'supporting-resource',
      group: 'hosting',
    });
    const { ref } = await createProposal(hub, await asActor(hub, 'amara'), {
      title: 'Retry tokens for clients behind flaky gateways',
      problem: 'Clients behind flaky gateways retry in different ways, and servers see duplicated tool calls.',
      examples: ['Our gateway restarts nightly and two clients retried differently'],
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    const author = await signInAs(app, 'amara');
    const page = await author.get(`/proposals/${ref}`);
    const t = pageText(page.html);
    expect(t).toContain(`Before it moves on: the prior-work check lists`);
    expect(t).toContain(`${earlier.ref}: Retry guidance for clients behind flaky gateways`);
    expect(page.html).toContain('href="#prior-work"');
    expect(page.html).toContain('id="prior-work"');

    // once the author relates it, the note has done its work
    await relateProposal(hub, await asActor(hub, 'amara'), ref, { kind: 'related', to: earlier.ref });
    expect(pageText((await author.get(`/proposals/${ref}`)).html)).not.toContain('Before it moves on');
  });

  it("a decision opened from a meeting says on the meeting's page whether it is open, then how it closed", async () => {
    const m = await recordMeetingDecision(hub, await asActor(hub, 'priya'), 'M-3', {
      summary: 'Adopt the tool description checklist draft',
      open: { question: 'Adopt the tool description checklist draft?', significance: 'minor' },
    });
    const ref = m.decisions.find((d) => d.decision)!.decision!;
    const reader = await signInAs(app, 'amara');
    const open = pageText((await reader.get('/meetings/M-3')).html);
    expect(open).toMatch(
      new RegExp(`${ref}\\s*, open: silence is consent until in 5 days, .*\\(Africa/Lagos\\)\\s*\\) recorded by`),
    );

    hub.clock.advanceDays(6);
    await closeDueDecisions(hub);
    expect(pageText((await reader.get('/meetings/M-3')).html)).toMatch(
      new RegExp(`${ref}\\s*, adopted by lazy consensus\\s*\\) recorded by`),
    );
  });

  it('evidence too short is refused naming the field and how long it must be, the form kept open with the text', async () => {
    const { ref } = await createProposal(hub, await asActor(hub, 'amara'), {
      title: 'Idempotency keys for retried tool calls',
      problem: 'Clients retry tool calls after a gateway drops them, and servers run them twice.',
      examples: ['A nightly gateway restart'],
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    const amara = await signInAs(app, 'amara');
    await amara.get(`/proposals/${ref}`);
    const refused = await amara.post(`/proposals/${ref}/evidence`, { kind: 'implementation', description: 'ok' });
    expect(refused.status).toBe(422);
    expect(pageText(refused.html)).toContain('What it shows: must say what the evidence shows (at least 5 characters)');
    expect(refused.html).toMatch(/<details open>\s*<summary>Add evidence<\/summary>/);
    expect(refused.html).toMatch(/<textarea id="f-evidence-description"[^>]*>ok<\/textarea>/);
  });

  it('a person named to facilitate a topic area is told in their inbox, linked to its card; the lead who named them is not', async () => {
    hub.reactions.push(notificationsReaction({ mail: false }));
    const jonas = await getPerson(hub, 'jonas');
    await setPersonRole(hub, await asActor(hub, 'lena-core'), 'jonas', jonas.version, { role: 'member' });
    const area = await getTopicArea(hub, 'hosting', 'horizontal-scaling');
    await updateTopicArea(hub, await asActor(hub, 'sam-lead'), 'hosting', 'horizontal-scaling', area.version, {
      facilitators: ['sam-lead', 'jonas'],
    });
    const inbox = await (await signInAs(app, 'jonas')).get('/inbox');
    expect(pageText(inbox.html)).toContain(
      'You now facilitate Horizontal scaling, a topic area of Hosting, named by Sam Rivera (@sam-lead): you run its meetings as a lead does',
    );
    expect(inbox.html).toContain('href="/groups/hosting#topic-horizontal-scaling"');
    expect(pageText((await (await signInAs(app, 'sam-lead')).get('/inbox')).html)).not.toContain('You now facilitate');
  });
});
