// A series that had begun could not be cancelled. A facilitator now ends it from a day, saying why:
// the meetings before that day stay (held or not), those after it are gone from the rule and, with
// a page of their own, called off; on both databases.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { endSeries } from '../../../src/app/meetings/series-end.ts';
import { getMeeting, scheduleMeeting } from '../../../src/app/meetings/meetings.ts';
import { upcomingMeetings } from '../../../src/app/meetings/upcoming.ts';
import { Conflict, Forbidden, InvalidInput } from '../../../src/domain/errors.ts';
import { databases } from '../../support/databases.ts';
import { asActor, hostingGroup, openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('ending a series on $name', (database) => {
  let hub: TestHub;
  let series: string;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    const sam = await person(hub, 'sam', { role: 'member' });
    await person(hub, 'bo');
    await hostingGroup(hub, sam, 'sam');
    // every Thursday at 16:00 Berlin, from 5 March
    series = (
      await scheduleMeeting(hub, sam, {
        group: 'hosting',
        kind: 'process',
        title: 'Weekly sync',
        startsAt: '2026-03-05T15:00:00Z',
        timeZone: 'Europe/Berlin',
        rrule: 'FREQ=WEEKLY;BYDAY=TH',
      })
    ).ref;
  });
  afterEach(async () => hub?.close());

  it('a lead ends a started series from a day: earlier meetings stay, later ones are called off', async () => {
    const sam = await asActor(hub, 'sam');
    // three meetings held (5, 12, 19 March); one of the coming ones has a page of its own
    hub.clock.set('2026-03-20T09:00:00Z');
    const own = await scheduleMeeting(hub, sam, {
      group: 'hosting',
      kind: 'process',
      title: 'Weekly sync',
      startsAt: '2026-04-02T14:00:00Z',
      timeZone: 'Europe/Berlin',
      seriesOf: series,
    });
    const read = await getMeeting(hub, series, sam);
    expect(read.can.cancel.allowed).toBe(false);
    expect(read.can.endSeries).toEqual({ allowed: true });

    const ended = await endSeries(hub, sam, series, read.version, {
      from: '2026-03-26',
      reason: 'The group moves to a fortnightly call',
    });
    expect(ended.seriesEnd).toEqual({ from: '2026-03-26', reason: 'The group moves to a fortnightly call' });
    expect(ended.lastStartsAt).toBe('2026-03-19T15:00:00.000Z');
    expect(ended.upcoming).toEqual([]);
    expect(ended.can.endSeries).toEqual({ allowed: false, reason: 'The series is already ended' });
    // its rule is not brought back under the end's notice: a new rhythm is a new series
    expect(ended.can.changeRecurrence).toEqual({
      allowed: false,
      reason: 'The series has ended; schedule a new series for a new rhythm',
    });
    expect((await getMeeting(hub, own.ref)).cancelled).toBe(true);
    const coming = await upcomingMeetings(hub, { group: 'hosting' });
    expect(coming.items.filter((m) => !m.cancelled).map((m) => m.ref)).not.toContain(series);
  });

  it('refuses a day in the past, one before the first meeting, a stale read, and someone who does not schedule', async () => {
    const sam = await asActor(hub, 'sam');
    hub.clock.set('2026-03-20T09:00:00Z');
    const read = await getMeeting(hub, series, sam);
    const both = endSeries(hub, sam, series, read.version, { from: '2026-03-10', reason: 'x' });
    await expect(both).rejects.toThrow(InvalidInput);
    // both mistakes at once
    await expect(both).rejects.toThrow('from: must be today (2026-03-20) or later: the meetings already held stay');
    await expect(both).rejects.toThrow('reason: must say why the series ends (at least 5 characters)');
    await expect(
      endSeries(hub, await asActor(hub, 'bo'), series, read.version, { from: '2026-03-26', reason: 'Not mine to end' }),
    ).rejects.toThrow(Forbidden);
    await endSeries(hub, sam, series, read.version, { from: '2026-03-26', reason: 'Fortnightly from now on' });
    await expect(
      endSeries(hub, sam, series, read.version, { from: '2026-04-02', reason: 'Again, from an old page' }),
    ).rejects.toThrow(/already ended/);

    // a series not begun yet that would keep no meeting is cancelled instead
    hub.clock.set('2026-03-02T12:00:00Z');
    const fresh = await scheduleMeeting(hub, sam, {
      group: 'hosting',
      kind: 'content',
      title: 'Deep-dives',
      startsAt: '2026-03-10T15:00:00Z',
      timeZone: 'Europe/Berlin',
      rrule: 'FREQ=WEEKLY;BYDAY=TU',
    });
    await expect(
      endSeries(hub, sam, fresh.ref, fresh.version, { from: '2026-03-05', reason: 'Nobody came forward' }),
    ).rejects.toThrow(/on or before the series' first meeting .*: cancel the series instead/);
    await expect(
      endSeries(hub, sam, fresh.ref, fresh.version + 1, { from: '2026-03-20', reason: 'Nobody came forward' }),
    ).rejects.toThrow(Conflict);
  });
});
