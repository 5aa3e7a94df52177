import type { Kysely } from 'kysely';

// Written input may be changed or withdrawn by its sender until the meeting starts
// (app/meetings/written-input-edits.ts): each input carries its own version, so an edit from an
// older read is refused (409) rather than overwrite the newer text, and when it was last changed,
// so the agenda can say "edited". Inputs stored before start at version 1, never edited.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('meeting_written_inputs')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable('meeting_written_inputs').addColumn('edited_at', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
