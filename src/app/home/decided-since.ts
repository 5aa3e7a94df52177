// "Decided since your last visit": a member back after two weeks away read "None: no open decision is
// waiting for your voice" on their home, while two decisions of their group had been adopted without
// them (one by their own silence). The home now names the decisions of their groups that reached an
// outcome since their last visit, how each ended and whether they answered it.
import type { Outcome } from '../../domain/decisions/outcome.ts';
import { membershipStanding } from '../../domain/groups.ts';
import { LIMITS } from '../../domain/limits.ts';
import type { PeopleTable } from '../../store/schema.ts';
import { decisionRef, decisionStates } from '../decisions/decisions.ts';
import type { Hub } from '../core/hub.ts';
import { meetingRef } from '../meetings/meetings.ts';

export type DecidedSince = {
  ref: string;
  /** The group's slug. */
  group: string;
  question: string;
  /**
   * How it ended; `escalated` when the vote did not settle it and it waits for the resolver's guidance:
   * the group's answers have closed on it as on one decided, and one back from away was not told.
   */
  outcome: Exclude<Outcome, 'pending' | 'withdrawn'> | 'escalated';
  /**
   * When it reached its outcome: its deadline, its vote's close, or the binding guidance that resolved it;
   * for one escalated, its vote's close.
   */
  closedAt: string;
  /** For one escalated: when the resolver's initial response is due; null otherwise. */
  escalationDueAt: string | null;
  /** Their latest answer that stands (consent, concern, block, or a vote's yes, no or abstain); null when they gave none. */
  yours: string | null;
  /**
   * Whether their silence was theirs to give: in the group at a level whose answers count (an observer's
   * or a participant's do not), since before its deadline. Only then does "silence counts as consent" speak to them.
   */
  silenceCounted: boolean;
};

/**
 * The decisions of `person`'s groups that reached an outcome, or were escalated, after `since` (their
 * last visit) and by now, withdrawn ones apart, latest to close first: at most `LIMITS.decidedSinceVisit`, and whether
 * more did. Only those whose deadline is after `since`, or that went to a vote or were escalated, can
 * have closed since, so only those are read.
 */
export async function decidedSince(
  hub: Hub,
  person: PeopleTable,
  since: string | null,
): Promise<{ items: DecidedSince[]; more: boolean }> {
  if (!since) return { items: [], more: false };
  const db = hub.store.db;
  const now = hub.clock.now().toISOString();
  const limit = LIMITS.decidedSinceVisit;
  const mine = db.selectFrom('group_members').select('group_id').where('person_id', '=', person.id);
  // a vote (opened by a block at the deadline, or asked for before it) closes at most its duration after
  // the deadline: one whose deadline is older closed before `since`
  const voteDays = hub.governance.decisions.vote.durationDays;
  const votesFrom = new Date(new Date(since).getTime() - voteDays * 86_400_000).toISOString();
  const rows = await db
    .selectFrom('decisions as d')
    .innerJoin('groups as g', 'g.id', 'd.group_id')
    .leftJoin('decision_escalations as e', 'e.decision_id', 'd.id')
    .selectAll('d')
    .select(['g.slug as groupSlug', 'e.guidance_at as guidanceAt'])
    .where('d.group_id', 'in', mine)
    .where('d.withdrawn_at', 'is', null)
    .where((w) => w.or([w('d.deadline', '>', votesFrom), w('e.guidance_at', '>', since)]))
    .where((w) =>
      w.or([
        w('d.recorded_state', 'like', 'closed:%'),
        w('d.deadline', '<=', now),
        w('d.vote_requested_at', 'is not', null),
      ]),
    )
    .orderBy('d.deadline', 'desc')
    .orderBy('d.number', 'desc')
    // a vote or an escalation may close long after its deadline: read a page past the limit
    .limit(LIMITS.needsPerKind)
    .execute();
  const states = await decisionStates(db, hub, rows, { silence: false });
  const found: (DecidedSince & { id: string })[] = [];
  rows.forEach((d, i) => {
    const state = states[i]!;
    const escalated = state.phase === 'escalated';
    if ((state.outcome === 'pending' && !escalated) || state.outcome === 'withdrawn') return;
    const closedAt = escalated
      ? (state.voteClosesAt ?? d.deadline)
      : state.outcome === 'resolved-by-escalation'
        ? (d.guidanceAt ?? d.deadline)
        : state.outcome === 'adopted-by-vote'
          ? (state.voteClosesAt ?? d.deadline)
          : d.deadline;
    if (closedAt <= since || closedAt > now) return;
    found.push({
      id: d.id,
      ref: decisionRef(d),
      group: d.groupSlug,
      question: d.question,
      outcome: escalated ? 'escalated' : (state.outcome as DecidedSince['outcome']),
      closedAt,
      escalationDueAt: escalated ? state.escalationDueAt : null,
      yours: null,
      silenceCounted: false,
    });
  });
  found.sort((a, b) => b.closedAt.localeCompare(a.closedAt));
  const listed = found.slice(0, limit);
  if (listed.length) {
    const ids = listed.map((d) => d.id);
    const eligible = new Set<string>(hub.governance.decisions.eligibleLevels);
    const memberships = new Map(
      (
        await db
          .selectFrom('group_members as m')
          .innerJoin('groups as g', 'g.id', 'm.group_id')
          .select(['g.slug', 'm.level', 'm.joined_at', 'm.emeritus', 'm.last_active_at'])
          .where('m.person_id', '=', person.id)
          .execute()
      ).map((m) => [m.slug, m]),
    );
    for (const d of listed) {
      const m = memberships.get(d.group);
      // their level on record, none once emeritus at the close (by the record or by the clock); one
      // raised from observer since is taken as holding it then (the log would tell, at a read per row)
      const held =
        m &&
        membershipStanding(
          hub.governance,
          { level: m.level, emeritus: m.emeritus === 1, lastActiveAt: m.last_active_at },
          new Date(d.closedAt),
        ).activeLevel;
      d.silenceCounted = !!m && !!held && eligible.has(held) && m.joined_at <= d.closedAt;
    }
    const [responses, votes] = await Promise.all([
      db
        .selectFrom('decision_responses')
        .select(['decision_id', 'kind', 'at'])
        .where('person_id', '=', person.id)
        .where('decision_id', 'in', ids)
        .orderBy('at')
        .execute(),
      db
        .selectFrom('decision_votes')
        .select(['decision_id', 'choice', 'at'])
        .where('person_id', '=', person.id)
        .where('decision_id', 'in', ids)
        .orderBy('at')
        .execute(),
    ]);
    // the latest of each stands; a withdrawn response is no answer
    const latest = new Map<string, string | null>();
    for (const r of responses) latest.set(r.decision_id, r.kind === 'withdrawn' ? null : r.kind);
    for (const v of votes) latest.set(v.decision_id, `voted ${v.choice}`);
    for (const d of listed) d.yours = latest.get(d.id) ?? null;
  }
  return {
    items: listed.map(({ id: _id, ...d }) => d),
    more: found.length > limit || rows.length === LIMITS.needsPerKind,
  };
}

export type NotesSince = {
  ref: string;
  title: string;
  /** The group's slug. */
  group: string;
  startsAt: string;
  publishedAt: string;
  /** Decisions the meeting recorded as taken. */
  decisionsTaken: number;
};

/**
 * The meetings of `person`'s groups whose notes were published after `since` (their last visit) and by
 * now, cancelled ones apart, latest published first: at most `LIMITS.decidedSinceVisit`, and whether
 * more were. What was said and decided at a meeting they missed is in its notes; their home named none.
 */
export async function notesSince(
  hub: Hub,
  person: PeopleTable,
  since: string | null,
): Promise<{ items: NotesSince[]; more: boolean }> {
  if (!since) return { items: [], more: false };
  const db = hub.store.db;
  const now = hub.clock.now().toISOString();
  const limit = LIMITS.decidedSinceVisit;
  const rows = await db
    .selectFrom('meetings as m')
    .innerJoin('groups as g', 'g.id', 'm.group_id')
    .select(['m.id', 'm.number', 'm.title', 'm.starts_at', 'm.notes_published_at', 'g.slug'])
    .select((eb) =>
      eb
        .selectFrom('meeting_decisions as t')
        .select((x) => x.fn.countAll<number | string>().as('n'))
        .whereRef('t.meeting_id', '=', 'm.id')
        .as('taken'),
    )
    .where('m.group_id', 'in', db.selectFrom('group_members').select('group_id').where('person_id', '=', person.id))
    .where('m.cancelled_at', 'is', null)
    .where('m.notes_published_at', '>', since)
    .where('m.notes_published_at', '<=', now)
    .orderBy('m.notes_published_at', 'desc')
    .orderBy('m.number', 'desc')
    .limit(limit + 1)
    .execute();
  return {
    items: rows.slice(0, limit).map((m) => ({
      ref: meetingRef(m),
      title: m.title,
      group: m.slug,
      startsAt: m.starts_at,
      publishedAt: m.notes_published_at!,
      decisionsTaken: Number(m.taken ?? 0),
    })),
    more: rows.length > limit,
  };
}
