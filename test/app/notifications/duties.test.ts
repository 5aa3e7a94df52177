// What someone owes after a meeting, reminded once: notes not published notesHours after the end
// tell the note-taker (the organiser when none is named) and the group's leads; an action item due and not done tells its owner; the
// timer running again tells nobody twice, and published notes or a done action stop it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM, type Actor } from '../../../src/app/core/hub.ts';
import { placeInGroup, proposeGroup } from '../../../src/app/groups/groups.ts';
import { getMeeting, scheduleMeeting, updateMeeting } from '../../../src/app/meetings/meetings.ts';
import { addActionItem, completeActionItem, recordNotes } from '../../../src/app/meetings/outcomes.ts';
import { remindMeetingDuties } from '../../../src/app/notifications/duties.ts';
import { listInbox } from '../../../src/app/notifications/inbox.ts';
import { notificationsReaction } from '../../../src/app/notifications/notify.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('meeting duties on $name', (database) => {
  let hub: TestHub;
  let lead: Actor, ana: Actor, cy: Actor;

  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    hub.reactions.push(notificationsReaction({ mail: false }));
    lead = await person(hub, 'lead', { role: 'member' });
    ana = await person(hub, 'ana');
    cy = await person(hub, 'cy', { role: 'member' });
    await proposeGroup(hub, lead, {
      slug: 'hosting',
      name: 'Hosting',
      kind: 'working',
      mission: 'Share practices for hosting MCP servers at scale.',
      scopeIn: ['Scaling'],
      leads: ['lead'],
    });
    await placeInGroup(hub, SYSTEM, 'hosting', 'ana', { level: 'member' });
    await placeInGroup(hub, SYSTEM, 'hosting', 'cy', { level: 'lead' });
    await scheduleMeeting(hub, lead, {
      group: 'hosting',
      kind: 'process',
      title: 'Hosting WG coordination',
      startsAt: '2026-03-10T16:00:00Z',
      durationMinutes: 60,
    });
    await addActionItem(hub, lead, 'M-1', {
      owner: 'ana',
      description: 'Write up the Redis findings',
      due: '2026-03-12',
    });
  });
  afterEach(async () => hub?.close());

  const kinds = async (who: Actor, kind: string) =>
    (await listInbox(hub, who)).items.filter((n) => n.kind === kind).map((n) => n.title);

  it('notes overdue reach the organiser and the leads once; an action due reaches its owner once', async () => {
    hub.clock.set('2026-03-12T16:30:00Z'); // 47.5 hours after the end: not late yet; ana's action is due today
    expect(await remindMeetingDuties(hub, { mail: false })).toBe(1);
    expect(await kinds(ana, 'action-due')).toEqual([
      'Your action from M-1 is due 2026-03-12: Write up the Redis findings',
    ]);
    // it leads to the action items, where its owner marks it done
    expect((await listInbox(hub, ana)).items.find((n) => n.kind === 'action-due')?.path).toBe('/meetings/M-1#actions');
    expect(await kinds(lead, 'notes-overdue')).toEqual([]);
    hub.clock.set('2026-03-12T17:30:00Z');
    expect(await remindMeetingDuties(hub, { mail: false })).toBe(2);
    for (const who of [lead, cy])
      expect(await kinds(who, 'notes-overdue')).toEqual(['M-1 notes are overdue: Hosting WG coordination']);
    expect(await kinds(ana, 'notes-overdue')).toEqual([]);
    // the timer runs again: nobody is told twice
    hub.clock.set('2026-03-13T09:00:00Z');
    expect(await remindMeetingDuties(hub, { mail: false })).toBe(0);
    expect((await listInbox(hub, lead)).items.find((n) => n.kind === 'notes-overdue')!.events).toBe(1);
  });

  it('an action whose 200th character is an emoji is named with it whole, never half of it (attack round 22)', async () => {
    // 199 letters, then an emoji (two UTF-16 units): a cut at 200 units kept its first half, stored as U+FFFD
    await addActionItem(hub, lead, 'M-1', {
      owner: 'cy',
      description: `${'a'.repeat(199)}😀 and more`,
      due: '2026-03-12',
    });
    hub.clock.set('2026-03-12T16:30:00Z');
    await remindMeetingDuties(hub, { mail: false });
    expect(await kinds(cy, 'action-due')).toEqual([`Your action from M-1 is due 2026-03-12: ${'a'.repeat(199)}😀`]);
  });

  it('published notes and a done action stop the reminders', async () => {
    hub.clock.set('2026-03-10T17:05:00Z');
    await recordNotes(hub, lead, 'M-1', undefined, { notes: 'We agreed to move the call to Thursdays.' });
    const action = (await hub.store.db.selectFrom('meeting_actions').select('id').executeTakeFirstOrThrow()).id;
    await completeActionItem(hub, ana, 'M-1', action);
    hub.clock.set('2026-03-14T09:00:00Z');
    expect(await remindMeetingDuties(hub, { mail: false })).toBe(0);
  });

  it('a note-taker named when scheduling or later is told with the leads; only those the governance file lets may name one', async () => {
    const eve = await person(hub, 'eve');
    await placeInGroup(hub, SYSTEM, 'hosting', 'eve', { level: 'member' });
    const m = await scheduleMeeting(hub, lead, {
      group: 'hosting',
      kind: 'content',
      title: 'Session affinity deep dive',
      startsAt: '2026-03-11T16:00:00Z',
      noteTaker: 'ana',
    });
    expect(m.noteTaker).toBe('ana');
    // a member may not name or change the note-taker (meeting.assignNoteTaker: leads and core maintainers)
    const refusal = (await getMeeting(hub, m.ref, ana)).can.assignNoteTaker;
    expect(refusal).toEqual({ allowed: false, reason: expect.stringMatching(/note-taker/) });
    await expect(updateMeeting(hub, ana, m.ref, m.version, { noteTaker: 'eve' })).rejects.toMatchObject({
      kind: 'forbidden',
      message: (refusal as { reason: string }).reason,
    });
    await expect(
      scheduleMeeting(hub, ana, {
        group: 'hosting',
        kind: 'content',
        title: 'Ana’s call',
        startsAt: '2026-03-12T16:00:00Z',
        noteTaker: 'eve',
      }),
    ).rejects.toMatchObject({ kind: 'forbidden' });
    // bad names are refused naming the field; nothing changes
    await expect(updateMeeting(hub, lead, m.ref, m.version, { noteTaker: 'nobody' })).rejects.toMatchObject({
      issues: [{ field: 'noteTaker', rule: "no person 'nobody'" }],
    });
    await person(hub, 'outsider');
    await expect(updateMeeting(hub, lead, m.ref, m.version, { noteTaker: 'outsider' })).rejects.toMatchObject({
      issues: [{ field: 'noteTaker', rule: "outsider is not an active member of the meeting's group" }],
    });
    expect((await getMeeting(hub, m.ref)).noteTaker).toBe('ana');
    // the lead hands the notes to eve
    const changed = await updateMeeting(hub, lead, m.ref, m.version, { noteTaker: 'eve' });
    expect(changed.noteTaker).toBe('eve');
    hub.clock.set('2026-03-13T17:30:00Z'); // M-2's notes are 48.5 hours late; M-1's too
    await remindMeetingDuties(hub, { mail: false });
    const overdue = async (who: Actor) =>
      (await listInbox(hub, who)).items
        .filter((n) => n.kind === 'notes-overdue' && n.subject.ref === m.ref)
        .map((n) => n.reason);
    expect(await overdue(eve)).toEqual(['note-taker']);
    expect(await overdue(cy)).toEqual(['lead']);
    expect(await overdue(lead)).toEqual(['lead']);
    expect(await overdue(ana)).toEqual([]);
    // once the notes are published, the note-taker is settled
    await recordNotes(hub, eve, m.ref, undefined, { notes: 'Affinity by cookie, not by IP.' });
    expect((await getMeeting(hub, m.ref, lead)).can.assignNoteTaker).toEqual({
      allowed: false,
      reason: 'Its notes are published',
    });
  });
});
