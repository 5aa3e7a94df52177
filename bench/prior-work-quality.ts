// Quality of the prior-work check on the real corpus: for each labelled related pair, query with
// the first item's title and first section and see where the related item ranks.
// Prints recall@5 and mean reciprocal rank. Usage: node bench/prior-work-quality.ts [CORPUS_DIR]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { importCorpus } from '../src/app/corpus.ts';
import { loadGovernance } from '../src/app/governance-file.ts';
import { createHub, SYSTEM } from '../src/app/hub.ts';
import { priorWork } from '../src/app/search.ts';
import { openStore } from '../src/store/connect.ts';
import { migrateToLatest } from '../src/store/migrate.ts';

export type Pair = { query: string; related: string; reason: string };

export function loadPairs(file = path.resolve(import.meta.dirname, '../test/search/related-pairs.tsv')): Pair[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => {
      const [query, related, reason] = l.split('\t');
      return { query: query!, related: related!, reason: reason! };
    });
}

/** The query a person would type: the item's title and its first section (at most ~1,500 characters). */
export function firstSection(body: string): string {
  const parts = body.split(/\n(?=Abstract|Motivation|Mission Statement|Scope|Summary|Overview|Introduction)/i);
  return (parts.length > 1 ? parts[1]! : body).slice(0, 1500);
}

export async function evaluate(hub: ReturnType<typeof createHub>, pairs: Pair[]) {
  const ranks: { pair: Pair; rank: number | null; top: string[] }[] = [];
  for (const pair of pairs) {
    const doc = await hub.store.db.selectFrom('search_documents').select(['title', 'body']).where('ref', '=', pair.query).executeTakeFirst();
    if (!doc) throw new Error(`no indexed item ${pair.query}`);
    const matches = await priorWork(hub, { title: doc.title, text: firstSection(doc.body), limit: 10, exclude: pair.query });
    const refs = matches.map((m) => m.ref.replace(/^proposal:/, ''));
    const i = refs.indexOf(pair.related);
    ranks.push({ pair, rank: i >= 0 ? i + 1 : null, top: refs.slice(0, 5) });
  }
  const recall5 = ranks.filter((r) => r.rank !== null && r.rank <= 5).length / ranks.length;
  const mrr = ranks.reduce((s, r) => s + (r.rank ? 1 / r.rank : 0), 0) / ranks.length;
  return { recall5, mrr, ranks };
}

if (import.meta.main) {
  const corpus = process.argv[2] ?? path.resolve(import.meta.dirname, '../../shared/corpus/mcp-governance');
  const dir = mkdtempSync(path.join(tmpdir(), 'wghub-quality-'));
  const store = openStore(`sqlite:${path.join(dir, 'q.sqlite')}`);
  try {
    await migrateToLatest(store.db);
    const hub = createHub(store, loadGovernance());
    await importCorpus(hub, SYSTEM, corpus);
    const pairs = loadPairs();
    const r = await evaluate(hub, pairs);
    console.log(`${pairs.length} labelled related pairs; recall@5 ${r.recall5.toFixed(3)} (target >= 0.85), MRR ${r.mrr.toFixed(3)}`);
    for (const x of r.ranks.filter((x) => x.rank === null || x.rank > 5)) console.log(`  missed: ${x.pair.query} → ${x.pair.related} (rank ${x.rank ?? '>10'}; top: ${x.top.join(', ')})`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
