import { endOf } from '../../domain/meetings/deadlines.ts';
import { listedStarts, localTime } from '../../domain/meetings/recurrence.ts';
import { CursorPart, decodeCursor, encodeCursor, type Hub, type Page } from '../core/hub.ts';
import { parseInput } from '../core/validate.ts';
import { listMeetings, type MeetingSummary, occurrenceId } from './meetings.ts';
import { UpcomingMeetingsQuery } from './schemas.ts';

export type UpcomingMeeting = MeetingSummary & {
  /** When it next meets (UTC): a series' next start, a one-off's own start. */
  nextStartsAt: string;
  nextEndsAt: string;
  /** That start on the organiser's wall clock. */
  nextLocalStart: string;
  /**
   * That meeting's id as what_needs_me names it: its ref, or for a later start of a series
   * `M-1@2026-12-19T16:00:00.000Z` (`occurrenceId`), which GET /api/meetings/{ref} and MCP's get_agenda take.
   */
  nextId: string;
};

/** Meetings are read a page of 200 at a time, at most this many pages (a community's year of meetings). */
const MAX_PAGES = 25;
const DAY = 86_400_000;

export async function upcomingMeetings(hub: Hub, raw: unknown): Promise<Page<UpcomingMeeting>> {
  const q = parseInput(UpcomingMeetingsQuery, raw);
  const after = decodeCursor(q.cursor, [CursorPart.time, CursorPart.ref]);
  const now = hub.clock.now().getTime();
  // a meeting lasts less than a day, so one that began a day ago has ended
  const from = new Date(now - DAY).toISOString();
  const rows = await meetingsFrom(hub, q, from);
  // an occurrence with a meeting of its own is listed as that meeting, not again as the series
  const startsOf = listedStarts(rows, from);
  const listed: UpcomingMeeting[] = [];
  for (const m of rows) {
    const length = Date.parse(m.endsAt) - Date.parse(m.startsAt);
    // a meeting called off is listed at the one start it would have met next, so nobody waits for
    // it; a series called off is not listed again at every later start, for ever
    const starts = m.cancelledAt
      ? startsOf(m)
          .filter((t) => Date.parse(t) + length > Date.parse(m.cancelledAt!))
          .slice(0, 1)
      : startsOf(m);
    const next = starts.find((t) => Date.parse(t) + length > now);
    if (!next) continue;
    listed.push({
      ...m,
      nextStartsAt: next,
      nextEndsAt: endOf(next, length / 60_000),
      nextLocalStart: localTime(next, m.timeZone),
      nextId: next === m.startsAt ? m.ref : occurrenceId(m.ref, next),
    });
  }
  const key = (m: UpcomingMeeting): [string, string] => [m.nextStartsAt, m.ref];
  const before = (a: [string, string], b: [string, string]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  listed.sort((a, b) => (before(key(a), key(b)) ? -1 : before(key(b), key(a)) ? 1 : 0));
  const rest = after ? listed.filter((m) => before(after, key(m))) : listed;
  const items = rest.slice(0, q.limit);
  const last = items.at(-1);
  return { items, nextCursor: rest.length > q.limit && last ? encodeCursor(key(last)) : null };
}

/** Every meeting row of a group (or topic area, or all) that may meet at or after `from`, a page of 200 at a time. */
async function meetingsFrom(
  hub: Hub,
  q: { group?: string | undefined; topic?: string | undefined },
  from: string | undefined,
): Promise<MeetingSummary[]> {
  const rows: MeetingSummary[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const read = await listMeetings(hub, {
      ...(q.group ? { group: q.group } : {}),
      ...(q.topic ? { topic: q.topic } : {}),
      ...(from ? { from } : {}),
      limit: 200,
      ...(cursor ? { cursor } : {}),
    });
    rows.push(...read.items);
    if (!read.nextCursor) break;
    cursor = read.nextCursor;
  }
  return rows;
}

export type HeldMeeting = MeetingSummary & {
  /** When it last met (UTC): a series' latest start that has ended, a one-off's own start. */
  lastStartsAt: string;
};

/**
 * The meetings held, latest first, each at its latest start that has ended (a meeting under way is
 * upcoming, not held); `since` (ISO) leaves out meetings held before it. An occurrence with a
 * meeting of its own is listed as that meeting. A page at a time: `cursor` is a previous page's
 * nextCursor, refused naming `field` (the web's list reads it from another query parameter than
 * the meetings to come).
 */
export async function heldMeetings(
  hub: Hub,
  q: { group?: string; topic?: string; since?: string; limit: number; cursor?: string | undefined },
  field = 'cursor',
): Promise<Page<HeldMeeting>> {
  const after = decodeCursor(q.cursor, [CursorPart.time, CursorPart.ref], field);
  const now = hub.clock.now().toISOString();
  const rows = await meetingsFrom(hub, q, q.since);
  const startsOf = listedStarts(rows, now);
  const held: HeldMeeting[] = [];
  for (const m of rows) {
    const length = Date.parse(m.endsAt) - Date.parse(m.startsAt);
    // what was called off before it began was not held
    const last = startsOf(m)
      .filter((t) => Date.parse(t) + length <= Date.parse(now) && (!m.cancelledAt || t < m.cancelledAt))
      .at(-1);
    if (last && (!q.since || last >= q.since)) held.push({ ...m, lastStartsAt: last });
  }
  // latest first, then by ref: a page's last row keys where the next page starts
  const order = (a: [string, string], b: [string, string]) => b[0].localeCompare(a[0]) || a[1].localeCompare(b[1]);
  const key = (m: HeldMeeting): [string, string] => [m.lastStartsAt, m.ref];
  held.sort((a, b) => order(key(a), key(b)));
  const rest = after ? held.filter((m) => order(after, key(m)) < 0) : held;
  const items = rest.slice(0, q.limit);
  const last = items.at(-1);
  return { items, nextCursor: rest.length > q.limit && last ? encodeCursor(key(last)) : null };
}
