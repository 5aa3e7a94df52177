// Extending a decision's deadline: more time under lazy consensus, so that silence at the close is
// informed silence (members not reached yet, or the group asking for more time). Pure: who may is the
// policy's (policies/decision.ts: only while lazy consensus runs, never in a vote, an escalation or
// once closed); this says which new deadlines are allowed.
import type { FieldIssue } from '../errors.ts';
import { LIMITS } from '../limits.ts';

const DAY = 86_400_000;

/**
 * What is wrong with moving a deadline from `current` to `proposed` at `now`, naming `deadline`: it
 * must be later than the current one (an extension never shortens the time members were promised), and
 * at most `LIMITS.decisionExtensionDays` days from now. Empty when it may.
 */
export function extensionIssues(current: string, proposed: string, now: Date): FieldIssue[] {
  const from = Date.parse(current);
  const to = Date.parse(proposed);
  if (Number.isNaN(to)) return [{ field: 'deadline', rule: 'must be an ISO date-time with a zone' }];
  if (to <= from)
    return [
      {
        field: 'deadline',
        rule: `must be later than the current deadline (${new Date(from).toISOString()}): an extension gives more time, never less`,
      },
    ];
  const latest = new Date(now.getTime() + LIMITS.decisionExtensionDays * DAY);
  if (to > latest.getTime())
    return [
      {
        field: 'deadline',
        rule: `must be at most ${LIMITS.decisionExtensionDays} days from now (the latest is ${latest.toISOString()}); extend it again nearer the time if more is needed`,
      },
    ];
  return [];
}
