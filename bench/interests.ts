// Precision and recall of the interests/marketing flags on the labelled set in
// test/domain/interests.data.tsv, the confusion matrix, the misclassified sentences and throughput.
// Usage: node bench/interests.ts
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { classifySentence } from '../src/domain/interests.ts';
import { loadShippedModel } from '../src/domain/hints/shipped.ts';

await loadShippedModel(); // the hints model loads on first use (src/domain/hints/shipped.ts)

export type Scores = { precision: number; recall: number; f1: number; tp: number; fp: number; fn: number };

export function loadLabelled(
  file = path.resolve(import.meta.dirname, '../test/domain/interests.data.tsv'),
): { label: string; sentence: string }[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => {
      const [label, ...rest] = l.split('\t');
      return { label: label!, sentence: rest.join('\t') };
    });
}

export function score(rows: { label: string; predicted: string }[], kind: string): Scores {
  const tp = rows.filter((r) => r.label === kind && r.predicted === kind).length;
  const fp = rows.filter((r) => r.label !== kind && r.predicted === kind).length;
  const fn = rows.filter((r) => r.label === kind && r.predicted !== kind).length;
  const precision = tp + fp ? tp / (tp + fp) : 1;
  const recall = tp + fn ? tp / (tp + fn) : 1;
  return {
    precision,
    recall,
    f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    tp,
    fp,
    fn,
  };
}

if (import.meta.main) {
  const data = loadLabelled();
  const t0 = performance.now();
  const rows = data.map((d) => ({ ...d, predicted: classifySentence(d.sentence) ?? 'none' }));
  const ms = performance.now() - t0;
  const kinds = ['position', 'marketing', 'none'];
  console.log(
    `${data.length} labelled sentences (${kinds.map((k) => `${data.filter((d) => d.label === k).length} ${k}`).join(', ')})`,
  );
  for (const k of ['position', 'marketing']) {
    const s = score(rows, k);
    console.log(
      `${k.padEnd(10)} precision ${s.precision.toFixed(3)}  recall ${s.recall.toFixed(3)}  F1 ${s.f1.toFixed(3)}  (tp ${s.tp}, fp ${s.fp}, fn ${s.fn})`,
    );
  }
  console.log('\nconfusion (rows: label, columns: predicted)');
  console.log(`${''.padEnd(10)}${kinds.map((k) => k.padStart(10)).join('')}`);
  for (const l of kinds)
    console.log(
      `${l.padEnd(10)}${kinds.map((p) => String(rows.filter((r) => r.label === l && r.predicted === p).length).padStart(10)).join('')}`,
    );
  const wrong = rows.filter((r) => r.label !== r.predicted);
  if (wrong.length)
    console.log(`\nmisclassified:\n${wrong.map((r) => `  ${r.label} → ${r.predicted}: ${r.sentence}`).join('\n')}`);
  // throughput on repeated passes, so the figure is not dominated by timer resolution
  const t1 = performance.now();
  let n = 0;
  while (performance.now() - t1 < 500) for (const d of data) classifySentence(d.sentence), n++;
  console.log(
    `\nthroughput: ${Math.round(n / ((performance.now() - t1) / 1000))} sentences/s (first pass ${ms.toFixed(1)} ms)`,
  );
}
