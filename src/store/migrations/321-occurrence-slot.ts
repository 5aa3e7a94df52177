import { sql, type Kysely } from 'kysely';

// One meeting of a series given its own record (an occurrence, `series_id`) may be moved to another
// time, as one meeting of a rhythm is moved for a holiday. It still stands for the start of the series
// it was opened at (RFC 5545's RECURRENCE-ID): its id `M-1@<that start>` keeps finding it, the series
// no longer lists a meeting there, and a calendar writes it as that start moved. `series_start` keeps
// that start; occurrences stored before were never moved, so theirs is their own start.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('meetings').addColumn('series_start', 'text').execute();
  await sql`update meetings set series_start = starts_at where series_id is not null`.execute(db);
  await db.schema.createIndex('meetings_series_start').on('meetings').columns(['series_id', 'series_start']).execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
