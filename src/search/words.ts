// The words the index holds, for "did you mean": a search that finds nothing is tried again with
// each unknown word replaced by the closest known one ("sesion" → "session"). Pure helpers here;
// the table is `search_words` (word, how many documents carried it when indexed).
import { LIMITS } from '../domain/limits.ts';
import { allowedTypos, editDistance } from '../domain/typos.ts';

// moved to domain/typos.ts (pure, and the hints of what a name meant use them too); still offered here
export { allowedTypos };

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
