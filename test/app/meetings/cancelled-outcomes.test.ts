// A cancelled meeting was called off before it began (cancelling is refused once it has started), so
// nothing happened there: it takes no notes, attendance, decisions, action items or marks of written
// input as presented. Attendance would have counted as taking part in the group (a member kept from
// emeritus by a meeting nobody held), a decision opened there would have claimed a meeting's authority,
// and the page already says "No notes are due: the meeting was cancelled".
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { joinGroup, placeInGroup, proposeGroup } from '../../../src/app/groups/groups.ts';
import { SYSTEM, type Actor } from '../../../src/app/core/hub.ts';
import { addAgendaItem, markWrittenInput, submitWrittenInput } from '../../../src/app/meetings/agenda.ts';
import {
  addActionItem,
  completeActionItem,
  recordAttendance,
  recordMeetingDecision,
  recordNotes,
} from '../../../src/app/meetings/outcomes.ts';
import { getMeeting, scheduleMeeting, updateMeeting } from '../../../src/app/meetings/meetings.ts';
import { tailEvents } from '../../../src/store/events.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('a cancelled meeting on $name', (database) => {
  let hub: TestHub;
  let lead: Actor, member: Actor, obs: Actor;

  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    lead = await person(hub, 'lead', { role: 'member' });
    member = await person(hub, 'mem');
    obs = await person(hub, 'obs');
    await proposeGroup(hub, lead, {
      slug: 'hosting',
      name: 'Hosting',
      kind: 'working',
      mission: 'Share practices for hosting MCP servers at scale.',
      scopeIn: ['Scaling'],
      leads: ['lead'],
    });
    await placeInGroup(hub, SYSTEM, 'hosting', 'mem', { level: 'member' });
    await joinGroup(hub, obs, 'hosting', { level: 'observer' });
  });
  afterEach(async () => hub?.close());

  it('takes no outcomes once its time has come, and its `can` says why; an action item given before it is still done', async () => {
    const m = await scheduleMeeting(hub, lead, {
      group: 'hosting',
      kind: 'process',
      title: 'Hosting WG coordination',
      startsAt: '2026-03-09T16:00:00Z',
      timeZone: 'Europe/Berlin',
    });
    await addAgendaItem(hub, member, m.ref, { title: 'Retries' });
    await submitWrittenInput(hub, obs, m.ref, { item: 1, body: 'I cannot attend; please keep retries in scope.' });
    const given = await addActionItem(hub, lead, m.ref, {
      owner: 'mem',
      description: 'Draft the outline',
      due: '2026-03-20',
    });
    const off = await updateMeeting(hub, lead, m.ref, given.version, { cancelled: true });
    hub.clock.set('2026-03-09T17:00:00Z');
    const seen = await getMeeting(hub, m.ref, lead);
    const why = 'The meeting was cancelled: nothing was held to record';
    expect(seen.can).toMatchObject({
      recordOutcomes: { allowed: false, reason: why },
      markWrittenInput: { allowed: false, reason: why },
      addActionItem: { allowed: false, reason: why },
    });
    const before = (await tailEvents(hub.store.db, 1))[0]!.seq;
    const refused = { kind: 'forbidden', message: why };
    await expect(
      recordNotes(hub, lead, m.ref, off.version, { notes: '# Notes\n\nWe met anyway.' }),
    ).rejects.toMatchObject(refused);
    await expect(recordAttendance(hub, lead, m.ref, off.version, { attended: ['lead', 'mem'] })).rejects.toMatchObject(
      refused,
    );
    await expect(
      recordMeetingDecision(hub, lead, m.ref, {
        summary: 'Adopt sticky sessions',
        open: { question: 'Adopt sticky sessions for all hosted servers?' },
      }),
    ).rejects.toMatchObject(refused);
    await expect(
      addActionItem(hub, lead, m.ref, { owner: 'mem', description: 'Follow up', due: '2026-03-20' }),
    ).rejects.toMatchObject(refused);
    const input = seen.agenda.items[0]!.writtenInput[0]!;
    await expect(markWrittenInput(hub, lead, m.ref, input.id, { presented: true })).rejects.toMatchObject(refused);
    // nothing was written or logged
    expect((await tailEvents(hub.store.db, 1))[0]!.seq).toBe(before);
    const after = await getMeeting(hub, m.ref);
    expect(after).toMatchObject({ attendance: [], decisions: [], notes: { markdown: null } });
    // its owner still marks done what they were given before the meeting was called off
    expect(after.actions[0]!.can).toBeDefined();
    const done = await completeActionItem(hub, member, m.ref, after.actions[0]!.id);
    expect(done.actions[0]!.done).toBe(true);
  });
});
