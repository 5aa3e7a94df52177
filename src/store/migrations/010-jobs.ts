import type { Kysely } from 'kysely';

// The durable queue: work that must happen after a write (notifications, GitHub write-back,
// timers) is a row written in the same transaction as the write, then done by a worker with
// retries. A unique key makes enqueueing idempotent (a timer slot, a delivery id).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.unique())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('run_at', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .addColumn('failed_at', 'text')
    .execute();
  // Workers look for due, unfinished jobs of their queues, oldest first.
  await db.schema.createIndex('jobs_due').on('jobs').columns(['queue', 'done_at', 'failed_at', 'run_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('jobs').execute();
}
