// Invitations to a group. The guide's working groups have open membership: people come in
// themselves. So a lead who sets a level for someone not in the group (or invites them) offers it:
// the person is told, sees it on their home page and the group's page, and accepts (they are in the
// group at that level, by their own act) or declines; a lead may withdraw it while it is open, and
// it can no longer be accepted after its expiry (LIMITS.invitationDays at most). Changing an existing
// member's level stays direct (groups.ts `setLevelIn`), and so do the paths that place people for the
// community's own records: a charter read at import, an accepted request to become a member, a group
// proposed with its leads, the demo and test fixtures (`placeInGroup`).
import { slugAsStored } from '../../domain/slugs.ts';
import { PARTICIPATION_LEVELS, type ParticipationLevel } from '../../domain/community.ts';
import { alreadyAsAsked, Conflict, Forbidden, Gone, NotFound, invalid } from '../../domain/errors.ts';
import { charterNamesLead } from '../../domain/charter-doc/drift.ts';
import { invitationEndedTitle } from '../../domain/groups.ts';
import { inviteCoolOff, senderCoolOff } from '../../domain/invitation-cool-off.ts';
import { levelName, withArticle } from '../../domain/governance/words.ts';
import { LIMITS } from '../../domain/limits.ts';
import { localTime } from '../../domain/meetings/recurrence.ts';
import { nameWithHandle } from '../../domain/people.ts';
import {
  invitationClosed,
  invitationListPolicy,
  invitationPolicy,
  invitationState,
  leadEligibility,
  type Can,
  type InvitationAction,
  type InvitationState,
  type Verdict,
} from '../../domain/policies/index.ts';
import { ALLOWED, refused } from '../../domain/policies/verdict.ts';
import type { GroupsTable, PeopleTable } from '../../store/schema.ts';
import { authorize, authorizeAsPerson, viewerOf } from '../core/gate.ts';
import { holdKey, holdRow } from '../core/hold.ts';
import { inTransaction, nowIso, record, type Actor, type Hub, type Tx } from '../core/hub.ts';
import { parseInput } from '../core/validate.ts';
import { personRow } from '../people/people.ts';
import { groupCan } from './group-can.ts';
import { factsOf, groupRow, setLevelIn } from './groups.ts';
import { InviteInput } from './schemas.ts';

export type InvitationView = {
  id: string;
  group: string;
  groupName: string;
  /**
   * The group's status now: an invitation to a proposed group (to lead it, say) is to one not active
   * yet, which becomes active only once sponsored; the invitee is told so.
   */
  groupStatus: GroupsTable['status'];
  /** The person invited. */
  handle: string;
  name: string;
  /** The level offered. */
  level: ParticipationLevel;
  /** The lead's words to the person (may be empty). */
  message: string;
  /** Who invited (null: the hub's operator), with their name beside the handle. */
  invitedBy: string | null;
  invitedByName: string | null;
  invitedAt: string;
  /** Until when it may be accepted. */
  expiresAt: string;
  state: InvitationState;
  answeredBy: string | null;
  answeredAt: string | null;
  /**
   * Why it ended when nobody answered or withdrew it (state `superseded`: the person left or was removed,
   * a lead set their level, the charter placed them, they joined by themselves at the level offered or
   * above; `withdrawn` with the group retired), in words; null otherwise (and for those ended before 2026-12-07).
   */
  endedWhy: string | null;
  /** What the viewer may do with it now, and why not. */
  can: Can<InvitationAction>;
  /**
   * Once it is no longer open (and was not accepted), for one who may set the group's levels: whether they may invite the
   * person again now at the level it offered, or the rule that would refuse it, in words, and from when
   * it would not (`from`: null when no date ends it, such as the person being in the group now). Read
   * without the lock an invitation is sent under, so one sent meanwhile may still refuse it; null while
   * it is open, once accepted (the person is in the group by it) and for anyone else.
   */
  inviteAgain: InviteAgain | null;
};

/** Whether inviting a person again would be refused now: the rule, why in words, and from when it would not. */
export type InviteAgain =
  | { allowed: true }
  | { allowed: false; rule: InviteAgainRule; reason: string; from: string | null };

export type InviteAgainRule =
  | 'group-retired'
  | 'already-member'
  | 'already-invited'
  | 'lead-minimum-role'
  | 'invite-again-after-decline'
  | 'too-many-invitations-from-you'
  | 'too-many-invitations-to-person'
  | 'too-many-invitations';

type Row = {
  id: string;
  group_id: string;
  slug: string;
  group_name: string;
  status: GroupsTable['status'];
  person_id: string;
  handle: string;
  name: string;
  level: ParticipationLevel;
  message: string;
  invited_by: string | null;
  invited_by_name: string | null;
  invited_at: string;
  expires_at: string;
  answer: 'accepted' | 'declined' | 'withdrawn' | 'expired' | 'superseded' | null;
  answered_by: string | null;
  invited_by_id: string | null;
  named_in_proposal?: number;
  github: string | null;
  answered_at: string | null;
  ended_why?: string | null;
};

function rows(db: Tx) {
  return db
    .selectFrom('group_invitations as i')
    .innerJoin('groups as g', 'g.id', 'i.group_id')
    .innerJoin('people as p', 'p.id', 'i.person_id')
    .leftJoin('people as b', 'b.id', 'i.invited_by')
    .leftJoin('people as a', 'a.id', 'i.answered_by')
    .select([
      'i.id',
      'i.group_id',
      'g.slug',
      'g.name as group_name',
      'g.status',
      'i.person_id',
      'p.handle',
      'p.name',
      'p.github',
      'i.level',
      'i.message',
      'b.handle as invited_by',
      'i.invited_by as invited_by_id',
      'i.named_in_proposal',
      'b.name as invited_by_name',
      'i.invited_at',
      'i.expires_at',
      'i.answer',
      'a.handle as answered_by',
      'i.answered_at',
      'i.ended_why',
    ]);
}

/** The state of an invitation as read now: an unanswered one past its expiry is expired. */
function stateOf(hub: Hub, r: Row): InvitationState {
  return invitationState({ answer: r.answer, expiresAt: r.expires_at }, hub.clock.now());
}

async function viewsOf(db: Tx, hub: Hub, actor: Actor | null, list: Row[]): Promise<InvitationView[]> {
  const viewer = viewerOf(hub, actor);
  const setLevel = new Map<string, Can<'setMemberLevel'>['setMemberLevel']>();
  const groups = new Map<string, GroupsTable>();
  const inviterMay = new Map<string, Verdict>();
  const again = new Map<string, InviteAgain>();
  const out: InvitationView[] = [];
  for (const r of list) {
    if (!setLevel.has(r.group_id)) {
      const g = await groupRow(db, r.slug);
      groups.set(r.group_id, g);
      const may = (await groupCan(db, hub, actor, g)).setMemberLevel;
      setLevel.set(r.group_id, may);
      // those no longer open, for whoever may invite: whether they may invite the person again, read
      // for the group's listed ones at once; not one accepted, which put the person in the group (its
      // answer, read by one who may set levels there, a core maintainer or one accepting to lead, once
      // said "… is already in Security, as a member: a member is not invited")
      const ended = list.filter((o) => o.group_id === r.group_id && !['open', 'accepted'].includes(stateOf(hub, o)));
      if (may.allowed && actor && ended.length)
        for (const [id, verdict] of await inviteAgainOf(db, hub, actor, g, ended)) again.set(id, verdict);
    }
    const state = stateOf(hub, r);
    // only an open one can be accepted: whether its inviter still may is read for those alone, once
    // per group and inviter; one from a proposal stands on the charter's word on its own person, so
    // it is read per person (attack round 23: a lead named beside another the charter dropped was
    // refused on the group's page, naming the other)
    const inviterKey =
      r.named_in_proposal === 1 ? `${r.group_id}:named:${r.person_id}` : `${r.group_id}:${r.invited_by_id ?? ''}`;
    if (state === 'open' && !inviterMay.has(inviterKey))
      inviterMay.set(inviterKey, await inviterStillMay(db, hub, r, groups.get(r.group_id)!));
    out.push({
      id: r.id,
      group: r.slug,
      groupName: r.group_name,
      groupStatus: r.status,
      handle: r.handle,
      name: r.name,
      level: r.level,
      message: r.message,
      invitedBy: r.invited_by ?? null,
      invitedByName: r.invited_by_name ?? null,
      invitedAt: r.invited_at,
      expiresAt: r.expires_at,
      state,
      answeredBy: r.answered_by ?? null,
      answeredAt: r.answered_at,
      endedWhy: r.ended_why ?? null,
      can: invitationPolicy(
        hub.governance,
        viewer,
        {
          state,
          group: r.group_name,
          expiresAt: r.expires_at,
          expiresOn: `at ${localTime(r.expires_at, zoneOf(actor))}`,
          answeredBy: r.answered_by ?? null,
          invitee: actor?.kind === 'person' && actor.person.id === r.person_id,
          handle: r.handle,
          level: r.level,
          groupStatus: r.status,
        },
        setLevel.get(r.group_id)!,
        inviterMay.get(inviterKey) ?? ALLOWED,
      ),
      inviteAgain: again.get(r.id) ?? null,
    });
  }
  return out;
}

/**
 * The rule each refusal `inviterStillMay` makes names: the refusal object travels through the policy's
 * `can` unchanged, so `answer` refuses with its rule (a view's `can` keeps its shape).
 */
const refusalRules = new WeakMap<object, string>();
function ruled(reason: string, rule: string): Verdict {
  const v = refused(reason);
  refusalRules.set(v, rule);
  return v;
}

/**
 * Whether the invitation still stands for its sender: whoever sent it may still set the group's levels
 * (the governance file's group.setMemberLevel, the group's leads by default): a lead removed or stepped
 * down since cannot bring anyone in through an invitation sent before. The hub's operator (no inviter)
 * always may. A lead named in the group's proposal is invited on the charter's word (its proposer need
 * not set levels there): it stands while the charter's Leadership table still names them, and an
 * amendment that dropped them closes that door.
 */
async function inviterStillMay(db: Tx, hub: Hub, r: Row, g: GroupsTable): Promise<Verdict> {
  if (r.named_in_proposal === 1) {
    return charterNamesLead(factsOf(g, hub.governance.groupKindNames), {
      handle: r.handle,
      name: r.name,
      github: r.github,
    })
      ? ALLOWED
      : ruled(
          `The charter of ${r.group_name} no longer names ${nameWithHandle(r.handle, r.name)} in its Leadership table, so this invitation from its proposal cannot be accepted: a lead is invited on the charter's word; ask the group's leads to invite you again (you may decline it)`,
          'no-longer-named-in-charter',
        );
  }
  if (!r.invited_by_id) return ALLOWED;
  const inviter = await db.selectFrom('people').selectAll().where('id', '=', r.invited_by_id).executeTakeFirst();
  const may = inviter && (await groupCan(db, hub, { kind: 'person', person: inviter }, g)).setMemberLevel.allowed;
  return may
    ? ALLOWED
    : ruled(
        `${r.invited_by ?? 'Whoever invited you'} may no longer set the levels of ${r.group_name}, so this invitation cannot be accepted: ask the group's leads to invite you again (you may decline it)`,
        'inviter-lost-authority',
      );
}

async function invitationById(db: Tx, id: string): Promise<Row> {
  const r = await rows(db).where('i.id', '=', id).executeTakeFirst();
  if (!r) throw new NotFound('invitation', id);
  return r;
}

/** The level a person holds in a group now, null when not in it or emeritus. */
async function heldLevel(db: Tx, groupId: string, personId: string): Promise<ParticipationLevel | null> {
  const m = await db
    .selectFrom('group_members')
    .select(['level', 'emeritus'])
    .where('group_id', '=', groupId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  return m && m.emeritus !== 1 ? m.level : null;
}

/** An instant's zone for this reader: their own, named; UTC for the operator and a visitor. */
function zoneOf(actor: Actor | null): string {
  return actor?.kind === 'person' ? actor.person.time_zone : 'UTC';
}

/**
 * Refuses an invitation that can no longer be answered: gone (410) when expired or withdrawn, a conflict (409) once answered.
 * The person invited answering again as they answered (accepting twice: a second click, another tab)
 * is already as asked (409 `already-as-asked`, naming when), not a refusal to reconsider.
 */
function mustBeOpen(
  hub: Hub,
  r: Row,
  actor: Actor | null,
  action?: 'accept' | 'decline' | 'withdraw',
  /** Accepting: the level the person holds in the group now (not emeritus), null when not in it. */
  holds: ParticipationLevel | null = null,
): void {
  const state = stateOf(hub, r);
  // accepted again is as asked only while they still hold (at least) the level it placed them at:
  // one who left or was removed since is not in the group, and told it was answered once
  const still = holds !== null && PARTICIPATION_LEVELS.indexOf(holds) >= PARTICIPATION_LEVELS.indexOf(r.level);
  const same = (action === 'accept' && state === 'accepted' && still) || (action === 'decline' && state === 'declined');
  if (same && actor?.kind === 'person' && actor.person.id === r.person_id)
    throw alreadyAsAsked(`You already ${state} the invitation to ${r.group_name}, at ${r.answered_at}`, { state });
  const closed = invitationClosed(stateOf(hub, r), {
    group: r.group_name,
    expiresAt: r.expires_at,
    answeredBy: r.answered_by ?? null,
    expiresOn: `at ${localTime(r.expires_at, zoneOf(actor))}`,
    endedWhy: r.ended_why ?? null,
  });
  if (!closed) return;
  const facts = { state: stateOf(hub, r), rule: closed.rule };
  if (closed.why === 'gone') throw new Gone(closed.reason, facts);
  throw new Conflict(closed.reason, facts);
}

/**
 * Invites `p` to the group at `level`, inside the caller's transaction once it checked who may. Refuses
 * one already in the group (their level is changed, not offered) and one with an open invitation (a
 * lead withdraws it first); one whose invitation expired unanswered may be invited again.
 */
export async function inviteIn(
  trx: Tx,
  hub: Hub,
  actor: Actor,
  g: GroupsTable,
  p: PeopleTable,
  offer: { level: ParticipationLevel; message: string; expiresInDays: number; namedInProposal?: boolean },
  /** `same`: the same level and message offered again while it is open returns that invitation (setting a level is idempotent). */
  again: 'same' | 'refuse' = 'refuse',
): Promise<InvitationView> {
  // two leads inviting at once, or one inviting past the group's bound: counted one after the other
  await holdRow(trx, hub, 'groups', g.id);
  const member = await trx
    .selectFrom('group_members')
    .select('level')
    .where('group_id', '=', g.id)
    .where('person_id', '=', p.id)
    .executeTakeFirst();
  if (member) throw new Conflict(alreadyMember(hub, g, p, member.level), { rule: 'already-member' });
  const now = nowIso(hub);
  const open = await rows(trx).where('i.group_id', '=', g.id).where('i.answered_at', 'is', null).execute();
  const theirs = open.find((r) => r.person_id === p.id);
  if (
    theirs &&
    stateOf(hub, theirs) === 'open' &&
    again === 'same' &&
    theirs.level === offer.level &&
    theirs.message === offer.message
  )
    return (await viewsOf(trx, hub, actor, [theirs]))[0]!;
  if (theirs && stateOf(hub, theirs) === 'open')
    throw new Conflict(alreadyInvited(hub, actor, g, p, theirs, again === 'same'), {
      rule: 'already-invited',
      invitation: theirs.id,
    });
  if (offer.level === 'lead') {
    const eligible = leadEligibility(hub.governance, p);
    if (!eligible.allowed) throw invalid('level', eligible.reason);
  }
  await mayInviteAgain(trx, hub, actor, g, p, offer.level);
  // the person's own invitation whose day passed unanswered is settled as expired, so the new one is
  // the open one; others' lapsed ones stay as they are (each is said to its person, and listed for the
  // leads, until that person is invited again), and are not counted against the group's bound
  if (theirs && stateOf(hub, theirs) === 'expired')
    await trx
      .updateTable('group_invitations')
      .set({ answer: 'expired', answered_at: now })
      .where('id', '=', theirs.id)
      .execute();
  if (open.filter((r) => stateOf(hub, r) === 'open').length >= LIMITS.invitationsPerGroup)
    throw new Conflict(groupFull(g), { rule: 'too-many-invitations' });
  const id = hub.newId();
  const expiresAt = new Date(hub.clock.now().getTime() + offer.expiresInDays * 86_400_000).toISOString();
  await trx
    .insertInto('group_invitations')
    .values({
      id,
      group_id: g.id,
      person_id: p.id,
      level: offer.level,
      message: offer.message,
      invited_by: actor.kind === 'person' ? actor.person.id : null,
      invited_at: now,
      expires_at: expiresAt,
      answer: null,
      answered_by: null,
      answered_at: null,
      named_in_proposal: offer.namedInProposal ? 1 : 0,
    })
    .execute();
  // the log is public: who was invited, at which level, until when; the message stays on the invitation
  await record(trx, hub, actor, 'group.member-invited', { type: 'group', id: g.slug }, null, {
    handle: p.handle,
    level: offer.level,
    expiresAt,
  });
  return (await viewsOf(trx, hub, actor, [await invitationById(trx, id)]))[0]!;
}

/**
 * Closes the open invitations to a group (one person's, or all of them): `superseded` when the person's
 * place in the group changed after it was sent (they left or were removed, a lead set their level or
 * answered their request; joining by themselves goes through `settleOnJoin`), so an old offer can never override what happened since;
 * `withdrawn` when the group is retired (it takes no new members). Those past their expiry close too,
 * as they would when invited again. Each still open is recorded as `group.invitation-ended` with `why`
 * (in words, naming people by handle), kept on the invitation for whoever sent it (`endedWhy`): the
 * person invited is told it no longer stands, whoever sent it why it ended, and the invitee's unread
 * notice of it says so at once (`restateNotice`). Inside the caller's transaction; says how many closed.
 */
export async function closeOpenInvitations(
  trx: Tx,
  hub: Hub,
  actor: Actor,
  g: Pick<GroupsTable, 'id' | 'slug' | 'name'>,
  personId: string | null,
  answer: 'superseded' | 'withdrawn',
  why: string,
  /** Only those offering one of these levels (`settleOnJoin`: the level joined or a lower one). */
  levels?: readonly ParticipationLevel[],
): Promise<number> {
  let q = rows(trx).where('i.group_id', '=', g.id).where('i.answered_at', 'is', null);
  if (personId !== null) q = q.where('i.person_id', '=', personId);
  if (levels) q = q.where('i.level', 'in', [...levels]);
  const open = await q.execute();
  if (!open.length) return 0;
  const now = nowIso(hub);
  await trx
    .updateTable('group_invitations')
    .set({ answer, answered_at: now, answered_by: null, ended_why: why })
    .where(
      'id',
      'in',
      open.map((r) => r.id),
    )
    .where('answered_at', 'is', null)
    .execute();
  // one past its day had ended already: nobody is told again
  for (const r of open.filter((r) => stateOf(hub, r) === 'open')) {
    await record(trx, hub, actor, 'group.invitation-ended', { type: 'group', id: g.slug }, null, {
      handle: r.handle,
      level: r.level,
      invitedBy: r.invited_by ?? null,
      answer,
      why,
    });
    // they ended it themselves, and nobody is told of their own act: their notice says it at once; anyone
    // else's act is told by a notice of its own, which folds into theirs while it is unmailed (rewriting a
    // mailed one as well left two identical unread rows, the second mailed again)
    if (actor.kind === 'person' && actor.person.id === r.person_id) await restateNotice(trx, hub, g, r, why, now);
  }
  return open.length;
}

/** Who did something, as an invitation's end says it: `@handle`, or the hub's operator. */
export const byWhom = (actor: Actor): string =>
  actor.kind === 'person' ? `@${actor.person.handle}` : "the hub's operator";

/**
 * The invitee's unread notice of an invitation they ended themselves (by joining or leaving) or answered
 * says so at once: it said "accept or decline it", and nobody is told of their own act. When someone else
 * ended it, the notice telling them so folds into this one while it is unmailed, or is a row of its own.
 * Only this invitation's notice: the row written (or folded into) since it was sent, not an older unread
 * one of an earlier invitation (withdrawn, say) to the same group. Its mail not gone yet (queued, or
 * waiting for a digest) is no longer sent, as for a notice read before its mail went: the person has
 * acted on it, and the mail would have told them of their own act.
 */
async function restateNotice(
  trx: Tx,
  hub: Hub,
  g: Pick<GroupsTable, 'slug' | 'name'>,
  r: Row,
  why: string,
  now: string,
  title = invitationEndedTitle(hub.governance, r, g.name, r.level, why),
): Promise<void> {
  const theNotice = () =>
    trx
      .updateTable('notifications')
      .where('person_id', '=', r.person_id)
      .where('kind', '=', 'invitation')
      .where('reason', '=', 'you')
      .where('subject_type', '=', 'group')
      .where('subject_ref', '=', g.slug)
      .where('read_at', 'is', null)
      .where('updated_at', '>=', r.invited_at);
  await theNotice().set({ mail_state: null }).where('mail_state', 'in', ['queued', 'digest']).execute();
  await theNotice().set({ title, updated_at: now }).execute();
}

/** Whether level `a` is above level `b` (observer, participant, member, lead: in that order). */
export function levelAbove(a: ParticipationLevel, b: ParticipationLevel): boolean {
  return PARTICIPATION_LEVELS.indexOf(a) > PARTICIPATION_LEVELS.indexOf(b);
}

/**
 * After a person joined by their own act at `level`: their open invitation offering that level or a
 * lower one is moot (`superseded`, recorded as `closeOpenInvitations` does); one offering more still
 * stands, and accepting it raises them to the level offered (joining as a participant must not cost
 * someone the lead invitation a proposal sent them). A lead's change, a removal or leaving still close it.
 */
export async function settleOnJoin(
  trx: Tx,
  hub: Hub,
  actor: Actor,
  g: Pick<GroupsTable, 'id' | 'slug' | 'name'>,
  person: Pick<PeopleTable, 'id' | 'handle'>,
  level: ParticipationLevel,
): Promise<void> {
  await closeOpenInvitations(
    trx,
    hub,
    actor,
    g,
    person.id,
    'superseded',
    `@${person.handle} joined ${g.name} by themselves as ${withArticle(levelName(hub.governance, level))}`,
    PARTICIPATION_LEVELS.filter((l) => !levelAbove(l, level)),
  );
}

/**
 * Refuses a new invitation of `p` to `g` that would come too soon: within the governance file's
 * membership.inviteAgainDays after they declined one (their no is heard), or past
 * LIMITS.invitationsToOnePerson sent them in LIMITS.invitationWindowDays (invite, withdraw and invite
 * again would mail them each time). Each refusal names its rule and when inviting is possible again;
 * the arithmetic is `inviteCoolOff` (domain/invitation-cool-off.ts), this loads its facts.
 */
async function mayInviteAgain(
  trx: Tx,
  hub: Hub,
  actor: Actor,
  g: GroupsTable,
  p: PeopleTable,
  level: ParticipationLevel,
): Promise<void> {
  const days = hub.governance.membership.inviteAgainDays;
  // a no to one level is heard for that level and those above it: one who declined to lead may
  // still be offered a member's place at once
  const atOrBelow = PARTICIPATION_LEVELS.filter((l) => !levelAbove(l, level));
  const declined = await trx
    .selectFrom('group_invitations')
    .select(['answered_at', 'level'])
    .where('group_id', '=', g.id)
    .where('person_id', '=', p.id)
    .where('answer', '=', 'declined')
    .where('level', 'in', atOrBelow)
    .orderBy('answered_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const since = new Date(hub.clock.now().getTime() - LIMITS.invitationWindowDays * 86_400_000).toISOString();
  const recent = await trx
    .selectFrom('group_invitations')
    .select('invited_at')
    .where('group_id', '=', g.id)
    .where('person_id', '=', p.id)
    .where('invited_at', '>', since)
    .execute();
  const wait = inviteCoolOff(
    {
      declinedAt: declined?.answered_at ?? null,
      inviteAgainDays: days,
      invitedAt: recent.map((r) => r.invited_at),
      perPerson: LIMITS.invitationsToOnePerson,
      windowDays: LIMITS.invitationWindowDays,
    },
    hub.clock.now(),
  );
  if (wait?.rule === 'invite-again-after-decline')
    throw new Conflict(declineHolds(hub, actor, g, p, declined!, wait.from), { rule: wait.rule, from: wait.from });
  const fromYou = await tooManyFromSender(trx, hub, actor, p);
  if (fromYou)
    throw new Conflict(`Y${fromYou.reason.slice(1)}`, { rule: 'too-many-invitations-from-you', from: fromYou.from });
  if (wait?.rule === 'too-many-invitations-to-person')
    throw new Conflict(groupSentMost(actor, g, p, wait), { rule: wait.rule, from: wait.from });
}

// What refuses inviting a person, in words: said by the refusal itself (`inviteIn`) and, before anyone
// tries, by the view of an invitation no longer open (`inviteAgainOf`).

function alreadyMember(hub: Hub, g: GroupsTable, p: PersonNamed, level: ParticipationLevel): string {
  return `${nameWithHandle(p.handle, p.name)} is already in ${g.name}, as ${withArticle(levelName(hub.governance, level))}: a member is not invited; set their level instead`;
}

function alreadyInvited(
  hub: Hub,
  actor: Actor | null,
  g: GroupsTable,
  p: PersonNamed,
  theirs: Pick<Row, 'level' | 'invited_at' | 'expires_at'>,
  idempotent: boolean,
): string {
  return `${nameWithHandle(p.handle, p.name)} already has an open invitation to ${g.name} (as ${withArticle(levelName(hub.governance, theirs.level))}, sent ${theirs.invited_at.slice(0, 10)}, open until ${localTime(theirs.expires_at, zoneOf(actor))}): one open invitation per person and group${idempotent ? ' (the same level and message again answer with it)' : ''}; withdraw it first to invite them again`;
}

function declineHolds(
  hub: Hub,
  actor: Actor | null,
  g: GroupsTable,
  p: PersonNamed,
  declined: { level: ParticipationLevel; answered_at: string | null },
  from: string,
): string {
  return `${nameWithHandle(p.handle, p.name)} declined an invitation to ${g.name} as ${withArticle(levelName(hub.governance, declined.level))} on ${declined.answered_at!.slice(0, 10)}: after a decline a person is invited to the group at that level or a higher one again only after ${hub.governance.membership.inviteAgainDays} days (the governance file's membership.inviteAgainDays), from ${localTime(from, zoneOf(actor))}; a lower level may be offered now`;
}

function groupSentMost(
  actor: Actor | null,
  g: GroupsTable,
  p: PersonNamed,
  wait: { sent: number; from: string },
): string {
  return `${g.name} has invited ${nameWithHandle(p.handle, p.name)} ${wait.sent} times in the last ${LIMITS.invitationWindowDays} days, the most one person is sent: each invitation tells them at once; invite them again from ${localTime(wait.from, zoneOf(actor))}`;
}

function senderSentMost(actor: Actor | null, p: PersonNamed, wait: { sent: number; from: string }): string {
  return `you have invited ${nameWithHandle(p.handle, p.name)} ${wait.sent} times in the last ${LIMITS.invitationWindowDays} days, to any group (naming them a lead of a group you propose invites them too), the most one person sends another: each invitation tells them at once; you may invite them again from ${localTime(wait.from, zoneOf(actor))}`;
}

function groupFull(g: GroupsTable): string {
  return `${g.name} has ${LIMITS.invitationsPerGroup} open invitations already, the most a group holds: withdraw some or wait for their answers`;
}

type PersonNamed = { handle: string; name: string };
type WaitFor = Extract<InviteAgain, { allowed: false }>;

/**
 * For one who may set the group's levels: whether each invitation no longer open (at most the group's
 * listed ones) could be sent to its person again now, at the level it offered, by `actor`; else the
 * rule that refuses it first, or of the rules that pass with time the one that holds longest, and from
 * when. The same rules `inviteIn` checks, read without its locks (a view is no promise: the invitation
 * itself is checked under them), for all the invitations at once: a few reads, not a few per person.
 */
async function inviteAgainOf(
  db: Tx,
  hub: Hub,
  actor: Actor,
  g: GroupsTable,
  ended: Row[],
): Promise<Map<string, InviteAgain>> {
  const out = new Map<string, InviteAgain>();
  if (g.status === 'retired') {
    for (const r of ended)
      out.set(r.id, {
        allowed: false,
        rule: 'group-retired',
        reason: 'The group is retired and takes no new members',
        from: null,
      });
    return out;
  }
  const now = hub.clock.now();
  const nowText = now.toISOString();
  const since = new Date(now.getTime() - LIMITS.invitationWindowDays * 86_400_000).toISOString();
  const declinedSince = new Date(now.getTime() - hub.governance.membership.inviteAgainDays * 86_400_000).toISOString();
  const ids = [...new Set(ended.map((r) => r.person_id))];
  const people = new Map(
    (await db.selectFrom('people').select(['id', 'handle', 'name', 'role']).where('id', 'in', ids).execute()).map(
      (p) => [p.id, p],
    ),
  );
  const members = new Map(
    (
      await db
        .selectFrom('group_members')
        .select(['person_id', 'level'])
        .where('group_id', '=', g.id)
        .where('person_id', 'in', ids)
        .execute()
    ).map((m) => [m.person_id, m.level]),
  );
  // what the group sent them lately, declined within the cool-off, or still open
  const history = await db
    .selectFrom('group_invitations')
    .select(['person_id', 'level', 'answer', 'answered_at', 'invited_at', 'expires_at'])
    .where('group_id', '=', g.id)
    .where('person_id', 'in', ids)
    .where((w) =>
      w.or([
        w('invited_at', '>', since),
        w.and([w('answer', '=', 'declined'), w('answered_at', '>', declinedSince)]),
        w.and([w('answered_at', 'is', null), w('expires_at', '>', nowText)]),
      ]),
    )
    .execute();
  const fromSender =
    actor.kind === 'person'
      ? await db
          .selectFrom('group_invitations')
          .select(['person_id', 'invited_at'])
          .where('invited_by', '=', actor.person.id)
          .where('person_id', 'in', ids)
          .where('invited_at', '>', since)
          .execute()
      : [];
  // the group's open invitations, soonest to expire first: a place frees as each runs out
  const openInGroup = await db
    .selectFrom('group_invitations')
    .select('expires_at')
    .where('group_id', '=', g.id)
    .where('answered_at', 'is', null)
    .where('expires_at', '>', nowText)
    .orderBy('expires_at')
    .limit(LIMITS.invitationsPerGroup)
    .execute();
  for (const r of ended) {
    const p = people.get(r.person_id)!;
    const theirs = history.filter((h) => h.person_id === r.person_id);
    const member = members.get(r.person_id);
    const open = theirs.find((h) => h.answered_at === null && h.expires_at > nowText);
    const eligible = r.level === 'lead' ? leadEligibility(hub.governance, p) : ALLOWED;
    const refusal = (rule: InviteAgainRule, reason: string, from: string | null): WaitFor => ({
      allowed: false,
      rule,
      reason,
      from,
    });
    if (member) {
      out.set(r.id, refusal('already-member', alreadyMember(hub, g, p, member), null));
      continue;
    }
    // the rules that pass with time: the one holding longest says when
    const waits: WaitFor[] = [];
    const atOrBelow = PARTICIPATION_LEVELS.filter((l) => !levelAbove(l, r.level));
    const declined = theirs
      .filter((h) => h.answer === 'declined' && atOrBelow.includes(h.level))
      .sort((a, b) => (b.answered_at ?? '').localeCompare(a.answered_at ?? ''))[0];
    const wait = inviteCoolOff(
      {
        declinedAt: declined?.answered_at ?? null,
        inviteAgainDays: hub.governance.membership.inviteAgainDays,
        invitedAt: theirs.map((h) => h.invited_at),
        perPerson: LIMITS.invitationsToOnePerson,
        windowDays: LIMITS.invitationWindowDays,
      },
      now,
    );
    if (wait?.rule === 'invite-again-after-decline')
      waits.push(refusal(wait.rule, declineHolds(hub, actor, g, p, declined!, wait.from), wait.from));
    const perPerson = inviteCoolOff(
      {
        declinedAt: null,
        inviteAgainDays: 0,
        invitedAt: theirs.map((h) => h.invited_at),
        perPerson: LIMITS.invitationsToOnePerson,
        windowDays: LIMITS.invitationWindowDays,
      },
      now,
    );
    if (perPerson?.rule === 'too-many-invitations-to-person')
      waits.push(refusal(perPerson.rule, groupSentMost(actor, g, p, perPerson), perPerson.from));
    const mine = senderCoolOff(
      {
        sentAt: fromSender.filter((s) => s.person_id === r.person_id).map((s) => s.invited_at),
        perSender: LIMITS.invitationsFromOneToOne,
        windowDays: LIMITS.invitationWindowDays,
      },
      now,
    );
    if (mine)
      waits.push(refusal('too-many-invitations-from-you', `Y${senderSentMost(actor, p, mine).slice(1)}`, mine.from));
    // after the open one runs out unanswered, another may be sent, once the rules that pass with
    // time let it too: the latest of those dates (its expiry alone could be too early a date to give)
    if (open) {
      const from = [open.expires_at, ...waits.map((w) => w.from ?? '')].sort().at(-1)!;
      out.set(r.id, refusal('already-invited', alreadyInvited(hub, actor, g, p, open, false), from));
      continue;
    }
    if (!eligible.allowed) {
      out.set(r.id, refusal('lead-minimum-role', eligible.reason, null));
      continue;
    }
    if (openInGroup.length >= LIMITS.invitationsPerGroup)
      waits.push(
        refusal(
          'too-many-invitations',
          groupFull(g),
          openInGroup[openInGroup.length - LIMITS.invitationsPerGroup]!.expires_at,
        ),
      );
    const longest = waits.sort((a, b) => (b.from ?? '').localeCompare(a.from ?? ''))[0];
    out.set(r.id, longest ?? { allowed: true });
  }
  return out;
}

/**
 * Whether `actor` sent `p` LIMITS.invitationsFromOneToOne invitations already within
 * LIMITS.invitationWindowDays, to any group: the reason and when they may again, or null (the hub's
 * operator is not bounded). Proposing a group names its leads, and each other lead named is invited:
 * without this, one member proposing groups sent one person a notice and a mail each, without end.
 * Counted holding a lock on the sender, so their requests at once take turns (one key a transaction:
 * no two of them wait on each other's).
 */
export async function tooManyFromSender(
  trx: Tx,
  hub: Hub,
  actor: Actor,
  p: PeopleTable,
): Promise<{ reason: string; from: string } | null> {
  if (actor.kind !== 'person') return null;
  await holdKey(trx, hub, `invitations-from:${actor.person.id}`);
  const since = new Date(hub.clock.now().getTime() - LIMITS.invitationWindowDays * 86_400_000).toISOString();
  const sent = await trx
    .selectFrom('group_invitations')
    .select('invited_at')
    .where('person_id', '=', p.id)
    .where('invited_by', '=', actor.person.id)
    .where('invited_at', '>', since)
    .execute();
  const wait = senderCoolOff(
    {
      sentAt: sent.map((s) => s.invited_at),
      perSender: LIMITS.invitationsFromOneToOne,
      windowDays: LIMITS.invitationWindowDays,
    },
    hub.clock.now(),
  );
  return wait && { reason: senderSentMost(actor, p, wait), from: wait.from };
}

/** A lead invites someone not in the group (the same as setting a level for them). */
export async function inviteToGroup(hub: Hub, actor: Actor, slug: string, raw: unknown): Promise<InvitationView> {
  return inTransaction(hub, async (trx) => {
    const g = await groupRow(trx, slug);
    authorize(invitationListPolicy(g.status, (await groupCan(trx, hub, actor, g)).setMemberLevel), 'invite');
    const input = parseInput(InviteInput, raw);
    const p = await personRow(trx, input.handle);
    return inviteIn(trx, hub, actor, g, p, input);
  });
}

/**
 * A group's open invitations, for those who may withdraw them (those who may set its levels); `can`
 * says whether this viewer may invite; `yourInvitation` is the viewer's own open one, or null;
 * `recentlyDeclined`, for those who may set its levels too, the invitations declined in the last
 * `LIMITS.invitationWindowDays` days, latest first (a lead saw a decline only in their inbox, and
 * the invitation simply vanished from the group's page).
 */
export async function listGroupInvitations(
  hub: Hub,
  actor: Actor | null,
  slug: string,
): Promise<{
  items: InvitationView[];
  can: Can<'invite'>;
  yourInvitation: InvitationView | null;
  recentlyDeclined: InvitationView[];
}> {
  const db = hub.store.db;
  const g = await groupRow(db, slug);
  const setLevel = (await groupCan(db, hub, actor, g)).setMemberLevel;
  const now = nowIso(hub);
  const since = new Date(hub.clock.now().getTime() - LIMITS.invitationWindowDays * 86_400_000).toISOString();
  // the open ones (at most the group's bound), then those that ran out unanswered in the last
  // LIMITS.invitationWindowDays days, as many again at most: a lapsed one is settled only when its
  // person is invited again, so lapsed ones past count cannot crowd the open ones out
  const listed = (open: boolean) =>
    rows(db)
      .where('i.group_id', '=', g.id)
      .where('i.answered_at', 'is', null)
      .where((w) =>
        open ? w('i.expires_at', '>', now) : w.and([w('i.expires_at', '<=', now), w('i.expires_at', '>', since)]),
      )
      .orderBy('i.invited_at')
      .orderBy('i.id')
      .limit(LIMITS.invitationsPerGroup)
      .execute();
  const views = await viewsOf(
    db,
    hub,
    actor,
    setLevel.allowed ? [...(await listed(true)), ...(await listed(false))] : await listed(true),
  );
  const mine = actor?.kind === 'person' ? views.find((v) => v.handle === actor.person.handle) : undefined;
  const declined = setLevel.allowed
    ? await rows(db)
        .where('i.group_id', '=', g.id)
        .where('i.answer', '=', 'declined')
        .where('i.answered_at', '>', since)
        .orderBy('i.answered_at', 'desc')
        .orderBy('i.id')
        .limit(LIMITS.invitationsPerGroup)
        .execute()
    : [];
  return {
    // expired ones stay listed for the leads (they may invite again) for LIMITS.invitationWindowDays,
    // until the person is invited again
    items: setLevel.allowed ? views : [],
    can: invitationListPolicy(g.status, setLevel),
    yourInvitation: mine && mine.state === 'open' ? mine : null,
    recentlyDeclined: await viewsOf(db, hub, actor, declined),
  };
}

/**
 * The viewer's own invitation to the group that ran out unanswered in the last
 * `LIMITS.invitationWindowDays` days, while no new one has been sent (a new one settles it as expired):
 * the notice that told them of it leads to the group's page, which says it closed and how to come in.
 * Null for a visitor, or when there is none.
 */
export async function yourLapsedInvitation(
  hub: Hub,
  actor: Actor | null,
  slug: string,
): Promise<InvitationView | null> {
  if (actor?.kind !== 'person') return null;
  const db = hub.store.db;
  const now = hub.clock.now().getTime();
  const since = new Date(now - LIMITS.invitationWindowDays * 86_400_000).toISOString();
  const lapsed = await rows(db)
    .where('g.slug', '=', slugAsStored(slug))
    .where('i.person_id', '=', actor.person.id)
    .where('i.answered_at', 'is', null)
    .where('i.expires_at', '<=', new Date(now).toISOString())
    .where('i.expires_at', '>', since)
    .orderBy('i.expires_at', 'desc')
    .limit(1)
    .execute();
  return (await viewsOf(db, hub, actor, lapsed))[0] ?? null;
}

/** The viewer's own open invitations, in every group, soonest to expire first (none for a visitor or the operator). */
export async function listMyInvitations(hub: Hub, actor: Actor | null): Promise<{ items: InvitationView[] }> {
  if (actor?.kind !== 'person') return { items: [] };
  return { items: (await openInvitationsOf(hub, actor.person, LIMITS.invitationsPerGroup)).items };
}

/** A person's open invitations, soonest to expire first: at most `bound`, and whether more are open (what needs them). */
export async function openInvitationsOf(
  hub: Hub,
  person: PeopleTable,
  bound: number,
): Promise<{ items: InvitationView[]; more: boolean }> {
  const db = hub.store.db;
  const open = await rows(db)
    .where('i.person_id', '=', person.id)
    .where('i.answered_at', 'is', null)
    .where('i.expires_at', '>', nowIso(hub))
    .orderBy('i.expires_at')
    .orderBy('i.id')
    .limit(bound + 1)
    .execute();
  const items = await viewsOf(db, hub, { kind: 'person', person }, open.slice(0, bound));
  return { items, more: open.length > bound };
}

/** Reads one invitation, for the person invited or those who may withdraw it (404 to anyone else). */
export async function getInvitation(hub: Hub, actor: Actor | null, id: string): Promise<InvitationView> {
  const db = hub.store.db;
  const [view] = await viewsOf(db, hub, actor, [await invitationById(db, id)]);
  const mine = actor?.kind === 'person' && view!.handle === actor.person.handle;
  const g = await groupRow(db, view!.group);
  if (!mine && !(await groupCan(db, hub, actor, g)).setMemberLevel.allowed) throw new NotFound('invitation', id);
  return view!;
}

async function answer(
  hub: Hub,
  actor: Actor,
  id: string,
  action: 'accept' | 'decline' | 'withdraw',
  slug?: string,
): Promise<InvitationView> {
  return inTransaction(hub, async (trx) => {
    const first = await invitationById(trx, id);
    // a lead withdraws, and the web answers, through the group's address: an invitation of another
    // group is not found there (attack round 23: a decline posted to /groups/security/… declined one to hosting)
    if (slug !== undefined && first.slug !== slugAsStored(slug)) throw new NotFound(`invitation to ${slug}`, id);
    // held as inviting and retiring hold it: an accept cannot slip in beside a retirement, a removal
    // of the inviter or another answer; read again once held
    await holdRow(trx, hub, 'groups', first.group_id);
    // an accept and the same person's join at once take turns, as two joins do (joinGroup holds this
    // key, not the group's row): side by side on PostgreSQL each inserted the membership, and the
    // second failed on the unique key or deadlocked with the join's settling of this invitation
    // (attack round 23: a 500 one time in four)
    if (action === 'accept') await holdKey(trx, hub, `join:${first.group_id}:${first.person_id}`);
    const r = await invitationById(trx, id);
    const g = await groupRow(trx, r.slug);
    const holds = action === 'accept' ? await heldLevel(trx, r.group_id, r.person_id) : null;
    // the state first, for everyone: gone (expired, withdrawn) or answered already
    mustBeOpen(hub, r, actor, action, holds);
    const [view] = await viewsOf(trx, hub, actor, [r]);
    // a refusal that stands for the invitation itself (its inviter lost authority, its charter no
    // longer names the lead) names its rule
    const verdict = view!.can[action];
    if (!verdict.allowed && refusalRules.has(verdict))
      throw new Forbidden(verdict.reason, { action, rule: refusalRules.get(verdict) });
    if (action === 'withdraw') authorize(view!.can, 'withdraw');
    else authorizeAsPerson(view!.can, action, actor);
    const now = nowIso(hub);
    const done = await trx
      .updateTable('group_invitations')
      .set({
        answer: action === 'accept' ? 'accepted' : action === 'decline' ? 'declined' : 'withdrawn',
        answered_by: actor.kind === 'person' ? actor.person.id : null,
        answered_at: now,
      })
      .where('id', '=', id)
      .where('answered_at', 'is', null)
      .executeTakeFirst();
    // closed between the read and this write (the group's row is held, so only a write that does not
    // take it: settled as expired, or superseded by the person's own place changing): say what it is
    // now, or that it was answered meanwhile
    if (Number(done.numUpdatedRows) !== 1) {
      mustBeOpen(hub, await invitationById(trx, id), actor, action, holds);
      throw new Conflict(`The invitation to ${r.group_name} was answered meanwhile`, { rule: 'answered-meanwhile' });
    }
    const facts = { handle: r.handle, level: r.level, invitedBy: r.invited_by ?? null };
    if (action === 'accept') {
      // accepted: the person's own act places them (a lead's eligibility is checked again, as the
      // person's role may have changed)
      const p = await personRow(trx, r.handle);
      if (r.level === 'lead') {
        const eligible = leadEligibility(hub.governance, p);
        if (!eligible.allowed) throw new Conflict(eligible.reason, { rule: 'lead-eligibility' });
      }
      // one who joined by themself at a lower level since is raised to the level offered (their joining
      // left it open); one at it or above has their place already (a lead's change, a removal or
      // leaving since closes the invitation, so such a one was sent before that rule): an old offer
      // never overrides it
      const current = await trx
        .selectFrom('group_members')
        .select('level')
        .where('group_id', '=', g.id)
        .where('person_id', '=', p.id)
        .executeTakeFirst();
      if (current && !levelAbove(r.level, current.level))
        throw new Conflict(
          `You are in ${g.name} already, as ${withArticle(levelName(hub.governance, current.level))}: an invitation brings in someone not in the group; ask its leads to set your level`,
          { rule: 'already-member' },
        );
      // an open request of theirs to become a member is answered by whoever invited them
      await setLevelIn(trx, hub, actor, g, r.handle, r.level, { requestAnsweredBy: r.invited_by_id });
    }
    const kind =
      action === 'accept'
        ? 'group.invitation-accepted'
        : action === 'decline'
          ? 'group.invitation-declined'
          : 'group.invitation-withdrawn';
    await record(trx, hub, actor, kind, { type: 'group', id: r.slug }, null, facts);
    // the invitee's unread notice still said "accept or decline it" once they had: it says what they did
    if (action !== 'withdraw' && actor.kind === 'person' && actor.person.id === r.person_id)
      await restateNotice(
        trx,
        hub,
        g,
        r,
        'you declined it',
        now,
        action === 'accept'
          ? `You accepted the invitation to ${g.name}: you are in it as ${withArticle(levelName(hub.governance, r.level))}`
          : `You declined the invitation to ${g.name} (as ${withArticle(levelName(hub.governance, r.level))})`,
      );
    return (await viewsOf(trx, hub, actor, [await invitationById(trx, id)]))[0]!;
  });
}

/**
 * The person invited accepts: they are in the group at the level offered. `slug`, when the address
 * names a group (a web form's), must be the invitation's: another group's is not found there.
 */
export function acceptInvitation(hub: Hub, actor: Actor, id: string, slug?: string): Promise<InvitationView> {
  return answer(hub, actor, id, 'accept', slug);
}

/** The person invited declines: nothing changes in the group; whoever invited them is told. `slug` as for accepting. */
export function declineInvitation(hub: Hub, actor: Actor, id: string, slug?: string): Promise<InvitationView> {
  return answer(hub, actor, id, 'decline', slug);
}

/** One who may set the group's levels withdraws an open invitation; the person is told. */
export function withdrawInvitation(hub: Hub, actor: Actor, slug: string, id: string): Promise<InvitationView> {
  return answer(hub, actor, id, 'withdraw', slug);
}
