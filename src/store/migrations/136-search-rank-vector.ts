import { sql, SqliteAdapter, type Kysely } from 'kysely';

// PostgreSQL search at scale: a small rank-ready vector (the title and the body's first 500
// characters) stored in the row itself, so a search ranks its candidates without reading each
// one's whole vector from TOAST (docs/performance.md: 1,000,000 documents). SQLite: nothing to do.
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`alter table search_documents add column rank_tsv tsvector generated always as (
    setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', left(coalesce(body, ''), 500)), 'B')) stored`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
