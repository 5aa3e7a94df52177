import type { Kysely } from 'kysely';

// Comment moderation: a moderator or group lead hides a comment (readers see that it was hidden
// and why; its text stays for moderators and in its history) or locks it (no edits, no replies),
// each with who, when and the reason. Null means not hidden / not locked.
export async function up(db: Kysely<any>): Promise<void> {
  for (const col of ['hidden_at', 'hidden_by', 'hidden_reason', 'locked_at', 'locked_by', 'locked_reason'])
    await db.schema.alterTable('comments').addColumn(col, 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
