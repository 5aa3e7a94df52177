// Leaving a group: the membership ends, and so does facilitating its topic areas. The group's
// only lead cannot leave it leaderless (the policy says so); what they wrote stays. An open request
// to become a member is withdrawn.
import { authorizeAsPerson } from '../core/gate.ts';
import { inTransaction, record, type Actor, type Hub } from '../core/hub.ts';
import { groupCan } from './group-can.ts';
import { groupRow, membersOf, type MemberView } from './groups.ts';
import { settleOpenRequest } from './membership-request-reads.ts';

export async function leaveGroup(hub: Hub, actor: Actor, slug: string): Promise<MemberView[]> {
  return inTransaction(hub, async (trx) => {
    const g = await groupRow(trx, slug);
    const me = authorizeAsPerson(await groupCan(trx, hub, actor, g), 'leave', actor);
    const row = await trx
      .selectFrom('group_members')
      .select(['level'])
      .where('group_id', '=', g.id)
      .where('person_id', '=', me.person.id)
      .executeTakeFirstOrThrow();
    const topics = await trx
      .selectFrom('topic_facilitators as f')
      .innerJoin('topic_areas as t', 't.id', 'f.topic_area_id')
      .select(['t.id', 't.slug'])
      .where('t.group_id', '=', g.id)
      .where('f.person_id', '=', me.person.id)
      .execute();
    if (topics.length)
      await trx
        .deleteFrom('topic_facilitators')
        .where('person_id', '=', me.person.id)
        .where(
          'topic_area_id',
          'in',
          topics.map((t) => t.id),
        )
        .execute();
    await trx.deleteFrom('group_members').where('group_id', '=', g.id).where('person_id', '=', me.person.id).execute();
    // leaving says they no longer want in: a request to become a member, still open, is withdrawn with it
    // and the leads are told as of any withdrawal, so their "asks to become a member" notice does not stand
    if (await settleOpenRequest(trx, hub, g.id, me.person.id, 'withdrawn', me.person.id))
      await record(trx, hub, actor, 'group.membership-withdrawn', { type: 'group', id: slug }, null, {
        handle: me.person.handle,
      });
    await record(
      trx,
      hub,
      actor,
      'group.member-left',
      { type: 'group', id: slug },
      { handle: me.person.handle, level: row.level, facilitated: topics.map((t) => t.slug) },
      null,
    );
    return membersOf(trx, hub, g.id);
  });
}
