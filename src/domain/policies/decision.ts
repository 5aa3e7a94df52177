// Who may do what on a decision, now: respond (or withdraw a response), ask for a vote, vote,
// designate the core maintainer who resolves an escalation, give their guidance, and withdraw the
// decision itself (one opened by mistake: whoever opened it, or a lead of its group), and extend its
// deadline while lazy consensus runs (the same people).
import type { ParticipationLevel } from '../community.ts';
import type { Governance } from '../governance/schema.ts';
import { resolverName } from '../governance/words.ts';
import { withdrawerWords } from '../decisions/outcome.ts';
import { checkPermission } from './rules.ts';
import { WORDING } from './wording.ts';
import { alreadySo, refused, firstRefusal, ALLOWED, type Can, type Verdict } from './verdict.ts';
import type { Standing, Viewer } from './viewer.ts';

export const DECISION_ACTIONS = [
  'respond',
  'withdrawResponse',
  'requestVote',
  'vote',
  'designate',
  'guide',
  'withdraw',
  'extend',
] as const;
export type DecisionAction = (typeof DECISION_ACTIONS)[number];

/** Plain facts about a decision as it stands now. */
export type DecisionFacts = {
  phase: 'lazy-consensus' | 'vote' | 'escalated' | 'closed';
  /** A vote was asked for (by a lead or enough members) before the deadline. */
  voteRequested: boolean;
  /** The viewer has a response standing (they can withdraw it). */
  responded: boolean;
  /** A core maintainer is designated to resolve the escalation. */
  designated: boolean;
  /** It was withdrawn (it is closed, and nothing more is done on it). */
  withdrawn: boolean;
  /** Who withdrew it and when (ISO), when it was withdrawn and that is known. */
  withdrawal?: { by: string; at: string } | null;
  /** When the viewer withdrew their response, when their latest answer is that withdrawal. */
  responseWithdrawnAt?: string | null;
  /** When the viewer asked for a vote, when they have. */
  voteAskedAt?: string | null;
};

/** "by sam-lead at 2026-11-02T09:00:00.000Z" (an edge writes the moment in its reader's zone). */
const byAt = (w: { by: string; at: string }) =>
  ` by ${w.by === 'operator' ? 'the operator' : withdrawerWords(w.by, '@')} at ${w.at}`;

const WORDS = {
  respond: WORDING['decision.respond'],
  requestVote: WORDING['decision.requestVote'],
  vote: WORDING['decision.vote'],
  designate: WORDING['decision.escalate'],
  guide: WORDING['decision.guide'],
  withdraw: WORDING['decision.withdraw'],
  extend: WORDING['decision.extend'],
};

const WITHDRAWN = refused('The decision was withdrawn');

/** Why a deadline cannot be extended in a phase other than lazy consensus (who resolves an escalation in the community's words). */
const extendRefused = (g: Governance, phase: 'vote' | 'escalated' | 'closed'): string =>
  ({
    vote: 'A vote is open: it closes when the governance file says, and its deadline is not extended',
    escalated: `The decision is escalated: its ${resolverName(g)} resolves it, and its deadline has passed`,
    closed: 'The decision is closed: its deadline has passed',
  })[phase];

/** One rule for responding and withdrawing: both close at the deadline, or when a vote opens. */
function responsesOpen(d: DecisionFacts): Verdict {
  if (d.withdrawn) return WITHDRAWN;
  if (d.phase === 'lazy-consensus') return ALLOWED;
  return refused(d.voteRequested ? 'Responses closed when the vote opened' : 'Responses closed at the deadline');
}

export function decisionPolicy(
  g: Governance,
  viewer: Viewer,
  standing: Standing,
  d: DecisionFacts,
): Can<DecisionAction> {
  const respond = firstRefusal(responsesOpen(d), () =>
    checkPermission(g, 'decision.respond', viewer, standing, WORDS.respond, {
      personOnly: 'Responses come from a person',
      contributes: true,
    }),
  );
  return {
    respond,
    // a response already withdrawn (a second click, another tab): already as asked
    withdrawResponse: firstRefusal(
      respond,
      d.responded
        ? ALLOWED
        : d.responseWithdrawnAt
          ? alreadySo(`You already withdrew your response, at ${d.responseWithdrawnAt}`)
          : refused('You have no response to withdraw'),
    ),
    // a vote already open, or already asked for by this person, is already as asked: asked again it
    // would be recorded (and told) twice
    requestVote: firstRefusal(
      d.withdrawn ? WITHDRAWN : ALLOWED,
      d.phase === 'lazy-consensus' || d.phase === 'vote'
        ? ALLOWED
        : refused('A vote can be asked for only before the deadline'),
      () =>
        checkPermission(g, 'decision.requestVote', viewer, standing, WORDS.requestVote, {
          personOnly: 'A vote is asked for by a person',
          contributes: true,
        }),
      () => (d.phase === 'vote' ? alreadySo('A vote is already open') : ALLOWED),
      () =>
        d.voteAskedAt
          ? alreadySo(`You already asked for a vote, at ${d.voteAskedAt}: it opens when enough have asked`)
          : ALLOWED,
    ),
    vote: firstRefusal(
      d.withdrawn ? WITHDRAWN : ALLOWED,
      d.phase === 'vote'
        ? ALLOWED
        : refused(
            d.phase === 'lazy-consensus'
              ? 'No vote is open'
              : d.phase === 'escalated'
                ? `The vote has closed and the decision has been escalated: its ${resolverName(g)} resolves it`
                : 'The vote has closed',
          ),
      () =>
        checkPermission(g, 'decision.vote', viewer, standing, WORDS.vote, {
          personOnly: 'Votes come from a person',
          contributes: true,
        }),
    ),
    designate: firstRefusal(
      d.withdrawn ? WITHDRAWN : ALLOWED,
      d.phase === 'escalated' ? ALLOWED : refused('The decision is not escalated'),
      () => checkPermission(g, 'decision.escalate', viewer, standing, WORDS.designate),
    ),
    guide: firstRefusal(
      d.withdrawn ? WITHDRAWN : ALLOWED,
      d.designated ? ALLOWED : refused(`No ${resolverName(g)} is designated yet`),
      () => checkPermission(g, 'decision.guide', viewer, standing, WORDS.guide),
    ),
    // while it is open, in any phase: a mistake can be found during a vote or an escalation too
    // one withdrawn already is already as asked, told to one who may withdraw it (by whom and when)
    withdraw: firstRefusal(
      d.phase === 'closed' && !d.withdrawn ? refused('The decision is closed') : ALLOWED,
      () => checkPermission(g, 'decision.withdraw', viewer, standing, WORDS.withdraw),
      () =>
        d.withdrawn ? alreadySo(`The decision is already withdrawn${d.withdrawal ? byAt(d.withdrawal) : ''}`) : ALLOWED,
    ),
    // only while lazy consensus runs: its deadline is what silence is counted at. A vote closes after
    // the governance file's own days, an escalation waits for its core maintainer, a closed one is over
    extend: firstRefusal(
      d.withdrawn ? WITHDRAWN : ALLOWED,
      d.phase === 'lazy-consensus' ? ALLOWED : refused(extendRefused(g, d.phase)),
      () => checkPermission(g, 'decision.extend', viewer, standing, WORDS.extend),
    ),
  };
}

/**
 * Whether asking for a vote opens it now: a lead's request does at once; members' requests do
 * when `decisions.vote.memberRequests` of them have asked (this request counted).
 */
export function voteOpensOnRequest(
  g: Governance,
  asker: { groupLevel: ParticipationLevel | null },
  requests: number,
): boolean {
  return asker.groupLevel === 'lead' || requests >= g.decisions.vote.memberRequests;
}
