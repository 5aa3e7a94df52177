// Meetings of a group or topic area: scheduling with notice flagged against the governance file,
// series rules, and one view that every edge shows (agenda with written input, notes, outcomes).
import { namesOf, personOrNull } from '../people/names.ts';
import { nextNumber } from '../core/numbers.ts';
import { LIMITS, refNumber } from '../../domain/limits.ts';
import { checkText, type TextFlag } from '../../domain/interests.ts';
import { type FieldIssue, Forbidden, InvalidInput, invalid, NotFound } from '../../domain/errors.ts';
import type { ParticipationLevel } from '../../domain/community.ts';
import { membershipStanding } from '../../domain/groups.ts';
import { ianaZone } from '../../domain/people.ts';
import { kindWarning, type KindWarning, type MeetingKind } from '../../domain/meetings/agenda-kind.ts';
import { endOf, noticeOf, notesDeadline, type Notice, type NotesDeadline } from '../../domain/meetings/deadlines.ts';
import {
  isOccurrence,
  localTime,
  normaliseRule,
  occurrences,
  reachesEnd,
  ruleEndedInZone,
  ruleUntil,
  startProblem,
  startsFrom,
} from '../../domain/meetings/recurrence.ts';
import type { MeetingsTable, PeopleTable } from '../../store/schema.ts';
import { activeLevelIn, groupRow, groupRowHeld } from '../groups/groups.ts';
import { knownFilter } from '../groups/filters.ts';
import {
  CursorPart,
  assertVersion,
  decodeCursor,
  encodeCursor,
  inTransaction,
  nowIso,
  record,
  requireVersion,
  writeOrConflict,
  type Actor,
  type Hub,
  type Page,
  type Tx,
} from '../core/hub.ts';
import { ListMeetingsQuery, ScheduleMeetingInput, UpdateMeetingInput } from './schemas.ts';
import { withoutStoredZone } from '../core/schemas.ts';
import { groupCan } from '../groups/group-can.ts';
import { authorize, readInputFor, viewerOf } from '../core/gate.ts';
import {
  actionItemPolicy,
  agendaItemPolicy,
  type AgendaItemAction,
  meetingPolicy,
  ruleAllowsStanding,
  whoMay,
  WORDING,
  writtenInputPolicy,
  type Can,
  type MeetingAction,
  type WrittenInputAction,
  unopenedOccurrenceCan,
  unopenedOccurrenceRefusal,
} from '../../domain/policies/index.ts';
import { InputCheck, parseInput } from '../core/validate.ts';
import { loadShippedModel } from '../../domain/hints/shipped.ts';

export const meetingRef = (m: Pick<MeetingsTable, 'number'>) => `M-${m.number}`;

/** How many of its starts still to come a meeting's view lists (`upcoming`). */
export const UPCOMING_LISTED = 12;

export async function meetingRow(db: Tx, ref: string, opts: { lock?: Hub } = {}): Promise<MeetingsTable> {
  const m = /^M-(\d+)$/i.exec(ref.trim()) ?? /^(\d+)$/.exec(ref.trim());
  const n = m ? refNumber(m[1]!) : null;
  let q = db
    .selectFrom('meetings')
    .selectAll()
    .where('number', '=', n ?? -1);
  // on PostgreSQL the row is held until the transaction ends, so writes to one meeting's agenda
  // (add, remove, move: positions 1..n) take turns; SQLite's write transactions already do
  if (opts.lock?.store.kind === 'postgres') q = q.forUpdate();
  const row = n !== null ? await q.executeTakeFirst() : undefined;
  if (!row) throw new NotFound('meeting', ref);
  return row;
}

/**
 * The actor's standing for a meeting's permissions: their level in the group, except that a
 * topic area's facilitators run their topic's meetings as a lead does ("Facilitators ensure that
 * meetings have clear agendas").
 */
export async function meetingLevel(
  db: Tx,
  hub: Hub,
  m: Pick<MeetingsTable, 'group_id' | 'topic_area_id'>,
  actor: Actor,
): Promise<ParticipationLevel | null> {
  if (actor.kind !== 'person') return null;
  if (m.topic_area_id) {
    const f = await db
      .selectFrom('topic_facilitators')
      .select('person_id')
      .where('topic_area_id', '=', m.topic_area_id)
      .where('person_id', '=', actor.person.id)
      .executeTakeFirst();
    if (f) return 'lead';
  }
  return activeLevelIn(db, hub, m.group_id, actor);
}

/** The meeting's policy for this actor now (null: a visitor): the meeting, its agenda items and action items. */
export async function meetingCan(
  db: Tx,
  hub: Hub,
  actor: Actor | null,
  m: MeetingsTable,
  /** false: as if the viewer had sent no written input yet (whether they may resend what they sent). */
  opts: { countInputs?: boolean } = {},
) {
  const viewer = viewerOf(hub, actor);
  const me = actor?.kind === 'person' ? actor.person.id : null;
  const groupLevel = actor ? await meetingLevel(db, hub, m, actor) : null;
  const items = await db
    .selectFrom('meeting_agenda_items')
    .select(['id', 'added_by'])
    .where('meeting_id', '=', m.id)
    .execute();
  const actions = await db
    .selectFrom('meeting_actions')
    .select(['id', 'owner_id'])
    .where('meeting_id', '=', m.id)
    .execute();
  const series = m.series_id
    ? await db
        .selectFrom('meetings')
        .select(['rrule', 'time_zone', 'series_ended_from'])
        .where('id', '=', m.series_id)
        .executeTakeFirst()
    : undefined;
  const seriesUntil = series?.series_ended_from && series.rrule ? ruleUntil(series.rrule, series.time_zone) : null;
  const inputs = await db
    .selectFrom('meeting_written_inputs')
    .select(['id', 'author_id', 'presented'])
    .where('meeting_id', '=', m.id)
    .execute();
  const facts = {
    cancelled: m.cancelled_at !== null,
    // by the start it stands for: one moved alone is kept or ended with the start it was opened at
    pastSeriesEnd: seriesUntil !== null && (m.series_start ?? m.starts_at) > seriesUntil,
    started: nowIso(hub) >= m.starts_at,
    agendaItems: items.length,
    writtenInputsByViewer: me && opts.countInputs !== false ? inputs.filter((w) => w.author_id === me).length : 0,
    recurring: m.rrule !== null,
    occurrence: m.series_id !== null,
    notesPublished: m.notes_published_at !== null,
    seriesEnded: m.series_ended_from !== null,
    seriesEndedFrom: m.series_ended_from,
    groupRetired:
      (await db.selectFrom('groups').select('status').where('id', '=', m.group_id).executeTakeFirst())?.status ===
      'retired',
  };
  const g = hub.governance;
  const meeting = meetingPolicy(g, viewer, { groupLevel }, facts);
  return {
    meeting,
    /** For a series: how each of its later starts without a record of its own refuses what it does not take yet. */
    unopened: unopenedOccurrenceRefusal(g, meeting.openOccurrence, facts),
    items: new Map(
      items.map((i) => [
        i.id,
        agendaItemPolicy(g, viewer, { groupLevel, relations: i.added_by === me ? ['author'] : [] }, facts),
      ]),
    ),
    actions: new Map(
      actions.map((a) => [
        a.id,
        actionItemPolicy(g, viewer, { groupLevel, relations: a.owner_id === me ? ['owner'] : [] }),
      ]),
    ),
    writtenInput: new Map(
      inputs.map((w) => [
        w.id,
        writtenInputPolicy(viewer, facts, { mine: w.author_id === me, marked: w.presented !== null }),
      ]),
    ),
  };
}

export type WrittenInputView = {
  id: string;
  author: string;
  /** The author's name, to show beside the handle. */
  authorName: string;
  body: string;
  submittedAt: string;
  presented: boolean | null;
  note: string | null;
  /** the guide's hints on it (a position, marketing), as on comments and decision responses */
  flags: TextFlag[];
  /** When its sender last changed it (null if never). */
  editedAt: string | null;
  /** Who entered it for its sender (a lead or facilitator, for input sent by mail); null when the sender sent it. */
  recordedBy: { handle: string; name: string } | null;
  /** Its own version: a change carries the one read (If-Match), so an older read never overwrites a newer text. */
  version: number;
  /** Whether the viewer may change or withdraw it now (its sender, until the meeting starts), and why not. */
  can: Can<WrittenInputAction>;
};
export type AgendaItemView = {
  id: string;
  position: number;
  title: string;
  description: string;
  kind: MeetingKind;
  link: { type: string; ref: string } | null;
  addedBy: string;
  /** The name of whoever added it, to show beside the handle. */
  addedByName: string;
  addedAt: string;
  warning: KindWarning | null;
  writtenInput: WrittenInputView[];
  /** Whether the viewer may take it off the agenda, or change its kind (process or content), and why not. */
  can: Can<AgendaItemAction>;
};

export type MeetingSummary = {
  ref: string;
  group: string;
  /** The group's and topic area's names, for text people read (the slugs are for addresses). */
  groupName: string;
  topic: string | null;
  topicName: string | null;
  kind: MeetingKind;
  title: string;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  /** The start on the organiser's wall clock. */
  localStart: string;
  rrule: string | null;
  series: string | null;
  notice: Notice;
  cancelled: boolean;
  /** When it was called off (UTC), or null. */
  cancelledAt: string | null;
  /**
   * One meeting of a series (`series`): the start of the series it stands for, which its id
   * (`M-1@<start>`) names; its own `startsAt` differs once it was moved alone. Null for any other meeting.
   */
  seriesStart: string | null;
};

export type MeetingView = MeetingSummary & {
  description: string;
  durationMinutes: number;
  location: string | null;
  organiser: string | null;
  /** The organiser's name, to show beside the handle (null with no organiser). */
  organiserName: string | null;
  /** Who owes the notes (told with the leads when they are overdue). */
  noteTaker: string | null;
  /** The note-taker's name, to show beside the handle (null with none named). */
  noteTakerName: string | null;
  listedAt: string;
  /** The starts still to come (UTC), up to UPCOMING_LISTED (12): a series' next meetings, or a one-off's own start until it begins. */
  upcoming: string[];
  /**
   * How many meetings are still to come, those in `upcoming` and any after them (a series of 6 not yet
   * begun: 6); null for a series that repeats until it is changed or cancelled.
   */
  stillToCome: number | null;
  /** The start of the last meeting (UTC): a series' last one, when it has a count or an end; null when it has none. */
  lastStartsAt: string | null;
  /** A series ended early: from which day (in its zone) it no longer meets, and why; null otherwise. */
  seriesEnd: { from: string; reason: string } | null;
  /** `warning` says when the meeting began without a published agenda ("agendas published in advance"). */
  agenda: { publishedAt: string | null; warning: string | null; items: AgendaItemView[] };
  notes: { markdown: string | null; publishedAt: string | null; deadline: NotesDeadline };
  attendance: string[];
  /** The same people as `attendance`, in the same order, each with their name to show beside the handle. */
  attendees: { handle: string; name: string }[];
  decisions: {
    id: string;
    summary: string;
    decision: string | null;
    recordedBy: string;
    /** The recorder's name, to show beside the handle; null when the operator recorded it. */
    recordedByName: string | null;
    recordedAt: string;
  }[];
  actions: {
    id: string;
    owner: string;
    /** The owner's name, to show beside the handle. */
    ownerName: string;
    description: string;
    due: string;
    done: boolean;
    doneAt: string | null;
    can: Can<'complete'>;
  }[];
  /** What the viewer may do on this meeting now, and for each thing they may not, why. */
  can: Can<MeetingAction>;
  version: number;
  createdAt: string;
  updatedAt: string;
};

export async function summaryOf(db: Tx, hub: Hub, m: MeetingsTable): Promise<MeetingSummary> {
  const g = await db
    .selectFrom('groups')
    .select(['slug', 'name'])
    .where('id', '=', m.group_id)
    .executeTakeFirstOrThrow();
  const t = m.topic_area_id
    ? await db.selectFrom('topic_areas').select(['slug', 'name']).where('id', '=', m.topic_area_id).executeTakeFirst()
    : undefined;
  const series = m.series_id
    ? await db.selectFrom('meetings').select('number').where('id', '=', m.series_id).executeTakeFirst()
    : undefined;
  return {
    ref: meetingRef(m),
    group: g.slug,
    groupName: g.name,
    topic: t?.slug ?? null,
    topicName: t?.name ?? null,
    kind: m.kind,
    title: m.title,
    startsAt: m.starts_at,
    endsAt: endOf(m.starts_at, m.duration_minutes),
    timeZone: m.time_zone,
    localStart: localTime(m.starts_at, m.time_zone),
    rrule: m.rrule,
    series: series ? meetingRef(series) : null,
    notice: noticeOf(hub.governance, m.listed_at, m.starts_at),
    cancelled: m.cancelled_at !== null,
    cancelledAt: m.cancelled_at,
    seriesStart: series ? (m.series_start ?? m.starts_at) : null,
  };
}

/**
 * A meeting's starts from `now` on (at most UPCOMING_LISTED), how many are still to come (null: it
 * repeats until changed) and its last start. A series is read from `now` whatever its length
 * (`startsFrom`): read from its first start, a daily one had none left after its 520th (17 months).
 */
function startsAhead(
  m: Pick<MeetingsTable, 'starts_at' | 'time_zone' | 'rrule'>,
  now: string,
): { ahead: string[]; stillToCome: number | null; lastStartsAt: string | null } {
  const whole = occurrences(m.starts_at, m.time_zone, m.rrule);
  if (reachesEnd(m.rrule, whole)) {
    const ahead = whole.filter((t) => t >= now);
    return { ahead: ahead.slice(0, UPCOMING_LISTED), stillToCome: ahead.length, lastStartsAt: whole.at(-1) ?? null };
  }
  // past the first 520: from now, and one more than an expansion holds tells whether an UNTIL is reached
  // (a rule without UNTIL goes on: its next few are all it needs)
  const { maxOccurrences } = LIMITS.recurrence;
  const until = /(?:^|;)UNTIL=/.test(m.rrule ?? '');
  const ahead = startsFrom(m.starts_at, m.time_zone, m.rrule, now, until ? maxOccurrences + 1 : UPCOMING_LISTED);
  const ends = until && ahead.length > 0 && ahead.length <= maxOccurrences;
  return {
    ahead: ahead.slice(0, UPCOMING_LISTED),
    stillToCome: ends ? ahead.length : null,
    lastStartsAt: ends ? ahead.at(-1)! : null,
  };
}

export async function meetingView(
  db: Tx,
  hub: Hub,
  m: MeetingsTable,
  viewer: Actor | null = null,
): Promise<MeetingView> {
  await loadShippedModel(); // the hints on its texts (loaded on first use)
  const summary = await summaryOf(db, hub, m);
  const can = await meetingCan(db, hub, viewer, m);
  const items = await db
    .selectFrom('meeting_agenda_items as i')
    .innerJoin('people as p', 'p.id', 'i.added_by')
    .selectAll('i')
    .select(['p.handle', 'p.name'])
    .where('i.meeting_id', '=', m.id)
    .orderBy('i.position')
    .execute();
  const inputs = await db
    .selectFrom('meeting_written_inputs as w')
    .innerJoin('people as p', 'p.id', 'w.author_id')
    .leftJoin('people as r', 'r.id', 'w.recorded_by')
    .selectAll('w')
    .select(['p.handle', 'p.name', 'r.handle as recorderHandle', 'r.name as recorderName'])
    .where('w.meeting_id', '=', m.id)
    .orderBy('w.submitted_at')
    // inputs sent in the same instant keep one order from one read to the next (PostgreSQL's join
    // gave them in either)
    .orderBy('w.id')
    .execute();
  const attendance = await db
    .selectFrom('meeting_attendance as a')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .select(['p.handle', 'p.name'])
    .where('a.meeting_id', '=', m.id)
    .orderBy('p.handle')
    .execute();
  const decisions = await db
    .selectFrom('meeting_decisions')
    .selectAll()
    .where('meeting_id', '=', m.id)
    .orderBy('recorded_at')
    .orderBy('id')
    .execute();
  const recorders = await namesOf(
    db,
    decisions.map((d) => personOrNull(d.recorded_by)),
  );
  const actions = await db
    .selectFrom('meeting_actions as a')
    .innerJoin('people as p', 'p.id', 'a.owner_id')
    .selectAll('a')
    .select(['p.handle', 'p.name'])
    .where('a.meeting_id', '=', m.id)
    .orderBy('a.due_date')
    .orderBy('a.id')
    .execute();
  const organiser = m.organiser_id
    ? await db.selectFrom('people').select(['handle', 'name']).where('id', '=', m.organiser_id).executeTakeFirst()
    : undefined;
  const noteTaker = m.note_taker_id
    ? await db.selectFrom('people').select(['handle', 'name']).where('id', '=', m.note_taker_id).executeTakeFirst()
    : undefined;
  const now = hub.clock.now();
  const { ahead, stillToCome, lastStartsAt } = startsAhead(m, now.toISOString());
  return {
    ...summary,
    description: m.description,
    durationMinutes: m.duration_minutes,
    location: m.location,
    organiser: organiser?.handle ?? null,
    organiserName: organiser?.name ?? null,
    noteTaker: noteTaker?.handle ?? null,
    noteTakerName: noteTaker?.name ?? null,
    listedAt: m.listed_at,
    upcoming: ahead,
    stillToCome,
    lastStartsAt,
    seriesEnd:
      m.series_ended_from && m.series_end_reason !== null
        ? { from: m.series_ended_from, reason: m.series_end_reason }
        : null,
    agenda: {
      publishedAt: m.agenda_published_at,
      warning:
        !m.agenda_published_at && !m.cancelled_at && now.toISOString() >= m.starts_at
          ? 'the meeting began without a published agenda; the group rules ask for agendas published in advance'
          : null,
      items: items.map((i) => ({
        id: i.id,
        position: i.position,
        title: i.title,
        description: i.description,
        kind: i.kind,
        link: i.link_type && i.link_ref ? { type: i.link_type, ref: i.link_ref } : null,
        addedBy: i.handle,
        addedByName: i.name,
        addedAt: i.added_at,
        warning: kindWarning(m.kind, i.kind),
        writtenInput: inputs
          .filter((w) => w.item_id === i.id)
          .map((w) => ({
            id: w.id,
            author: w.handle,
            authorName: w.name,
            body: w.body,
            flags: checkText(w.body),
            submittedAt: w.submitted_at,
            presented: w.presented === null ? null : w.presented === 1,
            note: w.presented_note,
            editedAt: w.edited_at,
            recordedBy: w.recorderHandle && w.recorderName ? { handle: w.recorderHandle, name: w.recorderName } : null,
            version: w.version,
            can: can.writtenInput.get(w.id)!,
          })),
        can: can.items.get(i.id)!,
      })),
    },
    notes: {
      markdown: m.notes,
      publishedAt: m.notes_published_at,
      deadline: notesDeadline(hub.governance, summary.endsAt, m.notes_published_at, now, m.cancelled_at !== null),
    },
    attendance: attendance.map((a) => a.handle),
    attendees: attendance.map((a) => ({ handle: a.handle, name: a.name })),
    decisions: decisions.map((d) => ({
      id: d.id,
      summary: d.summary,
      decision: d.decision_ref,
      recordedBy: d.recorded_by,
      recordedByName: recorders[d.recorded_by] ?? null,
      recordedAt: d.recorded_at,
    })),
    actions: actions.map((a) => ({
      id: a.id,
      owner: a.handle,
      ownerName: a.name,
      description: a.description,
      due: a.due_date,
      done: a.done_at !== null,
      doneAt: a.done_at,
      can: can.actions.get(a.id)!,
    })),
    can: can.meeting,
    version: m.version,
    createdAt: m.created_at,
    updatedAt: m.updated_at,
  };
}

export async function getMeeting(hub: Hub, ref: string, viewer: Actor | null = null): Promise<MeetingView> {
  return meetingView(hub.store.db, hub, await meetingRow(hub.store.db, ref), viewer);
}

/**
 * One start of a series, as `getMeetingAt` read it: its id (`M-1@2026-12-19T16:00:00.000Z`, the start
 * written as UTC whatever zone it was asked in), the series, the start, and the meeting of its own there, if any.
 */
export type Occurrence = { id: string; series: string; startsAt: string; ref: string | null };

/** Where one start of a series is listed on the series' page (its `#series` list). */
export const seriesAnchor = (startsAt: string) => `series-${startsAt}`;

/** The id of one start of a series (`M-1@2026-12-19T16:00:00.000Z`): what_needs_me names a later start by it. */
export const occurrenceId = (series: string, startsAt: string) => `${series}@${startsAt}`;

/** Where one start of a series stands: the series, the start, and the meeting of its own there (null: none yet). */
type Located = { series: MeetingsTable; startsAt: string; own: MeetingsTable | null };

/**
 * One start of a series by its id (`M-1@2026-12-19T16:00:00.000Z`): the series' first start is the
 * series itself, a later one the meeting of its own there, if the leads opened one. A start the series
 * never holds is refused naming `ref`.
 */
async function locateOccurrence(db: Tx, series: string, start: string): Promise<Located> {
  const s = await meetingRow(db, series);
  const ref = meetingRef(s);
  const time = Date.parse(start);
  if (!/^\d{4}-\d\d-\d\dT/.test(start) || Number.isNaN(time))
    throw invalid('ref', `'${start.slice(0, 40)}' is not a start: give an ISO date-time, e.g. ${ref}@${s.starts_at}`);
  const startsAt = new Date(time).toISOString();
  if (startsAt === s.starts_at) return { series: s, startsAt, own: s };
  if (!s.rrule) throw invalid('ref', `${ref} meets once, at ${s.starts_at}: it has no other start`);
  // the meeting of its own opened at that start, wherever it was moved since
  const own = await db
    .selectFrom('meetings')
    .selectAll()
    .where('series_id', '=', s.id)
    .where('series_start', '=', startsAt)
    .executeTakeFirst();
  if (own) return { series: s, startsAt, own };
  const until = s.series_ended_from ? ruleUntil(s.rrule, s.time_zone) : null;
  if (!isOccurrence(s.starts_at, s.time_zone, s.rrule, startsAt) || (until && startsAt > until))
    throw invalid(
      'ref',
      `${startsAt} is not one of the starts of ${ref} (${s.rrule} from ${s.starts_at} in ${s.time_zone})`,
    );
  return { series: s, startsAt, own: null };
}

const OCCURRENCE_KEY = /^(M-\d+)@(\S+)$/i;

/**
 * A meeting by its ref, or one start of a series by its id (`occurrenceId`). A start with a meeting of
 * its own answers with that meeting. A later start without one answers as that meeting stands: the
 * series' ref and version, at that start, with no agenda, notes or outcomes yet, and a `can` that
 * refuses what only its own record takes (items, written input, its time, its outcomes) saying who
 * opens it (the series' `openOccurrence`, schedule_meeting's seriesOf); `occurrence` says which start
 * was asked for and that it has no agenda of its own yet. A start the series never holds is refused
 * naming `ref`.
 */
export async function getMeetingAt(
  hub: Hub,
  key: string,
  viewer: Actor | null = null,
): Promise<MeetingView & { occurrence: Occurrence | null }> {
  const at = OCCURRENCE_KEY.exec(key.trim());
  if (!at) return { ...(await getMeeting(hub, key, viewer)), occurrence: null };
  const db = hub.store.db;
  const { series, startsAt, own } = await locateOccurrence(db, at[1]!, at[2]!);
  const occurrence = {
    id: occurrenceId(meetingRef(series), startsAt),
    series: meetingRef(series),
    startsAt,
    ref: own ? meetingRef(own) : null,
  };
  if (own) return { ...(await meetingView(db, hub, own, viewer)), occurrence };
  const view = await meetingView(db, hub, series, viewer);
  const { unopened } = await meetingCan(db, hub, viewer, series);
  const endsAt = endOf(startsAt, series.duration_minutes);
  return {
    ...view,
    startsAt,
    endsAt,
    localStart: localTime(startsAt, series.time_zone),
    noteTaker: null,
    noteTakerName: null,
    agenda: { publishedAt: null, warning: null, items: [] },
    notes: {
      markdown: null,
      publishedAt: null,
      deadline: notesDeadline(hub.governance, endsAt, null, hub.clock.now(), view.cancelled),
    },
    attendance: [],
    attendees: [],
    decisions: [],
    actions: [],
    can: unopenedOccurrenceCan(view.can, unopened),
    occurrence,
  };
}

/**
 * What a series' later starts without a meeting of their own say to this viewer, in the meeting
 * policy's words (`unopenedOccurrenceRefusal`): who opens them, or that they get none (the series
 * cancelled, the group retired). Lists of those starts (the series' pages, the member home) show it.
 */
export async function unopenedStartsReason(hub: Hub, ref: string, viewer: Actor | null): Promise<string> {
  const db = hub.store.db;
  return (await meetingCan(db, hub, viewer, await meetingRow(db, ref))).unopened.reason;
}

/**
 * Why a later start of a series with no meeting of its own takes nothing of its own yet, as the
 * meeting policy says it (`unopenedOccurrenceRefusal`): one 403 for every read that needs a held
 * meeting and every write, on every edge, naming what to do and who may open it.
 */
async function unopenedRefusal(db: Tx, hub: Hub, actor: Actor | null, series: MeetingsTable, startsAt: string) {
  const { unopened } = await meetingCan(db, hub, actor, series);
  return new Forbidden(unopened.reason, {
    occurrence: { id: occurrenceId(meetingRef(series), startsAt), series: meetingRef(series), startsAt, ref: null },
  });
}

/**
 * The meeting a use case acts on, by its ref or by one start of a series (`M-1@<start>`, the id
 * what_needs_me and the upcoming list give): the series itself at its first start, the meeting of its
 * own opened at a later start (wherever it was moved since). A later start with none is refused by the
 * meeting policy (`unopenedRefusal`); a start the series never holds is refused naming `ref`; an
 * unknown meeting is not found. `lock` holds the row as `meetingRow` does.
 */
export async function meetingRowAt(
  db: Tx,
  hub: Hub,
  key: string,
  actor: Actor | null,
  opts: { lock?: Hub } = {},
): Promise<MeetingsTable> {
  const at = OCCURRENCE_KEY.exec(key.trim());
  if (!at) return meetingRow(db, key, opts);
  const { series, startsAt, own } = await locateOccurrence(db, at[1]!, at[2]!);
  if (own) return opts.lock ? meetingRow(db, meetingRef(own), opts) : own;
  throw await unopenedRefusal(db, hub, actor, series, startsAt);
}

/**
 * The group of the meeting at `key`, its row held shared (FOR SHARE on PostgreSQL) until the
 * transaction ends, for a write that holds the meeting and then touches a member's row (marks them
 * active): taken before the meeting, in the one lock order (a group's row, then its meetings', then
 * its members'), as a member leaving holds the group, ends their membership and then clears them as
 * note-taker on its meetings. Held the other way round, the two waited on each other (40P01, a 500).
 * Shared, as such writes only add; none of them writes the group's row after. SQLite's write
 * transactions already take turns.
 */
export async function holdGroupOfMeeting(db: Tx, hub: Hub, key: string, actor: Actor | null): Promise<void> {
  if (hub.store.kind !== 'postgres') return;
  const m = await meetingRowAt(db, hub, key, actor);
  await db.selectFrom('groups').select('id').where('id', '=', m.group_id).forShare().execute();
}

/**
 * The meeting held at a ref or at one start of a series, for what belongs to one meeting alone (its
 * written input, its notes): a later start without a meeting of its own has none of its own yet, so
 * it is refused as `meetingRowAt` refuses it, never answered with the series' first meeting's.
 */
export async function meetingHeldAt(hub: Hub, key: string, viewer: Actor | null = null): Promise<MeetingView> {
  const db = hub.store.db;
  return meetingView(db, hub, await meetingRowAt(db, hub, key, viewer), viewer);
}

/**
 * The meeting a tool's `ref` names, as `M-n`: a meeting's ref as it is, and one start of a series
 * (`M-1@…`) as the meeting holding it, refused as `meetingRowAt` refuses it while it has none.
 */
export async function meetingRefAt(hub: Hub, key: string, actor: Actor | null): Promise<string> {
  if (!OCCURRENCE_KEY.test(key.trim())) return key;
  return meetingRef(await meetingRowAt(hub.store.db, hub, key, actor));
}

/**
 * A note-taker named by handle: a person who belongs to the meeting's group (not emeritus) and may
 * publish its notes (`meeting.recordOutcomes`, a topic area's facilitator as a lead): the one who owes
 * the notes is reminded of them, so one who could not publish them would owe what they cannot give.
 */
async function noteTakerId(
  trx: Tx,
  hub: Hub,
  m: Pick<MeetingsTable, 'group_id' | 'topic_area_id'>,
  handle: string,
): Promise<string> {
  const p = await trx
    .selectFrom('people')
    .leftJoin('group_members as gm', (j) =>
      j.onRef('gm.person_id', '=', 'people.id').on('gm.group_id', '=', m.group_id),
    )
    .selectAll('people')
    .select(['gm.person_id as member', 'gm.emeritus'])
    .where((eb) => eb.fn('lower', ['people.handle']), '=', handle.toLowerCase())
    .executeTakeFirst();
  if (!p) throw invalid('noteTaker', `no person '${handle}'`);
  if (!p.member || p.emeritus) throw invalid('noteTaker', `${handle} is not an active member of the meeting's group`);
  const { member: _, emeritus: __, ...person } = p;
  const level = await meetingLevel(trx, hub, m, { kind: 'person', person });
  const rule = hub.governance.permissions['meeting.recordOutcomes'];
  if (!publishesNotes(hub, person.role, level))
    throw invalid(
      'noteTaker',
      `${person.name} (@${person.handle}) could not publish the notes they would owe: only ${whoMay(hub.governance, rule, WORDING['meeting.recordOutcomes'])} may ${WORDING['meeting.recordOutcomes'].doing}; raise their level in the group first, or name another`,
    );
  return person.id;
}

/**
 * Whether someone of this community role and level in a meeting (meetingLevel: a topic area's
 * facilitator counts as a lead) may publish its notes: the rule a note-taker is held to.
 */
function publishesNotes(hub: Hub, role: PeopleTable['role'], level: ParticipationLevel | null): boolean {
  return ruleAllowsStanding(hub.governance, hub.governance.permissions['meeting.recordOutcomes'], role, {
    groupLevel: level,
  });
}

/**
 * Whom a meeting's note-taker picker suggests: the active members of its group who may publish its
 * notes, by the rule `noteTakerId` holds a named one to (their level, a topic area's facilitators as
 * leads, or their community role), so the picker offers no one the form then refuses, and leaves out
 * no one it takes.
 */
export async function noteTakerChoices(hub: Hub, ref: string): Promise<{ handle: string; name: string }[]> {
  const db = hub.store.db;
  const m = await meetingRow(db, ref);
  const facilitators = new Set(
    m.topic_area_id
      ? (
          await db
            .selectFrom('topic_facilitators')
            .select('person_id')
            .where('topic_area_id', '=', m.topic_area_id)
            .execute()
        ).map((f) => f.person_id)
      : [],
  );
  const rows = await db
    .selectFrom('group_members as gm')
    .innerJoin('people as p', 'p.id', 'gm.person_id')
    .select(['p.id', 'p.handle', 'p.name', 'p.role', 'gm.level', 'gm.emeritus', 'gm.last_active_at'])
    .where('gm.group_id', '=', m.group_id)
    .where('gm.emeritus', '=', 0)
    .orderBy('p.handle')
    .execute();
  const now = hub.clock.now();
  return rows
    .filter((r) => {
      const level = facilitators.has(r.id)
        ? 'lead'
        : membershipStanding(hub.governance, { level: r.level, emeritus: false, lastActiveAt: r.last_active_at }, now)
            .activeLevel;
      return publishesNotes(hub, r.role, level);
    })
    .map((r) => ({ handle: r.handle, name: r.name }));
}

async function topicOf(trx: Tx, groupId: string, groupSlug: string, slug: string | undefined): Promise<string | null> {
  if (!slug) return null;
  const t = await trx
    .selectFrom('topic_areas')
    .select('id')
    .where('group_id', '=', groupId)
    .where('slug', '=', slug)
    .executeTakeFirst();
  if (!t) throw invalid('topic', `no topic area '${slug}' in ${groupSlug}`);
  return t.id;
}

/**
 * Lists a meeting. Less notice than the governance file asks for is flagged on the meeting (and in
 * the log), never refused: a short-notice meeting is sometimes needed, but everyone should see it was.
 */
export async function scheduleMeeting(
  hub: Hub,
  actor: Actor,
  raw: unknown,
  /** Issues the edge met turning its own fields into this input, reported with the use case's own. */
  found: readonly FieldIssue[] = [],
): Promise<MeetingView> {
  const check = new InputCheck(ScheduleMeetingInput, raw, found);
  const f = check.fields;
  return inTransaction(hub, async (trx) => {
    const g = f.group
      ? await check.attempt(() =>
          groupRow(trx, f.group!).catch((e: unknown) => {
            throw e instanceof NotFound ? invalid('group', `no group '${f.group}'`) : e;
          }),
        )
      : undefined;
    const topicId = g ? await check.attempt(() => topicOf(trx, g.id, g.slug, f.topic)) : undefined;
    // who may schedule depends on the group and topic area: without them there is nobody to ask
    if (!g || topicId === undefined) throw check.failure();
    // a topic's facilitators schedule its meetings as a lead does
    const level = await meetingLevel(trx, hub, { group_id: g.id, topic_area_id: topicId }, actor);
    authorize(await groupCan(trx, hub, actor, g, level), 'scheduleMeeting');
    // the group held until commit, before any of its meetings (the series below): one lock order, the
    // group's row then its meetings', as a member leaving takes them (clearing them as note-taker), so
    // neither waits on the other in turn. A retirement under way waits for this meeting, or this meeting
    // for it and is then refused as any in a retired group is; and two scheduled at once cannot both
    // pass the bound below on PostgreSQL
    const held = await groupRowHeld(trx, hub, g.slug);
    if (held.status !== g.status) authorize(await groupCan(trx, hub, actor, held, level), 'scheduleMeeting');
    const now = nowIso(hub);
    const startsAt = check.ok('startsAt') ? new Date(f.startsAt!).toISOString() : null;
    // An occurrence of a series was listed with the series, so it keeps the series' notice and may
    // be given its own meeting after it happened (to record its notes); anything else must be ahead.
    if (startsAt && startsAt <= now && !f.seriesOf) check.add('startsAt', `must be in the future (it is now ${now})`);
    let seriesId: string | null = null;
    let listedAt = now;
    if (f.seriesOf && check.ok('seriesOf')) {
      await check.attempt(async () => {
        // the series is held until commit on PostgreSQL, as ending it holds it: an occurrence is
        // opened on the rule as it stands, never beside an end being written
        // only a missing meeting is the caller's mistake: any other failure (a lock wait cut short)
        // is the database's, and on PostgreSQL has already ended this transaction
        const s = await meetingRow(trx, f.seriesOf!, { lock: hub }).catch((e: unknown) => {
          throw e instanceof NotFound ? invalid('seriesOf', `no meeting '${f.seriesOf}'`) : e;
        });
        if (!s.rrule) throw invalid('seriesOf', `${meetingRef(s)} is not a series (it has no rule)`);
        if (s.group_id !== g.id) throw invalid('seriesOf', `${meetingRef(s)} belongs to another group`);
        if (!startsAt) return;
        const until = s.series_ended_from ? ruleUntil(s.rrule, s.time_zone) : null;
        if (until && startsAt > until)
          throw invalid(
            'startsAt',
            `${meetingRef(s)} no longer meets from ${s.series_ended_from} (its series was ended): schedule a one-off meeting instead`,
          );
        if (!isOccurrence(s.starts_at, s.time_zone, s.rrule, startsAt))
          throw invalid(
            'startsAt',
            `is not one of the starts of ${meetingRef(s)} (${s.rrule} from ${s.starts_at} in ${s.time_zone})`,
          );
        // a meeting of its own there may since have been moved: it still stands for this start
        const taken = await trx
          .selectFrom('meetings')
          .select('number')
          .where('series_id', '=', s.id)
          .where('series_start', '=', startsAt)
          .executeTakeFirst();
        if (taken || s.starts_at === startsAt)
          throw invalid(
            'startsAt',
            `that occurrence already has its own meeting (${taken ? `M-${taken.number}` : meetingRef(s)})`,
          );
        seriesId = s.id;
        listedAt = s.listed_at < startsAt ? s.listed_at : now;
      });
    }
    // no zone given: the organiser's own, as IANA names it (attack round 28: a zone saved before zones
    // were checked, "europe/berlin" or "+02:00", was stored on the meeting as it was); one no IANA zone
    // names is refused, as a meeting's series keeps its time of day on that clock, which must be known
    const mine = actor.kind === 'person' ? actor.person.time_zone : 'UTC';
    const zone = f.timeZone ?? ianaZone(mine) ?? 'UTC';
    if (f.timeZone === undefined && ianaZone(mine) === null)
      check.add(
        'timeZone',
        `is required: your own time zone (${mine}) is no IANA time zone, so the meeting's clock is unknown; give one such as Europe/Berlin or UTC, or set yours on your profile`,
      );
    const offRule = startsAt && f.rrule && check.ok('rrule', 'timeZone') ? startProblem(startsAt, zone, f.rrule) : null;
    if (offRule) check.add('startsAt', offRule);
    if (startsAt && startsAt > now) {
      const ahead = await trx
        .selectFrom('meetings')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('group_id', '=', g.id)
        .where('starts_at', '>', now)
        .executeTakeFirstOrThrow();
      if (Number(ahead.n) >= LIMITS.meetingsAhead)
        check.add(
          'startsAt',
          `${g.slug} has ${LIMITS.meetingsAhead} meetings to come (cancelled ones count, as they stay listed and may be restored), as many as one group may: let a series stand for a rhythm, or schedule more nearer the time`,
        );
    }
    const noteTaker =
      f.noteTaker && check.ok('noteTaker')
        ? await check.attempt(() => noteTakerId(trx, hub, { group_id: g.id, topic_area_id: topicId }, f.noteTaker!))
        : null;
    const input = check.done();
    const n = await nextNumber(trx, 'meetings');
    const row: MeetingsTable = {
      id: hub.newId(),
      number: n,
      group_id: g.id,
      topic_area_id: topicId,
      kind: input.kind,
      title: input.title,
      description: input.description,
      starts_at: startsAt!,
      duration_minutes: input.durationMinutes,
      time_zone: zone,
      rrule: input.rrule ? normaliseRule(input.rrule) : null,
      series_id: seriesId,
      series_start: seriesId ? startsAt : null,
      location: input.location ?? null,
      organiser_id: actor.kind === 'person' ? actor.person.id : null,
      note_taker_id: noteTaker ?? null,
      listed_at: listedAt,
      agenda_published_at: null,
      notes: null,
      notes_published_at: null,
      cancelled_at: null,
      series_ended_from: null,
      series_end_reason: null,
      version: 1,
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('meetings').values(row).execute();
    if (input.noteTaker) authorize((await meetingCan(trx, hub, actor, row)).meeting, 'assignNoteTaker');
    const view = await meetingView(trx, hub, row);
    await record(trx, hub, actor, 'meeting.scheduled', { type: 'meeting', id: view.ref }, null, {
      group: g.slug,
      topic: input.topic ?? null,
      kind: row.kind,
      title: row.title,
      startsAt: row.starts_at,
      timeZone: row.time_zone,
      rrule: row.rrule,
      series: input.seriesOf ?? null,
      notice: view.notice,
      ...(input.noteTaker ? { noteTaker: view.noteTaker } : {}),
    });
    return view;
  });
}

/** Reschedules, edits or cancels a meeting. A new time counts its notice from now. */
export async function updateMeeting(
  hub: Hub,
  actor: Actor,
  ref: string,
  expectedVersion: number | undefined,
  raw: unknown,
  /** Issues the edge met turning its fields into this input (a start its clock skips), refused once the change is allowed. */
  found: readonly FieldIssue[] = [],
): Promise<MeetingView> {
  return (await changeMeeting(hub, actor, ref, expectedVersion, raw, found)).meeting;
}

/**
 * `updateMeeting`, saying whether this request changed the meeting (and so told the group): one
 * already as asked (cancelled by a second click, or another facilitator first) is answered as it
 * stands with `changed: false`, decided inside the transaction that holds the row.
 */
export async function changeMeeting(
  hub: Hub,
  actor: Actor,
  ref: string,
  expectedVersion: number | undefined,
  raw: unknown,
  found: readonly FieldIssue[] = [],
): Promise<{ meeting: MeetingView; changed: boolean }> {
  return inTransaction(hub, async (trx) => {
    let m = await meetingRowAt(trx, hub, ref, actor);
    // one meeting of a series is changed holding the series first, as ending the series holds it and
    // then its meetings (fuzz round 6): a restore crossing an end on PostgreSQL read the series not
    // yet ended and brought back a meeting past its end; now it is seen by the end (and called off)
    // or sees it (and is refused). The meeting itself is then held too: two cancels sent at once (a
    // double click) take turns, and the second sees the first's and is answered as it stands, not
    // refused as a stale version
    if (hub.store.kind === 'postgres') {
      if (m.series_id)
        await trx.selectFrom('meetings').select('id').where('id', '=', m.series_id).forUpdate().execute();
      m = await meetingRow(trx, meetingRef(m), { lock: hub });
    }
    const can = (await meetingCan(trx, hub, actor, m)).meeting;
    // which change is asked is in the input; one who may make none of them is told so whatever they send
    const { input, expected } = readInputFor(
      can,
      ['edit', 'reschedule', 'cancel', 'restore', 'changeRecurrence', 'assignNoteTaker'],
      () => ({
        input: parseInput(UpdateMeetingInput, withoutStoredZone(raw, m.time_zone)),
        expected: requireVersion(expectedVersion, 'a meeting'),
      }),
    );
    const moves = input.startsAt !== undefined && new Date(input.startsAt).toISOString() !== m.starts_at;
    // naming the note-taker is its own permission: whoever may do only that needs no other
    const onlyNoteTaker = Object.keys(input).length > 0 && Object.keys(input).every((k) => k === 'noteTaker');
    if (!onlyNoteTaker)
      authorize(
        can,
        input.cancelled === true && !m.cancelled_at
          ? 'cancel'
          : input.cancelled === false && m.cancelled_at
            ? 'restore'
            : moves
              ? 'reschedule'
              : 'edit',
      );
    if (found.length) throw new InvalidInput([...found]);
    const recurs = input.rrule !== undefined && (input.rrule ? normaliseRule(input.rrule) : null) !== m.rrule;
    // a restore is judged as a restore; a move with it would skip the move's own rules
    if (input.cancelled === false && m.cancelled_at && moves)
      throw invalid('startsAt', 'restore the meeting first, then move it: one change at a time');
    if (recurs) authorize(can, 'changeRecurrence');
    if (input.noteTaker !== undefined) authorize(can, 'assignNoteTaker');
    const noteTaker =
      input.noteTaker === undefined ? undefined : input.noteTaker && (await noteTakerId(trx, hub, m, input.noteTaker));
    const set: Partial<MeetingsTable> = {};
    if (input.kind !== undefined) set.kind = input.kind;
    if (input.title !== undefined) set.title = input.title;
    if (input.description !== undefined) set.description = input.description;
    if (input.durationMinutes !== undefined) set.duration_minutes = input.durationMinutes;
    if (input.timeZone !== undefined) set.time_zone = input.timeZone;
    // an ended series stops at an UNTIL on its wall clock: read on another clock it would keep more
    // or fewer of the meetings its end kept (fuzz round 6), so it is written again, on the new clock,
    // at the last meeting that clock holds before the end's day
    const endedUntil = m.series_ended_from && m.rrule ? ruleUntil(m.rrule, m.time_zone) : null;
    if (endedUntil && set.time_zone !== undefined && set.time_zone !== m.time_zone && input.rrule === undefined)
      set.rrule = ruleEndedInZone(m.rrule!, m.starts_at, m.series_ended_from!, set.time_zone, endedUntil);
    if (input.location !== undefined) set.location = input.location;
    if (input.rrule !== undefined) {
      if (m.series_id && input.rrule) throw invalid('rrule', 'an occurrence of a series cannot carry its own rule');
      set.rrule = input.rrule ? normaliseRule(input.rrule) : null;
    }
    // cancelling a cancelled meeting (or restoring one that stands) keeps when it was called off
    if (input.cancelled !== undefined && input.cancelled !== (m.cancelled_at !== null))
      set.cancelled_at = input.cancelled ? nowIso(hub) : null;
    if (noteTaker !== undefined) set.note_taker_id = noteTaker;
    if (input.startsAt !== undefined) {
      const startsAt = new Date(input.startsAt).toISOString();
      if (startsAt !== m.starts_at) {
        if (startsAt <= nowIso(hub)) throw invalid('startsAt', `must be in the future (it is now ${nowIso(hub)})`);
        // one meeting of a series moved alone (a holiday) still stands for the start it was opened at
        // (series_start): its id M-1@<that start> finds it, and the series lists it there, moved
        set.starts_at = startsAt;
        set.listed_at = nowIso(hub);
      }
    }
    // a series moved, re-zoned or given a new rule must still start on one of its meetings; one
    // stored before this check keeps working until it is changed
    const rule = set.rrule === undefined ? m.rrule : set.rrule;
    if (rule && (set.starts_at !== undefined || set.time_zone !== undefined || set.rrule !== undefined)) {
      const offRule = startProblem(set.starts_at ?? m.starts_at, set.time_zone ?? m.time_zone, rule);
      if (offRule)
        throw invalid(set.rrule !== undefined && set.starts_at === undefined ? 'rrule' : 'startsAt', offRule);
    }
    // the form saved as it was shown changes nothing: no version moved, nobody told of a change. So
    // too from an older read, when what it asks is already so (cancelled twice, by a second click or
    // two facilitators): nothing is written over, and the meeting is answered as it stands, not as
    // a stale version to read again and reapply
    if (Object.entries(set).every(([k, v]) => m[k as keyof MeetingsTable] === v))
      return { meeting: await meetingView(trx, hub, m, actor), changed: false };
    assertVersion(m.version, expected, meetingRef(m), await meetingView(trx, hub, m));
    const at = { table: 'meetings', id: m.id, what: meetingRef(m) } as const;
    const row = await writeOrConflict(
      trx,
      hub,
      at,
      expected,
      set,
      () => meetingRow(trx, meetingRef(m)),
      (now) => meetingView(trx, hub, now),
    );
    const after = await meetingView(trx, hub, row);
    await record(
      trx,
      hub,
      actor,
      input.cancelled && !m.cancelled_at ? 'meeting.cancelled' : moves ? 'meeting.rescheduled' : 'meeting.updated',
      { type: 'meeting', id: after.ref },
      { startsAt: m.starts_at, title: m.title },
      { ...input, notice: after.notice },
    );
    return { meeting: after, changed: true };
  });
}

export async function listMeetings(hub: Hub, raw: unknown): Promise<Page<MeetingSummary>> {
  const q = parseInput(ListMeetingsQuery, raw);
  await knownFilter(hub.store.db, q);
  const after = decodeCursor(q.cursor, [CursorPart.time, CursorPart.number]);
  let query = hub.store.db
    .selectFrom('meetings as m')
    .innerJoin('groups as g', 'g.id', 'm.group_id')
    .leftJoin('topic_areas as t', 't.id', 'm.topic_area_id')
    .selectAll('m')
    .orderBy('m.starts_at')
    .orderBy('m.number');
  if (q.group) query = query.where('g.slug', '=', q.group);
  if (q.topic) query = query.where('t.slug', '=', q.topic);
  // a series that began earlier may still meet in the range, so series are kept and read by their rule
  if (q.from)
    query = query.where((eb) =>
      eb.or([eb('m.starts_at', '>=', new Date(q.from!).toISOString()), eb('m.rrule', 'is not', null)]),
    );
  if (q.to) query = query.where('m.starts_at', '<', new Date(q.to).toISOString());
  if (after)
    query = query.where((eb) =>
      eb.or([
        eb('m.starts_at', '>', after[0]),
        eb.and([eb('m.starts_at', '=', after[0]), eb('m.number', '>', after[1])]),
      ]),
    );
  const rows = await query.limit(q.limit + 1).execute();
  const page = rows.slice(0, q.limit);
  const items = [];
  for (const m of page) items.push(await summaryOf(hub.store.db, hub, m));
  const last = page.at(-1);
  return { items, nextCursor: rows.length > q.limit && last ? encodeCursor([last.starts_at, last.number]) : null };
}
