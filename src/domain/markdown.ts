// Markdown written by members, rendered safely for display: GitHub-flavoured (tables,
// strikethrough, autolinks), with raw HTML shown as text, links to web pages and mail addresses only,
// and mentions of people (@handle) and items (SEP-2575, P-12, #12) turned into links, as are
// decisions (D-4) and meetings (M-7): notes and comments name them to say where something was settled.
//
// markdown-it, not micromark: micromark's emphasis, label and container handling is quadratic
// or worse on crafted input ('*'×25,000 + 'a' + '*'×25,000 took minutes and overflowed the stack),
// while markdown-it runs in linear time and caps nesting. Input is bounded (LIMITS.markdown) and
// results are cached by text, so a page of comments is not re-rendered on every view.
import MarkdownIt, { type StateBlock, type StateInline, type Token } from 'markdown-it';
import { LIMITS } from './limits.ts';
import { WORD_JOINER } from './text.ts';

export type Mentions = { people: string[]; items: string[] };

/**
 * @handle, not inside a mail address: one written after an @ (`@sam-lead@example.com`, `first.last@x`) is
 * none, and a handle its address's local part goes on from (`@sam-lead@…`, `@first.last@…`, `@sam+wg@…`)
 * is none either: it was read as a mention of @sam-lead followed by "@example.com", and told sam-lead.
 * The look ahead stops at 64 characters, the longest local part of an address (RFC 5321).
 */
const PERSON = /(?<![\w@/.])@([A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?)\b(?![\w.+-]{0,64}@)/g;
const ITEM = /(?<![\w/-])(SEP-\d+|P-\d+|#\d+)\b/g;
/** A decision or a meeting: linked where it is named, but neither someone to tell nor a proposal to relate. */
const RECORD = /(?<![\w/-])([DM])-(\d+)\b/g;
const MENTION = new RegExp(`${PERSON.source}|${ITEM.source}|${RECORD.source}`, 'g');
/**
 * The mentions of a community whose documents are cited by a prefix of their own (RFC-12, the
 * governance file's `shortName`): SEP-12 is still one, and RFC-12 names the same document.
 */
const mentionsWith = new Map<string, RegExp>();
function mentionPattern(prefix: string): RegExp {
  if (prefix === 'SEP') return MENTION;
  let re = mentionsWith.get(prefix);
  if (!re) {
    const item = ITEM.source.replace('(SEP-\\d+|', `(SEP-\\d+|${prefix.replace(/[^\p{L}\p{N}]/gu, '')}-\\d+|`);
    re = new RegExp(`${PERSON.source}|${item}|${RECORD.source}`, 'g');
    mentionsWith.set(prefix, re);
  }
  return re;
}
/** A mention with the community's prefix (RFC-12) as the reference it stands for (SEP-12). */
const storedMention = (ref: string, prefix: string) =>
  prefix !== 'SEP' && ref.startsWith(`${prefix}-`) ? `SEP-${ref.slice(prefix.length + 1)}` : ref;

/** `#12` and `P-12` name the same item; references are normalised to SEP-n or P-n. */
export function normaliseRef(ref: string): string {
  return ref.startsWith('#') ? `P-${ref.slice(1)}` : ref.toUpperCase();
}

/**
 * The people and items a text mentions: exactly those the rendered text links (plus those inside
 * a link's own words), found by the same parse, so code, escapes (`\#12`) and character references
 * (`&#58;`, `&#64;alice`) are never mentions, though a search of the raw text would find them.
 */
export function findMentions(text: string, prefix = 'SEP'): Mentions {
  const mentions = { people: new Set<string>(), items: new Set<string>() };
  md.parse(bounded(text).markdown, { mentions, prefix } satisfies MentionEnv);
  return { people: [...mentions.people], items: [...mentions.items] };
}

/** What a parse collects, and the prefix this community's documents are cited by (SEP unless told). */
type MentionEnv = { mentions?: { people: Set<string>; items: Set<string> }; prefix?: string };
const linksMade = Symbol('mention links');
type Linked = { [linksMade]?: number };

const md = MarkdownIt('default', {
  html: false, // raw HTML is shown as text: nothing a member writes becomes markup
  linkify: true,
  maxNesting: LIMITS.markdown.maxNesting,
});
/**
 * Links go to web pages and mail addresses only, or within the hub. markdown-it's own check refuses a
 * few schemes (javascript:, vbscript:, file:, data: but images) and lets every other through: tel:,
 * ftp:, an app's own (ms-settings:, intent:) and data: images opened as pages. A link it refuses is
 * shown as the text that was written.
 */
const WEB_OR_MAIL = /^(?:https?|mailto):/i;
md.validateLink = (url: string) => {
  const link = url.trim();
  return !/^[a-z][a-z0-9+.-]*:/i.test(link) || WEB_OR_MAIL.test(link);
};

/**
 * Tokens made without markdown-it's own constructor. Its build sets each field through a shared
 * `_defineProperty` helper, which V8 cannot specialise: on text of many short tokens (emphasis runs,
 * headings, links) making tokens was a fifth of the time and most of the garbage. The block and
 * inline states' `push` (and `pushPending`) are the same as markdown-it's, with this maker; the
 * tokens are markdown-it's own (same prototype, same fields in the same order).
 */
const TokenClass = new md.core.State('', md, {}).Token;
const makeToken = function (this: Token, type: string, tag: string, nesting: Token['nesting']) {
  this.map = null;
  this.level = 0;
  this.children = null;
  this.content = '';
  this.markup = '';
  this.info = '';
  this.block = false;
  this.hidden = false;
  this.type = type;
  this.tag = tag;
  this.attrs = null;
  this.nesting = nesting;
  this.meta = null;
} as unknown as typeof TokenClass;
makeToken.prototype = TokenClass.prototype;

type InlineInternals = StateInline & { pendingLevel: number; _prev_delimiters: StateInline['delimiters'][] };
const inlineState = md.inline.State.prototype as InlineInternals;
inlineState.pushPending = function (this: InlineInternals) {
  const token = new makeToken('text', '', 0);
  token.content = this.pending;
  token.level = this.pendingLevel;
  this.tokens.push(token);
  this.pending = '';
  return token;
};
inlineState.push = function (this: InlineInternals, type: string, tag: string, nesting: Token['nesting']) {
  if (this.pending) this.pushPending();
  const token = new makeToken(type, tag, nesting);
  let meta: { delimiters: StateInline['delimiters'] } | null = null;
  if (nesting < 0) {
    this.level--;
    this.delimiters = this._prev_delimiters.pop()!;
  }
  token.level = this.level;
  if (nesting > 0) {
    this.level++;
    this._prev_delimiters.push(this.delimiters);
    this.delimiters = [];
    meta = { delimiters: this.delimiters };
  }
  this.pendingLevel = this.level;
  this.tokens.push(token);
  this.tokens_meta.push(meta ?? undefined!);
  return token;
};
md.block.State.prototype.push = function (this: StateBlock, type: string, tag: string, nesting: Token['nesting']) {
  const token = new makeToken(type, tag, nesting);
  token.block = true;
  if (nesting < 0) this.level--;
  token.level = this.level;
  if (nesting > 0) this.level++;
  this.tokens.push(token);
  return token;
};

/**
 * Links linkify finds are normalised (parsed, punycode, encoded) one by one; a text of one address
 * written thousands of times did that work thousands of times. Each render remembers its answers
 * (a bounded number of them), so every distinct address costs it once.
 */
const memo = (fn: (url: string) => string) => {
  const seen = new Map<string, string>();
  const remembered = (url: string) => {
    let out = seen.get(url);
    if (out === undefined) {
      out = fn(url);
      if (seen.size < 1_000) seen.set(url, out);
    }
    return out;
  };
  return Object.assign(remembered, { forget: () => seen.clear() });
};
const normalizeLink = memo(md.normalizeLink.bind(md));
const normalizeLinkText = memo(md.normalizeLinkText.bind(md));
md.normalizeLink = normalizeLink;
md.normalizeLinkText = normalizeLinkText;
/** Addresses linkify has made into links in the text being parsed (each is four tokens and a normalised URL). */
let autolinks = 0;
md.core.ruler.before('normalize', 'wghub_start', (state) => {
  normalizeLink.forget();
  normalizeLinkText.forget();
  autolinks = 0;
  // linkify and our mentions make their tokens through the core state's maker
  state.Token = makeToken;
});
// Past LIMITS.markdown.autolinks in one text, a bare address stays text (a written [link](…) still links).
const linkifyTest = md.linkify.test.bind(md.linkify);
const linkifyMatch = md.linkify.match.bind(md.linkify);
const linkifyAtStart = md.linkify.matchAtStart.bind(md.linkify);
md.linkify.matchAtStart = (text: string) => {
  if (autolinks >= LIMITS.markdown.autolinks) return null;
  const found = linkifyAtStart(text);
  if (found) autolinks++;
  return found;
};
md.linkify.test = (text: string) => autolinks < LIMITS.markdown.autolinks && linkifyTest(text);
md.linkify.match = (text: string) => {
  // in windows ending at a space (no address spans one), so the search stops when the budget does
  const found: NonNullable<ReturnType<typeof linkifyMatch>> = [];
  for (let from = 0; from < text.length && autolinks < LIMITS.markdown.autolinks; ) {
    let to = from + 4_096 >= text.length ? text.length : text.lastIndexOf(' ', from + 4_096);
    if (to <= from) to = text.indexOf(' ', from + 4_096) < 0 ? text.length : text.indexOf(' ', from + 4_096);
    for (const m of linkifyMatch(text.slice(from, to)) ?? []) {
      if (autolinks >= LIMITS.markdown.autolinks) break;
      autolinks++;
      found.push(Object.assign(m, { index: m.index + from, lastIndex: m.lastIndex + from }));
    }
    from = to;
  }
  return found;
};

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
  const env = state.env as MentionEnv & Linked;
  const found = env.mentions;
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
      // one regex for the whole text, its place reset per token: matchAll would copy it for every
      // text token, which cost more than the rest of the parse on text of many short tokens
      let last = 0;
      const content = t.content;
      const mention = mentionPattern(env.prefix ?? 'SEP');
      mention.lastIndex = 0;
      for (let m = mention.exec(content); m; m = mention.exec(content)) {
        const person = m[1];
        const record = m[3] ? `/${m[3] === 'D' ? 'decisions' : 'meetings'}/${m[3]}-${m[4]}` : null;
        const written = record ? null : normaliseRef(m[2] ?? '');
        const ref = person ?? (written ? storedMention(written, env.prefix ?? 'SEP') : null);
        const seen = person ? found?.people : record ? undefined : found?.items;
        // a text names at most so many people and items: each is someone to tell or a link to record
        if (seen && ref && seen.size < LIMITS.markdown.mentions) seen.add(ref);
        if (inLink > 0) continue;
        // past the bound, a mention is shown as written: each link is three tokens to make and render
        if ((env[linksMade] ?? 0) >= LIMITS.markdown.mentionLinks) continue;
        env[linksMade] = (env[linksMade] ?? 0) + 1;
        const at = m.index;
        if (at > last) out.push(textToken(content.slice(last, at)));
        const href = person ? `/people/${person}` : (record ?? `/proposals/${written}`);
        const open = new makeToken('link_open', 'a', 1);
        open.attrSet('href', href);
        out.push(open, textToken(m[0]), new makeToken('link_close', 'a', -1));
        last = at + m[0].length;
      }
      if (last === 0) out.push(t);
      else if (last < content.length) out.push(textToken(content.slice(last)));
    }
    block.children = out;
  }
});

function textToken(content: string): Token {
  const t = new makeToken('text', '', 0);
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

const bounded = (text: string) => {
  const cut = text.length > LIMITS.markdown.maxInput ? text.slice(0, LIMITS.markdown.maxInput) : text;
  const end = markupEnd(cut);
  return end === cut.length ? { markdown: cut, plain: '' } : { markdown: cut.slice(0, end), plain: cut.slice(end) };
};

/**
 * Where a text's markup budget runs out (its length when it does not). Parsing costs about a
 * microsecond or more for each character that can open markup (brackets, emphasis, code, entities,
 * escapes, mentions, line breaks) and a tenth of that for plain words, so a text made of nothing
 * but markup (`*[*[*[…`, `# a` on every line) cost several µs a character. A text may use
 * `LIMITS.markdown.markup` such characters plus one in four of its length; the paragraphs after the
 * point where it runs out are shown as the text they are written as.
 */
function markupEnd(text: string): number {
  let left = LIMITS.markdown.markup + Math.floor(text.length / 4);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (MARKUP[c] === 1 && --left < 0) {
      // from the start of its paragraph (or line, or the character itself in one long line)
      const paragraph = text.lastIndexOf('\n\n', i);
      if (paragraph > 0) return paragraph;
      const line = text.lastIndexOf('\n', i);
      return line > 0 ? line : i;
    }
  }
  return text.length;
}
const MARKUP = new Uint8Array(128);
for (const c of '[]*_`!<&\\@#~\n') MARKUP[c.charCodeAt(0)] = 1;

/** What comes after the markup budget: its paragraphs as plain text. */
const plainParagraphs = (text: string) =>
  text
    .split(/\n\s*\n/)
    .filter((p) => p.trim())
    .map((p) => `<p>${md.utils.escapeHtml(p.trim())}</p>\n`)
    .join('');

const renderBounded = (text: string, env: Parameters<typeof md.parse>[1]) => {
  const { markdown, plain } = bounded(text);
  return md.renderer.render(md.parse(markdown, env), md.options, env) + (plain ? plainParagraphs(plain) : '');
};

function remember(text: string, html: string) {
  if (cache.has(text)) return;
  cache.set(text, html);
  cachedChars += text.length + html.length;
  while (cachedChars > LIMITS.markdown.cacheChars) {
    const [oldest, out] = cache.entries().next().value!;
    cache.delete(oldest);
    cachedChars -= oldest.length + out.length;
  }
}

/** What a text is cached by: itself, or with the prefix its documents are cited by when not SEP's. */
const cacheKey = (text: string, prefix: string) => (prefix === 'SEP' ? text : `${prefix}\u0000${text}`);

/**
 * Markdown to safe HTML. Bounded in time and memory whatever the text. `prefix` is what this
 * community cites its documents by (documentWords(g).prefix): RFC-12 links as SEP-12 does.
 */
export function renderMarkdown(text: string, prefix = 'SEP'): string {
  const key = cacheKey(text, prefix);
  const hit = cache.get(key);
  if (hit !== undefined) {
    // refresh its place: the map's order is the eviction order
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const html = renderBounded(text, { prefix });
  remember(key, html);
  return html;
}

/** The HTML and the mentions of a text from one parse (a comment needs both when it is written). */
export function renderWithMentions(text: string, prefix = 'SEP'): { html: string; mentions: Mentions } {
  const env = { mentions: { people: new Set<string>(), items: new Set<string>() }, prefix } satisfies MentionEnv;
  const html = renderBounded(text, env);
  remember(cacheKey(text, prefix), html);
  return { html, mentions: { people: [...env.mentions.people], items: [...env.mentions.items] } };
}

/**
 * Member-written markdown shown inside a page: its highest heading becomes `top` (h3 by default, under the
 * page's h1 and the section's h2) and the others keep their steps below it, so "# Notes" in a meeting's notes is not a second page title,
 * "## Attendance" as the first is not an h4 under the section's h2, and
 * the outline a screen reader reads stays the page's. The renderer escapes any HTML a member typed,
 * so every heading tag in its output is one it made.
 */
export function demoteHeadings(rendered: string, top = 3): string {
  // counted from the text's own highest heading, not from h1: notes whose sections start at "##"
  // read h2 then h4 otherwise, a level skipped in the outline (axe's heading-order)
  let highest = 7;
  for (const m of rendered.matchAll(/<h([1-6])[\s>]/g)) highest = Math.min(highest, Number(m[1]));
  if (highest === 7) return rendered;
  const by = top - highest;
  return rendered.replace(
    /<(\/?)h([1-6])(?=[\s>])/g,
    (_, close: string, n: string) => `<${close}h${Math.min(6, Number(n) + by)}`,
  );
}

/** Block structure only (which lines are code), as GitHub reads the text once no HTML is left in it. */
const blocks = MarkdownIt('default', { html: false, maxNesting: LIMITS.markdown.maxNesting });
blocks.core.ruler.disable('inline');

/**
 * Member-written markdown as it is pasted on GitHub (a pull request's description), showing what
 * the hub shows: raw HTML, which the hub shows as text, is escaped (`\<`), so an `<img>` is no
 * tracking pixel and an unclosed `<!--` hides nothing after it; character references that spell
 * `@` or `#` are escaped; and no @mention or issue reference tells anyone (its links stay links). Code
 * blocks are left exactly as written (GitHub neither links nor renders HTML there).
 */
export function githubMarkdown(written: string): string {
  // lines as markdown counts them (a lone CR ends one too), so the parse's line numbers are these
  const text = written.replace(/\r\n?/g, '\n');
  const lines = text.split('\n');
  const code = new Set<number>();
  let unclosed: string | null = null;
  // a code block is fenced or indented (four spaces or a tab, at least): without either, no parse
  if (/```|~~~| {4}|\t/.test(text))
    for (const t of blocks.parse(text, {}))
      if ((t.type === 'fence' || t.type === 'code_block') && t.map) {
        for (let i = t.map[0]; i < t.map[1]; i++) code.add(i);
        // a fence left open runs to the end of this text, but in a description other text follows:
        // it is closed here, or it would swallow what comes next and the next fence would reopen prose
        const last = lines[t.map[1] - 1] ?? '';
        if (t.type === 'fence' && t.map[1] >= lines.length && (t.map[1] - t.map[0] < 2 || !closes(last, t.markup)))
          unclosed = t.markup;
      }
  const out = lines.map((line, i) => (code.has(i) ? line : githubProseLine(line))).join('\n');
  return unclosed ? `${out}\n${unclosed}` : out;
}

/** Whether a line closes a fence opened by `marker` (the same character, at least as many, nothing after). */
function closes(line: string, marker: string): boolean {
  const m = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
  return !!m && m[1]![0] === marker[0] && m[1]!.length >= marker.length;
}

/**
 * A mention (`@login`, `@org/team`) or an issue reference (`#12`, `GH-12`) that starts a word, made
 * inert with a word joiner; an `@` or `#` inside an address GitHub links (`…/page#12`) is left, and so is a
 * mail address's (`a@b.example`: its `@` follows a letter).
 */
function githubMentionsInert(text: string): string {
  // GitHub leaves what is inside an address it links alone (`…/page#12`, `…/@user`); anywhere
  // else an @ after any character but a letter or digit (`cc:@alice`, `x-@bob`) mentions, and a #12
  // after anything (`owner/repo#12`) refers
  let out = '';
  let from = 0;
  for (const m of text.matchAll(ADDRESS)) {
    out += inertOutsideAddresses(text.slice(from, m.index)) + m[0];
    from = m.index + m[0].length;
  }
  return out + inertOutsideAddresses(text.slice(from));
}

/**
 * An address as GitHub links it (GFM's autolinks): `http://`, `https://` or `ftp://` with no letter
 * before the scheme and a letter or digit after it, or `www.` at the start, after a space or one of
 * `*_~(`; and a host with no underscore (GitHub links none in its last two parts). Anything else that
 * looks like one (`https://@x`, `xhttps://…`, `a.www.…`, `mailto:@x`) is text there, so an `@` or
 * `#12` in it mentions or refers; a mail address's `@` follows a letter or digit and is left anyway.
 * The host is read whole before the underscore is looked for (a lookahead taken as it stands), so no
 * shorter host is tried.
 */
const ADDRESS =
  /(?:(?<![A-Za-z])(?:https?|ftp):\/\/(?=[\p{L}\p{N}])|(?<![^\s*_~(])www\.)(?=([\p{L}\p{N}.-]*))\1(?!_)[^\s<>()]*/giu;

function inertOutsideAddresses(text: string): string {
  return (
    text
      // (a `#` after `&` is a character reference's, `&#64;`, escaped before this)
      .replace(/(?<![\p{L}\p{N}_])@(?=[\p{L}\p{N}_-])|(?<!&)#(?=\d)/gu, `$&${WORD_JOINER}`)
      .replace(/(?<![\p{L}\p{N}_])(gh)(?=-\d)/giu, `$1${WORD_JOINER}`)
  );
}

/**
 * One line outside code blocks made inert (see `githubMarkdown`). Code spans are escaped too: one
 * may run across lines, and where it ends is not known line by line (a span thought closed on its
 * line, opened by a backtick a line above, left an `<img>` raw), so `Map<K>` there shows as `Map\<K>`.
 */
function githubProseLine(line: string): string {
  // a backslash already before one escapes nothing more: the pair is kept, and `\\<` gets its own
  return githubMentionsInert(
    line.replace(/\\[!-/:-@[-`{-~]|<|&(?=#|commat;|num;)/gi, (m) => (m.length === 2 ? m : `\\${m}`)),
  );
}
