import type { Kysely } from 'kysely';

// Who is running a repository's sync now, and until when that holds unless renewed: a sync renews
// its lease while it runs (a heartbeat), so another process (a second worker, `wghub github sync`
// by hand) skips a sync that is live, and takes over one whose process died once the lease ran out.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('github_repos').addColumn('sync_owner', 'text').execute();
  await db.schema.alterTable('github_repos').addColumn('sync_lease_until', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
