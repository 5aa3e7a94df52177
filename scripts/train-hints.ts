// Trains the hints model on every labelled sentence in datasets/hints/ and writes it to
// src/domain/hints/model.json. Deterministic and offline: the same data gives the same file.
// The thresholds come from leave-one-writer-out folds inside the data; how well the model does on
// writers it never saw is measured by bench/hints-quality.ts, not here.
// Usage: npm run train:hints
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { HintsModel } from '../src/domain/hints/model.ts';
import { DEFAULTS, train } from '../src/domain/hints/train.ts';
import { loadHintRows } from './hints-data.ts';

const rows = loadHintRows();
const started = performance.now();
const trained = train(rows);
const counts = (key: 'writer' | 'label') =>
  Object.fromEntries([...new Set(rows.map((r) => r[key]))].map((v) => [v, rows.filter((r) => r[key] === v).length]));
const model: HintsModel = {
  version: 1,
  trained: {
    rows: rows.length,
    writers: counts('writer'),
    labels: counts('label'),
    data: createHash('sha256')
      .update(rows.map((r) => `${r.label}\t${r.writer}\t${r.sentence}`).join('\n'))
      .digest('hex')
      .slice(0, 16),
    options: DEFAULTS,
    features: 'word unigrams and pairs, letter 3-4-grams within words, the hand-written cues of rules.ts',
  },
  ...trained,
};
const out = path.resolve(import.meta.dirname, '../src/domain/hints/model.json');
writeFileSync(out, `${JSON.stringify(model)}\n`);
console.log(
  `trained on ${rows.length} sentences in ${((performance.now() - started) / 1000).toFixed(1)} s: ${Object.keys(model.weights).length} features, thresholds ${model.thresholds.join(', ')} → ${path.relative(process.cwd(), out)}`,
);
