import type { Kysely } from 'kysely';

// Who a mirrored pull request or issue is assigned to on GitHub (JSON array of logins), as GitHub
// last showed it: shown on the page and the proposal's (a SEP's sponsor is the maintainer
// assigned to its pull request).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('github_items').addColumn('assignees', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
