import type { Kysely } from 'kysely';

// The last event of one kind about one subject (a proposal's last request for review, read on every
// comment and every view of it) walked every event of that subject on `events_subject`, newest first,
// looking for the kind: a cost that grew with the thread (0.44 ms a comment at 1,500 comments, and
// for a proposal never sent for review, all of them). With the kind in the index it is one look-up.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('events_subject_kind')
    .on('events')
    .columns(['subject_type', 'subject_id', 'kind', 'seq'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
