import type { Governance, MoverKind, RouteId } from '../governance/schema.ts';
import { allowedStageMoves, checkStageMove, describeMovers } from '../proposals/route.ts';
import { agreementsFirst, checkPermission } from './rules.ts';
import { ALLOWED, firstRefusal, refused, type Can, type Verdict } from './verdict.ts';
import type { Standing, Viewer } from './viewer.ts';

export const PROPOSAL_ACTIONS = [
  'edit',
  'comment',
  'support',
  'withdrawSupport',
  'addEvidence',
  'relate',
  'sponsor',
  'endSponsorship',
  'promote',
  'completeFollowUp',
  'move',
  'openDecision',
] as const;
export type ProposalAction = (typeof PROPOSAL_ACTIONS)[number];

/** Plain facts about a proposal now. Standing: the viewer's level in its group, author, sponsor. */
export type ProposalFacts = {
  route: RouteId;
  stage: string;
  examples: number;
  /** Who sponsors it: nobody yet, the viewer, or someone else. */
  sponsor: 'none' | 'viewer' | 'other';
  /** It is at the highest layer already. */
  topLayer: boolean;
  /** Its group, if any: a decision on it is opened in that group. */
  inGroup: boolean;
  /** It is in one of its route's end states (landed, final, withdrawn…). */
  closed?: boolean;
};

const contributes = { contributes: true };

/** What the viewer is in this proposal, in the route's terms ("author", "group-lead", a role). */
export function moverParts(viewer: Viewer, standing: Standing): Set<MoverKind> {
  if (viewer.kind === 'visitor') return new Set();
  if (viewer.kind === 'operator')
    return new Set<MoverKind>([
      'system',
      'author',
      'sponsor',
      'group-lead',
      'moderator',
      'core-maintainer',
      'lead-maintainer',
    ]);
  const parts = new Set<MoverKind>([viewer.role as MoverKind]);
  for (const r of standing.relations ?? []) if (r === 'author' || r === 'sponsor') parts.add(r);
  if (standing.groupLevel === 'lead') parts.add('group-lead');
  return parts;
}

/** Sign in, then the agreements: what every contribution asks first. */
function contributor(g: Governance, viewer: Viewer, personOnly?: string): Verdict {
  if (viewer.kind === 'visitor') return refused('Sign in first', 'sign-in');
  if (viewer.kind === 'operator') return personOnly ? refused(`${personOnly}: act as one with --as HANDLE`) : ALLOWED;
  return viewer.agreed ? ALLOWED : refused(agreementsFirst(g), 'accept-agreements');
}

/** One stage move for this viewer: allowed, or why not (not a move of the route, not theirs, no example yet). */
export function stageMovePolicy(
  g: Governance,
  viewer: Viewer,
  standing: Standing,
  p: ProposalFacts,
  to: string,
): Verdict {
  return firstRefusal(contributor(g, viewer), () => {
    const v = checkStageMove(g, p.route, p.stage, to, moverParts(viewer, standing), p.examples);
    if (v.ok) return ALLOWED;
    if (v.kind === 'forbidden') {
      const move = v.allowed.find((m) => m.to === to)!;
      return refused(`Only ${describeMovers(move.by)} may move it from ${p.stage} to ${to}`);
    }
    return refused(v.message.charAt(0).toUpperCase() + v.message.slice(1));
  });
}

export function proposalPolicy(
  g: Governance,
  viewer: Viewer,
  standing: Standing,
  p: ProposalFacts,
): Can<ProposalAction> {
  const moves = allowedStageMoves(g, p.route, p.stage);
  const sponsorRoles = g.proposals.sponsorRoles;
  return {
    edit: checkPermission(g, 'proposal.edit', viewer, standing, undefined, contributes),
    comment: checkPermission(g, 'proposal.comment', viewer, standing, undefined, {
      ...contributes,
      personOnly: 'Comments are written by a person',
    }),
    support: checkPermission(g, 'proposal.support', viewer, standing, undefined, {
      ...contributes,
      personOnly: 'Support comes from a person',
    }),
    // withdrawing support one does not give changes nothing, so it is not refused
    withdrawSupport: firstRefusal(
      viewer.kind === 'operator' ? refused('Support comes from a person: act as one with --as HANDLE') : ALLOWED,
      viewer.kind === 'visitor' ? refused('Sign in first', 'sign-in') : ALLOWED,
    ),
    addEvidence: checkPermission(g, 'proposal.addEvidence', viewer, standing, undefined, {
      ...contributes,
      personOnly: 'Evidence is added by a person',
    }),
    relate: checkPermission(g, 'proposal.relate', viewer, standing, undefined, contributes),
    sponsor: firstRefusal(
      p.sponsor === 'none'
        ? ALLOWED
        : refused(p.sponsor === 'viewer' ? 'You are its sponsor already' : 'It already has a sponsor'),
      () => contributor(g, viewer, 'A sponsor is a person'),
      () =>
        viewer.kind === 'person' && !sponsorRoles.includes(viewer.role)
          ? refused(`Only a ${sponsorRoles.map((r) => r.replace('-', ' ')).join(' or a ')} may sponsor a proposal`)
          : ALLOWED,
    ),
    // the state first (nobody to remove, or an end state whose sponsorship stays on the record), then who
    endSponsorship: firstRefusal(
      p.sponsor === 'none'
        ? refused('It has no sponsor')
        : p.closed
          ? refused(`It is ${p.stage}, an end state: its sponsorship stays on the record`)
          : ALLOWED,
      () => checkPermission(g, 'proposal.endSponsorship', viewer, standing, undefined, contributes),
    ),
    promote: firstRefusal(p.topLayer ? refused('It is already at the highest layer') : ALLOWED, () =>
      checkPermission(g, 'proposal.promote', viewer, standing, undefined, {
        ...contributes,
        personOnly: 'A promotion is made by a person',
      }),
    ),
    completeFollowUp: checkPermission(g, 'proposal.completeFollowUp', viewer, standing, undefined, contributes),
    move: moves.length
      ? firstRefusal(contributor(g, viewer), () =>
          moves.some((m) => stageMovePolicy(g, viewer, standing, p, m.to).allowed)
            ? ALLOWED
            : stageMovePolicy(g, viewer, standing, p, moves[0]!.to),
        )
      : refused(`${p.stage} is an end state: no further moves`),
    openDecision: firstRefusal(p.inGroup ? ALLOWED : refused('It belongs to no group to decide on it'), () =>
      checkPermission(g, 'decision.open', viewer, standing, undefined, contributes),
    ),
  };
}

/** Making a proposal: anyone the governance file names, once they have accepted the agreements. */
export function newProposalPolicy(g: Governance, viewer: Viewer): Can<'create'> {
  return {
    create: checkPermission(g, 'proposal.create', viewer, {}, undefined, {
      ...contributes,
      personOnly: 'A proposal has a person as its author',
    }),
  };
}
