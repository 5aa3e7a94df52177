// Migration 398: documents indexed before the index held NFC (attack round 26) kept an accent typed
// apart (NFD): PostgreSQL found them only by a query typed apart, which search now reads as NFC, and the
// vocabulary counted their words as the old indexer cut them, so an edit took the NFC word away
// from a word another document still held. On upgrade their text is NFC, found as any other, and
// the vocabulary is recounted; run again, nothing changes. On both databases.
import { describe, expect, it } from 'vitest';
import { loadGovernance } from '../../src/app/core/governance-file.ts';
import { createHub } from '../../src/app/core/hub.ts';
import { createProposal, getProposal, updateProposal } from '../../src/app/proposals/proposals.ts';
import { search } from '../../src/app/search/search.ts';
import { LIMITS } from '../../src/domain/limits.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { openStore } from '../../src/store/connect.ts';
import { MIGRATIONS, migrateToLatest, migratorFor } from '../../src/store/migrate.ts';
import { up } from '../../src/store/migrations/398-search-documents-nfc.ts';
import { databaseForProcess, databases } from '../support/databases.ts';
import { person } from '../support/hub.ts';

/** The words the indexer counted before it read text as NFC: a mark typed apart cut a word in two. */
const oldWords = (title: string, body: string) => [
  ...new Set(
    [
      ...`${title} ${body}`
        .slice(0, LIMITS.search.wordsFromChars)
        .toLowerCase()
        .matchAll(/\p{L}[\p{L}\p{N}]{3,29}/gu),
    ].map((m) => m[0]),
  ),
];

describe.each(databases)('migration 398 on $name', (database) => {
  it('stores old documents as NFC, found by either spelling, and recounts the vocabulary', async () => {
    const target = await databaseForProcess(database);
    const store = openStore(target.url);
    try {
      const { '398-search-documents-nfc': _later, ...before } = MIGRATIONS;
      expect((await migratorFor(store.db, before, store.schema).migrateToLatest()).error).toBeUndefined();
      const hub = createHub(store, loadGovernance(), { clock: new ManualClock('2026-03-02T12:00:00Z') });
      const ada = await person(hub, 'ada');
      const problem = 'Clients lose their place when a stream drops and need to pick it up again.';
      await createProposal(hub, ada, { title: 'R\u00e9sum\u00e9 cursors', problem, layer: 'working-group-artifact' });
      await createProposal(hub, ada, {
        title: 'R\u00e9sum\u00e9 archive',
        problem: 'Old caf\u00e9 notes are kept.',
        layer: 'working-group-artifact',
      });
      // P-2 as the indexer left it before round 26: its text as typed apart (NFD), and the
      // vocabulary counted as that indexer cut every document's words
      const db = store.db;
      await db
        .updateTable('search_documents')
        .set({ title: 'Re\u0301sume\u0301 archive', body: 'Old cafe\u0301 notes are kept.' })
        .where('ref', '=', 'P-2')
        .execute();
      await db.deleteFrom('search_words').execute();
      const counts = new Map<string, number>();
      for (const d of await db.selectFrom('search_documents').select(['title', 'body']).execute())
        for (const w of oldWords(d.title, d.body)) counts.set(w, (counts.get(w) ?? 0) + 1);
      await db
        .insertInto('search_words')
        .values([...counts].map(([word, docs]) => ({ word, docs })))
        .execute();
      const found = async (q: string) => (await search(hub, { q })).items.map((i) => i.ref).sort();
      // PostgreSQL's vectors hold the form as typed: the old document was not found typed whole
      if (database.name === 'postgres') expect(await found('R\u00e9sum\u00e9')).toEqual(['P-1']);

      expect((await migrateToLatest(store.db, store.schema)).applied).toEqual(['398-search-documents-nfc']);
      const stored = await db
        .selectFrom('search_documents')
        .select(['title', 'body'])
        .where('ref', '=', 'P-2')
        .executeTakeFirstOrThrow();
      expect(stored).toEqual({ title: 'R\u00e9sum\u00e9 archive', body: 'Old caf\u00e9 notes are kept.' });
      // found by either spelling, on both databases
      expect(await found('R\u00e9sum\u00e9')).toEqual(['P-1', 'P-2']);
      expect(await found('Re\u0301sume\u0301')).toEqual(['P-1', 'P-2']);
      expect(await found('caf\u00e9 notes')).toEqual(['P-2']);
      const vocabulary = async () =>
        (await db.selectFrom('search_words').select(['word', 'docs']).orderBy('word').execute()).map(
          (r) => `${r.word}:${Number(r.docs)}`,
        );
      const recounted = await vocabulary();
      expect(recounted).toContain('r\u00e9sum\u00e9:2');
      expect(recounted).toContain('caf\u00e9:1');
      // the old indexer's cut of "re\u0301sume\u0301" is gone
      expect(recounted.filter((w) => w.startsWith('sume:'))).toEqual([]);

      // run again: nothing changes
      await up(db);
      expect(await vocabulary()).toEqual(recounted);

      // an edit takes P-2's word away and leaves P-1's: "résumé" is still known, by one document
      const p2 = await getProposal(hub, 'P-2');
      await updateProposal(hub, ada, 'P-2', p2.version, { title: 'Archive of old notes' });
      expect(await vocabulary()).toContain('r\u00e9sum\u00e9:1');
    } finally {
      await store.close();
      target.cleanup();
    }
  }, 120_000);
});
