import { type Kysely, sql } from 'kysely';

// Migration 343 added `membership_ended_at` and left it null on every row, so the answers (responses
// and votes) of people who had already left a group before the upgrade kept counting: a block of
// someone gone still stood on an open decision. This marks them as leaving now marks them
// (endAnswersInGroup): on decisions not recorded closed, an answer whose author is no longer a member
// of the decision's group stops counting from when their membership ended after it, the first
// group.member-left or group.member-removed event of theirs for that group after the answer (the one
// endAnswersInGroup would have marked it at; a later leave never moves it), else from now.
// An advisory answer (not eligible when given) with no such event is left alone: its author may never
// have been in the group, and it stays shown as advisory rather than as of someone who left.
export async function up(db: Kysely<any>): Promise<void> {
  const now = new Date().toISOString();
  const leaves = await db
    .selectFrom('events')
    .select(['at', 'subject_id', 'before'])
    .where('kind', 'in', ['group.member-left', 'group.member-removed'])
    .where('subject_type', '=', 'group')
    .execute();
  const leftAt = new Map<string, string[]>();
  for (const e of leaves) {
    let handle: unknown;
    try {
      handle = (typeof e.before === 'string' ? JSON.parse(e.before) : e.before)?.handle;
    } catch {
      continue;
    }
    if (typeof handle !== 'string') continue;
    const key = `${e.subject_id}\n${handle}`;
    leftAt.set(key, [...(leftAt.get(key) ?? []), String(e.at)]);
  }
  for (const table of ['decision_responses', 'decision_votes'] as const) {
    const rows = await db
      .selectFrom(`${table} as a`)
      .innerJoin('decisions as d', 'd.id', 'a.decision_id')
      .innerJoin('groups as g', 'g.id', 'd.group_id')
      .innerJoin('people as p', 'p.id', 'a.person_id')
      .leftJoin('group_members as m', (j) =>
        j.onRef('m.group_id', '=', 'd.group_id').onRef('m.person_id', '=', 'a.person_id'),
      )
      .select(['a.id as id', 'a.at as at', 'a.eligible as eligible', 'g.slug as slug', 'p.handle as handle'])
      .where('a.membership_ended_at', 'is', null)
      .where('m.person_id', 'is', null)
      .where(sql<boolean>`(d.recorded_state is null or d.recorded_state not like 'closed:%')`)
      .execute();
    for (const r of rows) {
      const after = (leftAt.get(`${r.slug}\n${r.handle}`) ?? []).filter((at) => at > String(r.at)).sort();
      const ended = after[0] ?? (Number(r.eligible) === 1 ? now : null);
      if (ended === null) continue;
      await db.updateTable(table).set({ membership_ended_at: ended }).where('id', '=', r.id).execute();
    }
  }
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
