// A series' starts still to come, a page at a time, each with the meeting of its own there if one was
// opened. The series' page lists its next SERIES_SHOWN; its "later meetings" page
// (/meetings/M-1/occurrences?from=…) goes on LIMITS.seriesStartsPage at a time, however long the series
// runs. Where a start is shown on the web (`seriesStartPath`) is read by what_needs_me and the member
// home too, so a link to a start past the series' page lands on the page that lists it.
import { LIMITS } from '../../domain/limits.ts';
import { invalid } from '../../domain/errors.ts';
import { startsFrom } from '../../domain/meetings/recurrence.ts';
import type { Hub } from '../core/hub.ts';
import { parseInput } from '../core/validate.ts';
import { meetingRef, meetingRow, occurrenceId, seriesAnchor } from './meetings.ts';
import { SeriesStartsQuery } from './schemas.ts';

/** How many of a series' next meetings its own page lists; the rest are on its "later meetings" pages. */
export const SERIES_SHOWN = 4;

/** One start of a series: when, its id (the series' ref at its first start), and the meeting of its own there, if any. */
export type SeriesStart = {
  startsAt: string;
  id: string;
  ref: string | null;
  /** When the meeting of its own there was moved alone to another time: that time (UTC); else null. */
  movedTo: string | null;
};

export type SeriesStarts = {
  series: string;
  /** The first start listed: `from`, or the next to come when that is already past. */
  from: string;
  items: SeriesStart[];
  /** The start the next page begins at; null when the series has no more. */
  next: string | null;
};

/**
 * A series' starts from `from` on (none already begun), at most `count` (LIMITS.seriesStartsPage unless
 * a page asks for fewer): the starts the series' view counts in `upcoming`, read past its first 520.
 * A meeting that is no series is refused naming `ref`.
 */
export async function seriesStarts(
  hub: Hub,
  ref: string,
  raw: unknown,
  count: number = LIMITS.seriesStartsPage,
): Promise<SeriesStarts> {
  const q = parseInput(SeriesStartsQuery, raw);
  const db = hub.store.db;
  const s = await meetingRow(db, ref);
  const series = meetingRef(s);
  if (!s.rrule)
    throw invalid(
      'ref',
      s.series_id ? `${series} is one meeting of a series, not the series` : `${series} meets once: it is not a series`,
    );
  const now = hub.clock.now().toISOString();
  const asked = q.from ? new Date(q.from).toISOString() : now;
  const from = asked > now ? asked : now;
  const starts = startsFrom(s.starts_at, s.time_zone, s.rrule, from, count + 1);
  const page = starts.slice(0, count);
  const own = page.length
    ? await db
        .selectFrom('meetings')
        .select(['number', 'starts_at', 'series_start'])
        .where('series_id', '=', s.id)
        .where('series_start', '>=', page[0]!)
        .where('series_start', '<=', page.at(-1)!)
        .execute()
    : [];
  // the meeting of its own opened at a start stands for it wherever it was moved since
  const ownAt = new Map(own.map((o) => [o.series_start!, o]));
  return {
    series,
    from,
    items: page.map((t) =>
      t === s.starts_at
        ? { startsAt: t, id: series, ref: series, movedTo: null }
        : {
            startsAt: t,
            id: occurrenceId(series, t),
            ref: ownAt.has(t) ? meetingRef(ownAt.get(t)!) : null,
            movedTo:
              ownAt.get(t)?.starts_at !== undefined && ownAt.get(t)!.starts_at !== t ? ownAt.get(t)!.starts_at : null,
          },
    ),
    next: starts[count] ?? null,
  };
}

/**
 * Where a later start of a series is shown on the web hub: its place in the series' page while it is
 * among the next SERIES_SHOWN (`position` counts the series' starts still to come, from 0), else its
 * place on the "later meetings" page that begins with it.
 */
export function seriesStartPath(series: string, startsAt: string, position: number): string {
  return position < SERIES_SHOWN
    ? `/meetings/${series}#${seriesAnchor(startsAt)}`
    : `/meetings/${series}/occurrences?from=${encodeURIComponent(startsAt)}#${seriesAnchor(startsAt)}`;
}
