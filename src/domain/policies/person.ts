// Who may do what on a person's record, and on the community as a whole (adding people and
// organisations, proposing a group, running the dormancy check, issuing claim links).
import type { Governance } from '../governance/schema.ts';
import { agreementsFirst, checkPermission } from './rules.ts';
import type { CommunityRole } from '../community.ts';
import { ALLOWED, refused, type Can, type Verdict } from './verdict.ts';
import type { Standing, Viewer } from './viewer.ts';

export const PERSON_ACTIONS = [
  'edit',
  'addOrganisation',
  'setRole',
  'manageTokens',
  'acceptAgreements',
  'issueClaim',
] as const;
export type PersonAction = (typeof PERSON_ACTIONS)[number];

/** Standing: `self` when the viewer is this person. */
export function personPolicy(g: Governance, viewer: Viewer, standing: Standing): Can<PersonAction> {
  const self = standing.relations?.includes('self') ?? false;
  return {
    edit: checkPermission(g, 'person.edit', viewer, standing),
    // naming an organisation nobody has named yet among this record's affiliations adds it
    addOrganisation: checkPermission(g, 'organisation.create', viewer, {}),
    setRole: checkPermission(g, 'person.setRole', viewer, standing),
    manageTokens: checkPermission(g, 'token.create', viewer, standing),
    // agreeing is personal: nobody accepts the Code of Conduct for someone else
    acceptAgreements:
      viewer.kind === 'visitor'
        ? refused('Sign in first', 'sign-in')
        : viewer.kind === 'operator' || self
          ? ALLOWED
          : refused('Only the person themself may accept the Code of Conduct and contribution terms'),
    issueClaim: checkPermission(g, 'person.issueClaim', viewer, standing),
  };
}

export const TOKEN_ACTIONS = ['revoke'] as const;
export type TokenAction = (typeof TOKEN_ACTIONS)[number];

/** One API token: revoked once, by whoever may manage its owner's tokens (`owner`: personPolicy's verdicts). */
export function tokenPolicy(owner: Can<PersonAction>, token: { revoked: boolean }): Can<TokenAction> {
  return { revoke: token.revoked ? refused('This token is already revoked') : owner.manageTokens };
}

export const OWN_ACTIONS = ['inbox', 'subscriptions', 'replyAddresses'] as const;
export type OwnAction = (typeof OWN_ACTIONS)[number];

/** What is a person's own (their inbox, subscriptions, reply addresses): the operator acts as one. */
export function ownPolicy(viewer: Viewer): Can<OwnAction> {
  const own = (what: string) =>
    viewer.kind === 'visitor'
      ? refused('Sign in first', 'sign-in')
      : viewer.kind === 'operator'
        ? refused(`${what} to a person: act as one with --as HANDLE`)
        : ALLOWED;
  return {
    inbox: own('An inbox belongs'),
    subscriptions: own('Subscriptions belong'),
    replyAddresses: own('Reply addresses belong'),
  };
}

export const COMMUNITY_ACTIONS = [
  'addPerson',
  'addOrganisation',
  'proposeGroup',
  'createProposal',
  'runDormancy',
  'takePart',
] as const;
export type CommunityAction = (typeof COMMUNITY_ACTIONS)[number];

/** Actions on no one thing: what the viewer may start in the community. */
export function communityPolicy(g: Governance, viewer: Viewer): Can<CommunityAction> {
  return {
    addPerson: checkPermission(g, 'person.create', viewer, {}),
    addOrganisation: checkPermission(g, 'organisation.create', viewer, {}),
    proposeGroup: checkPermission(g, 'group.propose', viewer, {}, undefined, { contributes: true }),
    createProposal: checkPermission(g, 'proposal.create', viewer, {}, undefined, {
      contributes: true,
      personOnly: 'A proposal has a person as its author',
    }),
    runDormancy: checkPermission(g, 'proposal.runDormancy', viewer, {}),
    // taking part at all (joining a group): a person, who has accepted the current agreements
    takePart:
      viewer.kind === 'visitor'
        ? refused('Sign in first', 'sign-in')
        : viewer.kind === 'operator'
          ? refused('Taking part is done by a person: act as one with --as HANDLE')
          : viewer.agreed
            ? ALLOWED
            : refused(agreementsFirst(g), 'accept-agreements'),
  };
}

/** What the hub holds about a person before a GitHub sign-in by their login (no account linked yet). */
export type GithubLoginHolder = {
  handle: string;
  role: CommunityRole;
  /** Leads a group, or facilitates a topic area. */
  leads: boolean;
  /** The GitHub account id the mirror recorded for the login, if any. */
  accountId: string | null;
};

const CLAIM_ADVICE = 'ask a moderator for a claim link';

/**
 * May a GitHub account that signs in with `login` become this person without a claim link? GitHub
 * frees a renamed login for anyone to register, so a recorded account that differs is someone else;
 * and with no account recorded, only a plain contributor or member is taken on the login's word:
 * anyone with standing (a lead, facilitator, maintainer, moderator) is linked by a moderator.
 */
export function githubLoginTakeover(holder: GithubLoginHolder, login: string, accountId: string): Verdict {
  if (holder.accountId !== null)
    return holder.accountId === accountId
      ? ALLOWED
      : refused(
          `The GitHub login ${login} belonged to someone else here (@${holder.handle}); if you are them, ${CLAIM_ADVICE}`,
        );
  if (holder.leads || !PLAIN_ROLES.includes(holder.role))
    return refused(
      `@${holder.handle}, who has the GitHub login ${login} here, has a role in the community, so signing in by login alone cannot take it over; ${CLAIM_ADVICE}`,
    );
  return ALLOWED;
}

const PLAIN_ROLES: readonly CommunityRole[] = ['contributor', 'member'];
