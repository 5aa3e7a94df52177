// PostgreSQL search ranked inside the RUM index (installed by .ci/run) answers as the plan without
// it: the same items in the same order (pages and filters included) when fewer than the 200 it
// re-ranks match, the same first ten when more do (equal scores may come in another order), and the same prior work.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGovernance } from '../../../src/app/core/governance-file.ts';
import { createHub, type Hub } from '../../../src/app/core/hub.ts';
import { priorWork, search } from '../../../src/app/search/search.ts';
import { largeIndexPlan, searchRankingNote } from '../../../src/search/engine.ts';
import { rankIndexSchema } from '../../../src/search/rank-index.ts';
import { openStore, type Store } from '../../../src/store/connect.ts';
import { migrateToLatest } from '../../../src/store/migrate.ts';
import { databaseForProcess, databases, postgresDatabase } from '../../support/databases.ts';

const WORDS = [
  ...'token stream transport resumable server client oauth scope consent registry schema cursor retry cache gateway proxy'.split(
    ' ',
  ),
  ...['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo'].flatMap((a) =>
    ['da', 'fe', 'gu', 'ho', 'ji', 'ba', 'pe', 'zo'].map((b) => a + b),
  ),
];

/** 600 documents: "session" is in three of four (more matches than the RUM plan re-ranks), the other words vary. */
function documents() {
  let seed = 7;
  const pick = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return WORDS[Math.floor((seed / 4294967296) * WORDS.length)]!;
  };
  return Array.from({ length: 600 }, (_, i) => {
    const body = Array.from({ length: 20 + ((i * 7) % 60) }, pick);
    if (i % 4) body.splice((i * 13) % body.length, 0, 'session');
    return {
      id: `doc-${i}`,
      ref: `artifact:rank/${i}.md`,
      kind: i % 5 === 0 ? 'comment' : i % 3 === 0 ? 'sep' : 'artifact',
      title: Array.from({ length: 3 + (i % 4) }, pick).join(' '),
      body: body.join(' '),
      group_slug: null,
      status: null,
      layer: null,
      date: `2026-0${1 + (i % 9)}-01T00:00:00.000Z`,
    };
  });
}

/** Beyond the 200 best matches by the index's own score the order may differ: these match more. */
const MANY = ['session', 'token'];
const FEW = ['oauth scope', 'cursor retry cache', 'stream -session', 'gateway proxy'];

/** Items as "ref score", but only the score where others share it (the index may break ties otherwise). */
function tiesBlurred(items: { ref: string; score: number }[]): string[] {
  const n = new Map<number, number>();
  for (const i of items) n.set(i.score, (n.get(i.score) ?? 0) + 1);
  return items.map((i) => (n.get(i.score)! > 1 ? `(tied) ${i.score}` : `${i.ref} ${i.score}`));
}

async function answers(hub: Hub) {
  const page = async (q: string, more: Record<string, unknown> = {}) =>
    (await search(hub, { q, limit: 20, ...more })).items;
  // the second page: the first page's nextCursor (none when it was the last: the first page again)
  const second = async (q: string) => {
    const cursor = (await search(hub, { q, limit: 20 })).nextCursor;
    return cursor ? { cursor } : {};
  };
  const few: string[][] = [];
  for (const q of FEW)
    for (const more of [{}, await second(q), { kind: 'sep' }])
      few.push((await page(q, more)).map((h) => `${h.ref} ${h.score}`));
  const many: string[][] = [];
  for (const q of MANY)
    for (const more of [{}, { kind: 'sep' }]) many.push(tiesBlurred((await page(q, more)).slice(0, 10)));
  const prior = tiesBlurred(
    await priorWork(hub, { title: 'Resumable gateway streams', text: 'A token for the stream and a cursor to retry.' }),
  );
  return { few, many, prior };
}

async function matches(store: Store, q: string): Promise<number> {
  const r = await sql<{
    n: number;
  }>`select count(*)::int as n from search_documents where tsv @@ websearch_to_tsquery('english', ${q})`.execute(
    store.db,
  );
  return r.rows[0]!.n;
}

describe.each(databases.filter((d) => d === postgresDatabase))('search with and without the RUM index', (database) => {
  let url: string;
  let store: Store;
  beforeAll(async () => {
    ({ url } = await databaseForProcess(database));
    store = openStore(url);
    await migrateToLatest(store.db, store.schema);
    await store.db.insertInto('search_documents').values(documents()).execute();
    await sql`analyze search_documents`.execute(store.db);
  });
  afterAll(async () => store?.close());

  it('ranks inside the RUM index when the server has it, and the results are those of the plan without it', async () => {
    const available = await sql<{
      n: number;
    }>`select count(*)::int as n from pg_available_extensions where name = 'rum'`.execute(store.db);
    const hub = createHub(store, loadGovernance());
    expect((await rankIndexSchema(store)) !== null).toBe(available.rows[0]!.n === 1);
    expect(await searchRankingNote(store)).toMatch(
      available.rows[0]!.n === 1 ? /^PostgreSQL full text, ranked in the RUM index$/ : /WITHOUT the RUM/,
    );
    // on a large index the banner names its plan, the same with or without RUM: the titles, then the openings
    largeIndexPlan.above = 100;
    try {
      expect(await searchRankingNote(store)).toMatch(
        /^PostgreSQL full text \(about 600 documents, over 100\): titles holding every word first.*in their opening, from the openings' index/,
      );
    } finally {
      largeIndexPlan.above = 50_000;
    }
    for (const q of FEW) expect(await matches(store, q)).toBeLessThan(200);
    for (const q of MANY) expect(await matches(store, q)).toBeGreaterThan(200);
    const withIndex = await answers(hub);
    expect(withIndex.few[0]).toHaveLength(20);
    expect(withIndex.few[1]).not.toHaveLength(0);
    expect(withIndex.many[0]).toHaveLength(10);
    expect(withIndex.prior).not.toHaveLength(0);

    await sql`drop index if exists search_documents_rum`.execute(store.db);
    const plain = openStore(url); // a new store asks again which plan to use
    try {
      expect(await rankIndexSchema(plain)).toBeNull();
      expect(await searchRankingNote(plain)).toMatch(/WITHOUT the RUM index.*wghub search-index/);
      expect(await answers(createHub(plain, loadGovernance()))).toEqual(withIndex);
    } finally {
      await plain.close();
    }
  });
});
