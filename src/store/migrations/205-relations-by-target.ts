import type { Kysely } from 'kysely';

// Prior work reads the relations pointing at its draft and at its candidates (to_id) on every
// check, as the author types; the unique key (from_id, kind, to_id) serves only the other side.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('proposal_relations_to').on('proposal_relations').columns(['to_id', 'status']).execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
