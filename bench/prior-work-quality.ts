// Quality of the prior-work check on the real corpus: for each labelled related pair, query with
// the first item's title and first section and see where the related item ranks; for each
// labelled unrelated pair, see whether the unrelated item still reaches the top five; and run the
// hard cases (drafts citing a SEP by an old number, replacements that cite nothing).
// Prints recall@5, mean reciprocal rank and the false-match rate.
// Usage: node bench/prior-work-quality.ts [CORPUS_DIR] [--database URL]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { importCorpus } from '../src/app/imports/corpus.ts';
import { loadGovernance } from '../src/app/core/governance-file.ts';
import { createHub, SYSTEM } from '../src/app/core/hub.ts';
import { priorWork } from '../src/app/search/search.ts';
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
