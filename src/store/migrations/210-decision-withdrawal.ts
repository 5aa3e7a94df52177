import type { Kysely } from 'kysely';

// A decision opened by mistake (a duplicate, a wrong question) is withdrawn by whoever opened it or a
// lead of its group, with a reason: when, by whom (a handle, or 'operator') and why. Null while it stands.
export async function up(db: Kysely<any>): Promise<void> {
  // one column per statement: SQLite adds a single column at a time
  await db.schema.alterTable('decisions').addColumn('withdrawn_at', 'text').execute();
  await db.schema.alterTable('decisions').addColumn('withdrawn_by', 'text').execute();
  await db.schema.alterTable('decisions').addColumn('withdrawn_reason', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
