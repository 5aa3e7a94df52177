import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDecision, respondToDecision } from '../../../src/app/decisions/decisions.ts';
import { setMemberLevel } from '../../../src/app/groups/groups.ts';
import { asActor } from '../../support/hub.ts';
import { verifyEventLog } from '../../../src/app/log/log.ts';
import { listLateNotes, recordAttendance } from '../../../src/app/meetings/outcomes.ts';
import { getMeeting, scheduleMeeting } from '../../../src/app/meetings/meetings.ts';
import { createProposal, moveProposal } from '../../../src/app/proposals/proposals.ts';
import { draftQuarterlyUpdate } from '../../../src/app/meetings/quarterly.ts';
import { LIMITS } from '../../../src/domain/limits.ts';
import { search } from '../../../src/app/search/search.ts';
import { databases } from '../../support/databases.ts';
import { openDemoHub, type TestHub } from '../../support/hub.ts';

describe.each(databases)('the demo meetings and the quarterly update on $name', (database) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await openDemoHub(database, { start: '2026-10-20T12:00:00Z' });
  });
  afterEach(async () => hub?.close());

  it('the demo has a held meeting with written input and notes, an upcoming deep-dive, and late notes to show', async () => {
    const m1 = await getMeeting(hub, 'M-1');
    expect(m1).toMatchObject({
      kind: 'process',
      rrule: 'FREQ=WEEKLY;INTERVAL=2;COUNT=6',
      attendance: ['jonas', 'priya', 'sam-lead'],
      notes: { deadline: { state: 'published' } },
    });
    expect(m1.agenda.items[0]!.writtenInput[0]).toMatchObject({ author: 'amara', presented: true });
    expect(m1.agenda.items[1]!.warning?.code).toBe('content-in-process-meeting');
    expect((await getMeeting(hub, 'M-2')).topic).toBe('horizontal-scaling');
    expect((await listLateNotes(hub)).map((l) => l.ref)).toEqual(['M-3']);
    expect((await search(hub, { q: 'session affinity guide outline', kind: 'meeting-notes' })).items[0]?.ref).toBe(
      'M-1',
    );
    expect((await verifyEventLog(hub)).ok).toBe(true);
  });

  it('drafts the Hosting update due at the end of October from the quarter’s record', async () => {
    const sam = await asActor(hub, 'sam-lead');
    const priya = await asActor(hub, 'priya');
    await createProposal(hub, priya, {
      title: 'Session affinity guide',
      problem: 'Operators cannot scale stateful MCP servers behind a load balancer.',
      examples: ['A gateway loses sessions on every deploy'],
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    await moveProposal(hub, priya, 'P-1', { to: 'prior-work-checked' });
    await openDecision(hub, sam, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Meet fortnightly, alternating time slots?',
      significance: 'minor',
    });
    await setMemberLevel(hub, sam, 'hosting', 'jonas', { level: 'member' });
    // set again by a lead unsure it took: nothing changed, so nothing is recorded or reported
    const levelEvents = () =>
      hub.store.db.selectFrom('events').select('seq').where('kind', '=', 'group.member-level-set').execute();
    const before = (await levelEvents()).length;
    await setMemberLevel(hub, sam, 'hosting', 'jonas', { level: 'member' });
    expect((await levelEvents()).length).toBe(before);
    const draft = await draftQuarterlyUpdate(hub, 'hosting');
    expect(draft.period).toEqual({
      from: '2026-08-01T00:00:00.000Z',
      to: '2026-11-01T00:00:00.000Z',
      dueOn: '2026-10-31',
    });
    const md = draft.markdown;
    expect(md).toContain('# Hosting Working Group: quarterly update');
    expect(md).toContain('## Blocked items and escalations\n\n- None.');
    // a member's block stands: the item is listed as blocked, by name
    await respondToDecision(hub, await asActor(hub, 'jonas'), 'D-1', {
      kind: 'block',
      reason: 'Alternating slots leave Berlin at midnight.',
      alternative: 'Rotate between two slots that both fall in European daytime.',
    });
    const blocked = await draftQuarterlyUpdate(hub, 'hosting');
    expect(blocked.markdown).toContain(
      '- D-1 Meet fortnightly, alternating time slots?: blocked by Jonas Berg (@jonas)',
    );
    // REST and MCP read the facts: the reason whole, in words, and who
    expect(blocked.facts.blocked).toEqual([
      expect.objectContaining({ ref: 'D-1', why: 'blocked by @jonas', kind: 'blocked', by: ['jonas'] }),
    ]);
    // a name is its owner's to choose: posted to GitHub, it mentions nobody and links nowhere
    await hub.store.db
      .updateTable('people')
      .set({ name: '@everyone see https://evil.example/x and www.evil.example' })
      .where('handle', '=', 'jonas')
      .execute();
    const named = (await draftQuarterlyUpdate(hub, 'hosting')).markdown;
    expect(named).toContain(
      'blocked by @\u2060everyone see https:\u2060//evil.example/x and www\u2060.evil.example (@jonas)',
    );
    expect(named).not.toMatch(/@everyone|https:\/\/evil|www\.evil/);
    expect(md).toContain('_Covers 2026-08-01 to 2026-10-31; due 2026-10-31.');
    expect(md).toContain('P-1 Session affinity guide: idea → prior work checked');
    expect(md).toContain('D-1 Meet fortnightly, alternating time slots?: open (lazy-consensus)');
    expect(md).toContain('2026-10-11 M-1 Hosting WG coordination (process; 3 attended; notes published 2026-10-12)');
    // people by name, with the @handle GitHub links when the update is posted there
    expect(md).toContain('Priya Nair (@priya) joined as participant');
    expect(md).toContain('Jonas Berg (@jonas) moved from participant to member');
    expect(md).not.toContain('moved from member to member');
    expect(md).toContain('Priya Nair (@priya): Draft the session affinity guide outline (due 2026-10-25, from M-1)');
    expect(md).toContain('- Next: 2026-10-30 M-2 Horizontal scaling deep-dive: sticky sessions');
    // the fortnightly series is next at its coming meeting, though the series began before the quarter's end
    expect(md).toContain('- Next: 2026-10-25 M-1 Hosting WG coordination');
    expect(md.indexOf('- Next: 2026-10-25 M-1')).toBeLessThan(md.indexOf('- Next: 2026-10-30 M-2'));
    // meetings still to come are under priorities only: not listed as held with nobody there and no notes
    expect(draft.facts.meetings.every((m) => m.startsAt <= hub.clock.now().toISOString())).toBe(true);
    expect(md).not.toContain(
      'M-2 Horizontal scaling deep-dive: sticky sessions (content; 0 attended; notes not published)',
    );
    expect(md).toContain('## Resource needs');
    // the next quarter has none of it
    const next = await draftQuarterlyUpdate(hub, 'hosting', { due: '2027-01' });
    expect(next.facts.meetings).toEqual([]);
    expect(next.markdown).toContain('- None held.');
    await expect(draftQuarterlyUpdate(hub, 'hosting', { due: '2026-09' })).rejects.toMatchObject({
      issues: [
        { field: 'due', rule: 'updates are due at the end of months 1, 4, 7, 10 (governance file), not month 9' },
      ],
    });
    await expect(draftQuarterlyUpdate(hub, 'security')).rejects.toMatchObject({
      issues: [
        { field: 'group', rule: expect.stringContaining('interest groups have no formal reporting requirement') },
      ],
    });
  });

  it('reads the latest decisions and counts the rest, so a group of many decisions drafts its update in bounded time (fuzz round 12)', async () => {
    // every visitor may ask for the draft; a group's decisions have no bound: 1,000 were 1.3-2.1 s of
    // work on each request and a 250,000-character draft, past what GitHub takes
    const sam = await asActor(hub, 'sam-lead');
    const bound = LIMITS.quarterlyUpdate.decisions;
    const before = await hub.store.db.selectFrom('decisions').select('number').execute();
    for (let i = 1; i <= bound + 3; i++)
      await openDecision(hub, sam, {
        group: 'hosting',
        subject: { type: 'process' },
        question: `Question ${i} of many?`,
        significance: 'minor',
      });
    const all = before.length + bound + 3;
    const draft = await draftQuarterlyUpdate(hub, 'hosting');
    expect(draft.facts.decisions).toHaveLength(bound);
    expect(draft.facts.decisions.at(-1)?.question).toBe(`Question ${bound + 3} of many?`);
    expect(draft.facts.decisions.map((d) => d.question)).not.toContain('Question 3 of many?');
    expect(draft.facts.notRead).toEqual({ decisions: all - bound, openActions: 0, meetings: 0 });
    expect(draft.markdown).toContain(
      `- ${all - bound} earlier decisions of the group not read for this draft (it reads the latest ${bound})`,
    );
    expect(draft.markdown).toContain(`D-${all} Question ${bound + 3} of many?: open (lazy-consensus)`);
  });

  it('lists the latest meetings held this quarter, counts the rest, and still says which comes next (round 13)', async () => {
    // a lead schedules meetings without end (at most LIMITS.meetingsAhead at a time), and every visitor
    // may ask for the draft: it read every meeting of the group whole, notes included, to list them all
    const sam = await asActor(hub, 'sam-lead');
    const bound = LIMITS.quarterlyUpdate.meetings;
    const before = (await draftQuarterlyUpdate(hub, 'hosting')).facts.meetings.length;
    const refs: string[] = [];
    for (let i = 1; i <= bound + 3; i++) {
      const at = new Date(Date.parse('2026-10-21T00:00:00Z') + i * 3_600_000).toISOString();
      refs.push(
        (await scheduleMeeting(hub, sam, { group: 'hosting', kind: 'process', title: `Sync ${i}`, startsAt: at })).ref,
      );
    }
    const later = await scheduleMeeting(hub, sam, {
      group: 'hosting',
      kind: 'process',
      title: 'After them all',
      startsAt: '2026-10-29T10:00:00Z',
    });
    hub.clock.set('2026-10-28T12:00:00Z');
    await recordAttendance(hub, sam, refs.at(-1)!, undefined, { attended: ['sam-lead', 'priya'] });
    const draft = await draftQuarterlyUpdate(hub, 'hosting');
    expect(draft.facts.meetings).toHaveLength(bound);
    expect(draft.facts.meetings.at(-1)).toMatchObject({ ref: refs.at(-1), title: `Sync ${bound + 3}`, attendance: 2 });
    expect(draft.facts.meetings.map((m) => m.title)).not.toContain('Sync 3');
    expect(draft.facts.notRead.meetings).toBe(before + 3);
    expect(draft.markdown).toContain(
      `- ${before + 3} earlier meetings held this quarter not listed here (the draft lists the latest ${bound})`,
    );
    expect(draft.facts.upcomingMeetings[0]).toMatchObject({ ref: later.ref, startsAt: '2026-10-29T10:00:00.000Z' });
  });
});
