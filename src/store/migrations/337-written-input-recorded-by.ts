import type { Kysely } from 'kysely';

// Written input a member sent another way (by mail, say) and a facilitator entered for them: the
// input stays the sender's (author_id), and who entered it is kept beside it, so the meeting page
// says "recorded by … for them" and nobody's words appear under their name unexplained. Null for
// input its sender sent themselves (every row before this).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('meeting_written_inputs').addColumn('recorded_by', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
