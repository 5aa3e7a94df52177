// How well the hints model (src/domain/hints/) does on writers it was not trained on:
// leave-one-writer-out over the independent writers in datasets/hints/. For each writer, a model is
// trained on the other writers and the corpus (its thresholds chosen by folds inside that
// training set only) and judged on the held-out writer's sentences plus its share of corpus
// sentences, the way `wghub hints --lines` judges a line. Prints per-kind precision and recall per
// fold and pooled, the figures on the project's own older set (never trained on), the misses and
// false flags of the pooled folds, and the time a judgement takes.
// Usage: node bench/hints-quality.ts [--show N]
import path from 'node:path';
import { loadHintRows, loadRows, type LabelledRow } from '../scripts/hints-data.ts';
import { judgeLine } from '../src/domain/interests.ts';
import type { HintsModel } from '../src/domain/hints/model.ts';
import { DEFAULTS, SHARED_ROWS, type TrainOptions, train, writerFolds } from '../src/domain/hints/train.ts';
import { score } from './interests.ts';

const KINDS = ['position', 'marketing'] as const;

export type Verdict = { row: LabelledRow; predicted: string };

export function judgeRows(model: HintsModel, rows: LabelledRow[]): Verdict[] {
  return rows.map((row) => ({ row, predicted: judgeLine(row.sentence, model).kind ?? 'neither' }));
}

const line = (v: Verdict[]) =>
  KINDS.map((k) => {
    const s = score(
      v.map((x) => ({ label: x.row.label, predicted: x.predicted })),
      k,
    );
    return `${k} P ${s.precision.toFixed(3)} R ${s.recall.toFixed(3)} (tp ${s.tp}, fp ${s.fp}, fn ${s.fn})`;
  }).join(' · ');

/** Leave-one-writer-out: the verdicts on each held-out writer (and its share of the corpus). */
export function leaveOneWriterOut(
  rows: LabelledRow[],
  options: TrainOptions = DEFAULTS,
): { writer: string; verdicts: Verdict[]; model: HintsModel }[] {
  const folds = writerFolds(rows) as LabelledRow[][];
  return folds.map((held, i) => {
    const trained = train(
      folds.flatMap((f, j) => (j === i ? [] : f)),
      options,
    );
    const model: HintsModel = { version: 1, trained: {}, ...trained };
    const writer = held.find((r) => !SHARED_ROWS.has(r.writer))?.writer ?? '?';
    return { writer, verdicts: judgeRows(model, held), model };
  });
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const show = args.includes('--show') ? Number(args[args.indexOf('--show') + 1]) : 10;
  const rows = loadHintRows();
  const writers = [...new Set(rows.map((r) => r.writer))];
  console.log(
    `${rows.length} labelled sentences: ${writers
      .map((w) => `${w} ${rows.filter((r) => r.writer === w).length}`)
      .join(', ')}; ${KINDS.map((k) => `${rows.filter((r) => r.label === k).length} ${k}`).join(', ')}`,
  );
  const t0 = performance.now();
  // HINTS_OPTIONS='{"l2":1e-4}' tries other training options (the shipped model uses the defaults)
  const options = { ...DEFAULTS, ...JSON.parse(process.env.HINTS_OPTIONS ?? '{}') } as TrainOptions;
  const folds = leaveOneWriterOut(rows, options);
  console.log(`leave-one-writer-out (${folds.length} folds, ${((performance.now() - t0) / 1000).toFixed(1)} s):`);
  for (const f of folds) {
    const own = f.verdicts.filter((v) => !SHARED_ROWS.has(v.row.writer));
    const corpus = f.verdicts.filter((v) => SHARED_ROWS.has(v.row.writer));
    console.log(
      `  writer ${f.writer} held out (thresholds ${f.model.thresholds.join(', ')}): ${line(own)}; false flags on ${corpus.length} corpus sentences: ${corpus.filter((v) => v.predicted !== 'neither' && v.predicted !== v.row.label).length}`,
    );
  }
  const pooled = folds.flatMap((f) => f.verdicts);
  const pooledWriters = pooled.filter((v) => !SHARED_ROWS.has(v.row.writer));
  console.log(`pooled over held-out writers: ${line(pooledWriters)}`);
  console.log(`pooled with the corpus sentences: ${line(pooled)}`);
  const project = loadRows(path.resolve(import.meta.dirname, '../test/domain/interests.data.tsv'));
  const { model } = await import('../src/domain/hints/model-file.ts');
  console.log(
    `the project's own set (${project.length}, never trained on), shipped model: ${line(judgeRows(model, project))}`,
  );
  for (const k of KINDS) {
    const missed = pooledWriters.filter((v) => v.row.label === k && v.predicted !== k);
    const wrong = pooled.filter((v) => v.predicted === k && v.row.label !== k);
    console.log(`${k}: ${missed.length} missed, e.g.`);
    for (const v of missed.slice(0, show)) console.log(`    [${v.row.writer}/${v.row.style}] ${v.row.sentence}`);
    console.log(`${k}: ${wrong.length} false flags`);
    for (const v of wrong.slice(0, show)) console.log(`    [${v.row.writer}/${v.row.label}] ${v.row.sentence}`);
  }
  const sample = rows.slice(0, 500).map((r) => r.sentence);
  for (const s of sample) judgeLine(s, model);
  let n = 0;
  const t1 = performance.now();
  while (performance.now() - t1 < 1000)
    for (const s of sample) {
      judgeLine(s, model);
      n++;
    }
  console.log(`speed: ${((1000 * (performance.now() - t1)) / n).toFixed(1)} µs per sentence (${n} judged in-process)`);
}
