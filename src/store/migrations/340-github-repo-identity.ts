import type { Kysely } from 'kysely';

// A mirrored repository's identity on GitHub, so the mirror follows it when it is renamed or moved
// to another owner: its numeric id (every delivery carries it), the name GitHub gives it now when
// that is no longer the one the hub mirrors it under, and whether GitHub made it private, archived or
// deleted it (then the reconcile no longer polls it; what was mirrored stays). Rows from before stay
// null until a delivery names the repository.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('github_repos').addColumn('github_id', 'text').execute();
  await db.schema.alterTable('github_repos').addColumn('github_name', 'text').execute();
  await db.schema.alterTable('github_repos').addColumn('github_state', 'text').execute();
  await db.schema.alterTable('github_repos').addColumn('github_state_at', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
