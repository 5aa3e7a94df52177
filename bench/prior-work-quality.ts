// Quality of the prior-work check on the real corpus: for each labelled related pair, query with
// the first item's title and first section and see where the related item ranks; for each
// labelled unrelated pair, see whether the unrelated item still reaches the top five; and run the
// hard cases (drafts citing a SEP by an old number, replacements that cite nothing).
// Prints recall@5, mean reciprocal rank and the false-match rate.
// Usage: node bench/prior-work-quality.ts [CORPUS_DIR] [--database URL]
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { importCorpus } from '../src/app/imports/corpus.ts';
import { loadGovernance } from '../src/app/core/governance-file.ts';
import { createHub, SYSTEM } from '../src/app/core/hub.ts';
import {
  type PriorWorkCandidate,
  priorWork,
  priorWorkCandidates,
  rankCandidates,
  type Signals,
  WEIGHTS,
} from '../src/app/search/search.ts';
import { openStore } from '../src/store/connect.ts';
import { migrateToLatest } from '../src/store/migrate.ts';

export type Pair = { query: string; related: string; reason: string };
export type UnrelatedPair = { query: string; unrelated: string; reason: string };
export type HardCase = { title: string; text: string; expected: string; reason: string };

const DATA = path.resolve(import.meta.dirname, '../test/search');

function rows(file: string): string[][] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => l.split('\t'));
}

export function loadPairs(file = path.join(DATA, 'related-pairs.tsv')): Pair[] {
  return rows(file).map(([query, related, reason]) => ({ query: query!, related: related!, reason: reason! }));
}

export function loadUnrelatedPairs(file = path.join(DATA, 'unrelated-pairs.tsv')): UnrelatedPair[] {
  return rows(file).map(([query, unrelated, reason]) => ({ query: query!, unrelated: unrelated!, reason: reason! }));
}

export function loadHardCases(file = path.join(DATA, 'hard-cases.tsv')): HardCase[] {
  return rows(file).map(([title, text, expected, reason]) => ({
    title: title!,
    text: text!,
    expected: expected!,
    reason: reason!,
  }));
}

/** The query a person would type: the item's title and its first section (at most ~1,500 characters). */
export function firstSection(body: string): string {
  const parts = body.split(/\n(?=Abstract|Motivation|Mission Statement|Scope|Summary|Overview|Introduction)/i);
  return (parts.length > 1 ? parts[1]! : body).slice(0, 1500);
}

const bare = (ref: string) => ref.replace(/^proposal:/, '');
const rankOf = (refs: string[], ref: string) => (refs.includes(ref) ? refs.indexOf(ref) + 1 : null);

export async function evaluate(
  hub: ReturnType<typeof createHub>,
  pairs: Pair[],
  unrelated: UnrelatedPair[] = [],
  hard: HardCase[] = [],
) {
  const answers = new Map<string, string[]>();
  const answer = async (ref: string) => {
    if (!answers.has(ref)) {
      const doc = await hub.store.db
        .selectFrom('search_documents')
        .select(['title', 'body'])
        .where('ref', '=', ref)
        .executeTakeFirst();
      if (!doc) throw new Error(`no indexed item ${ref}`);
      const matches = await priorWork(hub, { title: doc.title, text: firstSection(doc.body), limit: 10, exclude: ref });
      answers.set(
        ref,
        matches.map((m) => bare(m.ref)),
      );
    }
    return answers.get(ref)!;
  };
  const ranks: { pair: Pair; rank: number | null; top: string[] }[] = [];
  for (const pair of pairs) {
    const refs = await answer(pair.query);
    ranks.push({ pair, rank: rankOf(refs, pair.related), top: refs.slice(0, 5) });
  }
  const falseMatches: { pair: UnrelatedPair; rank: number }[] = [];
  for (const pair of unrelated) {
    const rank = rankOf(await answer(pair.query), pair.unrelated);
    if (rank !== null && rank <= 5) falseMatches.push({ pair, rank });
  }
  const hardRanks: { hard: HardCase; rank: number | null; top: string[] }[] = [];
  for (const h of hard) {
    const refs = (await priorWork(hub, { title: h.title, text: h.text, limit: 10 })).map((m) => bare(m.ref));
    hardRanks.push({ hard: h, rank: rankOf(refs, h.expected), top: refs.slice(0, 5) });
  }
  const recall5 = ranks.filter((r) => r.rank !== null && r.rank <= 5).length / ranks.length;
  const mrr = ranks.reduce((s, r) => s + (r.rank ? 1 / r.rank : 0), 0) / ranks.length;
  const falseMatchRate = unrelated.length ? falseMatches.length / unrelated.length : 0;
  return { recall5, mrr, falseMatchRate, ranks, falseMatches, hardRanks };
}

/**
 * Every labelled pair: the project's own, and those of the independent labellers in
 * test/search/labelled/ (each a related or unrelated pair with a reason; "none" rows, where a
 * labeller found nothing related, are left out). A pair labelled both ways is left out of the
 * unrelated ones.
 */
export function allPairs(): { related: Pair[]; unrelated: UnrelatedPair[] } {
  const dir = path.join(DATA, 'labelled');
  const files = readdirSync(dir).sort();
  const related = [
    ...loadPairs(),
    ...files.filter((f) => f.endsWith('-related.tsv')).flatMap((f) => loadPairs(path.join(dir, f))),
  ].filter((p) => /^SEP-\d+$/.test(p.related));
  const unrelated = [
    ...loadUnrelatedPairs(),
    ...files.filter((f) => f.endsWith('-unrelated.tsv')).flatMap((f) => loadUnrelatedPairs(path.join(dir, f))),
  ].filter((p) => /^SEP-\d+$/.test(p.unrelated));
  const key = (a: string, b: string) => `${a}→${b}`;
  const dedupe = <T>(xs: T[], k: (x: T) => string) => [...new Map(xs.map((x) => [k(x), x])).values()];
  const rel = dedupe(related, (p) => key(p.query, p.related));
  const relKeys = new Set(rel.map((p) => key(p.query, p.related)));
  return {
    related: rel,
    unrelated: dedupe(unrelated, (p) => key(p.query, p.unrelated)).filter(
      (p) => !relKeys.has(key(p.query, p.unrelated)),
    ),
  };
}

type Answers = Map<string, PriorWorkCandidate[]>;

/** Each query's candidates with their signals, computed once; rankings are then cheap to redo. */
export async function candidatesFor(hub: ReturnType<typeof createHub>, queries: string[]): Promise<Answers> {
  const out: Answers = new Map();
  for (const ref of queries) {
    const doc = await hub.store.db
      .selectFrom('search_documents')
      .select(['title', 'body'])
      .where('ref', '=', ref)
      .executeTakeFirst();
    if (!doc) continue;
    const { candidates } = await priorWorkCandidates(hub, {
      title: doc.title,
      text: firstSection(doc.body),
      limit: 10,
      exclude: ref,
    });
    out.set(ref, candidates);
  }
  return out;
}

function figures(answers: Answers, weights: Signals, related: Pair[], unrelated: UnrelatedPair[]) {
  const top = new Map<string, string[]>();
  const topOf = (q: string) => {
    if (!top.has(q))
      top.set(
        q,
        rankCandidates(answers.get(q) ?? [], weights, 5).map((m) => bare(m.ref)),
      );
    return top.get(q)!;
  };
  const found = related.filter((p) => topOf(p.query).includes(p.related)).length;
  const falseMatches = unrelated.filter((p) => topOf(p.query).includes(p.unrelated)).length;
  return {
    recall5: related.length ? found / related.length : 1,
    falseMatchRate: unrelated.length ? falseMatches / unrelated.length : 0,
    found,
    falseMatches,
  };
}

const SIGNALS = Object.keys(WEIGHTS) as (keyof Signals)[];
const STEPS = [0, 0.5, 1, 1.5, 2, 3];

/** Weights that do best on these pairs (recall@5 minus false-match rate), by coordinate ascent from WEIGHTS. */
export function tune(answers: Answers, related: Pair[], unrelated: UnrelatedPair[], fixed: Partial<Signals> = {}) {
  const w: Signals = { ...WEIGHTS, ...fixed };
  const objective = (x: Signals) => {
    const f = figures(answers, x, related, unrelated);
    return f.recall5 - f.falseMatchRate;
  };
  let best = objective(w);
  for (let round = 0; round < 2; round++)
    for (const k of SIGNALS) {
      if (k in fixed) continue;
      for (const step of STEPS) {
        const trial = { ...w, [k]: WEIGHTS[k] * step };
        const o = objective(trial);
        if (o > best + 1e-9) [best, w[k]] = [o, trial[k]];
      }
    }
  return w;
}

/**
 * Cross-validated figures: the queries fall into `k` folds; for each, weights are tuned on the
 * other folds' pairs and the held-out fold's pairs are ranked with them. `fixed` pins weights
 * (0 turns a signal off, to measure what it adds).
 */
export function crossValidate(
  answers: Answers,
  related: Pair[],
  unrelated: UnrelatedPair[],
  fixed: Partial<Signals> = {},
  k = 5,
) {
  const queries = [...new Set([...related.map((p) => p.query), ...unrelated.map((p) => p.query)])].sort();
  const foldOf = new Map(queries.map((q, i) => [q, i % k]));
  let found = 0;
  let falseMatches = 0;
  for (let f = 0; f < k; f++) {
    const inFold = <T extends { query: string }>(xs: T[], yes: boolean) =>
      xs.filter((p) => (foldOf.get(p.query) === f) === yes);
    const w = tune(answers, inFold(related, false), inFold(unrelated, false), fixed);
    const r = figures(answers, w, inFold(related, true), inFold(unrelated, true));
    found += r.found;
    falseMatches += r.falseMatches;
  }
  return { recall5: found / related.length, falseMatchRate: falseMatches / Math.max(1, unrelated.length) };
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const dbAt = args.indexOf('--database');
  const url = dbAt >= 0 ? args.splice(dbAt, 2)[1] : undefined;
  const corpus = args[0] ?? path.resolve(import.meta.dirname, '../../shared/corpus/mcp-governance');
  const dir = mkdtempSync(path.join(tmpdir(), 'wghub-quality-'));
  const store = openStore(url ?? `sqlite:${path.join(dir, 'q.sqlite')}`);
  try {
    await migrateToLatest(store.db, store.schema);
    const hub = createHub(store, loadGovernance());
    await importCorpus(hub, SYSTEM, corpus);
    const pairs = loadPairs();
    const unrelated = loadUnrelatedPairs();
    const r = await evaluate(hub, pairs, unrelated, loadHardCases());
    console.log(
      `${store.kind}: ${pairs.length} labelled related pairs; recall@5 ${r.recall5.toFixed(3)} (target >= 0.85), MRR ${r.mrr.toFixed(3)}`,
    );
    console.log(
      `${unrelated.length} labelled unrelated pairs (${unrelated.filter((u) => u.reason.startsWith('near miss')).length} near misses); false-match rate ${r.falseMatchRate.toFixed(3)} (an unrelated item in the top 5: ${r.falseMatches.length})`,
    );
    for (const x of r.ranks.filter((x) => x.rank === null || x.rank > 5))
      console.log(`  missed: ${x.pair.query} → ${x.pair.related} (rank ${x.rank ?? '>10'}; top: ${x.top.join(', ')})`);
    for (const x of r.falseMatches)
      console.log(`  false match: ${x.pair.query} → ${x.pair.unrelated} at rank ${x.rank} (${x.pair.reason})`);
    const all = allPairs();
    const queries = [...new Set([...all.related.map((p) => p.query), ...all.unrelated.map((p) => p.query)])];
    const answers = await candidatesFor(hub, queries);
    const shipped = figures(answers, WEIGHTS, all.related, all.unrelated);
    const perQuery = new Map<string, number>();
    for (const p of all.related) perQuery.set(p.query, (perQuery.get(p.query) ?? 0) + 1);
    const ceiling = [...perQuery.values()].reduce((n, c) => n + Math.min(5, c), 0) / all.related.length;
    const absent = all.related.filter((p) => !(answers.get(p.query) ?? []).some((c) => bare(c.ref) === p.related));
    console.log(
      `all labelled pairs (the project's and the independent labellers', ${queries.length} queries): ${all.related.length} related, ${all.unrelated.length} unrelated`,
    );
    console.log(
      `  the most recall@5 can be (queries with more than 5 related items): ${ceiling.toFixed(3)}; related items that are not candidates at all: ${absent.length}`,
    );
    console.log(
      `  shipped weights: recall@5 ${shipped.recall5.toFixed(3)}, false-match rate ${shipped.falseMatchRate.toFixed(3)}`,
    );
    const cv = crossValidate(answers, all.related, all.unrelated);
    console.log(
      `  5-fold cross-validated (weights tuned on the other folds' queries): recall@5 ${cv.recall5.toFixed(3)} (target >= 0.90), false-match rate ${cv.falseMatchRate.toFixed(3)} (target <= 0.10)`,
    );
    const textOnly = crossValidate(answers, all.related, all.unrelated, {
      cites: 0,
      citedBy: 0,
      cocited: 0,
      abstract: 0,
      synonyms: 0,
      people: 0,
    });
    console.log(
      `  words alone (overlap, phrases, title, group), cross-validated: recall@5 ${textOnly.recall5.toFixed(3)}, false-match rate ${textOnly.falseMatchRate.toFixed(3)}`,
    );
    console.log('  gain of each signal (cross-validated, against the same with that signal off):');
    for (const k of SIGNALS) {
      const off = crossValidate(answers, all.related, all.unrelated, { [k]: 0 });
      console.log(
        `    ${k.padEnd(9)} recall@5 ${cv.recall5 - off.recall5 >= 0 ? '+' : ''}${(cv.recall5 - off.recall5).toFixed(3)}, false-match rate ${cv.falseMatchRate - off.falseMatchRate >= 0 ? '+' : ''}${(cv.falseMatchRate - off.falseMatchRate).toFixed(3)}`,
      );
    }
    console.log(`  weights tuned on all pairs: ${JSON.stringify(tune(answers, all.related, all.unrelated))}`);
    console.log(`hard cases:`);
    for (const x of r.hardRanks)
      console.log(
        `  ${x.rank ? `rank ${x.rank}` : 'not found'}: "${x.hard.title}" → ${x.hard.expected} (${x.hard.reason.split(':')[0]}${x.rank === 1 ? '' : `; top: ${x.top.join(', ')}`})`,
      );
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
