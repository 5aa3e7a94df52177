import type { Kysely } from 'kysely';

// Each chat post (one queued notice for one webhook, keyed by its job's id, which is also the
// X-Wghub-Delivery and Idempotency-Key it is posted under) claimed before it is posted: who claims
// it, until when, and when the chat service took it. A job is delivered at least once (a worker that
// loses its lease, or dies after posting, leaves it to another): a second worker now finds the post
// recorded sent and posts nothing, or finds it claimed by a worker still posting and waits for the
// claim to end instead of posting beside it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('chat_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('webhook_id', 'text', (c) => c.notNull())
    .addColumn('claimed_by', 'text', (c) => c.notNull())
    .addColumn('claimed_until', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
