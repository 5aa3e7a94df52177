import type { Kysely } from 'kysely';

// A proposal's page lists the meetings whose agenda takes it up (src/app/proposals/collaboration.ts),
// on every view by anyone: found by the agenda items that link it, an index on what an item links lets
// that read the few items that do, where it probed every meeting's items.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('meeting_agenda_items_link')
    .ifNotExists()
    .on('meeting_agenda_items')
    .columns(['link_type', 'link_ref'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
