// A member's meetings and action items, for the home page: the coming meetings of the groups they
// belong to and the topic areas they facilitate (series expanded to their next starts), with each
// agenda, and the open action items they own.
import { LIMITS } from '../../domain/limits.ts';
import type { PeopleTable } from '../../store/schema.ts';
import type { Hub } from '../core/hub.ts';
import { viewerOf } from '../core/gate.ts';
import { actionItemPolicy, type Can } from '../../domain/policies/index.ts';
import { sql } from 'kysely';
import {
  getMeeting,
  type MeetingView,
  meetingRef,
  UPCOMING_LISTED,
  unopenedStartsReason,
} from '../meetings/meetings.ts';
import { seriesStartPath } from '../meetings/series-starts.ts';
import { startsFrom } from '../../domain/meetings/recurrence.ts';
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
  /**
   * For a later start: why it has no agenda yet, in the meeting policy's words to this person (who
   * opens it, or that it gets none); null for a meeting's own start.
   */
  noAgendaYet: string | null;
  /**
   * Where it is shown on the web hub: its page, or a later start's place in its series' list (the
   * series' page for its next few, its "later meetings" page past them: `seriesStartPath`).
   */
  path: string;
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
  /** Whether they may mark it done now (actionItemPolicy, as the meeting's page asks): one who has not accepted the code of conduct may not. */
  can: Can<'complete'>;
};

const DAY = 86_400_000;

/** A member's meetings ahead: the soonest `bound` (a series at each of its starts), and how many there are. */
export type MyMeetings = { listed: MyMeeting[]; total: number };

/**
 * Meetings in the next `days` days that the person may attend (of their groups, the groups they
 * watch and the topic areas they facilitate), soonest first: the first `bound` read
 * whole (a full meeting read each, about ten queries), the rest counted from their starts alone. Kept
 * in the read cache until any write, a day later, the first listed meeting starts (its series' next
 * starts then move on), or the next meeting past the window comes into it, whichever comes first:
 * until then the list and its count are what a fresh read would say.
 */
export async function myMeetings(
  hub: Hub,
  person: PeopleTable,
  days = 30,
  bound: number = LIMITS.needsPerKind,
): Promise<MyMeetings> {
  return hub.reads.get(hub, `home-meetings:${person.id}:${days}:${bound}`, () =>
    meetingsWithin(hub, person, days, bound),
  );
}

/** A start listed: a series' start also says how many of its starts to come are before it (`position`). */
type Start = { startsAt: string; ref: string; row: string; position?: number };
const soonest = (a: Start, b: Start) => a.startsAt.localeCompare(b.startsAt) || a.ref.localeCompare(b.ref);

async function meetingsWithin(
  hub: Hub,
  person: PeopleTable,
  days: number,
  bound: number,
): Promise<{ value: MyMeetings; validUntil: number }> {
  const db = hub.store.db;
  const at = hub.clock.now().getTime();
  const groups = (
    await db.selectFrom('group_members').select(['group_id', 'emeritus']).where('person_id', '=', person.id).execute()
  )
    .filter((g) => g.emeritus !== 1)
    .map((g) => g.group_id);
  // the groups they watch ("tell me about everything here"): they are told of each meeting listed, so
  // their home lists them too (one in no group who watched one read "No meetings in your groups")
  for (const w of await db
    .selectFrom('notification_subscriptions as s')
    .innerJoin('groups as g', 'g.slug', 's.subject_ref')
    .select('g.id')
    .where('s.person_id', '=', person.id)
    .where('s.subject_type', '=', 'group')
    .where('s.level', '=', 'watching')
    .execute())
    if (!groups.includes(w.id)) groups.push(w.id);
  const topics = (
    await db.selectFrom('topic_facilitators').select('topic_area_id').where('person_id', '=', person.id).execute()
  ).map((t) => t.topic_area_id);
  if (!groups.length && !topics.length) return { value: { listed: [], total: 0 }, validUntil: at + DAY };
  const now = new Date(at).toISOString();
  const until = new Date(at + days * DAY).toISOString();
  // the meetings of their groups and topic areas that have not been called off
  const theirs = () =>
    db
      .selectFrom('meetings')
      .where('cancelled_at', 'is', null)
      .where((eb) =>
        eb.or([
          ...(groups.length ? [eb('group_id', 'in', groups)] : []),
          ...(topics.length ? [eb('topic_area_id', 'in', topics)] : []),
        ]),
      );
  // a one-off meeting starts once: the soonest bound + 1 in the window, the rest counted
  const oneOffs = await theirs()
    .select(['id', 'number', 'starts_at'])
    .where('rrule', 'is', null)
    .where('starts_at', '>=', now)
    .where('starts_at', '<', until)
    .orderBy('starts_at')
    // as the list sorts a start's meetings: by ref, as text (M-10 before M-9)
    .orderBy(sql`cast(number as text)`)
    .limit(bound + 1)
    .execute();
  const oneOffTotal =
    oneOffs.length <= bound
      ? oneOffs.length
      : Number(
          (
            await theirs()
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('rrule', 'is', null)
              .where('starts_at', '>=', now)
              .where('starts_at', '<', until)
              .executeTakeFirstOrThrow()
          ).n,
        );
  // the next one-off past the window: when it comes into the window, the list is read again
  const nextOneOff = await theirs()
    .select('starts_at')
    .where('rrule', 'is', null)
    .where('starts_at', '>=', until)
    .orderBy('starts_at')
    .limit(1)
    .executeTakeFirst();
  // a series at each start its view lists (`upcoming`), but those an occurrence of its own replaces
  const series = await theirs()
    .select(['id', 'number', 'starts_at', 'time_zone', 'rrule'])
    .where('rrule', 'is not', null)
    .where('starts_at', '<', new Date(at + (days + 1) * DAY).toISOString())
    .execute();
  const own = new Set(
    series.length
      ? (
          await theirs()
            .select(['series_id', 'series_start'])
            .where('rrule', 'is', null)
            .where(
              'series_id',
              'in',
              series.map((m) => m.id),
            )
            // the start each stands for in its series, wherever it was moved (it is listed at its own)
            .where('series_start', '>=', now)
            .where('series_start', '<', until)
            .execute()
        ).map((m) => `${m.series_id}|${m.series_start}`)
      : [],
  );
  const starts: Start[] = oneOffs.map((m) => ({ startsAt: m.starts_at, ref: meetingRef(m), row: m.id }));
  let next = nextOneOff ? Date.parse(nextOneOff.starts_at) : Infinity;
  let seriesStarts = 0;
  for (const m of series) {
    // read from now, as the meeting's view reads them: from its first start, a daily series had none after its 520th
    const upcoming = startsFrom(m.starts_at, m.time_zone, m.rrule, now, UPCOMING_LISTED);
    for (const [position, t] of upcoming.entries()) {
      if (t >= until) next = Math.min(next, Date.parse(t));
      else if (!own.has(`${m.id}|${t}`)) {
        seriesStarts++;
        starts.push({ startsAt: t, ref: meetingRef(m), row: m.id, position });
      }
    }
  }
  const first = starts.sort(soonest).slice(0, bound);
  const views = new Map<string, MeetingView>();
  const unopened = new Map<string, string>();
  const viewer = { kind: 'person', person } as const;
  for (const s of first) {
    if (!views.has(s.row)) views.set(s.row, await getMeeting(hub, s.ref, viewer));
    if (s.startsAt !== views.get(s.row)!.startsAt && !unopened.has(s.row))
      unopened.set(s.row, await unopenedStartsReason(hub, s.ref, viewer));
  }
  const listed = first.map(({ startsAt, row, position }): MyMeeting => {
    const v = views.get(row)!;
    const laterInSeries = startsAt !== v.startsAt;
    return {
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
      laterInSeries,
      opensAgenda: v.can.openOccurrence.allowed,
      noAgendaYet: laterInSeries ? unopened.get(row)! : null,
      path: laterInSeries ? seriesStartPath(v.ref, startsAt, position ?? 0) : `/meetings/${v.ref}`,
      agenda: (startsAt === v.startsAt ? v.agenda.items : []).slice(0, LIMITS.homeAgendaItems).map((i) => ({
        position: i.position,
        title: i.title,
        writtenInput: i.writtenInput.length,
      })),
      moreAgendaItems: startsAt === v.startsAt ? Math.max(0, v.agenda.items.length - LIMITS.homeAgendaItems) : 0,
    };
  });
  return {
    value: { listed, total: oneOffTotal + seriesStarts },
    // nothing leaves the window before the soonest starts, and nothing comes into it before the next
    // past it is `days` days away
    validUntil: Math.min(at + DAY, starts.length ? Date.parse(starts[0]!.startsAt) : Infinity, next - days * DAY),
  };
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
    .leftJoin('group_members as gm', (j) =>
      j.onRef('gm.group_id', '=', 'm.group_id').on('gm.person_id', '=', person.id),
    )
    .select(['a.id', 'a.description', 'a.due_date', 'm.number', 'm.title', 'g.slug', 'gm.level', 'gm.emeritus'])
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
  const viewer = viewerOf(hub, { kind: 'person', person });
  return {
    items: rows.map((r) => ({
      meeting: meetingRef(r),
      meetingTitle: r.title,
      group: r.slug,
      id: r.id,
      description: r.description,
      due: r.due_date,
      // they own it; their level in its group, an emeritus one held by none (as the meeting's page reads it)
      can: actionItemPolicy(hub.governance, viewer, {
        groupLevel: r.level && !r.emeritus ? r.level : null,
        relations: ['owner'],
      }),
    })),
    total,
  };
}

/**
 * The notes this person owes (as the meeting's note-taker, or its organiser when it names none) for
 * meetings that have ended in the last 30 days and have none published yet, soonest due first: the
 * reminder for late notes tells them once, in the inbox; their home says it until the notes are out.
 * The same meetings and people as `remindMeetingDuties` (notifications/duties.ts). With them, whether
 * the meetings read reached their bound before those not due were left out.
 */
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
