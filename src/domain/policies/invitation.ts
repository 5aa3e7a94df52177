// Invitations to a group. The guide's working groups have open membership: people come in
// themselves, so a lead who sets a level for someone not in the group offers it, and only the person
// invited takes it up (accept) or turns it down (decline); those who may set members' levels (the
// governance file's group.setMemberLevel, the group's leads by default) invite and withdraw.
// The state of the invitation is checked before the person, as everywhere: an expired one says so to
// everyone, and the use cases refuse it as gone (410) or already answered (409), naming the rule.
import type { GroupStatus, ParticipationLevel } from '../community.ts';
import type { Governance } from '../governance/schema.ts';
import { levelName, withArticle } from '../governance/words.ts';
import { agreementsFirst } from './rules.ts';
import { ALLOWED, firstRefusal, refused, type Can, type Verdict } from './verdict.ts';
import type { Viewer } from './viewer.ts';

export const INVITATION_ACTIONS = ['accept', 'decline', 'withdraw'] as const;
export type InvitationAction = (typeof INVITATION_ACTIONS)[number];

/**
 * open: waiting for the person; expired: its day passed unanswered (it can no longer be accepted);
 * superseded: the person's place in the group changed after it was sent (they joined at the level
 * offered or above, left, were removed, or had their level set or a request answered), so it no longer stands; withdrawn: by a lead,
 * or closed when the group was retired.
 */
export type InvitationState = 'open' | 'expired' | 'accepted' | 'declined' | 'withdrawn' | 'superseded';

/** The rule a refusal of a closed invitation names. */
export type InvitationClosedRule = 'answered-once' | 'expired' | 'withdrawn' | 'superseded';

/** An invitation's state now: one not answered is open until its expiry, then expired (read from the clock). */
export function invitationState(
  inv: { answer: 'accepted' | 'declined' | 'withdrawn' | 'expired' | 'superseded' | null; expiresAt: string },
  now: Date,
): InvitationState {
  if (inv.answer) return inv.answer;
  return Date.parse(inv.expiresAt) <= now.getTime() ? 'expired' : 'open';
}

/**
 * Why an invitation in this state can no longer be answered, or null while it is open: `gone` (410)
 * for one withdrawn or expired (nothing brings it back: a new invitation is needed), `answered` (409)
 * for one the person already accepted or declined.
 */
export function invitationClosed(
  state: InvitationState,
  /** `endedWhy`: why it ended when it closed without an answer (the invitation's own words, kept since 2026-12-07). */
  f: { group: string; expiresAt: string; answeredBy?: string | null; expiresOn?: string; endedWhy?: string | null },
): { why: 'gone' | 'answered'; rule: InvitationClosedRule; reason: string } | null {
  switch (state) {
    case 'open':
      return null;
    case 'expired':
      return {
        why: 'gone',
        rule: 'expired',
        reason: `The invitation to ${f.group} expired ${f.expiresOn ?? `on ${f.expiresAt.slice(0, 10)}`}: an invitation is accepted before its expiry; ask the group's leads to invite you again`,
      };
    case 'withdrawn':
      return {
        why: 'gone',
        rule: 'withdrawn',
        reason: `The invitation to ${f.group} was withdrawn${f.answeredBy ? ` by ${f.answeredBy}` : ''}${f.endedWhy ? ` (${f.endedWhy})` : ''}: a withdrawn invitation cannot be accepted or declined`,
      };
    case 'superseded':
      return {
        why: 'gone',
        rule: 'superseded',
        reason: f.endedWhy
          ? `The invitation to ${f.group} no longer stands: ${f.endedWhy}; a lead may invite them again`
          : `The invitation to ${f.group} was closed when the person's place in the group changed after it was sent (they joined at the level offered or above, left or were removed, or a lead set their level): it no longer stands; a lead may invite them again`,
      };
    default:
      return {
        why: 'answered',
        rule: 'answered-once',
        reason: `The invitation to ${f.group} was already ${state}: an invitation is answered once`,
      };
  }
}

/** The group's list of invitations: whether the viewer may invite (`setLevel`: groupPolicy's setMemberLevel). */
export function invitationListPolicy(status: GroupStatus, setLevel: Verdict): Can<'invite'> {
  return {
    invite: firstRefusal(
      status === 'retired' ? refused('The group is retired and takes no new members') : ALLOWED,
      setLevel,
    ),
  };
}

/**
 * One invitation, for this viewer: accepted or declined by the person invited alone (nobody acts for
 * them; accepting, like joining, asks for the community's agreements first), withdrawn by whoever may
 * set the group's levels (`setLevel`). Every action needs it open.
 */
export function invitationPolicy(
  g: Governance,
  viewer: Viewer,
  f: {
    state: InvitationState;
    group: string;
    expiresAt: string;
    /** When it expires in the viewer's words ("at Mon 2026-03-09 13:00 CET"); the UTC day otherwise. */
    expiresOn?: string;
    answeredBy?: string | null;
    /** The viewer is the person invited. */
    invitee: boolean;
    /** The handle of the person invited, to say whose it is. */
    handle: string;
    /** The level offered, as stored (named here in the community's words). */
    level: ParticipationLevel;
    groupStatus: GroupStatus;
  },
  setLevel: Verdict,
  /** Whether whoever invited may still set the group's levels (the operator always may): else it cannot be accepted. */
  inviterMay: Verdict = ALLOWED,
): Can<InvitationAction> {
  const closed = invitationClosed(f.state, f);
  const open = closed ? refused(closed.reason) : ALLOWED;
  const theirs = (doing: string): Verdict => {
    if (viewer.kind === 'visitor') return refused('Sign in first', 'sign-in');
    if (viewer.kind === 'operator' || !f.invitee)
      return refused(
        `Only the person invited (${f.handle}) may ${doing} this invitation: nobody becomes ${withArticle(levelName(g, f.level))} of a group but by their own act`,
      );
    return ALLOWED;
  };
  return {
    accept: firstRefusal(
      open,
      f.groupStatus === 'retired' ? refused('The group is retired and takes no new members') : ALLOWED,
      theirs('accept'),
      inviterMay,
      viewer.kind === 'person' && !viewer.agreed ? refused(agreementsFirst(g), 'accept-agreements') : ALLOWED,
    ),
    decline: firstRefusal(open, theirs('decline')),
    withdraw: firstRefusal(open, setLevel),
  };
}
