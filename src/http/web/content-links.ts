// Links inside rendered content (charters, SEPs, artifacts, comments, notes: every
// `<div class="markdown">`) are checked against what the hub holds just before a page is sent:
// each leads to the hub page it means, its public original, or becomes plain text (see
// domain/links.ts). A div may name the imported file it came from (`data-source`), so relative
// links inside it can be followed.
import type { Hub } from '../../app/core/hub.ts';
import { type KnownPages, resolveLink } from '../../domain/links.ts';

/** What exists, from memory until the next write anywhere. */
export function knownPages(hub: Hub): Promise<KnownPages> {
  return hub.reads.get(hub, 'web:known-pages', async () => {
    const db = hub.store.db;
    const [proposals, people, groups, artifacts] = await Promise.all([
      db.selectFrom('proposals').select(['number', 'sep_number']).execute(),
      db.selectFrom('people').select('handle').execute(),
      db.selectFrom('groups').select('slug').execute(),
      db.selectFrom('artifacts').select('path').execute(),
    ]);
    return {
      value: {
        proposals: new Set(
          proposals.flatMap((p) => [`P-${p.number}`, ...(p.sep_number !== null ? [`SEP-${p.sep_number}`] : [])]),
        ),
        people: new Map(people.map((p) => [p.handle.toLowerCase(), p.handle])),
        groups: new Set(groups.map((g) => g.slug)),
        artifacts: new Set(artifacts.map((a) => a.path)),
      },
    };
  });
}

const REGION = /<div class="markdown"(?: data-source="([^"]*)")?>([\s\S]*?)<\/div>/g;
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
  return page.replace(REGION, (region, source: string | undefined, inner: string) => {
    const base = source ? fromHtml(source) : null;
    const out = inner.replace(ANCHOR, (anchor, href: string, attrs: string, text: string) => {
      const was = fromHtml(href);
      const to = resolveLink(was, fromHtml(text.replace(/<[^>]*>/g, '')), known, originals, base);
      if (to === was) return anchor;
      if (to === null) return text;
      if (to.startsWith('/')) return `<a href="${toHtml(to)}">${text}</a>`;
      return `<a href="${toHtml(to)}"${attrs.includes('rel=') ? attrs : ' rel="noopener"'}>${text}</a>`;
    });
    return `${region.slice(0, region.length - inner.length - '</div>'.length)}${out}</div>`;
  });
}
