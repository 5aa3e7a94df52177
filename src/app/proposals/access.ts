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
  type ReviewFacts,
  type Standing,
  type Verdict,
} from '../../domain/policies/index.ts';
import { allowedStageMoves, layerIndex } from '../../domain/proposals/index.ts';
import { readJson, type ProposalsTable } from '../../store/schema.ts';
import { factList, factText } from '../../store/events.ts';
import { type ProposalRef, refOf } from './ref.ts';
import { authorize, authorizeAsPerson, type PersonActor, viewerOf } from '../core/gate.ts';
import type { Actor, Hub, Tx } from '../core/hub.ts';
import { activeLevelIn } from '../groups/groups.ts';

/** The actor's standing in a proposal: their active level in its group, author, sponsor, facilitator of its topic area. */
export async function proposalStanding(db: Tx, hub: Hub, p: ProposalsTable, actor: Actor | null): Promise<Standing> {
  if (actor?.kind !== 'person') return {};
  const author = await db
    .selectFrom('proposal_authors')
    .select('person_id')
    .where('proposal_id', '=', p.id)
    .where('person_id', '=', actor.person.id)
    .executeTakeFirst();
  const facilitates = p.topic_area_id
    ? await db
        .selectFrom('topic_facilitators')
        .select('person_id')
        .where('topic_area_id', '=', p.topic_area_id)
        .where('person_id', '=', actor.person.id)
        .executeTakeFirst()
    : undefined;
  return {
    groupLevel: p.group_id ? await activeLevelIn(db, hub, p.group_id, actor) : null,
    relations: [
      ...(author ? (['author'] as const) : []),
      ...(p.sponsor_id === actor.person.id ? (['sponsor'] as const) : []),
    ],
    ...(facilitates ? { facilitates: true } : {}),
  };
}

/** The event an author's request for review writes; its last one per proposal paces the next. */
export const REVIEW_REQUESTED = 'proposal.review-requested';

/**
 * Whom a request for review would reach (never the asker) and when the last one was made. The
 * ref is the event log's subject id for the proposal (as refOf in proposals.ts writes it).
 */
export async function reviewFacts(db: Tx, hub: Hub, p: ProposalsTable, actor: Actor | null): Promise<ReviewFacts> {
  const me = actor?.kind === 'person' ? actor.person.id : null;
  const last = await lastReviewRequest(db, p.sep_number !== null ? `SEP-${p.sep_number}` : `P-${p.number}`);
  let askOf: ReviewFacts['askOf'] = 'nobody';
  if (p.sponsor_id) askOf = p.sponsor_id === me ? 'nobody' : 'sponsor';
  else if (p.group_id && (await leadsOf(db, p.group_id)).some((id) => id !== me)) askOf = 'leads';
  return { askOf, lastAskedAt: last?.at ?? null, now: hub.clock.now().toISOString() };
}

/** The last request for review of a proposal (by its ref), as its views show it. */
export type ReviewRequestView = { at: string; by: string; asked: string[]; as: 'sponsor' | 'leads' };

/** One look-up on `events_subject_kind` (migration 195), whatever the length of the proposal's thread. */
export function lastReviewRequestQuery(db: Tx, ref: string) {
  return db
    .selectFrom('events')
    .select(['at', 'actor', 'after'])
    .where('subject_type', '=', 'proposal')
    .where('subject_id', '=', ref)
    .where('kind', '=', REVIEW_REQUESTED)
    .orderBy('seq', 'desc')
    .limit(1);
}

export async function lastReviewRequest(db: Tx, ref: string): Promise<ReviewRequestView | null> {
  const e = await lastReviewRequestQuery(db, ref).executeTakeFirst();
  if (!e) return null;
  const after = readJson(e.after);
  return {
    at: e.at,
    by: e.actor ?? 'operator',
    asked: factList(after, 'to'),
    as: factText(after, 'as') === 'leads' ? 'leads' : 'sponsor',
  };
}

/** The group's leads (not emeritus), by person id: whom a proposal without a sponsor waits for. */
export async function leadsOf(db: Tx, groupId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('group_members')
    .select('person_id')
    .where('group_id', '=', groupId)
    .where('level', '=', 'lead')
    .where('emeritus', '=', 0)
    .execute();
  return rows.map((r) => r.person_id);
}

/** The copy a promotion made of this proposal one layer up, if any: a proposal is promoted once per layer. */
export async function promotedCopy(db: Tx, hub: Hub, p: ProposalsTable): Promise<ProposalRef | null> {
  const idx = layerIndex(hub.governance, p.layer);
  if (idx <= 0) return null;
  const copy = await db
    .selectFrom('proposal_relations as r')
    .innerJoin('proposals as c', 'c.id', 'r.from_id')
    .select(['c.number', 'c.sep_number'])
    .where('r.to_id', '=', p.id)
    .where('r.kind', '=', 'promoted-from')
    .where('c.layer', '=', hub.governance.proposals.layers[idx - 1]!.id)
    .executeTakeFirst();
  return copy ? refOf(copy) : null;
}

function factsOf(
  hub: Hub,
  p: ProposalsTable,
  actor: Actor | null,
  review: ReviewFacts,
  promotedAs: ProposalRef | null,
): ProposalFacts {
  return {
    review,
    promotedAs,
    route: p.route,
    stage: p.stage,
    examples: readJson(p.examples).length,
    sponsor: !p.sponsor_id ? 'none' : actor?.kind === 'person' && p.sponsor_id === actor.person.id ? 'viewer' : 'other',
    topLayer: layerIndex(hub.governance, p.layer) <= 0,
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
  const [standing, facts] = [
    await proposalStanding(db, hub, p, actor),
    factsOf(hub, p, actor, await reviewFacts(db, hub, p, actor), await promotedCopy(db, hub, p)),
  ];
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

/** The same for what a person does as themself (comment, sponsor, support, add evidence, promote): answers the person acting. */
export async function authorizeProposalAsPerson(
  db: Tx,
  hub: Hub,
  actor: Actor,
  p: ProposalsTable,
  action: ProposalAction,
): Promise<PersonActor> {
  return authorizeAsPerson((await proposalAccess(db, hub, p, actor)).can, action, actor);
}

/** A stage move: refused in words when the route does not let this actor make it. */
export async function authorizeMove(db: Tx, hub: Hub, actor: Actor, p: ProposalsTable, to: string): Promise<void> {
  const viewer = viewerOf(hub, actor);
  const [standing, facts] = [
    await proposalStanding(db, hub, p, actor),
    factsOf(hub, p, actor, await reviewFacts(db, hub, p, actor), await promotedCopy(db, hub, p)),
  ];
  authorize({ move: stageMovePolicy(hub.governance, viewer, standing, facts, to) }, 'move');
}

/** Making a proposal at all, for the "new proposal" page and the create use case. */
export function newProposalCan(hub: Hub, actor: Actor | null): Can<'create'> {
  return newProposalPolicy(hub.governance, viewerOf(hub, actor));
}
