import { type Kysely, sql } from 'kysely';

// The hub deletes its finished working rows once they are past their retention (app/operations/
// retention.ts), a batch at a time: each batch finds the oldest finished rows through these indexes
// instead of reading the whole queue. Partial on the jobs (both databases support it), so the work
// still to do, most of what workers read, adds nothing to them. Built in the migration's transaction,
// which holds back writes to the jobs table meanwhile: on a large queue an operator may build them first
// (on PostgreSQL `create index concurrently`, docs/operations.md "Upgrade"), so each is made only if missing.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('jobs_done_at')
    .ifNotExists()
    .on('jobs')
    .column('done_at')
    .where(sql.ref('done_at'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('jobs_failed_at')
    .ifNotExists()
    .on('jobs')
    .column('failed_at')
    .where(sql.ref('failed_at'), 'is not', null)
    .execute();
  await db.schema.createIndex('digest_sends_period').ifNotExists().on('digest_sends').column('period').execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
