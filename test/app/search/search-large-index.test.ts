// PostgreSQL search on a large index (over 50,000 documents): when a page of documents hold every
// word in their title, those are the answer, read from the titles' own index; otherwise the exact
// plan. Here the plan is forced on a small corpus, so its answers can be compared with the exact one's.
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadGovernance } from '../../../src/app/core/governance-file.ts';
import { createHub, type Hub } from '../../../src/app/core/hub.ts';
import { priorWork, rarestWithin, search } from '../../../src/app/search/search.ts';
import { largeIndexPlan, plannerDocumentEstimates } from '../../../src/search/engine.ts';
import { createRankIndex, RANK_INDEX, rankIndexKnown } from '../../../src/search/rank-index.ts';
import { openStore, type Store } from '../../../src/store/connect.ts';
import { migrateToLatest } from '../../../src/store/migrate.ts';
import { databaseForProcess, databases, postgresDatabase } from '../../support/databases.ts';

const WORDS = [
  ...'token stream transport server client oauth scope consent registry schema cursor retry cache gateway proxy'.split(
    ' ',
  ),
  ...['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo'].flatMap((a) =>
    ['da', 'fe', 'gu', 'ho', 'ji', 'ba', 'pe', 'zo'].map((b) => a + b),
  ),
];

/** 500 documents: "session" in most bodies, "resumable session" in the title of 42, the rest varies. */
function documents() {
  let seed = 11;
  const pick = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return WORDS[Math.floor((seed / 4294967296) * WORDS.length)]!;
  };
  return Array.from({ length: 500 }, (_, i) => {
    const body = Array.from({ length: 20 + ((i * 7) % 60) }, pick);
    if (i % 5) body.splice((i * 13) % body.length, 0, 'session', i % 3 ? 'gateway' : 'resumable');
    const title = Array.from({ length: 3 + (i % 4) }, pick);
    if (i % 12 === 0) title.push('resumable', 'session');
    return {
      id: `doc-${i}`,
      ref: `artifact:large/${i}.md`,
      kind: i % 5 === 0 ? 'comment' : 'artifact',
      title: title.join(' '),
      body: body.join(' '),
      group_slug: null,
      status: null,
      layer: null,
      date: `2026-0${1 + (i % 9)}-01T00:00:00.000Z`,
    };
  });
}

const page = async (hub: Hub, q: string, more: Record<string, unknown> = {}) =>
  (await search(hub, { q, limit: 20, ...more })).items;

describe.each(databases.filter((d) => d === postgresDatabase))('search on a large PostgreSQL index', (database) => {
  let store: Store;
  let hub: Hub;
  beforeAll(async () => {
    store = openStore((await databaseForProcess(database)).url);
    await migrateToLatest(store.db, store.schema);
    await store.db.insertInto('search_documents').values(documents()).execute();
    await sql`analyze search_documents`.execute(store.db);
    hub = createHub(store, loadGovernance());
  });
  // the plan's bounds as shipped, put back after each test even when one fails midway: the tests
  // run in any order, and later files in this worker share the module (isolate: false)
  const shipped = { ...largeIndexPlan };
  afterEach(() => {
    Object.assign(largeIndexPlan, shipped);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('answers as the exact plan where few documents match, and puts titles holding every word first where many do', async () => {
    const few = ['cursor retry cache', 'registry schema proxy', 'kada lofe oauth', 'stream -session'];
    const exact = [];
    for (const q of few) {
      const n = await sql<{ n: number }>`
        select count(*)::int as n from search_documents where tsv @@ websearch_to_tsquery('english', ${q})`.execute(
        store.db,
      );
      expect(n.rows[0]!.n, q).toBeLessThan(100); // fewer than the plan ranks exactly
      exact.push(await page(hub, q));
    }
    const exactMany = await page(hub, 'resumable session');
    largeIndexPlan.above = 0;
    for (const [i, q] of few.entries()) expect(await page(hub, q), q).toEqual(exact[i]);
    expect(exact.every((items) => items.length > 0)).toBe(true);
    // an excluded word is excluded from the whole text, not only from the title
    expect((await page(hub, 'stream -session')).every((h) => !h.snippet.includes('session'))).toBe(true);

    // "resumable session" is in 160 texts and 42 titles: the page is 20 of the titles, best first
    const many = await page(hub, 'resumable session');
    expect(many).toHaveLength(20);
    expect(many.every((h) => /resumable session/.test(h.title))).toBe(true);
    expect(many.map((h) => h.score)).toEqual([...many.map((h) => h.score)].sort((a, b) => b - a));
    // the exact plan ranks the same titles on top
    expect(many.slice(0, 5).map((h) => h.id)).toEqual(exactMany.slice(0, 5).map((h) => h.id));
    // a later page goes on from the first
    const cursor = (await search(hub, { q: 'resumable session', limit: 20 })).nextCursor;
    expect(cursor).toEqual(expect.any(String));
    const next = await page(hub, 'resumable session', { cursor });
    expect(next.some((h) => many.some((m) => m.id === h.id))).toBe(false);
  });

  it('ranks a sample of the matches only where the words are expected in more documents than it ranks', async () => {
    // the plan without the RUM index (which orders every match itself): the index comes back at the end
    await sql`drop index if exists ${sql.id(RANK_INDEX)}`.execute(store.db);
    rankIndexKnown.delete(store);
    largeIndexPlan.above = 0;
    const all = await page(hub, 'session gateway'); // in about 270 bodies and few titles: the titles do not fill a page
    const few = await page(hub, 'cursor retry cache');
    // expected in more than 100 documents: the best of the first 60 matches, still every word in each, best first
    largeIndexPlan.sampleAbove = 100;
    largeIndexPlan.sampled = 60;
    const sampled = await page(hub, 'session gateway');
    expect(sampled).toHaveLength(20);
    const holding = await sql<{ id: string }>`
      select id from search_documents where tsv @@ websearch_to_tsquery('english', 'session gateway')`.execute(
      store.db,
    );
    const ids = new Set(holding.rows.map((r) => r.id));
    expect(sampled.every((h) => ids.has(h.id))).toBe(true);
    expect(sampled.map((h) => h.score)).toEqual([...sampled.map((h) => h.score)].sort((a, b) => b - a));
    expect(sampled.map((h) => h.id)).not.toEqual(all.map((h) => h.id)); // a sample: not the whole ranking
    // a query expected in fewer documents is ranked whole, as before
    expect(await page(hub, 'cursor retry cache')).toEqual(few);
    largeIndexPlan.sampled = 0; // no sampling: the whole ranking again
    expect(await page(hub, 'session gateway')).toEqual(all);
    largeIndexPlan.sampled = 1500;
    largeIndexPlan.sampleAbove = 1500;
    largeIndexPlan.above = 50_000;
    await store.db.transaction().execute((trx) => createRankIndex(trx));
    rankIndexKnown.delete(store);
  });

  it('prior work on a large index takes how common each term is from the planner, for all of them at once, and finds the same', async () => {
    // what EXPLAIN estimates for each term, one statement per term (how prior work asked before)
    const terms = ['session', 'gateway', 'resumable', 'kada', 'token', 'sessions', 'nowhereword'];
    // both from the statistics of one ANALYZE: EXPLAIN scales its count by the pages the table has
    // now, so the documents another test of this file added since would set the two apart
    await sql`analyze search_documents`.execute(store.db);
    const estimates = await plannerDocumentEstimates(store, terms);
    for (const t of terms) {
      const plan = await sql<{ 'QUERY PLAN': { Plan: { 'Plan Rows': number } }[] }>`
        explain (format json) select 1 from search_documents where tsv @@ plainto_tsquery('english', ${t})`.execute(
        store.db,
      );
      expect(estimates?.get(t), t).toBe(plan.rows[0]!['QUERY PLAN'][0]!.Plan['Plan Rows']);
    }
    expect(estimates?.get('session')).toBeGreaterThan(300); // in four bodies of five
    const draft = {
      title: 'Resumable gateway sessions',
      text: 'A session token for the gateway, and a cursor to retry the stream.',
    };
    const counted = await priorWork(hub, draft);
    expect(counted.length).toBeGreaterThan(0);
    largeIndexPlan.estimatesAbove = 0;
    expect(await priorWork(hub, draft)).toEqual(counted);
  });

  it('where many documents hold every word and the titles do not fill a page, ranks those holding them in their opening', async () => {
    const q = 'session gateway'; // in about 270 bodies and few titles
    const holding = async (column: 'tsv' | 'rank_tsv') =>
      (
        await sql<{ id: string }>`
      select id from search_documents d where ${sql.ref(column)} @@ websearch_to_tsquery('english', ${q})
      order by ts_rank_cd(tsv, websearch_to_tsquery('english', ${q}), 1) * (case when kind = 'comment' then 0.5 else 1 end) desc, id`.execute(
          store.db,
        )
      ).rows.map((r) => r.id);
    // three long documents holding the words again and again, but only after their first 500 characters
    const deep = [1, 2, 3].map((n) => ({
      id: `deep-${n}`,
      ref: `artifact:large/deep-${n}.md`,
      kind: 'artifact',
      title: `Deep ${n}`,
      body: `${'kada lofe mibo token stream '.repeat(25)} ${'session gateway '.repeat(6)}`,
      group_slug: null,
      status: null,
      layer: null,
      date: '2026-01-01T00:00:00.000Z',
    }));
    await store.db.insertInto('search_documents').values(deep).execute();
    const matches = await holding('tsv');
    const inOpening = await holding('rank_tsv');
    expect(inOpening.length).toBeGreaterThan(100);
    expect(matches.slice(0, 3)).toEqual(['deep-1', 'deep-2', 'deep-3']); // the best ranked of all
    expect(inOpening.some((id) => id.startsWith('deep-'))).toBe(false);
    largeIndexPlan.above = 0;
    largeIndexPlan.sampleAbove = 100;
    largeIndexPlan.leadAbove = 100;
    try {
      // every opening ranked: the best of them, in the order of the whole ranking
      largeIndexPlan.leadSampled = 1000;
      const ranked = await page(hub, q);
      expect(ranked.map((h) => h.id)).toEqual(inOpening.slice(0, 20));
      // the cost: a document holding the words only deep in a long body is not a candidate
      expect(ranked.some((h) => h.id.startsWith('deep-'))).toBe(false);
      // a sample of 30 openings: still a page of documents holding every word, best first
      largeIndexPlan.leadSampled = 30;
      const sampled = await page(hub, q);
      expect(sampled).toHaveLength(20);
      expect(sampled.every((h) => inOpening.includes(h.id))).toBe(true);
      expect(sampled.map((h) => h.score)).toEqual([...sampled.map((h) => h.score)].sort((a, b) => b - a));
      // where the openings are few for the matches expected (the estimate was too high), every match is ranked
      largeIndexPlan.leadSampled = 1000;
      largeIndexPlan.sampleAbove = 5 * inOpening.length;
      largeIndexPlan.leadAbove = 1;
      expect((await page(hub, q)).map((h) => h.id)).toEqual(matches.slice(0, 20));
    } finally {
      Object.assign(largeIndexPlan, { above: 50_000, sampleAbove: 1500, leadAbove: 1500, leadSampled: 1000 });
      await store.db.deleteFrom('search_documents').where('id', 'like', 'deep-%').execute();
    }
  });
});

describe('prior work on a large PostgreSQL index asks for its rarest terms', () => {
  const df = new Map([
    ['gateway', 900],
    ['resumable', 40],
    ['cursor', 300],
    ['token', 9000],
    ['kada', 5],
    ['retry', 700],
  ]);
  it('takes the rarest terms whose documents add up to the budget, in the draft order', () => {
    expect(rarestWithin([...df.keys()], df, 1500)).toEqual(['resumable', 'cursor', 'kada', 'retry']);
  });
  it('takes three however common they are, and never more than ten', () => {
    expect(rarestWithin(['token', 'gateway', 'retry', 'cursor'], df, 100)).toEqual(['gateway', 'retry', 'cursor']);
    const many = Array.from({ length: 14 }, (_, i) => `t${i}`);
    expect(rarestWithin(many, new Map(many.map((t) => [t, 1])), 1500)).toHaveLength(10);
  });
});
