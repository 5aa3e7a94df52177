import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import { unified } from 'unified';
import { micromark } from 'micromark';
const N = 5000;
const cases: Record<string, string> = {
  'nested strong emph': '*a **a '.repeat(N / 7) + 'b' + ' a** a*'.repeat(N / 7),
  'emph closers no openers': 'a_ '.repeat(N / 3),
  mismatched: '*a_ '.repeat(N / 4),
  'bq no space': '>'.repeat(N) + ' a',
  'list markers one line': '- '.repeat(N / 2) + 'a',
  'link closers no openers': 'a]'.repeat(N / 2),
  table: '| a |\n|---|\n' + '| b |\n'.repeat(N / 6),
};
const p1 = unified().use(remarkParse);
const p2 = unified().use(remarkParse).use(remarkGfm);
for (const [name, md] of Object.entries(cases)) {
  let t = performance.now();
  micromark(md);
  const a = performance.now() - t;
  t = performance.now();
  p1.runSync(p1.parse(md));
  const b = performance.now() - t;
  t = performance.now();
  p2.runSync(p2.parse(md));
  const c = performance.now() - t;
  console.log(name.padEnd(28), a.toFixed(0), b.toFixed(0), c.toFixed(0));
}
