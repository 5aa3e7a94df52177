// Counts the type assertions in src/ (`x as T`, `<T>x`; not `as const`), migrations left out, at a
// git revision: the figure docs/architecture.md gives for issue 13's "rows need no casts". A grep for
// " as " also counts prose ("as JSON"), import and select aliases; the parser counts only casts.
// Usage: node scripts/count-casts.ts [REV] [--list]   (REV defaults to HEAD)
import { execFileSync } from 'node:child_process';
import ts from 'typescript';

const args = process.argv.slice(2);
const rev = args.find((a) => !a.startsWith('--')) ?? 'HEAD';
const git = (...a: string[]) => execFileSync('git', a, { encoding: 'utf8', maxBuffer: 1 << 26 });
const files = git('ls-tree', '-r', '--name-only', rev, 'src')
  .split('\n')
  .filter((f) => f.endsWith('.ts') && !f.startsWith('src/store/migrations/'));
const found: string[] = [];
for (const f of files) {
  const sf = ts.createSourceFile(f, git('show', `${rev}:${f}`), ts.ScriptTarget.Latest, true);
  const visit = (node: ts.Node): void => {
    if ((ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) && node.type.getText(sf) !== 'const') {
      const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
      found.push(`${f}:${line}: ${node.getText(sf).replace(/\s+/g, ' ').slice(-90)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}
if (args.includes('--list')) console.log(found.join('\n'));
console.log(found.length);
