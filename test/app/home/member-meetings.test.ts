// A member's meetings ahead (the home and what needs me, `myMeetings`) are bounded as the rest of
// what needs them: the soonest `bound` read whole, the rest counted from their starts alone, a series
// at each of its starts but those an occurrence of its own replaces. It read every meeting of the next
// 31 days whole (about ten queries each) and only then cut the list. The count stays right while the
// answer is cached: a meeting coming into the window, or the soonest one starting, reads it again.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM, type Actor } from '../../../src/app/core/hub.ts';
import { placeInGroup } from '../../../src/app/groups/groups.ts';
import { myMeetings } from '../../../src/app/home/member-meetings.ts';
import { setSubscription } from '../../../src/app/notifications/subscriptions.ts';
import { personRow } from '../../../src/app/people/people.ts';
import { scheduleMeeting } from '../../../src/app/meetings/meetings.ts';
import { databases } from '../../support/databases.ts';
import { hostingGroup, openTestHub, person, type TestHub } from '../../support/hub.ts';
import { countQueries } from '../../support/queries.ts';

describe.each(databases)("a member's meetings ahead on $name", (database) => {
  let hub: TestHub;
  let lead: Actor;

  const schedule = (title: string, startsAt: string, more: Record<string, unknown> = {}) =>
    scheduleMeeting(hub, lead, { group: 'hosting', kind: 'process', title, startsAt, ...more });

  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    lead = await person(hub, 'lead', { role: 'member', timeZone: 'UTC' });
    await person(hub, 'ana');
    await hostingGroup(hub, lead, 'lead');
    await placeInGroup(hub, SYSTEM, 'hosting', 'ana', { level: 'member' });
    // M-1: weekly on Tuesdays from 3 March, 16:00 UTC: 3, 10, 17, 24 and 31 March in the 30 days
    await schedule('Weekly sync', '2026-03-03T16:00:00Z', { rrule: 'FREQ=WEEKLY', timeZone: 'UTC' });
    // M-2: its meeting of 10 March, given its own agenda, stands for that start
    await schedule('Weekly sync, with guests', '2026-03-10T16:00:00Z', { seriesOf: 'M-1' });
    // M-3 to M-8: one-offs from the 4th to the 9th
    for (let d = 4; d <= 9; d++) await schedule(`Review ${d}`, `2026-03-0${d}T10:00:00Z`);
    // M-9: six hours past the window (1 April 12:00)
    await schedule('Planning', '2026-04-01T18:00:00Z');
  });
  afterEach(async () => hub?.close());

  const read = async (bound = 2) => myMeetings(hub, await personRow(hub.store.db, 'ana'), 30, bound);
  const listed = (m: Awaited<ReturnType<typeof read>>) => m.listed.map((x) => `${x.ref} ${x.startsAt}`);

  it('lists the meetings of a group one watches without being in it (told of them, they read them at home too)', async () => {
    const bo = await person(hub, 'bo');
    const bos = async () => myMeetings(hub, await personRow(hub.store.db, 'bo'), 30, 2);
    expect((await bos()).total).toBe(0);
    await setSubscription(hub, bo, { subjectType: 'group', subjectRef: 'hosting', level: 'watching' });
    const m = await bos();
    expect(m.total).toBe(11);
    expect(listed(m)).toEqual(['M-1 2026-03-03T16:00:00.000Z', 'M-3 2026-03-04T10:00:00.000Z']);
    // "normal" (tell me what concerns me) is no watching: none again
    await setSubscription(hub, bo, { subjectType: 'group', subjectRef: 'hosting', level: 'normal' });
    expect((await bos()).total).toBe(0);
  });

  it('lists the soonest and counts every start in the window, a series at each', async () => {
    const m = await read();
    expect(listed(m)).toEqual(['M-1 2026-03-03T16:00:00.000Z', 'M-3 2026-03-04T10:00:00.000Z']);
    // the series' 3, 17, 24 and 31 March, its own meeting of the 10th, and six one-offs
    expect(m.total).toBe(11);
    const all = await read(50);
    expect(all.total).toBe(11);
    expect(listed(all)).toEqual([
      'M-1 2026-03-03T16:00:00.000Z',
      ...[4, 5, 6, 7, 8, 9].map((d) => `M-${d - 1} 2026-03-0${d}T10:00:00.000Z`),
      'M-2 2026-03-10T16:00:00.000Z',
      'M-1 2026-03-17T16:00:00.000Z',
      'M-1 2026-03-24T16:00:00.000Z',
      'M-1 2026-03-31T16:00:00.000Z',
    ]);
    expect(all.listed.filter((x) => x.laterInSeries).length).toBe(3);
  });

  it('reads in full only the meetings it lists', async () => {
    const queries = countQueries(hub);
    const cost = async () => {
      hub.reads.invalidate();
      queries.reset();
      await read();
      return queries.count;
    };
    const few = await cost();
    for (let d = 11; d <= 30; d++) await schedule(`Review ${d}`, `2026-03-${d}T10:00:00Z`);
    const many = await cost();
    expect((await read()).total).toBe(31);
    expect(many - few, `with 11 meetings ahead ${few} queries, with 31: ${many}`).toBeLessThanOrEqual(1);
  });

  it('counts a meeting coming into the window, and one started leaving it, with no write between', async () => {
    expect((await read()).total).toBe(11);
    hub.clock.set('2026-03-02T19:00:00Z'); // Planning, on 1 April 18:00, is 30 days away now
    expect((await read()).total).toBe(12);
    hub.clock.set('2026-03-03T17:00:00Z'); // the series' first meeting has started
    const m = await read();
    expect(m.total).toBe(11);
    expect(listed(m)).toEqual(['M-3 2026-03-04T10:00:00.000Z', 'M-4 2026-03-05T10:00:00.000Z']);
  });
});
