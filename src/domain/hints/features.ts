// What the hints model reads in a sentence: its words and word pairs, the letter sequences inside
// its words (so "pricing", "priced" and "price" share evidence, and misspellings still count), and
// the hand-written cues. Each feature carries the words it stands for, so a flag can say which
// words triggered it.
import { MARKETING, POSITION, SOFTENERS } from './rules.ts';
import { tally } from '../work.ts';

export type Feature = { name: string; value: number; words: string };

const CHAR_MIN = 3;
const CHAR_MAX = 4;

/** Lower-case word tokens (apostrophes kept: "won't"), with "?" and "!" as tokens of their own. */
export function tokens(sentence: string): string[] {
  return (
    sentence
      .toLowerCase()
      .replace(/[’‘]/g, "'")
      .match(/[a-z0-9]+(?:'[a-z]+)?|[?!]/g) ?? []
  );
}

/**
 * Which of the sentence's tokens stand inside quotation marks or an opening "> " quote: words
 * someone else said, quoted to discuss them ("When you say 'the registry must be npm-based', what
 * problem …"), weigh apart from the speaker's own words.
 */
export function quotedTokens(sentence: string): boolean[] {
  const text = sentence.toLowerCase().replace(/[’‘]/g, "'");
  const spans = quotedSpans(text);
  // one pass: words and spans both run left to right (a check of every span per word was
  // quadratic: 100,000 characters of '"abc" ' took seconds)
  const out: boolean[] = [];
  let s = 0;
  let looked = 0; // spans looked at, counted (src/domain/work.ts): each once, and once more per word
  for (const m of text.matchAll(/[a-z0-9]+(?:'[a-z]+)?|[?!]/g)) {
    for (; s < spans.length && spans[s]![1] <= m.index; looked++) s++;
    out.push(s < spans.length && spans[s]![0] <= m.index);
    looked++;
  }
  tally('quoted spans', looked);
  return out;
}

/** Where a sentence quotes someone (see quotedTokens), as [start, end) offsets in order. */
function quotedSpans(sentence: string): [number, number][] {
  const spans: [number, number][] = [];
  // a reply that opens by quoting ("> We must ship mTLS. Why?"): the quote runs to its first full stop
  const block = /^\s*>[^.!?]*(?:[.!?]+(?=\s|$)|$)/.exec(sentence);
  if (block) spans.push([0, block[0].length]);
  for (const m of sentence.matchAll(
    /["“”«»]([^"“”«»]{3,}?)["“”«»]|(?<![A-Za-z0-9])['’‘]([^'’‘]{3,}?)['’‘](?![A-Za-z0-9])/g,
  ))
    spans.push([m.index, m.index + m[0].length]);
  return spans.sort((x, y) => x[0] - y[0]);
}

/** FNV-1a over `text[from..to)`, continuing from `h`: a feature's name hashed without building it. */
export function fnv(h: number, text: string, from = 0, to = text.length): number {
  for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h;
}
const FNV0 = 2166136261;
const W = fnv(FNV0, 'w:');
const B = fnv(FNV0, 'b:');
const C = fnv(FNV0, 'c:');
const Q = fnv(FNV0, 'q:');
const SPACE = ' '.charCodeAt(0);

/** The number a feature's name stands for in a judgement (see forEachHashed). */
export const featureHash = (name: string): number => fnv(FNV0, name) >>> 0;

/**
 * The features of a sentence, each given to `visit` with the number of its name (featureHash),
 * its value, and the word(s) it stands for (`a`, and `b` for a word pair). Names are never built:
 * judging a sentence costs microseconds. A feature seen twice is visited twice. Each group (words
 * and pairs, letter sequences, cues) is scaled to unit length, so a long sentence does not weigh
 * more than a short one and no group drowns the others.
 */
export function forEachHashed(
  sentence: string,
  visit: (hash: number, value: number, a: string, b: string, name: string) => void,
  withNames = false,
): void {
  const toks = tokens(sentence);
  const cues: [string, string][] = [];
  const spans = quotedSpans(sentence);
  for (const rule of [...POSITION, ...MARKETING]) {
    const m = rule.re.exec(sentence);
    if (!m || rule.unless?.test(m[0])) continue;
    // a cue inside someone else's quoted words is evidence of what is being discussed, not said
    const inQuote = spans.some(([a, b]) => a <= m.index && m.index < b);
    cues.push([`${inQuote ? 'rq' : 'r'}:${rule.cue}`, m[0]]);
  }
  if (SOFTENERS.test(sentence)) cues.push(['r:softened', 'a question or a softened wording']);
  // RFC 2119 keywords in capitals are specification language, not a demand
  const rfc = /\b(?:MUST|SHOULD|SHALL|REQUIRED|MAY)(?: NOT)?\b/.exec(sentence);
  if (rfc) cues.push(['r:rfc2119', rfc[0]]);
  const quoted = quotedTokens(sentence);
  if (quoted.some(Boolean)) cues.push(['r:quoted', 'words in quotation marks']);
  let charCount = 0;
  for (const t of toks)
    if (t.length >= 2) for (let n = CHAR_MIN; n <= CHAR_MAX; n++) charCount += Math.max(0, t.length + 3 - n);
  const wordScale = 1 / Math.sqrt(Math.max(1, toks.length * 2 + 1));
  const charScale = 1 / Math.sqrt(Math.max(1, charCount));
  let previous = '<s>';
  for (const [i, t] of toks.entries()) {
    visit(fnv(W, t) >>> 0, wordScale, t, '', withNames ? `w:${t}` : '');
    if (quoted[i]) visit(fnv(Q, t) >>> 0, wordScale, t, '', withNames ? `q:${t}` : '');
    const p = previous;
    visit(
      fnv(Math.imul(fnv(B, p) ^ SPACE, 16777619), t) >>> 0,
      wordScale,
      p === '<s>' ? t : p,
      p === '<s>' ? '' : t,
      withNames ? `b:${p} ${t}` : '',
    );
    previous = t;
    if (t.length < 2) continue;
    const w = ` ${t} `;
    for (let n = CHAR_MIN; n <= CHAR_MAX; n++)
      for (let i = 0; i + n <= w.length; i++)
        visit(fnv(C, w, i, i + n) >>> 0, charScale, t, '', withNames ? `c:${w.slice(i, i + n)}` : '');
  }
  if (toks.length) {
    const p = previous;
    visit(fnv(fnv(B, p), ' </s>') >>> 0, wordScale, p, '', withNames ? `b:${p} </s>` : '');
  }
  const cueScale = 1 / Math.sqrt(Math.max(1, cues.length));
  for (const [name, words] of cues) visit(featureHash(name), cueScale, words, '', name);
}

/** The sentence's features with their names (for training). */
export function features(sentence: string): Feature[] {
  const out: Feature[] = [];
  forEachHashed(sentence, (_h, value, a, b, name) => out.push({ name, value, words: b ? `${a} ${b}` : a }), true);
  return out;
}
