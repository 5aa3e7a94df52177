import type { Kysely } from 'kysely';

// A meeting's note-taker: who owes its notes. Set when it is scheduled or later; told with the
// group's leads when the notes are overdue (issue 15: "notes overdue (to the note-taker and leads)").
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('meetings')
    .addColumn('note_taker_id', 'text', (c) => c.references('people.id'))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
