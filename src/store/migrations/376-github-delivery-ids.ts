import { type Kysely, sql } from 'kysely';

// Every GitHub delivery id the hub ever received, with when: the guard against a delivery sent again.
// GitHub's signature covers the body alone, with no time, so a captured delivery re-sent under its own
// id is refused only because the id is known; the delivery's row (its body, kept for a replay) goes
// past its retention (app/operations/retention.ts), this small row stays for good. A collaborator's,
// team member's or label's change is dated by when it came, so an old body accepted again would count
// as the newest and apply (a removed team member back in their role). Also when the last delivery
// came, for /github's check of the webhook secret once the deliveries themselves are gone.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('github_delivery_ids')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('github_delivery_ids_received').on('github_delivery_ids').column('received_at').execute();
  await sql`insert into github_delivery_ids (id, received_at) select id, received_at from github_deliveries`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
