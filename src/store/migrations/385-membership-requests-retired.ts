import { type Kysely, sql } from 'kysely';

// Retiring a group declines its open requests to become a member (app/groups/groups.ts
// declineOpenRequests). Such a decline is the retirement's, not the leads': should the group come
// back (a governance file may allow moving out of retired), its askers may ask again at once rather
// than wait membership.askAgainDays after a decline nobody made of them. 1 marks those rows; rows
// declined so before this migration are found by the reason retiring wrote ("<group> was retired by …").
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('membership_requests')
    .addColumn('declined_by_retirement', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db
    .updateTable('membership_requests')
    .set({ declined_by_retirement: 1 })
    .where('answer', '=', 'declined')
    // compared as a prefix, not by LIKE: a group name holding % or _ would match other reasons
    // (and LIKE ignores case on SQLite); ' was retired by ' is 16 characters
    .where(
      sql<boolean>`exists (select 1 from groups g where g.id = membership_requests.group_id and substr(membership_requests.answer_reason, 1, length(g.name) + 16) = g.name || ' was retired by ')`,
    )
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
