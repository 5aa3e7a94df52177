import type { Kysely } from 'kysely';
import { createRankIndex } from '../../search/rank-index.ts';

// PostgreSQL search at scale: when the server has the RUM extension (postgresql-15-rum), index the
// search vectors with it too, so a search is ordered inside the index instead of reading thousands
// of rows (docs/performance.md: 1,000,000 documents). The GIN index stays (the fallback plan, and
// older processes during an upgrade). Without RUM nothing changes and `wghub serve` says so; after
// installing it, `wghub search-index` builds the index. SQLite: nothing to do.
export async function up(db: Kysely<any>): Promise<void> {
  await createRankIndex(db);
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
