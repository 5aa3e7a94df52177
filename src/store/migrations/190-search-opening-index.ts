import { sql, SqliteAdapter, type Kysely } from 'kysely';

// PostgreSQL search at scale: the openings' own full-text index (rank_tsv: the title and the body's
// first 500 characters, migration 136). On a large index, where many documents hold every word and
// their titles do not fill a page, a search ranks the documents whose opening holds them, which is
// where the best ranked are, instead of the first matches in table order or an ordered RUM scan
// (docs/performance.md: 1,000,000 documents). SQLite: nothing to do.
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`set local maintenance_work_mem = '256MB'`.execute(db);
  await sql`create index if not exists search_documents_lead on search_documents using gin (rank_tsv)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
