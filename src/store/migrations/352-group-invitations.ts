import { type Kysely, sql } from 'kysely';

// A lead setting a level for someone not in the group invites them (app/groups/invitations.ts): the
// guide's working groups have open membership, people come in themselves, so nobody is placed in a
// group by another's act. The row holds the level offered, who offered it (null: the hub's operator),
// when, the lead's message and until when it may be accepted; its answer (accepted, declined,
// withdrawn by a lead, or expired, written when someone is invited again after it ran out) stays on it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('group_invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('invited_by', 'text', (c) => c.references('people.id'))
    .addColumn('invited_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('answer', 'text')
    .addColumn('answered_by', 'text', (c) => c.references('people.id'))
    .addColumn('answered_at', 'text')
    .execute();
  await db.schema
    .createIndex('group_invitations_person')
    .on('group_invitations')
    .columns(['person_id', 'answered_at'])
    .execute();
  // one open invitation per person and group, even when two leads send one at once
  await db.schema
    .createIndex('group_invitations_one_open')
    .unique()
    .on('group_invitations')
    .columns(['group_id', 'person_id'])
    .where(sql.ref('answered_at'), 'is', null)
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
