// Fair times for a group's meeting: best slots, and a rotation for a series, from the participants'
// zones and working windows (a group's active members with the governance file's default window,
// or a list given by the caller).
import { invalid } from '../../domain/errors.ts';
import { LIMITS } from '../../domain/limits.ts';
import { zones } from '../../domain/meetings/libraries.ts';
import {
  FairTimes,
  fixedSeries,
  type FairParticipant,
  type Rotation,
  type SlotDetail,
} from '../../domain/meetings/fair-times.ts';
import { WEEKDAYS } from '../../domain/governance/schema.ts';
import { groupRow, membersOf } from '../groups/groups.ts';
import type { Hub } from '../core/hub.ts';
import { FairTimesInput } from './schemas.ts';
import { parseInput } from '../core/validate.ts';

export type FairTimesResult = {
  participants: number;
  zones: number;
  from: string;
  to: string;
  durationMinutes: number;
  workingHours: { start: string; end: string };
  best: SlotDetail[];
  /** For a series: a time per meeting, rotated, beside the best fixed slot repeated for comparison. */
  series: { rotation: Rotation; fixed: Rotation } | null;
};

export async function proposeFairTimes(hub: Hub, raw: unknown): Promise<FairTimesResult> {
  const input = parseInput(FairTimesInput, raw);
  const participants: FairParticipant[] = [...(input.participants ?? [])];
  if (input.group) {
    const g = await groupRow(hub.store.db, input.group).catch(() => {
      throw invalid('group', `no group '${input.group}'`);
    });
    const members = (await membersOf(hub.store.db, hub, g.id)).filter((m) => !m.emeritus);
    const zones = await hub.store.db
      .selectFrom('people')
      .select(['handle', 'time_zone'])
      .where('handle', 'in', members.length ? members.map((m) => m.handle) : [''])
      .execute();
    for (const z of zones)
      if (!participants.some((p) => p.handle === z.handle))
        participants.push({ handle: z.handle, timeZone: z.time_zone });
  }
  if (!participants.length) throw invalid('group', `${input.group} has no active members to find a time for`);
  const m = hub.governance.meetings;
  boundWork(
    participants,
    m.workingHours,
    m.fairTimes.stepMinutes,
    input,
    input.participants?.length ? 'participants' : 'group',
  );
  const ft = new FairTimes(participants, input.durationMinutes, {
    workingHours: m.workingHours,
    sleepingHours: m.sleepingHours,
    stepMinutes: m.fairTimes.stepMinutes,
    penaltyHours: m.fairTimes.penaltyHours,
    apartHours: m.fairTimes.alternativesApartHours,
    workingDays: m.workingDays.map((d) => WEEKDAYS.indexOf(d)),
  });
  const { DateTime } = zones();
  // never a slot in the past: the window starts now at the earliest
  const asked = DateTime.fromISO(input.from, { zone: 'utc' });
  const now = DateTime.fromJSDate(hub.clock.now(), { zone: 'utc' });
  const from = asked < now ? now : asked;
  const to = from.plus({ days: input.days });
  const best = ft.bestSlots(from.toISO()!, to.toISO()!, input.top);
  let series: FairTimesResult['series'] = null;
  if (input.series) {
    // on the best slot's day: the window's first day may be everyone's weekend (a window of at least
    // a day, the schema's least, always holds a slot of at most 8 hours)
    const day0 = DateTime.fromISO(best[0]!.startsAt, { zone: 'utc' }).startOf('day');
    const days = Array.from(
      { length: input.series.count },
      (_, i) => day0.plus({ days: i * input.series!.everyDays }).toISO()!,
    );
    const top = best[0]!;
    const minuteOfDay =
      DateTime.fromISO(top.startsAt, { zone: 'utc' }).hour * 60 +
      DateTime.fromISO(top.startsAt, { zone: 'utc' }).minute;
    series = { rotation: ft.rotate(days), fixed: fixedSeries(ft, days, minuteOfDay) };
  }
  return {
    participants: participants.length,
    zones: ft.groups.length,
    from: from.toISO()!,
    to: to.toISO()!,
    durationMinutes: input.durationMinutes,
    workingHours: m.workingHours,
    best,
    series,
  };
}

/**
 * The work one request may ask for, refused up front naming the rule: every different working window
 * is a table of the day's minutes, every pair of zone and window is scored at every slot of the
 * period, and every slot listed names every participant's local time. 5,000 participants with a
 * window each took 14 s, and 5,000 with the 50 best times and a series of 104 answered 138 MB after
 * 17 s, the event loop held all along (anyone may ask: no token is needed).
 */
function boundWork(
  participants: FairParticipant[],
  workingHours: { start: string; end: string },
  stepMinutes: number,
  input: { top: number; days: number; series?: { count: number } | undefined },
  field: 'participants' | 'group',
): void {
  const { windows, groups, seats } = LIMITS.fairTimes;
  const windowOf = (p: FairParticipant) => `${(p.window ?? workingHours).start}-${(p.window ?? workingHours).end}`;
  const distinctWindows = new Set(participants.map(windowOf)).size;
  if (distinctWindows > windows)
    throw invalid(field, `must have at most ${windows} different working windows (these have ${distinctWindows})`);
  const pairs = new Set(participants.map((p) => `${p.timeZone}|${windowOf(p)}`)).size;
  if (pairs > groups)
    throw invalid(
      field,
      `must have at most ${groups} different pairs of time zone and working window (these have ${pairs})`,
    );
  const slots = input.top + 2 * (input.series?.count ?? 0);
  if (participants.length * slots > seats)
    throw invalid(
      input.series ? 'series.count' : 'top',
      `${participants.length} participants at ${input.top} best times${input.series ? ` and a series of ${input.series.count} (rotated and fixed)` : ''} would list ${participants.length * slots} local times; at most ${seats} are listed in one answer: ask for fewer best times${input.series ? ' or a shorter series' : ''}, or fewer participants`,
    );
  // every pair is scored at every step of the period and of each series meeting's day: 418 zones over
  // 31 days held the event loop a second, asked by anyone (attack round 31)
  const perDay = Math.ceil(1440 / stepMinutes);
  const scores = pairs * perDay * (input.days + (input.series?.count ?? 0));
  if (scores > LIMITS.fairTimes.scores)
    throw invalid(
      input.series && pairs * perDay * input.days <= LIMITS.fairTimes.scores ? 'series.count' : 'days',
      `${pairs} pairs of time zone and working window over ${input.days} days${input.series ? ` and a series of ${input.series.count} meetings` : ''}, every ${stepMinutes} minutes, would be ${scores} scores; at most ${LIMITS.fairTimes.scores} are computed for one request: ask for fewer days${input.series ? ' or a shorter series' : ''}, or fewer time zones`,
    );
}
