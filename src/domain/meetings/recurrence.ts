// A series repeats in the organiser's wall-clock time (RFC 5545 semantics for DTSTART;TZID):
// a 16:00 Berlin meeting stays at 16:00 in Berlin across daylight-saving changes, so its UTC
// time moves. rrule expands the rule over "floating" wall-clock times; luxon maps each back to UTC.
import type { RRule } from 'rrule';
import { LIMITS } from '../limits.ts';
import { recurrence, zones } from './libraries.ts';

const rrulestr = (s: string, o: { dtstart: Date }) => recurrence().rrulestr(s, o) as RRule;

const { maxOccurrences, maxPeriods, maxInterval } = LIMITS.recurrence;
const FREQUENCIES = ['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY'];

/**
 * Expands a rule, stepping through at most `maxPeriods` periods (days, weeks…). rrule's own loop
 * only stops on an occurrence or in the year 9999, so a rule that matches nothing (BYSETPOS
 * beyond the set, February 30th) would run for seconds to hours on the event loop. rrule reads
 * `options.interval` twice per period and stops when it is 0: the getter counts those reads and
 * answers 0 once the budget is spent, ending the loop where it stands.
 */
function expand(rule: RRule, limit: number, more: (d: Date) => boolean = () => true): Date[] {
  const interval = rule.options.interval;
  let reads = 0;
  Object.defineProperty(rule.options, 'interval', {
    get: () => (++reads > 2 * maxPeriods + 2 ? 0 : interval),
    configurable: true,
  });
  return rule.all((d, i) => i < limit && more(d));
}

/** Checks an RRULE (without DTSTART); returns its problems in words, joined, or null when it is fine. */
export function ruleProblem(rule: string): string | null {
  const problems = ruleProblems(rule);
  return problems.length ? problems.join('; ') : null;
}

const DAY = '(MO|TU|WE|TH|FR|SA|SU)';
/** The value each part may take (RFC 5545 3.3.10), checked here: rrule's parser reads many wrong (BYMONTH=x) or fails unnamed. */
const PART_VALUES: Record<string, { test: (v: string) => boolean; rule: string }> = {
  BYDAY: {
    test: (v) => v.split(',').every((d) => new RegExp(`^([+-]?([1-9]|[1-4]\\d|5[0-3]))?${DAY}$`, 'i').test(d)),
    rule: 'BYDAY must list days (MO, TU, WE, TH, FR, SA, SU), each with an optional position as 2TH or -1FR',
  },
  BYMONTH: { test: (v) => listed(v, 1, 12, false), rule: 'BYMONTH must list months from 1 to 12' },
  BYMONTHDAY: { test: (v) => listed(v, 1, 31, true), rule: 'BYMONTHDAY must list days from -31 to 31, none of them 0' },
  BYYEARDAY: {
    test: (v) => listed(v, 1, 366, true),
    rule: 'BYYEARDAY must list days from -366 to 366, none of them 0',
  },
  BYWEEKNO: { test: (v) => listed(v, 1, 53, true), rule: 'BYWEEKNO must list weeks from -53 to 53, none of them 0' },
  UNTIL: {
    test: (v) => /^\d{8}(T\d{6}Z?)?$/i.test(v),
    rule: 'UNTIL must be a date as YYYYMMDD or a time as YYYYMMDDTHHMMSSZ',
  },
};
const PARTS = [
  'FREQ',
  'INTERVAL',
  'COUNT',
  'WKST',
  'BYSETPOS',
  'BYHOUR',
  'BYMINUTE',
  'BYSECOND',
  ...Object.keys(PART_VALUES),
];
/** Parts known but refused in a meeting's rule (told in their own words below). */
const TIME_OF_DAY_PARTS = ['BYHOUR', 'BYMINUTE', 'BYSECOND'];
/** The parts a meeting's rule may carry: what a refusal of an unknown part lists. */
const MEETING_PARTS = PARTS.filter((p) => !TIME_OF_DAY_PARTS.includes(p));

/** Whether `v` lists whole numbers from `min` to `max` (and their negatives when `signed`). */
function listed(v: string, min: number, max: number, signed: boolean): boolean {
  return v
    .split(',')
    .every((n) => (signed ? /^[+-]?\d{1,3}$/ : /^\+?\d{1,3}$/).test(n) && Math.abs(+n) >= min && Math.abs(+n) <= max);
}

/**
 * Every problem of an RRULE at once, in words (empty when it is fine), as a form names every mistake:
 * `INTERVAL=0;BYDAY=XX` names both, not only the first. Whether the rule as a whole meets at all is
 * asked only of a rule whose parts are each right.
 */
export function ruleProblems(rule: string): string[] {
  const text = rule.replace(/^RRULE:/i, '').trim();
  const problems: string[] = [];
  if (!/^FREQ=/i.test(text) && !/;FREQ=/i.test(text))
    problems.push('must be an RFC 5545 RRULE with a FREQ, e.g. FREQ=WEEKLY;INTERVAL=2;BYDAY=TH');
  if (/DTSTART|TZID/i.test(text)) problems.push('must not carry DTSTART or TZID: the meeting start and zone give them');
  // each part once (RFC 5545): the checks below read the first FREQ or INTERVAL and rrule the last,
  // so FREQ=DAILY;FREQ=MINUTELY passed as daily and met every minute
  const names = text.split(';').map((part) => part.split('=')[0]!.trim().toUpperCase());
  for (const twice of new Set(names.filter((n, i) => n && names.indexOf(n) !== i)))
    problems.push(`must give ${twice} once (it is given ${names.filter((n) => n === twice).length} times)`);
  // a part that is no NAME=VALUE (WEEKLY alone) is told by the FREQ it lacks
  const named = text
    .split(';')
    .filter((part) => part.includes('='))
    .map((part) => part.split('=')[0]!.trim().toUpperCase());
  const unknown = [...new Set(named.filter((n) => n && !PARTS.includes(n) && n !== 'DTSTART' && n !== 'TZID'))];
  if (unknown.length)
    problems.push(`must not carry ${unknown.join(', ')}: a rule's parts are ${MEETING_PARTS.join(', ')}`);
  const count = /(?:^|;)COUNT=([^;]*)/i.exec(text)?.[1];
  if (count !== undefined && !(/^\d{1,4}$/.test(count) && +count >= 1))
    problems.push(`COUNT must be a whole number from 1 to ${maxOccurrences}`);
  else if (count !== undefined && +count > maxOccurrences) problems.push(`COUNT must be at most ${maxOccurrences}`);
  const wkst = /(?:^|;)WKST=([^;]*)/i.exec(text)?.[1];
  if (wkst !== undefined && !/^(MO|TU|WE|TH|FR|SA|SU)$/i.test(wkst))
    problems.push('WKST must be a day: MO, TU, WE, TH, FR, SA or SU');
  const freq = /(?:^|;)FREQ=([A-Z]+)/i.exec(text)?.[1]?.toUpperCase();
  if (/(?:^|;)FREQ=/i.test(text) && (!freq || !FREQUENCIES.includes(freq)))
    problems.push(
      `is not a valid RRULE for a meeting: FREQ must be ${FREQUENCIES.join(', ')} (a series repeats at most daily)`,
    );
  // FREQ alone does not bound how often: BYHOUR=0,1,…,23 (or BYMINUTE, BYSECOND) in a weekly rule
  // sets a meeting every hour (or minute); the time of day is the meeting's start, so they are refused
  for (const byTime of TIME_OF_DAY_PARTS)
    if (new RegExp(`(?:^|;)${byTime}=`, 'i').test(text))
      problems.push(
        `must not carry ${byTime}: a series repeats at most daily, at the meeting's own start time (schedule another meeting for another time of day)`,
      );
  const interval = /(?:^|;)INTERVAL=([^;]*)/i.exec(text)?.[1];
  if (interval !== undefined && !(/^\d{1,4}$/.test(interval) && +interval >= 1 && +interval <= maxInterval))
    problems.push(`INTERVAL must be a whole number from 1 to ${maxInterval}`);
  const setpos = /(?:^|;)BYSETPOS=([^;]*)/i.exec(text)?.[1];
  if (
    setpos !== undefined &&
    !setpos.split(',').every((v) => /^[+-]?\d{1,3}$/.test(v) && +v !== 0 && Math.abs(+v) <= 366)
  )
    problems.push('BYSETPOS must list positions from -366 to 366, none of them 0');
  for (const [name, value] of Object.entries(PART_VALUES)) {
    const given = new RegExp(`(?:^|;)${name}=([^;]*)`, 'i').exec(text)?.[1];
    if (given !== undefined && !value.test(given)) problems.push(value.rule);
  }
  if (problems.length) return problems;
  let r: RRule;
  try {
    r = rrulestr(`RRULE:${text}`, { dtstart: new Date(Date.UTC(2026, 0, 1)) });
  } catch (e) {
    return [`is not a valid RRULE (${(e as Error).message})`];
  }
  if (r.options.count !== null && r.options.count > maxOccurrences) return [`COUNT must be at most ${maxOccurrences}`];
  if (!expand(r, 1).length)
    return [
      `never falls on a day within ${maxPeriods} ${freq === 'DAILY' ? 'days' : freq === 'WEEKLY' ? 'weeks' : freq === 'MONTHLY' ? 'months' : 'years'} of its start: check BYSETPOS, BYMONTHDAY and BYMONTH`,
    ];
  return [];
}

export function normaliseRule(rule: string): string {
  return rule
    .replace(/^RRULE:/i, '')
    .trim()
    .toUpperCase();
}

/** Wall-clock fields of an instant in a zone, as a UTC Date (the "floating" form rrule expands). */
function floating(utc: string, zone: string): Date {
  const l = zones().DateTime.fromISO(utc, { zone: 'utc' }).setZone(zone);
  return new Date(Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second));
}

function fromFloating(d: Date, zone: string): string {
  return zones()
    .DateTime.fromObject(
      {
        year: d.getUTCFullYear(),
        month: d.getUTCMonth() + 1,
        day: d.getUTCDate(),
        hour: d.getUTCHours(),
        minute: d.getUTCMinutes(),
        second: d.getUTCSeconds(),
      },
      { zone },
    )
    .toUTC()
    .toISO({ suppressMilliseconds: false })!;
}

/** Every start of a series in UTC (the first is the meeting's own start); a one-off has just its start. */
export function occurrences(
  startsAt: string,
  zone: string,
  rule: string | null,
  limit: number = maxOccurrences,
): string[] {
  const first = new Date(startsAt).toISOString();
  if (!rule) return [first];
  const r = rrulestr(`RRULE:${normaliseRule(rule)}`, { dtstart: floating(startsAt, zone) });
  return expand(r, Math.min(limit, maxOccurrences)).map((d) => new Date(fromFloating(d, zone)).toISOString());
}

/**
 * Why a series cannot start at `startsAt`, or null when it can. rrule (unlike RFC 5545's DTSTART)
 * does not count a start off the rule as a meeting, yet the series' own meeting is held there, so a
 * Tuesday start of a Mondays rule listed one Tuesday meeting nobody asked for. The answer names the
 * first start the rule gives, in the series' zone, so the organiser can take it.
 */
export function startProblem(startsAt: string, zone: string, rule: string): string | null {
  const start = new Date(startsAt).toISOString();
  const [first] = occurrences(start, zone, rule, 1);
  if (first === start) return null;
  if (!first) return `the start is after the rule's last meeting (${normaliseRule(rule)}): the series would never meet`;
  return `the start (${localTime(start, zone)}) is not a meeting the rule ${normaliseRule(rule)} gives: start the series on its first meeting, ${first} (${localTime(first, zone)})`;
}

/**
 * A series' starts around `after`: its expansion from the first start, and while that stops at the
 * cap before reaching `after` (a rule without COUNT: open-ended or with UNTIL), expanded again from
 * its latest start, at most 20 times (a daily series of about 28 years). A long-running series thus
 * still has its next meetings, where `occurrences` would end at its 520th.
 */
export function startsReaching(startsAt: string, zone: string, rule: string | null, after: string): string[] {
  let starts = occurrences(startsAt, zone, rule);
  if (!rule || /(?:^|;)COUNT=/.test(normaliseRule(rule))) return starts;
  for (let round = 0; round < 20 && starts.length === maxOccurrences && starts.at(-1)! <= after; round++)
    starts = occurrences(starts.at(-1)!, zone, rule);
  return starts;
}

/**
 * A rule without COUNT expanded from a little before `from` rather than from its first start: its
 * first start moved on by whole repetitions (INTERVAL periods), so the days, weeks, months or years it
 * meets on stay in step, with what rrule would take from the first start (a monthly series' day, a
 * weekly one's weekday) written into the rule. Null when `from` is within two repetitions of the first
 * start (the plain expansion reaches it) or the rule has COUNT (its meetings are counted from the first).
 * However long a series runs, finding its next starts costs one expansion (LIMITS.recurrence bounds it).
 */
function expandedNear(startsAt: string, zone: string, rule: string, from: string): RRule | null {
  const text = normaliseRule(rule);
  if (/(?:^|;)COUNT=/.test(text)) return null;
  const dtstart = floating(startsAt, zone);
  const r = rrulestr(`RRULE:${text}`, { dtstart });
  const { RRule } = recurrence();
  const o = r.origOptions;
  const interval = o.interval ?? 1;
  const target = floating(new Date(from).toISOString(), zone);
  const DAY = 86_400_000;
  const [y, mo] = [dtstart.getUTCFullYear(), dtstart.getUTCMonth()];
  const freq = r.options.freq;
  const periods =
    freq === RRule.DAILY
      ? Math.floor((target.getTime() - dtstart.getTime()) / DAY)
      : freq === RRule.WEEKLY
        ? Math.floor((target.getTime() - dtstart.getTime()) / (7 * DAY))
        : freq === RRule.MONTHLY
          ? (target.getUTCFullYear() - y) * 12 + target.getUTCMonth() - mo
          : target.getUTCFullYear() - y;
  // a whole repetition short of `from`, so none of its starts at or after `from` is skipped
  const step = (Math.floor(periods / interval) - 1) * interval;
  if (step <= 0) return null;
  const [h, mi, sec] = [dtstart.getUTCHours(), dtstart.getUTCMinutes(), dtstart.getUTCSeconds()];
  const moved =
    freq === RRule.DAILY
      ? new Date(dtstart.getTime() + step * DAY)
      : freq === RRule.WEEKLY
        ? new Date(dtstart.getTime() + step * 7 * DAY)
        : freq === RRule.MONTHLY
          ? new Date(Date.UTC(y, mo + step, 1, h, mi, sec))
          : new Date(Date.UTC(y + step, 0, 1, h, mi, sec));
  // what rrule reads from DTSTART when the rule names no day (its parseOptions), kept from the first start
  const named = [o.byweekno, o.byyearday, o.bymonthday, o.byweekday].some(
    (v) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0),
  );
  const kept = named
    ? {}
    : freq === RRule.YEARLY
      ? { bymonth: o.bymonth ?? mo + 1, bymonthday: dtstart.getUTCDate() }
      : freq === RRule.MONTHLY
        ? { bymonthday: dtstart.getUTCDate() }
        : freq === RRule.WEEKLY
          ? { byweekday: [(dtstart.getUTCDay() + 6) % 7] }
          : {};
  return new RRule({ ...o, ...kept, dtstart: moved });
}

/**
 * Up to `count` of a series' starts at or after `from` (UTC, in order), however far into the series:
 * a rule without COUNT is expanded from a little before `from` (expandedNear), and again from its
 * latest start while that stopped at the cap with starts still wanted (at most 20 more times); a rule
 * with COUNT is whole in one expansion, so it is never expanded again (that would count its meetings anew).
 */
export function startsFrom(startsAt: string, zone: string, rule: string | null, from: string, count: number): string[] {
  const found: string[] = [];
  // compared as text with the starts, so written as they are (2028-07-03T09:30:00Z is 09:30:00.000Z)
  from = new Date(from).toISOString();
  const near = rule ? expandedNear(startsAt, zone, rule, from) : null;
  // on the wall clock, from two days before `from` (a zone is less than a day off UTC): only those
  // are turned into UTC, and the expansion stops a few past the starts wanted (one a day at most)
  const low = floating(new Date(from).toISOString(), zone).getTime() - 2 * 86_400_000;
  let wanted = 0;
  // the whole expansion decides whether to expand again and from where: those before `low` count
  // towards the cap too, so one that stopped at the cap short of `from` goes on from its latest start
  const whole = near
    ? expand(near, maxOccurrences, (d) => (d.getTime() >= low ? ++wanted : wanted) <= count + 4)
    : null;
  let expanded = whole ? whole.length : 0;
  let latest = whole?.length ? new Date(fromFloating(whole.at(-1)!, zone)).toISOString() : undefined;
  let chunk = whole
    ? whole.filter((d) => d.getTime() >= low).map((d) => new Date(fromFloating(d, zone)).toISOString())
    : startsReaching(startsAt, zone, rule, from);
  if (!whole) [expanded, latest] = [chunk.length, chunk.at(-1)];
  const repeatable = rule !== null && !/(?:^|;)COUNT=/.test(normaliseRule(rule));
  for (let round = 0; ; round++) {
    for (const t of chunk) {
      const last = found.at(-1);
      // an expansion from a start begins with that start again
      if (found.length < count && t >= from && (last === undefined || t > last)) found.push(t);
    }
    if (found.length >= count || !repeatable || expanded < maxOccurrences || !latest || round >= 20) return found;
    chunk = occurrences(latest, zone, rule);
    [expanded, latest] = [chunk.length, chunk.at(-1)];
  }
}

/**
 * Whether `starts` (a series' expansion by `occurrences`) reaches its last meeting: a one-off does, a
 * rule with COUNT does (COUNT is at most the cap), a rule with UNTIL does unless the cap cut it short;
 * a rule with neither repeats until it is changed or cancelled.
 */
export function reachesEnd(rule: string | null, starts: readonly string[]): boolean {
  if (!rule) return true;
  const text = normaliseRule(rule);
  if (/(?:^|;)COUNT=/.test(text)) return true;
  return /(?:^|;)UNTIL=/.test(text) && starts.length < maxOccurrences;
}

type Listed = {
  ref: string;
  series: string | null;
  /** An occurrence's start in its series, when it was moved from there (its own start otherwise). */
  seriesStart?: string | null;
  startsAt: string;
  timeZone: string;
  rrule: string | null;
};

/**
 * For a list of meetings, each one's starts as a list shows them: an occurrence given a meeting of
 * its own is listed as that meeting, so its series no longer stands for that start. With `reaching`
 * (ISO), a long series is expanded up to that instant (startsReaching), past the first 520.
 */
export function listedStarts(items: Listed[], reaching?: string): (m: Listed) => string[] {
  const own = new Set(items.filter((m) => m.series).map((m) => `${m.series}|${m.seriesStart ?? m.startsAt}`));
  return (m) =>
    (reaching
      ? startsReaching(m.startsAt, m.timeZone, m.rrule, reaching)
      : occurrences(m.startsAt, m.timeZone, m.rrule)
    ).filter((t) => t === m.startsAt || !own.has(`${m.ref}|${t}`));
}

/** Whether a UTC instant is one of a series' starts, however far into the series (startsFrom). */
export function isOccurrence(startsAt: string, zone: string, rule: string | null, candidate: string): boolean {
  const c = new Date(candidate).toISOString();
  return startsFrom(startsAt, zone, rule, c, 1)[0] === c;
}

/** A UTC instant as wall-clock time in a zone, e.g. "Thu 2026-03-26 16:00 CET". */
export function localTime(utc: string, zone: string): string {
  return zones().DateTime.fromISO(utc, { zone: 'utc' }).setZone(zone).toFormat('ccc yyyy-LL-dd HH:mm ZZZZ');
}

/**
 * The rule of a series ended after its meeting at `lastStart`: its COUNT or UNTIL replaced by an
 * UNTIL at that meeting, on the series' wall clock (the floating time rrule expands on), so the
 * meetings up to it stay as they were and none follows.
 */
export function ruleEndingAt(rule: string, lastStart: string, zone: string): string {
  const parts = normaliseRule(rule)
    .split(';')
    .filter((p) => p && !/^(COUNT|UNTIL)=/.test(p));
  const until = floating(lastStart, zone)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return [...parts, `UNTIL=${until}`].join(';');
}

/**
 * The rule of a series ended from the day `endedFrom` (on its own clock), once its clock becomes
 * `zone`: its UNTIL at the last meeting the new clock holds before that day, so it keeps the meetings
 * its end kept even when the two zones change their clocks on other dates (the same wall-clock UNTIL
 * would drop or add one). `fallback`: the UTC end to keep when the new clock holds none before it.
 */
export function ruleEndedInZone(
  rule: string,
  startsAt: string,
  endedFrom: string,
  zone: string,
  fallback: string,
): string {
  const open = normaliseRule(rule)
    .split(';')
    .filter((p) => p && !/^UNTIL=/.test(p))
    .join(';');
  const cutoff = dayStartsAt(endedFrom, zone);
  const kept = startsReaching(startsAt, zone, open, cutoff).filter((s) => s < cutoff);
  return ruleEndingAt(rule, kept.at(-1) ?? fallback, zone);
}

/**
 * The last start (UTC) a rule allows by its UNTIL, read on the series' wall clock as `ruleEndingAt`
 * writes it; null for a rule without UNTIL.
 */
export function ruleUntil(rule: string, zone: string): string | null {
  const m = /(?:^|;)UNTIL=(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2}))?Z?(?:;|$)/.exec(normaliseRule(rule));
  if (!m) return null;
  const [, y, mo, d, h = '23', mi = '59', s = '59'] = m;
  return new Date(fromFloating(new Date(Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +s)), zone)).toISOString();
}

/**
 * The rule as an iCalendar feed must carry it: RFC 5545 reads UNTIL as a UTC instant, while the hub
 * keeps it on the series' wall clock (the floating time rrule expands on); without this a series
 * west of UTC would lose its last meeting in every calendar.
 */
export function ruleForCalendar(rule: string, zone: string): string {
  const until = ruleUntil(rule, zone);
  if (until === null) return normaliseRule(rule);
  const utc = until.replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return normaliseRule(rule)
    .split(';')
    .map((p) => (p.startsWith('UNTIL=') ? `UNTIL=${utc}` : p))
    .join(';');
}

/** The day `years` calendar years after `day` (both YYYY-MM-DD); 29 February goes to the 28th. */
export function yearsAfter(day: string, years: number): string {
  return zones().DateTime.fromISO(day, { zone: 'utc' }).plus({ years }).toISODate()!;
}

/** The calendar day (YYYY-MM-DD) an instant falls on in a zone. */
export function dayIn(utc: string, zone: string): string {
  return zones().DateTime.fromISO(utc, { zone: 'utc' }).setZone(zone).toISODate()!;
}

/** The instant (UTC) a calendar day begins in a zone. */
export function dayStartsAt(day: string, zone: string): string {
  return new Date(zones().DateTime.fromISO(day, { zone }).startOf('day').toUTC().toISO()!).toISOString();
}
