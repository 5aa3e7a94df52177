import { sql, type Kysely } from 'kysely';

// Whether a person's address on record was set by that person themselves (1) or by a moderator, an
// import or the operator (0). A self-set address proves nothing about its owner, so an identity
// provider's verified address links only to one that someone else recorded. An address already on
// record counts as self-set when its holder ever edited their own record (the log does not show
// which field: `PATCH /api/people/{handle}` could set it), so an address typed before this
// migration cannot link another's sign-in either; a moderator may record it again to vouch for it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('people')
    .addColumn('email_set_by_self', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`
    UPDATE people SET email_set_by_self = 1
    WHERE email IS NOT NULL AND EXISTS (
      SELECT 1 FROM events e
      WHERE e.subject_type = 'person' AND e.subject_id = people.handle
        AND e.kind = 'person.updated' AND e.actor = people.handle
    )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
