// Who may do what to a group, now: join or leave it, set a member's level, add a topic area, edit
// the charter, sponsor it, move it to another status; and who may propose a new group at all.
import type { CommunityRole, GroupStatus } from '../community.ts';
import { roleMeets, ruleAllows } from '../governance/permissions.ts';
import type { Governance } from '../governance/schema.ts';
import { levelName, roleName, withArticle } from '../governance/words.ts';
import { agreementsFirst, checkPermission, whoMay } from './rules.ts';
import { ALLOWED, alreadySo, firstRefusal, refused, type Can, type Verdict } from './verdict.ts';
import type { Standing, Viewer } from './viewer.ts';

export const GROUP_ACTIONS = [
  'join',
  'askToBeMember',
  'withdrawMembershipRequest',
  'answerMembershipRequests',
  'leave',
  'setMemberLevel',
  'addTopicArea',
  'editCharter',
  'sponsor',
  'move',
  'openDecision',
  'scheduleMeeting',
  'assignNoteTaker',
  'manageWebhooks',
] as const;
export type GroupAction = (typeof GROUP_ACTIONS)[number];

/** Plain facts about the group and the viewer's place in it. */
export type GroupFacts = {
  status: GroupStatus;
  /** Its decisions still open (D-3…), read for one who may retire it: a group is not retired under them. */
  openDecisions?: readonly string[];
  /** The viewer has a membership row (emeritus included: they may still leave). */
  member: boolean;
  /** The viewer is an active lead, and the only one. */
  onlyLead: boolean;
  /** The viewer already sponsors it. */
  sponsoring: boolean;
  /** The viewer has asked to become a member, and no lead has answered yet. */
  asked?: boolean;
  /** The viewer is a member or lead on emeritus standing (inactive): their level returns as they take part. */
  lapsed?: boolean;
  /** The day a person whose last request the leads declined may ask again, while it is still ahead. */
  askAgainFrom?: string | null;
};

const WORDING_NOTE_TAKER = { doing: "name a meeting's note-taker" };

const statusWords: Record<GroupStatus, string> = { proposed: 'proposed', active: 'active', retired: 'retired' };

function personSigned(viewer: Viewer, personOnly: string): Verdict {
  if (viewer.kind === 'visitor') return refused('Sign in first', 'sign-in');
  if (viewer.kind === 'operator') return refused(`${personOnly}: act as one with --as HANDLE`);
  return ALLOWED;
}

/** Moving the group: allowed when the governance file lets this viewer make at least one move from here. */
function movePolicy(g: Governance, viewer: Viewer, status: GroupStatus, open: readonly string[] = []): Verdict {
  const from = g.groups.transitions.filter((t) => t.from === status);
  if (!from.length) return refused(`A ${statusWords[status]} group moves nowhere else`);
  if (viewer.kind === 'visitor') return refused('Sign in first', 'sign-in');
  const mayMove =
    viewer.kind === 'operator' ||
    from.some((t) => ruleAllows(g, t.allowed, { handle: viewer.handle, role: viewer.role }));
  if (!mayMove) {
    const who = [...new Set(from.map((t) => whoMay(g, t.allowed)))];
    const article = /^[aeiou]/.test(status) ? 'an' : 'a';
    return refused(`Only ${who.join(' or ')} may move ${article} ${statusWords[status]} group`);
  }
  // one who may move it, where every move from here is to retired and decisions are open: told why not yet
  // (as groupMoveTo); one who may not is told that first, never what they could not do anyway
  if (open.length && from.every((t) => t.to === 'retired')) return refused(retiringRefusal(open));
  return ALLOWED;
}

/**
 * One status move for this viewer: null when the governance file has no such move (that is bad
 * input, not a refusal); otherwise allowed, or who may make it.
 */
export function groupMoveTo(
  g: Governance,
  viewer: Viewer,
  status: GroupStatus,
  to: GroupStatus,
  /** The group's decisions still open (D-3…): a group is never retired under them (`retiringRefusal`). */
  openDecisions: readonly string[] = [],
): Verdict | null {
  const t = g.groups.transitions.find((x) => x.from === status && x.to === to);
  if (!t) return null;
  if (viewer.kind === 'visitor') return refused('Sign in first', 'sign-in');
  if (viewer.kind !== 'operator' && !ruleAllows(g, t.allowed, { handle: viewer.handle, role: viewer.role })) {
    const article = /^[aeiou]/.test(status) ? 'an' : 'a';
    return refused(
      `Only ${whoMay(g, t.allowed)} may move ${article} ${statusWords[status]} group to ${statusWords[to]}`,
    );
  }
  // permission first: one who may not retire the group is told that, not what keeps it from retiring
  if (to === 'retired' && openDecisions.length) return refused(retiringRefusal(openDecisions));
  return ALLOWED;
}

/**
 * Why a group with decisions still open is not retired. A retired group no longer runs: nobody would be
 * there to hear a decision out, and lazy consensus would read its members' silence as consent after it
 * stopped, so each open decision is ended in the open first (withdrawn by whoever opened it or a lead,
 * saying why: those told of it hear that), or left to close, and the group is retired after.
 */
export function retiringRefusal(openDecisions: readonly string[]): string {
  const shown = openDecisions.slice(0, 10);
  const more = openDecisions.length - shown.length;
  const list = `${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
  const one = openDecisions.length === 1;
  return `The group still has ${one ? 'a decision' : 'decisions'} open (${list}): withdraw ${one ? 'it' : 'each'} (whoever opened it or a lead of the group may, saying why) or let ${one ? 'it' : 'them'} close, then retire the group`;
}

export function groupPolicy(g: Governance, viewer: Viewer, standing: Standing, f: GroupFacts): Can<GroupAction> {
  const contributes = { contributes: true };
  // the level whose answers count, which the leads grant, by the community's name for it ("a voting member")
  const member = withArticle(levelName(g, 'member'));
  return {
    join: firstRefusal(
      f.status === 'retired' ? refused('The group is retired and takes no new members') : ALLOWED,
      personSigned(viewer, 'Joining is done by a person'),
      viewer.kind === 'person' && !viewer.agreed ? refused(agreementsFirst(g), 'accept-agreements') : ALLOWED,
      // one already in the group at a level they hold now gains nothing by joining (it keeps the
      // level they have), so it is not offered: an assistant told it may join a group it leads was
      // misled. One whose standing lapsed (emeritus) holds no level now and comes back by joining.
      // already as asked, after what else may refuse it (retired, agreements): the use case tells it
      // so (409) only when asked at the level held; asked at another, it is refused (the leads set levels)
      f.member && standing.groupLevel
        ? alreadySo(`You are already in this group, as ${withArticle(levelName(g, standing.groupLevel))}`)
        : ALLOWED,
    ),
    // open membership (the guide) lets anyone join as an observer or participant; the member level,
    // whose answers count in decisions, is granted by the leads: this asks them
    askToBeMember: firstRefusal(
      f.status === 'retired' ? refused('The group is retired and takes no new members') : ALLOWED,
      personSigned(viewer, `Asking to become ${member} is done by a person`),
      viewer.kind === 'person' && !viewer.agreed ? refused(agreementsFirst(g), 'accept-agreements') : ALLOWED,
      standing.groupLevel === 'member' || standing.groupLevel === 'lead'
        ? refused(`You are already ${member} of this group`)
        : ALLOWED,
      f.lapsed
        ? refused('You are a member on emeritus standing: taking part again (a comment, a response) returns you')
        : ALLOWED,
      f.asked ? refused("You have asked already: the group's leads will answer") : ALLOWED,
      f.askAgainFrom
        ? refused(`The group's leads declined your last request; you may ask again from ${f.askAgainFrom}`)
        : ALLOWED,
    ),
    // only the person who asked takes their open request back (it is theirs: nobody acts for them);
    // it is no decline, so they may ask again at once
    withdrawMembershipRequest: firstRefusal(
      personSigned(viewer, `Withdrawing a request to become ${member} is done by the person who asked`),
      f.asked ? ALLOWED : refused(`You have no open request to become ${member} of this group`),
    ),
    // accepting one raises the person's level: the same rule as setting a member's level; a retired
    // group takes no new members (retiring it declines the requests still open)
    answerMembershipRequests: firstRefusal(
      f.status === 'retired' ? refused('The group is retired and takes no new members') : ALLOWED,
      () =>
        checkPermission(g, 'group.setMemberLevel', viewer, standing, {
          doing: `answer requests to become ${member} of the group`,
        }),
    ),
    leave: firstRefusal(
      personSigned(viewer, 'Leaving is done by a person'),
      f.member ? ALLOWED : refused('You are not a member of this group'),
      f.onlyLead ? refused("You are the group's only lead: make someone else a lead before you leave") : ALLOWED,
    ),
    setMemberLevel: checkPermission(g, 'group.setMemberLevel', viewer, standing),
    addTopicArea: firstRefusal(f.status === 'retired' ? refused('The group is retired') : ALLOWED, () =>
      checkPermission(g, 'topicArea.create', viewer, standing, undefined, contributes),
    ),
    // a retired group's charter stays as it stood when the group retired: the record of what it was
    editCharter: firstRefusal(f.status === 'retired' ? refused('The group is retired') : ALLOWED, () =>
      checkPermission(g, 'group.editCharter', viewer, standing),
    ),
    sponsor: firstRefusal(
      f.status === 'retired' ? refused('The group is retired') : ALLOWED,
      personSigned(viewer, 'Sponsorship is given by a person'),
      () => checkPermission(g, 'group.sponsor', viewer, standing, undefined, contributes),
      f.sponsoring ? alreadySo('You already sponsor this group') : ALLOWED,
    ),
    move: movePolicy(g, viewer, f.status, f.openDecisions),
    openDecision: firstRefusal(f.status === 'retired' ? refused('The group is retired') : ALLOWED, () =>
      checkPermission(g, 'decision.open', viewer, standing, undefined, contributes),
    ),
    // a topic area's facilitators count as leads for its meetings: the caller gives that standing
    scheduleMeeting: firstRefusal(f.status === 'retired' ? refused('The group is retired') : ALLOWED, () =>
      checkPermission(g, 'meeting.schedule', viewer, standing, undefined, contributes),
    ),
    // naming who owes a new meeting's notes when scheduling it (a meeting's own `can` decides afterwards);
    // the caller gives a topic facilitator's standing as for scheduling
    assignNoteTaker: firstRefusal(f.status === 'retired' ? refused('The group is retired') : ALLOWED, () =>
      checkPermission(g, 'meeting.assignNoteTaker', viewer, standing, WORDING_NOTE_TAKER, contributes),
    ),
    // its own permission: who may point the group's news at a chat room need not edit its charter
    manageWebhooks: checkPermission(g, 'group.manageWebhooks', viewer, standing),
  };
}

const WORDING_FACILITATORS = { doing: "choose this topic area's facilitators" };

/**
 * Editing a topic area: its facilitators (who count as leads for it, as in meetings), or the group's
 * leads. Who facilitates it is the group's choice ("Topic Facilitators are identified" in its process
 * meetings): only those who may edit it without being a facilitator choose them; a facilitator may
 * only step down (the use case lets them take themselves off the list).
 */
export function topicAreaPolicy(
  g: Governance,
  viewer: Viewer,
  standing: Standing,
  facilitator: boolean,
): Can<'edit' | 'chooseFacilitators'> {
  return {
    edit: checkPermission(g, 'topicArea.edit', viewer, facilitator ? { ...standing, groupLevel: 'lead' } : standing),
    chooseFacilitators: checkPermission(g, 'topicArea.edit', viewer, standing, WORDING_FACILITATORS),
  };
}

/** What anyone may do to the set of groups: propose a new one. */
export function groupsPolicy(g: Governance, viewer: Viewer): Can<'propose'> {
  return { propose: checkPermission(g, 'group.propose', viewer, {}, undefined, { contributes: true }) };
}

/**
 * Whether a person may be made a lead (or a topic area's facilitator): the governance file's
 * `groups.leadMinimumRole` on the contributor ladder. Asked of the person named, not the viewer.
 */
export function leadEligibility(g: Governance, person: { handle: string; role: CommunityRole }): Verdict {
  const min = g.groups.leadMinimumRole;
  if (roleMeets(g, person.role, min)) return ALLOWED;
  // a lead naming a newcomer read the rule but not how to meet it: who raises a role, and where (in words:
  // a path in the text showed as "(/people/jonas)" on the web's forms, where a message is text, not a link)
  const raisers = whoMay(g, g.permissions['person.setRole']);
  return refused(
    `${person.handle} is ${withArticle(roleName(g, person.role))}; leads and facilitators must hold at least the ${roleName(g, min)} role on the contributor ladder, not a level in a group${raisers ? `: ${raisers} raises it on their profile` : ''}`,
  );
}

/**
 * Who answers a group's requests to become a member now: its leads, while one leads. A group whose
 * leads all left or lapsed has nobody in it to answer, so the asker is told up front who does: those
 * the governance file's group.setMemberLevel names beyond the group's levels (core and lead
 * maintainers by default), else the hub's operator. Asking stays open: the level is still the
 * community's to grant, and a refusal would leave the person nowhere to turn.
 */
export function requestsAnsweredBy(g: Governance, activeLeads: number): { byLeads: boolean; who: string } {
  if (activeLeads) return { byLeads: true, who: "the group's leads" };
  const { roles, atLeast } = g.permissions['group.setMemberLevel'];
  return { byLeads: false, who: roles?.length || atLeast ? whoMay(g, { roles, atLeast }) : "the hub's operator" };
}

/** Whether someone of this role answers the requests of a group without an active lead (told of them, shown them). */
export function answersForLeaderless(g: Governance, role: CommunityRole): boolean {
  const { roles, atLeast } = g.permissions['group.setMemberLevel'];
  return !!roles?.includes(role) || (!!atLeast && roleMeets(g, role, atLeast));
}
