// A series that had begun could not be cancelled. A facilitator now ends it from a day, saying why:
// the meetings before that day stay (held or not), those after it are gone from the rule and, with
// a page of their own, called off; on both databases.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { endSeries } from '../../../src/app/meetings/series-end.ts';
import { addAgendaItem, submitWrittenInput } from '../../../src/app/meetings/agenda.ts';
import { getMeeting, scheduleMeeting, updateMeeting } from '../../../src/app/meetings/meetings.ts';
import { joinGroup } from '../../../src/app/groups/groups.ts';
import { notificationsReaction } from '../../../src/app/notifications/notify.ts';
import { setSubscription } from '../../../src/app/notifications/subscriptions.ts';
import { upcomingMeetings } from '../../../src/app/meetings/upcoming.ts';
import { Conflict, Forbidden, InvalidInput } from '../../../src/domain/errors.ts';
import { AFTER_SERIES_END } from '../../../src/domain/policies/meeting.ts';
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
    expect(ended.can.endSeries).toEqual({ allowed: false, reason: 'The series is already ended, from 2026-03-26' });
    // ended again (a second click): already as asked, nothing recorded twice
    await expect(
      endSeries(hub, sam, series, ended.version, {
        from: '2026-03-26',
        reason: 'The group moves to a fortnightly call',
      }),
    ).rejects.toMatchObject({
      kind: 'conflict',
      details: { rule: 'already-as-asked' },
      message: 'The series is already ended, from 2026-03-26',
    });
    // ended again from another day is not as asked: refused as before (403), nothing changed
    await expect(
      endSeries(hub, sam, series, ended.version, { from: '2026-04-09', reason: 'The group moves to a monthly call' }),
    ).rejects.toMatchObject({ kind: 'forbidden', message: expect.stringContaining('a series ends once') });
    // and a day that is no day is told as the mistake it is (422)
    await expect(
      endSeries(hub, sam, series, ended.version, { from: '2026-02-30x', reason: 'The group moves to a monthly call' }),
    ).rejects.toMatchObject({ kind: 'invalid_input', message: expect.stringContaining('from:') });
    expect((await getMeeting(hub, series)).seriesEnd).toEqual({
      from: '2026-03-26',
      reason: 'The group moves to a fortnightly call',
    });
    // its rule is not brought back under the end's notice: a new rhythm is a new series
    expect(ended.can.changeRecurrence).toEqual({
      allowed: false,
      reason: 'The series has ended; schedule a new series for a new rhythm',
    });
    expect((await getMeeting(hub, own.ref)).cancelled).toBe(true);
    const coming = await upcomingMeetings(hub, { group: 'hosting' });
    expect(coming.items.filter((m) => !m.cancelled).map((m) => m.ref)).not.toContain(series);
  });

  it('a meeting of the series moved alone is kept or called off by the start it stands for, not its new time', async () => {
    const sam = await asActor(hub, 'sam');
    hub.clock.set('2026-03-10T09:00:00Z');
    const open = async (startsAt: string, movedTo: string) => {
      const own = await scheduleMeeting(hub, sam, {
        group: 'hosting',
        kind: 'process',
        title: 'Weekly sync',
        startsAt,
        timeZone: 'Europe/Berlin',
        seriesOf: series,
      });
      return updateMeeting(hub, sam, own.ref, own.version, { startsAt: movedTo });
    };
    // the meeting of 19 March moved to Friday 27 March, that of 26 March to Wednesday 25 March
    const kept = await open('2026-03-19T15:00:00Z', '2026-03-27T15:00:00Z');
    const gone = await open('2026-03-26T15:00:00Z', '2026-03-25T15:00:00Z');
    expect([kept.seriesStart, gone.seriesStart]).toEqual(['2026-03-19T15:00:00.000Z', '2026-03-26T15:00:00.000Z']);

    hub.clock.set('2026-03-20T09:00:00Z');
    const ended = await endSeries(hub, sam, series, (await getMeeting(hub, series, sam)).version, {
      from: '2026-03-26',
      reason: 'The group moves to a fortnightly call',
    });
    expect(ended.lastStartsAt).toBe('2026-03-19T15:00:00.000Z');
    // 19 March's meeting is one the end keeps, wherever it went: still on, and it may still be moved
    const stays = await getMeeting(hub, kept.ref, sam);
    expect(stays.cancelled).toBe(false);
    expect(stays.can.reschedule).toEqual({ allowed: true });
    // 26 March's is one it ends, though moved before that day: called off, and it stays so
    const off = await getMeeting(hub, gone.ref, sam);
    expect(off.cancelled).toBe(true);
    expect(off.can.restore).toEqual({ allowed: false, reason: AFTER_SERIES_END });
  });

  it('an ended series moved to another clock keeps the meetings its end kept (fuzz round 6)', async () => {
    const sam = await asActor(hub, 'sam');
    hub.clock.set('2026-03-20T09:00:00Z');
    const ended = await endSeries(hub, sam, series, (await getMeeting(hub, series, sam)).version, {
      from: '2026-03-26',
      reason: 'The group moves to a fortnightly call',
    });
    expect(ended.lastStartsAt).toBe('2026-03-19T15:00:00.000Z');
    // Thursday 16:00 in Berlin is Thursday 17:00 in Helsinki: the same meetings; the end's UNTIL, a
    // wall-clock 16:00 on 19 March, dropped the meeting of 19 March (17:00 there) once re-read there
    const moved = await updateMeeting(hub, sam, series, ended.version, { timeZone: 'Europe/Helsinki' });
    expect(moved.timeZone).toBe('Europe/Helsinki');
    expect(moved.lastStartsAt).toBe('2026-03-19T15:00:00.000Z');
    expect(moved.seriesEnd).toEqual({ from: '2026-03-26', reason: 'The group moves to a fortnightly call' });
  });

  it('an ended series moved to a clock that changes on other dates keeps every meeting its end kept', async () => {
    const sam = await asActor(hub, 'sam');
    // Mondays 16:00 in Berlin from 23 March (11:00 in New York, already on summer time; Berlin is not yet)
    const monday = await scheduleMeeting(hub, sam, {
      group: 'hosting',
      kind: 'process',
      title: 'Monday sync',
      startsAt: '2026-03-23T15:00:00Z',
      timeZone: 'Europe/Berlin',
      rrule: 'FREQ=WEEKLY;BYDAY=MO',
    });
    hub.clock.set('2026-03-24T09:00:00Z');
    const ended = await endSeries(hub, sam, monday.ref, (await getMeeting(hub, monday.ref, sam)).version, {
      from: '2026-04-28',
      reason: 'The group moves to a monthly call',
    });
    // kept: 23 and 30 March, 6, 13, 20 and 27 April
    expect(ended.lastStartsAt).toBe('2026-04-27T14:00:00.000Z');
    expect(ended.upcoming).toHaveLength(5);
    // on New York's clock the series meets at 11:00; the 27 April meeting stays, at 11:00 there
    const moved = await updateMeeting(hub, sam, monday.ref, ended.version, { timeZone: 'America/New_York' });
    expect(moved.lastStartsAt).toBe('2026-04-27T15:00:00.000Z');
    expect(moved.upcoming).toHaveLength(5);
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

  it('refuses a day with no effect or more than a year ahead, naming the field and the rule; nothing changes', async () => {
    const sam = await asActor(hub, 'sam');
    hub.clock.set('2026-03-20T09:00:00Z');
    const read = await getMeeting(hub, series, sam);
    const far = endSeries(hub, sam, series, read.version, { from: '2027-03-21', reason: 'Some day, perhaps' });
    await expect(far).rejects.toThrow(InvalidInput);
    await expect(far).rejects.toThrow('from: must be within a year of today (2027-03-20 at the latest)');
    // a year to the day is still accepted: the bound is the last day allowed, not one before it
    const counted = await scheduleMeeting(hub, sam, {
      group: 'hosting',
      kind: 'content',
      title: 'Four deep-dives',
      startsAt: '2026-03-24T15:00:00Z',
      timeZone: 'Europe/Berlin',
      rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=4',
    });
    // its last meeting is on 14 April: ending it from the 15th (or later) would change nothing
    const none = endSeries(hub, sam, counted.ref, counted.version, { from: '2026-04-15', reason: 'Nothing after' });
    await expect(none).rejects.toThrow(
      "from: is after the series' last meeting (Tue 2026-04-14 16:00 GMT+2): ending it then would change nothing",
    );
    const after = await getMeeting(hub, counted.ref);
    expect([after.version, after.seriesEnd, after.rrule]).toEqual([counted.version, null, counted.rrule]);
    // from its last meeting's day it still calls that meeting off
    const ended = await endSeries(hub, sam, counted.ref, counted.version, {
      from: '2026-04-14',
      reason: 'Three are enough',
    });
    expect(ended.lastStartsAt).toBe('2026-04-07T14:00:00.000Z');
    expect(
      (await endSeries(hub, sam, series, read.version, { from: '2027-03-20', reason: 'A year from now' })).seriesEnd,
    ).toEqual({ from: '2027-03-20', reason: 'A year from now' });
  });

  it('tells who sent written input to a meeting it calls off, as a cancel does; that meeting cannot be restored', async () => {
    hub.reactions.push(notificationsReaction({ mail: false }));
    const sam = await asActor(hub, 'sam');
    const bo = await asActor(hub, 'bo');
    await joinGroup(hub, bo, 'hosting', { level: 'participant' });
    hub.clock.set('2026-03-20T09:00:00Z');
    const own = await scheduleMeeting(hub, sam, {
      group: 'hosting',
      kind: 'process',
      title: 'Weekly sync',
      startsAt: '2026-04-02T14:00:00Z',
      timeZone: 'Europe/Berlin',
      seriesOf: series,
    });
    await addAgendaItem(hub, sam, own.ref, { title: 'Hosting costs' });
    await submitWrittenInput(hub, bo, own.ref, { item: 1, body: 'I cannot attend; my notes on costs are here.' });
    await endSeries(hub, sam, series, (await getMeeting(hub, series)).version, {
      from: '2026-03-26',
      reason: 'Fortnightly from now on',
    });
    // (their notice of its listing, on the same meeting, now says it is cancelled)
    const told = await hub.store.db
      .selectFrom('notifications')
      .select(['subject_ref', 'title'])
      .where('person_id', '=', bo.kind === 'person' ? bo.person.id : '')
      .where('subject_ref', '=', own.ref)
      .execute();
    expect(told).toEqual([
      {
        subject_ref: own.ref,
        title: `${own.ref} cancelled: Weekly sync (its series ${series} no longer meets from 2026-03-26)`,
      },
    ]);

    // the end ruled it out: restoring or editing it is refused in words, and it stays called off
    const off = await getMeeting(hub, own.ref, sam);
    expect(off.can.edit).toEqual({
      allowed: false,
      reason: 'Its series was ended before this meeting, so it stays called off; schedule a one-off meeting instead',
    });
    await expect(updateMeeting(hub, sam, own.ref, off.version, { cancelled: false })).rejects.toThrow(
      /Its series was ended before this meeting/,
    );
    await expect(updateMeeting(hub, sam, own.ref, off.version, { title: 'Back on' })).rejects.toThrow(Forbidden);
    // nor is anyone named to take its notes
    await expect(updateMeeting(hub, sam, own.ref, off.version, { noteTaker: 'bo' })).rejects.toThrow(Forbidden);
    expect((await getMeeting(hub, own.ref)).noteTaker ?? null).toBeNull();
    expect((await getMeeting(hub, own.ref)).cancelled).toBe(true);
    // nor is that start opened again as a meeting of the series
    await expect(
      scheduleMeeting(hub, sam, {
        group: 'hosting',
        kind: 'process',
        title: 'Weekly sync',
        startsAt: '2026-04-09T14:00:00Z',
        timeZone: 'Europe/Berlin',
        seriesOf: series,
      }),
    ).rejects.toThrow(`startsAt: ${series} no longer meets from 2026-03-26 (its series was ended)`);
  });

  it('a watcher of the group and a member hear of the end once, not once more for each meeting it calls off', async () => {
    hub.reactions.push(notificationsReaction({ mail: false }));
    const sam = await asActor(hub, 'sam');
    const bo = await asActor(hub, 'bo');
    await person(hub, 'cy');
    const cy = await asActor(hub, 'cy');
    await joinGroup(hub, bo, 'hosting', { level: 'participant' });
    await setSubscription(hub, cy, { subjectType: 'group', subjectRef: 'hosting', level: 'watching' });
    await setSubscription(hub, bo, { subjectType: 'group', subjectRef: 'hosting', level: 'watching' });
    hub.clock.set('2026-03-20T09:00:00Z');
    // three coming meetings of the series with a page of their own
    for (const startsAt of ['2026-04-02T14:00:00Z', '2026-04-09T14:00:00Z', '2026-04-16T14:00:00Z'])
      await scheduleMeeting(hub, sam, {
        group: 'hosting',
        kind: 'process',
        title: 'Weekly sync',
        startsAt,
        timeZone: 'Europe/Berlin',
        seriesOf: series,
      });
    const since = hub.clock.now().toISOString();
    hub.clock.set('2026-03-20T10:00:00Z');
    await endSeries(hub, sam, series, (await getMeeting(hub, series)).version, {
      from: '2026-03-26',
      reason: 'Fortnightly from now on',
    });
    for (const who of [cy, bo]) {
      // raised or raised again by the end
      const told = await hub.store.db
        .selectFrom('notifications')
        .select('title')
        .where('person_id', '=', who.kind === 'person' ? who.person.id : '')
        .where('updated_at', '>', since)
        .execute();
      expect(told.map((t) => t.title)).toEqual([
        expect.stringMatching(/^Weekly sync no longer meets from 2026-03-26 \(M-\d+, M-\d+, M-\d+ called off\)/),
      ]);
    }
  });

  it('an edit of a meeting it calls off, made while the series ends, is not overwritten: each moves the version', async () => {
    const sam = await asActor(hub, 'sam');
    hub.clock.set('2026-03-20T09:00:00Z');
    const own = await scheduleMeeting(hub, sam, {
      group: 'hosting',
      kind: 'process',
      title: 'Weekly sync',
      startsAt: '2026-04-02T14:00:00Z',
      timeZone: 'Europe/Berlin',
      seriesOf: series,
    });
    // the edit holds its transaction open after writing, until released
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    hub.reactions.push(async (_trx, _hub, e) => {
      if (e.kind === 'meeting.updated') await held;
    });
    const edited = updateMeeting(hub, sam, own.ref, own.version, { location: 'Room 2' });
    await new Promise((r) => setTimeout(r, 100));
    const ended = endSeries(hub, sam, series, (await getMeeting(hub, series)).version, {
      from: '2026-03-26',
      reason: 'Fortnightly from now on',
    });
    await new Promise((r) => setTimeout(r, 300));
    release();
    const [u, e] = await Promise.allSettled([edited, ended]);
    expect([u.status, e.status]).toEqual(['fulfilled', 'fulfilled']);
    const after = await getMeeting(hub, own.ref);
    expect(after.cancelled).toBe(true);
    expect(after.location).toBe('Room 2');
    // the edit and the cancel each moved it, so a calendar that saw the edit sees the cancel as newer
    expect(after.version).toBe(own.version + 2);
  });

  it('a called-off meeting restored while the series ends past it stays called off (fuzz round 6)', async () => {
    const sam = await asActor(hub, 'sam');
    hub.clock.set('2026-03-20T09:00:00Z');
    const own = await scheduleMeeting(hub, sam, {
      group: 'hosting',
      kind: 'process',
      title: 'Weekly sync',
      startsAt: '2026-04-02T14:00:00Z',
      timeZone: 'Europe/Berlin',
      seriesOf: series,
    });
    const off = await updateMeeting(hub, sam, own.ref, own.version, { cancelled: true });
    // the restore holds its transaction open after writing, until released
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    hub.reactions.push(async (_trx, _hub, e) => {
      if (e.kind === 'meeting.updated') await held;
    });
    const restored = updateMeeting(hub, sam, own.ref, off.version, { cancelled: false });
    await new Promise((r) => setTimeout(r, 100));
    const ended = endSeries(hub, sam, series, (await getMeeting(hub, series)).version, {
      from: '2026-03-26',
      reason: 'Fortnightly from now on',
    });
    await new Promise((r) => setTimeout(r, 300));
    release();
    await Promise.allSettled([restored, ended]);
    expect((await getMeeting(hub, series)).seriesEnd?.from).toBe('2026-03-26');
    // on PostgreSQL the restore read the series before the end and brought the meeting back past it
    const after = await getMeeting(hub, own.ref, sam);
    expect(after.cancelled).toBe(true);
    expect(after.can.edit).toMatchObject({ allowed: false });
  });

  it('opening a meeting of a series that the database fails to read is that failure, not "no meeting"', async () => {
    const sam = await asActor(hub, 'sam');
    const open = () =>
      scheduleMeeting(hub, sam, {
        group: 'hosting',
        kind: 'process',
        title: 'Weekly sync',
        startsAt: '2026-03-12T15:00:00Z',
        timeZone: 'Europe/Berlin',
        seriesOf: series,
      });
    await expect(open()).resolves.toMatchObject({ title: 'Weekly sync' });
    await expect(
      scheduleMeeting(hub, sam, {
        group: 'hosting',
        kind: 'process',
        title: 'x',
        startsAt: '2026-03-19T15:00:00Z',
        seriesOf: 'M-99',
      }),
    ).rejects.toThrow("seriesOf: no meeting 'M-99'");
    // the meetings table unreadable for a moment stands in for a lock wait cut short or a lost connection
    await sql`ALTER TABLE meetings RENAME TO meetings_away`.execute(hub.store.db);
    try {
      const failed = open();
      await expect(failed).rejects.toThrow(/meetings/);
      await expect(failed).rejects.not.toThrow(InvalidInput);
    } finally {
      await sql`ALTER TABLE meetings_away RENAME TO meetings`.execute(hub.store.db);
    }
  });

  it('an end and a meeting of the series opened at the same time take turns: none is left after the end', async () => {
    const sam = await asActor(hub, 'sam');
    hub.clock.set('2026-03-20T09:00:00Z');
    // the opening holds its transaction open after writing its meeting, until released
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let opening = false;
    hub.reactions.push(async (_trx, _hub, e) => {
      if (e.kind === 'meeting.scheduled' && opening) await held;
    });
    const read = await getMeeting(hub, series, sam);
    opening = true;
    const opened = scheduleMeeting(hub, sam, {
      group: 'hosting',
      kind: 'process',
      title: 'Weekly sync',
      startsAt: '2026-04-02T14:00:00Z',
      timeZone: 'Europe/Berlin',
      seriesOf: series,
    });
    await new Promise((r) => setTimeout(r, 100));
    const ended = endSeries(hub, sam, series, read.version, { from: '2026-03-26', reason: 'Fortnightly from now on' });
    await new Promise((r) => setTimeout(r, 300));
    release();
    const [o, e] = await Promise.allSettled([opened, ended]);
    expect(e.status).toBe('fulfilled');
    // opened first, so the end saw it and called it off
    expect(o.status).toBe('fulfilled');
    const ref = o.status === 'fulfilled' ? o.value.ref : '';
    expect((await getMeeting(hub, ref)).cancelled).toBe(true);

    // two ends from one read: one ends it, the other is refused, not applied over it
    const fresh = await scheduleMeeting(hub, sam, {
      group: 'hosting',
      kind: 'content',
      title: 'Deep-dives',
      startsAt: '2026-03-24T15:00:00Z',
      timeZone: 'Europe/Berlin',
      rrule: 'FREQ=WEEKLY;BYDAY=TU',
    });
    hub.clock.set('2026-03-25T09:00:00Z');
    const both = await Promise.allSettled([
      endSeries(hub, sam, fresh.ref, fresh.version, { from: '2026-04-07', reason: 'First end' }),
      endSeries(hub, sam, fresh.ref, fresh.version, { from: '2026-04-14', reason: 'Second end' }),
    ]);
    expect(both.map((b) => b.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refusal = both.find((b) => b.status === 'rejected') as PromiseRejectedResult;
    expect(String(refusal.reason)).toMatch(/already ended|changed by someone else/);
  });
});
