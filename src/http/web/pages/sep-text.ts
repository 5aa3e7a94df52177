// An imported SEP as its authors wrote it: the header fields, a table of contents, and every
// section (Abstract, Motivation, Specification, Rationale, Backward Compatibility, Security,
// Reference Implementation…), each heading with an id so the contents can link to it.
import { html, raw } from 'hono/html';
import type { SepSource } from '../../../app/imports/seps.ts';
import { renderMarkdown } from '../../../domain/markdown.ts';
import { tally } from '../../../domain/work.ts';
import type { Html } from '../layout.ts';

export type SepSection = { level: number; heading: string; id: string; markdown: string };

/**
 * A heading's text without its closing run of #s ("## Motivation ##"), cut by hand: a lazy pattern
 * before that run took the square of a long line's length.
 */
function withoutClosingHashes(text: string): string {
  let end = text.trimEnd().length;
  while (end > 0 && text[end - 1] === '#') end--;
  return text.slice(0, end).trimEnd() || text.trim();
}

/** Splits a SEP's body at its headings (never inside fenced code); text before the first heading has no heading. */
export function sepSections(body: string): SepSection[] {
  const out: SepSection[] = [];
  const used = new Set<string>();
  const next = new Map<string, number>();
  let cur: SepSection = { level: 0, heading: '', id: '', markdown: '' };
  let fence: string | null = null;
  for (const line of body.split('\n')) {
    const f = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (f) fence = fence === null ? f[1]![0]! : line.trim().startsWith(fence) ? null : fence;
    const h = fence === null ? /^(#{1,6})\s+(\S[\s\S]*)$/.exec(line) : null;
    if (!h) {
      cur.markdown += `${line}\n`;
      continue;
    }
    if (cur.heading || cur.markdown.trim()) out.push(cur);
    const heading = withoutClosingHashes(h[2]!).replace(/[`*_]/g, '');
    const base = `sep-${
      heading
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '') || 'section'
    }`;
    // the next free number for this base is remembered: counting up from 2 at every heading made a
    // file of thousands of headings alike take the square of their number (test/http/slow-seps.test.ts)
    let n = next.get(base) ?? 2;
    let id = base;
    let tried = 1; // the ids looked up, counted (src/domain/work.ts)
    if (used.has(id)) {
      for (; used.has(`${base}-${n}`); tried++) n++;
      id = `${base}-${n}`;
      n++;
      tried++;
    }
    tally('heading ids', tried);
    next.set(base, n);
    used.add(id);
    cur = { level: h[1]!.length, heading, id, markdown: '' };
  }
  if (cur.heading || cur.markdown.trim()) out.push(cur);
  return out;
}

/** The table of contents: top-level sections, with their subsections nested one level. */
export function sepContents(sections: SepSection[]): Html {
  const headed = sections.filter((s) => s.heading);
  if (!headed.length) return html``;
  const top = Math.min(...headed.map((s) => s.level));
  const groups: { s: SepSection; subs: SepSection[] }[] = [];
  for (const s of headed) {
    if (s.level === top || !groups.length) groups.push({ s, subs: [] });
    else if (s.level === top + 1) groups.at(-1)!.subs.push(s);
  }
  return html`<ol>${groups.map(
    (g) =>
      html`<li><a href="#${g.s.id}">${g.s.heading}</a>${g.subs.length ? html`<ol>${g.subs.map((x) => html`<li><a href="#${x.id}">${x.heading}</a></li>`)}</ol>` : ''}</li>`,
  )}</ol>`;
}

/** The file a SEP came from, as a path under its repository (SEPs imported one by one keep only their name). */
const basePath = (source: SepSource) => (source.path.includes('/') ? source.path : `seps/${source.path}`);

/** Every section, headings one level under the page's section heading (h3 and below). */
export function sepBody(sections: SepSection[], source: SepSource): Html {
  const top = Math.min(...sections.filter((s) => s.heading).map((s) => s.level), 6);
  return html`${sections.map((s) => {
    const level = Math.min(6, 3 + Math.max(0, s.level - top));
    return html`${s.heading ? raw(`<h${level} id="${s.id}">${escapeText(s.heading)}</h${level}>`) : ''}<div class="markdown" data-source="${basePath(source)}">${raw(renderMarkdown(s.markdown))}</div>`;
  })}`;
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The header fields as written (Status, Type, Created, Author(s), Sponsor, PR…). */
export function sepHeader(source: SepSource): Html {
  return html`<dl class="facts">${source.document.header.map(
    (f) =>
      html`<dt>${f.key}</dt><dd><div class="markdown" data-source="${basePath(source)}">${raw(renderMarkdown(f.value.replace(/(?<!\s)\s*\n\s*/g, ' ')))}</div></dd>`,
  )}</dl>`;
}
