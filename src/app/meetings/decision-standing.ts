// Where each decision a meeting recorded stands (open until its deadline, or its outcome): a
// facilitator who opened one at the meeting comes back to its page to see whether it closed.
import type { Hub } from '../core/hub.ts';
import { type DecisionView, getDecision } from '../decisions/decisions.ts';

/** Each is a whole decision read: the first so many linked say where they stand (a meeting may record 200). */
export const STANDING_READ = 20;

export type DecisionStanding = DecisionView['state'] & { deadline: string };

/** The linked decisions' standing, by reference: at most STANDING_READ, in the meeting's order. */
export async function linkedDecisionStanding(
  hub: Hub,
  decisions: readonly { decision: string | null }[],
): Promise<Map<string, DecisionStanding>> {
  const refs = decisions.flatMap((d) => (d.decision ? [d.decision] : [])).slice(0, STANDING_READ);
  return new Map(
    await Promise.all(
      refs.map(async (ref) => {
        const view = await getDecision(hub, ref);
        return [ref, { ...view.state, deadline: view.deadline }] as const;
      }),
    ),
  );
}
