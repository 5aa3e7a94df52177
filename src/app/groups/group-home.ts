// A group's home: its proposals, open decisions and those recently decided, meetings (next and recent) and documents, and for
// those who run it, what needs their attention now: a working group with no process meeting ahead, notes that are late, agendas not yet published
// for meetings inside the notice period, written input not yet marked, escalations nobody resolves
// yet, and implementation evidence nobody has verified. Read-only; every item links to where it is fixed.
import { groupKindName, shownRef } from '../../domain/governance/words.ts';
import { noticeOf } from '../../domain/meetings/deadlines.ts';
import { startsFrom } from '../../domain/meetings/recurrence.ts';
import { SERIES_SHOWN, seriesStartPath } from '../meetings/series-starts.ts';
import { listDecisions } from '../decisions/decisions.ts';
import type { Hub, Page } from '../core/hub.ts';
import { type MeetingSummary, meetingRef } from '../meetings/meetings.ts';
import { heldMeetings, type UpcomingMeeting, upcomingMeetings } from '../meetings/upcoming.ts';
import { listLateNotes } from '../meetings/outcomes.ts';
import { listProposals, refOf } from '../proposals/proposals.ts';
import { groupRow } from './groups.ts';

/**
 * `why` is plain words; `at` is the moment it turns on (a meeting's start, a deadline), left for the
 * page to show in the reader's zone, then `note`.
 */
export type AttentionItem = {
  what: string;
  ref: string;
  href: string;
  why: string;
  at?: { word: 'starts' | 'due' | 'asked'; iso: string };
  note?: string;
  /** A meeting's item: the slug of the meeting's topic area (null: a meeting of the whole group). */
  topic?: string | null;
};

export type GroupHome = {
  proposals: { ref: string; title: string; stage: string }[];
  decisions: { ref: string; question: string; deadline: string; phase: string }[];
  /** The latest decisions reached (by deadline, newest first), with their outcome. */
  decided: { ref: string; question: string; deadline: string; outcome: string }[];
  meetings: { upcoming: MeetingLine[]; recent: MeetingLine[] };
  documents: { path: string; title: string; kind: string }[];
  attention: AttentionItem[];
};
type MeetingLine = {
  ref: string;
  title: string;
  startsAt: string;
  cancelled: boolean;
  /** The slug of the meeting's topic area (null: the whole group's). */
  topic: string | null;
  /** A later start of a series with no meeting of its own yet: `ref`'s page is the series' first meeting. */
  laterInSeries: boolean;
};

const coordinates = (m: UpcomingMeeting) => !m.cancelled && m.kind === 'process' && m.topic === null;

/**
 * Whether one of the whole group's process meetings is ahead, past the first page of its meetings
 * if need be: a group with 50 meetings before its next coordination one was told it had none
 * (fuzz round 11). The pages are few: a group's meetings to come are bounded (LIMITS).
 */
async function processMeetingAhead(hub: Hub, slug: string, first: Page<UpcomingMeeting>): Promise<boolean> {
  let page = first;
  while (!page.items.some(coordinates)) {
    if (!page.nextCursor) return false;
    page = await upcomingMeetings(hub, { group: slug, limit: 200, cursor: page.nextCursor });
  }
  return true;
}

export async function groupHome(hub: Hub, slug: string): Promise<GroupHome> {
  const db = hub.store.db;
  const g = await groupRow(db, slug);
  const now = hub.clock.now().toISOString();
  const [proposals, decisions, decided, next, held, documents] = await Promise.all([
    listProposals(hub, { group: slug, limit: 100 }),
    listDecisions(hub, { group: slug, open: 'true', limit: 50 }),
    listDecisions(hub, { group: slug, open: 'false', limit: 100 }),
    upcomingMeetings(hub, { group: slug, limit: 50 }),
    // the last five held within a year: a group of thousands of one-off meetings is not read whole
    heldMeetings(hub, {
      group: slug,
      since: new Date(Date.parse(now) - 365 * 86_400_000).toISOString(),
      limit: 5,
    }).then((p) => p.items),
    db
      .selectFrom('artifacts')
      .select(['path', 'title', 'kind'])
      .where('group_id', '=', g.id)
      .orderBy('path')
      .limit(50)
      .execute(),
  ]);
  // a series is listed at its next meeting under "next", and at its last one under "recent"
  const line = (m: MeetingSummary, startsAt: string): MeetingLine => ({
    ref: m.ref,
    title: m.title,
    startsAt,
    cancelled: m.cancelled,
    topic: m.topic,
    laterInSeries: startsAt !== m.startsAt,
  });
  const upcoming = next.items.filter((m) => !m.cancelled).map((m) => line(m, m.nextStartsAt));
  const recent = held.map((m) => line(m, m.lastStartsAt));
  return {
    proposals: proposals.items
      .filter((p) => !hub.governance.proposals.routes[p.route].closed.includes(p.stage))
      .map((p) => ({ ref: p.ref, title: p.title, stage: p.stage })),
    decisions: decisions.items.map((d) => ({
      ref: d.ref,
      question: d.question,
      deadline: d.closesAt,
      phase: d.phase,
    })),
    decided: decided.items
      .map((d) => ({ ref: d.ref, question: d.question, deadline: d.deadline, outcome: d.outcome }))
      .sort((a, b) => b.deadline.localeCompare(a.deadline))
      .slice(0, 5),
    meetings: { upcoming: upcoming.slice(0, 5), recent: recent.slice(0, 5) },
    documents,
    attention: [
      // "Each Working Group has a coordination meeting about how the group operates": an active working
      // group with none of the whole group's process meetings ahead has nowhere to agree topics and timelines
      ...(g.kind === 'working' && g.status === 'active' && !(await processMeetingAhead(hub, slug, next))
        ? [
            {
              what: 'No process meeting ahead',
              ref: 'Schedule a process meeting',
              href: `/meetings/new?group=${slug}&kind=process`,
              why: `the guide gives each ${groupKindName(hub.governance, 'working')} a coordination meeting about how it operates: topic facilitators, the topics it takes on, its timelines and outputs.`,
            },
          ]
        : []),
      ...(await attentionFor(hub, g.id, slug, upcoming, now, decisions.items)),
    ],
  };
}

/**
 * What of the list is this viewer's: all of it for those who run the group; for a topic area's
 * facilitator (who runs its meetings as a lead does), what its meetings need. Null: nothing is theirs
 * to see.
 */
export function attentionOf(
  home: Pick<GroupHome, 'attention'>,
  runsGroup: boolean,
  facilitates: readonly string[],
): AttentionItem[] | null {
  if (runsGroup) return home.attention;
  if (!facilitates.length) return null;
  return home.attention.filter((a) => a.topic && facilitates.includes(a.topic));
}

async function attentionFor(
  hub: Hub,
  groupId: string,
  slug: string,
  upcoming: { ref: string; title: string; startsAt: string; topic: string | null }[],
  now: string,
  decisions: { ref: string; question: string; phase: string }[],
): Promise<AttentionItem[]> {
  const db = hub.store.db;
  const out: AttentionItem[] = [];
  // people asking to become members wait on the leads' answer
  const asking = await db
    .selectFrom('membership_requests as r')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .select(['p.handle', 'p.name', 'r.requested_at'])
    .where('r.group_id', '=', groupId)
    .where('r.answered_at', 'is', null)
    .orderBy('r.requested_at')
    .limit(50)
    .execute();
  for (const r of asking)
    out.push({
      what: 'Asks to become a member',
      // named as the members list names people, the handle beside it
      ref: `${r.name} (@${r.handle})`,
      href: `/groups/${slug}#requests`,
      why: 'waiting for your answer;',
      at: { word: 'asked', iso: r.requested_at },
    });
  for (const m of await listLateNotes(hub, { group: slug }))
    if (m.deadline.state === 'late')
      out.push({
        what: 'Notes are late',
        ref: m.ref,
        href: `/meetings/${m.ref}#notes`,
        why: `${m.title}:`,
        at: { word: 'due', iso: m.deadline.dueAt },
        topic: m.topic,
      });
  // agendas are published in advance: within the notice period, an unpublished one needs doing now
  const noticeMs = hub.governance.meetings.noticeDays * 86_400_000;
  // (a meeting already under way is past needing one: its page says it began without one)
  const soon = upcoming.filter(
    (m) => Date.parse(m.startsAt) > Date.parse(now) && Date.parse(m.startsAt) - Date.parse(now) <= noticeMs,
  );
  if (soon.length) {
    const rows = await db
      .selectFrom('meetings')
      .select(['number', 'title', 'starts_at', 'time_zone', 'listed_at', 'agenda_published_at', 'rrule'])
      .where('group_id', '=', groupId)
      // a series' row carries its first meeting's agenda: a later meeting's is looked at below
      .where((eb) => eb.or([eb('agenda_published_at', 'is', null), eb('rrule', 'is not', null)]))
      .where('cancelled_at', 'is', null)
      .where(
        'number',
        'in',
        soon.map((m) => Number(m.ref.slice(2))),
      )
      .execute();
    for (const r of rows) {
      // a series is listed here at its next meeting: its first is the series' own page, with its agenda;
      // a later one gets an agenda once it is opened (a meeting of its own, listed then instead)
      const { startsAt: next, topic } = soon.find((m) => m.ref === meetingRef(r))!;
      if (r.rrule && next !== r.starts_at) {
        // its own place in the series' list, where its agenda is opened (the series' page led to its top,
        // the first meeting's agenda, long over), or on a "later meetings" page past the first few, as the
        // member home links it (`seriesStartPath`, its position read from now as the series' page reads it)
        const position = startsFrom(r.starts_at, r.time_zone, r.rrule, now, SERIES_SHOWN).indexOf(next);
        out.push({
          topic,
          what: 'No agenda yet',
          ref: meetingRef(r),
          href: seriesStartPath(meetingRef(r), next, position < 0 ? SERIES_SHOWN : position),
          why: r.title,
          at: { word: 'starts', iso: next },
          note: ': open its agenda on the series page, then add items and publish it',
        });
        continue;
      }
      if (r.agenda_published_at) continue;
      out.push({
        topic,
        what: 'Agenda not published',
        ref: meetingRef(r),
        href: `/meetings/${meetingRef(r)}#agenda`,
        why: r.title,
        at: { word: 'starts', iso: r.starts_at },
        ...(noticeOf(hub.governance, r.listed_at, r.starts_at).short ? { note: ' (listed at short notice)' } : {}),
      });
    }
  }
  const unmarked = await db
    .selectFrom('meeting_written_inputs as w')
    .innerJoin('meetings as m', 'm.id', 'w.meeting_id')
    .leftJoin('topic_areas as t', 't.id', 'm.topic_area_id')
    .select(['m.number', 'm.title', 't.slug'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('m.group_id', '=', groupId)
    .where('m.starts_at', '<', now)
    .where('w.presented', 'is', null)
    .groupBy(['m.number', 'm.title', 't.slug'])
    .execute();
  for (const u of unmarked)
    out.push({
      what: 'Written input not marked',
      ref: `M-${u.number}`,
      href: `/meetings/M-${u.number}#agenda`,
      why: `${u.title}: ${Number(u.n)} written ${Number(u.n) === 1 ? 'input' : 'inputs'} not yet marked presented or not`,
      topic: u.slug,
    });
  for (const d of decisions)
    if (d.phase === 'escalated')
      out.push({ what: 'Escalated decision', ref: d.ref, href: `/decisions/${d.ref}`, why: d.question });
  const evidence = await db
    .selectFrom('proposal_evidence as e')
    .innerJoin('proposals as p', 'p.id', 'e.proposal_id')
    .leftJoin('evidence_checks as k', 'k.evidence_id', 'e.id')
    .select(['p.number', 'p.sep_number', 'p.title', 'e.description'])
    .where('p.group_id', '=', groupId)
    .where('e.kind', '=', 'implementation')
    .where('e.url', 'is not', null)
    .where('k.evidence_id', 'is', null)
    .execute();
  for (const e of evidence)
    out.push({
      what: 'Evidence not verified',
      ref: shownRef(hub.governance, refOf(e)),
      href: `/proposals/${shownRef(hub.governance, refOf(e))}#evidence`,
      why: `${e.title}: ${e.description}`,
    });
  return out;
}
