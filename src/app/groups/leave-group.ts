// Leaving a group: the membership ends, and so does facilitating its topic areas. The group's
// only lead cannot leave it leaderless (the policy says so); what they wrote stays. An open request
// to become a member is withdrawn. The person's subscriptions to the group and its topic areas
// (watching, normal or muted) end with it: a watcher stops hearing the group's news, and one who
// joins again starts from the defaults, as a member (a group muted before leaving does not silence
// their decisions after coming back). Their choices on single proposals and decisions stay: each
// was made for that one item, and anyone may follow an item of a group they are not in.
import { authorizeAsPerson } from '../core/gate.ts';
import { inTransaction, record, type Actor, type Hub, nowIso } from '../core/hub.ts';
import { groupCan } from './group-can.ts';
import { groupRow, membersOf, type MemberView } from './groups.ts';
import { settleOpenRequest } from './membership-request-reads.ts';
import { topicsFacilitatedIn } from './topic-areas.ts';

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
    const topics = await topicsFacilitatedIn(trx, g.id, me.person.id);
    if (topics.length) {
      await trx
        .deleteFrom('topic_facilitators')
        .where('person_id', '=', me.person.id)
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
    await trx.deleteFrom('group_members').where('group_id', '=', g.id).where('person_id', '=', me.person.id).execute();
    const areas = (await trx.selectFrom('topic_areas').select('slug').where('group_id', '=', g.id).execute()).map(
      (t) => `${g.slug}/${t.slug}`,
    );
    const ended = await trx
      .deleteFrom('notification_subscriptions')
      .where('person_id', '=', me.person.id)
      .where((eb) =>
        eb.or([
          eb.and([eb('subject_type', '=', 'group'), eb('subject_ref', '=', g.slug)]),
          ...(areas.length ? [eb.and([eb('subject_type', '=', 'topic'), eb('subject_ref', 'in', areas)])] : []),
        ]),
      )
      .returning(['subject_type', 'subject_ref', 'level'])
      .execute();
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
      {
        handle: me.person.handle,
        level: row.level,
        facilitated: topics.map((t) => t.slug),
        // what they had chosen to hear of the group, ended with the membership
        subscriptions: ended.map((e) => `${e.subject_type} ${e.subject_ref}: ${e.level}`),
      },
      null,
    );
    return membersOf(trx, hub, g.id);
  });
}
