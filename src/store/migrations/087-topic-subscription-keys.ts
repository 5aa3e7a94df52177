import type { Kysely } from 'kysely';

// Topic-area subscriptions were keyed by the area's short name, which repeats across groups (two
// groups may each have "auth"): watching one watched both. They are now keyed GROUP/TOPIC. A
// short name only one group has moves to that group's area; one several groups have moves to the
// areas in the groups the person belongs to (one choice, if only one fits), and otherwise to
// every such area, which is what the row did until now.
export async function up(db: Kysely<any>): Promise<void> {
  const rows = await db
    .selectFrom('notification_subscriptions')
    .selectAll()
    .where('subject_type', '=', 'topic')
    .where('subject_ref', 'not like', '%/%')
    .execute();
  for (const r of rows) {
    const areas: { group: string; group_id: string }[] = await db
      .selectFrom('topic_areas')
      .innerJoin('groups', 'groups.id', 'topic_areas.group_id')
      .select(['groups.slug as group', 'groups.id as group_id'])
      .where('topic_areas.slug', '=', r.subject_ref)
      .execute();
    let targets = areas;
    if (areas.length > 1) {
      const mine = await db
        .selectFrom('group_members')
        .select('group_id')
        .where('person_id', '=', r.person_id)
        .where(
          'group_id',
          'in',
          areas.map((a) => a.group_id),
        )
        .execute();
      const ids = new Set(mine.map((m: { group_id: string }) => m.group_id));
      if (ids.size) targets = areas.filter((a) => ids.has(a.group_id));
    }
    for (const t of targets)
      await db
        .insertInto('notification_subscriptions')
        .values({ ...r, subject_ref: `${t.group}/${r.subject_ref}` })
        .onConflict((oc: any) => oc.columns(['person_id', 'subject_type', 'subject_ref']).doNothing())
        .execute();
    await db
      .deleteFrom('notification_subscriptions')
      .where('person_id', '=', r.person_id)
      .where('subject_type', '=', 'topic')
      .where('subject_ref', '=', r.subject_ref)
      .execute();
  }
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
