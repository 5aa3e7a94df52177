// The proposal's policy for one actor, from the row and the actor's standing in it; the use cases
// authorise with it and the views carry it as `can`, so neither can disagree with the other.
import {
  evidencePolicy,
  newProposalPolicy,
  proposalPolicy,
  stageMovePolicy,
  type Can,
  type ProposalAction,
  type ProposalFacts,
  type Standing,
  type Verdict,
} from '../../domain/policies/index.ts';
import { allowedStageMoves, layerIndex } from '../../domain/proposals/index.ts';
import { readJson, type ProposalsTable } from '../../store/schema.ts';
import { authorize, viewerOf } from '../core/gate.ts';
import type { Actor, Hub, Tx } from '../core/hub.ts';
import { activeLevelIn } from '../groups/groups.ts';

/** The actor's standing in a proposal: their active level in its group, author, sponsor. */
export async function proposalStanding(db: Tx, hub: Hub, p: ProposalsTable, actor: Actor | null): Promise<Standing> {
  if (actor?.kind !== 'person') return {};
  const author = await db
    .selectFrom('proposal_authors')
    .select('person_id')
    .where('proposal_id', '=', p.id)
    .where('person_id', '=', actor.person.id)
    .executeTakeFirst();
  return {
    groupLevel: p.group_id ? await activeLevelIn(db, hub, p.group_id, actor) : null,
    relations: [
      ...(author ? (['author'] as const) : []),
      ...(p.sponsor_id === actor.person.id ? (['sponsor'] as const) : []),
    ],
  };
}

function factsOf(hub: Hub, p: ProposalsTable, actor: Actor | null): ProposalFacts {
  return {
    route: p.route,
    stage: p.stage,
    examples: readJson(p.examples).length,
    sponsor: !p.sponsor_id ? 'none' : actor?.kind === 'person' && p.sponsor_id === actor.person.id ? 'viewer' : 'other',
    topLayer: layerIndex(hub.governance, p.layer as never) <= 0,
    inGroup: p.group_id !== null,
    closed: hub.governance.proposals.routes[p.route].closed.includes(p.stage),
  };
}

export type ProposalAccess = {
  can: Can<ProposalAction | 'verifyEvidence'>;
  /** Each move of the route from here, for this viewer. */
  moves: Record<string, Verdict>;
};

/** What this actor (null: a visitor) may do on this proposal now, and for each stage move. */
export async function proposalAccess(
  db: Tx,
  hub: Hub,
  p: ProposalsTable,
  actor: Actor | null,
): Promise<ProposalAccess> {
  const g = hub.governance;
  const viewer = viewerOf(hub, actor);
  const [standing, facts] = [await proposalStanding(db, hub, p, actor), factsOf(hub, p, actor)];
  const moves = Object.fromEntries(
    allowedStageMoves(g, facts.route, facts.stage).map((m) => [
      m.to,
      stageMovePolicy(g, viewer, standing, facts, m.to),
    ]),
  );
  return {
    can: {
      ...proposalPolicy(g, viewer, standing, facts),
      verifyEvidence: evidencePolicy(g, viewer, { hasAddress: true }).verify,
    },
    moves,
  };
}

/** The one authorisation call of a proposal use case. */
export async function authorizeProposal(
  db: Tx,
  hub: Hub,
  actor: Actor,
  p: ProposalsTable,
  action: ProposalAction | 'verifyEvidence',
): Promise<void> {
  authorize((await proposalAccess(db, hub, p, actor)).can, action);
}

/** A stage move: refused in words when the route does not let this actor make it. */
export async function authorizeMove(db: Tx, hub: Hub, actor: Actor, p: ProposalsTable, to: string): Promise<void> {
  const viewer = viewerOf(hub, actor);
  const [standing, facts] = [await proposalStanding(db, hub, p, actor), factsOf(hub, p, actor)];
  authorize({ move: stageMovePolicy(hub.governance, viewer, standing, facts, to) }, 'move');
}

/** Making a proposal at all, for the "new proposal" page and the create use case. */
export function newProposalCan(hub: Hub, actor: Actor | null): Can<'create'> {
  return newProposalPolicy(hub.governance, viewerOf(hub, actor));
}
