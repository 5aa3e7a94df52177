// The labelled sentences the hints model learns from and is measured on: datasets/hints/*.tsv, each
// row with its label, its writer (an independent writer, or "corpus" for real sentences from the
// SEPs, charters and notes) and where it came from. Columns are found by the header's names.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Row } from '../src/domain/hints/train.ts';

export const HINTS_DATA = path.resolve(import.meta.dirname, '../datasets/hints');

export type LabelledRow = Row & { style: string; source: string };

export function loadRows(file: string): LabelledRow[] {
  const [head, ...lines] = readFileSync(file, 'utf8').split('\n');
  const cols = head!.split('\t');
  const at = (name: string) => cols.indexOf(name);
  return lines
    .filter((l) => l.trim())
    .map((l) => {
      const c = l.split('\t');
      const raw = c[at('label')]!.trim();
      const label = raw === 'none' ? 'neither' : raw;
      if (label !== 'position' && label !== 'marketing' && label !== 'neither')
        throw new Error(`${file}: label "${label}" is not position, marketing or neither`);
      return {
        label,
        writer: c[at('writer')] ?? path.basename(file, '.tsv'),
        style: at('style') >= 0 ? (c[at('style')] ?? '') : '',
        source: at('source') >= 0 ? (c[at('source')] ?? '') : '',
        sentence: c[at('sentence')]!,
      };
    });
}

/** Every labelled row in datasets/hints/, in file order (files sorted by name). */
export function loadHintRows(dir = HINTS_DATA): LabelledRow[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.tsv'))
    .sort()
    .flatMap((f) => loadRows(path.join(dir, f)));
}
