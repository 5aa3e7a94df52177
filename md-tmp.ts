import { renderMarkdown } from './src/domain/markdown.ts';
const N = Number(process.argv[2] ?? 5000);
const cases: Record<string, string> = {
  'nested strong emph': '*a **a '.repeat(N / 7) + 'b' + ' a** a*'.repeat(N / 7),
  'emph closers no openers': 'a_ '.repeat(N / 3),
  'emph openers no closers': '_a '.repeat(N / 3),
  'link closers no openers': 'a]'.repeat(N / 2),
  'link openers no closers': '[a'.repeat(N / 2),
  mismatched: '*a_ '.repeat(N / 4),
  'multiple of 3': 'a**b' + 'c* '.repeat(N / 3),
  'link openers emph closers': '[ a_'.repeat(N / 4),
  paren: '[ (]('.repeat(N / 5),
  'nested brackets': '['.repeat(N / 2) + 'a' + ']'.repeat(N / 2),
  'nested block quotes': '> '.repeat(N / 2) + 'a',
  'bq no space': '>'.repeat(N) + ' a',
  stars: '*'.repeat(N / 2) + 'a' + '*'.repeat(N / 2),
  'nested lists': Array.from({ length: Math.floor(Math.sqrt(N)) }, (_, i) => '  '.repeat(i) + '* a').join('\n'),
  'list markers one line': '- '.repeat(N / 2) + 'a',
  backticks: Array.from({ length: Math.floor(Math.sqrt(N)) }, (_, i) => 'e' + '`'.repeat(i)).join(''),
  'unclosed links A': '[a](<b'.repeat(N / 6),
  'unclosed links B': '[a](b'.repeat(N / 5),
  mentions: '@ada '.repeat(N / 5),
  table: '| a |\n|---|\n' + '| b |\n'.repeat(N / 6),
  autolinks: 'www.a.com '.repeat(N / 10),
  'emph alt': '*_'.repeat(N / 4) + 'a' + '_*'.repeat(N / 4),
  html: '<a '.repeat(N / 3),
  refs: '[a]: b\n'.repeat(N / 7) + '[a]'.repeat(100),
  tildes: '~'.repeat(N / 2) + 'a' + '~'.repeat(N / 2),
  'ordered list one line': '1. '.repeat(N / 3) + 'a',
};
for (const [name, md] of Object.entries(cases)) {
  const t = performance.now();
  let out = '';
  try {
    out = renderMarkdown(md);
  } catch (e) {
    out = 'ERR ' + (e as Error).message.slice(0, 40);
  }
  console.log(name.padEnd(28), md.length, (performance.now() - t).toFixed(0).padStart(6), 'ms', out.length);
}
