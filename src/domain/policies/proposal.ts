import type { Governance, MoverKind, RouteId } from '../governance/schema.ts';
import { allowedStageMoves, checkStageMove, comesBack, describeMovers } from '../proposals/route.ts';
import { agreementsFirst, checkPermission } from './rules.ts';
import { roleName } from '../governance/words.ts';
import { withArticle } from '../sentence.ts';
import { ALLOWED, alreadySo, firstRefusal, refused, type Can, type Verdict } from './verdict.ts';
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
  'requestReview',
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
  /** The copy a promotion already made one layer up (a proposal is promoted once per layer). */
  promotedAs?: string | null;
  /** Its group, if any: a decision on it is opened in that group. */
  inGroup: boolean;
  /** It is in one of its route's end states (landed, final, withdrawn…). */
  closed?: boolean;
  /** Asking for review: whom it would reach, and when it was last asked for (anyone's request). */
  review: ReviewFacts;
};

/**
 * Who an author's request for review goes to: its sponsor, or, with none yet, its group's leads
 * (who take it on or find someone who will); `nobody` when neither is there (or only the asker).
 */
export type ReviewFacts = { askOf: 'sponsor' | 'leads' | 'nobody'; lastAskedAt: string | null; now: string };

/** Whole hours, rounded up: "in 1 hour" rather than "in 0 hours" a minute before it opens. */
const hoursUntil = (ms: number) => Math.max(1, Math.ceil(ms / 3_600_000));
const hoursWord = (n: number) => `${n} hour${n === 1 ? '' : 's'}`;

/**
 * Asking for review. The state first (an end state, nobody to ask), then who (its authors), then how
 * often: once per reviewRequestHours per proposal, whichever author asked, so a sponsor is not paged
 * over and over; the refusal says when it may be asked again.
 */
export function reviewRequestPolicy(g: Governance, viewer: Viewer, standing: Standing, p: ProposalFacts): Verdict {
  return firstRefusal(
    p.closed ? refused(`It is ${p.stage}, an end state: there is nothing left to review`) : ALLOWED,
    p.review.askOf !== 'nobody'
      ? ALLOWED
      : p.sponsor === 'viewer'
        ? refused('You are its sponsor yourself')
        : refused(
            p.inGroup
              ? 'It has no sponsor, and its group has no lead but you to ask'
              : 'It has no sponsor and belongs to no group whose leads could take it on',
          ),
    () =>
      checkPermission(g, 'proposal.requestReview', viewer, standing, undefined, {
        ...contributes,
        personOnly: 'Review is asked for by a person',
      }),
    () => {
      if (!p.review.lastAskedAt) return ALLOWED;
      const windowMs = g.notifications.reviewRequestHours * 3_600_000;
      const since = new Date(p.review.now).getTime() - new Date(p.review.lastAskedAt).getTime();
      if (since >= windowMs) return ALLOWED;
      const ago = Math.floor(since / 3_600_000);
      return refused(
        `Review was asked for ${ago < 1 ? 'less than an hour' : hoursWord(ago)} ago; it may be asked again in ${hoursWord(hoursUntil(windowMs - since))} (once every ${hoursWord(g.notifications.reviewRequestHours)})`,
      );
    },
  );
}

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
  const parts = new Set<MoverKind>([viewer.role]);
  for (const r of standing.relations ?? []) if (r === 'author' || r === 'sponsor') parts.add(r);
  // the route's "group-lead" is a lead of the proposal's group or a facilitator of its topic area
  // (who "coordinate group discussions", the guide), whatever their own level in the group
  if (standing.groupLevel === 'lead' || standing.facilitates) parts.add('group-lead');
  return parts;
}

/** Sign in, then the agreements: what every contribution asks first. */
function contributor(g: Governance, viewer: Viewer, personOnly?: string): Verdict {
  if (viewer.kind === 'visitor') return refused('Sign in first', 'sign-in');
  if (viewer.kind === 'operator') return personOnly ? refused(`${personOnly}: act as one with --as HANDLE`) : ALLOWED;
  return viewer.agreed ? ALLOWED : refused(agreementsFirst(g), 'accept-agreements');
}

/** Who may sponsor a proposal, in words ("a core maintainer or a lead maintainer"). */
export function sponsorWho(g: Governance): string {
  const who = g.proposals.sponsorRoles.map((r) => withArticle(roleName(g, r)));
  return who.length < 3 ? who.join(' or ') : `${who.slice(0, -1).join(', ')} or ${who.at(-1)}`;
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
      const fromTo = `from ${p.stage.replace(/-/g, ' ')} to ${to.replace(/-/g, ' ')}`;
      // "only the sponsor" read as someone else's step while nobody is the sponsor: say how one comes
      if (p.sponsor === 'none' && move.by.includes('sponsor')) {
        const others = move.by.filter((b) => b !== 'sponsor' && b !== 'system');
        return refused(
          others.length
            ? `Only ${describeMovers(g, move.by)} may move it ${fromTo}, and it has no sponsor yet`
            : `It has no sponsor yet: once ${sponsorWho(g)} sponsors it, the sponsor moves it ${fromTo}`,
        );
      }
      return refused(`Only ${describeMovers(g, move.by)} may move it ${fromTo}`);
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
    // support says that others need it too: an author's own would count themselves as demand. An end
    // state takes none (withdrawn, declined, landed, final…: nothing is left for it to move on, and
    // final → superseded is an end too), but for one the route leads back from to an open stage
    // (dormant → awaiting-sponsor), as its demand may revive it
    support: firstRefusal(
      p.closed && !comesBack(g, p.route, p.stage)
        ? refused(`It is ${p.stage}, an end state: it takes no more support`)
        : ALLOWED,
      checkPermission(g, 'proposal.support', viewer, standing, undefined, {
        ...contributes,
        personOnly: 'Support comes from a person',
      }),
      () =>
        standing.relations?.includes('author')
          ? refused('You are its author: support shows that others need it too')
          : ALLOWED,
    ),
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
      p.sponsor === 'other'
        ? refused('It already has a sponsor')
        : p.sponsor === 'none' && p.closed
          ? refused(`It is ${p.stage}, an end state: nobody sponsors it now`)
          : ALLOWED,
      () => contributor(g, viewer, 'A sponsor is a person'),
      () =>
        viewer.kind === 'person' && !sponsorRoles.includes(viewer.role)
          ? refused(`Only ${sponsorWho(g)} may sponsor a proposal`)
          : ALLOWED,
      // already as asked: the viewer sponsors it (a second click)
      p.sponsor === 'viewer' ? alreadySo('You are its sponsor already') : ALLOWED,
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
    promote: firstRefusal(
      p.topLayer ? refused('It is already at the highest layer') : ALLOWED,
      () =>
        checkPermission(g, 'proposal.promote', viewer, standing, undefined, {
          ...contributes,
          personOnly: 'A promotion is made by a person',
        }),
      // already as asked: its copy one layer up exists (a proposal is promoted once per layer)
      p.promotedAs ? alreadySo(`It was already promoted, as ${p.promotedAs}`) : ALLOWED,
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
    requestReview: reviewRequestPolicy(g, viewer, standing, p),
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
