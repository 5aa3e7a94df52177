// A member's meetings and action items, for the home page: the coming meetings of the groups they
// belong to and the topic areas they facilitate (series expanded to their next starts), with each
// agenda, and the open action items they own.
import { LIMITS } from '../../domain/limits.ts';
import type { PeopleTable } from '../../store/schema.ts';
import type { Hub } from '../core/hub.ts';
import { getMeeting, meetingRef } from '../meetings/meetings.ts';
import { endOf, notesDeadline, type NotesState } from '../../domain/meetings/deadlines.ts';

export type MyMeeting = {
  ref: string;
  title: string;
  group: string;
  topic: string | null;
  /** The topic area's name, for text people read (the slug is for addresses). */
  topicName: string | null;
  kind: string;
  /** This occurrence's start (a series lists each coming start separately). */
  startsAt: string;
  timeZone: string;
  agendaPublished: boolean;
  /** Its first items (LIMITS.homeAgendaItems), and how many more it has (`moreAgendaItems`). */
  agenda: { position: number; title: string; writtenInput: number }[];
  moreAgendaItems: number;
  /** A later start of a series with no meeting of its own yet: `ref` is the series' first meeting, whose page says when it met, not this start. */
  laterInSeries: boolean;
  /** May this person open the agenda of a later start (the meeting's `can.openOccurrence`)? */
  opensAgenda: boolean;
};

/** Notes a meeting that has ended still owes, which this person writes: its note-taker, or its organiser when it names none. */
export type NotesOwed = {
  ref: string;
  title: string;
  /** The meeting's group (slug). */
  group: string;
  dueAt: string;
  state: Extract<NotesState, 'due' | 'late'>;
};

export type MyActionItem = {
  meeting: string;
  meetingTitle: string;
  /** The meeting's group (slug). */
  group: string;
  id: string;
  description: string;
  due: string;
};

const DAY = 86_400_000;

/**
 * Meetings in the next `days` days that the person may attend, soonest first. Working them out is
 * a full meeting read per meeting (about ten queries each: 29 for the demo member's home, on every
 * visit), so the list is kept in the read cache: read for a day more than shown, filtered to the
 * window at each visit, and read again after any write, a day later, or once its first meeting has
 * started (its series' next starts then move on), whichever comes first.
 */
export async function myMeetings(hub: Hub, person: PeopleTable, days = 30): Promise<MyMeeting[]> {
  const now = hub.clock.now().getTime();
  const ahead = await hub.reads.get(hub, `home-meetings:${person.id}:${days}`, async () => {
    const value = await meetingsWithin(hub, person, days + 1);
    return { value, validUntil: Math.min(now + DAY, value.length ? Date.parse(value[0]!.startsAt) : Infinity) };
  });
  const from = new Date(now).toISOString();
  const until = new Date(now + days * DAY).toISOString();
  return ahead.filter((m) => m.startsAt >= from && m.startsAt < until);
}

async function meetingsWithin(hub: Hub, person: PeopleTable, days: number): Promise<MyMeeting[]> {
  const db = hub.store.db;
  const groups = (
    await db.selectFrom('group_members').select(['group_id', 'emeritus']).where('person_id', '=', person.id).execute()
  )
    .filter((g) => g.emeritus !== 1)
    .map((g) => g.group_id);
  const topics = (
    await db.selectFrom('topic_facilitators').select('topic_area_id').where('person_id', '=', person.id).execute()
  ).map((t) => t.topic_area_id);
  if (!groups.length && !topics.length) return [];
  const now = hub.clock.now().toISOString();
  const until = new Date(hub.clock.now().getTime() + days * DAY).toISOString();
  const rows = await db
    .selectFrom('meetings')
    .selectAll()
    .where('cancelled_at', 'is', null)
    .where((eb) =>
      eb.or([
        ...(groups.length ? [eb('group_id', 'in', groups)] : []),
        ...(topics.length ? [eb('topic_area_id', 'in', topics)] : []),
      ]),
    )
    .where((eb) => eb.or([eb('starts_at', '>=', now), eb('rrule', 'is not', null)]))
    .where('starts_at', '<', until)
    .execute();
  // an occurrence with its own meeting (own agenda) replaces the series' entry for that start
  const own = new Set(rows.filter((m) => m.series_id).map((m) => `${m.series_id}|${m.starts_at}`));
  const out: MyMeeting[] = [];
  for (const row of rows) {
    const v = await getMeeting(hub, meetingRef(row), { kind: 'person', person });
    const starts = (row.rrule ? v.upcoming : [v.startsAt]).filter(
      (t) => t >= now && t < until && !(row.rrule && own.has(`${row.id}|${t}`)),
    );
    for (const startsAt of starts) {
      out.push({
        ref: v.ref,
        title: v.title,
        group: v.group,
        topic: v.topic,
        topicName: v.topicName,
        kind: v.kind,
        startsAt,
        timeZone: v.timeZone,
        // a series' agenda is its first meeting's; a later start has none until it gets its own meeting
        agendaPublished: startsAt === v.startsAt && v.agenda.publishedAt !== null,
        laterInSeries: startsAt !== v.startsAt,
        opensAgenda: v.can.openOccurrence.allowed,
        agenda: (startsAt === v.startsAt ? v.agenda.items : []).slice(0, LIMITS.homeAgendaItems).map((i) => ({
          position: i.position,
          title: i.title,
          writtenInput: i.writtenInput.length,
        })),
        moreAgendaItems: startsAt === v.startsAt ? Math.max(0, v.agenda.items.length - LIMITS.homeAgendaItems) : 0,
      });
    }
  }
  return out.sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.ref.localeCompare(b.ref));
}

/** Action items the person owns that are not done, earliest due first: the first `bound`, and how many there are. */
export async function myActionItems(
  hub: Hub,
  person: PeopleTable,
  bound: number = LIMITS.needsPerKind,
): Promise<{ items: MyActionItem[]; total: number }> {
  const db = hub.store.db;
  const rows = await db
    .selectFrom('meeting_actions as a')
    .innerJoin('meetings as m', 'm.id', 'a.meeting_id')
    .innerJoin('groups as g', 'g.id', 'm.group_id')
    .select(['a.id', 'a.description', 'a.due_date', 'm.number', 'm.title', 'g.slug'])
    .where('a.owner_id', '=', person.id)
    .where('a.done_at', 'is', null)
    .orderBy('a.due_date')
    .orderBy('a.id')
    .limit(bound)
    .execute();
  // counted only when the list reached its bound (the home's hot path reads one query otherwise)
  const total =
    rows.length < bound
      ? rows.length
      : Number(
          (
            await db
              .selectFrom('meeting_actions')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('owner_id', '=', person.id)
              .where('done_at', 'is', null)
              .executeTakeFirstOrThrow()
          ).n,
        );
  return {
    items: rows.map((r) => ({
      meeting: meetingRef(r),
      meetingTitle: r.title,
      group: r.slug,
      id: r.id,
      description: r.description,
      due: r.due_date,
    })),
    total,
  };
}

/**
 * The notes this person owes (as the meeting's note-taker, or its organiser when it names none) for
 * meetings that have ended in the last 30 days and have none published yet, soonest due first: the
 * reminder for late notes tells them once, in the inbox; their home says it until the notes are out.
 * The same meetings and people as `remindMeetingDuties` (notifications/duties.ts).
 */
export async function myNotesOwed(hub: Hub, person: PeopleTable): Promise<NotesOwed[]> {
  return (await myNotesOwedPage(hub, person)).owed;
}

/** The notes owed, and whether the meetings read reached their bound before those not due were left out. */
export async function myNotesOwedPage(hub: Hub, person: PeopleTable): Promise<{ owed: NotesOwed[]; more: boolean }> {
  const now = hub.clock.now();
  const rows = await hub.store.db
    .selectFrom('meetings as m')
    .innerJoin('groups as g', 'g.id', 'm.group_id')
    .select(['m.number', 'm.title', 'm.starts_at', 'm.duration_minutes', 'g.slug'])
    .where('m.rrule', 'is', null)
    .where('m.cancelled_at', 'is', null)
    .where('m.notes_published_at', 'is', null)
    .where('m.starts_at', '>=', new Date(now.getTime() - 30 * DAY).toISOString())
    .where('m.starts_at', '<=', now.toISOString())
    .where((eb) =>
      eb.or([
        eb('m.note_taker_id', '=', person.id),
        eb.and([eb('m.note_taker_id', 'is', null), eb('m.organiser_id', '=', person.id)]),
      ]),
    )
    .orderBy('m.starts_at')
    .limit(LIMITS.needsPerKind)
    .execute();
  const owed: NotesOwed[] = [];
  for (const r of rows) {
    const d = notesDeadline(hub.governance, endOf(r.starts_at, r.duration_minutes), null, now);
    if (d.state === 'due' || d.state === 'late')
      owed.push({ ref: meetingRef(r), title: r.title, group: r.slug, dueAt: d.dueAt, state: d.state });
  }
  return { owed: owed.sort((a, b) => a.dueAt.localeCompare(b.dueAt)), more: rows.length === LIMITS.needsPerKind };
}
