// A group's page as its home, on both databases: proposals, decisions, meetings, documents and
// calendar for everyone; for those who run the group, what needs their attention now.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDecision } from '../../src/app/decisions/decisions.ts';
import { groupHome } from '../../src/app/groups/group-home.ts';
import { moveGroup, proposeGroup, sponsorGroup, updateCharter } from '../../src/app/groups/groups.ts';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { scheduleMeeting, updateMeeting } from '../../src/app/meetings/meetings.ts';
import { addEvidence, createProposal } from '../../src/app/proposals/proposals.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { asActor, openDemoHub, type TestHub } from '../support/hub.ts';
import { pageText, signInAs, WebClient } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };

describe.each(databases)('group home on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  let ref: string;
  beforeEach(async () => {
    hub = await openDemoHub(database);
    const sam = await asActor(hub, 'sam-lead');
    ref = (
      await createProposal(hub, sam, {
        title: 'Resumable streams',
        problem: 'A stream cut by a deploy cannot be resumed on another server process.',
        examples: ['Rolling deploys'],
        layer: 'working-group-artifact',
        group: 'hosting',
      })
    ).ref;
    await addEvidence(hub, sam, ref, {
      kind: 'implementation',
      description: 'Our gateway',
      url: 'https://mcp.example.org/mcp',
    });
    // two days ahead, inside the notice period, agenda not published
    await scheduleMeeting(hub, sam, {
      group: 'hosting',
      kind: 'process',
      title: 'Quick sync',
      startsAt: new Date(hub.clock.now().getTime() + 2 * 86_400_000).toISOString(),
    });
    app = createHttpApp(hub, undefined, { web: demo });
  });
  afterEach(async () => hub?.close());

  it('lists what needs the lead: the unpublished agenda and the unverified evidence, each linked', async () => {
    const home = await groupHome(hub, 'hosting');
    expect(home.attention.map((a) => a.what)).toEqual(
      expect.arrayContaining(['Agenda not published', 'Evidence not verified']),
    );
    expect(home.proposals.map((p) => p.ref)).toContain(ref);
    // the fortnightly series is listed at its next meeting, the past one-off under recent
    const series = home.meetings.upcoming.find((m) => m.ref === 'M-1');
    expect(series && series.startsAt > hub.clock.now().toISOString()).toBe(true);

    const sam = await signInAs(app, 'sam-lead');
    const page = await sam.get('/groups/hosting');
    const t = pageText(page.html);
    expect(t).toContain('Needs your attention');
    expect(t).toContain('Agenda not published');
    // in the lead's own zone, as every other time on the page, not a raw UTC stamp
    expect(t).toMatch(/Quick sync starts in 2 days, \w{3} \d+ \w{3} 2026, \d\d:\d\d \(America\/Los_Angeles\)/);
    expect(t).not.toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(page.html).toContain(`href="/proposals/${ref}#evidence"`);
    expect(page.html).toContain('href="/groups/hosting/quarterly"');

    const jonas = await signInAs(app, 'jonas');
    expect(pageText((await jonas.get('/groups/hosting')).html)).not.toContain('Needs your attention');
    const visitor = pageText((await new WebClient(app).get('/groups/hosting')).html);
    expect(visitor).toContain(`${ref}: Resumable streams`);
    expect(visitor).toContain('Quick sync');
    expect(visitor).toContain("Subscribe to Hosting's calendar");
  });

  it("names the group's sponsors and who proposed its charter by name, the handle beside it", async () => {
    const text = pageText((await (await signInAs(app, 'amara')).get('/groups/hosting')).html);
    expect(text).toContain(
      'Sponsored by Inês Moreira (@ines-core, core maintainer); Kai Tanaka (@kai-core, core maintainer).',
    );
    expect(text).toMatch(/: proposed by Sam Rivera \(@sam-lead\)/);
  });

  it('an empty list says how to start: open a decision, schedule the first meeting, for this group', async () => {
    const sam = await signInAs(app, 'sam-lead');
    const page = (await sam.get('/groups/observability')).html;
    expect(pageText(page)).toContain("No decision is open. A decision starts from a proposal's page, or open one here");
    expect(page).toContain('<a href="/decisions/new?group=observability">open one here</a>');
    expect(page).toContain('<a href="/meetings/new?group=observability">Schedule the first meeting</a>');
    expect(page).toContain('<a href="/proposals/new?group=observability">File the first proposal</a>');
    // no documents of its own: the way to every group's documents, which answers
    expect(pageText(page)).toContain("No documents yet. Every group's documents");
    expect(page).toContain('<a href="/artifacts">Every group\'s documents</a>');
    expect((await sam.get('/artifacts')).status).toBe(200);
    // the form it leads to has the group chosen
    expect((await sam.get('/meetings/new?group=observability')).html).toMatch(
      /<option value="observability" selected>/,
    );
    expect((await sam.get('/proposals/new?group=observability')).html).toMatch(
      /<option value="observability" selected>/,
    );
  });

  it('an empty list offers a newcomer, an observer or a visitor nothing the policies refuse them: it says what is empty, not "open one here"', async () => {
    // Jonas, a participant of Hosting, leads nothing: the policies refuse him opening a decision and
    // scheduling a meeting anywhere; a visitor may not even file a proposal
    const jonas = await signInAs(app, 'jonas');
    const group = (await jonas.get('/groups/observability')).html;
    expect(pageText(group)).toContain('No decision is open.');
    expect(pageText(group)).toContain('None scheduled.');
    expect(group).not.toContain('href="/decisions/new');
    expect(group).not.toContain('href="/meetings/new');
    // filing a proposal is his to do (the community's proposal.create), so that way stays
    expect(group).toContain('<a href="/proposals/new?group=observability">File the first proposal</a>');
    const visitor = (await new WebClient(app).get('/groups/observability')).html;
    expect(pageText(visitor)).toContain('No open proposals.');
    expect(visitor).not.toContain('href="/proposals/new');
    expect(visitor).not.toContain('href="/decisions/new');
    expect(visitor).not.toContain('href="/meetings/new');
    // the lists of every group do not offer them either, nor their empty states
    const decisions = (await jonas.get('/decisions?group=observability')).html;
    expect(pageText(decisions)).toMatch(/No decision matches\. Clear the filters ?\./);
    expect(decisions).not.toContain('href="/decisions/new"');
    const meetings = (await jonas.get('/meetings?group=observability')).html;
    // who may, from the governance file's meeting.schedule (core and lead maintainers too, by default)
    expect(pageText(meetings)).toContain(
      "A group lead, a core maintainer or a lead maintainer may schedule a group's meetings, and a topic area's facilitators those of their topic.",
    );
    // a hub that gives it to others says so, not the default's words
    const rules = hub.governance.permissions;
    hub.governance = {
      ...hub.governance,
      permissions: { ...rules, 'meeting.schedule': { groupLevels: [], roles: ['lead-maintainer', 'moderator'] } },
    };
    try {
      const theirs = pageText((await jonas.get('/meetings?group=observability')).html);
      expect(theirs).toContain("A lead maintainer or a moderator may schedule a group's meetings.");
      expect(theirs).not.toContain('facilitators');
    } finally {
      hub.governance = { ...hub.governance, permissions: rules };
    }
    expect(meetings).not.toContain('href="/meetings/new');
    expect((await jonas.get('/meetings')).html).not.toContain('href="/meetings/new');
    // one who may (Sam leads Hosting) is still offered them on both lists
    const sam = await signInAs(app, 'sam-lead');
    expect((await sam.get('/decisions')).html).toContain('<a class="button" href="/decisions/new">Open a decision</a>');
    expect((await sam.get('/meetings')).html).toContain('<a href="/meetings/new">Schedule a meeting</a>');
  });

  it('a lead of a busy group schedules another meeting and opens another decision from its home, for this group', async () => {
    await openDecision(hub, await asActor(hub, 'sam-lead'), {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Meet fortnightly, alternating time slots?',
      significance: 'minor',
    });
    const sam = await signInAs(app, 'sam-lead');
    // hosting already has meetings and an open decision: the ways to add one are still there
    const page = (await sam.get('/groups/hosting')).html;
    expect(page).toContain('<a href="/meetings/new?group=hosting">Schedule a meeting</a>');
    expect(page).toContain('<a href="/decisions/new?group=hosting">Open a decision</a>');
    // the group's meetings list leads to the schedule form with the group chosen
    expect((await sam.get('/meetings?group=hosting')).html).toContain(
      '<a href="/meetings/new?group=hosting">Schedule a meeting</a>',
    );
    // those the policies refuse are not offered them: an observer, a visitor
    const amara = await signInAs(app, 'amara');
    expect((await amara.get('/groups/hosting')).html).not.toContain('href="/meetings/new?group=hosting"');
    const visitor = (await new WebClient(app).get('/groups/hosting')).html;
    expect(visitor).not.toContain('href="/meetings/new?group=hosting"');
    expect(visitor).not.toContain('href="/decisions/new?group=hosting"');
  });

  it('a series meeting inside the notice period with no agenda needs the lead too: its first meeting, or a later one not yet opened', async () => {
    const sam = await asActor(hub, 'sam-lead');
    // a weekly series whose first meeting is three days ahead, agenda not published
    const weekly = await scheduleMeeting(hub, sam, {
      group: 'hosting',
      kind: 'process',
      title: 'Weekly triage',
      startsAt: new Date(hub.clock.now().getTime() + 3 * 86_400_000).toISOString(),
      rrule: 'FREQ=WEEKLY;COUNT=4',
    });
    const home = await groupHome(hub, 'hosting');
    const lines = home.attention.map((a) => `${a.what}: ${a.ref}`);
    expect(lines).toContain(`Agenda not published: ${weekly.ref}`);
    // the demo's fortnightly M-1 meets in 5 days, and that meeting has no agenda of its own yet
    expect(lines).toContain('No agenda yet: M-1');
    const t = pageText((await (await signInAs(app, 'sam-lead')).get('/groups/hosting')).html);
    expect(t).toMatch(/No agenda yet : M-1 — Hosting WG coordination starts in 5 days, .*open its agenda/);
    // its link lands on that meeting in the series' list, where its "Open the agenda" button is, not on
    // the top of the series' page (the first meeting's agenda, long over)
    const item = home.attention.find((a) => a.what === 'No agenda yet' && a.ref === 'M-1')!;
    const series = await (await signInAs(app, 'sam-lead')).get('/meetings/M-1');
    const anchor = /^\/meetings\/M-1#([^#]+)$/.exec(item.href)?.[1];
    expect(anchor).toBeTruthy();
    const at = new RegExp(`<li id="${anchor}">(?:(?!</li>)[\\s\\S])*<form[^>]*action="/meetings/M-1/occurrences"`);
    expect(series.html).toMatch(at);
    const groupPage = (await (await signInAs(app, 'sam-lead')).get('/groups/hosting')).html;
    expect(groupPage).toContain(`<a href="${item.href}">M-1</a>`);
  });

  it('an active working group with no process meeting of its own ahead asks its lead for one', async () => {
    const sam = await asActor(hub, 'sam-lead');
    const needs = async (slug: string) =>
      (await groupHome(hub, slug)).attention.some((a) => a.what === 'No process meeting ahead');
    // hosting meets fortnightly to coordinate; observability is only proposed, security an interest group
    expect(await needs('hosting')).toBe(false);
    expect(await needs('observability')).toBe(false);
    expect(await needs('security')).toBe(false);
    await sponsorGroup(hub, await asActor(hub, 'kai-core'), 'observability');
    await sponsorGroup(hub, await asActor(hub, 'ines-core'), 'observability');
    await moveGroup(hub, await asActor(hub, 'kai-core'), 'observability', { to: 'active' });
    expect(await needs('observability')).toBe(true);
    const page = await (await signInAs(app, 'sam-lead')).get('/groups/observability');
    expect(pageText(page.html)).toContain(
      'No process meeting ahead : Schedule a process meeting — the guide gives each working group a coordination meeting about how it operates',
    );
    expect(page.html).toContain(
      '<a href="/meetings/new?group=observability&amp;kind=process">Schedule a process meeting</a>',
    );
    // the link opens the form on the group, a process meeting chosen
    const form = (await (await signInAs(app, 'sam-lead')).get('/meetings/new?group=observability&kind=process')).html;
    expect(form).toMatch(/<option value="observability" selected>/);
    expect(form).toMatch(/<input type="radio"[^>]*value="process"[^>]*checked/);
    // a content meeting asked for is chosen the same way
    expect(
      (await (await signInAs(app, 'sam-lead')).get('/meetings/new?group=observability&kind=content')).html,
    ).toMatch(/<input type="radio"[^>]*value="content"[^>]*checked/);
    const in3days = new Date(hub.clock.now().getTime() + 3 * 86_400_000).toISOString();
    // a content meeting is not one, nor is a process meeting called off
    await scheduleMeeting(hub, sam, {
      group: 'observability',
      kind: 'content',
      title: 'Tracing deep-dive',
      startsAt: in3days,
    });
    const off = await scheduleMeeting(hub, sam, {
      group: 'observability',
      kind: 'process',
      title: 'Kick-off',
      startsAt: in3days,
    });
    await updateMeeting(hub, sam, off.ref, off.version, { cancelled: true });
    expect(await needs('observability')).toBe(true);
    await scheduleMeeting(hub, sam, {
      group: 'observability',
      kind: 'process',
      title: 'Kick-off, again',
      startsAt: in3days,
    });
    expect(await needs('observability')).toBe(false);
  });

  it('a process meeting ahead counts however many meetings come before it (fuzz round 11): only the first 50 were looked at, so a busy group was told it had none', async () => {
    const sam = await asActor(hub, 'sam-lead');
    const needs = async () =>
      (await groupHome(hub, 'hosting')).attention.some((a) => a.what === 'No process meeting ahead');
    const day = 86_400_000;
    const start = hub.clock.now().getTime();
    // hosting's own process series meets fortnightly; a month of content one-offs comes first
    await scheduleMeeting(hub, sam, {
      group: 'hosting',
      kind: 'process',
      title: 'Quarterly planning',
      startsAt: new Date(start + 40 * day).toISOString(),
    });
    // (the demo's fortnightly coordination, which comes first, called off underneath)
    await hub.store.db
      .updateTable('meetings')
      .set({ cancelled_at: hub.clock.now().toISOString() })
      .where('kind', '=', 'process')
      .where('title', '!=', 'Quarterly planning')
      .execute();
    for (let i = 0; i < 55; i++)
      await scheduleMeeting(hub, sam, {
        group: 'hosting',
        kind: 'content',
        title: `Deep-dive ${i + 1}`,
        startsAt: new Date(start + day + i * 12 * 3_600_000).toISOString(),
      });
    expect(await needs()).toBe(false);
  });

  it('the security lead is told the notes of M-3 are late', async () => {
    const priya = await signInAs(app, 'priya');
    const t = pageText((await priya.get('/groups/security')).html);
    expect(t).toContain('Notes are late');
    expect(t).toContain('M-3');
    expect(t).toMatch(/Tool poisoning patterns review: due \d+ days? ago, .*\(Asia\/Kolkata\)/);
    expect(t).not.toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  });

  it("a topic area's facilitator who is no lead is told what their topic's meetings need, and only that", async () => {
    // priya facilitates Horizontal scaling in hosting, where she is a member, not a lead
    await scheduleMeeting(hub, await asActor(hub, 'priya'), {
      group: 'hosting',
      topic: 'horizontal-scaling',
      kind: 'content',
      title: 'Scaling check-in',
      startsAt: new Date(hub.clock.now().getTime() + 3 * 86_400_000).toISOString(),
    });
    const priya = await signInAs(app, 'priya');
    const t = pageText((await priya.get('/groups/hosting')).html);
    expect(t).toContain('Needs your attention');
    expect(t).toMatch(/Agenda not published : M-\d+ — Scaling check-in starts in 3 days/);
    // the whole group's meeting and the group's evidence are the leads' to see to
    expect(t).not.toMatch(/Quick sync starts/);
    expect(t).not.toContain('Evidence not verified');
    expect(t).not.toContain('Draft the quarterly update');
    // the lead still sees all of it
    const sam = pageText((await (await signInAs(app, 'sam-lead')).get('/groups/hosting')).html);
    expect(sam).toMatch(/Scaling check-in starts in 3 days/);
    expect(sam).toMatch(/Quick sync starts/);
  });
  it('a lead the charter dropped is not said to be invited to lead: only those who may still accept', async () => {
    const g = await proposeGroup(hub, await asActor(hub, 'priya'), {
      slug: 'edge',
      name: 'Edge',
      kind: 'working',
      mission: 'Run servers at the edge.',
      scopeIn: ['Edge'],
      leads: ['sam-lead', 'kai-core'],
    });
    const before = pageText((await (await signInAs(app, 'lena-core')).get('/groups/edge')).html);
    expect(before).toMatch(/a lead: .*Kai Tanaka.*, .*Sam Rivera.* are invited as lead and one leads once they accept/);
    // the Leadership table amended to Sam alone: Kai's accept would be refused, so the page does not promise it
    const own = g.charter.leadership.filter((l) => l.github !== 'kai-core');
    await updateCharter(hub, SYSTEM, 'edge', g.version, {
      sections: [
        {
          heading: 'Leadership',
          markdown: [
            '| Role | Name | Organization | GitHub | Term |',
            '| --- | --- | --- | --- | --- |',
            ...own.map((l) => `| ${l.role} | ${l.name} | ${l.organisation} | @${l.github} | ${l.term} |`),
          ].join('\n'),
        },
      ],
      changelog: 'Sam leads alone',
    });
    const after = pageText((await (await signInAs(app, 'lena-core')).get('/groups/edge')).html);
    expect(after).toMatch(/a lead: [^.]*Sam Rivera[^.]* is invited as lead and leads once they accept/);
    expect(after).not.toMatch(/a lead: [^.]*Kai Tanaka/);
  });
  it('a proposed group ready to move says so to the maintainer who runs it and may move it, with what to press', async () => {
    await sponsorGroup(hub, await asActor(hub, 'lena-core'), 'observability');
    const page = await (await signInAs(app, 'ines-core')).get('/groups/observability');
    const t = pageText(page.html);
    expect(t).toContain(
      'Proposed, ready to move to active : its sponsorship is met and it has a lead; you may move it: choose active under Move the group',
    );
    expect(t).not.toContain('Nothing is waiting');
    expect(page.html).toContain('<a href="#move-group">Move the group</a>');
    expect(page.html).toContain('id="move-group"');
  });
});
