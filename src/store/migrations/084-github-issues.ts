import type { Kysely } from 'kysely';

// Plain GitHub issues (not pull requests) mirrored into the hub: the issue as GitHub last showed
// it, and its comments. A deleted issue or comment keeps its row with deleted_at set and no text,
// so the hub shows it was removed (and a late "created" delivery cannot bring it back).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('github_issues')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('repo', 'text', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .addUniqueConstraint('github_issues_repo_number', ['repo', 'number'])
    .execute();
  await db.schema
    .createTable('github_issue_comments')
    .addColumn('repo', 'text', (c) => c.notNull())
    .addColumn('github_id', 'text', (c) => c.notNull())
    .addColumn('issue_number', 'integer', (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .addPrimaryKeyConstraint('github_issue_comments_pk', ['repo', 'github_id'])
    .execute();
  await db.schema
    .createIndex('github_issue_comments_issue')
    .on('github_issue_comments')
    .columns(['repo', 'issue_number'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
