// Copies an independent writer's labelled sentences (label, style, sentence: written from the
// guide's definitions alone, never seeing the rules, the model or another writer's rows) into
// datasets/hints/writer-X.tsv, adding each row's writer and source (the original file and line).
// Usage: node scripts/hints-import-writer.ts FILE...   (FILE named writer-X.tsv)
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

for (const file of process.argv.slice(2)) {
  const name = path.basename(file, '.tsv');
  const writer = name.replace(/^writer-/, '');
  const [head, ...lines] = readFileSync(file, 'utf8').split('\n');
  if (head?.trim() !== 'label\tstyle\tsentence') throw new Error(`${file}: expected the header label, style, sentence`);
  const rows = lines.flatMap((l, i) => {
    if (!l.trim()) return [];
    const [label, style, ...rest] = l.split('\t');
    const sentence = rest.join(' ').replace(/\s+/g, ' ').trim();
    if (!['position', 'marketing', 'neither'].includes(label!.trim()) || !sentence)
      throw new Error(`${file}:${i + 2}: a row needs a label (position, marketing or neither) and a sentence`);
    return [`${label!.trim()}\t${writer}\t${style!.trim()}\t${name}.tsv:${i + 2}\t${sentence}`];
  });
  const out = path.join(import.meta.dirname, `../datasets/hints/${name}.tsv`);
  writeFileSync(out, `label\twriter\tstyle\tsource\tsentence\n${rows.join('\n')}\n`);
  console.log(`${rows.length} rows of writer ${writer} → ${path.relative(process.cwd(), out)}`);
}
