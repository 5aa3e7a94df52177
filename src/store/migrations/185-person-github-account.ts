import type { Kysely } from 'kysely';

// The GitHub account (its numeric id, which survives a rename) behind a person's GitHub login, as
// the mirror saw it: GitHub frees a renamed login for anyone to register, so signing in by login
// checks the account is the same one (src/app/people/github-sign-in.ts). Null when not yet seen.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('people').addColumn('github_account_id', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
