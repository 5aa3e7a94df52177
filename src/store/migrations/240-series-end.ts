import type { Kysely } from 'kysely';

// A series that has begun can be ended from a date, with a reason (app/meetings/series-end.ts):
// the first day it no longer meets and why, shown on the series page. Its rule then stops at the
// last meeting kept, so every reader of the rule (upcoming, held, calendars) agrees by itself.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('meetings').addColumn('series_ended_from', 'text').execute();
  await db.schema.alterTable('meetings').addColumn('series_end_reason', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
