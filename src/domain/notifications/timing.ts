// When mail may go out, on the person's own wall clock: quiet hours hold immediate mail until they
// end (unless a deadline would pass first), and a digest is due at a chosen hour, daily or weekly.
import { DateTime } from 'luxon';

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

function minutesOf(hhmm: string): number {
  const m = HHMM.exec(hhmm);
  if (!m) throw new Error(`not a HH:MM time: ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export function isClockTime(s: string): boolean {
  return HHMM.test(s);
}

/**
 * The earliest moment at or after `at` outside the person's quiet hours. Quiet hours may wrap
 * midnight (22:00–07:00). A deadline that would pass before they end lets the mail through now.
 */
export function afterQuietHours(
  at: Date,
  zone: string,
  quiet: { start: string | null; end: string | null },
  deadline?: string,
): Date {
  if (!quiet.start || !quiet.end || quiet.start === quiet.end) return at;
  const local = DateTime.fromJSDate(at, { zone });
  if (!local.isValid) return at;
  const minute = local.hour * 60 + local.minute;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inside) return at;
  let until = local.set({ hour: Math.floor(end / 60), minute: end % 60, second: 0, millisecond: 0 });
  if (until <= local) until = until.plus({ days: 1 });
  const release = until.toJSDate();
  if (deadline && new Date(deadline).getTime() <= release.getTime()) return at;
  return release;
}

/** The next digest time strictly after `after`, at `hour` o'clock in `zone` (weekly: on `weekday`, 1 = Monday). */
export function nextDigestAt(
  after: Date,
  zone: string,
  digest: 'daily' | 'weekly',
  hour: number,
  weekday: number,
): Date {
  let local = DateTime.fromJSDate(after, { zone });
  if (!local.isValid) local = DateTime.fromJSDate(after, { zone: 'UTC' });
  let at = local.set({ hour, minute: 0, second: 0, millisecond: 0 });
  if (at <= local) at = at.plus({ days: 1 });
  if (digest === 'weekly') while (at.weekday !== weekday) at = at.plus({ days: 1 });
  return at.toJSDate();
}

/**
 * Whether a digest going out at `digestAt` comes too late for a notice answered by `deadline`: after
 * it, or with less than `closingSoonHours` left (the time the hub itself gives a "closes soon"
 * reminder). Silence counts as consent only when it was informed in time, so such a notice is mailed
 * on its own instead (a weekly digest could otherwise arrive after the decision closed).
 */
export function digestTooLate(digestAt: Date, deadline: string, closingSoonHours: number): boolean {
  return digestAt.getTime() > new Date(deadline).getTime() - closingSoonHours * 3_600_000;
}

/** A deadline as the person reads it: "Sat 7 Mar 2026, 13:00 (Europe/Berlin)". */
export function onWallClock(iso: string, zone: string): string {
  const d = DateTime.fromISO(iso, { zone });
  const z = d.isValid ? zone : 'UTC';
  return `${DateTime.fromISO(iso, { zone: z }).toFormat('ccc d LLL yyyy, HH:mm')} (${z})`;
}

/** How much earlier than due a reminder may go, at most, to reach someone before their night. */
export const REMINDER_EARLIEST_HOURS = 24;

/**
 * When a reminder due at `due` reaches the person awake: `due` itself, unless that falls in their
 * night (their quiet hours, or `night` in their zone when they set none); then `lead` minutes before
 * that night began, so it is read that evening rather than the next morning with less time left. It
 * is never later than `due` (a reminder is there to leave time to answer) and never more than
 * REMINDER_EARLIEST_HOURS earlier.
 */
export function awakeReminderAt(
  due: Date,
  zone: string,
  night: { start: string | null; end: string | null },
  lead = 60,
): Date {
  if (!night.start || !night.end || night.start === night.end) return due;
  const local = DateTime.fromJSDate(due, { zone });
  if (!local.isValid) return due;
  const minute = local.hour * 60 + local.minute;
  const start = minutesOf(night.start);
  const end = minutesOf(night.end);
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inside) return due;
  let began = local.set({ hour: Math.floor(start / 60), minute: start % 60, second: 0, millisecond: 0 });
  if (began > local) began = began.minus({ days: 1 });
  const at = began.minus({ minutes: lead }).toJSDate();
  const earliest = due.getTime() - REMINDER_EARLIEST_HOURS * 3_600_000;
  return new Date(Math.max(at.getTime(), earliest));
}
