import { LIMITS } from '../../domain/limits.ts';
import { referencePrefix, shownRef, shownRefsIn, storedRef } from '../../domain/governance/words.ts';
import type { Governance } from '../../domain/governance/schema.ts';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Cancelled, invalid } from '../../domain/errors.ts';
import type { PriorWorkMatch } from '../../domain/proposals/prior-work.ts';
import { firstCharacters } from '../../domain/text.ts';
import { readJson, writeJson } from '../../store/schema.ts';
import {
  cappedDocumentCounts,
  correctedQuery,
  documentCountEstimate,
  documentsMentioningNumber,
  indexedBodies,
  searchIndex,
  type SearchHit,
  unrankedHit,
} from '../../search/engine.ts';
import { explicitRefs, formerNumber, keyPhrases, keyTerms, startsAWord, words } from '../../search/text.ts';
import { expandTerms, synonyms } from '../../search/thesaurus.ts';
import { CursorPart, decodeCursor, encodeCursor, inTransaction, nowIso, record, type Hub } from '../core/hub.ts';
import { PriorWorkInput, SearchQuery } from './schemas.ts';
import { parseInput } from '../core/validate.ts';
import { recordedRelations } from './recorded.ts';
import { reportedRef } from './reported-ref.ts';
import { sameItem } from './same-item.ts';
import { knownFilter } from '../groups/filters.ts';
import { tally } from '../../domain/work.ts';

/** The search box's input: shape, real calendar days, and a date range that runs forwards. */
export const SearchInput = SearchQuery;

export type SearchResult = {
  query: string;
  items: SearchHit[];
  /** When the words as typed found nothing: the query the results are for, misspelt words corrected. */
  correctedQuery?: string;
  /** When no item holds every word: the items hold some of them, best first (the telling words only). */
  someWords?: string[];
  /** Pass back as `cursor` for the next page (with the same words and filters); null on the last page. */
  nextCursor: string | null;
};

/** An item whose own title is what was searched for comes first, before things that mention it. */
function ownTitleFirst(items: SearchHit[], query: string): SearchHit[] {
  // NFC, as the index holds titles: a query typed with its accents apart ("Re\u0301sume\u0301") is the title
  const norm = (t: string) =>
    t
      .normalize('NFC')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
  const q = norm(query);
  const own = items.filter((h) => h.kind !== 'comment' && norm(h.title) === q);
  return own.length ? [...own, ...items.filter((h) => !own.includes(h))] : items;
}

const filtersOf = (q: z.output<typeof SearchInput>) => ({
  kind: q.kind,
  group: q.group,
  status: q.status,
  layer: q.layer,
  since: q.since,
  until: q.until ? `${q.until}\uffff` : undefined,
});

/** A prior-work match as the community cites it: its reference and the references in its reasons. */
export function priorWorkMatchShown<M extends { ref: string; reasons: string[] }>(g: Governance, m: M): M {
  if (referencePrefix(g) === 'SEP') return m;
  return { ...m, ref: shownRef(g, m.ref), reasons: m.reasons.map((r) => shownRefsIn(g, r)) };
}

/** A result as the community cites it: a document of the `sep` route by its prefix (RFC-12). */
function shown<T extends { ref: string }>(hub: Hub, item: T): T {
  const ref = shownRef(hub.governance, item.ref);
  return ref === item.ref ? item : { ...item, ref };
}

/**
 * `signal` and `step` as for prior work: the search stops with Cancelled before each query after the
 * first (a misspelling corrected, some of the words) once its caller went away, and `step` is told of
 * each try, out of SEARCH_STEPS.
 */
export async function search(hub: Hub, raw: unknown, options: PriorWorkOptions = {}): Promise<SearchResult> {
  const found = await searchAsStored(hub, raw, options);
  return { ...found, items: found.items.map((i) => shown(hub, i)) };
}

/**
 * What one search is, for its cursors: the words and filters, so a cursor given with other words or
 * filters is refused rather than read as a place in a list it was not taken from.
 */
function searchKey(q: z.output<typeof SearchInput>): string {
  const what = [q.q, q.kind, q.group, q.status, q.layer, q.since, q.until].map((v) => v ?? null);
  return createHash('sha256').update(JSON.stringify(what)).digest('base64url').slice(0, 12);
}

/** The cursor of the page starting at `offset` of this search. */
function searchCursor(q: z.output<typeof SearchInput>, offset: number): string {
  return encodeCursor([offset, searchKey(q)]);
}

/**
 * Where a page starts: 0 without a cursor; with one, the place it names in this same search. The
 * results are ranked, not sorted by a key, so a cursor holds a place in the ranking (at most
 * LIMITS.search.maxOffset in) and which search it belongs to.
 */
const SearchCursor = [
  CursorPart.of(
    z.number().int().min(1).max(LIMITS.search.maxOffset),
    `a place in the results from 1 to ${LIMITS.search.maxOffset}`,
  ),
  CursorPart.of(z.string().regex(/^[A-Za-z0-9_-]{12}$/), 'the search it belongs to (12 letters, digits, - or _)'),
] as const;
function startOf(q: z.output<typeof SearchInput>): number {
  const at = decodeCursor(q.cursor, SearchCursor);
  if (!at) return 0;
  if (at[1] !== searchKey(q))
    throw invalid(
      'cursor',
      'is the nextCursor of another search: send it with the same words and filters as that search',
    );
  return at[0];
}

/** How many results come before the page a cursor opens (0 for none), for a page that numbers its results. */
export function resultsBefore(cursor: string | undefined): number {
  try {
    return decodeCursor(cursor, SearchCursor)?.[0] ?? 0;
  } catch {
    return 0;
  }
}

/** How many steps a search's `step` is told of at most: the words, corrected, some of them. */
export const SEARCH_STEPS = 3;

async function searchAsStored(hub: Hub, raw: unknown, options: PriorWorkOptions = {}): Promise<SearchResult> {
  const { signal, step } = options;
  const q = parseInput(SearchInput, raw);
  await knownFilter(hub.store.db, q);
  const start = startOf(q);
  stillWanted(signal, 'search');
  step?.(0, 'searching for the words as written');
  // one item past the page says whether another page follows
  const run = (text: string, offset = start) => searchIndex(hub.store, text, filtersOf(q), q.limit + 1, offset);
  const page = (found: SearchHit[], text: string | null) => {
    const items = found.slice(0, q.limit);
    return {
      // reordered within the page only, so the next page (from the index's order) neither repeats nor skips one
      items: text && !start ? ownTitleFirst(items, text) : items,
      // never one the input would refuse: past the last place a cursor may hold, no next page is offered
      nextCursor:
        found.length > q.limit && start + q.limit <= LIMITS.search.maxOffset ? searchCursor(q, start + q.limit) : null,
    };
  };
  const none = { query: q.q, items: [], nextCursor: null };
  // a later page (cursor) goes on with the words its first page searched: a page past the end of
  // those is empty, not the first page of the corrected or some of the words
  const pastTheEnd = async (text: string) => start > 0 && (await run(text, 0)).length > 0;
  const items = await run(q.q);
  if (items.length) return { query: q.q, ...page(items, q.q) };
  stillWanted(signal, 'search');
  if (await pastTheEnd(q.q)) return none;
  // nothing found: try again with misspelt words corrected, and say so
  stillWanted(signal, 'search');
  step?.(1, 'nothing found; trying the words with misspellings corrected');
  const corrected = await correctedQuery(hub.store, q.q);
  stillWanted(signal, 'search');
  if (corrected) {
    const found = await run(corrected);
    stillWanted(signal, 'search');
    if (found.length) return { query: q.q, ...page(found, corrected), correctedQuery: corrected };
    if (await pastTheEnd(corrected)) return none;
  }
  // still nothing: a question in a sentence ("keep sessions when a server restarts") rarely has every
  // word in one item, so items with some of its telling words are offered, best first, and it says so.
  // A phrase in quotes or an excluded word asked for exactly that: it is kept.
  const telling = [...new Set(words(q.q))].slice(0, 10);
  if (telling.length < 2 || /["]|(^|\s)-\S/.test(q.q)) return none;
  stillWanted(signal, 'search');
  step?.(2, 'still nothing; trying items with some of its words');
  const some = await searchIndex(hub.store, telling.join(' '), filtersOf(q), q.limit + 1, start, 'any');
  return some.length ? { query: q.q, ...page(some, null), someWords: telling } : none;
}

export type { PriorWorkMatch };

const CANDIDATES = 60;
/**
 * On a large PostgreSQL index the engine ranks at most 1,500 documents holding any of the rare
 * terms, taken in table order: ten rare terms of a draft hold tens of thousands of documents
 * between them at a million documents, so those would be an arbitrary share (and each one read
 * costs). Asked for the rarest terms, up to about this many documents together, it reads every
 * document holding them, and fewer rows (docs/performance.md).
 */
export const priorWorkPlan = { anyTermsBudget: 1500 /* 0: the first ten rare terms, as before (benches compare) */ };

/** The rarest terms (at least three, at most ten) whose documents together stay within `budget`, in the draft's order. */
export function rarestWithin(rare: string[], df: Map<string, number>, budget: number): string[] {
  const byRarity = [...rare].sort((a, b) => (df.get(a) ?? 0) - (df.get(b) ?? 0));
  const kept = new Set<string>();
  let docs = 0;
  for (const t of byRarity) {
    if (kept.size >= 10 || (kept.size >= 3 && docs + (df.get(t) ?? 0) > budget)) break;
    kept.add(t);
    docs += df.get(t) ?? 0;
  }
  return rare.filter((t) => kept.has(t));
}

/**
 * Candidates for a draft. Asking the engine for "any of 16 terms" makes it rank most of a large
 * index when some terms are common, so common terms are left to the ranking here: the engine is
 * asked for the rare terms (any of them), and, when the draft has few rare terms, for documents
 * holding its two strongest terms together.
 */
async function candidates(hub: Hub, terms: string[]): Promise<{ hits: SearchHit[]; rarity: Map<string, number> }> {
  if (!terms.length) return { hits: [], rarity: new Map() };
  const total = await documentCountEstimate(hub.store);
  const common = Math.max(2000, Math.floor(total * 0.01));
  // counted no further than `common`: enough to tell rare terms from common ones on any index
  const df = await cappedDocumentCounts(hub.store, terms, common + 1);
  // a small index is cheap to rank whole: every term counts as rare there
  const rare = total > common ? terms.filter((t) => (df.get(t) ?? 0) > 0 && (df.get(t) ?? 0) <= common) : terms;
  // SQLite ranks every document holding any of them inside its index: the first ten, as written
  const asked =
    total <= common
      ? rare.slice(0, 16)
      : hub.store.kind === 'sqlite' || !priorWorkPlan.anyTermsBudget
        ? rare.slice(0, 10)
        : rarestWithin(rare, df, priorWorkPlan.anyTermsBudget);
  const hits: SearchHit[] = [];
  if (asked.length) hits.push(...(await searchIndex(hub.store, asked.join(' '), {}, CANDIDATES, 0, 'any', false)));
  if (rare.length < 3) {
    const strong = terms.filter((t) => !rare.includes(t)).slice(0, 2);
    if (strong.length === 2)
      for (const h of await searchIndex(hub.store, strong.join(' '), {}, CANDIDATES, 0, 'all', false))
        if (!hits.some((x) => x.id === h.id)) hits.push(h);
  }
  // inverse document frequency: a term most documents carry says little about which one is meant
  const n = Math.max(total, 1);
  const rarity = new Map(terms.map((t) => [t, Math.log(1 + n / Math.max(1, Math.min(df.get(t) ?? 0, n)))]));
  return { hits, rarity };
}

/**
 * How much of the draft's vocabulary a document carries, scored like BM25: each key term counts
 * by its rarity in the index and its rank in the draft, more in the title; repetition saturates
 * (k1) and long documents are discounted against the average length (b), so a long page that
 * mentions everything once does not outrank the short one about the subject.
 */
const K1 = 1.2;
const B = 0.75;
function termOverlap(
  terms: string[],
  rarity: Map<string, number>,
  doc: { title: string; body: string },
  averageLength: number,
): number {
  const title = doc.title.toLowerCase();
  const body = doc.body.toLowerCase();
  const lengthNorm = 1 - B + (B * body.length) / Math.max(1, averageLength);
  let score = 0;
  terms.forEach((t, i) => {
    const weight = (rarity.get(t) ?? 1) / (1 + i * 0.15);
    const stem = t.length > 5 ? t.slice(0, -2) : t;
    const count = body.split(stem).length - 1;
    if (startsAWord(title, stem, doc.title)) score += 2 * weight;
    score += (weight * count * (K1 + 1)) / (count + K1 * lengthNorm);
  });
  return score;
}

/**
 * SEPs a draft cites by a number that is no longer theirs (renumbered, or superseded by them):
 * for each cited SEP number nothing in the index carries, the SEPs whose text mentions it are
 * read to see whether they account for it (see `formerNumber`). Found ones join the candidates.
 */
async function formerNumbers(
  hub: Hub,
  refs: string[],
  hits: SearchHit[],
): Promise<Map<string, { cited: string; how: 'renumbered' | 'supersedes' }>> {
  const out = new Map<string, { cited: string; how: 'renumbered' | 'supersedes' }>();
  const wanted = refs
    .map((r) => ({ cited: r, n: /^(?:SEP-|#)(\d+)$/.exec(r)?.[1] }))
    .filter((w): w is { cited: string; n: string } => !!w.n);
  if (!wanted.length) return out;
  const known = new Set(
    (
      await hub.store.db
        .selectFrom('search_documents')
        .select('ref')
        .where(
          'ref',
          'in',
          wanted.map((w) => `SEP-${w.n}`),
        )
        .execute()
    ).map((r) => r.ref),
  );
  for (const w of wanted.filter((x) => !known.has(`SEP-${x.n}`)).slice(0, 5)) {
    const mentions = await documentsMentioningNumber(hub.store, w.n, 'sep', 20);
    const bodies = await indexedBodies(
      hub.store,
      mentions.map((m) => m.id),
    );
    for (const m of mentions) {
      const how = formerNumber(bodies.get(m.id)?.body ?? '', w.n);
      if (!how || out.has(m.id)) continue;
      out.set(m.id, { cited: w.cited, how });
      if (!hits.some((h) => h.id === m.id)) hits.push({ ...m, score: 0 });
    }
  }
  return out;
}

/**
 * What links a candidate to a draft, each signal in 0..1. Prior work is ranked by a weighted sum
 * of them (WEIGHTS); bench/prior-work-quality.ts measures each one's gain by cross-validation
 * over the labelled pairs in test/search/.
 */
export type Signals = {
  /** the draft's key terms in its text, BM25-like, relative to the best candidate */
  overlap: number;
  /** the draft cites it (by number, old number, superseded number or link) */
  cites: number;
  /** it cites the draft (when the draft is an existing SEP) */
  citedBy: number;
  /** the draft's whole text cites it (when the draft is an existing SEP, whose text past the first section is known) */
  linked: number;
  /** it cites SEPs the draft cites too */
  cocited: number;
  /** two-word phrases of the draft in its text */
  phrases: number;
  /** the draft's key terms in its title */
  title: number;
  /** the draft's key terms, or the community's other words for them, in its title and abstract */
  abstract: number;
  /** draft terms it does not use, but the community's other words for them (thesaurus.ts) */
  synonyms: number;
  /** it belongs to the draft's group */
  group: number;
  /** it shares an author or sponsor with the draft (when the draft is an existing SEP) */
  people: number;
  /** it is in the draft's layer (specification, working-group artifact…; when the draft is an existing item) */
  layer: number;
  /** code names the draft uses (and, for an existing item, its whole text) that few candidates carry (`enumNames`, `Mcp-Session-Id`, `tools/call`), in its text */
  identifiers: number;
  /** the key terms of the draft's whole text in its text, BM25-like (when the draft is an existing item, whose text past the first section is known) */
  body: number;
  /** a person recorded (or a SEP header names) a relation between it and the draft (when the draft is an existing proposal or SEP) */
  recorded: number;
};

// The weights bench/prior-work-quality.ts tunes on every labelled pair from its label-free start
// (so the bench's "shipped model" figures are optimistic; its cross-validated figures do not
// depend on these), except `cites`: tuned, citing weighs a quarter of term overlap, and a draft
// that cites "#1350" would not be shown SEP-1302 first, so citing is kept close to overlap.
export const WEIGHTS: Signals = {
  overlap: 1,
  cites: 0.8,
  citedBy: 0.25,
  linked: 0.25,
  cocited: 0.25,
  phrases: 0.125,
  title: 0.25,
  abstract: 0.25,
  synonyms: 0.125,
  group: 0.25,
  people: 0.25,
  layer: 0,
  identifiers: 0.5,
  body: 0.25,
  // a person said so: weighs as much as sharing the draft's words
  recorded: 1,
};

export type PriorWorkCandidate = {
  ref: string;
  kind: string;
  title: string;
  signals: Signals;
  reasons: Partial<Record<keyof Signals, string>>;
  /** For a docs page: the SEPs it restates or documents (it names or links them), as SEP-n. */
  restates?: string[];
  /** Other candidates it is recorded as superseding, duplicating, building on or promoted from (or they it), with how. */
  lineage?: { ref: string; how: string }[];
  /** A candidate only because a recorded relation names it: shown only through that relation. */
  joined?: true;
};

/** A docs page naming more SEPs than this is an index or roadmap, not one SEP's page. */
const RESTATES_AT_MOST = 2;

/** The SEPs a docs page restates: those it names or links (seps/NNNN), when it names only a few. */
function restatedSeps(body: string): string[] {
  const named = new Set([...citedSeps(body), ...[...body.matchAll(/\bseps\/(\d{2,5})\b/gi)].map((m) => m[1]!)]);
  return named.size && named.size <= RESTATES_AT_MOST ? [...named].map((n) => `SEP-${n}`) : [];
}

/** The opening of a document: its abstract (or summary, motivation…) when it names one. */
function abstractOf(body: string): string {
  const m =
    // [ \t]*, not \s*, after the line break: every line break of a run of blank lines was tried and
    // scanned the whole run, the square of its length (a body of 20,000 blank lines, a second)
    /(?:^|\n)[ \t]*(?:Abstract|Summary|Overview|Mission Statement|Motivation|Introduction)\s*\n([\s\S]{0,1500})/i.exec(
      body,
    );
  return (m ? m[1]! : body.slice(0, 1500)).toLowerCase();
}

/** A word that is a mail address: something, an @, something, a dot and something after it. */
function isAddress(word: string): boolean {
  tally('addresses', word.length); // each word read once (src/domain/work.ts)
  const at = word.indexOf('@', 1);
  const dot = word.lastIndexOf('.');
  return at > 0 && dot >= at + 2 && dot < word.length - 1;
}

/** Authors and sponsors named in a SEP's header lines, as lower-case names and handles. */
function peopleOf(lines: { key: string; value: string }[]): Set<string> {
  const out = new Set<string>();
  for (const { key, value } of lines)
    if (/^(?:authors?|author\(s\)|sponsors?)$/i.test(key.trim()))
      for (const part of value.split(/,|;|\band\b|\(|\)/)) {
        // addresses are whole words with an @ and a dot after it, found word by word: one pattern
        // over the line took the cube of its length on 'x@x@x@…' (a header from anyone's pull request)
        const p = part
          .replace(/on behalf of.*$/i, '')
          .replace(/<[^<>]*>/g, '')
          .split(/\s+/)
          .filter((w) => !isAddress(w))
          .join(' ')
          .replace(/^@/, '')
          .trim()
          .toLowerCase();
        if (p.length >= 3 && p.length <= 60 && !/working group|seeking|^none|^tbd|^n\/a/.test(p)) out.add(p);
      }
  return out;
}

type SepHeader = { people: Set<string>; numbers: Set<string> };

/**
 * What imported SEPs' headers say (the index holds their text without it): who wrote and
 * sponsored each, and the numbers it is known by (its own, its pull request's and its issue's),
 * keyed by search document id.
 */
async function sepHeaders(hub: Hub, where: { ids?: string[]; sepNumber?: number }): Promise<Map<string, SepHeader>> {
  const ids = (where.ids ?? []).filter((id) => id.startsWith('proposal:')).map((id) => id.slice('proposal:'.length));
  if (!ids.length && where.sepNumber === undefined) return new Map();
  const rows = await hub.store.db
    .selectFrom('proposals')
    .select(['id', 'sep_number', 'source'])
    .where((eb) => (where.sepNumber !== undefined ? eb('sep_number', '=', where.sepNumber) : eb('id', 'in', ids)))
    .where('source', 'is not', null)
    .execute();
  const out = new Map<string, SepHeader>();
  for (const r of rows) {
    let header: { key: string; value: string }[] = [];
    try {
      header = readJson(r.source)?.document?.header ?? [];
    } catch {
      continue;
    }
    const numbers = new Set(r.sep_number !== null ? [String(r.sep_number)] : []);
    for (const { key, value } of header)
      if (/^(?:pr|pull request|issue)$/i.test(key.trim()))
        for (const m of value.matchAll(/\d{2,6}/g)) numbers.add(m[0]);
    out.set(`proposal:${r.id}`, { people: peopleOf(header), numbers });
  }
  return out;
}

/** Whether a text cites any of these numbers as a SEP, an issue or a pull request ("SEP-931", "#931", ".../pull/931"). */
function citesAny(text: string, numbers: Set<string>): boolean {
  for (const m of text.matchAll(/\bSEP[- ]?(\d{2,6})\b|#(\d{2,6})\b|\/(?:pull|issues)\/(\d{2,6})\b/gi))
    if (numbers.has((m[1] ?? m[2] ?? m[3])!)) return true;
  return false;
}

/** SEP numbers a text cites ("SEP-1686", "SEP 1686"). */
function citedSeps(text: string): Set<string> {
  return new Set([...text.matchAll(/\bSEP[- ]?(\d{2,5})\b/gi)].map((m) => m[1]!));
}

const stemOf = (t: string) => (t.length > 5 ? t.slice(0, -2) : t);

/** How many key terms of an existing item's whole text are matched against candidates' text. */
const BODY_TERMS = 30;
/** A code name carried by more than this share of the candidates says little about which one is meant. */
const NAMES_AT_MOST = 0.1;

/**
 * Code names in a text: camelCase (`enumNames`), snake_case (`input_required`), capitalised and
 * hyphenated header names (`Mcp-Session-Id`), and method paths (`tools/call`).
 */
function identifiersOf(text: string): Set<string> {
  return new Set(
    text.match(
      /\b(?:[a-z]+[A-Z][A-Za-z0-9]*|[a-z]+_[a-z_]+|[A-Z][a-z]+(?:-[A-Z][A-Za-z]*)+|[a-z]+\/[a-z]+(?:\/[a-z]+)?)\b/g,
    ) ?? [],
  );
}

/**
 * Every candidate for a draft with its signals, unranked. The candidates: documents sharing the
 * draft's rare terms (or the community's other words for them), the items it cites, SEPs that
 * cite it, and SEPs citing what it cites.
 */
export async function priorWorkCandidates(
  hub: Hub,
  raw: unknown,
  signal?: AbortSignal,
): Promise<{ limit: number; candidates: PriorWorkCandidate[] }> {
  const typed = parseInput(PriorWorkInput, raw);
  // read as the index holds text (NFC): a draft typed with its accents apart has the same key terms
  const input = { ...typed, title: typed.title.normalize('NFC'), text: typed.text.normalize('NFC') };
  const terms = keyTerms(input.title, input.text);
  const phrases = keyPhrases(input.title, input.text);
  const { refs, urls } = explicitRefs(`${input.title}\n${input.text}`);
  const alternatives = expandTerms(terms.slice(0, 8));
  const { hits, rarity } = await candidates(hub, [
    ...terms,
    ...alternatives.flatMap((a) => a.alternatives.filter((x) => /^[a-z]+$/.test(x))).slice(0, 6),
  ]);
  stillWanted(signal);
  // items the draft cites by reference are candidates even when they share few words
  if (refs.length || urls.length) {
    const cited = await hub.store.db
      .selectFrom('search_documents')
      .select(['id', 'ref', 'kind', 'title', 'group_slug', 'status', 'layer', 'date'])
      .where((eb) =>
        eb.or([
          eb('ref', 'in', refs.length ? refs.map((r) => (r.startsWith('#') ? `SEP-${r.slice(1)}` : r)) : ['-']),
          eb('id', 'in', urls.length ? urls.map((u) => `artifact:${u}`) : ['-']),
        ]),
      )
      .execute();
    for (const c of cited) if (!hits.some((h) => h.id === c.id)) hits.push(unrankedHit(c));
  }
  const former = await formerNumbers(hub, refs, hits);
  // the citation graph: SEPs that cite the draft (an existing SEP), or cite what the draft cites
  // the draft as stored (SEP-12, proposal:P-3), however it was named (RFC-12)
  const exclude = input.exclude === undefined ? undefined : storedRef(hub.governance, input.exclude);
  const own = /^SEP-(\d+)$/i.exec(exclude ?? '')?.[1];
  const draftCites = new Set([...citedSeps(`${input.title}\n${input.text}`)].filter((n) => n !== own));
  for (const n of [...(own ? [own] : []), ...[...draftCites].slice(0, 5)])
    for (const m of await documentsMentioningNumber(hub.store, n, 'sep', 20))
      if (!hits.some((h) => h.id === m.id)) hits.push({ ...m, score: 0 });
  // the draft itself, named as prior work reports it (SEP-n, proposal:P-n), by its ref or its id
  const isDraft = (h: SearchHit) => h.ref === exclude || h.id === exclude || `proposal:${h.ref}` === exclude;
  // the draft's own group's charter is where it would live, not work that already exists: a new
  // group's every proposal shares its charter's words, and listing it first taught nobody anything
  const ownCharter = (h: SearchHit) => input.group !== undefined && h.kind === 'charter' && h.group === input.group;
  const pool: SearchHit[] = hits.filter((h) => h.kind !== 'comment' && !isDraft(h) && !ownCharter(h));
  // the reason names the group as its people do ("Hosting"), not by its slug
  const groupName = input.group
    ? ((await hub.store.db.selectFrom('groups').select('name').where('slug', '=', input.group).executeTakeFirst())
        ?.name ?? input.group)
    : undefined;
  const ownHeader = own ? [...(await sepHeaders(hub, { sepNumber: Number(own) })).values()][0] : undefined;
  // an existing item's whole text: what it cites past the first section counts too
  const ownDoc = exclude
    ? await hub.store.db
        .selectFrom('search_documents')
        .select(['id', 'ref', 'title', 'body', 'layer'])
        .where((eb) =>
          eb.or([
            eb('ref', '=', exclude),
            // as prior work reports a proposal: proposal:P-n
            eb('ref', '=', exclude.replace(/^proposal:/, '')),
            eb('id', '=', exclude),
            eb('id', '=', `proposal:${exclude}`),
          ]),
        )
        .executeTakeFirst()
    : undefined;
  const ownBody = ownDoc?.body ?? '';
  const ownCites = own ? citedSeps(ownBody) : new Set<string>();
  // the key terms of its whole text, and the items sharing their rare ones, which join the candidates
  const bodyTerms = ownDoc ? keyTerms(ownDoc.title, ownBody, BODY_TERMS) : [];
  stillWanted(signal);
  const whole = bodyTerms.length ? await candidates(hub, bodyTerms) : undefined;
  stillWanted(signal);
  for (const h of whole?.hits ?? [])
    if (!pool.some((x) => x.id === h.id) && h.kind !== 'comment' && !isDraft(h)) pool.push(h);
  const relations = await recordedRelations(hub, ownDoc, pool);
  // items only a recorded relation names are ranked too, but leave the pool's statistics as they are
  const every = [...pool, ...relations.added];
  stillWanted(signal);
  const bodies = await indexedBodies(
    hub.store,
    every.map((h) => h.id),
  );
  const headers = ownHeader ? await sepHeaders(hub, { ids: every.map((h) => h.id) }) : new Map<string, SepHeader>();
  // Candidates come from the engine; the ranking is computed here, the same on both databases.
  // the candidates' average length stands in for the index's (which would cost a scan to know)
  const averageLength = pool.reduce((n, h) => n + bodies.get(h.id)!.body.length, 0) / Math.max(1, pool.length);
  const overlap = new Map(every.map((h) => [h.id, termOverlap(terms, rarity, bodies.get(h.id)!, averageLength)]));
  const top = Math.max(...pool.map((h) => overlap.get(h.id)!), 1e-9);
  const bodyOverlap = new Map(
    whole ? every.map((h) => [h.id, termOverlap(bodyTerms, whole.rarity, bodies.get(h.id)!, averageLength)]) : [],
  );
  const bodyTop = Math.max(...pool.map((h) => bodyOverlap.get(h.id) ?? 0), 1e-9);
  // code names: the draft's (and its whole text's) that few candidates carry, weighed by that rarity
  const draftNames = identifiersOf(`${input.title}\n${input.text}\n${ownBody}`);
  const candidateNames = new Map(
    every.map((h) => [h.id, identifiersOf(`${bodies.get(h.id)!.title}\n${bodies.get(h.id)!.body}`)]),
  );
  const nameCount = new Map<string, number>();
  for (const h of pool)
    for (const x of candidateNames.get(h.id)!) if (draftNames.has(x)) nameCount.set(x, (nameCount.get(x) ?? 0) + 1);
  const nameWeight = (x: string) => {
    const n = nameCount.get(x) ?? 0;
    return n && n <= Math.max(2, pool.length * NAMES_AT_MOST) ? Math.log(1 + pool.length / n) : 0;
  };
  const sharedNames = new Map(
    every.map((h) => [h.id, [...candidateNames.get(h.id)!].filter((x) => draftNames.has(x) && nameWeight(x) > 0)]),
  );
  const nameScore = new Map([...sharedNames].map(([id, xs]) => [id, xs.reduce((n, x) => n + nameWeight(x), 0)]));
  const nameTop = Math.max(...pool.map((h) => nameScore.get(h.id)!), 1e-9);
  const urlText = urls.join(' ');
  const weightOf = (t: string, i: number) => (rarity.get(t) ?? 1) / (1 + i * 0.15);
  const totalWeight = terms.reduce((n, t, i) => n + weightOf(t, i), 0) || 1;
  const joined = new Set(relations.added.map((h) => h.id));
  const found = every.map((h): PriorWorkCandidate => {
    const doc = bodies.get(h.id)!;
    const hay = `${doc.title}\n${doc.body}`.toLowerCase();
    const head = `${doc.title.toLowerCase()}\n${abstractOf(doc.body)}`;
    const signals: Signals = {
      overlap: overlap.get(h.id)! / top,
      cites: 0,
      citedBy: 0,
      linked: 0,
      cocited: 0,
      phrases: 0,
      title: 0,
      abstract: 0,
      synonyms: 0,
      group: 0,
      people: 0,
      layer: 0,
      identifiers: 0,
      body: 0,
      recorded: 0,
    };
    const reasons: PriorWorkCandidate['reasons'] = {};
    const cites =
      refs.some((r) => r === h.ref || (r.startsWith('#') && h.ref === `SEP-${r.slice(1)}`)) ||
      (h.ref.startsWith('SEP-') && new RegExp(`/pull/${h.ref.slice(4)}\\b`).test(urlText));
    const earlier = former.get(h.id);
    if (cites) {
      signals.cites = 1;
      reasons.cites = `the draft cites ${h.ref}`;
    } else if (earlier) {
      signals.cites = 1;
      reasons.cites =
        earlier.how === 'renumbered'
          ? `the draft cites ${earlier.cited}, an earlier number of ${h.ref} (its file links that issue or pull request)`
          : `the draft cites ${earlier.cited}, which ${h.ref} supersedes`;
    }
    const theirCites = citedSeps(doc.body);
    if (own && (theirCites.has(own) || (ownHeader && citesAny(doc.body, ownHeader.numbers)))) {
      signals.citedBy = 1;
      reasons.citedBy = `${h.ref} cites ${exclude}`;
    }
    const theirNumbers = headers.get(h.id)?.numbers ?? new Set(h.ref.startsWith('SEP-') ? [h.ref.slice(4)] : []);
    if (
      !signals.cites &&
      own &&
      h.ref.startsWith('SEP-') &&
      (ownCites.has(h.ref.slice(4)) || citesAny(ownBody, theirNumbers))
    ) {
      signals.linked = 1;
      reasons.linked = `${exclude} cites ${h.ref}`;
    }
    const both = [...draftCites].filter((n) => theirCites.has(n) && `SEP-${n}` !== h.ref);
    if (both.length) {
      signals.cocited = Math.min(1, both.length / 2);
      reasons.cocited = `both cite ${both
        .slice(0, 3)
        .map((n) => `SEP-${n}`)
        .join(', ')}`;
    }
    const shared = phrases.filter((p) => hay.includes(p));
    if (shared.length) {
      signals.phrases = Math.min(1, shared.length / 5);
      reasons.phrases = `shares the phrases ${shared
        .slice(0, 4)
        .map((p) => `"${p}"`)
        .join(', ')}`;
    }
    const titleTerms = terms.filter((t) => startsAWord(doc.title.toLowerCase(), t, doc.title));
    if (titleTerms.length) {
      signals.title = Math.min(1, titleTerms.length / 3);
      reasons.title = `its title has ${titleTerms
        .slice(0, 4)
        .map((t) => `"${t}"`)
        .join(', ')}`;
    } else if (h.score > 0) {
      // named only where they start a word: ranking counts them anywhere, a reader would not ("script" in "description")
      const named = terms.filter((t) => startsAWord(hay, t, `${doc.title}\n${doc.body}`)).slice(0, 5);
      if (named.length) reasons.overlap = `shares key terms (${named.join(', ')})`;
    }
    // the title and abstract say what a document is about; its body also says what it is not
    let inHead = 0;
    terms.forEach((t, i) => {
      if (head.includes(stemOf(t)) || synonyms(t).some((x) => head.includes(x))) inHead += weightOf(t, i);
    });
    signals.abstract = inHead / totalWeight;
    const viaSynonyms = alternatives.filter(
      (a) => !hay.includes(stemOf(a.term)) && a.alternatives.some((x) => head.includes(x)),
    );
    if (viaSynonyms.length) {
      signals.synonyms = Math.min(1, viaSynonyms.length / 2);
      reasons.synonyms = `its abstract uses the community's word for ${viaSynonyms
        .slice(0, 3)
        .map((a) => `"${a.term}" (${a.alternatives.find((x) => head.includes(x))})`)
        .join(', ')}`;
    }
    if (input.group && doc.group === input.group) {
      signals.group = 1;
      reasons.group = `same group: ${groupName}`;
    }
    if (ownHeader?.people.size) {
      const people = [...(headers.get(h.id)?.people ?? [])].filter((p) => ownHeader.people.has(p));
      if (people.length) {
        signals.people = 1;
        reasons.people = `shares an author or sponsor (${people.slice(0, 2).join(', ')})`;
      }
    }
    if (ownDoc?.layer && h.layer === ownDoc.layer) {
      // not given as a reason: most of the index shares a layer
      signals.layer = 1;
    }
    const names = sharedNames.get(h.id)!;
    if (names.length) {
      signals.identifiers = nameScore.get(h.id)! / nameTop;
      reasons.identifiers = `both use ${names
        .slice(0, 3)
        .map((x) => `\`${x}\``)
        .join(', ')}`;
    }
    if (whole) signals.body = bodyOverlap.get(h.id)! / bodyTop;
    const withDraft = relations.withDraft.get(h.id);
    if (withDraft) {
      signals.recorded = 1;
      reasons.recorded = `recorded: ${withDraft}`;
    }
    const lineage = relations.lineage.get(h.id);
    const restates = FOLDED_KINDS.has(h.kind) ? restatedSeps(doc.body) : [];
    // the fixed form scripts rely on: SEP-n, proposal:P-n, artifact:PATH, charter:SLUG
    return {
      ref: reportedRef(h),
      kind: h.kind,
      title: h.title,
      signals,
      reasons,
      ...(restates.length ? { restates } : {}),
      ...(lineage?.length ? { lineage } : {}),
      ...(joined.has(h.id) ? { joined: true } : {}),
    };
  });
  // a page restating the query's own SEP is the query itself, not prior work
  const ownRef = own ? `SEP-${own}` : undefined;
  return { limit: input.limit, candidates: found.filter((c) => !ownRef || !c.restates?.includes(ownRef)) };
}

/** Kinds of page folded into the SEP they restate (a charter is a group's own page, kept apart). */
const FOLDED_KINDS = new Set(['artifact']);

const REASON_ORDER: (keyof Signals)[] = [
  'recorded',
  'cites',
  'citedBy',
  'linked',
  'cocited',
  'phrases',
  'title',
  'overlap',
  'synonyms',
  'group',
  'people',
  'identifiers',
];

/**
 * A match is shown only when its score is at least this share of the best match's: weak matches
 * are left out rather than shown as prior work (a false match costs the reader more than a gap).
 * Chosen with WEIGHTS by bench/prior-work-quality.ts, inside its cross-validation folds.
 */
export const MIN_SHARE = 0;

/** Candidates ranked by the weighted sum of their signals, best first, with the reasons that count. */
export function rankCandidates(
  candidates: PriorWorkCandidate[],
  weights: Signals,
  limit: number,
  minShare = MIN_SHARE,
): PriorWorkMatch[] {
  const keys = Object.keys(weights) as (keyof Signals)[];
  const ranked = candidates
    .map((c) => {
      let score = 0;
      for (const k of keys) score += weights[k] * c.signals[k];
      return {
        ref: c.ref,
        kind: c.kind,
        title: c.title,
        raw: score,
        // the reasons are read only for the matches shown (ranking runs often when the weights are tuned)
        candidate: c,
        /** where it is listed: its own score, its page's when a page restating it ranks higher, or beside a match it is tied to */
        at: score,
        /** how it is tied to a better match, when that lifted it beside the match */
        lifted: undefined as string | undefined,
      };
    })
    .sort((a, b) => b.raw - a.raw || a.ref.localeCompare(b.ref));
  // a docs page restating a SEP in the list is shown with that SEP, not in a place of its own
  const restates = new Map(candidates.filter((c) => c.restates).map((c) => [c.ref, c.restates!]));
  type Listed = (typeof ranked)[number] & Pick<PriorWorkMatch, 'pages'>;
  const listed = new Map<string, Listed>(ranked.map((m) => [m.ref, m]));
  const folded: Listed[] = [];
  const placed = new Set<string>();
  for (const m of ranked) {
    if (placed.has(m.ref)) continue;
    const into = restates.get(m.ref)?.find((r) => listed.has(r));
    if (!into) {
      folded.push(m);
      placed.add(m.ref);
      continue;
    }
    const sep = listed.get(into)!;
    sep.pages = [...(sep.pages ?? []), { ref: m.ref, title: m.title }];
    // one result: the SEP takes the better of its own place and its page's
    if (!placed.has(into)) {
      sep.at = Math.max(sep.raw, m.raw);
      folded.push(sep);
      placed.add(into);
    }
  }
  liftLineage(folded);
  // an item only a recorded relation brought in is shown only through that relation
  const shown = folded.filter((m) => !m.candidate.joined || m.lifted || m.candidate.signals.recorded > 0);
  const floor = (shown[0]?.at ?? 0) * minShare;
  return shown
    .filter((m) => m.at >= floor)
    .slice(0, limit)
    .map(({ raw, at, candidate, lifted, ...m }) => ({
      ref: m.ref,
      kind: m.kind,
      title: m.title,
      score: shownScore(at),
      reasons: [
        ...(lifted ? [`recorded: ${lifted}`] : []),
        ...(at > raw && !lifted ? pageReasons(m.pages, candidates) : []),
        ...REASON_ORDER.filter((k) => candidate.reasons[k]).map((k) => candidate.reasons[k]!),
      ],
      ...(m.pages ? { pages: m.pages } : {}),
    }));
}

/**
 * The score shown for a place in the list: 0 to 1, rising with the evidence and never reaching 1
 * (kept for a draft that is the item itself), so that the list's scores fall as its order does.
 * Below 1 it is close to the weighted sum; above, a capped sum would show many matches as 1.
 */
export function shownScore(sum: number): number {
  return Math.min(0.999, Math.round((1 - Math.exp(-Math.max(0, sum))) * 1000) / 1000);
}

/** Why a SEP is listed where its docs page would be: the page's own best reasons. */
function pageReasons(pages: PriorWorkMatch['pages'], candidates: PriorWorkCandidate[]): string[] {
  const page = pages?.[0];
  const found = page && candidates.find((c) => c.ref === page.ref);
  const why = found && REASON_ORDER.map((k) => found.reasons[k]).find(Boolean);
  return page ? [`its page “${page.title}” restates it${why ? `: ${why}` : ''}`] : [];
}

/** How close below a best match an item recorded as its successor, copy or basis is placed. */
const LINEAGE_SHARE = 0.95;
/** How many of the best matches pull in what is recorded as tied to them. */
const LINEAGE_FROM = 3;

/**
 * An item recorded as superseding, duplicating, building on or promoted from one of the best
 * matches (or the other way round) is placed just below that match, whatever words it shares with
 * the draft: whoever finds the old SEP must see its successor. `listed` is in the order shown
 * (pages folded into their SEP), and is sorted again when an item moves.
 */
function liftLineage(
  listed: { ref: string; at: number; candidate: PriorWorkCandidate; lifted: string | undefined }[],
): void {
  // among what will be shown: an item only a relation brought in is no match of its own
  const best = new Map(
    listed
      .filter((m) => !m.candidate.joined || m.candidate.signals.recorded > 0)
      .slice(0, LINEAGE_FROM)
      .map((m) => [m.ref, m]),
  );
  const before = new Map([...best.values()].map((m) => [m, m.at] as const));
  let moved = false;
  for (const m of listed)
    for (const tie of m.candidate.lineage ?? []) {
      const to = best.get(tie.ref);
      const at = to && before.get(to)! * LINEAGE_SHARE;
      if (!to || to === m || !at || at <= m.at) continue;
      m.at = at;
      m.lifted = tie.how;
      moved = true;
    }
  if (moved) listed.sort((a, b) => b.at - a.at || a.ref.localeCompare(b.ref));
}

/**
 * The existing items most likely to cover the same ground as a draft, best first, each with why:
 * an explicit reference, the citation graph, shared key phrases and terms (and the community's
 * other words for them), the same group or authors. Shown, never blocking.
 */
export async function priorWork(hub: Hub, raw: unknown, options: PriorWorkOptions = {}): Promise<PriorWorkMatch[]> {
  return (await priorWorkAsStored(hub, raw, options)).map((m) => priorWorkMatchShown(hub.governance, m));
}

/**
 * `signal`: the caller went away (a cancelled MCP call): checked between the steps, each a few
 * queries, and the check stops with Cancelled. `step`: told as each step begins, for progress.
 */
export type PriorWorkOptions = { signal?: AbortSignal; step?: (n: number, what: string) => void };
/** How many steps `step` is told of. */
export const PRIOR_WORK_STEPS = 3;

/** Stops a read the caller no longer waits for; it wrote nothing, so there is nothing to undo. */
function stillWanted(signal: AbortSignal | undefined, what = 'check'): void {
  if (signal?.aborted) throw new Cancelled(`the ${what} was cancelled`);
}

async function priorWorkAsStored(hub: Hub, raw: unknown, options: PriorWorkOptions = {}): Promise<PriorWorkMatch[]> {
  const { signal, step } = options;
  const input = parseInput(PriorWorkInput, raw);
  await knownFilter(hub.store.db, { group: input.group, topic: input.topicArea });
  stillWanted(signal);
  step?.(0, 'looking for an existing item the draft is');
  // a draft that is an existing item is told so first; the rest is that item's prior work
  const same = input.exclude ? null : await sameItem(hub, input);
  stillWanted(signal);
  step?.(1, 'gathering candidates that share its terms, references and relations');
  const { limit, candidates } = await priorWorkCandidates(
    hub,
    same ? { ...input, title: same.title, exclude: same.ref } : input,
    signal,
  );
  stillWanted(signal);
  step?.(2, `ranking ${candidates.length} candidate${candidates.length === 1 ? '' : 's'}`);
  if (!same) return rankCandidates(candidates, WEIGHTS, limit);
  // the item itself is named apart from its prior work: `limit` counts the prior work, so a
  // reader dropping the first row (it is what they pasted) still has as many matches as they asked for
  return [same.match, ...rankCandidates(candidates, WEIGHTS, limit)];
}

/**
 * Runs the prior-work check for a proposal and stores the result on it, as the evidence that
 * step 1 of the route ("ensure there is no pre-existing work") happened. Runs after the write
 * that triggered it has committed.
 */
export async function recordPriorWork(hub: Hub, proposalId: string): Promise<void> {
  const p = await hub.store.db
    .selectFrom('proposals as p')
    .leftJoin('groups as g', 'g.id', 'p.group_id')
    .select([
      'p.id',
      'p.number',
      'p.sep_number',
      'p.title',
      'p.problem',
      'p.examples',
      'p.interests',
      'g.slug as group',
    ])
    .where('p.id', '=', proposalId)
    .executeTakeFirstOrThrow();
  const ref = p.sep_number !== null ? `SEP-${p.sep_number}` : `P-${p.number}`;
  // stored as the hub stores references (SEP-12), shown in the community's words when read
  const matches = await priorWorkAsStored(hub, {
    title: p.title,
    // the draft as far as the check reads one (attack round 22: a problem and examples each within
    // their bounds passed 50,000 characters together, and the proposal, already stored, was answered
    // 422 naming `text`, no field of it; a retry stored it again)
    text: firstCharacters([p.problem, ...readJson(p.examples), p.interests].join('\n'), LIMITS.search.draftChars),
    ...(p.group ? { group: p.group } : {}),
    limit: 5,
    exclude: ref,
  });
  const result = { checkedAt: nowIso(hub), matches };
  await inTransaction(hub, async (trx) => {
    await trx
      .updateTable('proposals')
      .set({ prior_work: writeJson(result) })
      .where('id', '=', p.id)
      .execute();
    await record(
      trx,
      hub,
      { kind: 'system', label: 'prior-work' },
      'proposal.prior-work-checked',
      { type: 'proposal', id: ref },
      null,
      { matches: matches.map((m) => ({ ref: m.ref, score: m.score })) },
    );
  });
}
