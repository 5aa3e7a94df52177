// "Since your last visit" on a member's home: the decisions decided, the meeting notes published and
// the proposals moved since the person last looked at their home, on whichever device.
//
// Until 2026-12-08 "your last visit" was when their previous web session started. Signing in on the
// phone after the laptop, or again after a quick sign-out, made it a few minutes ago and emptied the
// lists though they had read none of it; and a session started two weeks ago and used every day said
// "two weeks ago". It is now kept per person (home_visits, migration 410), moved when the home is
// served, never when a session starts:
//
// - `seen_at`: when their home was last served to them, on any device;
// - `since`: what the home compares with, "your last visit".
//
// The rule, as an analytics "visit" is counted: a visit is home views less than VISIT_GAP_MINUTES
// apart. A home served more than that after the one before starts a new visit, and `since` becomes
// the time of that previous view (what they saw then is not news); one served within the gap (a
// reload, the phone picked up after the laptop, a return from a decision's page) keeps `since`, so
// the lists the person has just been shown do not vanish under them. The page reads `since` before
// it writes, so it never empties its own lists. Why not a fixed "since the view before this one":
// every reload would then empty the lists, and a person who reloads to answer a second decision would
// lose the first; why not only a button: most never press one, and the lists would then grow for
// ever. "Mark as seen" is there too, for one who has read the lists and wants them gone now
// (`markHomeSeen`).
//
// Not kept in the event log (looking is not a community change) and private: left out of a public
// export, as sessions are.
import type { HomeVisitsTable } from '../../store/schema.ts';
import { sql } from 'kysely';
import type { Hub } from '../core/hub.ts';

/** Home views further apart than this are two visits; nearer, one (a reload, a second device). */
export const VISIT_GAP_MINUTES = 30;

/**
 * What a home served at `now` compares with, from the person's stored marker (null: their home was
 * never served). Pure, so the session's one query reads the row and the home page its moment.
 */
export function lastVisitAt(stored: Pick<HomeVisitsTable, 'seen_at' | 'since'> | null, now: Date): string | null {
  if (!stored) return null;
  const gap = now.getTime() - new Date(stored.seen_at).getTime();
  return gap > VISIT_GAP_MINUTES * 60_000 ? stored.seen_at : stored.since;
}

/**
 * Records that `personId`'s home was served now, comparing with `since` (`lastVisitAt` of the marker
 * as it was read before the page was drawn): one statement, a single row per person.
 */
export async function homeViewed(hub: Hub, personId: string, since: string | null): Promise<void> {
  const now = hub.clock.now().toISOString();
  await hub.store.db
    .insertInto('home_visits')
    .values({ person_id: personId, seen_at: now, since })
    // `since` never moves back: a view drawn from a read taken just before "Mark as seen" on another
    // device would otherwise write the older moment over the mark (ISO times compare as text)
    .onConflict((oc) =>
      oc.column('person_id').doUpdateSet({
        seen_at: now,
        since:
          since === null
            ? sql<string | null>`home_visits.since`
            : sql<string>`case when home_visits.since is not null and home_visits.since > ${since} then home_visits.since else ${since} end`,
      }),
    )
    .execute();
}

/**
 * "Mark as seen": the person has read what their home lists as new since their last visit, and wants
 * it gone now rather than at their next visit. Their next home compares with this moment.
 */
export async function markHomeSeen(hub: Hub, personId: string): Promise<void> {
  await homeViewed(hub, personId, hub.clock.now().toISOString());
}
