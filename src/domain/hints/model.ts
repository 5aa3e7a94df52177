// The hints model: a linear model (multinomial logistic regression) over the features in
// features.ts, trained by `npm run train:hints` (scripts/train-hints.ts) on the labelled
// sentences in datasets/hints/ and stored in model.json. Scores are relative to "neither", so each
// feature keeps two weights. A sentence is flagged only when the probability of its kind passes
// that kind's threshold, chosen in training for precision: a false flag annoys more than a miss.
import { featureHash, forEachHashed } from './features.ts';

export type Kind = 'position' | 'marketing';
export const KINDS: Kind[] = ['position', 'marketing'];

export type HintsModel = {
  version: 1;
  /** how the model was trained and what it scored on writers it did not see */
  trained: Record<string, unknown>;
  bias: [number, number];
  thresholds: [number, number];
  /** feature name → weights for position and marketing, relative to neither */
  weights: Record<string, [number, number]>;
};

export type Judgement = {
  kind: Kind | null;
  /** probability of each kind */
  p: [number, number];
  /** the words that pushed the sentence towards the kind found, strongest first (none when no kind is) */
  words: string[];
  /** hand-written cues that matched */
  cues: string[];
};

// weights by the number of their name, made once per model: judging never builds a name
const maps = new WeakMap<object, Map<number, [number, number]>>();
function weightsOf(model: Pick<HintsModel, 'weights'>): Map<number, [number, number]> {
  let m = maps.get(model.weights);
  if (!m) {
    m = new Map(Object.entries(model.weights).map(([k, w]) => [featureHash(k), w]));
    maps.set(model.weights, m);
  }
  return m;
}

export function probabilities(model: Pick<HintsModel, 'bias' | 'weights'>, sentence: string): [number, number] {
  const weights = weightsOf(model);
  let z0 = model.bias[0];
  let z1 = model.bias[1];
  forEachHashed(sentence, (hash, value) => {
    const w = weights.get(hash);
    if (!w) return;
    z0 += w[0] * value;
    z1 += w[1] * value;
  });
  const m = Math.max(0, z0, z1);
  const e0 = Math.exp(z0 - m);
  const e1 = Math.exp(z1 - m);
  const sum = e0 + e1 + Math.exp(-m);
  return [e0 / sum, e1 / sum];
}

// words that carry weight in the model but tell a reader nothing about why
const FUNCTION_WORDS = new Set(
  'a an the to of in on at for and or but is are be it its this that these those with as by from so'.split(' '),
);

/** The words that pushed a sentence towards kind `k`, strongest first (a word shown in a pair is not repeated). */
function triggers(
  model: Pick<HintsModel, 'weights'>,
  sentence: string,
  k: number,
): { words: string[]; cues: string[] } {
  const weights = weightsOf(model);
  const push = new Map<string, number>();
  const cues: string[] = [];
  forEachHashed(sentence, (hash, value, a, b, name) => {
    // cues (always named) are shown as cues, not as words
    if (name) {
      if (name !== 'r:softened' && name !== 'r:rfc2119' && name !== 'r:quoted') cues.push(name.slice(2));
      return;
    }
    const w = weights.get(hash);
    if (!w) return;
    const words = b ? `${a} ${b}` : a;
    push.set(words, (push.get(words) ?? 0) + w[k]! * value);
  });
  const words: string[] = [];
  for (const [w] of [...push]
    .filter(([w2]) => !FUNCTION_WORDS.has(w2))
    .filter(([, v]) => v > 0)
    .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))) {
    if (words.length === 3) break;
    const parts = w.split(' ');
    if (words.some((x) => parts.every((part) => x.split(' ').includes(part)))) continue;
    words.push(w);
  }
  return { words, cues };
}

export function judge(model: HintsModel, sentence: string): Judgement {
  const p = probabilities(model, sentence);
  const over = KINDS.map((_, k) => p[k]! >= model.thresholds[k]!);
  if (!over[0] && !over[1]) return { kind: null, p, words: [], cues: [] };
  const k = over[0] && over[1] ? (p[0] >= p[1] ? 0 : 1) : over[0] ? 0 : 1;
  return { kind: KINDS[k]!, p, ...triggers(model, sentence, k) };
}
