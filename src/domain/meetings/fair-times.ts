// Fair meeting times across time zones. Members "contribute asynchronously, allowing for
// participation regardless of time zone"; when a group does meet, no zone should always get the
// worst hour. Pure: zones come from the IANA database through luxon, nothing else is read.
//
// Convenience of a slot for one person, from 0 to 1: 1 when the whole meeting sits inside their
// working window; falling linearly to 0 as the meeting reaches `penaltyHours` beyond it; 0 when
// any of it touches their sleeping hours (the worst hour), or it starts on a day that is not a working
// day where they are (Saturday in Tokyo is Friday evening in California). Fairness is Jain's index over the
// participants' convenience, (Σx)² / (n·Σx²): 1 when everyone is equally well off.
import type { IANAZone } from 'luxon';
import { zones as zoneLibrary } from './libraries.ts';

export type Window = { start: string; end: string };
export type FairParticipant = { handle: string; timeZone: string; window?: Window };
export type FairSettings = {
  workingHours: Window;
  sleepingHours: Window;
  stepMinutes: number;
  penaltyHours: number;
  /** Alternatives start at least this many hours apart in the time of day (3 when not given). */
  apartHours?: number;
  /** The days people work, on their own calendar: 0 is Sunday (Monday to Friday when not given). */
  workingDays?: number[];
};

export type LocalSeat = {
  handle: string;
  timeZone: string;
  local: string;
  convenience: number;
  asleep: boolean;
  /** The meeting starts on a day that is not a working day on their calendar. */
  dayOff: boolean;
};
export type SlotScore = {
  startsAt: string;
  total: number;
  inWindow: number;
  worst: number;
  fairness: number;
  worstOff: string[];
};
export type SlotDetail = SlotScore & { participants: LocalSeat[] };

const DAY_MIN = 1440;
const MIN = 60_000;

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Minutes between two instants' times of day, round the clock (23:00 and 01:00 are 120 apart). */
export function clockDistance(a: number, b: number): number {
  const d = Math.abs(Math.floor(a / MIN) - Math.floor(b / MIN)) % DAY_MIN;
  return Math.min(d, DAY_MIN - d);
}

/** Whether minute m of the day lies in [start, end), windows may wrap midnight. */
function inside(m: number, start: number, end: number): boolean {
  return start <= end ? m >= start && m < end : m >= start || m < end;
}

/** Minutes from m to the window [start, end], counting its end as inside (a meeting may end at 17:00). */
function distanceOutside(m: number, start: number, end: number): number {
  if (inside(m, start, end) || m === end) return 0;
  const toStart = (start - m + DAY_MIN) % DAY_MIN;
  const sinceEnd = (m - end + DAY_MIN) % DAY_MIN;
  return Math.min(toStart, sinceEnd);
}

type Group = {
  key: string;
  timeZone: string;
  zone: IANAZone;
  offsets: ZoneOffsets;
  members: string[];
  table: Float64Array;
  asleep: Uint8Array;
};

const WEEK_MS = 7 * 86_400_000;

/**
 * A zone's UTC offset by week, found with two look-ups per week and a binary search in a week
 * the clocks change (no zone changes twice within a week): asking the IANA database for every
 * candidate start would cost most of the time.
 */
class ZoneOffsets {
  readonly #zone: IANAZone;
  readonly #days = new Map<number, { before: number; switchAt: number; after: number }>();
  constructor(zone: IANAZone) {
    this.#zone = zone;
  }
  /** How many weeks this zone keeps found. */
  get kept(): number {
    return this.#days.size;
  }
  at(t: number): number {
    const week = Math.floor(t / WEEK_MS);
    let d = this.#days.get(week);
    if (!d) {
      // kept for every request after, in every zone, so a bound: anyone may ask for any period up to
      // the year 9999, and each request a week later kept another week of every zone for good, some
      // 50 KB a request from one address without a token (attack round 31); the oldest found go first
      if (this.#days.size >= OFFSET_WEEKS_KEPT) this.#days.delete(this.#days.keys().next().value!);
      const start = week * WEEK_MS;
      const before = this.#zone.offset(start);
      const after = this.#zone.offset(start + WEEK_MS);
      let switchAt = start + WEEK_MS;
      if (before !== after) {
        // the first minute of the week at which the offset is the later one
        let lo = start,
          hi = start + WEEK_MS;
        while (hi - lo > MIN) {
          const mid = lo + Math.floor((hi - lo) / 2 / MIN) * MIN;
          if (this.#zone.offset(mid) === before) lo = mid;
          else hi = mid;
        }
        switchAt = hi;
      }
      d = { before, switchAt, after };
      this.#days.set(week, d);
    }
    return t < d.switchAt ? d.before : d.after;
  }
}

/** Convenience for every local start minute of the day, for one window and meeting length. */
function convenienceTable(
  w: Window,
  sleep: Window,
  duration: number,
  penaltyMinutes: number,
): { table: Float64Array; asleep: Uint8Array } {
  const ws = minutesOf(w.start),
    we = minutesOf(w.end),
    ss = minutesOf(sleep.start),
    se = minutesOf(sleep.end);
  const table = new Float64Array(DAY_MIN);
  const asleep = new Uint8Array(DAY_MIN);
  for (let s = 0; s < DAY_MIN; s++) {
    let excess = 0;
    let sleeping = false;
    // the meeting occupies [s, s + duration): the last minute is s + duration - 1
    // the meeting runs from s to s + duration; sampled every 5 minutes and at both ends
    for (let k = 0; k <= duration; k = k < duration ? Math.min(k + 5, duration) : duration + 1) {
      const m = (s + k) % DAY_MIN;
      excess = Math.max(excess, distanceOutside(m, ws, we));
    }
    // overlap of [s, s + duration) with the sleeping hours: it starts asleep, or sleep begins during it
    if (inside(s, ss, se) || (ss - s + DAY_MIN) % DAY_MIN < duration) sleeping = true;
    asleep[s] = sleeping ? 1 : 0;
    table[s] = sleeping ? 0 : Math.max(0, 1 - excess / penaltyMinutes);
  }
  return { table, asleep };
}

export function jain(xs: ArrayLike<number>, weights?: ArrayLike<number>): number {
  let sum = 0,
    sq = 0,
    n = 0;
  for (let i = 0; i < xs.length; i++) {
    const w = weights ? weights[i]! : 1;
    sum += xs[i]! * w;
    sq += xs[i]! * xs[i]! * w;
    n += w;
  }
  if (sq === 0) return 0;
  return (sum * sum) / (n * sq);
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const pad = (n: number) => String(n).padStart(2, '0');

/** "Tue 09:00" from an instant and a UTC offset in minutes (formatting through luxon costs more than the search). */
function wallClock(t: number, offset: number, withDay: boolean): string {
  const d = new Date(t + offset * MIN);
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return withDay ? `${WEEKDAYS[d.getUTCDay()]} ${hm}` : hm;
}

// zones are shared between participants and between runs in one process
const zoneOffsets = new Map<string, ZoneOffsets>();

/**
 * Weeks of offsets one zone keeps: more than one request looks at (a period of 31 days and a series of
 * 104 meetings touch some 110), so a request finds each week once; 600-odd zones keep at most some 20 MB.
 */
export const OFFSET_WEEKS_KEPT = 256;

/** How many weeks of offsets the process keeps, over every zone (what `OFFSET_WEEKS_KEPT` bounds). */
export function offsetWeeksKept(): number {
  let n = 0;
  for (const o of zoneOffsets.values()) n += o.kept;
  return n;
}
function offsetsOf(zone: IANAZone): ZoneOffsets {
  let o = zoneOffsets.get(zone.name);
  if (!o) {
    o = new ZoneOffsets(zone);
    zoneOffsets.set(zone.name, o);
  }
  return o;
}

/** Prepared participants: people sharing a zone and a window are one group, scored once. */
export class FairTimes {
  readonly groups: Group[];
  readonly duration: number;
  readonly settings: FairSettings;
  readonly count: number;
  readonly #working: boolean[];

  constructor(participants: FairParticipant[], durationMinutes: number, settings: FairSettings) {
    this.duration = durationMinutes;
    this.settings = settings;
    this.count = participants.length;
    const days = settings.workingDays ?? [1, 2, 3, 4, 5];
    this.#working = Array.from({ length: 7 }, (_, d) => days.includes(d));
    const byKey = new Map<string, Group>();
    // the table depends on the window only, not the zone
    const tables = new Map<string, ReturnType<typeof convenienceTable>>();
    for (const p of participants) {
      const w = p.window ?? settings.workingHours;
      const key = `${p.timeZone}|${w.start}-${w.end}`;
      let g = byKey.get(key);
      if (!g) {
        const zone = zoneLibrary().IANAZone.create(p.timeZone);
        if (!zone.isValid) throw new Error(`unknown time zone '${p.timeZone}' for ${p.handle}`);
        const tk = `${w.start}-${w.end}`;
        if (!tables.has(tk))
          tables.set(tk, convenienceTable(w, settings.sleepingHours, durationMinutes, settings.penaltyHours * 60));
        g = { key, timeZone: p.timeZone, zone, offsets: offsetsOf(zone), members: [], ...tables.get(tk)! };
        byKey.set(key, g);
      }
      g.members.push(p.handle);
    }
    this.groups = [...byKey.values()];
  }

  /** Each group's convenience at a UTC instant (milliseconds). */
  convenienceAt(t: number): Float64Array {
    const out = new Float64Array(this.groups.length);
    for (let i = 0; i < this.groups.length; i++) {
      const g = this.groups[i]!;
      const localMinutes = Math.floor(t / MIN) + g.offsets.at(t);
      const local = ((localMinutes % DAY_MIN) + DAY_MIN) % DAY_MIN;
      out[i] = this.#offDay(localMinutes) ? 0 : g.table[local]!;
    }
    return out;
  }

  /** Whether a local time (minutes since 1970 on someone's clock) falls on a day they do not work. */
  #offDay(localMinutes: number): boolean {
    // 1 January 1970, local day 0, was a Thursday (weekday 4)
    const day = Math.floor(localMinutes / DAY_MIN);
    return !this.#working[(((day + 4) % 7) + 7) % 7];
  }

  private weights(): Float64Array {
    return Float64Array.from(this.groups, (g) => g.members.length);
  }

  score(t: number): SlotScore {
    const c = this.convenienceAt(t);
    const w = this.weights();
    let total = 0,
      inWindow = 0,
      worst = Infinity;
    for (let i = 0; i < c.length; i++) {
      total += c[i]! * w[i]!;
      if (c[i] === 1) inWindow += w[i]!;
      worst = Math.min(worst, c[i]!);
    }
    // nobody is worst off when everyone is inside their window
    const worstOff = worst < 1 ? this.groups.filter((_, i) => c[i] === worst).map((g) => g.timeZone) : [];
    return {
      startsAt: new Date(t).toISOString(),
      total: round3(total),
      inWindow,
      worst: round3(worst),
      fairness: round3(jain(c, w)),
      worstOff: [...new Set(worstOff)],
    };
  }

  detail(t: number): SlotDetail {
    const s = this.score(t);
    const c = this.convenienceAt(t);
    const participants: LocalSeat[] = [];
    this.groups.forEach((g, i) => {
      const local = wallClock(t, g.offsets.at(t), true);
      const localEnd = wallClock(t + this.duration * MIN, g.offsets.at(t + this.duration * MIN), false);
      const utcMin = Math.floor(t / MIN) % DAY_MIN;
      const lm = (((utcMin + g.offsets.at(t)) % DAY_MIN) + DAY_MIN) % DAY_MIN;
      for (const h of g.members)
        participants.push({
          handle: h,
          timeZone: g.timeZone,
          local: `${local}–${localEnd}`,
          convenience: round3(c[i]!),
          asleep: g.asleep[lm] === 1,
          dayOff: this.#offDay(Math.floor(t / MIN) + g.offsets.at(t)),
        });
    });
    return { ...s, participants };
  }

  /**
   * The best start times in [from, to), every `stepMinutes`: most convenience in total, then the
   * best-off worst seat, then fairness. The alternatives are other times of day, not the best one
   * shifted by a step or moved to the next day: each starts at least `apartHours` (3 by default)
   * from every one chosen before it, on the clock, so the list spreads across the day and the
   * zones that the best slot serves worst get a time of their own. Only when the day holds fewer
   * such times than asked for are the rest filled with the best meetings that overlap none chosen.
   */
  bestSlots(from: string, to: string, top = 5): SlotDetail[] {
    const step = this.settings.stepMinutes * MIN;
    const start = Math.ceil(Date.parse(from) / step) * step;
    const end = Date.parse(to);
    const scored: SlotScore[] = [];
    for (let t = start; t + this.duration * MIN <= end; t += step) scored.push(this.score(t));
    scored.sort(
      (a, b) =>
        b.total - a.total || b.worst - a.worst || b.fairness - a.fairness || a.startsAt.localeCompare(b.startsAt),
    );
    const apart = (this.settings.apartHours ?? 3) * 60;
    const chosen: number[] = [];
    const pick = (ok: (t: number) => boolean) => {
      for (const s of scored) {
        if (chosen.length >= top) break;
        const t = Date.parse(s.startsAt);
        if (!chosen.includes(t) && ok(t)) chosen.push(t);
      }
    };
    pick((t) => chosen.every((c) => clockDistance(c, t) >= apart));
    pick((t) => chosen.every((c) => Math.abs(c - t) >= this.duration * MIN));
    return chosen.map((t) => this.detail(t));
  }

  /**
   * A time for each meeting of a series (one per `dayStarts` entry, each a UTC midnight), rotating
   * so the burden of bad hours is shared: each meeting takes the time of day that keeps the worst
   * cumulative burden of any zone lowest, then the total burden. A fixed slot makes the same zone
   * pay every time; this moves the bad hour round.
   */
  rotate(dayStarts: string[]): Rotation {
    const step = this.settings.stepMinutes;
    const n = this.groups.length;
    const burden = new Float64Array(n);
    const convenienceSum = new Float64Array(n);
    const worstCount = new Map<string, number>(this.groups.map((g) => [g.timeZone, 0]));
    const meetings: SlotDetail[] = [];
    for (const day of dayStarts) {
      const base = Date.parse(day);
      let best: { t: number; max: number; total: number } | null = null;
      for (let m = 0; m < DAY_MIN; m += step) {
        const t = base + m * MIN;
        const c = this.convenienceAt(t);
        let max = 0,
          total = 0;
        for (let i = 0; i < n; i++) {
          const b = burden[i]! + (1 - c[i]!);
          max = Math.max(max, b);
          total += (1 - c[i]!) * this.groups[i]!.members.length;
        }
        if (!best || max < best.max - 1e-9 || (Math.abs(max - best.max) <= 1e-9 && total < best.total - 1e-9))
          best = { t, max, total };
      }
      const c = this.convenienceAt(best!.t);
      for (let i = 0; i < n; i++) {
        burden[i] = burden[i]! + (1 - c[i]!);
        convenienceSum[i] = convenienceSum[i]! + c[i]!;
      }
      const d = this.detail(best!.t);
      for (const z of d.worstOff) worstCount.set(z, (worstCount.get(z) ?? 0) + 1);
      meetings.push(d);
    }
    const k = Math.max(1, dayStarts.length);
    return {
      meetings,
      zones: this.groups.map((g, i) => ({
        timeZone: g.timeZone,
        members: g.members,
        averageConvenience: round3(convenienceSum[i]! / k),
        worstHourCount: worstCount.get(g.timeZone) ?? 0,
      })),
      fairness: round3(
        jain(
          Float64Array.from(convenienceSum, (x) => x / k),
          this.weights(),
        ),
      ),
    };
  }
}

export type Rotation = {
  meetings: SlotDetail[];
  zones: { timeZone: string; members: string[]; averageConvenience: number; worstHourCount: number }[];
  /** Jain's index over each participant's average convenience across the series. */
  fairness: number;
};

/** The figures for one fixed time of day repeated on every day given (to compare with a rotation). */
export function fixedSeries(ft: FairTimes, dayStarts: string[], minuteOfDay: number): Rotation {
  const sums = new Float64Array(ft.groups.length);
  const worstCount = new Map<string, number>();
  const meetings = dayStarts.map((d) => {
    const t = Date.parse(d) + minuteOfDay * MIN;
    const c = ft.convenienceAt(t);
    c.forEach((x, i) => {
      sums[i] = sums[i]! + x;
    });
    const det = ft.detail(t);
    for (const z of det.worstOff) worstCount.set(z, (worstCount.get(z) ?? 0) + 1);
    return det;
  });
  const k = Math.max(1, dayStarts.length);
  return {
    meetings,
    zones: ft.groups.map((g, i) => ({
      timeZone: g.timeZone,
      members: g.members,
      averageConvenience: round3(sums[i]! / k),
      worstHourCount: worstCount.get(g.timeZone) ?? 0,
    })),
    fairness: round3(
      jain(
        Float64Array.from(sums, (x) => x / k),
        Float64Array.from(ft.groups, (g) => g.members.length),
      ),
    ),
  };
}
