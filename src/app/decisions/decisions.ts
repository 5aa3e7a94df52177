import { spelling } from '../../domain/lookalike.ts';
import { shownSubjectRef } from '../../domain/governance/index.ts';
import type { Governance } from '../../domain/governance/schema.ts';
import { sql } from 'kysely';
import { LIMITS, pageWithin, refNumber } from '../../domain/limits.ts';
import { nextNumber } from '../core/numbers.ts';
import {
  answerCountsAt,
  decisionState,
  stateOnRecord,
  escalationCandidates,
  extendedBy,
  extensionHoursIssues,
  extensionIssues,
  extensionToInform,
  extensionToInformAdvice,
  responsesJudgedAt,
  voteOpeningTime,
  votesJudgedAt,
  weighVoices,
  type DecisionFacts,
  type DecisionState,
  type Outcome,
  type ResponseFact,
  type Tally,
  type VoteFact,
} from '../../domain/decisions/index.ts';
import type { OpenOnJoining } from '../../domain/decisions/informed.ts';
import { type FieldIssue, invalid, NotFound } from '../../domain/errors.ts';
import { decisionPolicy, voteOpensOnRequest, type Can, type DecisionAction } from '../../domain/policies/index.ts';
import { authorize, authorizeAsPerson, type PersonActor, viewerOf } from '../core/gate.ts';
import { checkText, type TextFlag } from '../../domain/interests.ts';
import { answerCounts } from '../../domain/groups.ts';
import { type NoticeProof, uncountedSilenceOf, whoWasTold } from '../notifications/proof.ts';
import { affiliationOn, nameWithHandle } from '../../domain/people.ts';
import type { z } from 'zod';
import {
  readJson,
  type DecisionsTable,
  type EventFacts,
  type GroupMembersTable,
  type ProposalsTable,
} from '../../store/schema.ts';
import { shownRefsIn } from '../../domain/governance/words.ts';
import { characterCount, firstCharacters, withoutTrailing } from '../../domain/text.ts';
import { latestEventsFor } from '../../store/events.ts';
import { activeLevelIn, groupRow, groupRowHeld, touchMembership } from '../groups/groups.ts';
import { knownFilter } from '../groups/filters.ts';
import {
  actorName,
  CursorPart,
  decodeCursor,
  encodeCursor,
  assertVersion,
  inTransaction,
  nowIso,
  record,
  requireVersion,
  type Actor,
  type Hub,
  type Page,
  type Tx,
} from '../core/hub.ts';
import { holdRow } from '../core/hold.ts';
import { personRow } from '../people/people.ts';
import { namesOf, personOrNull } from '../people/names.ts';
import { groupCan } from '../groups/group-can.ts';
import { proposalRow, refOf } from '../proposals/proposals.ts';
import {
  DecisionAtQuery,
  DecisionTimelineQuery,
  DesignateInput,
  ExtendDecisionInput,
  GuidanceInput,
  ListDecisionsQuery,
  OpenDecisionInput,
  RespondInput,
  VoteInput,
  WithdrawDecisionInput,
} from './schemas.ts';
import { InputCheck, parseInput } from '../core/validate.ts';
import { loadShippedModel } from '../../domain/hints/shipped.ts';

const DAY = 86_400_000;

export const decisionRef = (d: Pick<DecisionsTable, 'number'>) => `D-${d.number}`;

/** A decision's number from its ref (D-7 or 7), or null when it names none. */
export function decisionNumber(ref: string): number | null {
  const m = /^D-(\d+)$/i.exec(ref.trim()) ?? /^(\d+)$/.exec(ref.trim());
  return m ? refNumber(m[1]!) : null;
}

/**
 * Moves a decision's version: every change to what its view shows that is stored with it (an answer,
 * its withdrawal, a vote, a request for one, a resolver named, guidance, a recorded phase) moves it, so
 * its ETag does and an update read before (an extension) is refused as stale (409). What is derived
 * elsewhere (the clock's phase, the notices told, names, the viewer's `can`) moves only the ETag's
 * digest. Called holding the row (`decisionRow` with `lock`); the row as it now stands.
 */
async function bumpVersion(trx: Tx, d: DecisionsTable): Promise<DecisionsTable> {
  await trx.updateTable('decisions').set({ version: sql<number>`version + 1` }).where('id', '=', d.id).execute();
  return { ...d, version: d.version + 1 };
}

/**
 * A decision's row; with `lock`, held until the transaction ends on PostgreSQL, so what was read of it
 * (its phase, whether the close job recorded it closed) still holds when the transaction writes;
 * SQLite's write transactions already take turns. A held read waits for a transaction holding the row
 * to end and then reads the row as that one left it, so authorise after it, never before.
 *
 * NO KEY UPDATE for everything that changes the decision: the close job, an extension, a withdrawal,
 * asking for or casting a vote, and an answer (a response or its withdrawal), which moves the
 * decision's version (`bumpVersion`). Answers to one decision take turns (before 2026-12-07 they held
 * the row shared and went side by side, moving no version, so an ETag or If-Match read before an
 * answer still held after it); the close never judges while one is in flight. One lock order
 * everywhere: the decision row first, then the person's (holdRow); a membership's end
 * (endAnswersInGroup) holds the group's open decisions' rows by id, then the person's. Otherwise an
 * answer holding the decision and waiting on its author's row, and a close or a membership's end
 * holding that row and waiting on the decision, deadlock.
 */
export async function decisionRow(db: Tx, ref: string, opts: { lock?: Hub } = {}): Promise<DecisionsTable> {
  const n = decisionNumber(ref);
  let q = db
    .selectFrom('decisions')
    .selectAll()
    .where('number', '=', n ?? -1);
  if (opts.lock?.store.kind === 'postgres') q = q.forNoKeyUpdate();
  const d = n !== null ? await q.executeTakeFirst() : undefined;
  if (!d) throw new NotFound('decision', ref);
  return d;
}

async function organisationOn(db: Tx, personId: string, at: string): Promise<string | null> {
  const affs = await db
    .selectFrom('affiliations as a')
    .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select(['o.name as organisation', 'a.from_date as from', 'a.to_date as to'])
    .where('a.person_id', '=', personId)
    .execute();
  return affiliationOn(affs, at)?.organisation ?? null;
}

/**
 * Active eligible members of the group at a moment: joined by then and not emeritus then. Quorum
 * is a share of them as of when the vote opened, so later joiners never change an outcome.
 */
async function activeEligibleCount(db: Tx, hub: Hub, groupId: string, at: Date): Promise<number> {
  const rows = await db
    .selectFrom('group_members')
    .selectAll()
    .where('group_id', '=', groupId)
    .where('joined_at', '<=', at.toISOString())
    .execute();
  return countActiveEligible(hub, rows, at);
}

function countActiveEligible(
  hub: Hub,
  rows: readonly Pick<GroupMembersTable, 'joined_at' | 'level' | 'emeritus' | 'last_active_at'>[],
  at: Date,
): number {
  const by = at.toISOString();
  return rows.filter(
    (m) =>
      m.joined_at <= by &&
      answerCounts(hub.governance, { level: m.level, emeritus: m.emeritus === 1, lastActiveAt: m.last_active_at }, at),
  ).length;
}

const voteOpening = (d: DecisionsTable): Date => voteOpeningTime(d.deadline, d.vote_requested_at);

/** When the quorum base is counted: the opening (or now, if sooner); null once it is kept on the decision. */
function electorateAt(hub: Hub, d: DecisionsTable): Date | null {
  if (d.electorate !== null) return null;
  const opening = voteOpening(d);
  const now = hub.clock.now();
  return now < opening ? now : opening;
}

/** The quorum base: kept on the decision from its first vote; before that, counted as of the opening (or now, if sooner). */
async function electorate(db: Tx, hub: Hub, d: DecisionsTable): Promise<number> {
  const at = electorateAt(hub, d);
  return at === null ? d.electorate! : activeEligibleCount(db, hub, d.group_id, at);
}

/**
 * A decision the close job has not recorded closed: open, or past its deadline and not yet recorded
 * (the job runs every quarter of an hour). One recorded closed stays so, and is read from its row.
 */
export function notRecordedClosed(column: 'recorded_state' | 'd.recorded_state') {
  return sql<boolean>`(${sql.ref(column)} is null or ${sql.ref(column)} not like 'closed:%')`;
}

/**
 * When a person's new response or vote is recorded: now, or a millisecond after their previous one
 * when that is not earlier (two in one millisecond, or a test's clock standing still). The latest of
 * a person's is the one that stands, and ids are random: no two of one person's may share an instant.
 */
function afterPrevious(now: string, previous: readonly { at: string }[]): string {
  const last = previous.reduce((latest, r) => (r.at > latest ? r.at : latest), '');
  return last < now ? now : new Date(Date.parse(last) + 1).toISOString();
}

function latestPerPerson<T extends { person_id: string; at: string }>(rows: T[]): T[] {
  const m = new Map<string, T>();
  for (const r of [...rows].sort((a, b) => a.at.localeCompare(b.at))) m.set(r.person_id, r);
  return [...m.values()];
}

/** What the decision facts are read from: its answers' rows, each with the person's handle and name. */
async function answerRows(db: Tx, ids: readonly string[]) {
  if (!ids.length) return { responses: [], votes: [], escalations: [] };
  const responses = await db
    .selectFrom('decision_responses as r')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .selectAll('r')
    .select(['p.handle', 'p.name'])
    .where('r.decision_id', 'in', ids)
    .execute();
  const votes = await db
    .selectFrom('decision_votes as v')
    .innerJoin('people as p', 'p.id', 'v.person_id')
    .selectAll('v')
    .select(['p.handle', 'p.name'])
    .where('v.decision_id', 'in', ids)
    .execute();
  const escalations = await db
    .selectFrom('decision_escalations as e')
    .leftJoin('people as p', 'p.id', 'e.designee_id')
    .selectAll('e')
    .select(['p.handle as designee', 'p.name as designee_name'])
    .where('e.decision_id', 'in', ids)
    .execute();
  return { responses, votes, escalations };
}

type AnswerRows = Awaited<ReturnType<typeof answerRows>>;

/** One decision's facts from its row and its own answers' rows (`rows` may hold other decisions' too). */
function factsFrom(d: DecisionsTable, rows: AnswerRows, activeEligible: number) {
  const responses = rows.responses.filter((r) => r.decision_id === d.id);
  const votes = rows.votes.filter((v) => v.decision_id === d.id);
  const esc = rows.escalations.find((e) => e.decision_id === d.id);
  const latest = latestPerPerson(responses).flatMap((r) => (r.kind === 'withdrawn' ? [] : [{ ...r, kind: r.kind }]));
  const f: DecisionFacts = {
    openedAt: d.opened_at,
    deadline: d.deadline,
    matter: d.matter,
    voteRequestedAt: d.vote_requested_at,
    responses: latest.map(
      (r): ResponseFact => ({
        handle: r.handle,
        name: r.name,
        kind: r.kind,
        organisation: r.organisation,
        eligible: r.eligible === 1,
        at: r.at,
        reason: r.reason,
        alternative: r.alternative ?? r.resolution_criteria,
        membershipEndedAt: r.membership_ended_at,
      }),
    ),
    votes: latestPerPerson(votes).map(
      (v): VoteFact => ({
        handle: v.handle,
        choice: v.choice,
        organisation: v.organisation,
        eligible: v.eligible === 1,
        at: v.at,
        membershipEndedAt: v.membership_ended_at,
      }),
    ),
    activeEligible,
    escalation: esc
      ? {
          at: esc.escalated_at,
          designee: esc.designee,
          designeeName: esc.designee_name,
          guidance: esc.guidance,
          guidanceKind: esc.guidance_kind,
        }
      : null,
    withdrawn:
      d.withdrawn_at !== null
        ? { at: d.withdrawn_at, by: d.withdrawn_by ?? 'operator', reason: d.withdrawn_reason ?? '' }
        : null,
  };
  return { f, responses, latest, votes };
}

async function facts(db: Tx, hub: Hub, d: DecisionsTable) {
  const rows = await answerRows(db, [d.id]);
  return factsFrom(d, rows, await electorate(db, hub, d));
}

/** What silence did, from the proof of who was told: of the silent members, those counted and those not informed in time. */
export const silenceFrom = (
  notified: Pick<NoticeProof, 'silent' | 'uncounted'>,
): NonNullable<DecisionFacts['silence']> => ({
  counted: notified.silent.length - notified.uncounted.length,
  uncounted: notified.uncounted.length,
});

/**
 * The state as `decisionState` computes it, and once it was adopted by lazy consensus, computed again
 * knowing whose silence counted (the proof of who was told, read only then), so its words never say
 * silence counted as consent of members not informed in time. Every read that shows `why` comes here.
 */
async function stateKnowingSilence(db: Tx, hub: Hub, d: DecisionsTable, f: DecisionFacts): Promise<DecisionState> {
  const { state, at: now } = onRecord(hub.governance, d, f, hub.clock.now());
  if (state.outcome !== 'adopted') return state;
  // the proof as of the state's instant: the clock is not read again
  const notified = await whoWasTold(
    db,
    hub,
    d,
    state,
    f.responses.map((r) => r.handle),
    now,
  );
  return knowingSilence(hub, f, state, notified, now);
}

/** `computed` once adopted by lazy consensus, computed again with what silence did (`notified`, the proof). */
function knowingSilence(
  hub: Hub,
  f: DecisionFacts,
  computed: DecisionState,
  notified: NoticeProof,
  now: Date,
): DecisionState {
  return computed.outcome === 'adopted'
    ? decisionState(hub.governance, { ...f, silence: silenceFrom(notified) }, now)
    : computed;
}

/**
 * Where each of many decisions stands now, read together: their answers in three queries and the
 * members of their groups in one, each state then computed as `decisionView` computes it (a meeting
 * that recorded twenty decisions reads four queries, not twenty decision reads). In `rows`' order.
 * `silence: false` (for a caller that keeps only the pending): an adoption by silence is not told whose
 * silence counted (its words only; outcome and phase are the same), so no proof of who was told is read.
 */
export async function decisionStates(
  db: Tx,
  hub: Hub,
  rows: readonly DecisionsTable[],
  opts: { silence?: boolean } = {},
): Promise<DecisionState[]> {
  const answers = await answerRows(
    db,
    rows.map((d) => d.id),
  );
  const counting = rows.filter((d) => electorateAt(hub, d) !== null);
  const groups = [...new Set(counting.map((d) => d.group_id))];
  const members = groups.length
    ? await db
        .selectFrom('group_members')
        .select(['group_id', 'joined_at', 'level', 'emeritus', 'last_active_at'])
        .where('group_id', 'in', groups)
        .execute()
    : [];
  const now = hub.clock.now();
  const states: DecisionState[] = [];
  for (const d of rows) {
    const at = electorateAt(hub, d);
    const activeEligible =
      at === null
        ? d.electorate!
        : countActiveEligible(
            hub,
            members.filter((m) => m.group_id === d.group_id),
            at,
          );
    const { f } = factsFrom(d, answers, activeEligible);
    const { state } = onRecord(hub.governance, d, f, now);
    // an adoption by silence says whose silence counted: its proof is read for it alone (the others cost nothing more)
    states.push(
      state.outcome === 'adopted' && opts.silence !== false ? await stateKnowingSilence(db, hub, d, f) : state,
    );
  }
  return states;
}

/** The decisions named by `refs` (D-7 or 7), in that order; NotFound names the first missing. */
export async function decisionRows(db: Tx, refs: readonly string[]): Promise<DecisionsTable[]> {
  const numbers = refs.map(decisionNumber);
  const wanted = numbers.filter((n): n is number => n !== null);
  const found = wanted.length
    ? await db.selectFrom('decisions').selectAll().where('number', 'in', wanted).execute()
    : [];
  const byNumber = new Map(found.map((d) => [d.number, d]));
  return refs.map((ref, i) => {
    const d = numbers[i] !== null ? byNumber.get(numbers[i]!) : undefined;
    if (!d) throw new NotFound('decision', ref);
    return d;
  });
}

export type DecisionView = {
  ref: string;
  /** Moves with each change to its own terms (extended, withdrawn, put to a vote); an extension names the one it read. */
  version: number;
  group: string;
  subject: { type: string; ref: string | null };
  question: string;
  description: string;
  significance: string;
  matter: string;
  openedBy: string;
  openedAt: string;
  deadline: string;
  state: DecisionState;
  responses: {
    handle: string;
    /** The responder's name, to show beside the handle. */
    name: string;
    kind: string;
    reason: string | null;
    alternative: string | null;
    resolutionCriteria: string | null;
    amendment: string | null;
    organisation: string | null;
    /** It counts toward the outcome: given at a level that counts, by someone still in the group (`membershipEndedAt`). */
    counts: boolean;
    at: string;
    /**
     * When the person left the group, or was removed from it, after responding while the decision was open:
     * the response stays in the record and is shown, but counts no more from then (null: they have not).
     */
    membershipEndedAt: string | null;
    flags: TextFlag[];
  }[];
  /** Responses from people whose level does not count: shown, not counted. */
  advisory: string[];
  tally: Tally;
  votes: {
    handle: string;
    /** The voter's name, to show beside the handle. */
    name: string;
    choice: string;
    organisation: string | null;
    counts: boolean;
    at: string;
    /** When the person left the group, or was removed from it, after voting: the vote is shown, not counted from then. */
    membershipEndedAt: string | null;
  }[];
  voteTally: Tally | null;
  voteRequests: string[];
  escalation: {
    at: string;
    designee: string | null;
    guidance: string | null;
    guidanceKind: string | null;
    candidates: string[];
    conflicted: { handle: string; shares: string[] }[];
  } | null;
  /**
   * What happened to it, oldest first: the latest `LIMITS.decisionTimeline.events` events (and no more
   * than its `chars` of facts); `timelineEarlier` says how many came before them and where to read them.
   */
  timeline: TimelineEvent[];
  /** The events before `timeline` (null: it holds them all): how many, and the `before` that reads them (`decisionTimeline`). */
  timelineEarlier: TimelineEarlier | null;
  /** Proof that silence was informed: who was told, when and how, who opened it, who was never reached. */
  notified: NoticeProof;
  /**
   * The name of each person the view names by handle alone (who opened it, the timeline's actors, the
   * escalation's designee and candidates, who asked for a vote), to show beside the handle.
   */
  names: Record<string, string>;
  /**
   * For one who may extend it (`can.extend`), while members' silence is not counted for want of a notice
   * in time (`notified.uncounted`): how far to extend the deadline so that they would be told in time.
   * Null to anyone else, when everyone was informed in time, or when extending tells nobody (the
   * governance file turns `decision-extended` notices off).
   */
  extendToInform: ExtendToInform | null;
  /** What the viewer may do on this decision now, and for each thing they may not, why. */
  can: Can<DecisionAction>;
};

/** One event of a decision's timeline. */
export type TimelineEvent = { seq: number; at: string; actor: string | null; kind: string; after: EventFacts | null };

/** Earlier events of a decision's timeline than those shown: how many, and the `before` that reads the next of them. */
export type TimelineEarlier = { count: number; before: number };

/** A page of a decision's timeline (`decisionTimeline`), oldest first, with the names of its actors. */
export type DecisionTimelinePage = {
  ref: string;
  items: TimelineEvent[];
  earlier: TimelineEarlier | null;
  names: Record<string, string>;
  /**
   * What the viewer may do on the decision now (respond to it, withdraw their response, ask for a vote,
   * vote…), and for each thing they may not, why: the decision's own `can`, so one reading its history
   * learns whether they may still answer it.
   */
  can: Can<DecisionAction>;
};

/**
 * The latest events of a decision's timeline before event `before` (the latest of all without it),
 * within `LIMITS.decisionTimeline`, oldest first, and what came before them.
 */
async function timelinePage(
  db: Tx,
  d: DecisionsTable,
  before?: number,
  limit: number = LIMITS.decisionTimeline.events,
): Promise<{ items: TimelineEvent[]; earlier: TimelineEarlier | null }> {
  const { rows: read, total } = await latestEventsFor(db, 'decision', decisionRef(d), limit, before);
  const rows = pageWithin(read, LIMITS.decisionTimeline.chars, (r) => r.after?.length ?? 0).reverse();
  const first = rows[0];
  const count = total - rows.length;
  return {
    items: rows.map((e) => ({ seq: e.seq, at: e.at, actor: e.actor, kind: e.kind, after: readJson(e.after) })),
    earlier: first && count > 0 ? { count, before: first.seq } : null,
  };
}

/**
 * Earlier events of a decision's timeline than its view carries: the latest `limit` (at most
 * `LIMITS.decisionTimeline.events`, and its `chars`) before event `before`, oldest first, with how many
 * came before those and the `before` that reads them. Anyone who may read the decision may read them.
 */
export async function decisionTimeline(
  hub: Hub,
  ref: string,
  raw: unknown,
  actor: Actor | null,
): Promise<DecisionTimelinePage> {
  const q = parseInput(DecisionTimelineQuery, raw);
  const db = hub.store.db;
  const d = await decisionRow(db, ref);
  const page = await timelinePage(db, d, q.before, q.limit);
  const { f } = await facts(db, hub, d);
  return {
    ref: decisionRef(d),
    ...page,
    names: await namesOf(
      db,
      page.items.map((e) => e.actor),
    ),
    can: await canOn(db, hub, actor, d, onRecord(hub.governance, d, f, hub.clock.now()).state, f),
  };
}

/**
 * The advice to one who may extend a decision whose silence leaves members out: extending sends every
 * member whose voice counts a notice at once (its own), and that notice counts for them when the new
 * deadline is at least `decisions.noticeHours` after it (domain/decisions/extension.ts).
 */
export type ExtendToInform = {
  /**
   * Of `notified.uncounted`, those the extension's notice would tell: all but whoever extends it (nobody
   * is told of what they did themself; they may answer).
   */
  members: { handle: string; name: string }[];
  /**
   * The least whole number of hours to extend it by: after it, a notice sent now is recorded at least
   * `decisions.noticeHours` before the new deadline. Null when no extension allowed now
   * (`LIMITS.decisionExtensionDays`) would do.
   */
  hours: number | null;
  /** The deadline that extension gives (ISO); null when `hours` is. */
  deadline: string | null;
  /** The same in plain words, for the person who may extend it. */
  advice: string;
};

function extendToInformOf(
  hub: Hub,
  d: DecisionsTable,
  can: Can<DecisionAction>,
  notified: NoticeProof,
  viewer: Actor | null,
): ExtendToInform | null {
  if (!can.extend.allowed || !notified.uncounted.length) return null;
  if (!hub.governance.notifications.kinds['decision-extended'].enabled) return null;
  const me = viewer?.kind === 'person' ? viewer.person.handle.toLowerCase() : null;
  const members = notified.uncounted
    .filter((u) => u.handle.toLowerCase() !== me)
    .map((u) => ({ handle: u.handle, name: u.name }));
  if (!members.length) return null;
  const noticeHours = hub.governance.decisions.noticeHours;
  const e = extensionToInform(d.deadline, hub.clock.now(), noticeHours);
  return {
    members,
    hours: e.within ? e.hours : null,
    deadline: e.within ? e.deadline : null,
    advice: extensionToInformAdvice(
      members.map((m) => nameWithHandle(m.handle, m.name, '@handle')),
      e,
      noticeHours,
    ),
  };
}

/** The decision's policy for this actor now (null: a visitor), from the state already worked out. */
async function canOn(
  db: Tx,
  hub: Hub,
  actor: Actor | null,
  d: DecisionsTable,
  state: DecisionState,
  f: DecisionFacts,
): Promise<Can<DecisionAction>> {
  const me = actor?.kind === 'person' ? actor.person.handle : null;
  const designee = f.escalation?.designee ?? null;
  // what the viewer already did (a response withdrawn last, a vote asked for): asked again, already as asked
  const mine =
    actor?.kind === 'person'
      ? await Promise.all([
          db
            .selectFrom('decision_responses')
            .select(['kind', 'at'])
            .where('decision_id', '=', d.id)
            .where('person_id', '=', actor.person.id)
            .orderBy('at', 'desc')
            .limit(1)
            .executeTakeFirst(),
          db
            .selectFrom('decision_vote_requests')
            .select('at')
            .where('decision_id', '=', d.id)
            .where('person_id', '=', actor.person.id)
            .executeTakeFirst(),
        ])
      : [undefined, undefined];
  return decisionPolicy(
    hub.governance,
    viewerOf(hub, actor),
    {
      groupLevel: actor ? await activeLevelIn(db, hub, d.group_id, actor) : null,
      relations: [
        ...(me && designee && designee.toLowerCase() === me.toLowerCase() ? (['designee'] as const) : []),
        // whoever opened it is its author (the operator opens as 'operator', never a person's handle)
        ...(me && d.opened_by.toLowerCase() === me.toLowerCase() ? (['author'] as const) : []),
      ],
    },
    {
      phase: state.phase,
      voteRequested: d.vote_requested_at !== null,
      responded: me !== null && f.responses.some((r) => r.handle === me),
      designated: designee !== null,
      withdrawn: state.outcome === 'withdrawn',
      withdrawal: f.withdrawn ? { by: f.withdrawn.by, at: f.withdrawn.at } : null,
      responseWithdrawnAt: mine[0]?.kind === 'withdrawn' ? mine[0].at : null,
      voteAskedAt: mine[1]?.at ?? null,
    },
  );
}

/** The one authorisation call of every decision use case: refuses in the community's words. */
async function authorizeOn(db: Tx, hub: Hub, actor: Actor, d: DecisionsTable, action: DecisionAction): Promise<void> {
  authorize(await canNow(db, hub, actor, d), action);
}

/** The same for what a member does as themself (respond, withdraw, ask for a vote, vote): answers the person acting. */
async function authorizeOnAsPerson(
  db: Tx,
  hub: Hub,
  actor: Actor,
  d: DecisionsTable,
  action: DecisionAction,
): Promise<PersonActor> {
  return authorizeAsPerson(await canNow(db, hub, actor, d), action, actor);
}

/**
 * A response or vote recorded after the person's previous one (afterPrevious) rather than now is
 * weighed again at that instant: one pushed onto the deadline or the vote's close would not count,
 * and is refused as any later one is.
 */
async function allowedWhenRecorded(
  db: Tx,
  hub: Hub,
  actor: Actor,
  d: DecisionsTable,
  action: DecisionAction,
  at: string,
  now: string,
): Promise<void> {
  if (at === now) return;
  authorizeAsPerson(await canNow(db, hub, actor, d, new Date(at)), action, actor);
}

/** What the actor may do on the decision as it stands at `at` (now, unless a later instant is asked). */
async function canNow(
  db: Tx,
  hub: Hub,
  actor: Actor,
  d: DecisionsTable,
  at: Date = hub.clock.now(),
): Promise<Can<DecisionAction>> {
  const { f } = await facts(db, hub, d);
  return canOn(db, hub, actor, d, onRecord(hub.governance, d, f, at).state, f);
}

/** The decision's state on record (`stateOnRecord`), read from its row's recorded state. */
const onRecord = (g: Governance, d: Pick<DecisionsTable, 'recorded_state'> | null, f: DecisionFacts, now: Date) =>
  stateOnRecord(g, d?.recorded_state ?? null, f, now);

async function parties(db: Tx, d: DecisionsTable, latestBlocks: string[]) {
  const people = await db
    .selectFrom('people')
    .select(['id', 'handle'])
    .where('handle', 'in', [d.opened_by, ...latestBlocks])
    .execute();
  return Promise.all(people.map(async (p) => ({ handle: p.handle, organisations: await organisationsOf(db, p.id) })));
}

async function organisationsOf(db: Tx, personId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('affiliations as a')
    .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select('o.name')
    .where('a.person_id', '=', personId)
    .where('a.to_date', 'is', null)
    .execute();
  return rows.map((r) => r.name);
}

async function candidatesFor(db: Tx, hub: Hub, d: DecisionsTable, state: DecisionState) {
  const cms = await db
    .selectFrom('people')
    .select(['id', 'handle'])
    .where('role', '=', hub.governance.decisions.escalation.candidateRole)
    .orderBy('handle')
    .execute();
  const cands = await Promise.all(
    cms.map(async (c) => ({ handle: c.handle, organisations: await organisationsOf(db, c.id) })),
  );
  return escalationCandidates(
    cands,
    await parties(
      db,
      d,
      state.standingBlocks.map((b) => b.handle),
    ),
  );
}

export async function decisionView(
  db: Tx,
  hub: Hub,
  d: DecisionsTable,
  viewer: Actor | null = null,
  asked: 'now' | 'at' = 'now',
): Promise<DecisionView> {
  await loadShippedModel(); // the hints on its texts (loaded on first use)
  const { f, latest, votes } = await facts(db, hub, d);
  const voterNames = new Map(votes.map((v) => [v.handle, v.name]));
  // as it stands now (on record), or as it stood or will stand at an instant asked for (`at`: the clock given)
  const { state: computed, at } = onRecord(hub.governance, asked === 'now' ? d : null, f, hub.clock.now());
  const group = await db.selectFrom('groups').select('slug').where('id', '=', d.group_id).executeTakeFirstOrThrow();
  const requests = await db
    .selectFrom('decision_vote_requests as q')
    .innerJoin('people as p', 'p.id', 'q.person_id')
    .select('p.handle')
    .where('q.decision_id', '=', d.id)
    .execute();
  // what counts as the decision stands at `at`: a response at the deadline once it passed, a vote at its close
  const responseCounts = (r: Pick<ResponseFact, 'eligible' | 'membershipEndedAt'>) =>
    answerCountsAt(r, responsesJudgedAt(f, at.getTime()));
  const voteCounts = (v: VoteFact) => answerCountsAt(v, votesJudgedAt(computed.voteClosesAt, at.getTime()));
  const counted = f.responses.filter(responseCounts);
  const cand = computed.phase === 'escalated' || f.escalation ? await candidatesFor(db, hub, d, computed) : null;
  const { items: events, earlier } = await timelinePage(db, d);
  const notified = await whoWasTold(
    db,
    hub,
    d,
    computed,
    // in a vote only a vote answers it: a response given before the vote opened is no vote, and
    // silence is not consent there
    computed.voteOpensAt ? votes.map((v) => v.handle) : latest.map((r) => r.handle),
    // as of the instant the state was computed at: the clock is not read again
    at,
  );
  // adopted by silence: its words say whose silence counted and whose did not, from this very proof
  const state = knowingSilence(hub, f, computed, notified, at);
  const can = await canOn(db, hub, viewer, d, state, f);
  const names = await namesOf(db, [
    personOrNull(d.opened_by),
    ...events.map((e) => e.actor),
    ...(f.escalation?.designee ? [f.escalation.designee] : []),
    ...(cand ? [...cand.eligible.map((c) => c.handle), ...cand.conflicted.map((c) => c.handle)] : []),
    ...requests.map((r) => r.handle),
  ]);
  return {
    ref: decisionRef(d),
    version: d.version,
    group: group.slug,
    subject: { type: d.subject_type, ref: shownSubjectRef(hub.governance, d.subject_type, d.subject_ref) },
    question: d.question,
    description: d.description,
    significance: d.significance,
    matter: d.matter,
    openedBy: d.opened_by,
    openedAt: d.opened_at,
    deadline: d.deadline,
    state,
    responses: latest.map((r) => ({
      handle: r.handle,
      name: r.name,
      kind: r.kind,
      reason: r.reason,
      alternative: r.alternative,
      resolutionCriteria: r.resolution_criteria,
      amendment: r.amendment,
      organisation: r.organisation,
      counts: responseCounts({ eligible: r.eligible === 1, membershipEndedAt: r.membership_ended_at }),
      at: r.at,
      membershipEndedAt: r.membership_ended_at,
      flags: checkText([r.reason, r.alternative, r.resolution_criteria, r.amendment].filter(Boolean).join('\n')),
    })),
    advisory: latest.filter((r) => r.eligible !== 1).map((r) => r.handle),
    tally: weighVoices(
      hub.governance,
      counted.map((r) => ({ handle: r.handle, kind: r.kind, organisation: r.organisation })),
    ),
    votes: f.votes.map((v) => ({
      handle: v.handle,
      name: voterNames.get(v.handle) ?? v.handle,
      choice: v.choice,
      organisation: v.organisation,
      counts: voteCounts(v),
      at: v.at,
      membershipEndedAt: v.membershipEndedAt ?? null,
    })),
    voteTally: f.votes.length
      ? weighVoices(
          hub.governance,
          f.votes.filter(voteCounts).map((v) => ({ handle: v.handle, kind: v.choice, organisation: v.organisation })),
        )
      : null,
    voteRequests: requests.map((r) => r.handle),
    escalation: cand
      ? {
          at: f.escalation?.at ?? state.voteClosesAt ?? d.deadline,
          designee: f.escalation?.designee ?? null,
          guidance: f.escalation?.guidance ?? null,
          guidanceKind: f.escalation?.guidanceKind ?? null,
          candidates: cand.eligible.map((c) => c.handle),
          conflicted: cand.conflicted,
        }
      : null,
    timeline: events,
    timelineEarlier: earlier,
    notified,
    names,
    extendToInform: extendToInformOf(hub, d, can, notified, viewer),
    can,
  };
}

/**
 * A decision's state as of now and nothing more of its view (a mail about it asks only whether it
 * still takes answers, and if not with what outcome it closed).
 */
export async function decisionStateOf(db: Tx, hub: Hub, d: DecisionsTable): Promise<DecisionState> {
  const { f } = await facts(db, hub, d);
  return stateKnowingSilence(db, hub, d, f);
}

/** A decision as of now, or as it will stand at a given time if nothing else happens ("what if the deadline passes?"). */
export async function getDecision(
  hub: Hub,
  ref: string,
  at?: string,
  viewer: Actor | null = null,
): Promise<DecisionView> {
  if (at !== undefined) parseInput(DecisionAtQuery, { at });
  const view = at === undefined ? hub : { ...hub, clock: { now: () => new Date(at) } };
  return decisionView(
    hub.store.db,
    view,
    await decisionRow(hub.store.db, ref),
    viewer,
    at === undefined ? 'now' : 'at',
  );
}

/**
 * Opens a decision under lazy consensus; the deadline follows the governance file and cannot be shorter.
 * `found`: issues the edge met turning its fields into this input (a deadline its clock skips).
 */
export async function openDecision(
  hub: Hub,
  actor: Actor,
  raw: unknown,
  found: readonly FieldIssue[] = [],
): Promise<DecisionView> {
  const check = new InputCheck(OpenDecisionInput, raw, found);
  return inTransaction(hub, (trx) => openChecked(trx, hub, actor, check));
}

/** Opens a decision inside a caller's transaction (a meeting records the decision it took in the same write). */
export async function openDecisionIn(
  trx: Tx,
  hub: Hub,
  actor: Actor,
  input: z.output<typeof OpenDecisionInput>,
): Promise<DecisionView> {
  return openChecked(trx, hub, actor, new InputCheck(OpenDecisionInput, input));
}

async function openChecked(
  trx: Tx,
  hub: Hub,
  actor: Actor,
  check: InputCheck<typeof OpenDecisionInput>,
): Promise<DecisionView> {
  {
    const f = check.fields;
    const g = f.group
      ? await check.attempt(() =>
          groupRow(trx, f.group!).catch(() => {
            throw invalid('group', `no group '${f.group}'`);
          }),
        )
      : undefined;
    if (!g) throw check.failure();
    authorize(await groupCan(trx, hub, actor, g), 'openDecision');
    let subjectRef: string | null = f.subject?.ref ?? null;
    if (f.subject && check.ok('subject'))
      await check.attempt(async () => {
        const subject = f.subject!;
        // a charter or process decision is about its own group's charter or process: a ref there would
        // record (and link) a hosting decision as being about another group's charter, or about anything
        if (subject.type !== 'proposal' && subjectRef !== null)
          throw invalid(
            'subject.ref',
            `names a proposal only: a ${subject.type} decision is about the ${g.slug} group's own ${subject.type}; to decide on a proposal, say the decision is about one, or leave the proposal out`,
          );
        if (subject.type === 'proposal') {
          const p = await proposalRow(trx, subjectRef!, hub.governance).catch(() => {
            throw invalid('subject.ref', `no proposal '${subject.ref}'`);
          });
          subjectRef = refOf(p);
          // a group decides its own proposals: another group's members would answer for it
          if (p.group_id && p.group_id !== g.id) {
            const owner = await trx.selectFrom('groups').select('slug').where('id', '=', p.group_id).executeTakeFirst();
            throw invalid(
              'subject.ref',
              `${subjectRef} belongs to the ${owner?.slug ?? 'other'} group: open the decision there, or discuss it in a comment on ${subjectRef}`,
            );
          }
        }
      });
    const now = hub.clock.now();
    if (f.significance && check.ok('significance', 'deadline')) {
      const minDays = hub.governance.decisions.minimumDays[f.significance];
      const earliest = new Date(now.getTime() + minDays * DAY);
      if (f.deadline && new Date(f.deadline).getTime() < earliest.getTime())
        check.add(
          'deadline',
          `must be at least ${minDays} days after opening for a ${f.significance} item (the earliest is ${earliest.toISOString()})`,
        );
    }
    // counted holding the group, so two opened at once cannot both pass the bound on PostgreSQL; and a
    // retirement under way waits for this decision, or this decision for it and is then refused as any
    // in a retired group is
    const held = await groupRowHeld(trx, hub, g.slug);
    if (held.status !== g.status) authorize(await groupCan(trx, hub, actor, held), 'openDecision');
    const openNow = await trx
      .selectFrom('decisions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('group_id', '=', g.id)
      .where(notRecordedClosed('recorded_state'))
      .executeTakeFirstOrThrow();
    if (Number(openNow.n) >= LIMITS.openDecisionsPerGroup)
      check.add(
        'group',
        `${g.slug} has ${LIMITS.openDecisionsPerGroup} decisions open (escalated ones count until they are resolved), as many as one group may: let some close (the hub records those past their deadline every quarter of an hour), resolve an escalated one, or withdraw one opened by mistake, before opening another`,
      );
    const input = check.done();
    const deadline = input.deadline
      ? new Date(input.deadline)
      : new Date(now.getTime() + hub.governance.decisions.minimumDays[input.significance] * DAY);
    // the same question on the same subject, still open: a form sent again (Back, then the button) or a
    // retried request would otherwise ask everyone twice and split their answers. The same however it is
    // spelt (`spelling`: case beyond ASCII, an accent typed apart, spacing), compared here: SQLite's
    // lower() folds only ASCII, and neither database reads NFD as NFC (attack round 26: "café" and
    // "cafe\u0301", or "CAFÉ" on SQLite, opened the one question twice). The open ones are bounded
    // (`LIMITS.openDecisionsPerGroup`).
    const asked = spelling(input.question);
    const twin = (
      await trx
        .selectFrom('decisions')
        .select(['number', 'opened_at', 'question'])
        .where('group_id', '=', g.id)
        .where('subject_type', '=', input.subject.type)
        .where((eb) => (subjectRef === null ? eb('subject_ref', 'is', null) : eb('subject_ref', '=', subjectRef)))
        .where(notRecordedClosed('recorded_state'))
        .execute()
    ).find((d) => spelling(d.question) === asked);
    if (twin)
      throw invalid(
        'question',
        `${decisionRef(twin)} already asks this and is still open: answer it there, or ask a different question`,
      );
    const n = await nextNumber(trx, 'decisions');
    const row: DecisionsTable = {
      id: hub.newId(),
      number: n,
      group_id: g.id,
      subject_type: input.subject.type,
      subject_ref: subjectRef,
      question: input.question,
      description: input.description,
      significance: input.significance,
      matter: input.matter,
      opened_by: actor.kind === 'person' ? actor.person.handle : 'operator',
      opened_at: now.toISOString(),
      deadline: deadline.toISOString(),
      vote_requested_at: null,
      recorded_state: 'lazy-consensus:pending',
      electorate: null,
      withdrawn_at: null,
      withdrawn_by: null,
      withdrawn_reason: null,
      version: 1,
    };
    await trx.insertInto('decisions').values(row).execute();
    await record(trx, hub, actor, 'decision.opened', { type: 'decision', id: decisionRef(row) }, null, {
      group: g.slug,
      subject: input.subject,
      question: row.question,
      significance: row.significance,
      matter: row.matter,
      deadline: row.deadline,
    });
    return decisionView(trx, hub, row, actor);
  }
}

async function eligibility(trx: Tx, hub: Hub, d: DecisionsTable, actor: Actor & { kind: 'person' }) {
  const level = await activeLevelIn(trx, hub, d.group_id, actor);
  return { level, eligible: level !== null && hub.governance.decisions.eligibleLevels.includes(level) };
}

/**
 * Whether a person's response to a decision would count, and their level in its group: shown beside
 * the respond form, so an observer or participant knows before answering that theirs is advisory.
 */
export async function voiceOn(
  hub: Hub,
  ref: string,
  person: Actor & { kind: 'person' },
): Promise<{ level: string | null; counts: boolean }> {
  const { level, eligible } = await eligibility(hub.store.db, hub, await decisionRow(hub.store.db, ref), person);
  return { level, counts: eligible };
}

/**
 * Whether this person's request for a vote would open it now (`requestVote`'s own rule): a lead's does
 * at once, and so does the member's that makes up the number the governance file asks for. A form says
 * so before the click, since an open vote ends lazy consensus and cannot be taken back. False to one
 * who may not ask at all.
 */
export async function voteRequestOpens(hub: Hub, ref: string, person: Actor & { kind: 'person' }): Promise<boolean> {
  const db = hub.store.db;
  const d = await decisionRow(db, ref);
  // one who may not ask is told so by `requestVote`, before anything about a box to tick
  if (d.vote_requested_at !== null || !(await canNow(db, hub, person, d)).requestVote.allowed) return false;
  const asked = await db
    .selectFrom('decision_vote_requests')
    .select('person_id')
    .where('decision_id', '=', d.id)
    .execute();
  const counted = asked.length + (asked.some((r) => r.person_id === person.person.id) ? 0 : 1);
  return voteOpensOnRequest(hub.governance, { groupLevel: await activeLevelIn(db, hub, d.group_id, person) }, counted);
}

/** Consent, a concern with a "yes, and" amendment, or a block with a reason and an alternative. */
export async function respondToDecision(hub: Hub, actor: Actor, ref: string, raw: unknown): Promise<DecisionView> {
  return inTransaction(hub, (trx) => respondToDecisionIn(trx, hub, actor, ref, raw));
}

/** The same inside the caller's transaction (a reply by mail claims its address in it too). */
export async function respondToDecisionIn(
  trx: Tx,
  hub: Hub,
  actor: Actor,
  ref: string,
  raw: unknown,
): Promise<DecisionView> {
  // held for an update before anything else (the answer moves the decision's version): the close job
  // never judges the decision while this answer is in flight, and one recorded closed meanwhile is refused
  const d = await decisionRow(trx, ref, { lock: hub });
  const me = await authorizeOnAsPerson(trx, hub, actor, d, 'respond');
  const input = parseInput(RespondInput, raw);
  await holdRow(trx, hub, 'people', me.person.id);
  const now = nowIso(hub);
  const { eligible, level } = await eligibility(trx, hub, d, me);
  const organisation = await organisationOn(trx, me.person.id, now);
  // the response given again, word for word and with the same standing: it stands as it was, from
  // when it was given; nothing is added, logged or told, and no response of the person's few is spent
  // (so a retry of a person's last allowed response is answered as the first call was, not refused).
  // Not when the last one stopped counting as its author's membership ended: given again after they
  // rejoined, it is recorded anew and counts from now
  const mine = await trx
    .selectFrom('decision_responses')
    .selectAll()
    .where('decision_id', '=', d.id)
    .where('person_id', '=', me.person.id)
    .execute();
  const last = latestPerPerson(mine)[0];
  if (
    last &&
    last.kind === input.kind &&
    last.reason === (input.reason ?? null) &&
    last.alternative === (input.alternative ?? null) &&
    last.resolution_criteria === (input.resolutionCriteria ?? null) &&
    last.amendment === (input.amendment ?? null) &&
    last.organisation === organisation &&
    last.eligible === (eligible ? 1 : 0) &&
    last.membership_ended_at === null
  )
    return decisionView(trx, hub, d, actor);
  if (mine.filter((r) => r.kind !== 'withdrawn').length >= LIMITS.responsesPerPerson)
    throw invalid(
      'kind',
      `you have responded to ${decisionRef(d)} ${LIMITS.responsesPerPerson} times, as often as one person may: the response you last left stands (none, if you withdrew it); say more in a comment`,
    );
  const at = afterPrevious(now, mine);
  await allowedWhenRecorded(trx, hub, actor, d, 'respond', at, now);
  await trx
    .insertInto('decision_responses')
    .values({
      id: hub.newId(),
      decision_id: d.id,
      person_id: me.person.id,
      kind: input.kind,
      reason: input.reason ?? null,
      alternative: input.alternative ?? null,
      resolution_criteria: input.resolutionCriteria ?? null,
      amendment: input.amendment ?? null,
      organisation,
      eligible: eligible ? 1 : 0,
      at,
    })
    .execute();
  await touchMembership(trx, hub, d.group_id, me.person.id);
  await record(trx, hub, actor, 'decision.responded', { type: 'decision', id: decisionRef(d) }, null, {
    handle: me.person.handle,
    ...input,
    organisation,
    counts: eligible,
    level,
  });
  return decisionView(trx, hub, await bumpVersion(trx, d), actor);
}

export async function withdrawResponse(hub: Hub, actor: Actor, ref: string): Promise<DecisionView> {
  return inTransaction(hub, async (trx) => {
    // held as a response holds it: the close never judges with this withdrawal in flight
    const d = await decisionRow(trx, ref, { lock: hub });
    const me = await authorizeOnAsPerson(trx, hub, actor, d, 'withdrawResponse');
    // held as a response is: a withdrawal and a response of the same person's are recorded in turn
    await holdRow(trx, hub, 'people', me.person.id);
    const now = nowIso(hub);
    const mine = await trx
      .selectFrom('decision_responses')
      .select('at')
      .where('decision_id', '=', d.id)
      .where('person_id', '=', me.person.id)
      .execute();
    const at = afterPrevious(now, mine);
    await allowedWhenRecorded(trx, hub, actor, d, 'withdrawResponse', at, now);
    await trx
      .insertInto('decision_responses')
      .values({
        id: hub.newId(),
        decision_id: d.id,
        person_id: me.person.id,
        kind: 'withdrawn',
        reason: null,
        alternative: null,
        resolution_criteria: null,
        amendment: null,
        organisation: null,
        eligible: 0,
        at,
      })
      .execute();
    await record(trx, hub, actor, 'decision.response-withdrawn', { type: 'decision', id: decisionRef(d) }, null, {
      handle: me.person.handle,
    });
    return decisionView(trx, hub, await bumpVersion(trx, d), actor);
  });
}

/**
 * A lead, or enough WG members together, ask for a formal vote. `confirmed` (the web form's box, "Yes,
 * end lazy consensus and open the vote now"): when given and false, a request that would open the vote
 * is refused naming `confirm`, judged here under the decision's lock, so a request made between the
 * form's own look and this one cannot open it unconfirmed. Without it (REST, MCP, the CLI) as before.
 */
export async function requestVote(
  hub: Hub,
  actor: Actor,
  ref: string,
  opts: { confirmed?: boolean } = {},
): Promise<DecisionView> {
  return inTransaction(hub, async (trx) => {
    // held for an update (it may open the vote), before anything else: never judged by the close job
    // meanwhile, and two requests at once take turns rather than both holding a share and deadlocking
    const d = await decisionRow(trx, ref, { lock: hub });
    const me = await authorizeOnAsPerson(trx, hub, actor, d, 'requestVote');
    const now = nowIso(hub);
    const level = await activeLevelIn(trx, hub, d.group_id, actor);
    const added = await trx
      .insertInto('decision_vote_requests')
      .values({ decision_id: d.id, person_id: me.person.id, at: now })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    const count = Number(
      (
        await trx
          .selectFrom('decision_vote_requests')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('decision_id', '=', d.id)
          .executeTakeFirstOrThrow()
      ).n,
    );
    const opens = voteOpensOnRequest(hub.governance, { groupLevel: level }, count);
    // refused in the transaction: the request inserted above is rolled back with it
    if (opens && opts.confirmed === false)
      throw invalid('confirm', 'tick the box to confirm: your request opens the vote now, and ends lazy consensus');
    // a new request moves the version whether or not it opens the vote: the view lists who asked
    if (opens || Number(added.numInsertedOrUpdatedRows ?? 0) > 0)
      await trx
        .updateTable('decisions')
        .set({ ...(opens ? { vote_requested_at: now } : {}), version: sql<number>`version + 1` })
        .where('id', '=', d.id)
        .execute();
    await record(trx, hub, actor, 'decision.vote-requested', { type: 'decision', id: decisionRef(d) }, null, {
      handle: me.person.handle,
      requests: count,
      voteOpened: opens,
    });
    return decisionView(trx, hub, await decisionRow(trx, ref), actor);
  });
}

export async function castVote(hub: Hub, actor: Actor, ref: string, raw: unknown): Promise<DecisionView> {
  return inTransaction(hub, (trx) => castVoteIn(trx, hub, actor, ref, raw));
}

/** The same inside the caller's transaction (a reply by mail claims its address in it too). */
export async function castVoteIn(trx: Tx, hub: Hub, actor: Actor, ref: string, raw: unknown): Promise<DecisionView> {
  // held for an update (the first vote records the electorate), before anything else: the close job
  // never counts the vote with this one in flight, and one recorded closed meanwhile is refused
  const d = await decisionRow(trx, ref, { lock: hub });
  const me = await authorizeOnAsPerson(trx, hub, actor, d, 'vote');
  const input = parseInput(VoteInput, raw);
  await holdRow(trx, hub, 'people', me.person.id);
  // held as a membership's end holds it (endAnswersInGroup): one that ended while this vote was in
  // flight is seen now, and the vote is refused in the policy's words rather than counted
  if ((await activeLevelIn(trx, hub, d.group_id, me)) === null) await authorizeOnAsPerson(trx, hub, actor, d, 'vote');
  const cast = await trx
    .selectFrom('decision_votes')
    .select('at')
    .where('decision_id', '=', d.id)
    .where('person_id', '=', me.person.id)
    .execute();
  if (cast.length >= LIMITS.votesPerPerson)
    throw invalid(
      'choice',
      `you have voted on ${decisionRef(d)} ${LIMITS.votesPerPerson} times, as often as one person may: your latest vote stands`,
    );
  const now = nowIso(hub);
  const at = afterPrevious(now, cast);
  await allowedWhenRecorded(trx, hub, actor, d, 'vote', at, now);
  if (d.electorate === null) {
    // Counted before this voter's activity is recorded, as of the vote's opening, and kept.
    const base = await activeEligibleCount(trx, hub, d.group_id, voteOpening(d));
    await trx
      .updateTable('decisions')
      .set({ electorate: base })
      .where('id', '=', d.id)
      .where('electorate', 'is', null)
      .execute();
  }
  await trx
    .insertInto('decision_votes')
    .values({
      id: hub.newId(),
      decision_id: d.id,
      person_id: me.person.id,
      choice: input.choice,
      rationale: input.rationale ?? null,
      organisation: await organisationOn(trx, me.person.id, now),
      eligible: 1,
      at,
    })
    .execute();
  await touchMembership(trx, hub, d.group_id, me.person.id);
  await record(trx, hub, actor, 'decision.voted', { type: 'decision', id: decisionRef(d) }, null, {
    handle: me.person.handle,
    choice: input.choice,
    rationale: input.rationale ?? null,
  });
  await bumpVersion(trx, d);
  return decisionView(trx, hub, await decisionRow(trx, ref), actor);
}

/**
 * A stale read refused when the caller sent the version it read (optional: writes that replace nothing
 * unseen may go without), with the decision as it stands: REST If-Match, MCP `version`, the CLI's
 * `--if-version`, the page's hidden field.
 */
async function refuseStale(
  trx: Tx,
  hub: Hub,
  actor: Actor,
  d: DecisionsTable,
  expected: number | undefined,
): Promise<void> {
  if (expected !== undefined && d.version !== expected)
    assertVersion(d.version, expected, decisionRef(d), await decisionView(trx, hub, d, actor));
}

/**
 * Designates the core maintainer who resolves an escalation: one who shares no organisation with the parties.
 * Naming another replaces the one named before, so the version read is checked when given.
 */
export async function designateEscalation(
  hub: Hub,
  actor: Actor,
  ref: string,
  raw: unknown,
  expectedVersion?: number,
): Promise<DecisionView> {
  return inTransaction(hub, async (trx) => {
    // held: two naming a resolver at once take turns, and the second sees the first's (its version moved)
    const d = await decisionRow(trx, ref, { lock: hub });
    const view = await decisionView(trx, hub, d, actor);
    authorize(view.can, 'designate');
    await refuseStale(trx, hub, actor, d, expectedVersion);
    const input = parseInput(DesignateInput, raw);
    const conflict = view.escalation!.conflicted.find((c) => c.handle.toLowerCase() === input.designee.toLowerCase());
    if (conflict)
      throw invalid(
        'designee',
        `${input.designee} ${conflict.shares[0] === 'is a party' ? 'is a party to the disagreement' : `shares an organisation with the parties (${conflict.shares.join(', ')})`}; candidates: ${view.escalation!.candidates.join(', ') || 'none'}`,
      );
    if (!view.escalation!.candidates.some((c) => c.toLowerCase() === input.designee.toLowerCase()))
      throw invalid(
        'designee',
        `${input.designee} is not a ${hub.governance.decisions.escalation.candidateRole}; candidates: ${view.escalation!.candidates.join(', ') || 'none'}`,
      );
    const p = await personRow(trx, input.designee);
    const at = view.escalation!.at;
    await trx.deleteFrom('decision_escalations').where('decision_id', '=', d.id).execute();
    await trx
      .insertInto('decision_escalations')
      .values({
        decision_id: d.id,
        escalated_at: at,
        designee_id: p.id,
        designated_by: actor.kind === 'person' ? actor.person.handle : 'operator',
        guidance: null,
        guidance_kind: null,
        guidance_at: null,
      })
      .execute();
    await record(trx, hub, actor, 'decision.designee-named', { type: 'decision', id: decisionRef(d) }, null, {
      designee: p.handle,
    });
    return decisionView(trx, hub, await bumpVersion(trx, d), actor);
  });
}

export async function recordGuidance(hub: Hub, actor: Actor, ref: string, raw: unknown): Promise<DecisionView> {
  return inTransaction(hub, async (trx) => {
    const d = await decisionRow(trx, ref, { lock: hub });
    await authorizeOn(trx, hub, actor, d, 'guide');
    const input = parseInput(GuidanceInput, raw);
    await trx
      .updateTable('decision_escalations')
      .set({ guidance: input.guidance, guidance_kind: input.kind, guidance_at: nowIso(hub) })
      .where('decision_id', '=', d.id)
      .execute();
    await record(trx, hub, actor, 'decision.guidance', { type: 'decision', id: decisionRef(d) }, null, input);
    return decisionView(trx, hub, await bumpVersion(trx, d), actor);
  });
}

/**
 * Withdraws a decision opened by mistake (a duplicate, a wrong question): whoever opened it, or a lead
 * of its group, while it is not closed, with a reason. It closes as withdrawn at once; the outcome is
 * recorded here (so the close job never reports it later), and the group hears it as any outcome.
 */
export async function withdrawDecision(
  hub: Hub,
  actor: Actor,
  ref: string,
  raw: unknown,
  /** The version read, checked when given: an answer or an extension since is shown, not withdrawn over unseen. */
  expectedVersion?: number,
): Promise<DecisionView> {
  return inTransaction(hub, async (trx) => {
    // held, and authorised after: a close recorded by another process meanwhile is seen and refused,
    // never followed by a second outcome in the log
    const d = await decisionRow(trx, ref, { lock: hub });
    await authorizeOn(trx, hub, actor, d, 'withdraw');
    await refuseStale(trx, hub, actor, d, expectedVersion);
    const input = parseInput(WithdrawDecisionInput, raw);
    const withdrawn = {
      withdrawn_at: nowIso(hub),
      withdrawn_by: actor.kind === 'person' ? actor.person.handle : 'operator',
      withdrawn_reason: input.reason,
    };
    const closed = { ...d, ...withdrawn, recorded_state: 'closed:withdrawn', version: d.version + 1 };
    const res = await trx
      .updateTable('decisions')
      .set({ ...withdrawn, recorded_state: closed.recorded_state, version: sql<number>`version + 1` })
      .where('id', '=', d.id)
      .where('withdrawn_at', 'is', null)
      .where(notRecordedClosed('recorded_state'))
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) {
      // withdrawn or closed meanwhile: refused in the policy's words ("already withdrawn", "closed")
      const now = await decisionRow(trx, ref);
      authorize(await canNow(trx, hub, actor, now), 'withdraw');
      return decisionView(trx, hub, now, actor);
    }
    const { f } = await facts(trx, hub, closed);
    const state = decisionState(hub.governance, f, hub.clock.now());
    // the kind every outcome is told by (members, those who answered, chat): "D-4 withdrawn: <question>"
    await record(
      trx,
      hub,
      actor,
      'decision.outcome',
      { type: 'decision', id: decisionRef(d) },
      { state: d.recorded_state },
      {
        phase: state.phase,
        outcome: state.outcome,
        why: state.why,
        by: withdrawn.withdrawn_by,
        reason: input.reason,
      },
    );
    return decisionView(trx, hub, closed, actor);
  });
}

/**
 * Extends a decision's lazy-consensus deadline, so that silence at the close is informed: members not
 * reached yet, or the group asking for more time. Whoever opened it or a lead of its group (the governance
 * file's `decision.extend`), only while lazy consensus runs (policies/decision.ts), from the version they
 * read (a stale one is a 409 with the decision as it stands: two facilitators never overwrite each
 * other), to a later deadline at most `LIMITS.decisionExtensionDays` from now (given as the deadline, or
 * as how many hours later: the view's `extendToInform.hours` says how many would let members not
 * informed in time be told in time), with a one-line reason.
 * Recorded as `decision.extended` (before: the old deadline), so the timeline shows it with the reason;
 * its reaction moves the "closes soon" timer to the new deadline and tells the members (notify.ts). The
 * close is computed from the stored deadline, so the old one closes nothing.
 */
export async function extendDecision(
  hub: Hub,
  actor: Actor,
  ref: string,
  expectedVersion: number | undefined,
  raw: unknown,
  /** Issues the edge met turning its fields into this input (a deadline its clock skips). */
  found: readonly FieldIssue[] = [],
): Promise<DecisionView> {
  return inTransaction(hub, async (trx) => {
    const d = await decisionRow(trx, ref, { lock: hub });
    await authorizeOn(trx, hub, actor, d, 'extend');
    // a stale read is refused first, with the decision as it stands: its new deadline is judged
    // against the deadline the facilitator saw, which someone else may have moved since
    const expected = requireVersion(expectedVersion, 'a decision');
    const what = decisionRef(d);
    if (d.version !== expected) assertVersion(d.version, expected, what, await decisionView(trx, hub, d, actor));
    const check = new InputCheck(ExtendDecisionInput, raw, found);
    // a new deadline, or how many hours later than this one: one of the two
    const sent = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
    const byHours = sent.hours !== undefined;
    if (byHours && sent.deadline !== undefined)
      check.add('hours', 'give either hours or a new deadline, not both: the one you give says how far it moves');
    else if (!byHours && sent.deadline === undefined && !found.some((i) => i.field === 'deadline'))
      check.add('hours', 'is required: how many hours later than the current deadline, or else a new deadline');
    const { deadline: proposed, hours } = check.fields;
    const now = hub.clock.now();
    if (!byHours && proposed && check.ok('deadline'))
      for (const issue of extensionIssues(d.deadline, proposed, now)) check.add(issue.field, issue.rule);
    if (hours !== undefined && check.ok('hours'))
      for (const issue of extensionHoursIssues(d.deadline, hours, now)) check.add(issue.field, issue.rule);
    const input = check.done();
    const deadline =
      input.hours !== undefined ? extendedBy(d.deadline, input.hours) : new Date(input.deadline!).toISOString();
    const res = await trx
      .updateTable('decisions')
      .set({ deadline, version: expected + 1 })
      .where('id', '=', d.id)
      .where('version', '=', expected)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) {
      const now = await decisionRow(trx, ref);
      assertVersion(now.version, expected, what, await decisionView(trx, hub, now, actor));
    }
    await record(
      trx,
      hub,
      actor,
      'decision.extended',
      { type: 'decision', id: decisionRef(d) },
      { deadline: d.deadline },
      {
        deadline,
        previousDeadline: d.deadline,
        by: actor.kind === 'person' ? actor.person.handle : 'operator',
        reason: input.reason,
      },
    );
    return decisionView(trx, hub, await decisionRow(trx, ref), actor);
  });
}

export async function listDecisions(
  hub: Hub,
  raw: unknown,
): Promise<
  Page<
    Pick<DecisionView, 'ref' | 'group' | 'question' | 'deadline'> & {
      phase: string;
      outcome: string;
      /** When it closes now: in a vote, the vote's close (not the lazy-consensus deadline); else the deadline. */
      closesAt: string;
      /**
       * While it is open, the responses that count by kind, from the tally its page shows (`tally.raw`): a
       * block standing on it is said beside a one-click consent, so no one consents unaware of it.
       */
      responses?: { consent: number; concern: number; block: number };
      respondedByYou?: boolean;
    }
  >
> {
  const q = parseInput(ListDecisionsQuery, raw);
  await knownFilter(hub.store.db, q);
  const after = decodeCursor(q.cursor, CursorPart.number);
  let query = hub.store.db
    .selectFrom('decisions as d')
    .innerJoin('groups as g', 'g.id', 'd.group_id')
    .selectAll('d')
    .select('g.slug as group_slug')
    .orderBy('d.number');
  if (q.group) query = query.where('g.slug', '=', q.group);
  if (q.subject) {
    const about = await subjectFilter(hub, q.subject);
    query = query
      .where('d.subject_type', '=', about.type)
      .$if(about.refs !== null, (w) => w.where('d.subject_ref', 'in', about.refs!));
  }
  if (after !== undefined) query = query.where('d.number', '>', after);
  // a decision the close job recorded closed stays so (the job reads it no more): what a list says of
  // it comes from its row, so a group's years of closed decisions are not each read whole on every
  // list of its open ones and its home page (fuzz round 12: 1,000 made the group's page 1.4 s)
  if (q.open === 'true' || q.needing) query = query.where(notRecordedClosed('d.recorded_state'));
  const rows = await query.execute();
  const needing = q.needing ? await personRow(hub.store.db, q.needing) : null;
  const items = [];
  for (const { group_slug, ...d } of rows) {
    const closed = d.recorded_state?.startsWith('closed:') ? d.recorded_state.slice('closed:'.length) : null;
    if (closed !== null) {
      if (q.open === 'true' || needing) continue;
      items.push({
        ref: decisionRef(d),
        group: group_slug,
        question: d.question,
        deadline: d.deadline,
        phase: 'closed',
        outcome: closed,
        closesAt: d.deadline,
      });
      if (items.length > q.limit) break;
      continue;
    }
    const v = await decisionView(hub.store.db, hub, d);
    const open = v.state.outcome === 'pending';
    if (q.open === 'true' && !open) continue;
    if (q.open === 'false' && open) continue;
    // named to resolve its escalation, with no binding guidance given yet (one that asked for more
    // information leaves it open): it waits on them alone (their home lists it; so must every edge's
    // "needing me", or an MCP client asked what needs them said nothing)
    const resolving =
      !!needing &&
      open &&
      v.state.phase === 'escalated' &&
      v.escalation?.designee?.toLowerCase() === needing.handle.toLowerCase();
    if (needing && !resolving) {
      // "needing me": open, in a group where my voice counts, and I have not answered in this phase
      const counts = await eligibility(hub.store.db, hub, d, { kind: 'person', person: needing });
      const answered =
        v.state.phase === 'vote'
          ? v.votes.some((x) => x.handle === needing.handle)
          : v.responses.some((x) => x.handle === needing.handle);
      if (!open || !counts.eligible || answered || v.state.phase === 'escalated') continue;
    }
    items.push({
      ref: v.ref,
      group: v.group,
      question: v.question,
      deadline: v.deadline,
      phase: v.state.phase,
      outcome: v.state.outcome,
      // an escalation is due by its initial response, not the long-past deadline
      closesAt: closesAtOf(v, v.state),
      ...(open
        ? {
            responses: {
              consent: v.tally.raw.consent ?? 0,
              concern: v.tally.raw.concern ?? 0,
              block: v.tally.raw.block ?? 0,
            },
          }
        : {}),
    });
    if (items.length > q.limit) break;
  }
  const page = items.slice(0, q.limit);
  return { items: page, nextCursor: items.length > q.limit ? encodeCursor(Number(page.at(-1)!.ref.slice(2))) : null };
}

/** How many open decisions, soonest to open their vote or close first, `soonestOpenDecisions` reads at a time. */
const SOONEST_READ = 50;
/** How many of those reads it makes at most (each page's states read together to tell their phase now). */
const SOONEST_PAGES = 4;

/**
 * The `n` open decisions in lazy consensus or a vote that close soonest (a vote by its close, lazy
 * consensus by its deadline), soonest first, and whether the community has other open decisions
 * (escalated ones too) besides. Read in the order of a bound the query can sort by: a decision
 * closes no sooner than its vote opens (the request, or the deadline); those recorded escalated are
 * left out by the query (they stay escalated until closed), and the reading goes on `SOONEST_READ`
 * rows at a time (at most `SOONEST_PAGES` times) until the next one's bound is past the n-th close
 * found: fifty escalated ones not yet recorded so no longer leave the home page with a link alone.
 * `more` counts what the list lists: open decisions in lazy consensus or a vote besides those listed
 * (one more is read for it, past the n-th); escalated ones counted in it showed one in no group a
 * bare "Every open decision" link under a list that had none, or none at all. Escalated ones are
 * said apart (`escalated`), as the list leaves them out.
 */
export async function soonestOpenDecisions(
  hub: Hub,
  n: number,
): Promise<{
  items: { ref: string; group: string; question: string; deadline: string; phase: string; closesAt: string }[];
  more: boolean;
  /** Whether open decisions escalated to their resolvers, which the list leaves out, are open too. */
  escalated: boolean;
}> {
  const db = hub.store.db;
  const opens = sql<string>`case when d.vote_requested_at is not null and d.vote_requested_at < d.deadline then d.vote_requested_at else d.deadline end`;
  const found: Awaited<ReturnType<typeof soonestOpenDecisions>>['items'] = [];
  let after: { opens: string; number: number } | null = null;
  let unread = false;
  let escalated = false;
  reading: for (let page = 0; page < SOONEST_PAGES; page++) {
    let q = db
      .selectFrom('decisions as d')
      .innerJoin('groups as g', 'g.id', 'd.group_id')
      .selectAll('d')
      .select(opens.as('opens'))
      .select('g.slug as group_slug')
      .where(notRecordedClosed('d.recorded_state'))
      .where(sql<boolean>`(d.recorded_state is null or d.recorded_state not like 'escalated:%')`)
      .where('d.withdrawn_at', 'is', null);
    if (after) {
      const { opens: o, number } = after;
      q = q.where(sql<boolean>`(${opens} > ${o} or (${opens} = ${o} and d.number > ${number}))`);
    }
    const rows = await q.orderBy(opens).orderBy('d.number').limit(SOONEST_READ).execute();
    // where each stands, read together (decisionStates: a few queries a page), not each decision read
    // whole (its timeline, who was told): the list needs nothing more than its row and its state
    const states = await decisionStates(
      db,
      hub,
      rows.map(({ opens: _, group_slug: __, ...d }) => d),
    );
    for (const [i, { opens: bound, group_slug, ...d }] of rows.entries()) {
      // the one past the n-th too: whether more are open than are listed
      const nth = found.length > n ? found[n]!.closesAt : null;
      if (nth !== null && new Date(bound).getTime() > new Date(nth).getTime()) break reading;
      after = { opens: bound, number: d.number };
      const state = states[i]!;
      // escalated at its close, not recorded so yet
      if (state.outcome === 'pending' && state.phase === 'escalated') escalated = true;
      if (state.outcome !== 'pending' || (state.phase !== 'lazy-consensus' && state.phase !== 'vote')) continue;
      found.push({
        ref: decisionRef(d),
        group: group_slug,
        question: d.question,
        deadline: d.deadline,
        phase: state.phase,
        closesAt: closesAtOf(d, state),
      });
      found.sort((a, b) => a.closesAt.localeCompare(b.closesAt) || decisionNumber(a.ref)! - decisionNumber(b.ref)!);
    }
    if (rows.length < SOONEST_READ) break;
    // the last page read was full: rows are left unread, and any of them may be open to answer
    if (page === SOONEST_PAGES - 1) unread = true;
  }
  escalated ||= !!(await db
    .selectFrom('decisions as d')
    .select('d.id')
    .where('d.recorded_state', 'like', 'escalated:%')
    .where('d.withdrawn_at', 'is', null)
    .limit(1)
    .executeTakeFirst());
  return { items: found.slice(0, n), more: found.length > n || unread, escalated };
}

/**
 * What a list's `subject` names: a group's charter or process, or a proposal by any of its refs (a
 * decision opened before it became a SEP names its P-n). A proposal that does not exist is refused
 * naming it, as a misspelt group is, rather than answered with no decisions.
 */
async function subjectFilter(hub: Hub, subject: string): Promise<{ type: string; refs: string[] | null }> {
  const word = subject.trim().toLowerCase();
  if (word === 'charter' || word === 'process') return { type: word, refs: null };
  const p = await proposalRow(hub.store.db, subject, hub.governance);
  return { type: 'proposal', refs: refsOfProposal(p) };
}

/** Both names a proposal may have had: a decision opened before it became a SEP names its P-n. */
function refsOfProposal(p: { number: number; sep_number: number | null }): string[] {
  return [`P-${p.number}`, ...(p.sep_number !== null ? [`SEP-${p.sep_number}`] : [])];
}

/**
 * A decision open on a proposal, as the proposal's view names it: where it stands (the responses
 * that count, by kind; in a vote, the votes cast that count, by choice), the viewer's own answer
 * standing (their response's kind, or in a vote their vote's choice; null with none), and what the
 * viewer may do on it now (`can`, the decision's own policy).
 */
export type OpenDecisionOn = {
  ref: string;
  question: string;
  phase: string;
  closesAt: string;
  responses: { consent: number; concern: number; block: number };
  votes: { yes: number; no: number; abstain: number } | null;
  yours: string | null;
  can: Can<DecisionAction>;
};

/**
 * The decisions still open on a proposal (by any of its refs), oldest first: at most
 * `LIMITS.openDecisionsOnProposal`, each read whole to tell its phase now (it moves with the clock),
 * with what `viewer` (null: a visitor) may do on each; `more`: others are open too (list them with
 * the decisions list's `subject`).
 */
export async function openDecisionsOn(
  db: Tx,
  hub: Hub,
  p: { number: number; sep_number: number | null },
  viewer: Actor | null = null,
): Promise<{ items: OpenDecisionOn[]; more: boolean }> {
  const rows = await db
    .selectFrom('decisions')
    .selectAll()
    .where('subject_type', '=', 'proposal')
    .where('subject_ref', 'in', refsOfProposal(p))
    .where(notRecordedClosed('recorded_state'))
    .orderBy('number')
    .limit(LIMITS.openDecisionsOnProposal + 1)
    .execute();
  const me = viewer?.kind === 'person' ? viewer.person.handle : null;
  const items: OpenDecisionOn[] = [];
  for (const d of rows.slice(0, LIMITS.openDecisionsOnProposal)) {
    const { f } = await facts(db, hub, d);
    const { state, at } = onRecord(hub.governance, d, f, hub.clock.now());
    if (state.outcome !== 'pending') continue; // past its close, not yet recorded so
    const t = at.getTime();
    const counted = f.responses.filter((r) => answerCountsAt(r, responsesJudgedAt(f, t))).map((r) => r.kind);
    const cast = f.votes.filter((v) => answerCountsAt(v, votesJudgedAt(state.voteClosesAt, t))).map((v) => v.choice);
    const n = (of: readonly string[], k: string) => of.filter((x) => x === k).length;
    const inVote = state.voteOpensAt !== null;
    const mine = inVote ? f.votes.find((v) => v.handle === me)?.choice : f.responses.find((r) => r.handle === me)?.kind;
    items.push({
      ref: decisionRef(d),
      question: d.question,
      phase: state.phase,
      closesAt: closesAtOf(d, state),
      responses: { consent: n(counted, 'consent'), concern: n(counted, 'concern'), block: n(counted, 'block') },
      votes: inVote ? { yes: n(cast, 'yes'), no: n(cast, 'no'), abstain: n(cast, 'abstain') } : null,
      yours: mine ?? null,
      can: await canOn(db, hub, viewer, d, state, f),
    });
  }
  return { items, more: rows.length > LIMITS.openDecisionsOnProposal };
}

/** A decision on a proposal that has an outcome: what it asked, how it ended, and when. */
export type DecidedOn = {
  ref: string;
  question: string;
  outcome: Exclude<Outcome, 'pending' | 'withdrawn'>;
  closedAt: string;
};

/**
 * The decisions on a proposal (by any of its refs) that have an outcome now, withdrawn ones apart,
 * newest first: at most `LIMITS.decidedOnProposal`, each read whole to tell its outcome as of now
 * (one past its close and not yet recorded so reads as it will be recorded), and whether there are
 * more (`more`: the page links to the decisions list of the proposal's closed ones). The proposal's
 * page names them, so its author learns how the group decided, and that a decision does not move it.
 * Only those that may have an outcome are read (recorded closed, past their deadline, or put to a
 * vote: one still in lazy consensus before its deadline has none), newest first in pages until the
 * limit is passed, so newer open decisions never push the older decided ones off the list (it took
 * the ten newest, then dropped the pending ones).
 */
export async function decidedOn(
  hub: Hub,
  p: { number: number; sepNumber: number | null },
): Promise<{ items: DecidedOn[]; more: boolean }> {
  const db = hub.store.db;
  const now = hub.clock.now().toISOString();
  const limit = LIMITS.decidedOnProposal;
  const out: DecidedOn[] = [];
  let before: number | null = null;
  for (;;) {
    const rows: DecisionsTable[] = await db
      .selectFrom('decisions')
      .selectAll()
      .where('subject_type', '=', 'proposal')
      .where('subject_ref', 'in', refsOfProposal({ number: p.number, sep_number: p.sepNumber }))
      .where('withdrawn_at', 'is', null)
      .where((w) =>
        w.or([
          w('recorded_state', 'like', 'closed:%'),
          w('deadline', '<=', now),
          w('vote_requested_at', 'is not', null),
        ]),
      )
      .$if(before !== null, (q) => q.where('number', '<', before!))
      .orderBy('number', 'desc')
      .limit(limit + 1)
      .execute();
    for (const d of rows) {
      const state = await decisionStateOf(db, hub, d);
      if (state.outcome === 'pending' || state.outcome === 'withdrawn') continue;
      out.push({ ref: decisionRef(d), question: d.question, outcome: state.outcome, closedAt: closesAtOf(d, state) });
      if (out.length > limit) return { items: out.slice(0, limit), more: true };
    }
    if (rows.length <= limit) return { items: out, more: false };
    before = rows.at(-1)!.number;
  }
}

/**
 * The question a decision opened from a proposal starts with, for its opener to edit: "Adopt P-3: its
 * title?" (the proposal cited as the community cites it), its title cut so the whole fits a question's
 * length. Null when no proposal has that reference (the form then starts empty, and says so on sending).
 */
export async function questionAbout(hub: Hub, ref: string): Promise<string | null> {
  let p: ProposalsTable;
  try {
    p = await proposalRow(hub.store.db, ref, hub.governance);
  } catch (e) {
    if (e instanceof NotFound) return null;
    throw e;
  }
  const head = `Adopt ${shownRefsIn(hub.governance, refOf(p))}: `;
  const room = LIMITS.line - characterCount(head) - 1;
  const title = characterCount(p.title) > room ? `${firstCharacters(p.title, room - 1)}…` : p.title;
  return `${head}${withoutTrailing(title, '?')}?`;
}

/** A decision open in a group, as one who just joined it (or came back, or was raised) meets it. */
export type OpenDecisionOnJoining = OpenOnJoining & {
  question: string;
  phase: string;
  /** Why their silence does not count (`silence-not-counted`), in words; else null. */
  why: string | null;
};

/**
 * The decisions open in a group for answers (lazy consensus or a vote; not an escalation), oldest first,
 * each with what `actor`'s silence or answer does on it now: read after they join, come back or are
 * raised, for the edges to tell them (the web's flash, REST's and MCP's `openDecisions`). Their silence
 * counts only when told in time (informed.ts; the notice is written as they gain the voice,
 * standing-events.ts). At most `LIMITS.openDecisionsPerGroup`, as a group may hold, read together: the
 * decisions' states, this person's answers and what they were told, a query per table however many are
 * open (it was a full decision view each, thousands of queries per join). A courtesy read after the
 * join committed: should it fail, the join still stands and this says nothing ([], the cause logged).
 */
export async function openDecisionsOnJoining(hub: Hub, actor: Actor, slug: string): Promise<OpenDecisionOnJoining[]> {
  try {
    return await openDecisionsFor(hub, actor, slug);
  } catch (e) {
    console.warn(`open decisions on joining ${slug}: not told, ${e instanceof Error ? e.message : String(e)}`);
    return [];
  }
}

async function openDecisionsFor(hub: Hub, actor: Actor, slug: string): Promise<OpenDecisionOnJoining[]> {
  const db = hub.store.db;
  const g = await groupRow(db, slug);
  const rows = await db
    .selectFrom('decisions')
    .selectAll()
    .where('group_id', '=', g.id)
    .where('withdrawn_at', 'is', null)
    .where(notRecordedClosed('recorded_state'))
    .orderBy('number')
    .limit(LIMITS.openDecisionsPerGroup)
    .execute();
  if (!rows.length || actor.kind !== 'person') return [];
  const level = await activeLevelIn(db, hub, g.id, actor);
  const counts = level !== null && hub.governance.decisions.eligibleLevels.includes(level);
  const open = await awaitingAnswers(db, hub, rows);
  if (!counts)
    return open.map(({ d, state }) => ({
      ref: decisionRef(d),
      question: d.question,
      phase: state.phase,
      closesAt: closesAtOf(d, state),
      voice: 'advisory',
      why: null,
    }));
  const answered = await answeredBy(db, actor.person, open);
  const answeredOf = ({ d }: (typeof open)[number]) => answered.has(d.id);
  // whose silence lazy consensus would not count: theirs, where silence is what they would give
  const late = await uncountedSilenceOf(
    db,
    hub,
    g,
    actor.person,
    open.filter((o) => o.state.phase === 'lazy-consensus' && !answeredOf(o)).map((o) => o.d),
  );
  return open.map((o) => {
    const base = {
      ref: decisionRef(o.d),
      question: o.d.question,
      phase: o.state.phase,
      closesAt: closesAtOf(o.d, o.state),
    };
    const why = late.get(o.d.id);
    return answeredOf(o)
      ? { ...base, voice: 'answered', why: null }
      : o.state.phase === 'vote'
        ? { ...base, voice: 'vote-counts', why: null }
        : why !== undefined
          ? { ...base, voice: 'silence-not-counted', why }
          : { ...base, voice: 'silence-counts', why: null };
  });
}

/**
 * Of `rows` (one group's decisions not withdrawn nor recorded closed, oldest first), those that take
 * answers now: pending under lazy consensus or in a vote (not an escalation, not past their close),
 * each with its state, read together (`decisionStates`: a query per table however many).
 */
export async function awaitingAnswers(
  db: Tx,
  hub: Hub,
  rows: readonly DecisionsTable[],
): Promise<{ d: DecisionsTable; state: DecisionState }[]> {
  const states = await decisionStates(db, hub, rows, { silence: false });
  return rows.flatMap((d, i) => {
    const state = states[i]!;
    return state.outcome === 'pending' && (state.phase === 'lazy-consensus' || state.phase === 'vote')
      ? [{ d, state }]
      : [];
  });
}

/**
 * Which of `open` (each with its state now) `person` has answered, by decision id, read together (two
 * queries however many): in a vote, a vote of theirs; under lazy consensus, their latest response not
 * withdrawn, or their having opened it (opening it is the opener's answer). As `decisionView` reads
 * their answers (its `responses` and `votes`).
 */
export async function answeredBy(
  db: Tx,
  person: { id: string; handle: string },
  open: readonly { d: DecisionsTable; state: DecisionState }[],
): Promise<Set<string>> {
  const ids = open.map(({ d }) => d.id);
  if (!ids.length) return new Set();
  const responses = await db
    .selectFrom('decision_responses')
    .select(['decision_id', 'person_id', 'kind', 'at'])
    .where('decision_id', 'in', ids)
    .where('person_id', '=', person.id)
    .execute();
  const votes = await db
    .selectFrom('decision_votes')
    .select('decision_id')
    .where('decision_id', 'in', ids)
    .where('person_id', '=', person.id)
    .execute();
  const voted = new Set(votes.map((v) => v.decision_id));
  const me = person.handle.toLowerCase();
  return new Set(
    open
      .filter(({ d, state }) =>
        state.phase === 'vote'
          ? voted.has(d.id)
          : d.opened_by.toLowerCase() === me ||
            latestPerPerson(responses.filter((r) => r.decision_id === d.id)).some((r) => r.kind !== 'withdrawn'),
      )
      .map(({ d }) => d.id),
  );
}

/**
 * A group's decisions still open now (refs, oldest first): not recorded closed, and not closed by the
 * clock either (one past its deadline the close job has yet to record is closed: its window ran while
 * the group did). What keeps a group from being retired (`groupMoveTo`).
 */
export async function openDecisionRefsIn(db: Tx, hub: Hub, groupId: string): Promise<string[]> {
  return (await openDecisionsIn(db, hub, groupId)).refs;
}

/**
 * A group's decisions still open (D-3…, by number) and the soonest moment one of them may close or
 * change phase by the clock alone (`closesAtOf`), null with none: a view that lists them is stale then.
 * One read of the decisions not recorded closed; their answers and members only when there are some.
 */
export async function openDecisionsIn(
  db: Tx,
  hub: Hub,
  groupId: string,
): Promise<{ refs: string[]; closesAt: string | null }> {
  const rows = await db
    .selectFrom('decisions')
    .selectAll()
    .where('group_id', '=', groupId)
    .where(notRecordedClosed('recorded_state'))
    .orderBy('number')
    .execute();
  if (!rows.length) return { refs: [], closesAt: null };
  const states = await decisionStates(db, hub, rows, { silence: false });
  const open = rows.flatMap((d, i) => (states[i]!.phase !== 'closed' ? [{ d, state: states[i]! }] : []));
  // only times still ahead: an escalation past its due date stays open until someone answers it (a
  // write), and a time past would keep a cached view from being kept at all
  const now = hub.clock.now().getTime();
  const closes = open
    .map(({ d, state }) => Date.parse(closesAtOf(d, state)))
    .filter((t) => t > now)
    .sort((a, b) => a - b);
  return {
    refs: open.map(({ d }) => decisionRef(d)),
    closesAt: closes.length ? new Date(closes[0]!).toISOString() : null,
  };
}

/** When an open decision closes now: in a vote, the vote's close; escalated, its initial response; else its deadline. */
export function closesAtOf(d: Pick<DecisionsTable, 'deadline'>, state: DecisionState): string {
  if (state.phase === 'vote' && state.voteClosesAt) return state.voteClosesAt;
  if (state.phase === 'escalated' && state.escalationDueAt) return state.escalationDueAt;
  return d.deadline;
}

/**
 * Holds what an answer of the person's to the group's open decisions holds, in its lock order (the
 * decisions' rows first, in one order, by id; then the person's): no answer of theirs comes or goes
 * there until the transaction ends, so what leaving ends is read and marked alike. The open decisions.
 */
export async function holdAnswersInGroup(
  trx: Tx,
  hub: Hub,
  groupId: string,
  personId: string,
): Promise<{ id: string; number: number }[]> {
  let q = trx
    .selectFrom('decisions')
    .select(['id', 'number'])
    .where('group_id', '=', groupId)
    .where(notRecordedClosed('recorded_state'))
    .orderBy('id');
  if (hub.store.kind === 'postgres') q = q.forNoKeyUpdate();
  const open = await q.execute();
  await holdRow(trx, hub, 'people', personId);
  return open;
}

/**
 * A person's membership of a group ended (they left, or a lead removed them): their answers (responses
 * and votes) to its decisions not recorded closed count no more from now. Each stays in the record and is
 * shown, saying since when it does not count (`membershipEndedAt`); an outcome judged before now (a
 * deadline or a vote's close already past, recorded or not) keeps it (`answerCountsAt`). Called in the
 * membership's transaction (which holds the group's row) before the membership row goes: it holds the
 * group's open decisions' rows (by id), then the person's, the order an answer takes (the decision's,
 * then its author's, before reading whether its author's voice counts), so an answer in flight is
 * either marked here or sees the membership gone, and the two never wait on each other (before
 * 2026-12-07 this held the person's row first: a member removed while answering deadlocked).
 * Each such decision's version moves. The refs of the decisions whose answers stopped counting, for
 * the membership's event.
 */
export async function endAnswersInGroup(trx: Tx, hub: Hub, groupId: string, personId: string): Promise<string[]> {
  const open = await holdAnswersInGroup(trx, hub, groupId, personId);
  if (!open.length) return [];
  const now = nowIso(hub);
  const ended = new Set<string>();
  for (const table of ['decision_responses', 'decision_votes'] as const) {
    const rows = await trx
      .updateTable(table)
      .set({ membership_ended_at: now })
      .where('person_id', '=', personId)
      .where('membership_ended_at', 'is', null)
      .where(
        'decision_id',
        'in',
        open.map((d) => d.id),
      )
      .returning('decision_id')
      .execute();
    for (const r of rows) ended.add(r.decision_id);
  }
  // what each of them counts changed: its version moves with it, so its ETag does (a conditional
  // GET with the one read before is not "not modified") and an extension read before is stale (409)
  if (ended.size)
    await trx
      .updateTable('decisions')
      .set({ version: sql<number>`version + 1` })
      .where('id', 'in', [...ended])
      .execute();
  return open.filter((d) => ended.has(d.id)).map(decisionRef);
}

const RETIRED_UNDER_IT = 'its group was retired while it was open, so it ended there';

/** When a group was retired, read from the log; null while it is not retired. */
async function retiredAtOf(trx: Tx, groupId: string): Promise<string | null> {
  const g = await trx.selectFrom('groups').select(['slug', 'status']).where('id', '=', groupId).executeTakeFirst();
  if (g?.status !== 'retired') return null;
  const e = await trx
    .selectFrom('events')
    .select('at')
    .where('subject_type', '=', 'group')
    .where('subject_id', '=', g.slug)
    .where('kind', '=', 'group.status-changed')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return e?.at ?? null;
}

/** The close job: records each decision's computed phase changes and outcome in the log, once. */
export async function closeDueDecisions(hub: Hub): Promise<{ ref: string; phase: string; outcome: string }[]> {
  const job: Actor = { kind: 'system', label: 'decisions' };
  const open = await hub.store.db
    .selectFrom('decisions')
    .selectAll()
    .where(notRecordedClosed('recorded_state'))
    .execute();
  const changed: { ref: string; phase: string; outcome: string }[] = [];
  for (const listed of open) {
    await inTransaction(hub, async (trx) => {
      // read again, and held: an extension, withdrawal or answer another process committed since the
      // list was read is judged here, never closed at the deadline it replaced; one in flight holds the
      // row too (decisionRow), so this waits for it, and one that comes later sees the recorded close
      let d = await decisionRow(trx, decisionRef(listed), { lock: hub });
      // a group is never retired under an open decision (moveGroup); one retired before that rule, with
      // one open, ended it then: it is recorded withdrawn at the retirement, never adopted by a silence
      // that ran on after the group stopped. One whose window closed before the retirement keeps its outcome.
      const retiredAt = await retiredAtOf(trx, d.group_id);
      if (retiredAt && d.withdrawn_at === null) {
        // one opened as the group was retired (two transactions crossing) ended as it opened, never before
        const endedAt = retiredAt > d.opened_at ? retiredAt : d.opened_at;
        const { f } = await facts(trx, hub, d);
        if (decisionState(hub.governance, f, new Date(endedAt)).phase !== 'closed') {
          const res = await trx
            .updateTable('decisions')
            .set({
              withdrawn_at: endedAt,
              // this job ended it, as its event says: not the operator, who did nothing
              withdrawn_by: actorName(job),
              withdrawn_reason: RETIRED_UNDER_IT,
              version: sql<number>`version + 1`,
            })
            .where('id', '=', d.id)
            .where('withdrawn_at', 'is', null)
            .executeTakeFirst();
          if (Number(res.numUpdatedRows) !== 1) return;
          d = await decisionRow(trx, decisionRef(listed));
        }
      }
      const v = await decisionView(trx, hub, d);
      const state = `${v.state.phase}:${v.state.outcome}`;
      if (state === d.recorded_state) return;
      const res = await trx
        .updateTable('decisions')
        .set({ recorded_state: state, version: sql<number>`version + 1` })
        .where('id', '=', d.id)
        .where((eb) =>
          d.recorded_state === null ? eb('recorded_state', 'is', null) : eb('recorded_state', '=', d.recorded_state),
        )
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return; // another process recorded it first
      await record(
        trx,
        hub,
        job,
        v.state.phase === 'closed' ? 'decision.outcome' : 'decision.phase-changed',
        { type: 'decision', id: v.ref },
        { state: d.recorded_state },
        { phase: v.state.phase, outcome: v.state.outcome, why: v.state.why, tally: v.tally, result: v.state.result },
      );
      changed.push({ ref: v.ref, phase: v.state.phase, outcome: v.state.outcome });
    });
  }
  return changed;
}
