// Where each decision a meeting recorded stands (open until its deadline, or its outcome): a
// facilitator who opened one at the meeting comes back to see whether it closed. One use case for
// every edge: the web meeting page, GET /api/meetings/{ref}, MCP get_meeting_outcomes and
// `wghub meeting show` all read the meeting's linked decisions through `linkedDecisionStanding`.
import type { Actor, Hub } from '../core/hub.ts';
import { type DecisionView, decisionRef, decisionRows, decisionStates } from '../decisions/decisions.ts';
import { getMeetingAt, type MeetingView, type Occurrence } from './meetings.ts';

/** The first so many linked say where they stand (a meeting may record 200), all read together. */
export const STANDING_READ = 20;

/** Where one linked decision stands now: its phase and outcome, why, and when it closes. */
export type DecisionStanding = Pick<
  DecisionView['state'],
  'phase' | 'outcome' | 'why' | 'voteClosesAt' | 'quorum' | 'result' | 'escalationDueAt'
> & {
  ref: string;
  question: string;
  /** The lazy-consensus deadline (a vote closes at `voteClosesAt`). */
  deadline: string;
};

export type MeetingDecisionStanding = {
  /** The linked decisions read, each once, in the order the meeting recorded them: at most STANDING_READ. */
  items: DecisionStanding[];
  /** How many other decisions the meeting links whose standing was not read (past the first STANDING_READ). */
  leftOut: number;
};

/**
 * A meeting as read by REST, MCP and the CLI: the meeting, where its linked decisions stand, and, when
 * it was asked for as one start of a series (`M-1@2026-12-19T16:00:00.000Z`, what_needs_me's id), which start.
 */
export type MeetingRead = MeetingView & { decisionStanding: MeetingDecisionStanding; occurrence: Occurrence | null };

/** The linked decisions' standing: the first STANDING_READ distinct ones in the meeting's order, the rest counted. */
export async function linkedDecisionStanding(
  hub: Hub,
  decisions: readonly { decision: string | null }[],
): Promise<MeetingDecisionStanding> {
  const linked = [...new Set(decisions.flatMap((d) => (d.decision ? [d.decision] : [])))];
  const refs = linked.slice(0, STANDING_READ);
  // read together (rows, answers, the groups' members), each state computed as getDecision does
  const db = hub.store.db;
  const rows = await decisionRows(db, refs);
  const states = await decisionStates(db, hub, rows);
  const items = rows.map((d, i): DecisionStanding => {
    const { phase, outcome, why, voteClosesAt, quorum, result, escalationDueAt } = states[i]!;
    return {
      ref: decisionRef(d),
      question: d.question,
      phase,
      outcome,
      why,
      voteClosesAt,
      quorum,
      result,
      escalationDueAt,
      deadline: d.deadline,
    };
  });
  return { items, leftOut: linked.length - refs.length };
}

/**
 * A meeting for `viewer`, with where its linked decisions stand: by its ref, or one start of a series
 * by its id (`getMeetingAt`: the meeting of its own there, or the series while it has none).
 */
export async function readMeeting(hub: Hub, ref: string, viewer: Actor | null = null): Promise<MeetingRead> {
  const m = await getMeetingAt(hub, ref, viewer);
  return { ...m, decisionStanding: await linkedDecisionStanding(hub, m.decisions) };
}
