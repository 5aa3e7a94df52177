// Ending a series that has begun. A started series cannot be cancelled (its past meetings were
// held, or not, and their notes and attendance stay); a facilitator ends it from a day instead,
// saying why: its rule then stops at the last meeting before that day, the meetings after it that
// had a page of their own are called off, and the series page says from when and why.
import { sql } from 'kysely';
import { LIMITS } from '../../domain/limits.ts';
import {
  dayIn,
  dayStartsAt,
  localTime,
  reachesEnd,
  ruleEndingAt,
  startsReaching,
  yearsAfter,
} from '../../domain/meetings/recurrence.ts';
import { Forbidden } from '../../domain/errors.ts';
import { isAlreadySo } from '../../domain/policies/verdict.ts';
import { authorize } from '../core/gate.ts';
import { inTransaction, nowIso, record, requireVersion, writeOrConflict, type Actor, type Hub } from '../core/hub.ts';
import { InputCheck } from '../core/validate.ts';
import { meetingCan, meetingRef, meetingRowAt, meetingView, type MeetingView } from './meetings.ts';
import { EndSeriesInput } from './schemas.ts';

export async function endSeries(
  hub: Hub,
  actor: Actor,
  ref: string,
  expectedVersion: number | undefined,
  raw: unknown,
): Promise<MeetingView> {
  const check = new InputCheck(EndSeriesInput, raw);
  return inTransaction(hub, async (trx) => {
    // held until commit on PostgreSQL, as opening one of its meetings holds it: an occurrence opened
    // while the series ends is either seen and called off here, or refused there by the new rule
    const m = await meetingRowAt(trx, hub, ref, actor, { lock: hub });
    const can = (await meetingCan(trx, hub, actor, m)).meeting;
    // ended again from the day it was ended from (a second click) is already as asked (409); from
    // another day it is refused as it was before (403: a series ends once), and a day that is no day
    // at all is told as such (422), to one the policy let as far as its state
    if (isAlreadySo(can.endSeries) && check.fields.from !== m.series_ended_from) {
      if (!check.ok('from')) check.done();
      throw new Forbidden(
        `The series is already ended, from ${m.series_ended_from}: a series ends once; schedule a new series for a new rhythm`,
        { action: 'endSeries' },
      );
    }
    authorize(can, 'endSeries');
    const expected = requireVersion(expectedVersion, 'a meeting');
    const rule = m.rrule!;
    const now = nowIso(hub);
    const today = dayIn(now, m.time_zone);
    const from = check.fields.from;
    const latest = yearsAfter(today, LIMITS.recurrence.endWithinYears);
    if (from && check.ok('from') && from < today)
      check.add('from', `must be today (${today}) or later: the meetings already held stay as they were`);
    else if (from && check.ok('from') && from > latest)
      check.add(
        'from',
        `must be within a year of today (${latest} at the latest): end a series for the meetings people expect, and change a rhythm further off nearer the time`,
      );
    // a meeting under way today is kept: only what has not begun is called off
    const cutoff = from && check.ok('from') ? [dayStartsAt(from, m.time_zone), now].sort()[1]! : null;
    const starts = cutoff ? startsReaching(m.starts_at, m.time_zone, rule, cutoff) : [];
    const kept = starts.filter((s) => s < cutoff!);
    if (cutoff && !kept.length)
      check.add(
        'from',
        `is on or before the series' first meeting (${localTime(m.starts_at, m.time_zone)}): cancel the series instead`,
      );
    else if (cutoff && kept.length === starts.length && reachesEnd(rule, starts))
      check.add(
        'from',
        `is after the series' last meeting (${localTime(starts.at(-1)!, m.time_zone)}): ending it then would change nothing`,
      );
    const input = check.done();
    const last = kept.at(-1)!;
    const row = await writeOrConflict(
      trx,
      hub,
      { table: 'meetings', id: m.id, what: meetingRef(m) },
      expected,
      { rrule: ruleEndingAt(rule, last, m.time_zone), series_ended_from: input.from, series_end_reason: input.reason },
      () => meetingRowAt(trx, hub, ref, actor),
      (current) => meetingView(trx, hub, current),
    );
    // the coming meetings of the series that had a page of their own are called off with it; on
    // PostgreSQL each is held (after the series, as everywhere) so an edit of one made meanwhile is
    // waited for and seen, and the cancel moves its version on from there: a calendar's SEQUENCE
    // follows the version, and a cancel that reused the edit's would not read as newer
    let coming = trx
      .selectFrom('meetings')
      .select(['id', 'number', 'starts_at', 'title'])
      .where('series_id', '=', m.id)
      // by the start each stands for (one moved alone stands for the start it was opened at), so one
      // the end keeps stays wherever it was moved, and one it ends goes though moved before the day;
      // one moved to a time already begun is not called off, as a meeting under way is kept
      .where((eb) => eb.fn.coalesce('series_start', 'starts_at'), '>=', cutoff!)
      .where('starts_at', '>=', now)
      .where('cancelled_at', 'is', null);
    // by id, the order among a series' meetings that a member leaving holds them in too
    if (hub.store.kind === 'postgres') coming = coming.orderBy('id').forUpdate();
    const called = await coming.execute();
    for (const o of called)
      await trx
        .updateTable('meetings')
        .set({ cancelled_at: now, version: sql<number>`version + 1`, updated_at: now })
        .where('id', '=', o.id)
        .execute();
    const after = await meetingView(trx, hub, row, actor);
    await record(
      trx,
      hub,
      actor,
      'meeting.series-ended',
      { type: 'meeting', id: after.ref },
      { rrule: m.rrule },
      {
        from: input.from,
        reason: input.reason,
        rrule: row.rrule,
        lastStartsAt: last,
        calledOff: called.map((o) => `M-${o.number}`),
      },
    );
    // each called-off meeting is cancelled in the log as a single cancel is, so those who sent it
    // written input hear of it and its page's history says so; the members heard of the end above
    for (const o of called)
      await record(
        trx,
        hub,
        actor,
        'meeting.cancelled',
        { type: 'meeting', id: meetingRef(o) },
        { startsAt: o.starts_at, title: o.title },
        { cancelled: true, seriesEnded: after.ref, from: input.from },
      );
    return after;
  });
}
