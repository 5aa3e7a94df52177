import type { Kysely } from 'kysely';

// The GitHub bridge: which repositories are mirrored and how far each sync got (its cursor, so an
// interrupted backfill resumes), every GitHub item mirrored and the hub object it became, every
// webhook delivery by its id (idempotence and replay), the ETags of pages already read (GitHub
// does not count a 304 against the rate limit), and the write-back state of each PR or issue
// (the one status comment the hub edits in place, the labels it last set).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('github_repos')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('cursor', 'text')
    .addColumn('sync_started_at', 'text')
    .addColumn('sync_finished_at', 'text')
    .addColumn('summary', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('github_items')
    .addColumn('repo', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('github_id', 'text', (c) => c.notNull())
    .addColumn('number', 'integer')
    .addColumn('hub_type', 'text', (c) => c.notNull())
    .addColumn('hub_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('author_login', 'text')
    .addColumn('github_created_at', 'text')
    .addColumn('github_updated_at', 'text')
    .addColumn('content_hash', 'text')
    .addColumn('deleted_at', 'text')
    .addColumn('mirrored_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('github_items_pk', ['repo', 'kind', 'github_id'])
    .execute();
  await db.schema.createIndex('github_items_hub').on('github_items').columns(['hub_type', 'hub_id']).execute();
  await db.schema
    .createIndex('github_items_author')
    .on('github_items')
    .columns(['author_login', 'github_created_at'])
    .execute();

  await db.schema
    .createTable('github_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('action', 'text')
    .addColumn('repo', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('processed_at', 'text')
    .addColumn('outcome', 'text')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('github_deliveries_received').on('github_deliveries').column('received_at').execute();

  await db.schema
    .createTable('github_etags')
    .addColumn('url', 'text', (c) => c.primaryKey())
    .addColumn('etag', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('github_writeback')
    .addColumn('repo', 'text', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('status_comment_id', 'text')
    .addColumn('status_hash', 'text')
    .addColumn('labels', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('github_writeback_pk', ['repo', 'number'])
    .execute();

  await db.schema
    .createTable('github_team_members')
    .addColumn('org', 'text', (c) => c.notNull())
    .addColumn('team', 'text', (c) => c.notNull())
    .addColumn('login', 'text', (c) => c.notNull())
    .addColumn('synced_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('github_team_members_pk', ['org', 'team', 'login'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
