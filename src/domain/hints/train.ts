// Training of the hints model (model.ts): multinomial logistic regression with "neither" as the
// reference class, fitted by stochastic gradient descent with AdaGrad steps and L2 shrinkage, and
// per-kind thresholds chosen on out-of-fold predictions for precision. Deterministic: a seeded
// shuffle, and ties broken by order, so the same rows always give the same model.
import { type Feature, features } from './features.ts';
import { type HintsModel, KINDS, probabilities } from './model.ts';

export type Row = { label: 'position' | 'marketing' | 'neither'; sentence: string; writer: string };

export type TrainOptions = {
  epochs: number;
  rate: number;
  l2: number;
  /** features seen in fewer training sentences than this are left out */
  minCount: number;
  /** the precision the thresholds aim for on out-of-fold predictions */
  precision: number;
  /** the lowest threshold allowed */
  floor: number;
};

export const DEFAULTS: TrainOptions = { epochs: 15, rate: 0.5, l2: 5e-3, minCount: 3, precision: 0.99, floor: 0.5 };

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const classOf = (label: Row['label']) => (label === 'position' ? 0 : label === 'marketing' ? 1 : 2);

// a row's features, read once however many folds it is in
const cache = new WeakMap<Row, Feature[]>();
function featuresOf(r: Row): Feature[] {
  let fs = cache.get(r);
  if (!fs) {
    fs = features(r.sentence);
    cache.set(r, fs);
  }
  return fs;
}

/** The weights alone (thresholds at 0.5): one fit on the rows given. */
export function fitWeights(rows: Row[], o: TrainOptions = DEFAULTS): Pick<HintsModel, 'bias' | 'weights'> {
  const encoded = rows.map((r) => ({ y: classOf(r.label), fs: featuresOf(r) }));
  const count = new Map<string, number>();
  for (const e of encoded) for (const f of e.fs) count.set(f.name, (count.get(f.name) ?? 0) + 1);
  const index = new Map<string, number>();
  for (const [name, n] of [...count].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)))
    if (n >= o.minCount || name.startsWith('r:')) index.set(name, index.size);
  // flat arrays: the inner loop runs some ten million times
  const data = encoded.map((e) => {
    const kept = e.fs.filter((f) => index.has(f.name));
    return {
      y: e.y,
      i: Int32Array.from(kept, (f) => index.get(f.name)! * 2),
      v: Float64Array.from(kept, (f) => f.value),
    };
  });
  // each class weighs the same in all, however many rows it has
  const perClass = [0, 0, 0];
  for (const d of data) perClass[d.y]!++;
  const classWeight = perClass.map((n) => (n ? data.length / (3 * n) : 0));
  const w = new Float64Array(index.size * 2);
  const g2 = new Float64Array(index.size * 2).fill(1e-8);
  const bias = [0, 0];
  const bg2 = [1e-8, 1e-8];
  const random = rng(17);
  const order = data.map((_, i) => i);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const at of order) {
      const d = data[at]!;
      let z0 = bias[0]!;
      let z1 = bias[1]!;
      for (let f = 0; f < d.i.length; f++) {
        z0 += w[d.i[f]!]! * d.v[f]!;
        z1 += w[d.i[f]! + 1]! * d.v[f]!;
      }
      const m = Math.max(0, z0, z1);
      const e0 = Math.exp(z0 - m);
      const e1 = Math.exp(z1 - m);
      const sum = e0 + e1 + Math.exp(-m);
      for (let k = 0; k < 2; k++) {
        const g = ((k === 0 ? e0 : e1) / sum - (d.y === k ? 1 : 0)) * classWeight[d.y]!;
        bg2[k]! += g * g;
        bias[k]! -= (o.rate * g) / Math.sqrt(bg2[k]!);
        for (let f = 0; f < d.i.length; f++) {
          const at2 = d.i[f]! + k;
          const gf = g * d.v[f]! + o.l2 * w[at2]!;
          g2[at2]! += gf * gf;
          w[at2]! -= (o.rate * gf) / Math.sqrt(g2[at2]!);
        }
      }
    }
  }
  const weights: Record<string, [number, number]> = {};
  const round = (x: number) => Math.round(x * 1000) / 1000;
  for (const [name, i] of index) {
    const pair: [number, number] = [round(w[i * 2]!), round(w[i * 2 + 1]!)];
    if (pair[0] !== 0 || pair[1] !== 0) weights[name] = pair;
  }
  return { bias: [round(bias[0]!), round(bias[1]!)], weights };
}

/**
 * Folds that keep each writer whole: a writer's rows are all in one fold, so a fold's figures
 * say how the model does on someone whose sentences it never saw. Rows of the corpus (one
 * "writer" with far more rows) and the guide's own examples are dealt round the folds.
 */
/** Rows that are not one writer's: real sentences from the corpus, and the guide's own examples. */
export const SHARED_ROWS = new Set(['corpus', 'guide']);

export function writerFolds(rows: Row[], spread = SHARED_ROWS): Row[][] {
  const writers = [...new Set(rows.map((r) => r.writer).filter((w) => !spread.has(w)))].sort();
  // one writer alone: five interleaved folds (figures on them flatter the model, thresholds less so)
  if (writers.length < 2) return [0, 1, 2, 3, 4].map((k) => rows.filter((_, i) => i % 5 === k));
  const folds: Row[][] = writers.map(() => []);
  let n = 0;
  for (const r of rows) {
    if (spread.has(r.writer)) folds[n++ % folds.length]!.push(r);
    else folds[writers.indexOf(r.writer)]!.push(r);
  }
  return folds;
}

/**
 * The lowest threshold (not under `floor`) at which the out-of-fold predictions of a kind reach
 * the precision aimed for; the highest prediction made, when none does.
 */
export function chooseThreshold(scored: { p: number; yes: boolean }[], precision: number, floor: number): number {
  const sorted = [...scored].sort((a, b) => b.p - a.p);
  let tp = 0;
  let best = sorted.length ? sorted[0]!.p : 1;
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i]!.yes) tp++;
    const next = sorted[i + 1];
    // a threshold lies between distinct scores only
    if (next && next.p === sorted[i]!.p) continue;
    if (tp / (i + 1) >= precision) best = sorted[i]!.p;
  }
  return Math.max(floor, Math.round(best * 1000) / 1000);
}

/** A whole model: weights fitted on all rows, thresholds from folds over the writers within them. */
export function train(rows: Row[], o: TrainOptions = DEFAULTS): Omit<HintsModel, 'trained' | 'version'> {
  const oof: { p: [number, number]; label: Row['label'] }[] = [];
  const folds = writerFolds(rows);
  for (const [i, held] of folds.entries()) {
    const model = fitWeights(
      folds.flatMap((f, j) => (j === i ? [] : f)),
      o,
    );
    for (const r of held) oof.push({ p: probabilities(model, r.sentence), label: r.label });
  }
  const thresholds = KINDS.map((kind, k) =>
    oof.length
      ? chooseThreshold(
          oof.map((x) => ({ p: x.p[k]!, yes: x.label === kind })),
          o.precision,
          o.floor,
        )
      : o.floor,
  ) as [number, number];
  return { ...fitWeights(rows, o), thresholds };
}
