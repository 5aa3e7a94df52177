import type { Kysely } from 'kysely';

// Quorum is a share of the members active when the vote opened. Counting them again on every read
// let a closed outcome change when people joined later; the count is now kept once votes start.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('decisions').addColumn('electorate', 'integer').execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
