import type { Kysely } from 'kysely';

// The GitHub bridge reads who guards what: a mirrored item's labels as GitHub last showed them
// (so a label removed by hand is seen), the CODEOWNERS rules of each repository (who must approve
// changes to charters) and the MAINTAINERS file's people with the role their section names.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('github_items').addColumn('labels', 'text').execute();
  await db.schema
    .createTable('github_codeowners')
    .addColumn('repo', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('pattern', 'text', (c) => c.notNull())
    .addColumn('owners', 'text', (c) => c.notNull())
    .addColumn('synced_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('github_codeowners_pk', ['repo', 'position'])
    .execute();
  await db.schema
    .createTable('github_maintainers')
    .addColumn('repo', 'text', (c) => c.notNull())
    .addColumn('login', 'text', (c) => c.notNull())
    .addColumn('section', 'text', (c) => c.notNull())
    .addColumn('role', 'text')
    .addColumn('synced_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('github_maintainers_pk', ['repo', 'login'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
