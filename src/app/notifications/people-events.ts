// Notices about what others did to a person or their group: their level in a group or their
// community role set, their removal from a group, their comment hidden or locked by a moderator (with the reason) or shown
// again, and a group sponsored. Kept apart from
// recipients.ts so the kinds about proposals, decisions and meetings read on their own.
import { onWallClock } from '../../domain/notifications/timing.ts';
import { namesOf } from '../people/names.ts';
import { nameWithHandle } from '../../domain/people.ts';
import { COMMUNITY_ROLES } from '../../domain/community.ts';
import { invitationEndedTitle } from '../../domain/groups.ts';
import type { NotificationKind } from '../../domain/notifications/kinds.ts';
import { answersForLeaderless } from '../../domain/policies/index.ts';
import type { Hub, RecordedEvent, Tx } from '../core/hub.ts';
import { latestDecline } from '../groups/membership-request-reads.ts';
import { activeLeadIds } from '../groups/standing.ts';
import { memberIds } from './audience.ts';
import { levelName, roleName, withArticle } from '../../domain/governance/words.ts';

type Candidate = { personId: string; kind: NotificationKind; reason: string; direct: boolean };
export type PeoplePlan = { title: string; groupId: string | null; candidates: Candidate[] } | null;

export const PEOPLE_EVENTS = new Set([
  'group.member-level-set',
  'group.member-removed',
  'group.membership-requested',
  'group.membership-withdrawn',
  'group.membership-answered',
  'group.member-invited',
  'group.invitation-accepted',
  'group.invitation-declined',
  'group.invitation-withdrawn',
  'group.invitation-ended',
  'group.sponsored',
  'person.role-changed',
  'topic-area.created',
  'topic-area.updated',
  'proposal.comment-hidden',
  'proposal.comment-locked',
  'proposal.comment-shown',
]);

const INVITATION_EVENTS = new Set([
  'group.member-invited',
  'group.invitation-accepted',
  'group.invitation-declined',
  'group.invitation-withdrawn',
  'group.invitation-ended',
]);

async function personId(trx: Tx, handle: unknown): Promise<string | null> {
  if (typeof handle !== 'string' || !handle) return null;
  const row = await trx
    .selectFrom('people')
    .select('id')
    .where((eb) => eb.fn('lower', ['handle']), '=', handle.toLowerCase())
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * Who hears of a request to become a member of a group: its active leads, who answer it; a group
 * whose leads all left or lapsed has nobody in it to answer, so those whose role answers for such a
 * group hear instead (the governance file's group.setMemberLevel roles: core and lead maintainers).
 */
async function answerers(trx: Tx, hub: Hub, groupId: string): Promise<Candidate[]> {
  const leads = await activeLeadIds(trx, hub, groupId);
  if (leads.length)
    return leads.map((personId) => ({ personId, kind: 'membership-request', reason: 'lead', direct: true }));
  const roles = COMMUNITY_ROLES.filter((r) => answersForLeaderless(hub.governance, r));
  if (!roles.length) return [];
  const people = await trx.selectFrom('people').select('id').where('role', 'in', roles).limit(500).execute();
  return people.map((p) => ({
    personId: p.id,
    kind: 'membership-request',
    reason: 'answers-leaderless',
    direct: true,
  }));
}

export async function peoplePlan(trx: Tx, hub: Hub, e: RecordedEvent, ref: string): Promise<PeoplePlan> {
  const after = e.after ?? {};
  const before = e.before;
  // set-up by the hub itself (an import, the demo, an operator's script) tells nobody; an answer to a
  // request to become a member is no set-up: the person asked, and hears whoever answered it
  // an invitation is no set-up either: the person hears of it whoever sent it, as nothing happens without them
  if (e.actor.kind !== 'person' && e.kind !== 'group.membership-answered' && !INVITATION_EVENTS.has(e.kind))
    return null;
  // who did it, by name with the handle beside it, as the pages name people
  const by =
    e.actor.kind === 'person' ? nameWithHandle(e.actor.person.handle, e.actor.person.name) : "the hub's operator";
  if (e.kind === 'person.role-changed') {
    // the person whose role someone else set hears it (the role decides what they may do hub-wide)
    const who = await personId(trx, ref);
    if (!who || (e.actor.kind === 'person' && e.actor.person.id === who)) return null;
    // a form saved with the role it showed changes nothing: nothing to tell
    if (before?.role === after.role) return null;
    const role = (r: unknown) => roleName(hub.governance, String(r));
    const was = before?.role ? ` (was ${role(before.role)})` : '';
    return {
      title: `Your community role is now ${role(after.role)}${was}, set by ${by}`,
      groupId: null,
      candidates: [{ personId: who, kind: 'level-changed', reason: 'you', direct: true }],
    };
  }
  if (e.kind === 'topic-area.created' || e.kind === 'topic-area.updated') {
    // a person named to facilitate a topic area hears it, with where it is: one newly named found
    // out only by chance, on the group's page
    const handles = (v: unknown): string[] =>
      Array.isArray(v) ? v.map((f) => (f as { handle?: unknown }).handle).filter((h) => typeof h === 'string') : [];
    const was = new Set(handles(before?.facilitators));
    const named = handles(after.facilitators).filter((h) => !was.has(h));
    if (!named.length) return null;
    const [groupSlug] = ref.split('/');
    const g = await trx.selectFrom('groups').select(['id', 'name']).where('slug', '=', groupSlug!).executeTakeFirst();
    if (!g) return null;
    const ids = (await Promise.all(named.map((h) => personId(trx, h)))).filter(
      (id): id is string => id !== null && !(e.actor.kind === 'person' && e.actor.person.id === id),
    );
    if (!ids.length) return null;
    return {
      title: `You now facilitate ${String(after.name)}, a topic area of ${g.name}, named by ${by}: you run its meetings as a lead does`,
      groupId: g.id,
      candidates: ids.map((personId) => ({ personId, kind: 'level-changed' as const, reason: 'you', direct: true })),
    };
  }
  if (e.kind.startsWith('group.')) {
    // the level a request asks for, by the community's name for it ("voting member")
    const member = levelName(hub.governance, 'member');
    const g = await trx.selectFrom('groups').select(['id', 'name']).where('slug', '=', ref).executeTakeFirst();
    if (!g) return null;
    // a request to become a member waits on the group's leads, who hear too when its asker takes it
    // back; a declined one is told to whoever asked (an accepted one is told as the level it set)
    if (e.kind === 'group.membership-requested' || e.kind === 'group.membership-withdrawn') {
      return {
        title:
          e.kind === 'group.membership-requested'
            ? `${by} asks to become ${withArticle(member)} of ${g.name}`
            : `${by} withdrew their request to become ${withArticle(member)} of ${g.name}`,
        groupId: g.id,
        candidates: await answerers(trx, hub, g.id),
      };
    }
    if (e.kind === 'group.membership-answered') {
      const asker = await personId(trx, after.handle);
      if (!asker) return null;
      const told = (title: string): PeoplePlan => ({
        title,
        groupId: g.id,
        candidates: [{ personId: asker, kind: 'membership-request', reason: 'you', direct: true }],
      });
      // a lead's acceptance is told as the level it set; the operator's sets it as set-up does, silently
      if (after.answer === 'accepted')
        return e.actor.kind === 'person'
          ? null
          : told(
              `Your request to become ${withArticle(member)} of ${g.name} was accepted by ${by}: you are ${withArticle(member)} now`,
            );
      // the reason is on the request (the public log does not carry it): told to the asker alone
      const answered = await latestDecline(trx, g.id, asker);
      const why = answered?.answer_reason ? `: ${answered.answer_reason}` : '';
      return told(`Your request to become ${withArticle(member)} of ${g.name} was declined by ${by}${why}`);
    }
    if (INVITATION_EVENTS.has(e.kind)) {
      const offered = withArticle(levelName(hub.governance, String(after.level)));
      // one that ended as the person's place changed (they left, a lead set their level…): both hear it
      // no longer stands, and why (the person's unread notice of it says so already: closeOpenInvitations)
      if (e.kind === 'group.invitation-ended') {
        const handle = String(after.handle);
        const invitee = await personId(trx, handle);
        const inviter = await personId(trx, after.invitedBy);
        const names = await namesOf(trx, [handle]);
        return {
          title: invitationEndedTitle(
            hub.governance,
            { handle, name: names[handle] ?? handle },
            g.name,
            String(after.level),
            String(after.why),
          ),
          groupId: g.id,
          candidates: [
            ...(invitee ? [{ personId: invitee, kind: 'invitation' as const, reason: 'you', direct: true }] : []),
            ...(inviter ? [{ personId: inviter, kind: 'invitation' as const, reason: 'inviter', direct: true }] : []),
          ],
        };
      }
      // the person invited hears of the invitation and of its withdrawal; whoever invited, of the answer
      if (e.kind === 'group.member-invited' || e.kind === 'group.invitation-withdrawn') {
        const invitee = await personId(trx, after.handle);
        if (!invitee) return null;
        // it runs out at a time of day: said in the person's own time zone, named, as pages say a moment
        // ("Tue 8 Dec 2026, 02:53 (Europe/London)", not "Tue 2026-12-08 02:53 GMT")
        const zone =
          (await trx.selectFrom('people').select('time_zone').where('id', '=', invitee).executeTakeFirst())
            ?.time_zone ?? 'UTC';
        return {
          title:
            e.kind === 'group.member-invited'
              ? `${by} invites you to ${g.name} as ${offered}, until ${onWallClock(String(after.expiresAt), zone)}: accept or decline it on the group's page or your home page`
              : `Your invitation to ${g.name} (as ${offered}) was withdrawn by ${by}`,
          groupId: g.id,
          candidates: [{ personId: invitee, kind: 'invitation', reason: 'you', direct: true }],
        };
      }
      const inviter = await personId(trx, after.invitedBy);
      if (!inviter) return null;
      return {
        title:
          e.kind === 'group.invitation-accepted'
            ? `${by} accepted your invitation to ${g.name}: they are ${offered} now`
            : `${by} declined your invitation to ${g.name} (as ${offered})`,
        groupId: g.id,
        candidates: [{ personId: inviter, kind: 'invitation', reason: 'inviter', direct: true }],
      };
    }
    if (e.kind === 'group.sponsored') {
      const sponsor = String(after.sponsor);
      return {
        title: `${g.name} is sponsored by ${nameWithHandle(sponsor, (await namesOf(trx, [sponsor]))[sponsor], '@handle')}`,
        groupId: g.id,
        candidates: (await memberIds(trx, g.id)).map((personId) => ({
          personId,
          kind: 'group-sponsorship',
          reason: 'member',
          direct: false,
        })),
      };
    }
    const level = (l: unknown) => levelName(hub.governance, String(l));
    // one removed from the group by a lead hears who did it, and what they were in it
    if (e.kind === 'group.member-removed') {
      const gone = await personId(trx, before?.handle);
      if (!gone) return null;
      return {
        title: `You are no longer in ${g.name} (you were ${withArticle(level(before?.level))}): removed by ${by}`,
        groupId: g.id,
        candidates: [{ personId: gone, kind: 'level-changed', reason: 'you', direct: true }],
      };
    }
    const who = await personId(trx, after.handle);
    // one who set their own level (accepting an invitation) is not told of their own act
    if (!who || (e.actor.kind === 'person' && e.actor.person.id === who)) return null;
    const was = before?.level ? ` (was ${level(before.level)})` : '';
    return {
      title: `Your level in ${g.name} is now ${level(after.level)}${was}, set by ${by}`,
      groupId: g.id,
      candidates: [{ personId: who, kind: 'level-changed', reason: 'you', direct: true }],
    };
  }
  // a comment hidden or locked: its author is told by whom and why
  const author = await personId(trx, after.author);
  if (!author) return null;
  const p = await trx
    .selectFrom('proposals')
    .select('group_id')
    .where((eb) =>
      /^SEP-\d+$/i.test(ref) ? eb('sep_number', '=', Number(ref.slice(4))) : eb('number', '=', Number(ref.slice(2))),
    )
    .executeTakeFirst();
  const reason = typeof after.reason === 'string' && after.reason ? `: ${after.reason}` : '';
  // a hidden comment shown again: its author, who was told it was hidden, is told it is back
  if (e.kind === 'proposal.comment-shown')
    return {
      title: `Your comment on ${ref} was shown again by ${by}${reason}`,
      groupId: p?.group_id ?? null,
      candidates: [{ personId: author, kind: 'comment-restored', reason: 'author', direct: true }],
    };
  const what = e.kind === 'proposal.comment-hidden' ? 'hidden' : 'locked';
  return {
    title: `Your comment on ${ref} was ${what} by ${by}${reason}`,
    groupId: p?.group_id ?? null,
    candidates: [{ personId: author, kind: 'comment-moderated', reason: 'author', direct: true }],
  };
}
