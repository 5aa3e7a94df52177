// Real sentences for the hints' labelled set: prose from the corpus (SEPs, charters, governance
// pages, meeting notes) split into sentences, each with the file it came from. Nearly all of them
// are "neither"; the few that read as a position or as marketing are labelled by hand afterwards
// in datasets/hints/corpus.tsv (this script keeps a label already there). Deterministic: the same
// corpus gives the same file.
// Usage: node scripts/hints-corpus.ts [CORPUS_DIR] [--max N]
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { splitSentences } from '../src/domain/interests.ts';

const args = process.argv.slice(2);
const maxAt = args.indexOf('--max');
const max = maxAt >= 0 ? Number(args.splice(maxAt, 2)[1]) : 1300;
const corpus = path.resolve(args[0] ?? path.join(import.meta.dirname, '../../shared/corpus/mcp-governance'));
const out = path.join(import.meta.dirname, '../datasets/hints/corpus.tsv');

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = path.join(dir, f);
      return statSync(p).isDirectory() ? files(p) : /\.mdx?$/.test(f) ? [p] : [];
    });
}

/** Prose only: front matter, code, tables, headings, HTML and link targets go; lines stay lines. */
function prose(md: string): string {
  return (
    md
      .replace(/^---\n[\s\S]*?\n---\n/, '')
      .replace(/```[\s\S]*?```|~~~[\s\S]*?~~~/g, '\n')
      .replace(/<[^>\n]+>/g, ' ')
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .split('\n')
      .filter((l) => !/^\s*(?:#|\||import |export |\{|:::)/.test(l))
      .map((l) => l.replace(/[*_`]+/g, '').replace(/\s+/g, ' '))
      .join('\n')
      // hard-wrapped paragraphs are one text: a line joins the previous one unless it starts an item
      .replace(/\n(?!\s*(?:[-+]|\d+[.)])\s|\s*\n)(?=\S)/g, ' ')
  );
}

const kept = new Map<string, string>(); // previously hand-set labels survive a regeneration
if (existsSync(out))
  for (const line of readFileSync(out, 'utf8').split('\n').slice(1)) {
    const [label, , , sentence] = line.split('\t');
    if (label && sentence && label !== 'neither') kept.set(sentence, label);
  }

const seen = new Set<string>();
const rows: { key: string; label: string; source: string; sentence: string }[] = [];
for (const file of files(corpus)) {
  const source = path.relative(corpus, file);
  for (const { sentence } of splitSentences(prose(readFileSync(file, 'utf8')))) {
    const s = sentence.replace(/\s+/g, ' ').trim();
    const n = s.split(' ').length;
    // sentences a person writes: 6 to 60 words, mostly letters, no bare links or key: value lines
    if (n < 6 || n > 60 || /https?:|\t/.test(s) || /^[^A-Za-z"“]/.test(s) || /^[\w -]{1,30}:\s/.test(s)) continue;
    if ((s.match(/[A-Za-z]/g)?.length ?? 0) < s.length * 0.7) continue;
    if (seen.has(s.toLowerCase())) continue;
    seen.add(s.toLowerCase());
    const key = createHash('sha1').update(s).digest('hex');
    rows.push({ key, label: kept.get(s) ?? 'neither', source, sentence: s });
  }
}
// an even sample across the corpus, the same every time: by hash of the sentence
const chosen = rows
  .sort((a, b) => a.key.localeCompare(b.key))
  .slice(0, max)
  .sort((a, b) => a.source.localeCompare(b.source) || a.key.localeCompare(b.key));
writeFileSync(
  out,
  `label\twriter\tsource\tsentence\n${chosen.map((r) => `${r.label}\tcorpus\t${r.source}\t${r.sentence}`).join('\n')}\n`,
);
console.log(`${rows.length} corpus sentences, ${chosen.length} written to ${path.relative(process.cwd(), out)}`);
