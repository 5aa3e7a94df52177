// iCalendar feeds (RFC 5545) of meetings, per group, per topic area and per person. Each meeting
// keeps the organiser's zone (DTSTART;TZID with a VTIMEZONE) and its series rule (RRULE), so
// calendars show a 16:00 Berlin series at 16:00 Berlin after the clocks change. An occurrence that
// has its own meeting is written as an override of the series (RECURRENCE-ID), a cancelled one
// with STATUS:CANCELLED.
import { zones } from '../../domain/meetings/libraries.ts';
import { ruleForCalendar } from '../../domain/meetings/recurrence.ts';
import { ianaZone } from '../../domain/people.ts';
import { LIMITS } from '../../domain/limits.ts';
import { characterCount, firstCharacters } from '../../domain/text.ts';
import type { MeetingsTable, PeopleTable } from '../../store/schema.ts';
import { groupRow } from '../groups/groups.ts';
import { topicRow } from '../groups/topic-areas.ts';
import { nowIso, type Hub, type Tx } from '../core/hub.ts';
import { meetingRef } from './meetings.ts';
import { personRow } from '../people/people.ts';

const uid = (id: string) => `meeting-${id}@wghub`;

function describe(m: MeetingsTable, items: { position: number; title: string; inputs: number }[]): string {
  const lines = [`${m.kind === 'process' ? 'Process' : 'Content'} meeting ${meetingRef(m)}.`];
  if (m.description) lines.push('', m.description);
  if (items.length) {
    lines.push('', 'Agenda:');
    for (const i of items)
      lines.push(
        `${i.position}. ${i.title}${i.inputs ? ` (${i.inputs} written input${i.inputs > 1 ? 's' : ''})` : ''}`,
      );
  }
  const text = lines.join('\n');
  // a meeting's page has the rest: the feed stays small, however long its description and agenda
  return characterCount(text) > LIMITS.calendar.descriptionChars
    ? `${firstCharacters(text, LIMITS.calendar.descriptionChars - 1)}…`
    : text;
}

async function feed(db: Tx, hub: Hub, name: string, meetings: (MeetingsTable & { group: string })[]): Promise<string> {
  // loaded on first use, like the zone library: few requests need a calendar
  const [{ default: ical, ICalEventStatus }, { getVtimezoneComponent }] = await Promise.all([
    import('ical-generator'),
    import('@touch4it/ical-timezones'),
  ]);
  const { DateTime } = zones();
  const cal = ical({
    name,
    prodId: { company: 'wghub', product: 'meetings', language: 'EN' },
    timezone: { name: null, generator: getVtimezoneComponent },
  });
  const byId = new Map(meetings.map((m) => [m.id, m]));
  const stamp = DateTime.fromJSDate(hub.clock.now(), { zone: 'utc' });
  for (const m of meetings) {
    const items = await db
      .selectFrom('meeting_agenda_items as i')
      .leftJoin('meeting_written_inputs as w', 'w.item_id', 'i.id')
      .select(['i.position', 'i.title', (eb) => eb.fn.count<number>('w.id').as('inputs')])
      .where('i.meeting_id', '=', m.id)
      .groupBy(['i.id', 'i.position', 'i.title'])
      .orderBy('i.position')
      .execute();
    // UTC needs no VTIMEZONE: such meetings are written in UTC form (…Z), as RFC 5545 prefers. A zone
    // stored before it was kept as IANA spells it is read so: "europe/berlin" as Europe/Berlin, and an
    // offset ("+02:00", no IANA zone, and a colon that cut the TZID line) in UTC form (attack round 26)
    const zone = ianaZone(m.time_zone) ?? 'UTC';
    const utc = /^(Etc\/)?(UTC|GMT|Zulu)$/i.test(zone);
    const start = DateTime.fromISO(m.starts_at, { zone: 'utc' }).setZone(utc ? 'utc' : zone);
    const series = m.series_id
      ? (byId.get(m.series_id) ??
        (await db.selectFrom('meetings').selectAll().where('id', '=', m.series_id).executeTakeFirst()))
      : undefined;
    cal.createEvent({
      id: uid(series ? series.id : m.id),
      start,
      end: start.plus({ minutes: m.duration_minutes }),
      timezone: utc ? null : zone,
      stamp,
      summary: `${m.title} (${m.group})`,
      description: describe(
        m,
        items.map((i) => ({ position: i.position, title: i.title, inputs: Number(i.inputs) })),
      ),
      location: m.location,
      repeating: m.rrule ? `RRULE:${ruleForCalendar(m.rrule, zone)}` : null,
      // the start of the series it stands for: a meeting moved alone is that start, moved
      ...(series
        ? {
            recurrenceId: DateTime.fromISO(m.series_start ?? m.starts_at, { zone: 'utc' }).setZone(utc ? 'utc' : zone),
          }
        : {}),
      status: m.cancelled_at ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      sequence: m.version - 1,
      lastModified: DateTime.fromISO(m.updated_at, { zone: 'utc' }),
    });
  }
  return cal.toString();
}

/**
 * The meetings a feed carries, at most LIMITS.calendar.meetings: every series first (each row stands
 * for all its meetings), then those to come from the soonest, then those held from the latest; the
 * feed lists them in time order.
 */
function meetingsQuery(db: Tx, now: string) {
  // past the bound, a calendar needs the next meetings most: every series, then those to come from
  // the soonest, then those held from the latest (the furthest ahead were kept before, the next dropped)
  return db
    .selectFrom('meetings as m')
    .innerJoin('groups as g', 'g.id', 'm.group_id')
    .selectAll('m')
    .select('g.slug as group')
    .orderBy((eb) => eb.case().when('m.rrule', 'is', null).then(1).else(0).end())
    .orderBy((eb) => eb.case().when('m.starts_at', '>=', now).then(0).else(1).end())
    .orderBy((eb) => eb.case().when('m.starts_at', '>=', now).then(eb.ref('m.starts_at')).end(), 'asc')
    .orderBy((eb) => eb.case().when('m.starts_at', '<', now).then(eb.ref('m.starts_at')).end(), 'desc')
    .orderBy('m.number', 'desc')
    .limit(LIMITS.calendar.meetings);
}

/**
 * A feed as written last, until any write (it names no scope, so every write drops it) or an hour
 * on (its DTSTAMP): calendar clients poll, and writing even a bounded feed is a few hundred
 * milliseconds of the event loop.
 */
function remembered(hub: Hub, key: string, write: () => Promise<string>, keepUpTo = Infinity): Promise<string> {
  return hub.reads.get(hub, `calendar:${key}`, async () => {
    const value = await write();
    // a feed longer than the caller keeps is written again on each poll rather than held in memory
    return { value, validUntil: value.length <= keepUpTo ? hub.clock.now().getTime() + 3_600_000 : 0 };
  });
}

/**
 * A person's feed is kept only while it is small: there is one per person, and anyone may poll
 * anyone's, so large ones kept would fill the read cache's memory (groups' and topic areas' feeds
 * are as many as they are).
 */
const PERSON_FEED_KEPT_UP_TO = 64 * 1024;

/** Rows in the order a feed lists them: by start, then number. */
const inTimeOrder = <T extends { starts_at: string; number: number }>(rows: T[]): T[] =>
  rows.sort((a, b) => (a.starts_at < b.starts_at ? -1 : a.starts_at > b.starts_at ? 1 : a.number - b.number));

export async function groupCalendar(hub: Hub, slug: string): Promise<string> {
  const db = hub.store.db;
  const g = await groupRow(db, slug);
  return remembered(hub, `group:${g.id}`, async () =>
    feed(
      db,
      hub,
      `${g.name} meetings`,
      inTimeOrder(await meetingsQuery(db, nowIso(hub)).where('m.group_id', '=', g.id).execute()),
    ),
  );
}

export async function topicCalendar(hub: Hub, groupSlug: string, topicSlug: string): Promise<string> {
  const db = hub.store.db;
  const g = await groupRow(db, groupSlug);
  const t = await topicRow(db, g.id, groupSlug, topicSlug);
  return remembered(hub, `topic:${t.id}`, async () =>
    feed(
      db,
      hub,
      `${g.name}: ${t.name} meetings`,
      inTimeOrder(await meetingsQuery(db, nowIso(hub)).where('m.topic_area_id', '=', t.id).execute()),
    ),
  );
}

/** The meetings of every group a person belongs to (any level) and of every topic they facilitate. */
export async function personCalendar(hub: Hub, handle: string): Promise<string> {
  const db = hub.store.db;
  const p = await personRow(db, handle);
  return remembered(hub, `person:${p.id}`, () => personFeed(db, hub, p), PERSON_FEED_KEPT_UP_TO);
}

async function personFeed(db: Tx, hub: Hub, p: PeopleTable): Promise<string> {
  const groups = (await db.selectFrom('group_members').select('group_id').where('person_id', '=', p.id).execute()).map(
    (r) => r.group_id,
  );
  const topics = (
    await db.selectFrom('topic_facilitators').select('topic_area_id').where('person_id', '=', p.id).execute()
  ).map((r) => r.topic_area_id);
  const rows =
    groups.length || topics.length
      ? await meetingsQuery(db, nowIso(hub))
          .where((eb) =>
            eb.or([
              ...(groups.length ? [eb('m.group_id', 'in', groups)] : []),
              ...(topics.length ? [eb('m.topic_area_id', 'in', topics)] : []),
            ]),
          )
          .execute()
      : [];
  return feed(db, hub, `Meetings for ${p.handle}`, inTimeOrder(rows));
}
