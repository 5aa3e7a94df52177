import type { Kysely } from 'kysely';

// Whether a person's address on record was set by that person themselves (1) or by a moderator, an
// import or the operator (0). A self-set address proves nothing about its owner, so an identity
// provider's verified address links only to one that someone else recorded. Addresses already on
// record keep counting (0): before this, only moderators and imports set addresses in practice.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('people')
    .addColumn('email_set_by_self', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
