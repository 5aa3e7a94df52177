import type { Kysely } from 'kysely';

// GitHub Discussions mirrored into the hub: each Discussion as GitHub last showed it, with the
// kind its category stands for in the governance file (notes, agendas, quarterly, or none) and
// the meeting it was matched to, and its comments (replies name the comment they answer). A
// deleted Discussion or comment keeps its row with deleted_at set and a note instead of its text,
// so a late "created" delivery cannot bring it back.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('github_discussions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('repo', 'text', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('kind', 'text')
    .addColumn('meeting_id', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .addUniqueConstraint('github_discussions_repo_number', ['repo', 'number'])
    .execute();
  await db.schema.createIndex('github_discussions_meeting').on('github_discussions').column('meeting_id').execute();
  await db.schema
    .createTable('github_discussion_comments')
    .addColumn('repo', 'text', (c) => c.notNull())
    .addColumn('github_id', 'text', (c) => c.notNull())
    .addColumn('discussion_number', 'integer', (c) => c.notNull())
    .addColumn('parent_github_id', 'text')
    .addColumn('author_id', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .addPrimaryKeyConstraint('github_discussion_comments_pk', ['repo', 'github_id'])
    .execute();
  await db.schema
    .createIndex('github_discussion_comments_discussion')
    .on('github_discussion_comments')
    .columns(['repo', 'discussion_number'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
