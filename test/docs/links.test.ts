// Links between the docs: every relative link in a tracked markdown file (README.md, SECURITY.md,
// docs/*.md, …) names a file that exists, and every #anchor names a heading of the page it points
// at, by GitHub's rule for heading ids. A renamed heading or a moved page is caught here, not by a
// newcomer following the link. Links inside code (fenced blocks, `inline`) are not links.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const pages = execFileSync('git', ['ls-files', '*.md'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && existsSync(path.join(ROOT, f)));

/** The text a reader sees, code taken out: fenced blocks and inline code spans. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/(`+)[\s\S]*?\1/g, '');
}

/** GitHub's heading id (github-slugger): lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .replace(/<[^>]*>/g, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*`]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The ids a page's headings and its own `<a id>` / `<a name>` give, duplicates numbered as GitHub does. */
function anchorsOf(markdown: string): Set<string> {
  const ids = new Set<string>();
  const seen = new Map<string, number>();
  const code = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const m of code.matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const base = slug(m[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    ids.add(n ? `${base}-${n}` : base);
  }
  for (const m of code.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) ids.add(m[1]!);
  return ids;
}

interface Link {
  page: string;
  line: number;
  target: string;
}

function linksOf(page: string): Link[] {
  const text = prose(readFileSync(path.join(ROOT, page), 'utf8'));
  const links: Link[] = [];
  // [text](target) and [text](target "title"), images too; reference definitions `[x]: target`
  const inline = /\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
  const reference = /^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm;
  for (const re of [inline, reference])
    for (const m of text.matchAll(re)) {
      const target = m[1]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, …
      links.push({ page, line: text.slice(0, m.index).split('\n').length, target });
    }
  return links;
}

describe('links between the docs', () => {
  it('finds the pages and their links', () => {
    expect(pages).toContain('README.md');
    expect(pages).toContain('docs/configuration.md');
    expect(linksOf('README.md').length).toBeGreaterThan(20);
  });

  it('every relative link names a file that exists, and every #anchor a heading there', () => {
    const broken: string[] = [];
    const anchors = new Map<string, Set<string>>();
    for (const page of pages)
      for (const { line, target } of linksOf(page)) {
        const [file, anchor] = target.split('#', 2) as [string, string | undefined];
        const to = file ? path.normalize(path.join(path.dirname(page), decodeURIComponent(file))) : page;
        const where = `${page}:${line} (${target})`;
        if (!existsSync(path.join(ROOT, to))) {
          broken.push(`${where}: no file ${to}`);
          continue;
        }
        if (anchor === undefined || !to.endsWith('.md') || statSync(path.join(ROOT, to)).isDirectory()) continue;
        if (!anchors.has(to)) anchors.set(to, anchorsOf(readFileSync(path.join(ROOT, to), 'utf8')));
        if (!anchors.get(to)!.has(decodeURIComponent(anchor))) broken.push(`${where}: no heading #${anchor} in ${to}`);
      }
    expect(broken).toEqual([]);
  });

  it('reads heading ids as GitHub makes them', () => {
    expect(slug('Ideas measured and not shipped (2026-12-02, evening)')).toBe(
      'ideas-measured-and-not-shipped-2026-12-02-evening',
    );
    expect(slug("Moving a served hub's time")).toBe('moving-a-served-hubs-time');
    expect(slug('Signing in from an MCP client (OAuth)')).toBe('signing-in-from-an-mcp-client-oauth');
    expect(slug('The `wghub` command')).toBe('the-wghub-command');
    expect([...anchorsOf('# A\n\n## A\n\n```\n# B\n```\n')]).toEqual(['a', 'a-1']);
  });
});
