import { sql, SqliteAdapter, type Kysely } from 'kysely';

// PostgreSQL search at scale: the titles' own full-text index. On a large index a search first
// takes the documents whose title holds every word (few, and the best ranked), and reads the
// whole-text index only when those are not enough (docs/performance.md). SQLite: nothing to do.
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`set local maintenance_work_mem = '256MB'`.execute(db);
  await sql`create index search_documents_title_tsv on search_documents using gin (to_tsvector('english', title))`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
