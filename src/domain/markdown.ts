// Markdown written by members, rendered safely for display: GitHub-flavoured (tables,
// strikethrough, autolinks), with raw HTML shown as text, no javascript:/vbscript:/data: links,
// and mentions of people (@handle) and items (SEP-2575, P-12, #12) turned into links.
//
// markdown-it, not micromark: micromark's emphasis, label and container handling is quadratic
// or worse on crafted input ('*'×25,000 + 'a' + '*'×25,000 took minutes and overflowed the stack),
// while markdown-it runs in linear time and caps nesting. Input is bounded (LIMITS.markdown) and
// results are cached by text, so a page of comments is not re-rendered on every view.
import MarkdownIt, { type StateBlock, type StateCore, type Token } from 'markdown-it';
import { LIMITS } from './limits.ts';

export type Mentions = { people: string[]; items: string[] };

const PERSON = /(?<![\w@/.])@([A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?)\b/g;
const ITEM = /(?<![\w/-])(SEP-\d+|P-\d+|#\d+)\b/g;
const MENTION = new RegExp(`${PERSON.source}|${ITEM.source}`, 'g');

/** `#12` and `P-12` name the same item; references are normalised to SEP-n or P-n. */
export function normaliseRef(ref: string): string {
  return ref.startsWith('#') ? `P-${ref.slice(1)}` : ref.toUpperCase();
}

/**
 * The people and items a text mentions: exactly those the rendered text links (plus those inside
 * a link's own words), found by the same parse, so code, escapes (`\#12`) and character references
 * (`&#58;`, `&#64;alice`) are never mentions, though a search of the raw text would find them.
 */
export function findMentions(text: string): Mentions {
  const mentions = { people: new Set<string>(), items: new Set<string>() };
  md.parse(text.slice(0, LIMITS.markdown.maxInput), { mentions } satisfies MentionEnv);
  return { people: [...mentions.people], items: [...mentions.items] };
}

type MentionEnv = { mentions?: { people: Set<string>; items: Set<string> } };

const md = MarkdownIt('default', {
  html: false, // raw HTML is shown as text: nothing a member writes becomes markup
  linkify: true,
  maxNesting: LIMITS.markdown.maxNesting,
});

/**
 * Table cells one text may make. markdown-it fills every row of a table out to its header's columns
 * (up to 65,536 cells a table): a header of 1,000 columns over 1,000 one-letter lines is 6 KB that
 * renders as 660 KB in a second, and a comment of eight such tables held the process for 13 s. A
 * table that would take a text past this many cells (its columns times the lines that could be its
 * rows) is shown as the text it is written as.
 */
const tableRule = md.block.ruler.__rules__.find((r) => r.name === 'table')!.fn;
const cellsUsed = Symbol('table cells');
type CellCount = { [cellsUsed]?: number };

md.block.ruler.at('table', (state: StateBlock, startLine: number, endLine: number, silent: boolean) => {
  const delimiter = startLine + 1;
  if (delimiter >= endLine) return false;
  const line = state.src.slice(state.bMarks[delimiter]! + state.tShift[delimiter]!, state.eMarks[delimiter]);
  // only a delimiter row can start a table: anything else is the rule's to refuse, at no cost
  if (!/^[|:\-\s]*$/.test(line) || !line.includes('-') || !line.includes('|'))
    return tableRule(state, startLine, endLine, silent);
  const columns = line.split('|').filter((cell) => cell.includes('-')).length;
  const rows = nonBlankRun(state, delimiter + 1, endLine) - delimiter;
  const env = state.env as CellCount;
  const cells = columns * rows;
  if ((env[cellsUsed] ?? 0) + cells > LIMITS.markdown.tableCells) return false;
  const made = tableRule(state, startLine, endLine, silent);
  if (made && !silent) env[cellsUsed] = (env[cellsUsed] ?? 0) + cells;
  return made;
});

/** The first blank line at or after `from` (or `end`), each block state's lines scanned once. */
const runEnds = new WeakMap<StateBlock, Int32Array>();
function nonBlankRun(state: StateBlock, from: number, end: number): number {
  let ends = runEnds.get(state);
  if (!ends || ends.length < state.lineMax + 1) {
    ends = new Int32Array(state.lineMax + 1);
    ends[state.lineMax] = state.lineMax;
    for (let l = state.lineMax - 1; l >= 0; l--)
      ends[l] = state.bMarks[l]! + state.tShift[l]! >= state.eMarks[l]! ? l : ends[l + 1]!;
    runEnds.set(state, ends);
  }
  return Math.min(from < state.lineMax ? ends[from]! : from, end);
}

/** Links and the images that stay images: relative (this hub's own) addresses only. */
const isLocal = (url: string) => url.startsWith('/') && !url.startsWith('//');

/**
 * Mentions become links, except inside a link (nested links are invalid HTML) or code (which
 * markdown-it keeps as code_inline tokens, never text). It runs before text_join, while escapes and
 * character references are still tokens of their own (text_special), so `&#64;alice` stays text.
 */
md.core.ruler.before('text_join', 'wghub_mentions', (state) => {
  const found = (state.env as MentionEnv).mentions;
  for (const block of state.tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    const out: Token[] = [];
    let inLink = 0;
    for (const t of block.children) {
      if (t.type === 'link_open') inLink++;
      if (t.type === 'link_close') inLink--;
      if (t.type !== 'text') {
        out.push(t);
        continue;
      }
      let last = 0;
      for (const m of t.content.matchAll(MENTION)) {
        if (m[1]) found?.people.add(m[1]);
        else found?.items.add(normaliseRef(m[2]!));
        if (inLink > 0) continue;
        const at = m.index;
        if (at > last) out.push(textToken(state, t.content.slice(last, at)));
        const href = m[1] ? `/people/${m[1]}` : `/proposals/${normaliseRef(m[2]!)}`;
        const open = new state.Token('link_open', 'a', 1);
        open.attrSet('href', href);
        out.push(open, textToken(state, m[0]), new state.Token('link_close', 'a', -1));
        last = at + m[0].length;
      }
      if (last === 0) out.push(t);
      else if (last < t.content.length) out.push(textToken(state, t.content.slice(last)));
    }
    block.children = out;
  }
});

function textToken(state: StateCore, content: string): Token {
  const t = new state.Token('text', '', 0);
  t.content = content;
  return t;
}

// Links to other sites are marked as user content, so search engines do not credit them.
const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, i, o, _e, self) => self.renderToken(tokens, i, o));
md.renderer.rules.link_open = (tokens, i, options, env, self) => {
  if (!isLocal(String(tokens[i]!.attrGet('href') ?? ''))) tokens[i]!.attrSet('rel', 'nofollow ugc noopener');
  return defaultLinkOpen(tokens, i, options, env, self);
};

// An image from another site would let its owner see every reader's address (and track them):
// only this hub's own images are shown; others become a link the reader may choose to follow.
md.renderer.rules.image = (tokens, i, options, env, self) => {
  const t = tokens[i]!;
  const src = String(t.attrGet('src') ?? '');
  const alt = self.renderInlineAsText(t.children ?? [], options, env);
  if (isLocal(src)) return `<img src="${md.utils.escapeHtml(src)}" alt="${md.utils.escapeHtml(alt)}">`;
  return `<a href="${md.utils.escapeHtml(src)}" rel="nofollow ugc noopener">${md.utils.escapeHtml(alt || src)} (image)</a>`;
};

// A wide table scrolls inside its own box, so it never makes a phone's page scroll sideways.
md.renderer.rules.table_open = () => '<div class="table-wrap"><table>\n';
md.renderer.rules.table_close = () => '</table></div>\n';

const cache = new Map<string, string>();
let cachedChars = 0;

/** Markdown to safe HTML. Bounded in time and memory whatever the text. */
export function renderMarkdown(text: string): string {
  const hit = cache.get(text);
  if (hit !== undefined) {
    // refresh its place: the map's order is the eviction order
    cache.delete(text);
    cache.set(text, hit);
    return hit;
  }
  const html = md.render(text.length > LIMITS.markdown.maxInput ? text.slice(0, LIMITS.markdown.maxInput) : text);
  cache.set(text, html);
  cachedChars += text.length + html.length;
  while (cachedChars > LIMITS.markdown.cacheChars) {
    const [oldest, out] = cache.entries().next().value!;
    cache.delete(oldest);
    cachedChars -= oldest.length + out.length;
  }
  return html;
}

/**
 * Member-written markdown shown inside a page: its headings start at `top` (h3 by default, under the
 * page's h1 and the section's h2), so "# Notes" in a meeting's notes is not a second page title and
 * the outline a screen reader reads stays the page's. The renderer escapes any HTML a member typed,
 * so every heading tag in its output is one it made.
 */
export function demoteHeadings(rendered: string, top = 3): string {
  const by = top - 1;
  return rendered.replace(
    /<(\/?)h([1-6])(?=[\s>])/g,
    (_, close: string, n: string) => `<${close}h${Math.min(6, Number(n) + by)}`,
  );
}
