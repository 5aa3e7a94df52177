// The meeting rules of the MCP groups, with their numbers from the governance file: a meeting is
// listed at least `noticeDays` ahead (shorter notice is flagged, never refused) and its notes
// are published within `notesHours` of its end.
import type { Governance } from '../governance/index.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export type Notice = { requiredDays: number; givenDays: number; short: boolean; why: string | null };

/** Notice given between listing and start; exactly the required days is enough. */
export function noticeOf(g: Governance, listedAt: string, startsAt: string): Notice {
  const given = Date.parse(startsAt) - Date.parse(listedAt);
  const required = g.meetings.noticeDays;
  const givenDays = Math.floor((given / DAY) * 10) / 10;
  const short = given < required * DAY;
  return {
    requiredDays: required,
    givenDays,
    short,
    why: short ? `listed ${givenDays} days ahead; the community asks for at least ${required} days' notice` : null,
  };
}

export type NotesState = 'not-due' | 'due' | 'late' | 'published' | 'published-late' | 'cancelled';

export type NotesDeadline = { dueAt: string; state: NotesState; lateByHours: number | null };

/**
 * When notes are due (end of the meeting plus `notesHours`) and where they stand now. Due exactly at
 * the deadline is on time; a cancelled meeting owes none (notes written before it was cancelled stand).
 */
export function notesDeadline(
  g: Governance,
  endsAt: string,
  publishedAt: string | null,
  now: Date,
  cancelled = false,
): NotesDeadline {
  const due = Date.parse(endsAt) + g.meetings.notesHours * HOUR;
  const dueAt = new Date(due).toISOString();
  const hoursLate = (t: number) => Math.round(((t - due) / HOUR) * 10) / 10;
  if (publishedAt !== null) {
    const p = Date.parse(publishedAt);
    return p > due
      ? { dueAt, state: 'published-late', lateByHours: hoursLate(p) }
      : { dueAt, state: 'published', lateByHours: null };
  }
  if (cancelled) return { dueAt, state: 'cancelled', lateByHours: null };
  const t = now.getTime();
  if (t < Date.parse(endsAt)) return { dueAt, state: 'not-due', lateByHours: null };
  if (t <= due) return { dueAt, state: 'due', lateByHours: null };
  return { dueAt, state: 'late', lateByHours: hoursLate(t) };
}

export function endOf(startsAt: string, durationMinutes: number): string {
  return new Date(Date.parse(startsAt) + durationMinutes * 60_000).toISOString();
}

/**
 * Whether an action item due on `due` (a day, YYYY-MM-DD) is past due at `now` for its owner: once that
 * day is over where they live (`timeZone`), as their home and `what_needs_me` both say. The home used
 * their zone and the REST/MCP answer UTC's day, so one in Auckland read "past due" on one and not the other.
 */
export function pastDue(due: string, now: Date, timeZone: string): boolean {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone }).format(now);
  return due.slice(0, 10) < today;
}
