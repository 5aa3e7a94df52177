// The guide's last step opens a pull request "explaining the collaboration that has occurred to
// date": the hub drafts that description from what it recorded (the route walked, who discussed it
// where, meetings and decisions, support and evidence, prior work) and says what the route still lacks.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/app/core/hub.ts';
import { openDecision } from '../../../src/app/decisions/decisions.ts';
import { joinGroup, setMemberLevel } from '../../../src/app/groups/groups.ts';
import { addAgendaItem, submitWrittenInput } from '../../../src/app/meetings/agenda.ts';
import { scheduleMeeting, updateMeeting } from '../../../src/app/meetings/meetings.ts';
import { addComment } from '../../../src/app/proposals/comments.ts';
import { draftPullRequest } from '../../../src/app/proposals/collaboration.ts';
import { moderateComment } from '../../../src/app/proposals/moderation.ts';
import {
  addEvidence,
  createProposal,
  moveProposal,
  relateProposal,
  supportProposal,
  updateProposal,
} from '../../../src/app/proposals/proposals.ts';
import { databases } from '../../support/databases.ts';
import { hostingGroup, openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('the pull request description drafted from the record, on $name', (database) => {
  let hub: TestHub;
  let lena: Actor, ada: Actor, bo: Actor, cy: Actor, mod: Actor, troll: Actor;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T10:00:00Z');
    lena = await person(hub, 'lena', { role: 'member' });
    ada = await person(hub, 'ada', { org: 'Acme' });
    bo = await person(hub, 'bo', { org: 'Beta Labs' });
    cy = await person(hub, 'cy', { org: 'Gamma' });
    mod = await person(hub, 'mod', { role: 'moderator' });
    troll = await person(hub, 'troll');
    await hostingGroup(hub, lena, 'lena');
    for (const who of [ada, bo, cy]) {
      await joinGroup(hub, who, 'hosting');
      if (who.kind === 'person') await setMemberLevel(hub, lena, 'hosting', who.person.handle, { level: 'member' });
    }
  });
  afterEach(async () => hub?.close());

  it('tells the route walked, the discussion, meetings, decisions, support and evidence, by name and with links', async () => {
    await createProposal(hub, lena, {
      title: 'Session affinity guide',
      problem: 'Operators need a written pattern for routing a session back to the process that holds it.',
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    const p = await createProposal(hub, ada, {
      title: 'Resumable tool calls <b>now</b>',
      problem: 'Clients lose long-running tool calls when the connection drops mid-call.',
      examples: ['A hosted agent lost a 20-minute export on every deploy'],
      layer: 'working-group-artifact',
      group: 'hosting',
      links: { forum: 'https://github.com/orgs/modelcontextprotocol/discussions/901' },
    });
    await relateProposal(hub, ada, p.ref, { kind: 'builds-on', to: 'P-1' });
    hub.clock.advance(86_400_000);
    for (const to of ['prior-work-checked', 'community-discussion']) await moveProposal(hub, ada, p.ref, { to });
    await addComment(hub, bo, p.ref, { body: 'We hit this in the Beta gateway too.' });
    const spam = await addComment(hub, troll, p.ref, { body: 'Buy my gateway!' });
    await moderateComment(hub, mod, spam.id, { action: 'hide', reason: 'advertising' });
    hub.clock.advance(86_400_000);
    await addComment(hub, ada, p.ref, { body: 'Thanks: added your case.' });
    await supportProposal(hub, bo, p.ref);
    await supportProposal(hub, cy, p.ref);
    await addEvidence(hub, bo, p.ref, {
      kind: 'implementation',
      description: 'Resumption in the Beta gateway',
      organisation: 'Beta Labs',
      url: 'https://example.org/beta-gateway',
    });
    await scheduleMeeting(hub, lena, {
      group: 'hosting',
      kind: 'content',
      title: 'Hosting WG: resumption',
      startsAt: '2026-03-16T16:00:00Z',
      timeZone: 'Europe/Berlin',
    });
    await addAgendaItem(hub, lena, 'M-1', { title: 'Resumable tool calls', link: { type: 'proposal', ref: p.ref } });
    await submitWrittenInput(hub, cy, 'M-1', { item: 1, body: 'I cannot attend: Gamma needs this for its exports.' });
    const called = await scheduleMeeting(hub, lena, {
      group: 'hosting',
      kind: 'content',
      title: 'Hosting WG: called off',
      startsAt: '2026-03-23T16:00:00Z',
      timeZone: 'Europe/Berlin',
    });
    await addAgendaItem(hub, lena, 'M-2', { title: 'Resumption again', link: { type: 'proposal', ref: p.ref } });
    await updateMeeting(hub, lena, 'M-2', called.version + 1, { cancelled: true });
    await openDecision(hub, lena, {
      group: 'hosting',
      subject: { type: 'proposal', ref: p.ref },
      question: 'Adopt the resumption pattern as a group artifact?',
      significance: 'minor',
    });
    hub.clock.advance(30 * 86_400_000);

    const draft = await draftPullRequest(hub, p.ref, null, 'https://hub.example');
    const md = draft.markdown;
    // the title's markup is shown as text, never opened as HTML in the pull request
    expect(md.split('\n')[0]).toBe('# Resumable tool calls \\<b\\>now\\</b\\>');
    expect(md).toContain('[P-2](https://hub.example/proposals/P-2) · layer: Working-group artifact · Hosting · by Ada');
    expect(md).toContain('Clients lose long-running tool calls when the connection drops mid-call.');
    expect(md).toContain('- A hosted agent lost a 20-minute export on every deploy');
    // the route walked, with who moved it
    expect(md).toContain("The guide's contribution route, as walked:\n\n- 2026-03-02: proposed.\n");
    expect(md).toContain('- 2026-03-03: idea → prior work checked, by Ada.');
    expect(md).toContain('- 2026-03-03: prior work checked → community discussion, by Ada.');
    // the discussion: the hidden comment and its writer are not collaboration
    expect(md).toContain('- Forum or chat thread: https://github.com/orgs/modelcontextprotocol/discussions/901');
    expect(md).toMatch(
      /- \[2 comments on the hub\]\(https:\/\/hub\.example\/proposals\/P-2#discussion\) from 2 people \(2 organisations\), 2026-03-03 to 2026-03-04: Bo and Ada\./,
    );
    expect(md).not.toMatch(/Troll|Buy my gateway/);
    // the meeting held, not the one called off, with the written input from one who could not attend
    expect(md).toContain(
      '- [Hosting WG: resumption](https://hub.example/meetings/M-1) (content meeting, 2026-03-16): “Resumable tool calls”, with 1 written input from people who could not attend.',
    );
    expect(md).not.toContain('called off');
    expect(md).toContain(
      '- Decision [D-1](https://hub.example/decisions/D-1): Adopt the resumption pattern as a group artifact? Outcome: adopted by lazy consensus.',
    );
    expect(md).toContain('- Beta Labs: Bo');
    expect(md).toContain('- Gamma: Cy');
    expect(md).toContain('Supporters by organisation (2 supporters from 2 organisations):');
    expect(md).toContain(
      '- Implementation (Beta Labs): [Resumption in the Beta gateway](https://example.org/beta-gateway)',
    );
    expect(md).toContain('- This builds on [P-1](https://hub.example/proposals/P-1): Session affinity guide');
    expect(md).toMatch(/Checked on 2026-03-02: \d+ possible match/);
    // what the route still lacks: the tracker link
    expect(draft.gaps).toEqual(['No tracker link: the guide asks for it on the CWG Project Tracker.']);
    expect(draft.facts.meetings.map((m) => m.ref)).toEqual(['M-1']);
  });

  it('names the hub’s pages by ref when it knows no public address, and says what the route lacks', async () => {
    const p = await createProposal(hub, ada, {
      title: 'Progress for long exports',
      problem: 'Clients cannot show progress of long-running exports to their users.',
      layer: 'specification',
      group: 'hosting',
    });
    const draft = await draftPullRequest(hub, p.ref, ada, null);
    expect(draft.markdown).not.toContain('](');
    expect(draft.markdown).toContain('P-1 · layer: Specification');
    expect(draft.markdown).toContain('- 2026-03-02: proposed; still at idea.');
    expect(draft.gaps).toEqual(
      expect.arrayContaining([
        'No discussion link: the guide asks for a thread on the official discussion forum before the pull request.',
        'No tracker link: the guide asks for it on the CWG Project Tracker.',
        'No real-world example of the problem.',
        'Nobody has discussed it on the hub yet: no comments, meetings or decisions to point to.',
        expect.stringMatching(/^The barrier to change of its layer \(Specification\) does not hold yet: /),
      ]),
    );
    // links added later show up in the next draft
    await updateProposal(hub, ada, p.ref, p.version, {
      links: { tracker: 'https://github.com/orgs/modelcontextprotocol-community/projects/3' },
    });
    const again = await draftPullRequest(hub, p.ref, ada, null);
    expect(again.markdown).toContain('- Tracked at: https://github.com/orgs/modelcontextprotocol-community/projects/3');
    expect(again.gaps.some((g) => g.startsWith('No tracker link'))).toBe(false);
  });
  it('counts people by who they are, not by name, and names one with no name by handle; says whether the viewer may edit', async () => {
    const p = await createProposal(hub, ada, {
      title: 'Progress for long exports',
      problem: 'Clients cannot show progress of long-running exports to their users.',
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    for (const who of [bo, cy, troll]) await addComment(hub, who, p.ref, { body: 'Same here.' });
    await hub.store.db.updateTable('people').set({ name: 'Sam Lee' }).where('handle', 'in', ['bo', 'cy']).execute();
    await hub.store.db.updateTable('people').set({ name: '' }).where('handle', '=', 'troll').execute();
    const draft = await draftPullRequest(hub, p.ref, ada, null);
    expect(draft.markdown).toMatch(/- 3 comments on the hub from 3 people .*: Sam Lee, Sam Lee and troll\./);
    expect(draft.can.edit.allowed).toBe(true);
    expect((await draftPullRequest(hub, p.ref, troll, null)).can.edit.allowed).toBe(false);
  });
});
