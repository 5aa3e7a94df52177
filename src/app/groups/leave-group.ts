// Leaving a group: the membership ends, and so does facilitating its topic areas. The group's
// only lead cannot leave it leaderless (the policy says so); what they wrote stays. An open request
// to become a member is withdrawn. The person's subscriptions to the group and its topic areas
// (watching, normal or muted) end with it: a watcher stops hearing the group's news, and one who
// joins again starts from the defaults, as a member (a group muted before leaving does not silence
// their decisions after coming back). Their choices on single proposals and decisions stay: each
// was made for that one item, and anyone may follow an item of a group they are not in.
//
// A lead removes someone from the group the same way (a handle mistyped when setting a level, someone
// who asked to be taken off): what ends with it is what ends when they leave, the same rule keeps the
// group from losing its only active lead, and the person is told who removed them.
import { sql } from 'kysely';
import { DomainError, Forbidden } from '../../domain/errors.ts';
import { printable } from '../../domain/text.ts';
import { authorize, authorizeAsPerson } from '../core/gate.ts';
import { holdRow } from '../core/hold.ts';
import { inTransaction, record, type Actor, type Hub, nowIso, type Tx } from '../core/hub.ts';
import { endAnswersInGroup, holdAnswersInGroup } from '../decisions/decisions.ts';
import { personRow } from '../people/people.ts';
import type { GroupsTable } from '../../store/schema.ts';
import { groupCan } from './group-can.ts';
import { answersLeavingEnds } from './leaving.ts';
import { groupRow, membersOf, type MemberView } from './groups.ts';
import { byWhom, closeOpenInvitations } from './invitations.ts';
import { settleOpenRequest } from './membership-request-reads.ts';
import { standingsIn } from './standing.ts';
import { topicsFacilitatedIn } from './topic-areas.ts';

export async function leaveGroup(hub: Hub, actor: Actor, slug: string): Promise<MemberView[]> {
  return inTransaction(hub, async (trx) => {
    const g = await groupRow(trx, slug);
    // held before the policy counts the leads: a lead leaving while another is removed each counted
    // the other, and the group was left with none
    await holdRow(trx, hub, 'groups', g.id);
    const me = authorizeAsPerson(await groupCan(trx, hub, actor, g), 'leave', actor);
    await endMembership(trx, hub, actor, g, me.person, 'group.member-left');
    return membersOf(trx, hub, g.id);
  });
}

/**
 * A lead (or whoever the governance file lets set members' levels) takes someone out of the group.
 * Removing oneself is leaving, recorded as such; the only active lead cannot be removed, as they
 * cannot step down or leave. The handle names the membership acted on, as the group's slug names the
 * group: nobody by that handle, or somebody not in the group, is not found (404 on REST's
 * `/members/{handle}`, exit 3 on the CLI, a not-found tool error on MCP) alike; the web's form, where
 * the handle is a field, says so beside the field (422).
 */
export async function removeMember(hub: Hub, actor: Actor, slug: string, handle: string): Promise<MemberView[]> {
  return inTransaction(hub, async (trx) => {
    const g = await groupRow(trx, slug);
    // held before the policy reads who may: two leads removing each other at once each counted the
    // other, and one removed a moment before still removed someone
    await holdRow(trx, hub, 'groups', g.id);
    authorize(await groupCan(trx, hub, actor, g), 'setMemberLevel');
    const p = await personRow(trx, handle);
    const standings = await standingsIn(trx, hub, g.id);
    const theirs = standings.find((s) => s.personId === p.id);
    if (!theirs) throw new NotAMember(p.handle, g.slug);
    if (theirs.activeLevel === 'lead' && !standings.some((s) => s.personId !== p.id && s.activeLevel === 'lead'))
      // a rule about the group as it stands, not a mistake in the handle: refused (403) as leaving is
      throw new Forbidden(`${p.handle} is the group's only active lead: make someone else a lead first`);
    const self = actor.kind === 'person' && actor.person.id === p.id;
    await endMembership(trx, hub, actor, g, p, self ? 'group.member-left' : 'group.member-removed');
    return membersOf(trx, hub, g.id);
  });
}

/** Someone who is a person here but not in the group: the membership named does not exist. */
export class NotAMember extends DomainError {
  constructor(handle: string, slug: string) {
    super('not_found', `${printable(handle)} is not in the group ${printable(slug)}`, {
      what: 'member',
      key: printable(handle),
    });
  }
}

/** Ends one person's membership of a group, with what hangs on it, and records it under `kind`. */
async function endMembership(
  trx: Tx,
  hub: Hub,
  actor: Actor,
  g: GroupsTable,
  person: { id: string; handle: string },
  kind: 'group.member-left' | 'group.member-removed',
): Promise<void> {
  const slug = g.slug;
  const row = await trx
    .selectFrom('group_members')
    .select(['level'])
    .where('group_id', '=', g.id)
    .where('person_id', '=', person.id)
    .executeTakeFirstOrThrow();
  // their answers to the group's open decisions count no more (shown, not counted): before the
  // membership row goes, holding the person's row as an answer in flight does. The event names those
  // whose count this changes, by the rule the page's "Leave" read beforehand (leaving.ts): an answer the
  // tally judged already (a response past the deadline, a vote past its close) is marked and keeps counting.
  await holdAnswersInGroup(trx, hub, g.id, person.id);
  const ending = await answersLeavingEnds(trx, hub, g.id, person.id);
  const marked = new Set(await endAnswersInGroup(trx, hub, g.id, person.id));
  const answersEnded = [...new Set(ending.map((a) => a.ref))].filter((ref) => marked.has(ref));
  const topics = await topicsFacilitatedIn(trx, g.id, person.id);
  if (topics.length) {
    await trx
      .deleteFrom('topic_facilitators')
      .where('person_id', '=', person.id)
      .where(
        'topic_area_id',
        'in',
        topics.map((t) => t.id),
      )
      .execute();
    // the topic area changed: a list of facilitators read before must not bring them back (409)
    await trx
      .updateTable('topic_areas')
      .set((eb) => ({ version: eb('version', '+', 1), updated_at: nowIso(hub) }))
      .where(
        'id',
        'in',
        topics.map((t) => t.id),
      )
      .execute();
  }
  await trx.deleteFrom('group_members').where('group_id', '=', g.id).where('person_id', '=', person.id).execute();
  // an invitation sent before they left or were removed no longer stands: accepting it would undo the removal
  await closeOpenInvitations(
    trx,
    hub,
    actor,
    g,
    person.id,
    'superseded',
    kind === 'group.member-left'
      ? `@${person.handle} left ${g.name}`
      : `@${person.handle} was removed from ${g.name} by ${byWhom(actor)}`,
  );
  // a note-taker must be an active member: the duty ends with the membership (the notes of a meeting
  // still owed fall to its organiser and the leads, as with no note-taker named) rather than staying
  // with someone no longer in the group, reminded of notes they may no longer publish
  const owed = trx
    .selectFrom('meetings')
    .select('id')
    .where('group_id', '=', g.id)
    .where('note_taker_id', '=', person.id)
    .where('notes_published_at', 'is', null)
    .where('cancelled_at', 'is', null);
  // on PostgreSQL the meetings are held first in the one order among a group's meetings (a series'
  // row before its meetings', then by id): the update alone held them in the table's order, a series'
  // own meeting before the series, while changing that meeting (or ending the series) held the series
  // and then the meeting, and each waited on the other (40P01, a 500)
  if (hub.store.kind === 'postgres')
    await owed
      .orderBy(sql`coalesce(series_id, id)`)
      .orderBy(sql`series_id is not null`)
      .orderBy('id')
      .forNoKeyUpdate()
      .execute();
  await trx
    .updateTable('meetings')
    .set((eb) => ({ note_taker_id: null, version: eb('version', '+', 1), updated_at: nowIso(hub) }))
    .where('group_id', '=', g.id)
    .where('note_taker_id', '=', person.id)
    .where('notes_published_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .execute();
  const areas = (await trx.selectFrom('topic_areas').select('slug').where('group_id', '=', g.id).execute()).map(
    (t) => `${g.slug}/${t.slug}`,
  );
  const ended = await trx
    .deleteFrom('notification_subscriptions')
    .where('person_id', '=', person.id)
    .where((eb) =>
      eb.or([
        eb.and([eb('subject_type', '=', 'group'), eb('subject_ref', '=', g.slug)]),
        ...(areas.length ? [eb.and([eb('subject_type', '=', 'topic'), eb('subject_ref', 'in', areas)])] : []),
      ]),
    )
    .returning(['subject_type', 'subject_ref', 'level'])
    .execute();
  // leaving says they no longer want in: a request to become a member, still open, is withdrawn with it
  // and the leads are told as of any withdrawal, so their "asks to become a member" notice does not stand;
  // one removed by a lead has it settled by that lead, the removal saying why
  const remover = kind === 'group.member-removed' && actor.kind === 'person' ? actor.person.id : person.id;
  if ((await settleOpenRequest(trx, hub, g.id, person.id, 'withdrawn', remover)) && kind === 'group.member-left')
    await record(trx, hub, actor, 'group.membership-withdrawn', { type: 'group', id: slug }, null, {
      handle: person.handle,
    });
  await record(
    trx,
    hub,
    actor,
    kind,
    { type: 'group', id: slug },
    {
      handle: person.handle,
      level: row.level,
      facilitated: topics.map((t) => t.slug),
      // what they had chosen to hear of the group, ended with the membership
      subscriptions: ended.map((e) => `${e.subject_type} ${e.subject_ref}: ${e.level}`),
      // the open decisions where an answer of theirs counted: it no longer does (leaving.ts, the same rule)
      ...(answersEnded.length ? { answersEnded } : {}),
    },
    null,
  );
}
