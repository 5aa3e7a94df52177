import { sql, SqliteAdapter, type Kysely } from 'kysely';

// PostgreSQL search at scale: the search vectors stay in the row (storage MAIN: compressed in place
// when the row is large, moved out to TOAST only when it would not fit a page), and the body goes
// out of line first. Ranking a candidate then reads its heap row and nothing from TOAST
// (docs/performance.md: 1,000,000 documents). Rows written from now on are stored so; an index that
// is already large is moved in place by `VACUUM FULL search_documents` (docs/search.md). SQLite:
// nothing to do.
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`alter table search_documents alter column tsv set storage main, alter column rank_tsv set storage main`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
