import type { Kysely } from 'kysely';

// Deliveries to /github/webhooks refused for their signature (missing, or made with another
// secret) are not stored, but the operator must see that GitHub is being turned away: a wrong
// WGHUB_GITHUB_WEBHOOK_SECRET otherwise looks like GitHub sending nothing. One row per reason,
// how many and the last; each process writes it at most once a minute (app/github/webhooks.ts).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('github_webhook_refusals')
    .addColumn('reason', 'text', (c) => c.primaryKey())
    // a flood counted for months passes what a 4-byte integer holds on PostgreSQL
    .addColumn('count', 'bigint', (c) => c.notNull())
    .addColumn('last_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
