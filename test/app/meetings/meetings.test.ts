import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getDecision, openDecision } from '../../../src/app/decisions/decisions.ts';
import { joinGroup, placeInGroup, proposeGroup } from '../../../src/app/groups/groups.ts';
import { SYSTEM, type Actor } from '../../../src/app/core/hub.ts';
import { Conflict, PreconditionRequired } from '../../../src/domain/errors.ts';
import {
  addAgendaItem,
  markWrittenInput,
  publishAgenda,
  removeAgendaItem,
  submitWrittenInput,
} from '../../../src/app/meetings/agenda.ts';
import {
  addActionItem,
  completeActionItem,
  listLateNotes,
  meetingNotesTemplate,
  recordAttendance,
  recordMeetingDecision,
  recordNotes,
} from '../../../src/app/meetings/outcomes.ts';
import { getMeeting, listMeetings, scheduleMeeting, updateMeeting } from '../../../src/app/meetings/meetings.ts';
import { createProposal } from '../../../src/app/proposals/proposals.ts';
import { search } from '../../../src/app/search/search.ts';
import { createTopicArea } from '../../../src/app/groups/topic-areas.ts';
import { tailEvents } from '../../../src/store/events.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('meetings on $name', (database) => {
  let hub: TestHub;
  let lead: Actor, member: Actor, part: Actor, obs: Actor, outsider: Actor, facil: Actor;

  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    lead = await person(hub, 'lead', { role: 'member', timeZone: 'America/Los_Angeles' });
    member = await person(hub, 'mem', { timeZone: 'Europe/Berlin' });
    part = await person(hub, 'part', { timeZone: 'Asia/Kolkata' });
    obs = await person(hub, 'obs', { timeZone: 'Asia/Tokyo' });
    outsider = await person(hub, 'outsider');
    facil = await person(hub, 'facil', { role: 'member' });
    await proposeGroup(hub, lead, {
      slug: 'hosting',
      name: 'Hosting',
      kind: 'working',
      mission: 'Share practices for hosting MCP servers at scale.',
      scopeIn: ['Scaling'],
      leads: ['lead'],
    });
    await placeInGroup(hub, SYSTEM, 'hosting', 'mem', { level: 'member' });
    await joinGroup(hub, part, 'hosting', { level: 'participant' });
    await joinGroup(hub, obs, 'hosting', { level: 'observer' });
    await createTopicArea(hub, lead, 'hosting', {
      slug: 'scaling',
      name: 'Scaling',
      goal: 'both',
      description: 'Sessions across processes.',
      facilitators: ['facil'],
    });
  });
  afterEach(async () => hub?.close());

  const schedule = (by: Actor, extra: Record<string, unknown> = {}) =>
    scheduleMeeting(hub, by, {
      group: 'hosting',
      kind: 'process',
      title: 'Hosting WG coordination',
      startsAt: '2026-03-09T16:00:00Z',
      timeZone: 'Europe/Berlin',
      ...extra,
    });

  it('notice: exactly the governance file’s 7 days is enough; a minute less is flagged, not refused, and logged', async () => {
    const ok = await schedule(lead);
    expect(ok).toMatchObject({
      ref: 'M-1',
      notice: { requiredDays: 7, short: false, why: null },
      localStart: expect.stringContaining('17:00'),
    });
    const short = await schedule(lead, { startsAt: '2026-03-09T11:59:00Z' });
    expect(short.notice).toMatchObject({
      short: true,
      givenDays: 6.9,
      why: "listed 6.9 days ahead; the community asks for at least 7 days' notice",
    });
    const ev = (await tailEvents(hub.store.db, 1))[0]!;
    expect(ev).toMatchObject({ kind: 'meeting.scheduled', subject_id: 'M-2' });
    expect(JSON.parse(ev.after!).notice.short).toBe(true);
    // rescheduling counts notice from the change
    hub.clock.set('2026-03-05T12:00:00Z');
    const moved = await updateMeeting(hub, lead, 'M-1', 1, { startsAt: '2026-03-10T16:00:00Z' });
    expect(moved.notice).toMatchObject({ short: true, givenDays: 5.1 });
    await expect(updateMeeting(hub, lead, 'M-1', 1, { title: 'Stale edit' })).rejects.toMatchObject({
      kind: 'conflict',
    });
  });

  it('only leads, facilitators of the topic and maintainers schedule; bad input names the field', async () => {
    await expect(schedule(member)).rejects.toMatchObject({
      kind: 'forbidden',
      message: 'Only a group lead, a core maintainer or a lead maintainer may schedule a meeting for this group',
    });
    await expect(schedule(facil)).rejects.toMatchObject({ kind: 'forbidden' });
    expect((await schedule(facil, { topic: 'scaling', kind: 'content', title: 'Scaling deep-dive' })).topic).toBe(
      'scaling',
    );
    await expect(schedule(lead, { startsAt: '2026-03-09 16:00', rrule: 'FREQ=SOMETIMES' })).rejects.toMatchObject({
      issues: expect.arrayContaining([
        expect.objectContaining({ field: 'startsAt' }),
        expect.objectContaining({ field: 'rrule', rule: expect.stringContaining('not a valid RRULE') }),
      ]),
    });
    await expect(schedule(lead, { startsAt: '2026-03-01T16:00:00Z' })).rejects.toMatchObject({
      issues: [{ field: 'startsAt', rule: expect.stringContaining('must be in the future') }],
    });
    await expect(schedule(lead, { topic: 'nope' })).rejects.toMatchObject({
      issues: [{ field: 'topic', rule: "no topic area 'nope' in hosting" }],
    });
  });

  it('a series starts on one of its own meetings: a Tuesday start of a Mondays rule is refused with the first Monday', async () => {
    // 2026-03-10 is a Tuesday; 17:00 in Berlin
    await expect(
      schedule(lead, { startsAt: '2026-03-10T16:00:00Z', rrule: 'FREQ=WEEKLY;BYDAY=MO' }),
    ).rejects.toMatchObject({
      issues: [
        {
          field: 'startsAt',
          rule: 'the start (Tue 2026-03-10 17:00 GMT+1) is not a meeting the rule FREQ=WEEKLY;BYDAY=MO gives: start the series on its first meeting, 2026-03-16T16:00:00.000Z (Mon 2026-03-16 17:00 GMT+1)',
        },
      ],
    });
    await expect(
      schedule(lead, { startsAt: '2026-03-10T16:00:00Z', rrule: 'FREQ=WEEKLY;UNTIL=20260305T000000Z' }),
    ).rejects.toMatchObject({ issues: [{ field: 'startsAt', rule: expect.stringContaining('after the rule') }] });
    const s = await schedule(lead, { startsAt: '2026-03-16T16:00:00Z', rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=3' });
    expect(s.upcoming).toEqual(['2026-03-16T16:00:00.000Z', '2026-03-23T16:00:00.000Z', '2026-03-30T15:00:00.000Z']);
    // moving the series off its days, or giving it a rule its start does not keep, is refused; nothing changes
    await expect(updateMeeting(hub, lead, 'M-1', 1, { startsAt: '2026-03-17T16:00:00Z' })).rejects.toMatchObject({
      issues: [{ field: 'startsAt', rule: expect.stringContaining('is not a meeting the rule') }],
    });
    await expect(updateMeeting(hub, lead, 'M-1', 1, { rrule: 'FREQ=WEEKLY;BYDAY=WE' })).rejects.toMatchObject({
      issues: [{ field: 'rrule', rule: expect.stringContaining('first meeting, 2026-03-18T16:00:00.000Z') }],
    });
    expect((await getMeeting(hub, 'M-1', lead)).upcoming).toHaveLength(3);
    // moving it a week along its own days is fine
    const moved = await updateMeeting(hub, lead, 'M-1', 1, { startsAt: '2026-03-23T16:00:00Z' });
    expect(moved.upcoming[0]).toBe('2026-03-23T16:00:00.000Z');
  });

  it('a series repeats on the organiser’s wall clock across a DST change; an occurrence can have its own meeting', async () => {
    const s = await schedule(lead, { startsAt: '2026-03-19T15:00:00Z', rrule: 'FREQ=WEEKLY;COUNT=4' });
    expect(s.upcoming).toEqual([
      '2026-03-19T15:00:00.000Z',
      '2026-03-26T15:00:00.000Z',
      '2026-04-02T14:00:00.000Z',
      '2026-04-09T14:00:00.000Z',
    ]);
    const occ = await schedule(lead, {
      startsAt: '2026-04-02T14:00:00Z',
      seriesOf: 'M-1',
      title: 'Coordination, April',
    });
    expect(occ.series).toBe('M-1');
    await expect(schedule(lead, { startsAt: '2026-04-02T15:00:00Z', seriesOf: 'M-1' })).rejects.toMatchObject({
      issues: [{ field: 'startsAt', rule: expect.stringContaining('is not one of the starts of M-1') }],
    });
    await expect(schedule(lead, { startsAt: '2026-04-02T14:00:00Z', seriesOf: 'M-1' })).rejects.toMatchObject({
      issues: [{ field: 'startsAt', rule: 'that occurrence already has its own meeting (M-2)' }],
    });
  });

  it('agendas: participants add linked items, observers cannot; a content deep-dive in a process meeting is warned about with the guide’s examples', async () => {
    await schedule(lead);
    await createProposal(hub, part, {
      title: 'Session affinity guide',
      problem: 'Operators cannot scale stateful MCP servers behind a load balancer.',
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    const m = await addAgendaItem(hub, part, 'M-1', {
      title: 'Agree timelines and expected outputs for Q2',
      link: { type: 'proposal', ref: 'p-1' },
    });
    expect(m.agenda.items[0]).toMatchObject({
      position: 1,
      kind: 'process',
      link: { type: 'proposal', ref: 'P-1' },
      addedBy: 'part',
      // the name beside the handle, for pages that show people by name
      addedByName: 'Part',
      warning: null,
    });
    const deep = await addAgendaItem(hub, member, 'M-1', {
      title: 'Deep-dive: designing patterns for error handling across transport types',
    });
    expect(deep.agenda.items[1]).toMatchObject({
      kind: 'content',
      warning: {
        code: 'content-in-process-meeting',
        examples: expect.arrayContaining(['Designing patterns for error handling across transport types']),
      },
    });
    const declared = await addAgendaItem(hub, member, 'M-1', { title: 'Reference configurations', kind: 'content' });
    expect(declared.agenda.items[2]!.warning?.message).toContain(
      'detailed technical discussions should happen in content meetings',
    );
    await expect(addAgendaItem(hub, obs, 'M-1', { title: 'Something else' })).rejects.toMatchObject({
      kind: 'forbidden',
      message:
        'Only a group participant, member or lead, a core maintainer or a lead maintainer may add an agenda item',
    });
    await expect(
      addAgendaItem(hub, part, 'M-1', { title: 'Bad link', link: { type: 'decision', ref: 'D-9' } }),
    ).rejects.toMatchObject({ issues: [{ field: 'link.ref', rule: "no decision 'D-9'" }] });
    await expect(publishAgenda(hub, part, 'M-1')).rejects.toMatchObject({
      kind: 'forbidden',
      message: 'Only a group lead, a core maintainer or a lead maintainer may publish the agenda',
    });
    // the meeting's view says the same to each before they try
    expect((await getMeeting(hub, 'M-1', part)).can).toMatchObject({
      addAgendaItem: { allowed: true },
      publishAgenda: {
        allowed: false,
        reason: 'Only a group lead, a core maintainer or a lead maintainer may publish the agenda',
      },
    });
    expect((await getMeeting(hub, 'M-1', lead)).can.publishAgenda).toEqual({ allowed: true });
    expect((await getMeeting(hub, 'M-1')).can.addAgendaItem).toMatchObject({ allowed: false, reason: 'Sign in first' });
    expect((await publishAgenda(hub, lead, 'M-1')).agenda.publishedAt).toBe('2026-03-02T12:00:00.000Z');
    hub.clock.set('2026-03-09T16:00:00Z');
    await expect(addAgendaItem(hub, part, 'M-1', { title: 'Too late now' })).rejects.toMatchObject({
      kind: 'forbidden',
      message: 'The agenda closed when the meeting started',
    });
  });

  it('an item is removed by its author or a lead, never while it carries written input; a meeting begun without a published agenda is flagged', async () => {
    await schedule(lead);
    await addAgendaItem(hub, part, 'M-1', { title: 'Item one' });
    await addAgendaItem(hub, member, 'M-1', { title: 'Item two' });
    await addAgendaItem(hub, member, 'M-1', { title: 'Item three' });
    await submitWrittenInput(hub, obs, 'M-1', { item: 1, body: 'Please keep item one on the agenda.' });
    await expect(removeAgendaItem(hub, lead, 'M-1', 1)).rejects.toMatchObject({
      issues: [{ field: 'item', rule: expect.stringContaining('carries written input from obs') }],
    });
    await expect(removeAgendaItem(hub, part, 'M-1', 2)).rejects.toMatchObject({ kind: 'forbidden' });
    const v = await removeAgendaItem(hub, member, 'M-1', 2);
    expect(v.agenda.items.map((i) => [i.position, i.title])).toEqual([
      [1, 'Item one'],
      [2, 'Item three'],
    ]);
    expect(v.agenda.warning).toBeNull();
    hub.clock.set('2026-03-09T16:00:00Z');
    expect((await getMeeting(hub, 'M-1')).agenda.warning).toContain('began without a published agenda');
  });

  it('written input from someone who cannot attend shows on the agenda and in the notes template, then is marked presented or not', async () => {
    await schedule(lead);
    await addAgendaItem(hub, part, 'M-1', { title: 'Session affinity guide: review' });
    await addAgendaItem(hub, part, 'M-1', { title: 'Roadmap for Q2' });
    // obs is in Tokyo, asleep at 01:00 when the meeting runs
    const v = await submitWrittenInput(hub, obs, 'M-1', {
      item: 1,
      body: 'I support the guide; please add a section on sticky sessions behind Envoy.',
    });
    expect(v.agenda.items[0]!.writtenInput).toEqual([
      {
        id: expect.any(String),
        author: 'obs',
        authorName: 'Obs',
        body: 'I support the guide; please add a section on sticky sessions behind Envoy.',
        submittedAt: '2026-03-02T12:00:00.000Z',
        presented: null,
        note: null,
        flags: [],
        editedAt: null,
        version: 1,
        // sent by its author, not recorded for them by a facilitator
        recordedBy: null,
        // its sender may change or withdraw it until the meeting starts
        can: { edit: { allowed: true }, withdraw: { allowed: true } },
      },
    ]);
    await submitWrittenInput(hub, outsider, 'M-1', { item: 2, body: 'Please keep the roadmap to three items.' });
    await expect(
      submitWrittenInput(hub, obs, 'M-1', { item: 7, body: 'Nowhere to put this input.' }),
    ).rejects.toMatchObject({ issues: [{ field: 'item', rule: 'M-1 has no agenda item #7' }] });
    let template = await meetingNotesTemplate(hub, 'M-1');
    expect(template).toContain('### 1. Session affinity guide: review');
    // the notes are published as written: moments in them read as a person writes them, not as ISO timestamps
    expect(template).toMatch(/- \*\*When:\*\* \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC \(/);
    expect(template).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    expect(template).toContain('**Written input from @obs** (sent 2026-03-02 12:00 UTC) — [ ] presented');
    expect(template).toContain('> I support the guide; please add a section on sticky sessions behind Envoy.');
    // the action items' placeholder mentions nobody: left in published notes, it would link a person named owner
    expect(template).toContain('- [ ] who: … (due YYYY-MM-DD)');
    expect(template).not.toContain('@owner');
    // nothing is presented before the meeting: marking it so is refused until it starts
    const early = (await getMeeting(hub, 'M-1', member)).agenda.items[0]!.writtenInput[0]!;
    expect((await getMeeting(hub, 'M-1', member)).can.markWrittenInput).toMatchObject({
      allowed: false,
      reason: 'Written input is marked as presented once the meeting has started',
    });
    await expect(markWrittenInput(hub, member, 'M-1', early.id, { presented: true })).rejects.toMatchObject({
      kind: 'forbidden',
    });
    hub.clock.set('2026-03-09T16:00:00Z');
    await expect(
      submitWrittenInput(hub, obs, 'M-1', { item: 1, body: 'Arrived after the meeting started.' }),
    ).rejects.toMatchObject({ kind: 'forbidden', message: 'The agenda closed when the meeting started' });
    const [first, second] = (await getMeeting(hub, 'M-1')).agenda.items.map((i) => i.writtenInput[0]!);
    await markWrittenInput(hub, member, 'M-1', first!.id, { presented: true });
    // an input the meeting has not got is not found (404), as editing or withdrawing it says, not a bad body
    await expect(markWrittenInput(hub, member, 'M-1', 'no-such-input', { presented: true })).rejects.toMatchObject({
      kind: 'not_found',
      message: "written input on M-1 'no-such-input' does not exist",
    });
    await expect(markWrittenInput(hub, member, 'M-1', second!.id, { presented: false })).rejects.toMatchObject({
      issues: [{ field: 'note' }],
    });
    await markWrittenInput(hub, member, 'M-1', second!.id, {
      presented: false,
      note: 'ran out of time; carried to next meeting',
    });
    template = await meetingNotesTemplate(hub, 'M-1');
    expect(template).toContain('**Written input from @obs** (sent 2026-03-02 12:00 UTC) — [x] presented');
    expect(template).toContain(
      '**Written input from @outsider** (sent 2026-03-02 12:00 UTC) — [ ] not presented: ran out of time; carried to next meeting',
    );
  });

  it('notes deadline: on time exactly at end + 48 hours, late a moment after; late and late-published meetings are listed', async () => {
    await schedule(lead); // 16:00–17:00 on 9 March
    await schedule(lead, { startsAt: '2026-03-10T16:00:00Z', title: 'Second meeting' });
    hub.clock.set('2026-03-11T17:00:00Z');
    const m1 = await getMeeting(hub, 'M-1');
    expect(m1.notes.deadline).toEqual({ dueAt: '2026-03-11T17:00:00.000Z', state: 'due', lateByHours: null });
    expect(await listLateNotes(hub)).toEqual([]);
    hub.clock.set('2026-03-11T17:00:00.001Z');
    expect((await listLateNotes(hub)).map((l) => [l.ref, l.deadline.state])).toEqual([['M-1', 'late']]);
    hub.clock.set('2026-03-12T17:00:00Z');
    await recordNotes(hub, member, 'M-2', undefined, { notes: 'Second meeting: on time, exactly at the deadline.' });
    hub.clock.set('2026-03-12T23:00:00Z');
    await recordNotes(hub, member, 'M-1', undefined, { notes: '# Notes\nAgreed the roadmap.' });
    const late = await listLateNotes(hub);
    expect(late).toEqual([
      expect.objectContaining({
        ref: 'M-1',
        deadline: { dueAt: '2026-03-11T17:00:00.000Z', state: 'published-late', lateByHours: 30 },
      }),
    ]);
    expect((await listLateNotes(hub, { group: 'hosting' })).length).toBe(1);
    expect((await getMeeting(hub, 'M-2')).notes.deadline.state).toBe('published');
  });

  it('a series counts every meeting it held: past occurrences without notes are late until given a meeting of their own', async () => {
    await schedule(lead, { startsAt: '2026-03-10T16:00:00Z', rrule: 'FREQ=WEEKLY;COUNT=3' }); // 10, 17, 24 March
    hub.clock.set('2026-03-11T09:00:00Z');
    await recordNotes(hub, member, 'M-1', undefined, { notes: 'First meeting of the series.' });
    hub.clock.set('2026-03-19T17:00:00Z'); // the 17 March meeting's notes are due exactly now
    expect(await listLateNotes(hub)).toEqual([]);
    hub.clock.set('2026-03-28T00:00:00Z');
    expect((await listLateNotes(hub)).map((l) => [l.ref, l.occurrence, l.deadline.dueAt])).toEqual([
      ['M-1', '2026-03-17T16:00:00.000Z', '2026-03-19T17:00:00.000Z'],
      ['M-1', '2026-03-24T16:00:00.000Z', '2026-03-26T17:00:00.000Z'],
    ]);
    // the 17 March meeting gets a meeting of its own, after the fact, keeping the series' notice
    const own = await schedule(lead, {
      startsAt: '2026-03-17T16:00:00Z',
      seriesOf: 'M-1',
      title: 'Coordination, 17 March',
    });
    expect(own.notice.short).toBe(false);
    await recordNotes(hub, member, own.ref, undefined, { notes: 'Notes for the 17 March meeting, late.' });
    expect((await listLateNotes(hub)).map((l) => [l.ref, l.occurrence, l.deadline.state])).toEqual([
      ['M-2', null, 'published-late'],
      ['M-1', '2026-03-24T16:00:00.000Z', 'late'],
    ]);
    await expect(schedule(lead, { startsAt: '2026-03-01T16:00:00Z' })).rejects.toMatchObject({
      issues: [{ field: 'startsAt' }],
    });
  });

  it('notes are revised with the version read, never overwritten, and search finds them', async () => {
    await schedule(lead);
    await expect(recordNotes(hub, member, 'M-1', undefined, { notes: 'Too early' })).rejects.toMatchObject({
      kind: 'forbidden',
      message: 'Outcomes are recorded once the meeting has started',
    });
    hub.clock.set('2026-03-09T17:30:00Z');
    await expect(recordNotes(hub, part, 'M-1', undefined, { notes: 'Participant notes' })).rejects.toMatchObject({
      kind: 'forbidden',
    });
    const v = await recordNotes(hub, member, 'M-1', undefined, {
      notes: 'We discussed **sticky sessions** behind the gateway.',
    });
    await expect(recordNotes(hub, lead, 'M-1', undefined, { notes: 'x' })).rejects.toMatchObject({
      kind: 'precondition_required',
    });
    await recordNotes(hub, lead, 'M-1', v.version, {
      notes: 'We discussed sticky sessions behind the gateway and Envoy.',
    });
    await expect(recordNotes(hub, member, 'M-1', v.version, { notes: 'Stale' })).rejects.toMatchObject({
      kind: 'conflict',
    });
    // every revision stays on the record
    const revised = (await tailEvents(hub.store.db, 1))[0]!;
    expect(revised.kind).toBe('meeting.notes-revised');
    expect(JSON.parse(revised.before!).notes).toBe('We discussed **sticky sessions** behind the gateway.');
    expect(JSON.parse(revised.after!).notes).toBe('We discussed sticky sessions behind the gateway and Envoy.');
    const found = await search(hub, { q: 'sticky sessions envoy' });
    expect(found.items[0]).toMatchObject({ ref: 'M-1', kind: 'meeting-notes' });
    expect(
      (await search(hub, { q: 'envoy', kind: 'meeting-notes', group: 'hosting' })).items.map((i) => i.ref),
    ).toEqual(['M-1']);
  });

  it('a cancelled meeting is restored while it is still to come; once its time has passed it stays cancelled, and says why', async () => {
    const m = await schedule(lead);
    await updateMeeting(hub, lead, m.ref, m.version, { cancelled: true });
    expect((await getMeeting(hub, m.ref, lead)).can.restore).toEqual({ allowed: true });
    hub.clock.set('2026-03-09T17:00:00Z');
    const late = await getMeeting(hub, m.ref, lead);
    expect(late.can.restore).toEqual({
      allowed: false,
      reason: 'Its time has passed, so it stays cancelled; schedule a new meeting instead',
    });
    await expect(updateMeeting(hub, lead, m.ref, late.version, { cancelled: false })).rejects.toThrow(
      'Its time has passed, so it stays cancelled; schedule a new meeting instead',
    );
    expect((await getMeeting(hub, m.ref)).cancelled).toBe(true);
    // restoring and moving in one request: one change at a time, so the move's own rules are not skipped
    const soon = await schedule(lead, { title: 'Another call', startsAt: '2026-03-20T16:00:00Z' });
    const off = await updateMeeting(hub, lead, soon.ref, soon.version, { cancelled: true });
    await expect(
      updateMeeting(hub, lead, soon.ref, off.version, { cancelled: false, startsAt: '2026-03-27T16:00:00Z' }),
    ).rejects.toMatchObject({
      issues: [{ field: 'startsAt', rule: 'restore the meeting first, then move it: one change at a time' }],
    });
  });

  it("attendance: the first list needs no version; replacing it needs the version read, so nobody's names are dropped unseen", async () => {
    await schedule(lead);
    const other = await schedule(lead, { title: 'Second call', startsAt: '2026-03-09T16:30:00Z' });
    hub.clock.set('2026-03-09T17:00:00Z');
    const first = await recordAttendance(hub, member, 'M-1', undefined, { attended: ['lead'] });
    await expect(recordAttendance(hub, member, 'M-1', undefined, { attended: ['mem'] })).rejects.toBeInstanceOf(
      PreconditionRequired,
    );
    const second = await recordAttendance(hub, lead, 'M-1', first.version, { attended: ['lead', 'mem'] });
    expect(second.version).toBe(first.version + 1);
    // the first notes, from a page loaded before the attendance, are not refused: nothing is overwritten
    const notes = await recordNotes(hub, lead, 'M-1', first.version - 1, { notes: '# Notes\nAgreed the outline.' });
    expect(notes.notes.markdown).toContain('Agreed the outline.');
    // a list written from the first reading is refused, and what is stored stays
    await expect(recordAttendance(hub, member, 'M-1', first.version, { attended: ['part'] })).rejects.toBeInstanceOf(
      Conflict,
    );
    expect((await getMeeting(hub, 'M-1')).attendance).toEqual(['lead', 'mem']);
    // two first lists at once: exactly one is recorded, the other is refused
    const both = await Promise.allSettled([
      recordAttendance(hub, member, other.ref, undefined, { attended: ['lead'] }),
      recordAttendance(hub, lead, other.ref, undefined, { attended: ['mem'] }),
    ]);
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = both.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason instanceof Conflict || refused.reason instanceof PreconditionRequired).toBe(true);
    expect((await getMeeting(hub, other.ref)).attendance).toHaveLength(1);
  });

  it('attendance, decisions taken (opening a decision under lazy consensus) and action items', async () => {
    await schedule(lead);
    hub.clock.set('2026-03-09T17:00:00Z');
    await expect(
      recordAttendance(hub, member, 'M-1', undefined, { attended: ['lead', 'nobody'] }),
    ).rejects.toMatchObject({
      issues: [{ field: 'attended[1]', rule: "no person 'nobody'" }],
    });
    await recordAttendance(hub, member, 'M-1', undefined, { attended: ['lead', 'mem', 'part'] });
    const d = await recordMeetingDecision(hub, lead, 'M-1', {
      summary: 'Meet fortnightly, alternating slots',
      open: { question: 'Meet fortnightly, alternating slots for Asia and the Americas?', significance: 'minor' },
    });
    expect(d.decisions).toEqual([
      // who recorded it, with their name to show beside the handle
      expect.objectContaining({
        summary: 'Meet fortnightly, alternating slots',
        decision: 'D-1',
        recordedBy: 'lead',
        recordedByName: 'Lead',
      }),
    ]);
    const opened = await getDecision(hub, 'D-1');
    expect(opened).toMatchObject({
      group: 'hosting',
      openedBy: 'lead',
      deadline: '2026-03-14T17:00:00.000Z',
      state: { phase: 'lazy-consensus' },
      // linking to the meeting, on every edge that renders the markdown
      description: 'Opened at [M-1](/meetings/M-1): Meet fortnightly, alternating slots',
    });
    await recordMeetingDecision(hub, lead, 'M-1', { summary: 'Keep D-1 open for comment', decision: 'd-1' });
    await expect(
      recordMeetingDecision(hub, lead, 'M-1', { summary: 'Refers to nothing', decision: 'D-5' }),
    ).rejects.toMatchObject({ issues: [{ field: 'decision' }] });
    // another group's decision is theirs to record: this meeting did not take it
    await proposeGroup(hub, lead, {
      slug: 'security',
      name: 'Security',
      kind: 'interest',
      mission: 'Share what keeps MCP servers safe.',
      scopeIn: ['Threats'],
      leads: ['lead'],
    });
    await openDecision(hub, lead, {
      group: 'security',
      subject: { type: 'process' },
      question: 'Meet monthly?',
      significance: 'minor',
    });
    await expect(
      recordMeetingDecision(hub, lead, 'M-1', { summary: 'Security meets monthly', decision: 'D-2' }),
    ).rejects.toMatchObject({
      issues: [
        {
          field: 'decision',
          rule: "D-2 is a decision of security; a meeting records its own group's decisions (name the other in the summary)",
        },
      ],
    });
    expect((await getMeeting(hub, 'M-1', lead)).decisions).toHaveLength(2);
    await expect(
      addActionItem(hub, member, 'M-1', {
        owner: 'part',
        description: 'Draft the affinity section',
        due: '2026-03-01',
      }),
    ).rejects.toMatchObject({ issues: [{ field: 'due' }] });
    const a = await addActionItem(hub, member, 'M-1', {
      owner: 'part',
      description: 'Draft the affinity section',
      due: '2026-03-20',
    });
    const action = a.actions[0]!;
    expect(action).toMatchObject({ owner: 'part', due: '2026-03-20', done: false });
    await expect(completeActionItem(hub, obs, 'M-1', action.id)).rejects.toMatchObject({ kind: 'forbidden' });
    const done = await completeActionItem(hub, part, 'M-1', action.id);
    expect(done).toMatchObject({ attendance: ['lead', 'mem', 'part'], actions: [{ done: true }] });
    // the same people by name, for pages that show the name with the handle beside it
    expect(done.attendees).toEqual([
      { handle: 'lead', name: 'Lead' },
      { handle: 'mem', name: 'Mem' },
      { handle: 'part', name: 'Part' },
    ]);
    expect(done.actions[0]).toMatchObject({ owner: 'part', ownerName: 'Part' });
    const template = await meetingNotesTemplate(hub, 'M-1');
    expect(template).toContain('- Meet fortnightly, alternating slots (D-1)');
    expect(template).toContain('- [x] @part: Draft the affinity section (due 2026-03-20)');
    expect(template).toContain('**Attendees:** @lead, @mem, @part');
  });

  it('lists meetings by group and topic, in time order, with pages', async () => {
    await schedule(lead, { startsAt: '2026-03-20T16:00:00Z' });
    await schedule(lead, { startsAt: '2026-03-10T16:00:00Z' });
    await schedule(facil, {
      topic: 'scaling',
      kind: 'content',
      title: 'Scaling deep-dive',
      startsAt: '2026-03-15T08:00:00Z',
    });
    const p1 = await listMeetings(hub, { group: 'hosting', limit: 2 });
    expect(p1.items.map((m) => m.ref)).toEqual(['M-2', 'M-3']);
    const p2 = await listMeetings(hub, { group: 'hosting', limit: 2, cursor: p1.nextCursor });
    expect(p2).toEqual({ items: [expect.objectContaining({ ref: 'M-1' })], nextCursor: null });
    expect((await listMeetings(hub, { topic: 'scaling' })).items.map((m) => m.ref)).toEqual(['M-3']);
  });
});
