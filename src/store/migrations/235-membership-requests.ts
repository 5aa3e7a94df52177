import { type Kysely, sql } from 'kysely';

// A signed-in person asks a group's leads to become a member (app/groups/membership-requests.ts):
// joining as an observer or participant is open to anyone, as the guide's open membership says;
// the member level, whose answers count in decisions, is granted. One open request per person and
// group; the answer (accepted or declined, with a reason) stays on the row.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('membership_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('answer', 'text')
    .addColumn('answer_reason', 'text')
    .addColumn('answered_by', 'text', (c) => c.references('people.id'))
    .addColumn('answered_at', 'text')
    .execute();
  await db.schema
    .createIndex('membership_requests_open')
    .on('membership_requests')
    .columns(['group_id', 'answered_at', 'person_id'])
    .execute();
  // one open request per person and group, even when two tabs send it at once
  await db.schema
    .createIndex('membership_requests_one_open')
    .unique()
    .on('membership_requests')
    .columns(['group_id', 'person_id'])
    .where(sql.ref('answered_at'), 'is', null)
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
