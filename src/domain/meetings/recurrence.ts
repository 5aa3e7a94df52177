// A series repeats in the organiser's wall-clock time (RFC 5545 semantics for DTSTART;TZID):
// a 16:00 Berlin meeting stays at 16:00 in Berlin across daylight-saving changes, so its UTC
// time moves. rrule expands the rule over "floating" wall-clock times; luxon maps each back to UTC.
import { recurrence, zones } from './libraries.ts';

const rrulestr = (s: string, o: { dtstart: Date }) => recurrence().rrulestr(s, o);

/** Checks an RRULE (without DTSTART); returns the problem in words, or null when it is fine. */
export function ruleProblem(rule: string): string | null {
  const text = rule.replace(/^RRULE:/i, '').trim();
  if (!/^FREQ=/i.test(text) && !/;FREQ=/i.test(text))
    return 'must be an RFC 5545 RRULE with a FREQ, e.g. FREQ=WEEKLY;INTERVAL=2;BYDAY=TH';
  if (/DTSTART|TZID/i.test(text)) return 'must not carry DTSTART or TZID: the meeting start and zone give them';
  try {
    const r = rrulestr(`RRULE:${text}`, { dtstart: new Date(Date.UTC(2026, 0, 1)) });
    if (r.options.count !== null && r.options.count > 520) return 'COUNT must be at most 520';
    return null;
  } catch (e) {
    return `is not a valid RRULE (${(e as Error).message})`;
  }
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
export function occurrences(startsAt: string, zone: string, rule: string | null, limit = 520): string[] {
  const first = new Date(startsAt).toISOString();
  if (!rule) return [first];
  const r = rrulestr(`RRULE:${normaliseRule(rule)}`, { dtstart: floating(startsAt, zone) });
  return r.all((_, i) => i < limit).map((d) => new Date(fromFloating(d, zone)).toISOString());
}

/** Whether a UTC instant is one of a series' starts. */
export function isOccurrence(startsAt: string, zone: string, rule: string | null, candidate: string): boolean {
  const c = new Date(candidate).toISOString();
  return occurrences(startsAt, zone, rule).includes(c);
}

/** A UTC instant as wall-clock time in a zone, e.g. "Thu 2026-03-26 16:00 CET". */
export function localTime(utc: string, zone: string): string {
  return zones().DateTime.fromISO(utc, { zone: 'utc' }).setZone(zone).toFormat('ccc yyyy-LL-dd HH:mm ZZZZ');
}
