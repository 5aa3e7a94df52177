import type { Kysely } from 'kysely';

// A proposal's view names the decisions open on it, read again on every read of the proposal (their
// phase moves with the clock), and the decisions list filters by subject: both look decisions up by
// what they are about, which only the group's index (group_id, deadline) served, by reading them all.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('decisions_subject').on('decisions').columns(['subject_ref', 'subject_type']).execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
