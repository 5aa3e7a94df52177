import type { Kysely } from 'kysely';

// A webhook delivery replayed (`wghub github replay`), sent again or delivered late must not undo a
// newer change the hub already applied (app/github/webhooks.ts): each applied delivery notes what it
// is about (`fact`: an issue, a pull request, a collaborator, a team member, a label) and the time of
// the change it carries (`fact_at`: the payload's updated_at, or when it was received where the payload
// carries no time), so one older than what is known about the same thing is ignored, and said so.
// Deliveries stored before carry neither and are compared with nothing.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('github_deliveries').addColumn('fact', 'varchar(300)').execute();
  await db.schema.alterTable('github_deliveries').addColumn('fact_at', 'varchar(40)').execute();
  await db.schema.createIndex('github_deliveries_fact').on('github_deliveries').columns(['fact', 'fact_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
