// Migration 165: SEPs already in the search index, dated the day an import ran, are redated by
// their own Created date; nothing else changes date.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { importCorpus } from '../../src/app/imports/corpus.ts';
import { up } from '../../src/store/migrations/165-search-sep-dates.ts';
import { CORPUS } from '../support/corpus.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, type TestHub } from '../support/hub.ts';

describe.each(databases)('migration 165 on $name', (database) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await openTestHub(database, '2026-12-02T09:00:00Z');
    await importCorpus(hub, SYSTEM, CORPUS);
  }, 120_000);
  afterAll(async () => hub?.close());

  it('dates an indexed SEP by its Created date, and leaves charters as they were', async () => {
    const db = hub.store.db;
    const dates = async () =>
      Object.fromEntries(
        (
          await db
            .selectFrom('search_documents')
            .select(['ref', 'date'])
            .where('ref', 'in', ['SEP-2663', 'registry'])
            .execute()
        ).map((r) => [r.ref, r.date.slice(0, 10)]),
      );
    const charter = (await dates()).registry;
    // as an index written before the indexer dated SEPs by Created
    await db
      .updateTable('search_documents')
      .set({ date: '2026-12-02T09:00:00.000Z' })
      .where('kind', '=', 'sep')
      .execute();
    expect((await dates())['SEP-2663']).toBe('2026-12-02');
    await up(db);
    expect(await dates()).toEqual({ 'SEP-2663': '2026-04-27', registry: charter });
  });
});
