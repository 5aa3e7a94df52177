// The words the index holds, for "did you mean": a search that finds nothing is tried again with
// each unknown word replaced by the closest known one ("sesion" → "session"). Pure helpers here;
// the table is `search_words` (word, how many documents carried it when indexed).
import { LIMITS } from '../domain/limits.ts';

/** The words a document's title and body give the vocabulary (the same cut for adding and taking away). */
export function documentWords(title: string, body: string): string[] {
  return wordsOf(`${title} ${body}`.slice(0, LIMITS.search.wordsFromChars));
}

/** Distinct lower-case words of 4 to 30 letters or digits (starting with a letter) in a text. */
export function wordsOf(text: string): string[] {
  return [
    ...new Set(
      [
        ...text
          .normalize('NFC')
          .toLowerCase()
          .matchAll(/\p{L}[\p{L}\p{N}]{3,29}/gu),
      ].map((m) => m[0]),
    ),
  ];
}

/** Optimal string alignment distance (Levenshtein with adjacent swaps), stopping above `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

/** How many typos a word may carry and still be corrected: one in a short word, two in a long one. */
export const allowedTypos = (word: string): number => (word.length <= 5 ? 1 : 2);

/** The known word closest to `word` (fewest edits, then the most documents), or null. */
export function closestWord(word: string, known: { word: string; docs: number }[]): string | null {
  const max = allowedTypos(word);
  let best: { word: string; d: number; docs: number } | null = null;
  for (const k of known) {
    if (k.word === word) return word;
    const d = editDistance(word, k.word, max);
    if (d > max) continue;
    if (!best || d < best.d || (d === best.d && k.docs > best.docs)) best = { word: k.word, d, docs: k.docs };
  }
  return best?.word ?? null;
}
