import type { Kysely } from 'kysely';

// Commits pushed to a mirrored pull request (the `pull_request` webhook's `synchronize`, and the
// pull request's commits the backfill and reconcile list): who pushed or wrote them (a GitHub
// login) and when. The SEP timers count them as activity when the login is one of the proposal's
// responsible people (its authors and sponsor): a bot's push or ping does not reset them.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('github_commits')
    .addColumn('repo', 'text', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('sha', 'text', (c) => c.notNull())
    .addColumn('proposal_id', 'text', (c) => c.notNull())
    .addColumn('login', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('github_commits_pk', ['repo', 'number', 'sha'])
    .execute();
  await db.schema.createIndex('github_commits_proposal').on('github_commits').columns(['proposal_id', 'at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
