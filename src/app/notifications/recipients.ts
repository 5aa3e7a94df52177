// Who is told about an event, and why. Runs inside the event's transaction (a reaction), so it
// only reads the database. Defaults follow the issue's rule of thumb: members watch their groups'
// decisions and meetings, authors and sponsors watch their proposals, mentions and replies reach
// the person named; an explicit subscription (watching, normal, muted) on the subject or its group
// overrides the default. "Muted" still lets through what names the person (a mention, a reply).
import {
  guidanceAnswerPlace,
  guidanceWords,
  type Outcome,
  OUTCOME_WORDS,
  voteOpeningTime,
} from '../../domain/decisions/outcome.ts';
import { COMMUNITY_ROLES } from '../../domain/community.ts';
import { roleMeets } from '../../domain/governance/permissions.ts';
import { resolverName, withArticle } from '../../domain/governance/words.ts';
import { answerCounts } from '../../domain/groups.ts';
import { characterCount, firstCharacters, withoutTrailing } from '../../domain/text.ts';
import { refNumber } from '../../domain/limits.ts';
import { nameWithHandle } from '../../domain/people.ts';
import type { NotificationKind } from '../../domain/notifications/kinds.ts';
import { waitsForSponsor } from '../../domain/proposals/route.ts';
import { factList } from '../../store/events.ts';
import type { Hub, RecordedEvent, Tx } from '../core/hub.ts';
import { GITHUB_THREAD_EVENTS, githubThreadPlan } from './github-threads.ts';
import { memberIds, type PersonRange } from './audience.ts';
import { meetingOutcomePlan } from './meeting-outcome-events.ts';
import { PEOPLE_EVENTS, peoplePlan } from './people-events.ts';
import { quotedInput, WITHDRAWN_DETAIL } from './written-input-notices.ts';

export type Notice = {
  personId: string;
  kind: NotificationKind;
  reason: string;
  subject: { type: string; ref: string };
  /** The subject's group, for group-level subscriptions. */
  groupSlug: string | null;
  title: string;
  /** A deadline the notice is about: quiet hours give way when it would pass before they end. */
  deadline?: string;
  /** What it says beyond its title when no deadline does (a withdrawn decision: by whom and why). */
  detail?: string;
  /** The decision was withdrawn: its earlier "answer by …" notices no longer hold. */
  withdrawn?: true;
  /**
   * The decision reached an outcome, or was escalated past the group's answers: its earlier "answer by …"
   * and "closes soon and waits for your answer" notices no longer hold (one back from two weeks away read
   * them unread, beside the outcome, still asking for an answer).
   */
  settled?: 'closed' | 'escalated';
  /**
   * The titles the subject's earlier notices of these kinds take now (for everyone told), so that the
   * inbox reads what became of them: "D-1 closes soon and waits for your answer" stood beside "It has
   * closed" once it was adopted, and "D-1 has more time" once it was extended again or closed.
   */
  retitle?: Retitle;
  /**
   * A decision's notice to someone whose answer does not count (a participant, an author or a
   * watcher outside the eligible levels): their silence is not consent, so they are not told it is.
   */
  advisory?: true;
  /** When the meeting it is about starts, said in each reader's own zone (listed, moved, agenda out). */
  meetsAt?: string;
};

type Candidate = { personId: string; kind: NotificationKind; reason: string; direct: boolean };

/**
 * A page of a big audience: the people whose id is after `after` and, unless this is the last page,
 * not after `until`. Pages follow one another without a gap, so every candidate (member, author,
 * watcher…) falls in exactly one page of a fan-out. Ids are UUIDs, which sort the same in
 * JavaScript, SQLite and any PostgreSQL collation (same length, hyphens in the same places).
 */
export type { PersonRange } from './audience.ts';

const inRange = (id: string, range?: PersonRange) =>
  !range || (id > range.after && (range.until === undefined || id <= range.until));

/** Kinds that name the person: they reach them even on a muted subject. */
const DIRECT = new Set<NotificationKind>([
  'mention',
  'reply',
  'proposal-waiting',
  'dormancy-reminder',
  'action-assigned',
  'action-due',
  'written-input-outcome',
  'level-changed',
  'membership-request',
  'comment-moderated',
  'comment-restored',
]);

/**
 * Who is told of `e`. With `range`, only the people in that page of the audience (a fan-out reads and
 * writes a big group page by page): the group's members and the subscriptions are read for that page
 * alone, and the few others (authors, those who answered, leads) are kept when they fall in it.
 */
export async function noticesFor(trx: Tx, hub: Hub, e: RecordedEvent, range?: PersonRange): Promise<Notice[]> {
  const after = e.after ?? {};
  const ref = e.subject.id;
  const rules = hub.governance.notifications.kinds;
  let plan: {
    title: string;
    groupId: string | null;
    topicId?: string | null;
    candidates: Candidate[];
    /**
     * The kind watchers hear it as, when no candidate says it (a page of a fan-out may hold none);
     * null when watchers were told of it another way and only the candidates hear of it.
     */
    general?: NotificationKind | null;
    deadline?: string;
    detail?: string;
    withdrawn?: true;
    settled?: 'closed' | 'escalated';
    retitle?: Retitle;
    /** Who may answer with effect (a decision's eligible members); everyone else's notice is advisory. */
    counting?: Set<string>;
    meetsAt?: string;
    /** Someone the event is theirs though the system recorded it (a comment mirrored from GitHub). */
    self?: string;
  } | null = null;
  switch (e.kind) {
    case 'decision.opened':
    case 'decision.vote-requested':
    case 'decision.phase-changed':
    case 'decision.outcome':
    case 'decision.responded':
    case 'decision.designee-named':
    case 'decision.guidance':
    case 'decision.extended':
      plan = await decisionPlan(trx, hub, e, ref, after, range);
      break;
    case 'proposal.commented':
      // a comment the GitHub backfill mirrored from before the hub watched its repository is history, not news
      if (after.historical === true) return [];
      plan = await proposalPlan(trx, hub, e, ref, after);
      break;
    case 'proposal.stage-changed':
    case 'proposal.gate-checked':
    case 'proposal.created':
    case 'proposal.reminder':
    case 'proposal.sponsorship-ended':
    case 'proposal.review-requested':
      plan = await proposalPlan(trx, hub, e, ref, after);
      break;
    case 'meeting.scheduled':
    case 'meeting.cancelled':
    case 'meeting.series-ended':
    case 'meeting.rescheduled':
    case 'meeting.agenda-published':
    case 'meeting.notes-published':
      plan = await meetingPlan(trx, e, ref, range);
      break;
    case 'meeting.written-input':
    case 'meeting.written-input-edited':
    case 'meeting.written-input-withdrawn':
      plan = await writtenInputPlan(trx, e.kind, ref, after);
      break;
    case 'meeting.action-added':
    case 'meeting.written-input-marked':
      plan = await meetingOutcomePlan(trx, e, ref);
      break;
    default:
      if (PEOPLE_EVENTS.has(e.kind)) plan = await peoplePlan(trx, hub, e, ref);
      else if (GITHUB_THREAD_EVENTS.has(e.kind)) {
        const g = await githubThreadPlan(trx, e, ref);
        if (g)
          plan = {
            ...g,
            candidates: [...each(await idsOfHandles(trx, g.mentioned), 'mention', 'mention', true), ...g.candidates],
          };
      }
  }
  if (!plan || (!plan.candidates.length && !plan.general)) return [];
  const group = plan.groupId
    ? await trx.selectFrom('groups').select('slug').where('id', '=', plan.groupId).executeTakeFirst()
    : undefined;
  const groupSlug = group?.slug ?? null;
  // a topic area is keyed GROUP/TOPIC: its short name alone repeats across groups
  const topic = plan.topicId
    ? await trx
        .selectFrom('topic_areas')
        .innerJoin('groups', 'groups.id', 'topic_areas.group_id')
        .select(['groups.slug as group', 'topic_areas.slug as topic'])
        .where('topic_areas.id', '=', plan.topicId)
        .executeTakeFirst()
    : undefined;
  const actorId = e.actor.kind === 'person' ? e.actor.person.id : null;
  const levels = await subscriptionLevels(
    trx,
    e.subject.type,
    ref,
    groupSlug,
    topic ? `${topic.group}/${topic.topic}` : null,
    range,
  );
  // Watchers of the subject or its group hear of everything about it as the event's general kind.
  const general = plan.general === null ? null : (plan.general ?? plan.candidates.find((c) => !c.direct)?.kind);
  const candidates = [...plan.candidates];
  if (general)
    for (const [personId, level] of levels)
      if (level === 'watching') candidates.push({ personId, kind: general, reason: 'watching', direct: false });
  const seen = new Set<string>();
  const out: Notice[] = [];
  for (const c of candidates) {
    if (c.personId === actorId || c.personId === plan.self || seen.has(c.personId) || !inRange(c.personId, range))
      continue;
    if (!rules[c.kind].enabled) continue;
    if (!c.direct && !DIRECT.has(c.kind) && levels.get(c.personId) === 'muted') continue;
    seen.add(c.personId);
    out.push({
      personId: c.personId,
      kind: c.kind,
      reason: c.reason,
      subject: { type: e.subject.type, ref },
      groupSlug,
      title: plan.title,
      ...(plan.deadline ? { deadline: plan.deadline } : {}),
      ...(plan.detail ? { detail: plan.detail } : {}),
      ...(plan.withdrawn ? { withdrawn: plan.withdrawn } : {}),
      ...(plan.settled ? { settled: plan.settled } : {}),
      ...(plan.retitle ? { retitle: plan.retitle } : {}),
      ...(plan.counting && !plan.counting.has(c.personId) ? { advisory: true as const } : {}),
      ...(plan.meetsAt ? { meetsAt: plan.meetsAt } : {}),
    });
  }
  return out;
}

/**
 * How many members a group-wide event (a decision opened, put to a vote or decided; a meeting
 * listed, moved, cancelled, its agenda or notes published) reaches: one count, so the write can
 * tell a small group from a big one before loading anyone. 0 for any other event.
 */
const GROUP_WIDE = new Set([
  'decision.opened',
  'decision.extended',
  'decision.vote-requested',
  'decision.phase-changed',
  'decision.outcome',
  'meeting.scheduled',
  'meeting.cancelled',
  'meeting.series-ended',
  'meeting.rescheduled',
  'meeting.agenda-published',
  'meeting.notes-published',
]);

export async function groupWideAudience(trx: Tx, e: RecordedEvent): Promise<number> {
  const members = audienceQuery(trx, e);
  if (!members) return 0;
  const row = await members.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * The next page of a group-wide event's audience, by keyset: the ids of up to `limit` members
 * after `after`, in order (one short read, however big the group).
 */
export async function audiencePage(trx: Tx, e: RecordedEvent, after: string, limit: number): Promise<string[]> {
  const members = audienceQuery(trx, e);
  if (!members) return [];
  const rows = await members
    .select('person_id')
    .where('person_id', '>', after)
    .orderBy('person_id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.person_id);
}

function audienceQuery(trx: Tx, e: RecordedEvent) {
  // a meeting called off by its series' end reaches its written input's authors, not the group
  if (e.kind === 'meeting.cancelled' && e.after?.seriesEnded) return null;
  // a decision's phase change reaches the group only when it opens a vote or escalates
  if (e.kind === 'decision.phase-changed' && e.after?.phase !== 'vote' && e.after?.phase !== 'escalated') return null;
  const table = GROUP_WIDE.has(e.kind) ? (e.kind.startsWith('decision.') ? 'decisions' : 'meetings') : null;
  if (!table) return null;
  const n = Number(/^[DM]-(\d+)$/.exec(e.subject.id)?.[1]);
  if (!Number.isInteger(n)) return null;
  return trx
    .selectFrom('group_members')
    .where('group_id', '=', (eb) => eb.selectFrom(table).select('group_id').where('number', '=', n))
    .where('emeritus', '=', 0)
    .where('level', '!=', 'observer');
}

/**
 * Each person's effective level for a subject: the subject's own subscription wins over its topic
 * area's, which wins over its group's (muting a group but watching one topic area or one decision
 * in it works, and the other way round).
 */
export async function subscriptionLevels(
  trx: Tx,
  type: string,
  ref: string,
  groupSlug: string | null,
  /** GROUP/TOPIC */
  topicRef: string | null = null,
  range?: PersonRange,
): Promise<Map<string, string>> {
  let query = trx.selectFrom('notification_subscriptions').select(['person_id', 'subject_type', 'level']);
  if (range) query = query.where('person_id', '>', range.after);
  if (range?.until !== undefined) query = query.where('person_id', '<=', range.until);
  const rows = await query
    .where((eb) =>
      eb.or([
        eb.and([eb('subject_type', '=', type), eb('subject_ref', '=', ref)]),
        ...(groupSlug ? [eb.and([eb('subject_type', '=', 'group'), eb('subject_ref', '=', groupSlug)])] : []),
        ...(topicRef ? [eb.and([eb('subject_type', '=', 'topic'), eb('subject_ref', '=', topicRef)])] : []),
      ]),
    )
    .execute();
  const rank = (t: string) => (t === 'group' ? 0 : t === 'topic' ? 1 : 2);
  const levels = new Map<string, string>();
  for (const r of [...rows].sort((a, b) => rank(a.subject_type) - rank(b.subject_type)))
    levels.set(r.person_id, r.level);
  return levels;
}

/**
 * The topic area (GROUP/TOPIC) of the proposal each decision decides, by decision id (a decision about
 * no proposal, or one outside any topic area, is absent): one query however many decisions, none when
 * no decision is about a proposal. A proposal is named as decisions store it (P-n, SEP-n), as the
 * notices of a decision read it (`proposalPeople`).
 */
export async function decisionTopics(
  trx: Tx,
  decisions: readonly { id: string; subject_type: string | null; subject_ref: string | null }[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const named = decisions.flatMap((d) => {
    if (d.subject_type !== 'proposal' || !d.subject_ref) return [];
    const sep = /^SEP-(\d+)$/i.exec(d.subject_ref);
    const p = /^P-(\d+)$/i.exec(d.subject_ref);
    const n = refNumber((sep ?? p)?.[1] ?? '');
    return n === null ? [] : [{ id: d.id, sep: sep !== null, n }];
  });
  if (!named.length) return out;
  const seps = named.filter((x) => x.sep).map((x) => x.n);
  const nums = named.filter((x) => !x.sep).map((x) => x.n);
  const rows = await trx
    .selectFrom('proposals as p')
    .innerJoin('topic_areas as t', 't.id', 'p.topic_area_id')
    .innerJoin('groups as g', 'g.id', 't.group_id')
    .select(['p.number', 'p.sep_number', 'g.slug as group', 't.slug as topic'])
    .where((eb) =>
      eb.or([
        ...(nums.length ? [eb('p.number', 'in', nums)] : []),
        ...(seps.length ? [eb('p.sep_number', 'in', seps)] : []),
      ]),
    )
    .execute();
  for (const x of named) {
    const r = rows.find((r) => (x.sep ? r.sep_number === x.n : r.number === x.n));
    if (r) out.set(x.id, `${r.group}/${r.topic}`);
  }
  return out;
}

/**
 * One person's effective level for a decision from their subscriptions: the decision's own wins over
 * its topic area's, which wins over its group's, as `subscriptionLevels` reads it for everyone at once.
 */
export function nearestLevel(
  theirs: readonly { subject_type: string; subject_ref: string; level: string }[],
  at: { decision: string; topic: string | null; group: string | null },
): string | undefined {
  const of = (type: string, ref: string | null) =>
    ref === null ? undefined : theirs.find((s) => s.subject_type === type && s.subject_ref === ref)?.level;
  return of('decision', at.decision) ?? of('topic', at.topic) ?? of('group', at.group);
}

/** The members whose answers to a decision count now: at an eligible level, active (not emeritus, not lapsed). */
export async function countingIds(trx: Tx, hub: Hub, groupId: string): Promise<Set<string>> {
  const now = hub.clock.now();
  const rows = await trx
    .selectFrom('group_members')
    .select(['person_id', 'level', 'emeritus', 'last_active_at'])
    .where('group_id', '=', groupId)
    .where('level', 'in', hub.governance.decisions.eligibleLevels)
    .where('emeritus', '=', 0)
    .execute();
  const active = rows.filter((m) =>
    answerCounts(hub.governance, { level: m.level, emeritus: false, lastActiveAt: m.last_active_at }, now),
  );
  return new Set(active.map((m) => m.person_id));
}

async function leadIds(trx: Tx, groupId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('group_members')
    .select('person_id')
    .where('group_id', '=', groupId)
    .where('level', '=', 'lead')
    .execute();
  return rows.map((r) => r.person_id);
}

async function idsOfHandles(trx: Tx, handles: string[]): Promise<string[]> {
  if (!handles.length) return [];
  const rows = await trx
    .selectFrom('people')
    .select('id')
    .where(
      (eb) => eb.fn('lower', ['handle']),
      'in',
      handles.map((h) => h.toLowerCase()),
    )
    .execute();
  return rows.map((r) => r.id);
}

const each = (ids: string[], kind: NotificationKind, reason: string, direct = false): Candidate[] =>
  ids.map((personId) => ({ personId, kind, reason, direct }));

/** New titles for a subject's earlier notices, by kind (`Notice.retitle`). */
export type Retitle = Partial<Record<NotificationKind, string>>;

/**
 * What a decision's earlier notices that asked something of their reader are titled once it has moved
 * on (`how`: "went to a vote", "has closed, adopted by vote"): each says what it was and what became of
 * it, in the past, so the inbox no longer asks for an answer nothing awaits. Those that told of a fact
 * ("D-1 opened", "D-1 blocked by …", "D-1 goes to a vote") stay as they were: they still hold.
 */
export function decisionRetitle(
  ref: string,
  question: string,
  how: string,
  kinds: ('closing' | 'vote-closing' | 'extended' | 'escalated')[],
): Retitle {
  const titles: Retitle = {
    'decision-closing': `${ref} was closing soon, then ${how}: ${question}`,
    'vote-closing': `The vote on ${ref} was closing soon, then ${ref} ${how}: ${question}`,
    'decision-extended': `${ref} had more time, then ${how}: ${question}`,
    'decision-escalated': `${ref} was escalated, then ${how}: ${question}`,
  };
  const kind = {
    closing: 'decision-closing',
    'vote-closing': 'vote-closing',
    extended: 'decision-extended',
    escalated: 'decision-escalated',
  } as const;
  return Object.fromEntries(kinds.map((k) => [kind[k], titles[kind[k]]]));
}

async function decisionPlan(
  trx: Tx,
  hub: Hub,
  e: RecordedEvent,
  ref: string,
  after: Record<string, unknown>,
  range?: PersonRange,
) {
  const n = Number(/^D-(\d+)$/.exec(ref)?.[1]);
  const d = await trx.selectFrom('decisions').selectAll().where('number', '=', n).executeTakeFirst();
  if (!d) return null;
  const responders = async () =>
    (
      await trx
        .selectFrom('decision_responses')
        .select('person_id')
        .distinct()
        .where('decision_id', '=', d.id)
        .where('kind', '!=', 'withdrawn')
        .execute()
    ).map((r) => r.person_id);
  const topicId =
    d.subject_type === 'proposal' && d.subject_ref
      ? ((await proposalPeople(trx, d.subject_ref)).p?.topic_area_id ?? null)
      : null;
  const base = { groupId: d.group_id, topicId, deadline: d.deadline };
  if (e.kind === 'decision.opened') {
    const authors =
      d.subject_type === 'proposal' && d.subject_ref ? await proposalPeople(trx, d.subject_ref) : { authors: [] };
    return {
      ...base,
      title: `${ref} opened: ${d.question}`,
      general: 'decision-opened' as const,
      counting: await countingIds(trx, hub, d.group_id),
      candidates: [
        ...each(await memberIds(trx, d.group_id, range), 'decision-opened', 'member'),
        ...each(authors.authors, 'decision-opened', 'author'),
      ],
    };
  }
  if (e.kind === 'decision.extended') {
    // more time, so that silence at the new deadline is informed: everyone told of its opening hears
    // the new deadline (in their own zone) and why; those who answered may change their answer by then
    const by =
      e.actor.kind === 'person' ? nameWithHandle(e.actor.person.handle, e.actor.person.name) : "the hub's operator";
    return {
      ...base,
      deadline: String(after.deadline ?? d.deadline),
      title: `${ref} has more time: ${d.question}`,
      detail: `Extended by ${by}: ${withoutTrailing(String(after.reason ?? '').trim(), '.;,:')}.`,
      // the reminder that it closed soon, and an earlier extension's deadline, no longer hold
      retitle: {
        'decision-closing': `${ref} was closing soon, then was given more time: ${d.question}`,
        'decision-extended': `${ref} had more time, then more again: ${d.question}`,
      },
      general: 'decision-extended' as const,
      counting: await countingIds(trx, hub, d.group_id),
      candidates: [
        ...each(await memberIds(trx, d.group_id, range), 'decision-extended', 'member'),
        ...each(await responders(), 'decision-extended', 'responded'),
      ],
    };
  }
  if (e.kind === 'decision.responded') {
    if (after.kind !== 'block') return null;
    const opener = await idsOfHandles(trx, [d.opened_by]);
    // by name with the handle beside it, as the pages name people
    const by =
      e.actor.kind === 'person' && e.actor.person.handle === after.handle
        ? nameWithHandle(e.actor.person.handle, e.actor.person.name)
        : String(after.handle);
    return {
      ...base,
      // an observer's or participant's block is shown, not counted: "D-1 blocked by" it told the
      // group the decision was held up when it was not (events before `counts` was recorded count)
      title:
        after.counts === false
          ? `${ref}: ${by} objected (advisory, not counted): ${d.question}`
          : `${ref} blocked by ${by}: ${d.question}`,
      candidates: [
        ...each(await responders(), 'decision-blocked', 'responded'),
        ...each(opener, 'decision-blocked', 'opener'),
      ],
    };
  }
  if (e.kind === 'decision.designee-named') {
    // the core maintainer named to resolve it must act (initial response due): told at once, and only they
    const by =
      e.actor.kind === 'person' ? nameWithHandle(e.actor.person.handle, e.actor.person.name) : "the hub's operator";
    return {
      groupId: d.group_id,
      topicId,
      title: `${ref}: ${by} named you to resolve its escalation; give your guidance on its page: ${d.question}`,
      general: null,
      candidates: each(await idsOfHandles(trx, [String(after.designee)]), 'decision-escalated', 'escalation', true),
    };
  }
  if (e.kind === 'decision.guidance') {
    // guidance that asks for more (information, or the core maintainers' deliberation) leaves the
    // decision open and waiting on the parties: those who answered or voted, and who opened it, hear
    // it at once with where to answer (binding guidance closes it: its outcome is told as any close)
    if (after.kind === 'binding') return null;
    const by =
      e.actor.kind === 'person' ? nameWithHandle(e.actor.person.handle, e.actor.person.name) : "the hub's operator";
    const voters = (
      await trx.selectFrom('decision_votes').select('person_id').distinct().where('decision_id', '=', d.id).execute()
    ).map((r) => r.person_id);
    const opener = await idsOfHandles(trx, [d.opened_by]);
    // a mention notifies only from a proposal's discussion: a charter's or the process's decision has
    // none here, so its parties are sent where the group works, not promised the resolver is told
    const resolver = e.actor.kind === 'person' ? e.actor.person.handle : null;
    const slug = (await trx.selectFrom('groups').select('slug').where('id', '=', d.group_id).executeTakeFirst())?.slug;
    const place = guidanceAnswerPlace({ type: d.subject_type, ref: d.subject_ref }, slug ?? '');
    const where = place.mentionTells
      ? `Answer ${place.words}${resolver ? `, mentioning @${resolver}` : ''}.`
      : `Answer ${resolver ? `@${resolver}` : 'them'} ${place.words}.`;
    const asked =
      after.kind === 'more-information'
        ? where
        : 'The core maintainers deliberate on it; nothing is asked of you until they give their guidance.';
    return {
      groupId: d.group_id,
      topicId,
      title: `${ref}: ${by}, who resolves its escalation, says ${guidanceWords(hub.governance, String(after.kind))}: ${d.question}`,
      detail: `“${String(after.guidance ?? '').trim()}” ${asked}`,
      general: null,
      candidates: [
        ...each(await responders(), 'decision-escalated', 'responded', true),
        ...each(voters, 'decision-escalated', 'voted', true),
        ...each(opener, 'decision-escalated', 'opener', true),
      ],
    };
  }
  // a block still standing at the deadline opens a vote: in a vote silence is not consent, so every
  // member hears of it as they do of a vote a lead asked for
  // (a vote a lead's request opened was announced by that request: the timer's later record of the
  // phase is not news, and 'a block stood at the deadline' would be untrue)
  const openedOnRequest = !!d.vote_requested_at && new Date(d.vote_requested_at) < new Date(d.deadline);
  const voteOpened =
    (e.kind === 'decision.vote-requested' && after.voteOpened) ||
    (e.kind === 'decision.phase-changed' && after.phase === 'vote' && !openedOnRequest);
  if (e.kind === 'decision.phase-changed' && after.phase === 'escalated') {
    // the vote did not settle it: those who may name the core maintainer who resolves it must hear,
    // and so must the group, whose decision now waits for that guidance
    const { roles, atLeast } = hub.governance.permissions['decision.escalate'];
    const resolvers = COMMUNITY_ROLES.filter(
      (r) => !!roles?.includes(r) || (!!atLeast && roleMeets(hub.governance, r, atLeast)),
    );
    const people = resolvers.length
      ? await trx.selectFrom('people').select('id').where('role', 'in', resolvers).limit(500).execute()
      : [];
    return {
      groupId: d.group_id,
      topicId,
      title: `${ref} escalated: the vote did not settle it, so ${withArticle(resolverName(hub.governance))} resolves it: ${d.question}`,
      settled: 'escalated' as const,
      retitle: decisionRetitle(ref, d.question, 'was escalated', ['closing', 'vote-closing', 'extended']),
      general: 'decision-outcome' as const,
      candidates: [
        // they must act (name who resolves it, by its initial-response date): told at once, not in a digest
        ...each(
          people.map((p) => p.id),
          'decision-escalated',
          'escalation',
        ),
        ...each(await memberIds(trx, d.group_id, range), 'decision-outcome', 'member'),
        ...each(await responders(), 'decision-outcome', 'responded'),
      ],
    };
  }
  if (e.kind === 'decision.phase-changed' && !voteOpened) return null;
  if (e.kind === 'decision.vote-requested' || e.kind === 'decision.phase-changed') {
    if (!voteOpened) return null;
    // the vote runs its own days from when it opened: answer by its close, not the old deadline
    const opens = voteOpeningTime(d.deadline, d.vote_requested_at).getTime();
    return {
      ...base,
      deadline: new Date(opens + hub.governance.decisions.vote.durationDays * 86_400_000).toISOString(),
      title: `${ref} goes to a vote${e.kind === 'decision.phase-changed' ? ' (a block stood at the deadline)' : ''}: ${d.question}`,
      retitle: decisionRetitle(ref, d.question, 'went to a vote', ['closing', 'extended']),
      general: 'vote-opened' as const,
      counting: await countingIds(trx, hub, d.group_id),
      candidates: each(await memberIds(trx, d.group_id, range), 'vote-opened', 'member'),
    };
  }
  // decision.outcome
  const outcome = String(after.outcome ?? 'closed');
  const withdrawn =
    outcome === 'withdrawn'
      ? {
          detail: `Withdrawn by ${String(after.by ?? 'its opener')}: ${withoutTrailing(String(after.reason ?? '').trim(), '.;,:')}. Nothing to answer.`,
          withdrawn: true as const,
        }
      : { settled: 'closed' as const };
  return {
    groupId: d.group_id,
    topicId,
    ...withdrawn,
    // how it ended, on the notices that asked for an answer or guidance: "was closing soon, then has
    // closed, adopted by vote"
    retitle: decisionRetitle(
      ref,
      d.question,
      outcome === 'withdrawn'
        ? 'was withdrawn'
        : `has closed, ${outcome in OUTCOME_WORDS ? OUTCOME_WORDS[outcome as Outcome] : outcome.replace(/-/g, ' ')}`,
      ['closing', 'vote-closing', 'extended', 'escalated'],
    ),
    // in words: 'adopted by vote', not the outcome's id 'adopted-by-vote'
    title: `${ref} ${String(after.outcome ?? 'closed').replace(/-/g, ' ')}: ${d.question}`,
    general: 'decision-outcome' as const,
    candidates: [
      ...each(await memberIds(trx, d.group_id, range), 'decision-outcome', 'member'),
      ...each(await responders(), 'decision-outcome', 'responded'),
    ],
  };
}

/** A proposal's authors and sponsor, by person id. */
async function proposalPeople(trx: Tx, ref: string) {
  const sep = /^SEP-(\d+)$/.exec(ref);
  const num = /^P-(\d+)$/.exec(ref);
  const p = sep
    ? await trx.selectFrom('proposals').selectAll().where('sep_number', '=', Number(sep[1])).executeTakeFirst()
    : num
      ? await trx.selectFrom('proposals').selectAll().where('number', '=', Number(num[1])).executeTakeFirst()
      : undefined;
  if (!p) return { p: undefined, authors: [], sponsor: [] };
  const authors = (
    await trx.selectFrom('proposal_authors').select('person_id').where('proposal_id', '=', p.id).execute()
  ).map((r) => r.person_id);
  return { p, authors, sponsor: p.sponsor_id ? [p.sponsor_id] : [] };
}

async function proposalPlan(trx: Tx, hub: Hub, e: RecordedEvent, ref: string, after: Record<string, unknown>) {
  const { p, authors, sponsor } = await proposalPeople(trx, ref);
  if (!p) return null;
  const groupId = p.group_id;
  const topicId = p.topic_area_id;
  switch (e.kind) {
    case 'proposal.commented': {
      const comment = await trx
        .selectFrom('comments as c')
        .innerJoin('people as a', 'a.id', 'c.author_id')
        .select(['c.parent_id', 'c.author_id', 'a.handle', 'a.name'])
        .where('c.id', '=', String(after.comment))
        .executeTakeFirst();
      const parentAuthor = comment?.parent_id
        ? await trx.selectFrom('comments').select('author_id').where('id', '=', comment.parent_id).executeTakeFirst()
        : undefined;
      // a comment mirrored from GitHub is recorded by the bridge, written by its GitHub author
      const by =
        e.actor.kind === 'person'
          ? nameWithHandle(e.actor.person.handle, e.actor.person.name)
          : comment
            ? nameWithHandle(comment.handle, comment.name === comment.handle ? undefined : comment.name)
            : 'someone';
      const where = after.from ? ' on GitHub' : '';
      return {
        groupId,
        topicId,
        title: `${by} commented${where} on ${ref}: ${p.title}`,
        // nobody is told of their own comment, whoever recorded it
        ...(comment ? { self: comment.author_id } : {}),
        candidates: [
          ...each(await idsOfHandles(trx, factList(after, 'mentions', 'people')), 'mention', 'mention', true),
          ...(parentAuthor ? each([parentAuthor.author_id], 'reply', 'reply', true) : []),
          ...each(authors, 'proposal-commented', 'author'),
          ...each(sponsor, 'proposal-commented', 'sponsor'),
        ],
      };
    }
    case 'proposal.stage-changed': {
      const stage = String(after.stage);
      const waiting = stage === 'awaiting-sponsor' && groupId ? await leadIds(trx, groupId) : [];
      // moved by someone else to a stage whose next step only the sponsor may take: it waits for their review
      const review = waitsForSponsor(hub.governance, p.route, stage) ? sponsor : [];
      return {
        groupId,
        topicId,
        // the stage in words, as its page names it ("in review"), not its id ("in-review")
        title: review.length
          ? `${ref} moved to ${stage.replace(/-/g, ' ')} and waits for its sponsor: ${p.title}`
          : `${ref} moved to ${stage.replace(/-/g, ' ')}: ${p.title}`,
        candidates: [
          ...each(authors, stage === 'awaiting-sponsor' ? 'proposal-needs-sponsor' : 'proposal-moved', 'author'),
          ...each(review, 'proposal-waiting', 'sponsor', true),
          ...each(sponsor, 'proposal-moved', 'sponsor'),
          ...each(waiting, 'proposal-waiting', 'lead', true),
        ],
      };
    }
    case 'proposal.gate-checked':
      if (after.passed !== false) return null;
      return {
        groupId,
        topicId,
        title: `${ref} was refused at the gate to ${String(after.to).replace(/-/g, ' ')}: ${p.title}`,
        candidates: [...each(authors, 'proposal-refused', 'author'), ...each(sponsor, 'proposal-refused', 'sponsor')],
      };
    case 'proposal.sponsorship-ended': {
      // the authors: it needs a sponsor; the group's leads: it waits; the sponsor, when someone else removed them
      const former = await idsOfHandles(trx, [String(e.before?.sponsor ?? '')]);
      const by =
        e.actor.kind === 'person' ? nameWithHandle(e.actor.person.handle, e.actor.person.name) : 'the operator';
      const self = e.actor.kind === 'person' && former.includes(e.actor.person.id);
      const who = self ? `${by} stepped down as its sponsor` : `${by} ended ${String(e.before?.sponsor)}'s sponsorship`;
      const why = String(after.reason ?? '');
      return {
        groupId,
        topicId,
        title: `${ref} needs a sponsor: ${who} (${characterCount(why) > 200 ? `${firstCharacters(why, 199)}…` : why}): ${p.title}`,
        candidates: [
          ...each(authors, 'proposal-needs-sponsor', 'author'),
          ...each(former, 'proposal-moved', 'sponsor', true),
          ...each(groupId ? await leadIds(trx, groupId) : [], 'proposal-waiting', 'lead', true),
        ],
      };
    }
    case 'proposal.review-requested': {
      // an author asks: the sponsor (or, with none yet, the group's leads) are the ones it waits for
      const by = e.actor.kind === 'person' ? nameWithHandle(e.actor.person.handle, e.actor.person.name) : 'someone';
      const leads = after.as === 'leads';
      return {
        groupId,
        topicId,
        title: leads
          ? `${by} asks the group's leads to review ${ref}, which has no sponsor yet: ${p.title}`
          : `${by} asks you, its sponsor, to review ${ref}: ${p.title}`,
        candidates: each(
          await idsOfHandles(trx, factList(after, 'to')),
          'proposal-waiting',
          leads ? 'lead' : 'sponsor',
          true,
        ),
      };
    }
    case 'proposal.created':
      if (!groupId) return null;
      return {
        groupId,
        topicId,
        title: `${ref} waits for its group's leads: ${p.title}`,
        candidates: each(await leadIds(trx, groupId), 'proposal-waiting', 'lead', true),
      };
    default: {
      // proposal.reminder: the dormancy job names who it reminds
      const to = await idsOfHandles(trx, factList(after, 'to'));
      return {
        groupId,
        topicId,
        title: `${ref} has been quiet for ${String(after.days)} days: ${p.title}`,
        candidates: each(to, 'dormancy-reminder', 'author', true),
      };
    }
  }
}

/**
 * Written input from someone who cannot attend: the meeting's facilitators (its group's leads, and
 * its topic area's facilitators) present it, so they hear of each one before the meeting; so does
 * whoever scheduled the meeting (its organiser: a core maintainer may schedule a group's meeting
 * without leading it), once even when they are also a lead or facilitator, and never of their own
 * input. Several unread ones fold into one notice, which then says the latest: an input its sender
 * changed (with its new text) or withdrew is news to the same people.
 */
async function writtenInputPlan(trx: Tx, kind: string, ref: string, after: Record<string, unknown>) {
  const n = Number(/^M-(\d+)$/.exec(ref)?.[1]);
  const m = await trx.selectFrom('meetings').selectAll().where('number', '=', n).executeTakeFirst();
  if (!m || typeof after.id !== 'string') return null;
  const withdrawn = kind === 'meeting.written-input-withdrawn';
  const input = withdrawn
    ? await withdrawnInput(trx, m.id, after)
    : await trx
        .selectFrom('meeting_written_inputs as w')
        .innerJoin('meeting_agenda_items as i', 'i.id', 'w.item_id')
        .innerJoin('people as p', 'p.id', 'w.author_id')
        .select(['i.position', 'i.title', 'p.name', 'p.handle', 'w.body', 'w.author_id'])
        .where('w.id', '=', after.id)
        .executeTakeFirst();
  if (!input) return null;
  const facilitators = m.topic_area_id
    ? await trx
        .selectFrom('topic_facilitators')
        .select('person_id')
        .where('topic_area_id', '=', m.topic_area_id)
        .execute()
    : [];
  const who = `${input.name} (@${input.handle})`;
  const where = `${ref} (${m.title}), item ${input.position}: ${input.title}`;
  // input its sender sent another way (by mail), entered by a lead or facilitator: the sender is told
  // it is on the agenda under their name, and may change or withdraw it as their own. The recorder is
  // found by the id the event carries, so a handle changed before the fan-out job runs loses nobody
  // their notice; events before 2026-12-06 carry only the handle
  const recordedById = typeof after.recordedById === 'string' ? after.recordedById : null;
  const recorder =
    kind === 'meeting.written-input' && (recordedById !== null || typeof after.recordedBy === 'string')
      ? await trx
          .selectFrom('people')
          .select(['name', 'handle'])
          .where(recordedById !== null ? 'id' : 'handle', '=', recordedById ?? String(after.recordedBy))
          .executeTakeFirst()
      : undefined;
  return {
    groupId: m.group_id,
    topicId: m.topic_area_id,
    title: withdrawn
      ? `${who} withdrew their written input to ${where}`
      : kind === 'meeting.written-input-edited'
        ? `${who} changed their written input to present at ${where}`
        : recorder
          ? `${recorder.name} (@${recorder.handle}) recorded written input ${who} sent by other means, to present at ${where}`
          : `${who} sent written input to present at ${where}`,
    general: null,
    // what they will present, so the notice (and its mail) can be read without opening the meeting
    detail: input.body === null ? WITHDRAWN_DETAIL : quotedInput(input.body),
    meetsAt: m.starts_at,
    // the author is never told of their own input, whoever recorded it (a reply by mail), unless
    // someone else entered it for them
    ...(recorder ? {} : { self: input.author_id }),
    // in this order, so an organiser who also facilitates or leads is told once, as such
    candidates: [
      ...each(recorder ? [input.author_id] : [], 'written-input', 'author', true),
      ...each(
        facilitators.map((f) => f.person_id),
        'written-input',
        'facilitator',
      ),
      ...each(await leadIds(trx, m.group_id), 'written-input', 'lead'),
      ...each(m.organiser_id ? [m.organiser_id] : [], 'written-input', 'organiser'),
    ],
  };
}

/** Withdrawn input is no longer stored: its sender and item, as the withdrawal's event names them. */
async function withdrawnInput(trx: Tx, meetingId: string, after: Record<string, unknown>) {
  if (typeof after.author !== 'string' || typeof after.item !== 'number') return undefined;
  const p = await trx
    .selectFrom('people')
    .select(['id', 'name', 'handle'])
    .where('handle', '=', after.author)
    .executeTakeFirst();
  const i = await trx
    .selectFrom('meeting_agenda_items')
    .select(['position', 'title'])
    .where('meeting_id', '=', meetingId)
    .where('position', '=', after.item)
    .executeTakeFirst();
  if (!p || !i) return undefined;
  return { position: i.position, title: i.title, name: p.name, handle: p.handle, body: null, author_id: p.id };
}

async function meetingPlan(trx: Tx, e: RecordedEvent, ref: string, range?: PersonRange) {
  const n = Number(/^M-(\d+)$/.exec(ref)?.[1]);
  const m = await trx.selectFrom('meetings').selectAll().where('number', '=', n).executeTakeFirst();
  if (!m) return null;
  // a cancelled or moved meeting is news to whoever expected it: members, and those who sent written input
  // a series ended from a day: its members are told once, with the meetings it calls off
  if (e.kind === 'meeting.series-ended') {
    const after = e.after ?? {};
    const off =
      Array.isArray(after.calledOff) && after.calledOff.length ? ` (${after.calledOff.join(', ')} called off)` : '';
    const why = typeof after.reason === 'string' && after.reason ? `: ${after.reason}` : '';
    return {
      groupId: m.group_id,
      title: `${m.title} no longer meets from ${String(after.from)}${off}${why}`,
      general: 'meeting-listed' as const,
      candidates: each(await memberIds(trx, m.group_id, range), 'meeting-listed', 'member'),
    };
  }
  if (e.kind === 'meeting.cancelled' || e.kind === 'meeting.rescheduled') {
    const inputs = await trx
      .selectFrom('meeting_written_inputs')
      .select('author_id')
      .where('meeting_id', '=', m.id)
      .execute();
    const when = `${new Date(m.starts_at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    // called off by its series' end: the members and watchers were told of the end once, with it
    // named; only those who sent it written input are told of this meeting as a single cancel tells them
    const series = typeof e.after?.seriesEnded === 'string' ? e.after.seriesEnded : null;
    if (e.kind === 'meeting.cancelled' && series)
      return {
        groupId: m.group_id,
        title: `${ref} cancelled: ${m.title} (its series ${series} no longer meets from ${String(e.after?.from)})`,
        general: null,
        candidates: each(
          inputs.map((i) => i.author_id),
          'meeting-listed',
          'sent written input',
        ),
      };
    return {
      groupId: m.group_id,
      title: e.kind === 'meeting.cancelled' ? `${ref} cancelled: ${m.title}` : `${ref} moved to ${when}: ${m.title}`,
      general: 'meeting-listed' as const,
      ...(e.kind === 'meeting.rescheduled' ? { meetsAt: m.starts_at } : {}),
      candidates: [
        ...each(await memberIds(trx, m.group_id, range), 'meeting-listed', 'member'),
        ...each(
          inputs.map((i) => i.author_id),
          'meeting-listed',
          'sent written input',
        ),
      ],
    };
  }
  const words = {
    'meeting-listed': 'listed',
    'agenda-published': 'agenda published',
    'notes-published': 'notes published',
  };
  const kind: keyof typeof words & NotificationKind =
    e.kind === 'meeting.scheduled'
      ? 'meeting-listed'
      : e.kind === 'meeting.agenda-published'
        ? 'agenda-published'
        : 'notes-published';
  const what = words[kind];
  return {
    groupId: m.group_id,
    topicId: m.topic_area_id,
    title: `${ref} ${what}: ${m.title}`,
    general: kind,
    // whoever reads "listed" or "agenda published" first asks when it is, in their own zone
    ...(kind === 'notes-published' ? {} : { meetsAt: m.starts_at }),
    candidates: each(await memberIds(trx, m.group_id, range), kind, 'member'),
  };
}
