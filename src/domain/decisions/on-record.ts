// A decision's state as the close job recorded it: the job, in a process whose clock is ahead of
// another's, may have recorded a later phase than that clock still gives.
import type { Governance } from '../governance/index.ts';
import { type DecisionFacts, type DecisionState, decisionState } from './outcome.ts';

const PHASES = ['lazy-consensus', 'vote', 'escalated', 'closed'] as const;

/**
 * The decision's state to show and to act on: as this clock has it now, or, when the close job already
 * recorded a later phase, as it stood when that phase began. The job, in a process whose clock is ahead
 * of this one's, recorded a vote opening, an escalation or the close, and the group was told: for the few
 * seconds this clock still gives the phase before, the decision is read at the instant its recorded phase
 * began (the deadline, the vote's close, the withdrawal), so the phase, outcome and tallies shown and what
 * the viewer `can` do are those of the recorded phase alike; nothing is taken (an answer, a vote, an
 * extension, a withdrawal) on the phase before. Phases only move forward. `at`: the instant read.
 */
export function stateOnRecord(
  g: Governance,
  recordedState: string | null,
  f: DecisionFacts,
  now: Date,
): { state: DecisionState; at: Date } {
  let at = now;
  let state = decisionState(g, f, at);
  const recorded = PHASES.find((p) => recordedState?.startsWith(`${p}:`));
  if (!recorded) return { state, at };
  const behind = () => PHASES.indexOf(state.phase) < PHASES.indexOf(recorded);
  for (let i = 0; i < PHASES.length && behind(); i++) {
    // the next instant at which the computed state moves: the deadline, the vote's close, a withdrawal
    const next = [f.deadline, state.voteClosesAt, f.withdrawn?.at]
      .filter((x): x is string => !!x)
      .map((x) => new Date(x))
      .filter((x) => x.getTime() > at.getTime())
      .sort((x, y) => x.getTime() - y.getTime())[0];
    if (!next) break;
    at = next;
    state = decisionState(g, f, at);
  }
  // a phase recorded that no instant of these facts reaches (none is known): acted on as recorded all the same
  return { state: behind() ? { ...state, phase: recorded } : state, at };
}
