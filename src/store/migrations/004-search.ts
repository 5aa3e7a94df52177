import { sql, SqliteAdapter, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('artifacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('path', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.references('groups.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('artifact_revisions')
    .addColumn('artifact_id', 'text', (c) => c.notNull().references('artifacts.id'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('artifact_revisions_pk', ['artifact_id', 'revision'])
    .execute();

  // The prior-work check stored on a proposal, as the evidence that step 1 of the route happened.
  await db.schema.alterTable('proposals').addColumn('prior_work', 'text').execute();

  // One search index over everything the community writes.
  await db.schema
    .createTable('search_documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ref', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('group_slug', 'text')
    .addColumn('status', 'text')
    .addColumn('layer', 'text')
    .addColumn('date', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('search_documents_kind').on('search_documents').columns(['kind', 'date']).execute();

  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    // FTS5 with Porter stemming, kept in step with the table by triggers.
    await sql`create virtual table search_fts using fts5(title, body, content='search_documents', content_rowid='rowid', tokenize='porter unicode61')`.execute(
      db,
    );
    // The title weighs four times the body; as the table's rank function, ORDER BY rank is about
    // twice as fast as ordering by an explicit bm25() call.
    await sql`insert into search_fts(search_fts, rank) values ('rank', 'bm25(4.0, 1.0)')`.execute(db);
    await sql`create trigger search_documents_ai after insert on search_documents begin
      insert into search_fts(rowid, title, body) values (new.rowid, new.title, new.body); end`.execute(db);
    await sql`create trigger search_documents_ad after delete on search_documents begin
      insert into search_fts(search_fts, rowid, title, body) values ('delete', old.rowid, old.title, old.body); end`.execute(
      db,
    );
    await sql`create trigger search_documents_au after update on search_documents begin
      insert into search_fts(search_fts, rowid, title, body) values ('delete', old.rowid, old.title, old.body);
      insert into search_fts(rowid, title, body) values (new.rowid, new.title, new.body); end`.execute(db);
  } else {
    await sql`alter table search_documents add column tsv tsvector generated always as (
      setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(body, '')), 'B')) stored`.execute(
      db,
    );
    await sql`create index search_documents_tsv on search_documents using gin (tsv)`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
