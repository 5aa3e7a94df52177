// Written input from someone who cannot attend reaches the people who present it: the group's
// leads, the meeting's topic-area facilitators and whoever scheduled it hear of each input in their
// inbox before the meeting (several unread fold into one notice); other members are not told, nor
// is the author.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/app/core/hub.ts';
import { joinGroup, proposeGroup, setMemberLevel } from '../../../src/app/groups/groups.ts';
import { createTopicArea } from '../../../src/app/groups/topic-areas.ts';
import { addAgendaItem, submitWrittenInput } from '../../../src/app/meetings/agenda.ts';
import { scheduleMeeting } from '../../../src/app/meetings/meetings.ts';
import { listInbox } from '../../../src/app/notifications/inbox.ts';
import { notificationsReaction } from '../../../src/app/notifications/notify.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('written input reaches the facilitators on $name', (database) => {
  let hub: TestHub;
  let sam: Actor;
  let priya: Actor;
  let amara: Actor;
  let jonas: Actor;
  let facil: Actor;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    hub.reactions.push(notificationsReaction({ mail: false }));
    sam = await person(hub, 'sam', { role: 'member' });
    priya = await person(hub, 'priya', { role: 'member' });
    amara = await person(hub, 'amara');
    jonas = await person(hub, 'jonas');
    facil = await person(hub, 'facil', { role: 'member' });
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
    await joinGroup(hub, facil, 'hosting');
    await createTopicArea(hub, sam, 'hosting', {
      slug: 'scaling',
      name: 'Scaling',
      goal: 'both',
      description: 'Sessions across processes.',
      facilitators: ['facil'],
    });
  });
  afterEach(async () => hub?.close());

  const written = async (who: Actor) => (await listInbox(hub, who)).items.filter((n) => n.kind === 'written-input');

  it("a group meeting's leads are told of each input, folded while unread; members and the author are not", async () => {
    await scheduleMeeting(hub, sam, {
      group: 'hosting',
      kind: 'process',
      title: 'Hosting WG coordination',
      startsAt: '2026-03-16T16:00:00Z',
      timeZone: 'Europe/Berlin',
    });
    await addAgendaItem(hub, sam, 'M-1', { title: 'Deliverables for Q2' });
    await submitWrittenInput(hub, amara, 'M-1', { item: 1, body: 'I cannot attend; please keep the scope small.' });

    const [first, ...more] = await written(sam);
    expect(more).toEqual([]);
    expect(first).toMatchObject({
      title: expect.stringContaining(
        'sent written input to present at M-1 (Hosting WG coordination), item 1: Deliverables for Q2',
      ),
      subject: { type: 'meeting', ref: 'M-1' },
      events: 1,
    });
    expect(first!.reason).toBe('lead');
    // it leads to the agenda, where the input shows under its item
    expect(first!.path).toBe('/meetings/M-1#agenda');
    // what they will present, and when, without opening the meeting
    expect(first!.detail).toMatch(/^“I cannot attend; please keep the scope small\.” · Meets Mon 16 Mar 2026/);
    expect(await written(priya)).toEqual([]);
    expect(await written(amara)).toEqual([]);

    // a second input while the first notice is unread folds into it
    await submitWrittenInput(hub, jonas, 'M-1', { item: 1, body: 'Same here: Q2 is already full.' });
    const folded = await written(sam);
    expect(folded).toHaveLength(1);
    expect(folded[0]).toMatchObject({ events: 2, title: expect.stringContaining('@jonas') });
  });

  it('whoever scheduled the meeting is told too, once even when they also lead it, and never of their own input', async () => {
    const cora = await person(hub, 'cora', { role: 'core-maintainer' });
    // a core maintainer, not a lead of the group, schedules its meeting
    await scheduleMeeting(hub, cora, {
      group: 'hosting',
      topic: 'scaling',
      kind: 'content',
      title: 'Sticky sessions',
      startsAt: '2026-03-16T16:00:00Z',
      timeZone: 'Europe/Berlin',
    });
    await addAgendaItem(hub, cora, 'M-1', { title: 'Affinity behind load balancers' });
    await submitWrittenInput(hub, amara, 'M-1', { item: 1, body: 'Our balancer cannot pin sessions.' });
    expect((await written(cora)).map((n) => [n.reason, n.title])).toEqual([
      [
        'organiser',
        'Amara (@amara) sent written input to present at M-1 (Sticky sessions), item 1: Affinity behind load balancers',
      ],
    ]);
    expect((await written(facil)).map((n) => n.reason)).toEqual(['facilitator']);
    expect((await written(sam)).map((n) => n.reason)).toEqual(['lead']);
    // the organiser's own input tells the facilitators and leads, not them
    await submitWrittenInput(hub, cora, 'M-1', { item: 1, body: 'I will be travelling: pin by cookie.' });
    expect(await written(cora)).toHaveLength(1);
    expect((await written(sam))[0]).toMatchObject({ events: 2, title: expect.stringContaining('@cora') });

    // a lead who schedules their group's meeting hears of its input once, as its lead
    await scheduleMeeting(hub, sam, {
      group: 'hosting',
      kind: 'process',
      title: 'Hosting WG coordination',
      startsAt: '2026-03-17T16:00:00Z',
      timeZone: 'Europe/Berlin',
    });
    await addAgendaItem(hub, sam, 'M-2', { title: 'Deliverables for Q2' });
    await submitWrittenInput(hub, amara, 'M-2', { item: 1, body: 'I cannot attend; please keep the scope small.' });
    expect((await written(sam)).filter((n) => n.subject.ref === 'M-2').map((n) => n.reason)).toEqual(['lead']);
  });

  it("a topic area's meeting: its facilitators are told too", async () => {
    await scheduleMeeting(hub, sam, {
      group: 'hosting',
      topic: 'scaling',
      kind: 'content',
      title: 'Sticky sessions',
      startsAt: '2026-03-16T16:00:00Z',
      timeZone: 'Europe/Berlin',
    });
    await addAgendaItem(hub, sam, 'M-1', { title: 'Affinity behind load balancers' });
    await submitWrittenInput(hub, amara, 'M-1', { item: 1, body: 'Our balancer cannot pin sessions.' });
    expect((await written(facil)).map((n) => n.reason)).toEqual(['facilitator']);
    expect(await written(sam)).toHaveLength(1);
  });
});
