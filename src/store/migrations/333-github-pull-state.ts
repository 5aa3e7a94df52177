import type { Kysely } from 'kysely';

// A mirrored pull request's state as GitHub last showed it: open, draft, merged, or closed (without
// merging). A proposal's page says it beside the link to its pull request, so a SEP whose pull
// request was closed unmerged, or turned back into a draft, is not shown as though it were live.
// Rows mirrored before stay null until GitHub next changes the pull request.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('github_items').addColumn('state', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
