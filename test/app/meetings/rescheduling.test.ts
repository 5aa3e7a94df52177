// Moving and cancelling a meeting on both databases: the meeting's `can` and the use case agree,
// a started meeting keeps its time, and members and those who sent written input are told.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/app/core/hub.ts';
import { joinGroup, proposeGroup, setMemberLevel } from '../../../src/app/groups/groups.ts';
import { addAgendaItem, removeAgendaItem, submitWrittenInput } from '../../../src/app/meetings/agenda.ts';
import { getMeeting, scheduleMeeting, updateMeeting } from '../../../src/app/meetings/meetings.ts';
import { listInbox } from '../../../src/app/notifications/inbox.ts';
import { notificationsReaction } from '../../../src/app/notifications/notify.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('moving and cancelling meetings on $name', (database) => {
  let hub: TestHub;
  let sam: Actor;
  let priya: Actor;
  let amara: Actor;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    hub.reactions.push(notificationsReaction({ mail: false }));
    sam = await person(hub, 'sam', { role: 'member' });
    priya = await person(hub, 'priya', { role: 'member' });
    amara = await person(hub, 'amara');
    await proposeGroup(hub, sam, {
      slug: 'hosting',
      name: 'Hosting',
      kind: 'working',
      mission: 'Share practices for hosting MCP servers at scale.',
      scopeIn: ['Scaling'],
      leads: ['sam'],
    });
    await joinGroup(hub, priya, 'hosting');
    await setMemberLevel(hub, sam, 'hosting', 'priya', { level: 'member' });
    await scheduleMeeting(hub, sam, {
      group: 'hosting',
      kind: 'process',
      title: 'Hosting WG coordination',
      startsAt: '2026-03-16T16:00:00Z',
      timeZone: 'Europe/Berlin',
    });
    await addAgendaItem(hub, sam, 'M-1', { title: 'Deliverables for Q2' });
    await submitWrittenInput(hub, amara, 'M-1', { item: 1, body: 'I cannot attend; please keep the scope small.' });
  });
  afterEach(async () => hub?.close());

  it('a lead moves the meeting, and members and written-input authors are told; others are refused in words', async () => {
    const asPriya = await getMeeting(hub, 'M-1', priya);
    expect(asPriya.can.reschedule).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/^Only .* may move this meeting$/),
    });
    await expect(
      updateMeeting(hub, priya, 'M-1', asPriya.version, { startsAt: '2026-03-17T16:00:00Z' }),
    ).rejects.toMatchObject({ kind: 'forbidden', message: (asPriya.can.reschedule as { reason: string }).reason });

    const m = await getMeeting(hub, 'M-1', sam);
    expect(m.can.reschedule.allowed).toBe(true);
    const moved = await updateMeeting(hub, sam, 'M-1', m.version, { startsAt: '2026-03-17T16:00:00Z' });
    expect(moved.startsAt).toBe('2026-03-17T16:00:00.000Z');
    for (const who of [priya, amara]) {
      const inbox = (await listInbox(hub, who)).items;
      expect(inbox.map((n) => n.title)).toContain('M-1 moved to 2026-03-17 16:00 UTC: Hosting WG coordination');
    }
    // a stale version is refused, not overwritten
    await expect(updateMeeting(hub, sam, 'M-1', m.version, { startsAt: '2026-03-18T16:00:00Z' })).rejects.toMatchObject(
      {
        kind: 'conflict',
      },
    );
  });

  it('a lead cancels; a cancelled or started meeting cannot be moved, and the agenda closes', async () => {
    const m = await getMeeting(hub, 'M-1', sam);
    const cancelled = await updateMeeting(hub, sam, 'M-1', m.version, { cancelled: true });
    expect(cancelled.cancelled).toBe(true);
    expect(cancelled.notes.deadline.state).toBe('cancelled');
    expect(cancelled.can.reschedule).toMatchObject({ allowed: false, reason: 'The meeting was cancelled' });
    expect(cancelled.can.cancel).toMatchObject({ allowed: false, reason: 'The meeting is already cancelled' });
    await expect(
      updateMeeting(hub, sam, 'M-1', cancelled.version, { startsAt: '2026-03-20T16:00:00Z' }),
    ).rejects.toMatchObject({ kind: 'forbidden', message: 'The meeting was cancelled' });
    expect((await listInbox(hub, amara)).items.map((n) => n.title)).toContain('M-1 cancelled: Hosting WG coordination');

    await scheduleMeeting(hub, sam, {
      group: 'hosting',
      kind: 'content',
      title: 'Sticky sessions deep-dive',
      startsAt: '2026-03-10T16:00:00Z',
    });
    await addAgendaItem(hub, priya, 'M-2', { title: 'Cookie-based affinity' });
    await addAgendaItem(hub, priya, 'M-2', { title: 'Session tickets' });
    // whoever added an item may take it off before the meeting
    expect((await removeAgendaItem(hub, priya, 'M-2', 1)).agenda.items.map((i) => i.title)).toEqual([
      'Session tickets',
    ]);
    hub.clock.set('2026-03-10T16:05:00Z');
    const started = await getMeeting(hub, 'M-2', sam);
    expect(started.can.reschedule).toMatchObject({ allowed: false, reason: 'The meeting has already started' });
    expect(started.agenda.items[0]!.can.remove).toMatchObject({ allowed: false });
  });
});
