// How long the hub spends on the worst input one request may send, in-process: markdown bombs
// at the comment limit (50,000 characters), meeting rules that never match, and a search snippet
// of a document at the index cap. Each figure is the slowest of 5 runs, next to rendering an
// ordinary 50,000-character comment.
// Usage: node bench/hostile-input.ts
import { renderMarkdown } from '../src/domain/markdown.ts';
import { occurrences, ruleProblem } from '../src/domain/meetings/recurrence.ts';
import { explicitRefs, markedSnippet, plainFromMarkdown } from '../src/search/text.ts';
import { checkText, splitSentences } from '../src/domain/interests.ts';
import { describeFailure } from '../src/domain/failure.ts';
import { InvalidInput } from '../src/domain/errors.ts';
import { parseSep } from '../src/domain/sep/document.ts';
import { loadShippedModel } from '../src/domain/hints/shipped.ts';
import { renderTable } from '../src/domain/charter-doc/document.ts';
import { withoutClosingCharter } from '../src/app/imports/charters.ts';
import { titleOf } from '../src/app/imports/artifacts.ts';
import { openSeat } from '../src/domain/charter-doc/index.ts';
import { decisionAnswerIn } from '../src/domain/notifications/reply-text.ts';
import { sepFacts } from '../src/domain/sep/facts.ts';

await loadShippedModel(); // the hints model loads on first use (src/domain/hints/shipped.ts)

const slowest = (fn: () => unknown) => {
  let worst = 0;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    fn();
    worst = Math.max(worst, performance.now() - t);
  }
  return worst;
};
// a fresh string each time: the renderer caches by text
let salt = 0;
const md = (text: string) => () => renderMarkdown(`${text}${salt++}`);
const ordinary = 'Gateways need **session affinity** so a [request](https://example.org) reaches its server.\n\n';
const cases: [string, () => unknown][] = [
  ['ordinary 50,000-character comment', md(ordinary.repeat(50_000 / ordinary.length))],
  ["'*'×25,000 + 'a' + '*'×25,000", md(`${'*'.repeat(25_000)}a${'*'.repeat(25_000)}`)],
  ["'>'×50,000 + ' a'", md(`${'>'.repeat(50_000)} a`)],
  ["'- '×25,000 + 'a'", md(`${'- '.repeat(25_000)}a`)],
  ["'*a **a '… nested strong/emphasis", md(`${'*a **a '.repeat(3_500)}b${' a** a*'.repeat(3_500)}`)],
  ["'a_ '×16,000 (unmatched closers)", md('a_ '.repeat(16_000))],
  ['rule FREQ=DAILY;BYSETPOS=2 (validation)', () => ruleProblem('FREQ=DAILY;BYSETPOS=2')],
  [
    'rule FREQ=WEEKLY;INTERVAL=-1 (stored before, expanded)',
    () => occurrences('2026-01-01T10:00:00Z', 'UTC', 'FREQ=WEEKLY;INTERVAL=-1'),
  ],
  ["indexing '-' + 200,000 spaces + 'x' (meeting notes)", () => plainFromMarkdown(`-${' '.repeat(200_000)}x${salt++}`)],
  ["indexing '['×50,000 (a comment)", () => plainFromMarkdown(`${'['.repeat(50_000)}${salt++}`)],
  [
    "prior work: a URL of 'https://a' + '.'×50,000 + 'x'",
    () => explicitRefs(`https://a${'.'.repeat(50_000)}x${salt++}`),
  ],
  ['hints of \'"abc" x \'×25,000 (quoted words)', () => checkText(`${'"abc" x '.repeat(25_000)}${salt++}`)],
  [
    // test/http/wide-tables.test.ts asserts the size written; this is its speed (14 s when padded)
    'charter table: one 25,000-character cell over 6,000 rows',
    () =>
      renderTable({
        type: 'table',
        columns: ['x'.repeat(25_000)],
        align: [null],
        rows: Array.from({ length: 6_000 }, () => [`a${salt++}`]),
      }),
  ],
  // the inputs of tests that count the work these cause (src/domain/work.ts: test/domain/interests.test.ts,
  // test/domain/failure.test.ts, test/http/slow-seps.test.ts); their times are figured here only
  ["sentences of 'a'×50,000 + '.b' (no sentence end)", () => splitSentences(`${'a'.repeat(50_000)}${salt++}.b`)],
  [
    "a refusal quoting '“a'×20,000 (no closing mark)",
    () =>
      describeFailure(
        new InvalidInput([
          { field: 'handle', rule: `nobody here has the handle 'x${salt++}' ${'“a'.repeat(20_000)} SEP-12'` },
        ]),
      ),
  ],
  ...(
    [
      ["Authors of 'A '×15,000", { authors: 'A '.repeat(15_000) }],
      ['Authors of 40,000 spaces', { authors: `Ada${' '.repeat(40_000)}x` }],
      ['a body of 40,000 blank lines', { body: `${'\n'.repeat(40_000)}x` }],
      ['a body of 8,000 headings alike', { body: '\n## a\n'.repeat(8_000) }],
      ["Authors of 'x@'×1,500", { authors: 'x@'.repeat(1_500) }],
      [
        "Authors of '('/'<' runs, PR of '{'×20,000",
        { authors: `${'('.repeat(20_000)}${'<'.repeat(20_000)}`, pr: '{'.repeat(20_000) },
      ],
    ] as [string, { authors?: string; pr?: string; body?: string }][]
  ).map(([name, o]): [string, () => unknown] => [
    `SEP parse: ${name}`,
    () =>
      parseSep(
        [
          `# SEP-4701: Slow wombat streams ${salt++}`,
          '',
          '- **Status**: Draft',
          '- **Type**: Standards Track',
          '- **Created**: 2026-01-01',
          `- **Author(s)**: ${o.authors ?? 'Ada Lovelace (@ada)'}`,
          '- **Sponsor**: None',
          `- **PR**: ${o.pr ?? 'https://github.com/modelcontextprotocol/modelcontextprotocol/pull/1'}`,
          '',
          '## Abstract',
          '',
          'Wombat streams drop when the connection resets.',
          o.body ?? '',
        ].join('\n'),
      ),
  ]),
  // test/app/imports/hostile-files.test.ts counts the characters read; this is its speed (36 s when quadratic)
  [
    "charter title 'Agents' + 100,000 spaces + 'x'",
    () => withoutClosingCharter(`Agents${' '.repeat(100_000)}x${salt++}`),
  ],
  // found by a ReDoS analyser over src/ (test/domain/linear-reading.test.ts, test/http/slow-seps.test.ts,
  // test/app/imports/artifact-titles.test.ts): each grew with the square of its run before
  [
    "a reply 'amendment' + 200,000 spaces + 'x'",
    () => decisionAnswerIn(`concern\namendment${' '.repeat(200_000)}x${salt++}`, 'responses'),
  ],
  ["a charter seat 'Seeking' + 200,000 spaces + '\\nx'", () => openSeat(`Seeking${' '.repeat(200_000)}\nx${salt++}`)],
  [
    "SEP facts: Authors of 'Ada (' + '@'×40,000",
    () =>
      sepFacts(
        parseSep(`# SEP-4707: Slow ${salt++}\n\n- **Author(s)**: Ada (${'@'.repeat(40_000)}\n\n## Abstract\n\nx`),
      ),
  ],
  ["a document's title: '---\\n'×256,000", () => titleOf(`${'---\n'.repeat(256_000)}${salt++}`, 'a.md')],
  [
    'snippet of a 250,000-character document',
    () => markedSnippet('session affinity lorem ipsum '.repeat(8_600), 'session affinity gateway'),
  ],
];
for (const [name, fn] of cases) console.log(`${name.padEnd(56)} ${slowest(fn).toFixed(1).padStart(8)} ms`);
