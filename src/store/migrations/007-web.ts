import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Browser sessions: the cookie holds a random secret, the table only its hash (like API tokens).
  await db.schema
    .createTable('web_sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .execute();
  await db.schema.createIndex('web_sessions_person').on('web_sessions').columns(['person_id', 'created_at']).execute();

  // Who an identity provider's account is here: (issuer, subject) → person, linked at first sign-in.
  await db.schema
    .createTable('person_identities')
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('linked_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('person_identities_pk', ['issuer', 'subject'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
