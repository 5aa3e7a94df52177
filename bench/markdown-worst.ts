// Markdown rendering cost, in µs a character, for each family of pathological input at the longest
// text anyone may write (meeting notes, LIMITS.notes; CHARS=50000 for a comment's limit): one parse
// giving the HTML and the mentions, as a comment is rendered when written. Each figure is the best
// of 3 renders of a fresh text (the renderer caches by text) after one to warm up, so a busy
// machine's noise counts less; the last line is the worst family.
// Usage: node bench/markdown-worst.ts  (or CHARS=50000 node bench/markdown-worst.ts)
import { renderWithMentions } from '../src/domain/markdown.ts';
import { LIMITS } from '../src/domain/limits.ts';

const N = Number(process.env.CHARS ?? LIMITS.notes);
const fill = (unit: string, n = N) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
const half = (open: string, close: string) => fill(open, N / 2 - 1) + 'a' + fill(close, N / 2 - 1);

export const families: [string, () => string][] = [
  [
    'ordinary prose',
    () => fill('Gateways need **session affinity** so a [request](https://example.org) reaches it.\n\n'),
  ],
  ["'*' run, a, '*' run", () => half('*', '*')],
  ["'_' run, a, '_' run", () => half('_', '_')],
  ["'*a **a ' nested", () => half('*a **a ', ' a** a*')],
  ["'a_ ' unmatched closers", () => fill('a_ ')],
  ["'*a ' unmatched openers", () => fill('*a ')],
  ["'[' run", () => fill('[')],
  ["'[a' run", () => fill('[a')],
  ["'[a](' run", () => fill('[a](')],
  ["'![' run", () => fill('![')],
  ["'[a]' refs undefined", () => fill('[a] ')],
  ["'[]: ' link ref defs", () => fill('[a]: b\n')],
  ['long link reference label', () => `[${fill('a', 998)}]: /x\n\n${fill(`[${fill('a', 998)}] `, N - 1010)}`],
  ["'](' run", () => fill('](')],
  ["'[a](<' run", () => fill('[a](<')],
  ["'` ` backticks varied", () => fill('`a``b```c````d')],
  ["'`' run", () => fill('`')],
  [
    'backtick runs of growing length',
    () => {
      let s = '';
      for (let k = 1; s.length < N; k++) s += `${'`'.repeat(k)}a`;
      return s.slice(0, N);
    },
  ],
  ["'&amp;' entity run", () => fill('&amp;')],
  ["'&#' partial entities", () => fill('&#')],
  ["'&#x1F600;' entities", () => fill('&#x1F600;')],
  ["'\\\\' escapes", () => fill('\\*')],
  ["'<' html-ish", () => fill('<')],
  ["'<a ' html-ish open tags", () => fill('<a ')],
  ["'<http://' autolinks", () => fill('<http://')],
  ['bare URLs (linkify)', () => fill('http://a.b ')],
  ["'www.' run (linkify)", () => fill('www.')],
  ["'a.' run (linkify)", () => fill('a.')],
  ["'http://' run no space", () => fill('http://')],
  ["'a@b.' emails (linkify)", () => fill('a@b.c ')],
  ["'@' run", () => fill('@')],
  ["'@a ' mentions", () => fill('@a ')],
  ["'#1 ' refs", () => fill('#1 ')],
  ["'~~' strikethrough", () => half('~~', '~~')],
  ["'~' run", () => fill('~')],
  ['table 2 columns many rows', () => `| a | b |\n|---|---|\n${fill('| c | d |\n', N - 30)}`],
  ['table header wide', () => `${fill('|a', N / 2 - 10)}\n${fill('|-', N / 2 - 10)}\n`],
  // test/http/markdown-tables.test.ts asserts the cells rendered; this is its speed (13 s for 8 of these)
  [
    'tables of 1,000 columns over one-letter rows',
    () => fill(`|${'a|'.repeat(1_000)}\n|${'-|'.repeat(1_000)}\n${'x\n'.repeat(1_000)}\n`),
  ],
  ["'|' run lines", () => fill('|\n')],
  ["'> ' quote run", () => fill('>')],
  ["'- ' list nesting", () => `${fill('- ', N - 1)}a`],
  ["'1. ' list run", () => fill('1. ')],
  [
    'nested lists by indent',
    () => {
      let s = '';
      for (let k = 0; s.length < N; k++) s += `${' '.repeat((k % 40) * 2)}- a\n`;
      return s.slice(0, N);
    },
  ],
  ["'#' heading run", () => fill('# a\n')],
  ["'=' setext", () => fill('a\n=\n')],
  ['many lines', () => fill('a\n')],
  ['fences unclosed', () => fill('```\n')],
  ['one token no spaces', () => fill('abcdefghij')],
  ['spaces then x', () => `${fill(' ', N - 1)}x`],
  ['tabs', () => fill('\t- a\n')],
  ["'*[' mix", () => fill('*[')],
  ["'_[`' mix", () => fill('_[`')],
  ['link with title quotes', () => fill('[a](b "')],
  ['nested brackets', () => half('[', ']')],
  ['nested parens in link', () => `[a](${half('(', ')')})`],
  ['image alt nesting', () => fill('![![![a](b)')],
];

let salt = 0;
const timeOf = (text: string) => {
  renderWithMentions(`${text}${salt++}`);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    renderWithMentions(`${text}${salt++}`);
    best = Math.min(best, performance.now() - t);
  }
  return best;
};

if (import.meta.main) {
  let worst = 0;
  let worstName = '';
  for (const [name, make] of families) {
    const text = make();
    const ms = timeOf(text);
    const per = (ms * 1000) / text.length;
    if (per > worst) [worst, worstName] = [per, name];
    console.log(
      `${name.padEnd(40)} ${String(text.length).padStart(7)} chars ${ms.toFixed(1).padStart(8)} ms ${per.toFixed(3).padStart(7)} µs/char`,
    );
  }
  console.log(`worst: ${worst.toFixed(3)} µs/char (${worstName})`);
}
