import type { Kysely } from 'kysely';
import { LIMITS } from '../../domain/limits.ts';
import { firstCharacters } from '../../domain/text.ts';
import { up as recountWords } from './091-search-words-recount.ts';

// The index holds text as NFC since attack round 26 (src/app/search/indexing.ts), but documents
// indexed before kept an accent typed apart (NFD): on SQLite no query found them (queries are read
// as NFC), on PostgreSQL their vectors held the other form, and the vocabulary counted their words
// as the old indexer cut them, while taking a document away now subtracts its NFC words (another
// document's word could go, the old one stayed forever). This rewrites each stored title and body
// that NFC changes, as the indexer now stores them: SQLite's update trigger re-indexes the row in
// FTS5, PostgreSQL recomputes its generated vectors (tsv, rank_tsv) and the lower(title) index.
// Then the vocabulary is recounted from what is indexed, as migration 091 did. Run again, it
// changes no row and counts the same.
export async function up(db: Kysely<any>): Promise<void> {
  let after = '';
  for (;;) {
    // a page of 100: a body may hold up to LIMITS.search.indexedBodyChars characters
    const rows: { id: string; title: string; body: string }[] = await db
      .selectFrom('search_documents')
      .select(['id', 'title', 'body'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(100)
      .execute();
    if (!rows.length) break;
    for (const r of rows) {
      const title = r.title.normalize('NFC');
      const body = firstCharacters(r.body.normalize('NFC'), LIMITS.search.indexedBodyChars);
      if (title === r.title && body === r.body) continue;
      await db.updateTable('search_documents').set({ title, body }).where('id', '=', r.id).execute();
    }
    after = rows.at(-1)!.id;
  }
  await recountWords(db);
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
