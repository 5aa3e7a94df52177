// Who may do what on a person's record, and on the community as a whole (adding people and
// organisations, proposing a group, running the dormancy check, issuing claim links).
import type { Governance } from '../governance/schema.ts';
import { agreementsFirst, checkPermission } from './rules.ts';
import { withArticle } from '../sentence.ts';
import { roleName } from '../governance/words.ts';
import { COMMUNITY_ROLES, type CommunityRole } from '../community.ts';
import { ALLOWED, firstRefusal, refused, type Can, type Verdict } from './verdict.ts';
import type { Standing, Viewer } from './viewer.ts';

export const PERSON_ACTIONS = [
  'edit',
  'addOrganisation',
  'setRole',
  'createToken',
  'manageTokens',
  'acceptAgreements',
  'issueClaim',
] as const;
export type PersonAction = (typeof PERSON_ACTIONS)[number];

/** Plain facts about the person whose record it is. */
export type PersonFacts = { role: CommunityRole };

/**
 * Where a role stands on the contributor ladder (the governance file's `roleOrder`, lowest first).
 * A role off it is the moderator's parallel track, "Member status + appointment": it stands just
 * above member, so a moderator records members but acts on no maintainer, and a moderator is
 * appointed by a maintainer or above.
 */
export function rungOf(g: Governance, role: CommunityRole): number {
  const at = g.roleOrder.indexOf(role);
  if (at >= 0) return at;
  const member = g.roleOrder.indexOf('member');
  return member >= 0 ? member + 0.5 : -1;
}

/** The top of the ladder (lead maintainers): they appoint their successors, so they give their own role too. */
const atTop = (g: Governance, role: CommunityRole) => g.roleOrder.at(-1) === role;

/**
 * The roles this viewer may give (adding a person or changing a role, where the governance file lets
 * them at all): those below their own on the ladder, every role at its top, any for the operator.
 * Nobody climbs the ladder by the hand of someone below the rung they would reach ("they protect the
 * project from rapid privilege escalation").
 */
export function rolesGivenBy(g: Governance, viewer: Viewer): CommunityRole[] {
  if (viewer.kind === 'operator') return [...COMMUNITY_ROLES];
  if (viewer.kind === 'visitor') return [];
  const own = viewer.role;
  return COMMUNITY_ROLES.filter((r) => atTop(g, own) || rungOf(g, r) < rungOf(g, own));
}

/** May this viewer give `role`? Asked once the role is known (it is the input's), after personPolicy. */
export function giveRole(g: Governance, viewer: Viewer, role: CommunityRole): Verdict {
  const may = rolesGivenBy(g, viewer);
  if (may.includes(role) || viewer.kind !== 'person') return ALLOWED;
  const list = may.map((r) => roleName(g, r));
  const which = list.length
    ? `the role${list.length === 1 ? '' : 's'} ${list.length === 1 ? list[0] : `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`}`
    : 'no role';
  return refused(`As ${withArticle(roleName(g, viewer.role))} you may give ${which}, not ${roleName(g, role)}`);
}

/**
 * What is done to someone else's record (their profile and mail address, their role, their tokens,
 * a claim link to it) lets whoever does it decide who they are or act as them: so it is for those
 * above them on the ladder (at its top, for another at the top too), never for one below or beside.
 */
function aboveThem(g: Governance, viewer: Viewer, self: boolean, p: PersonFacts, doing: string): Verdict {
  if (viewer.kind !== 'person' || self) return ALLOWED;
  if (atTop(g, viewer.role) || rungOf(g, viewer.role) > rungOf(g, p.role)) return ALLOWED;
  return refused(
    atTop(g, p.role)
      ? `Only another ${roleName(g, p.role)} may ${doing}`
      : `Only someone above ${withArticle(roleName(g, p.role))} on the contributor ladder may ${doing}`,
  );
}

/** Standing: `self` when the viewer is this person. */
export function personPolicy(g: Governance, viewer: Viewer, standing: Standing, p: PersonFacts): Can<PersonAction> {
  const self = standing.relations?.includes('self') ?? false;
  const above = (doing: string) => () => aboveThem(g, viewer, self, p, doing);
  return {
    edit: firstRefusal(checkPermission(g, 'person.edit', viewer, standing), above('edit their profile')),
    // naming an organisation nobody has named yet among this record's affiliations adds it
    addOrganisation: checkPermission(g, 'organisation.create', viewer, {}),
    setRole: firstRefusal(
      checkPermission(g, 'person.setRole', viewer, standing),
      // nobody raises themself: a lead maintainer stepping down asks another, or the operator
      self ? refused('Nobody changes their own community role: another who may change roles does it') : ALLOWED,
      above('change their role'),
    ),
    // a token acts as its person (votes, responses, comments in their name): like agreeing, it is
    // theirs to make, whatever the governance file lets others do with tokens (see them, revoke them)
    createToken: firstRefusal(
      checkPermission(g, 'token.create', viewer, standing),
      viewer.kind === 'person' && !self
        ? refused('A token acts as the person it belongs to, so only they make one')
        : ALLOWED,
    ),
    manageTokens: firstRefusal(
      checkPermission(g, 'token.create', viewer, standing),
      above('see or revoke their tokens'),
    ),
    // agreeing is personal: nobody accepts the Code of Conduct for someone else
    acceptAgreements:
      viewer.kind === 'visitor'
        ? refused('Sign in first', 'sign-in')
        : viewer.kind === 'operator' || self
          ? ALLOWED
          : refused('Only the person themself may accept the Code of Conduct and contribution terms'),
    issueClaim: firstRefusal(
      checkPermission(g, 'person.issueClaim', viewer, standing),
      above('issue a claim link for them'),
    ),
  };
}

export const TOKEN_ACTIONS = ['revoke'] as const;
export type TokenAction = (typeof TOKEN_ACTIONS)[number];

/** One API token: revoked once, by whoever may manage its owner's tokens (`owner`: personPolicy's verdicts). */
export function tokenPolicy(owner: Can<PersonAction>, token: { revoked: boolean }): Can<TokenAction> {
  return { revoke: token.revoked ? refused('This token is already revoked') : owner.manageTokens };
}

export const OWN_ACTIONS = ['inbox', 'subscriptions', 'replyAddresses', 'needs'] as const;
export type OwnAction = (typeof OWN_ACTIONS)[number];

/** What is a person's own (their inbox, subscriptions, reply addresses, what needs them): the operator acts as one. */
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
    needs: own('What needs you is told'),
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
