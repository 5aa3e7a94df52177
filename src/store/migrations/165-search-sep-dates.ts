import { sql, type Kysely } from 'kysely';

// A SEP is dated in search by its own Created date (the indexer now writes it): before, an import
// dated every SEP the day it ran. This redates the SEPs already indexed.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`update search_documents set date = (
      select p.created_at from proposals p where ${sql.lit('proposal:')} || p.id = search_documents.id
    )
    where kind = 'sep' and exists (select 1 from proposals p where ${sql.lit('proposal:')} || p.id = search_documents.id)`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
