// Search and prior-work speed on a synthetic corpus (generated here, nothing downloaded): index
// build time, then p50/p95 latency over a few hundred queries, beside a naive LIKE-scan baseline
// in the same run. The baseline is what one would write without a search engine: LIKE on every
// word, ordered by how often the words occur (so it has to read every matching row, not stop at
// the first 20), and for prior work the documents holding most of the draft's key terms.
// Usage: node bench/search-speed.ts [--docs 1000000] [--db sqlite|postgres] [--queries 300] [--naive 20 (0: no baseline)]
//   [--compare-exact]: on PostgreSQL, the same searches and drafts again with the exact plan (every
//   match's whole vector ranked, at most 5,000), and how many of its top 20 the large-index plan shares
//   [--ab]: on PostgreSQL, the timed runs as before and as now, alternately, twice each (same load):
//   before, the RUM index orders a large index's matches where the titles do not fill a page; now, the openings' index
//   [--sample-above N]: on a large PostgreSQL index, rank a sample where more than N matches are expected (default 1,500)
//   [--true-top N]: on PostgreSQL, how many of the true top 20 (every match ranked on its whole vector,
//   slow) of the first N searches each run shows
//   [--slowest N]: name the N slowest searches (to read their plans); [--reuse SCHEMA] [--keep]: keep a PostgreSQL corpus
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { loadGovernance } from '../src/app/core/governance-file.ts';
import { createHub } from '../src/app/core/hub.ts';
import { priorWork, search } from '../src/app/search/search.ts';
import { largeIndexPlan } from '../src/search/engine.ts';
import { createRankIndex, RANK_INDEX } from '../src/search/rank-index.ts';
import { keyTerms } from '../src/search/text.ts';
import { openStore } from '../src/store/connect.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { percentile as pct } from './support.ts';

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '1000000' },
    db: { type: 'string', default: 'sqlite' },
    queries: { type: 'string', default: '300' },
    naive: { type: 'string', default: '20' },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    reuse: { type: 'string' },
    keep: { type: 'boolean', default: false },
    'compare-exact': { type: 'boolean', default: false },
    'skip-rum': { type: 'boolean', default: false },
    slowest: { type: 'string', default: '0' },
    ab: { type: 'boolean', default: false },
    'sample-above': { type: 'string' },
    'true-top': { type: 'string', default: '0' },
  },
});
const DOCS = Number(values.docs);
const QUERIES = Number(values.queries);
const NAIVE = Number(values.naive);

// A deterministic generator, so every run indexes the same corpus.
let seed = 42;
const rnd = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 4294967296;
};

// Vocabulary: protocol words people really use, plus pseudo-words, drawn with a Zipf-like skew.
const REAL =
  `server client transport session token request response tool resource prompt sampling elicitation schema registry capability
  notification stream http sse stdio oauth authorization scope consent identity gateway proxy load balancer cache retry timeout error
  version negotiation extension sdk typescript python java rust go kotlin swift ruby php conformance test specification working group
  interest charter proposal decision vote consensus objection facilitator agenda meeting notes roadmap deliverable security privacy
  audit logging tracing metrics latency throughput deployment kubernetes container serverless state stateless handle cursor pagination`
    .split(/\s+/)
    .filter(Boolean);
const SYL = [
  'ka',
  'lo',
  'mi',
  'ne',
  'ru',
  'sa',
  'ti',
  'vo',
  'ze',
  'qu',
  'ba',
  'do',
  'fi',
  'gu',
  'he',
  'ji',
  'pla',
  'tro',
  'sen',
  'dar',
];
const PSEUDO = Array.from({ length: 40_000 }, () =>
  Array.from({ length: 2 + Math.floor(rnd() * 3) }, () => SYL[Math.floor(rnd() * SYL.length)]).join(''),
);
const VOCAB = [...REAL, ...PSEUDO];
const word = () => VOCAB[Math.min(VOCAB.length - 1, Math.floor(rnd() ** 2.2 * VOCAB.length))]!;
const sentence = (n: number) => Array.from({ length: n }, word).join(' ');
const doc = (i: number) => ({
  title: sentence(4 + Math.floor(rnd() * 6)),
  body: Array.from({ length: 4 + Math.floor(rnd() * 12) }, () => `${sentence(8 + Math.floor(rnd() * 14))}.`).join(' '),
  i,
});

async function time<T>(fn: () => Promise<T>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

const dir = mkdtempSync(path.join(tmpdir(), 'wghub-speed-'));
// --keep leaves the PostgreSQL corpus in schema speed_corpus (and --reuse speed_corpus takes it up again).
const schema =
  values.db === 'postgres' && (values.keep || values.reuse) ? (values.reuse ?? 'speed_corpus') : `speed_${process.pid}`;
const url =
  values.db === 'postgres'
    ? `${values.pg}?schema=${schema}`
    : `sqlite:${values.reuse ?? path.join(dir, 'speed.sqlite')}`;
if (values.db === 'postgres') {
  const admin = openStore(values.pg!);
  await sql`create schema if not exists ${sql.raw(schema)}`.execute(admin.db);
  await admin.close();
}
const store = openStore(url);
try {
  await migrateToLatest(store.db, store.schema);
  const hub = createHub(store, loadGovernance());
  const have = Number(
    (
      await store.db
        .selectFrom('search_documents')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  console.log(
    have
      ? `reusing ${have.toLocaleString()} documents`
      : `building a synthetic corpus of ${DOCS.toLocaleString()} documents in ${values.db} …`,
  );
  // A fresh PostgreSQL corpus is loaded without its full-text indexes, which are then built once, as
  // a restore or `wghub search-index` would (maintaining them row by row costs several times more).
  const fresh = !have && values.db === 'postgres';
  if (fresh)
    for (const ix of ['search_documents_tsv', 'search_documents_title_tsv', 'search_documents_lead', RANK_INDEX])
      await sql`drop index if exists ${sql.id(ix)}`.execute(store.db);
  const t0 = performance.now();
  const BATCH = 2000; // 9 columns a row: stays under SQLite's 32,766 bound variables
  let words = 0;
  const LOADERS = values.db === 'postgres' ? 2 : 1;
  const inFlight: Promise<unknown>[] = [];
  for (let start = have ? DOCS : 0; start < DOCS; start += BATCH) {
    const rows = Array.from({ length: Math.min(BATCH, DOCS - start) }, (_, k) => {
      const d = doc(start + k);
      words += d.body.split(' ').length;
      return {
        id: `synthetic:${d.i}`,
        ref: `artifact:synthetic/${d.i}.md`,
        kind: d.i % 10 === 0 ? 'sep' : 'artifact',
        title: d.title,
        body: d.body,
        group_slug: null,
        status: null,
        layer: null,
        date: '2026-01-01T00:00:00.000Z',
      };
    });
    // PostgreSQL computes both vectors of a row on insert: two batches in flight keep both cores busy
    inFlight.push(store.db.transaction().execute((trx) => trx.insertInto('search_documents').values(rows).execute()));
    if (inFlight.length >= LOADERS) await inFlight.shift();
    if ((start / BATCH) % 40 === 0) process.stdout.write(`  ${start.toLocaleString()}\r`);
  }
  await Promise.all(inFlight);
  if (fresh) {
    const step = async (what: string, q: () => Promise<unknown>) => {
      const t = performance.now();
      await q();
      console.log(
        `  ${what}: ${((performance.now() - t) / 1000).toFixed(0)} s (load average ${loadavg()[0]!.toFixed(1)})`,
      );
    };
    console.log(`  rows loaded in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    // the same statements as migrations 004, 137 and 190, the big one beside the two smaller (one core each; a
    // GIN build is not parallel in PostgreSQL 15) with 1 GB to sort in (fewer passes), then RUM
    // (migration 106; search above 50,000 documents does not need it, and --skip-rum leaves it out)
    await step('GIN indexes on the search vectors, and on the titles then the openings, side by side', () =>
      Promise.all([
        store.db.transaction().execute(async (trx) => {
          await sql`set local maintenance_work_mem = '1GB'`.execute(trx);
          await sql`create index search_documents_tsv on search_documents using gin (tsv)`.execute(trx);
        }),
        store.db.transaction().execute(async (trx) => {
          await sql`set local maintenance_work_mem = '1GB'`.execute(trx);
          await sql`create index search_documents_title_tsv on search_documents using gin (to_tsvector('english', title))`.execute(
            trx,
          );
          // migration 190: the openings (rank_tsv), after the titles on the same core
          await sql`create index search_documents_lead on search_documents using gin (rank_tsv)`.execute(trx);
        }),
      ]),
    );
    if (!values['skip-rum'])
      await step('RUM index', () => store.db.transaction().execute((trx) => createRankIndex(trx)));
  }
  if (values.db === 'postgres') await sql`analyze search_documents`.execute(store.db);
  else await sql`insert into search_fts(search_fts) values ('optimize')`.execute(store.db);
  // a reused corpus was built by an earlier run: there is no build time to report
  if (!have) {
    const build = (performance.now() - t0) / 1000;
    console.log(`index built in ${build.toFixed(0)} s (${Math.round(words / DOCS)} words per document on average)`);
  }
  if (values.db === 'postgres')
    console.log(
      `search_documents: ${
        (
          await sql<{
            s: string;
          }>`select pg_size_pretty(pg_table_size('search_documents')) || ' table, ' || pg_size_pretty(pg_indexes_size('search_documents')) || ' indexes' as s`.execute(
            store.db,
          )
        ).rows[0]!.s
      }`,
    );

  const searches = Array.from({ length: QUERIES }, () => `${REAL[Math.floor(rnd() * REAL.length)]} ${word()}`);
  const drafts = Array.from({ length: Math.max(50, Math.floor(QUERIES / 2)) }, () => doc(-1));
  for (const q of searches.slice(0, 10)) await search(hub, { q }); // warm-up
  const run = async () => {
    const s: number[] = [];
    const tops: string[][] = [];
    const load: number[] = [loadavg()[0]!];
    for (const q of searches) {
      const t = performance.now();
      tops.push((await search(hub, { q, limit: 20 })).items.map((h) => h.id));
      s.push(performance.now() - t);
    }
    const p: number[] = [];
    const best: string[][] = [];
    for (const d of drafts) {
      const t = performance.now();
      const found = await priorWork(hub, { title: d.title, text: d.body.slice(0, 600), limit: 10 });
      p.push(performance.now() - t);
      best.push(found.map((m) => m.ref));
    }
    load.push(loadavg()[0]!);
    return { s, p, tops, best, load: load.map((l) => l.toFixed(1)).join('–') };
  };
  // the true top 20 of the first --true-top searches, the order every plan here approximates
  const truth: Set<string>[] = [];
  if (values.db === 'postgres')
    for (const q of searches.slice(0, Number(values['true-top']))) {
      const r = await sql<{ id: string }>`
        select id from search_documents d where tsv @@ websearch_to_tsquery('english', ${q})
        order by ts_rank_cd(tsv, websearch_to_tsquery('english', ${q}), 1) * (case when kind = 'comment' then 0.5 else 1 end) desc, id
        limit 20`.execute(store.db);
      truth.push(new Set(r.rows.map((x) => x.id)));
    }
  const trueKept = (tops: string[][]) => {
    if (!truth.length) return '';
    const kept = truth.map((t, i) => (t.size ? (tops[i] ?? []).filter((id) => t.has(id)).length / t.size : 1));
    return `; true top 20 kept ${((100 * kept.reduce((a, b) => a + b, 0)) / kept.length).toFixed(0)}% (${truth.length} searches)`;
  };
  if (values['sample-above']) largeIndexPlan.sampleAbove = Number(values['sample-above']);
  if (values.ab && values.db === 'postgres') {
    // before: where the titles do not fill a page, the RUM index orders the matches when it exists
    // (else the first 1,500 in table order are ranked); now: the openings' matches are ranked
    const plans = {
      before: { rum: true, leadAbove: 0 },
      now: { rum: largeIndexPlan.rum, leadAbove: largeIndexPlan.leadAbove },
    };
    let before: string[][] = [];
    let beforePrior: string[][] = [];
    // the share of the plan before's answers that the other plan gives too, averaged over the queries
    const shares = (now: string[][], was: string[][]) =>
      now.map((t, i) => {
        const b = new Set(was[i]);
        return b.size ? t.filter((id) => b.has(id)).length / b.size : 1;
      });
    const mean = (xs: number[]) => ((100 * xs.reduce((a, b) => a + b, 0)) / xs.length).toFixed(0);
    for (const round of [1, 2])
      for (const [name, plan] of Object.entries(plans)) {
        Object.assign(largeIndexPlan, plan);
        const r = await run();
        if (name === 'before') [before, beforePrior] = [r.tops, r.best];
        const kept = shares(r.tops, before);
        const keptPrior = shares(r.best, beforePrior);
        console.log(
          `${name} (round ${round}, load ${r.load}): search p50 ${pct(r.s, 50).toFixed(1)} ms  p95 ${pct(r.s, 95).toFixed(1)} ms, ` +
            `prior-work p50 ${pct(r.p, 50).toFixed(1)} ms  p95 ${pct(r.p, 95).toFixed(1)} ms; ` +
            `shared with before: search top 20 ${mean(kept)}%, prior work top 10 ${mean(keptPrior)}%${trueKept(r.tops)}`,
        );
      }
  }
  const { s, p, tops, load } = await run();
  if (values['compare-exact'] && values.db === 'postgres') {
    largeIndexPlan.above = Number.POSITIVE_INFINITY;
    const exact = await run();
    largeIndexPlan.above = 50_000;
    const shared = tops.map((t, i) => {
      const e = new Set(exact.tops[i]);
      return e.size ? t.filter((id) => e.has(id)).length / e.size : 1;
    });
    console.log(
      `exact plan (load ${exact.load}): search p50 ${pct(exact.s, 50).toFixed(1)} ms  p95 ${pct(exact.s, 95).toFixed(1)} ms, ` +
        `prior-work p50 ${pct(exact.p, 50).toFixed(1)} ms  p95 ${pct(exact.p, 95).toFixed(1)} ms; ` +
        `top 20 shared with it: ${((100 * shared.reduce((a, b) => a + b, 0)) / shared.length).toFixed(0)}% on average`,
    );
  }
  // how many times a word occurs in the body, plus a title bonus: a relevance that needs the whole row
  const occurrences = (w: string) =>
    sql<number>`(length(body) - length(replace(body, ${w}, ''))) / ${w.length} + case when title like ${`%${w}%`} then 5 else 0 end`;
  const naive = [];
  for (const q of searches.slice(0, NAIVE)) {
    const ws = q.split(' ');
    naive.push(
      await time(() =>
        store.db
          .selectFrom('search_documents')
          .select(['id', 'title'])
          .where((eb) => eb.and(ws.map((w) => eb.or([eb('body', 'like', `%${w}%`), eb('title', 'like', `%${w}%`)]))))
          .orderBy(sql`${sql.join(ws.map(occurrences), sql` + `)}`, 'desc')
          .limit(20)
          .execute(),
      ),
    );
  }
  const naivePrior = [];
  for (const d of drafts.slice(0, NAIVE ? Math.max(1, Math.floor(NAIVE / 2)) : 0)) {
    // the same key terms the real check uses; every document is scored by how many it holds
    const terms = keyTerms(d.title, d.body.slice(0, 600));
    const held = sql.join(
      terms.map((t) => sql`case when body like ${`%${t}%`} or title like ${`%${t}%`} then 1 else 0 end`),
      sql` + `,
    );
    naivePrior.push(
      await time(() =>
        sql`select id, title, ${held} as held from search_documents order by held desc limit 10`.execute(store.db),
      ),
    );
  }
  console.log(
    `\n${values.db}, ${DOCS.toLocaleString()} documents, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}`,
  );
  console.log(`load average ${load} during the timed searches and drafts`);
  console.log(
    `search      (${s.length} queries)  p50 ${pct(s, 50).toFixed(1)} ms  p95 ${pct(s, 95).toFixed(1)} ms   (target p95 < 50 ms)${trueKept(tops)}`,
  );
  console.log(
    `prior-work  (${p.length} drafts)   p50 ${pct(p, 50).toFixed(1)} ms  p95 ${pct(p, 95).toFixed(1)} ms   (target p95 < 150 ms)`,
  );
  // the slowest searches, to read their plans with EXPLAIN (the p95 is made of these)
  const slow = s
    .map((ms, i) => ({ ms, q: searches[i]! }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, Number(values.slowest));
  if (slow.length) console.log(`slowest searches: ${slow.map((x) => `"${x.q}" ${x.ms.toFixed(0)} ms`).join(', ')}`);
  if (NAIVE)
    console.log(
      `naive LIKE scan baseline (${naive.length} queries, top 20 by occurrences)  p50 ${pct(naive, 50).toFixed(1)} ms  p95 ${pct(naive, 95).toFixed(1)} ms`,
    );
  // hostile queries (test/http/hardening.test.ts asserts what the index is asked for them; this is their
  // time): one term 240 times took FTS5 6 s, a draft of one endless hyphenated word over 15 s
  const hostile: [string, () => Promise<unknown>][] = [
    ["search '1 '×240", () => search(hub, { q: '1 '.repeat(240), limit: 20 })],
    ["search '#1'×240", () => search(hub, { q: '#1'.repeat(240), limit: 20 })],
    ["search 'a- '×160", () => search(hub, { q: 'a- '.repeat(160), limit: 20 })],
    ...['a-', 'P-'].map((unit): [string, () => Promise<unknown>] => [
      `prior work of '${unit}'×24,000`,
      () => priorWork(hub, { title: 'Session affinity', text: unit.repeat(24_000), limit: 10 }),
    ]),
  ];
  for (const [name, run] of hostile) console.log(`hostile: ${name.padEnd(28)} ${(await time(run)).toFixed(1)} ms`);
  if (NAIVE)
    console.log(
      `naive prior-work baseline (${naivePrior.length} drafts, top 10 by key terms held)  p50 ${pct(naivePrior, 50).toFixed(1)} ms  p95 ${pct(naivePrior, 95).toFixed(1)} ms`,
    );
} finally {
  await store.close();
  if (values.db === 'postgres' && !values.keep && !values.reuse) {
    const admin = openStore(values.pg!);
    await sql`drop schema if exists ${sql.raw(schema)} cascade`.execute(admin.db);
    await admin.close();
  }
  rmSync(dir, { recursive: true, force: true }); // --reuse FILE keeps a SQLite corpus between runs
}
