import { sql, type Kysely } from 'kysely';
import { LIMITS } from '../../domain/limits.ts';
import { documentWords } from '../../search/words.ts';

// Until now every re-index added its words again and nothing took words away, so the vocabulary
// only grew: a word edited out of every document still "corrected" searches to itself. The
// indexer now counts each word once per document holding it; this recounts what is indexed.
export async function up(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('search_words').execute();
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('search_documents')
      .select(['id', 'title', sql<string>`substr(body, 1, ${LIMITS.search.wordsFromChars})`.as('body')])
      .where('id', '>', after)
      .orderBy('id')
      .limit(500)
      .execute();
    if (!rows.length) break;
    const counts = new Map<string, number>();
    for (const r of rows) for (const w of documentWords(r.title, r.body)) counts.set(w, (counts.get(w) ?? 0) + 1);
    const values = [...counts].map(([word, docs]) => ({ word, docs }));
    for (let i = 0; i < values.length; i += 500)
      await db
        .insertInto('search_words')
        .values(values.slice(i, i + 500))
        .onConflict((oc) => oc.column('word').doUpdateSet({ docs: sql`search_words.docs + excluded.docs` }))
        .execute();
    after = rows.at(-1)!.id;
  }
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
