// A series' rule as people say it ("every two weeks on Thursday, 6 times"), and the few choices a
// person picks from instead of writing an RRULE; also a form's wall-clock start read in the zone
// the form names. Pure: the edges show the words and turn the choices into the rule.
import { LIMITS } from '../limits.ts';
import { ianaZone } from '../people.ts';
import { normaliseRule } from './recurrence.ts';
import { zones } from './libraries.ts';

const NUMBER_WORDS = ['', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
const UNIT: Record<string, string> = { DAILY: 'day', WEEKLY: 'week', MONTHLY: 'month', YEARLY: 'year' };
const WEEKDAY: Record<string, string> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
};

function list(words: string[]): string {
  return words.length < 2 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/**
 * The rule in words, for the parts people use (FREQ, INTERVAL, BYDAY without positions, COUNT,
 * UNTIL); anything else is named as "a custom rule" with the rule itself, never silently dropped.
 */
export function ruleInWords(rule: string): string {
  const parts = new Map(
    normaliseRule(rule)
      .split(';')
      .filter(Boolean)
      .map((p) => p.split('=') as [string, string]),
  );
  const unit = UNIT[parts.get('FREQ') ?? ''];
  const known = new Set(['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'BYDAY', 'WKST']);
  const days = parts.get('BYDAY')?.split(',') ?? [];
  if (!unit || [...parts.keys()].some((k) => !known.has(k)) || days.some((d) => !WEEKDAY[d]))
    return `a custom rule (${normaliseRule(rule)})`;
  const n = Number(parts.get('INTERVAL') ?? '1');
  let text = n === 1 ? `every ${unit}` : `every ${NUMBER_WORDS[n] ?? n} ${unit}s`;
  if (days.length) text += ` on ${list(days.map((d) => WEEKDAY[d]!))}`;
  const count = parts.get('COUNT');
  if (count) text += count === '1' ? ', once' : `, ${count} times`;
  const until = parts.get('UNTIL');
  if (until) {
    const d = /^(\d{4})(\d{2})(\d{2})/.exec(until);
    if (d) text += `, until ${Number(d[3])} ${MONTHS[Number(d[2]) - 1]} ${d[1]}`;
  }
  return text;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** What a form offers instead of an RRULE, in the order it offers them. */
export const REPEAT_CHOICES = [
  { value: 'none', label: 'Does not repeat', rule: null },
  { value: 'weekly', label: 'Every week', rule: 'FREQ=WEEKLY' },
  { value: 'fortnightly', label: 'Every two weeks', rule: 'FREQ=WEEKLY;INTERVAL=2' },
  { value: 'three-weekly', label: 'Every three weeks', rule: 'FREQ=WEEKLY;INTERVAL=3' },
  { value: 'four-weekly', label: 'Every four weeks', rule: 'FREQ=WEEKLY;INTERVAL=4' },
  { value: 'monthly', label: 'Every month, on the same date', rule: 'FREQ=MONTHLY' },
] as const;

export type RepeatChoice = { repeat?: string; times?: string };
/** Either the rule (or null: no repeat), or the field at fault and the rule it breaks. */
export type RepeatResult = { rule: string | null } | { field: 'repeat' | 'times'; problem: string };

/** The choice a person picked, and how many times, as an RRULE. */
export function ruleFromChoice(c: RepeatChoice): RepeatResult {
  const choice = REPEAT_CHOICES.find((x) => x.value === (c.repeat || 'none'));
  if (!choice) return { field: 'repeat', problem: `must be one of: ${REPEAT_CHOICES.map((x) => x.label).join(', ')}` };
  const times = (c.times ?? '').trim();
  // a count with no repeat would be dropped without a word, and the person would expect a series
  if (!choice.rule)
    return times === '' || times === '1'
      ? { rule: null }
      : {
          field: 'times',
          problem: 'only a repeating meeting can be held more than once; choose how it repeats, or leave this empty',
        };
  if (!times) return { rule: choice.rule };
  const max = LIMITS.recurrence.maxOccurrences;
  if (!/^\d{1,4}$/.test(times) || +times < 2 || +times > max)
    return { field: 'times', problem: `must be a whole number from 2 to ${max}, or empty to repeat until cancelled` };
  return { rule: `${choice.rule};COUNT=${+times}` };
}

/** The choice and count that give back a rule, when the form can show it; null for other rules. */
export function choiceOfRule(rule: string | null): { repeat: string; times: string } | null {
  if (!rule) return { repeat: 'none', times: '' };
  const text = normaliseRule(rule);
  const count = /;COUNT=(\d+)$/.exec(text);
  const base = count ? text.slice(0, count.index) : text;
  const choice = REPEAT_CHOICES.find((x) => x.rule === base);
  return choice ? { repeat: choice.value, times: count?.[1] ?? '' } : null;
}

// hours 00-23: luxon reads T24:00 as the next day's midnight, which no date-time field sends
const LOCAL = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;

/**
 * A form's zone as luxon is given it: the IANA name as IANA spells it (`ianaZone`), or null for none.
 * luxon keeps every name it is handed, with a date formatter of its own (some 14 KB), for good: a form
 * was read by whatever spelling it sent ("aMeRiCa/ArGeNtInA/…", each of a zone's thousands of casings
 * one more), so a person posting the schedule form again and again grew the process without end
 * (attack round 31). The IANA spellings are a few hundred.
 */
function luxonZone(zone: string): string | null {
  const z = zone.trim();
  const named = ianaZone(z);
  if (named) return named;
  // a fixed offset stored before zones were checked ("+02:00") still reads on its clock, as luxon's own
  // fixed-offset zone, which it keeps no name of
  const offset = /^([+-])(\d{2}):?(\d{2})?$/.exec(z);
  if (!offset || !zones().IANAZone.isValidZone(z)) return null;
  return `UTC${offset[1]}${offset[2]}:${offset[3] ?? '00'}`;
}

/**
 * A date and time as a form's date-time field gives it ("2026-12-08T15:00", no zone), read on the
 * wall clock of `zone`, as a UTC instant. Anything else (an ISO time with its own offset, a typo)
 * is returned as it is, for the use case to accept or refuse; an unknown zone reads as UTC, and
 * the use case refuses the zone itself.
 */
export function wallClockToInstant(value: string, zone: string): string {
  const v = value.trim();
  if (!LOCAL.test(v)) return v;
  const { DateTime } = zones();
  const t = DateTime.fromISO(v, { zone: luxonZone(zone) ?? 'utc' });
  return t.isValid ? t.toUTC().toISO({ suppressMilliseconds: true })! : v;
}

/**
 * The rule a form's wall-clock time breaks when that time never shows on `zone`'s clock (the hour
 * skipped when clocks go forward): read as it is, it would move an hour on silently. Null when the
 * time exists, or is not a form's wall-clock time at all (the use case judges those).
 */
export function wallClockGap(value: string, zone: string): string | null {
  const v = value.trim();
  const { DateTime } = zones();
  const named = LOCAL.test(v) ? luxonZone(zone) : null;
  if (!named) return null;
  const t = DateTime.fromISO(v, { zone: named });
  if (!t.isValid || t.toFormat("yyyy-LL-dd'T'HH:mm") === v.slice(0, 16)) return null;
  // the day as typed: luxon's shifted time may be on another day (Samoa skipped 30 December 2011)
  const asTyped = DateTime.fromISO(v.slice(0, 10), { zone: 'utc' }).toFormat('d LLL yyyy');
  return `${v.slice(11, 16)} on ${asTyped} never shows on the clocks of ${named}: they go forward that night (it would be ${t.toFormat('HH:mm')}); choose another time`;
}

/** An instant as the wall-clock value a date-time field shows in `zone` ("2026-12-08T15:00"). */
export function instantToWallClock(iso: string, zone: string): string {
  const { DateTime } = zones();
  const t = DateTime.fromISO(iso, { zone: 'utc' }).setZone(luxonZone(zone) ?? 'utc');
  return t.isValid ? t.toFormat("yyyy-LL-dd'T'HH:mm") : '';
}
