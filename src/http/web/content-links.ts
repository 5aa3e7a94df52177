// Links inside rendered content (charters, SEPs, artifacts, comments, notes: every
// `<div class="markdown">`) are checked against what the hub holds just before a page is sent:
// each leads to the hub page it means, its public original, or becomes plain text (see
// domain/links.ts). A div may name the imported file it came from (`data-source`), so relative
// links inside it can be followed.
import type { Hub } from '../../app/core/hub.ts';
import { documentWords } from '../../domain/governance/words.ts';
import { LIMITS } from '../../domain/limits.ts';
import { type KnownPages, resolveLink } from '../../domain/links.ts';

/** What exists, from memory until a write that may create or remove a page (a comment does not). */
export function knownPages(hub: Hub): Promise<KnownPages> {
  return hub.reads.get(hub, 'web:known-pages', async () => {
    const db = hub.store.db;
    const prefix = documentWords(hub.governance).prefix;
    const [proposals, people, groups, artifacts] = await Promise.all([
      db.selectFrom('proposals').select(['number', 'sep_number']).execute(),
      db.selectFrom('people').select('handle').execute(),
      db.selectFrom('groups').select('slug').execute(),
      db.selectFrom('artifacts').select('path').execute(),
    ]);
    return {
      value: {
        proposals: new Set(
          proposals.flatMap((p) => [
            `P-${p.number}`,
            // as stored (SEP-12), and as the community cites it (RFC-12), which markdown links alike
            ...(p.sep_number !== null ? [`SEP-${p.sep_number}`, `${prefix}-${p.sep_number}`] : []),
          ]),
        ),
        people: new Map(people.map((p) => [p.handle.toLowerCase(), p.handle])),
        groups: new Set(groups.map((g) => g.slug)),
        artifacts: new Set(artifacts.map((a) => a.path)),
      },
      tags: ['pages'],
    };
  });
}

const REGION_START = /<div class="markdown"(?: data-source="([^"]*)")?>/g;
const DIV_TAG = /<div\b|<\/div>/g;

/**
 * Each content region of a page with where its inner HTML starts and ends. Content holds divs of
 * its own (a table's scroll box), so a region ends at the `</div>` that balances its opening one.
 */
function regions(page: string): { source: string | undefined; start: number; end: number }[] {
  const out: { source: string | undefined; start: number; end: number }[] = [];
  REGION_START.lastIndex = 0;
  for (let m = REGION_START.exec(page); m; m = REGION_START.exec(page)) {
    const start = m.index + m[0].length;
    DIV_TAG.lastIndex = start;
    let depth = 1;
    let end = -1;
    for (let t = DIV_TAG.exec(page); t; t = DIV_TAG.exec(page)) {
      depth += t[0] === '</div>' ? -1 : 1;
      if (depth === 0) {
        end = t.index;
        break;
      }
    }
    if (end < 0) break;
    out.push({ source: m[1], start, end });
    REGION_START.lastIndex = end;
  }
  return out;
}
const ANCHOR = /<a href="([^"]*)"([^>]*)>([\s\S]*?)<\/a>/g;

const fromHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const toHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The page with every link inside its content regions leading somewhere real. */
export async function linkContent(hub: Hub, page: string): Promise<string> {
  if (!page.includes('<div class="markdown"')) return page;
  const known = await knownPages(hub);
  const originals = hub.governance.publicOriginals;
  let out = '';
  let at = 0;
  // each different link once a page (a text of `#1 #1 #1…` is one link); past so many different
  // ones, a link is shown as its text, so a page's work is bounded whatever its content says
  const resolved = new Map<string, string | null>();
  const resolve = (was: string, text: string, base: string | null) => {
    const key = `${base}\u0000${was}\u0000${text}`;
    let to = resolved.get(key);
    if (to === undefined) {
      to = resolved.size < LIMITS.markdown.pageLinks ? resolveLink(was, text, known, originals, base) : null;
      resolved.set(key, to);
    }
    return to;
  };
  for (const { source, start, end } of regions(page)) {
    const base = source ? fromHtml(source) : null;
    const inner = page.slice(start, end).replace(ANCHOR, (anchor, href: string, attrs: string, text: string) => {
      const was = fromHtml(href);
      const to = resolve(was, fromHtml(text.replace(/<[^>]*>/g, '')), base);
      if (to === was) return anchor;
      if (to === null) return text;
      if (to.startsWith('/')) return `<a href="${toHtml(to)}">${text}</a>`;
      return `<a href="${toHtml(to)}"${attrs.includes('rel=') ? attrs : ' rel="noopener"'}>${text}</a>`;
    });
    out += page.slice(at, start) + inner;
    at = end;
  }
  return out + page.slice(at);
}
