import { sql, type Kysely } from 'kysely';

// Hardening: gap-free numbers without a race (one counter row per kind, bumped inside the
// creating transaction), how long each evidence probe took, the e-mail address a person has on
// record (an identity provider's verified address may link to it), and one-time claim codes for
// people who were imported before they ever signed in.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('number_counters')
    .addColumn('kind', 'text', (c) => c.primaryKey())
    .addColumn('value', 'integer', (c) => c.notNull())
    .execute();
  for (const table of ['proposals', 'decisions', 'meetings']) {
    await sql`insert into number_counters (kind, value)
      select ${table}, coalesce(max(number), 0) from ${sql.table(table)}`.execute(db);
  }

  await db.schema.alterTable('evidence_checks').addColumn('duration_ms', 'integer').execute();

  await db.schema.alterTable('people').addColumn('email', 'text').execute();

  await db.schema
    .createTable('person_claims')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
