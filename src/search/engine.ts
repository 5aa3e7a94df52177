// One search interface over SQLite FTS5 (bm25) and PostgreSQL full-text search (ts_rank_cd).
// Both weigh the title above the body and return a highlighted snippet.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Store } from '../store/connect.ts';
import type { Database, SearchDocumentsTable } from '../store/schema.ts';
import { LIMITS } from '../domain/limits.ts';
import { fts5Query, snippetHtml, markedSnippet, websearchQuery } from './text.ts';
import { allowedTypos, closestWord } from './words.ts';
import { rankIndexSchema } from './rank-index.ts';

export type SearchFilters = {
  kind?: string;
  group?: string;
  status?: string;
  layer?: string;
  since?: string;
  until?: string;
};
export type SearchHit = {
  id: string;
  ref: string;
  kind: string;
  title: string;
  group: string | null;
  status: string | null;
  layer: string | null;
  date: string;
  score: number;
  snippet: string;
};

type Row = Omit<SearchDocumentsTable, 'body'> & { rank: number; snippet: string | null };

function filtersSql(f: SearchFilters) {
  const parts = [];
  if (f.kind) parts.push(sql`and d.kind = ${f.kind}`);
  if (f.group) parts.push(sql`and d.group_slug = ${f.group}`);
  if (f.status) parts.push(sql`and d.status = ${f.status}`);
  if (f.layer) parts.push(sql`and d.layer = ${f.layer}`);
  if (f.since) parts.push(sql`and d.date >= ${f.since}`);
  if (f.until) parts.push(sql`and d.date <= ${f.until}`);
  return sql.join(parts, sql` `);
}

const PG_RANK_CANDIDATES = 5000;
const PG_ESTIMATE_ABOVE = 50_000;
// prior-work candidates are ranked again in the app, so fewer suffice
const PG_RANK_CANDIDATES_ANY = 1500;
// of which the best by term frequency are ranked by cover density
const PG_ANY_RANKED = 300;
// with the RUM index: how many of its best matches are ranked again exactly (more when paging deep)
const PG_RERANK = 200;
// on a large index: how many title matches are read, and how many of the best by the small in-row
// vector are ranked again on the whole one
const PG_LARGE_CANDIDATES = 300;
/**
 * Above how many documents PostgreSQL search takes the large-index plan, and prior work takes how
 * many documents hold a term from the planner's statistics instead of counting (tests lower them).
 */
export const largeIndexPlan = {
  above: PG_ESTIMATE_ABOVE,
  estimatesAbove: PG_ESTIMATE_ABOVE,
  /** how many of a search's matches are ranked when more than `sampleAbove` are expected (0: every match up to PG_RANK_CANDIDATES) */
  sampled: 1500,
  sampleAbove: 1500,
  /**
   * Where more matches than this are expected and the titles do not fill a page, the candidates are
   * the documents whose opening holds every word (the title and the body's first 500 characters,
   * `rank_tsv`, from its own index: migration 190), at most `leadSampled` of them (0: off).
   */
  leadAbove: 1500,
  leadSampled: 1000,
  /** whether the RUM index orders a large index's matches when the titles do not fill a page */
  rum: false,
};
const PG_LARGE_RERANK = 100;

/**
 * A comment counts for less than the item it is about: its title repeats the item's, so without
 * this a short comment would outrank the proposal or SEP a reader searched for.
 */
const COMMENT_WEIGHT = 0.5;
const COMMENT_WEIGHT_SQL = sql`(case when d.kind = 'comment' then ${sql.lit(COMMENT_WEIGHT)} else 1 end)`;
const weightOf = (kind: string) => (kind === 'comment' ? COMMENT_WEIGHT : 1);

/** A document read by id or ref rather than matched: no score, no snippet. */
export const unrankedHit = (r: Omit<Row, 'rank' | 'snippet'>): SearchHit => toHit({ ...r, rank: 0, snippet: null }, 0);

const toHit = (r: Row, score: number): SearchHit => ({
  id: r.id,
  ref: r.ref,
  kind: r.kind,
  title: r.title,
  group: r.group_slug,
  status: r.status,
  layer: r.layer,
  date: r.date,
  score,
  snippet: snippetHtml(r.snippet ?? ''),
});

/**
 * A match's rank as shown, to three significant digits. Three decimals showed 0 for every match of a
 * small index: there a word most documents hold weighs almost nothing in BM25 (FTS5 floors its
 * rarity at a millionth), so each score was a few millionths, and the list's order looked arbitrary.
 */
function shownRank(rank: number): number {
  return rank > 0 ? Number(rank.toPrecision(3)) : 0;
}

/**
 * Ranked matches. `mode: 'all'` needs every word (the search box); `'any'` ranks documents by
 * how many of the terms they share (prior-work candidates).
 */
export async function searchIndex(
  store: Store,
  query: string,
  filters: SearchFilters,
  limit: number,
  offset = 0,
  mode: 'all' | 'any' = 'all',
  /** false when no one reads the snippets (prior-work candidates): PostgreSQL's cost a whole document each */
  snippets = true,
): Promise<SearchHit[]> {
  // an accent typed apart (NFD, as a Mac may send it) is the accent the index holds (NFC, `indexing.ts`)
  query = query.normalize('NFC');
  const db = store.db;
  if (store.kind === 'sqlite') {
    const match = fts5Query(query, mode);
    if (!match) return [];
    const rows = await sql<Row>`
      select d.id, d.ref, d.kind, d.title, d.group_slug, d.status, d.layer, d.date,
             search_fts.rank as rank,
             substr(d.body, 1, ${LIMITS.search.snippetWindow}) as snippet
      from search_fts join search_documents d on d.rowid = search_fts.rowid
      where search_fts match ${match} ${filtersSql(filters)}
      order by search_fts.rank * ${COMMENT_WEIGHT_SQL} limit ${limit} offset ${offset}`.execute(db);
    // FTS5's snippet() costs about (document size × matches)²: it is cut here, from a bounded window
    for (const r of rows.rows) r.snippet = markedSnippet(r.snippet ?? '', query);
    return rows.rows.map((r) => toHit(r, shownRank(-Number(r.rank) * weightOf(r.kind))));
  }
  const words = [...query.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => m[0].toLowerCase());
  if (!words.length) return [];
  // one reading of what is asked for (searchTerms', which fts5Query makes SQLite's query from) on both:
  // websearch_to_tsquery's own read `-hosting` alone, `a -hosting` (a stop word) and `x or -hosting`
  // as every document without the word, where SQLite finds none (attack round 32)
  const web = mode === 'all' ? websearchQuery(query) : null;
  if (mode === 'all' && !web) return [];
  const tsq = web
    ? // asked-for words that are all English stop words ("a", "the") leave nothing asked for: nothing
      // matches (an empty tsquery), not everything without the words left out
      sql`(case when numnode(websearch_to_tsquery('english', ${web.asked})) = 0 then ''::tsquery else websearch_to_tsquery('english', ${web.all}) end)`
    : sql`to_tsquery('english', ${words
        .map((w) => w.replace(/[^a-z0-9]/g, ''))
        .filter(Boolean)
        .join(' | ')})`;
  const rows =
    mode === 'all' && (await documentCountEstimate(store)) > largeIndexPlan.above
      ? await titlesFirstMatches(store, tsq, filters, limit, offset, web!.leavesOut ? null : web!.asked)
      : await exactMatches(store, tsq, filters, limit, offset, mode);
  // Snippets only for the page shown, cut here from a bounded window as on SQLite: ts_headline parses
  // each whole document again (about 1 ms a document on 2 busy cores, half a search's budget at 1 M).
  const hits = rows;
  if (hits.length && snippets) {
    const heads = await sql<{ id: string; text: string }>`
      select d.id, substr(d.body, 1, ${LIMITS.search.snippetWindow}) as text
      from search_documents d where d.id in (${sql.join(hits.map((h) => h.id))})`.execute(db);
    const byId = new Map(heads.rows.map((h) => [h.id, h.text]));
    for (const h of hits) h.snippet = markedSnippet(byId.get(h.id) ?? '', query);
  }
  return hits.map((r) => toHit(r, shownRank(Number(r.rank))));
}

/**
 * Matches ranked exactly on their whole vector (on an index of up to PG_ESTIMATE_ABOVE documents;
 * at most PG_RANK_CANDIDATES of them). With the RUM index, the index itself orders the matches by its
 * cover-density score (from the positions it stores: no row is read), and only the best of them
 * are ranked again exactly, with the comment weight. Prior work asks for any of up to 10 terms:
 * RUM scores every posting of each, so it keeps the candidate plan.
 */
async function exactMatches(
  store: Store,
  tsq: RawBuilder<unknown>,
  filters: SearchFilters,
  limit: number,
  offset: number,
  mode: 'all' | 'any',
  cap = mode === 'all' ? PG_RANK_CANDIDATES : PG_RANK_CANDIDATES_ANY,
  /** false on a large index: RUM reads every posting of each word with its positions (slower there) */
  rumOrdered = true,
): Promise<Row[]> {
  const rum = mode === 'all' && rumOrdered ? await rankIndexSchema(store) : null;
  const candidates = rum
    ? sql`select d.id, d.ref, d.kind, d.title, d.group_slug, d.status, d.layer, d.date, d.tsv
          from search_documents d where d.tsv @@ ${tsq} ${filtersSql(filters)}
          order by d.tsv operator(${sql.id(rum)}.<=>) ${tsq} limit ${Math.max(PG_RERANK, 4 * (offset + limit))}`
    : sql`select d.id, d.ref, d.kind, d.title, d.group_slug, d.status, d.layer, d.date, d.tsv
          from search_documents d where d.tsv @@ ${tsq} ${filtersSql(filters)}
          limit ${cap}`;
  // "Any of ten terms" (prior work): ts_rank_cd over ten alternatives costs about 0.1 ms a document
  // (150 ms for 1,500 candidates on 2 busy cores), ts_rank a tenth of that; so ts_rank (how often
  // they occur) keeps the best PG_ANY_RANKED and ts_rank_cd orders those, as it orders all of them
  // wherever fewer match.
  const narrowed =
    mode === 'any'
      ? sql`(select * from c order by ts_rank(c.tsv, ${tsq}, 1) desc, c.id limit ${PG_ANY_RANKED})`
      : sql`c`;
  const rows = await sql<Row>`
    with c as (${candidates})
    select c.id, c.ref, c.kind, c.title, c.group_slug, c.status, c.layer, c.date,
           ts_rank_cd(c.tsv, ${tsq}, 1) * (case when c.kind = 'comment' then ${sql.lit(COMMENT_WEIGHT)} else 1 end) as rank,
           null as snippet
    from ${narrowed} as c
    order by rank desc, c.id limit ${limit} offset ${offset}`.execute(store.db);
  return rows.rows;
}

/**
 * The search box on a large index (over PG_ESTIMATE_ABOVE documents), where two common words match
 * so many documents that ranking the first PG_RANK_CANDIDATES in table order is both slow (each
 * whole vector read from TOAST) and arbitrary: the documents whose title holds every word come
 * from the titles' own index (migration 137; a few hundred even for common words), are ranked on
 * the small vector kept in their row (title + the body's start, migration 136), and the best
 * PG_LARGE_RERANK again exactly on their whole vector. When those do not fill the page (rarer
 * words, or a word excluded), the exact plan ranks the matches anywhere, the titles' ones included.
 */
async function titlesFirstMatches(
  store: Store,
  tsq: RawBuilder<unknown>,
  filters: SearchFilters,
  limit: number,
  offset: number,
  /** the words, when none is excluded (then titles holding every word come first) */
  titlesFirst: string | null,
): Promise<Row[]> {
  const db = store.db;
  const need = offset + limit;
  // asked beside the titles (another connection): one round trip less where they do not fill the page
  const expecting = titlesFirst ? expectedMatches(store, titlesFirst) : Promise.resolve(0);
  expecting.catch(() => {}); // not awaited when the titles fill the page
  const titled = titlesFirst
    ? (
        await sql<{ id: string; rank: number }>`
    select d.id, ts_rank_cd(d.rank_tsv, ${tsq}, 1) * ${COMMENT_WEIGHT_SQL} as rank
    from search_documents d where to_tsvector('english', d.title) @@ ${tsq} ${filtersSql(filters)}
    limit ${Math.max(PG_LARGE_CANDIDATES, 2 * need)}`.execute(db)
      ).rows
    : [];
  const best = titled
    .sort((x, y) => Number(y.rank) - Number(x.rank) || (x.id < y.id ? -1 : 1))
    .slice(0, Math.max(PG_LARGE_RERANK, 2 * need))
    .map((r) => r.id);
  const exactly = async (ids: string[]) =>
    ids.length
      ? (
          await sql<Row>`
    select d.id, d.ref, d.kind, d.title, d.group_slug, d.status, d.layer, d.date,
           ts_rank_cd(d.tsv, ${tsq}, 1) * ${COMMENT_WEIGHT_SQL} as rank, null as snippet
    from search_documents d where d.id in (${sql.join(ids)})`.execute(db)
        ).rows
      : [];
  const byRank = (x: Row, y: Row) => Number(y.rank) - Number(x.rank) || (x.id < y.id ? -1 : 1);
  if (titled.length >= need) return (await exactly(best)).sort(byRank).slice(offset, need);
  let expected = await expecting;
  if (titlesFirst && largeIndexPlan.leadAbove && expected > largeIndexPlan.leadAbove) {
    const { rows: openings, candidates } = await openingMatches(store, tsq, filters, need);
    // the planner's estimate of two words together can be several times too high: where the
    // openings hold them so rarely, all of the matches are few enough to rank whole (below)
    const few = candidates * OPENING_SHARE <= largeIndexPlan.sampleAbove;
    if (!few) {
      const rows = new Map(openings.map((r) => [r.id, r]));
      for (const r of await exactly(best.filter((id) => !rows.has(id)))) rows.set(r.id, r);
      if (rows.size >= need) return [...rows.values()].sort(byRank).slice(offset, need);
    }
    expected = Math.min(expected, largeIndexPlan.sampleAbove);
  }
  const cap = !titlesFirst
    ? PG_RANK_CANDIDATES
    : largeIndexPlan.sampled && expected > largeIndexPlan.sampleAbove
      ? largeIndexPlan.sampled
      : PG_RANK_CANDIDATES;
  const rows = new Map(
    (await exactMatches(store, tsq, filters, need, 0, 'all', cap, largeIndexPlan.rum)).map((r) => [r.id, r]),
  );
  for (const r of await exactly(best.filter((id) => !rows.has(id)))) rows.set(r.id, r);
  return [...rows.values()].sort(byRank).slice(offset, need);
}

/**
 * How many documents the planner expects to hold every word (its lexeme statistics, one statement):
 * a large index's search ranks a sample where more are expected than `sampleAbove` (the first
 * `sampled` matches in table order: beyond 5,000 that was a sample already, and between 1,500 and
 * 5,000 it cost a little of the order, docs/performance.md), or the openings' matches above
 * `leadAbove`; where fewer are expected, every match is ranked.
 */
async function expectedMatches(store: Store, words: string): Promise<number> {
  return (await plannerDocumentEstimates(store, [words]))?.get(words) ?? 0;
}

/**
 * Where many documents hold every word, the best ranked are those holding them close together, and
 * the shorter ones (the rank is divided by the length's logarithm): on the generated million, 17 of a
 * common pair's true top 20 hold both words in their opening, which a fifth of its matches do. So the
 * candidates are the first `leadSampled` matches of the openings' own index (a smaller vector, read
 * in full only for those), each ranked on its whole vector; the title matches are added by the caller.
 * The whole text is checked too (not through its index): an excluded word may come later.
 */
/** About one match in this many holds every word in its opening (a fifth, on the generated million). */
const OPENING_SHARE = 5;

async function openingMatches(
  store: Store,
  tsq: RawBuilder<unknown>,
  filters: SearchFilters,
  need: number,
): Promise<{ rows: Row[]; candidates: number }> {
  const rows = await sql<Row & { candidates: number }>`
    with c as (
      select d.id, d.ref, d.kind, d.title, d.group_slug, d.status, d.layer, d.date, d.tsv
      from search_documents d where d.rank_tsv @@ ${tsq} and coalesce(d.tsv @@ ${tsq}, false) ${filtersSql(filters)}
      limit ${largeIndexPlan.leadSampled})
    select c.id, c.ref, c.kind, c.title, c.group_slug, c.status, c.layer, c.date,
           ts_rank_cd(c.tsv, ${tsq}, 1) * (case when c.kind = 'comment' then ${sql.lit(COMMENT_WEIGHT)} else 1 end) as rank,
           null as snippet, count(*) over () as candidates
    from c order by rank desc, c.id limit ${need}`.execute(store.db);
  return { rows: rows.rows, candidates: Number(rows.rows[0]?.candidates ?? 0) };
}

export async function indexedBodies(
  store: Store,
  ids: string[],
): Promise<Map<string, { title: string; body: string; group: string | null }>> {
  if (!ids.length) return new Map();
  const rows = await store.db
    .selectFrom('search_documents')
    .select(['id', 'title', 'group_slug'])
    // ranking reads a bounded prefix of each candidate, whatever its length
    .select(sql<string>`substr(body, 1, ${LIMITS.search.rankedBodyChars})`.as('body'))
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, { title: r.title, body: r.body, group: r.group_slug }]));
}

/**
 * One line for the start-up banner: how search ranks on this database, as the plan in use does
 * (above largeIndexPlan.above documents, titles first, then the openings; below, the RUM index when there is one).
 */
export async function searchRankingNote(store: Store): Promise<string> {
  if (store.kind === 'sqlite') return 'SQLite FTS5, ranked in the index (bm25)';
  const docs = await documentCountEstimate(store);
  const size = `about ${docs.toLocaleString('en')} documents, over ${largeIndexPlan.above.toLocaleString('en')}`;
  // a large index does not order by RUM (it reads every posting of each word there): the same plan with or without it
  if (docs > largeIndexPlan.above)
    return `PostgreSQL full text (${size}): titles holding every word first, from the titles' index; where many documents hold every word, those holding them in their opening, from the openings' index; otherwise every match; each ranked on the vector in its row`;
  if (await rankIndexSchema(store)) return 'PostgreSQL full text, ranked in the RUM index';
  return (
    'PostgreSQL full text WITHOUT the RUM index: each search ranks at most 5,000 matches read from the table. ' +
    'Install postgresql-15-rum (or your distribution’s rum package), then run `wghub search-index`'
  );
}

/** A large PostgreSQL index's estimate, kept for a while: every search and draft needs it, and a round trip costs. */
const largeCounts = new WeakMap<Store, { n: number; until: number }>();
const LARGE_COUNT_KEEP_MS = 30_000;

/** Roughly how many documents there are (an estimate is enough to call a term common). */
export async function documentCountEstimate(store: Store): Promise<number> {
  const kept = largeCounts.get(store);
  if (kept && kept.until > Date.now()) return kept.n;
  if (store.kind === 'sqlite') {
    const r = await sql<{ n: number | null }>`select max(rowid) as n from search_documents`.execute(store.db);
    return Number(r.rows[0]?.n ?? 0);
  }
  const r = await sql<{
    n: number;
  }>`select greatest(reltuples, 0)::bigint as n from pg_class where oid = 'search_documents'::regclass`.execute(
    store.db,
  );
  const est = Number(r.rows[0]?.n ?? 0);
  // only a large index's: it does not shrink past the plans' thresholds in seconds, a small one may grow past them
  if (est > PG_ESTIMATE_ABOVE) largeCounts.set(store, { n: est, until: Date.now() + LARGE_COUNT_KEEP_MS });
  return est > 0
    ? est
    : Number(
        (
          await store.db
            .selectFrom('search_documents')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
}

/**
 * How many documents contain each term, counting no further than `cap`: enough to tell rare
 * terms (worth searching for) from common ones (which would make the engine rank most of the
 * index), at the cost of reading at most `cap` postings per term.
 */
export async function cappedDocumentCounts(store: Store, terms: string[], cap: number): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  // On a large PostgreSQL index a capped count still rechecks thousands of rows per common term
  // (seconds for a draft at a million documents); the planner's estimate from ANALYZE's lexeme
  // statistics costs a millisecond and tells rare from common just as well.
  if (store.kind !== 'sqlite' && (await documentCountEstimate(store)) > largeIndexPlan.estimatesAbove) {
    const estimated = await plannerDocumentEstimates(store, terms);
    if (estimated) {
      for (const t of terms) out.set(t, Math.min(cap, estimated.get(t) ?? 0));
      return out;
    }
    for (const t of terms) {
      const r = await sql<{
        'QUERY PLAN': { Plan: { 'Plan Rows': number } }[];
      }>`explain (format json) select 1 from search_documents where tsv @@ plainto_tsquery('english', ${t})`.execute(
        store.db,
      );
      out.set(t, Math.min(cap, Math.round(r.rows[0]?.['QUERY PLAN'][0]?.Plan['Plan Rows'] ?? 0)));
    }
    return out;
  }
  for (const t of terms) {
    const r =
      store.kind === 'sqlite'
        ? await sql<{
            n: number;
          }>`select count(*) as n from (select 1 from search_fts where search_fts match ${`"${t.replace(/"/g, '')}"`} limit ${cap})`.execute(
            store.db,
          )
        : await sql<{
            n: number;
          }>`select count(*) as n from (select 1 from search_documents where tsv @@ plainto_tsquery('english', ${t}) limit ${cap}) s`.execute(
            store.db,
          );
    out.set(t, Number(r.rows[0]?.n ?? 0));
  }
  return out;
}

/**
 * How many documents the planner expects to hold each term, for all the terms in one statement:
 * what `EXPLAIN … where tsv @@ plainto_tsquery(term)` estimates, read from the same ANALYZE
 * statistics (the most common lexemes and their frequencies; a lexeme not among them counts as
 * half the least frequent one, at most 0.5%, as the planner assumes; a term of several lexemes
 * needs them all; at least 1, as EXPLAIN says). Null when the table has no statistics yet.
 */
export async function plannerDocumentEstimates(store: Store, terms: string[]): Promise<Map<string, number> | null> {
  const total = await documentCountEstimate(store);
  const r = await sql<{ term: string; rows: number | null; analysed: boolean }>`
    with st as (
      select most_common_elems::text::text[] as elems, most_common_elem_freqs as freqs
      from pg_stats where schemaname = current_schema() and tablename = 'search_documents' and attname = 'tsv'),
    t as (select term, tsvector_to_array(to_tsvector('english', term)) as lexemes
          from unnest(${terms}::text[]) as term)
    select t.term, (select exists (select 1 from st where elems is not null)) as analysed,
      greatest(1, round((select case when count(*) = 1 then max(f)::float8 else exp(sum(ln(greatest(f::float8, 1e-12)))) end
        from (select coalesce(st.freqs[array_position(st.elems, l)],
                              least(0.005, st.freqs[array_length(st.elems, 1) + 1] / 2)) as f
              from unnest(t.lexemes) as l, st) f) * ${total}::float8)) as rows
    from t`.execute(store.db);
  if (!r.rows.some((x) => x.analysed)) return null;
  return new Map(r.rows.map((x) => [x.term, Number(x.rows ?? 0)]));
}

/**
 * Documents of one kind whose text mentions the number `n`: as a word, in "SEP-n", or in a link
 * to that issue or pull request of the specification repository. PostgreSQL keeps a link whole
 * (its path is one lexeme) and reads "SEP-n" as a negative number, so it is asked for each form.
 */
export async function documentsMentioningNumber(
  store: Store,
  n: string,
  kind: string,
  limit: number,
): Promise<SearchHit[]> {
  if (!/^\d+$/.test(n)) return [];
  if (store.kind === 'sqlite') return searchIndex(store, n, { kind }, limit, 0, 'all');
  const paths = ['modelcontextprotocol', 'specification'].flatMap((repo) =>
    ['issues', 'pull'].flatMap((k) => [
      `/modelcontextprotocol/${repo}/${k}/${n}`,
      `github.com/modelcontextprotocol/${repo}/${k}/${n}`,
    ]),
  );
  const tsq = [n, `-${n}`, ...paths].map((l) => `'${l}'`).join(' | ');
  const rows = await sql<Row>`
    select d.id, d.ref, d.kind, d.title, d.group_slug, d.status, d.layer, d.date, 0 as rank, null as snippet
    from search_documents d where d.tsv @@ ${tsq}::tsquery and d.kind = ${kind} order by d.id limit ${limit}`.execute(
    store.db,
  );
  return rows.rows.map((r) => toHit(r, 0));
}

/**
 * Keeps the typo-correction vocabulary counting documents: a re-indexed document adds the words it
 * gained and takes away those it lost, a removed one (`after` null) takes away all of its words, and
 * a word no document carries any more leaves the table, so a search is never "corrected" to it.
 */
export async function changeWords(
  db: Kysely<Database>,
  before: string[] | null,
  after: string[] | null,
): Promise<void> {
  const was = new Set(before ?? []);
  const now = new Set(after ?? []);
  const added = [...now].filter((w) => !was.has(w));
  const gone = [...was].filter((w) => !now.has(w));
  for (let i = 0; i < added.length; i += 500)
    await db
      .insertInto('search_words')
      .values(added.slice(i, i + 500).map((word) => ({ word, docs: 1 })))
      .onConflict((oc) => oc.column('word').doUpdateSet({ docs: sql`search_words.docs + 1` }))
      .execute();
  for (let i = 0; i < gone.length; i += 500) {
    const batch = gone.slice(i, i + 500);
    await db.updateTable('search_words').set({ docs: sql`docs - 1` }).where('word', 'in', batch).execute();
    await db.deleteFrom('search_words').where('word', 'in', batch).where('docs', '<=', 0).execute();
  }
}

/** Documents added in bulk: each word's count goes up by the number of new documents that carry it. */
export async function addWords(db: Kysely<Database>, counts: Map<string, number>): Promise<void> {
  const rows = [...counts].map(([word, docs]) => ({ word, docs }));
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('search_words')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.column('word').doUpdateSet({ docs: sql`search_words.docs + excluded.docs` }))
      .execute();
}

/**
 * The query with each word the index does not hold replaced by the closest word it does (same
 * first letter, one typo in a short word, two in a longer one); null when nothing was changed.
 */
export async function correctedQuery(store: Store, query: string): Promise<string | null> {
  query = query.normalize('NFC');
  const db = store.db;
  let changed = false;
  let out = query;
  for (const m of [...query.toLowerCase().matchAll(/\p{L}[\p{L}\p{N}]{3,29}/gu)].slice(0, 8)) {
    const word = m[0];
    const first = String.fromCodePoint(word.codePointAt(0)!);
    const next = String.fromCodePoint(word.codePointAt(0)! + 1);
    const max = allowedTypos(word);
    const known = await db
      .selectFrom('search_words')
      .select(['word', 'docs'])
      .where('word', '>=', first)
      .where('word', '<', next)
      .where(sql<number>`length(word)`, '>=', word.length - max)
      .where(sql<number>`length(word)`, '<=', word.length + max)
      .limit(LIMITS.search.correctionCandidates)
      .execute();
    const best = closestWord(word, known);
    if (best && best !== word) {
      out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${word}(?![\\p{L}\\p{N}])`, 'iu'), best);
      changed = true;
    }
  }
  return changed ? out : null;
}
