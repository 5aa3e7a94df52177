// Pure text helpers for search and prior-work detection: plain text from markdown, key terms
// and phrases of a draft, and explicit references it makes (SEP-834, P-12, #12, links).
import { LIMITS } from '../domain/limits.ts';
import { foldedWords, linksAsText, withoutTrailing } from '../domain/text.ts';

const STOP = new Set(
  `a about above after again against all also am an and any are as at be because been before being below between both but by can could did do does doing down during each
   few for from further had has have having he her here hers him his how i if in into is it its itself just let me more most my no nor not now of off on once only or other
   our ours out over own same she should so some such than that the their theirs them then there these they this those through to too under until up very was we were what
   when where which while who whom why will with would you your yours via per etc e.g i.e use used using may might must shall new one two also however therefore thus within
   without across like make makes made need needs needed way ways want wants mcp model context protocol spec specification proposal sep seps section example examples based
   support supports supported current currently provide provides provided allow allows allowed include includes including following well many much still even among`
    .split(/\s+/)
    .filter(Boolean),
);

/**
 * Markdown to plain text for indexing: link targets, markup and table pipes go, words stay. Every
 * pattern is linear in the text's length: this runs on every comment and meeting notes written,
 * where a line of "-" and 50,000 spaces took three seconds.
 */
export function plainFromMarkdown(md: string): string {
  return linksAsText(md.replace(/^---\n[\s\S]*?\n---\n/, ''))
    .replace(/<[^<>]+>/g, ' ')
    .replace(/[`*_#>|~]+/g, ' ')
    .replace(/^[ \t]*[-:|][-:| \t]*$/gm, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{2,}/g, '\n')
    .trim();
}

/**
 * The longest word a draft's terms and phrases take. Longer runs ("a-a-a-…", "p-p-p-…") are no
 * words; as a search phrase of thousands of one token, one took SQLite's full-text index over 15 s.
 */
const MAX_WORD = 48;

/**
 * A draft's content words, lower case: letters beyond ASCII are letters ("résumé", "über"; read
 * as ASCII, they were "sum" and "ber"), marks typed apart stay in their word.
 */
export function words(text: string): string[] {
  return (text.toLowerCase().match(/\p{L}[\p{L}\p{M}\p{N}-]*[\p{L}\p{M}\p{N}]|\p{L}/gu) ?? []).filter(
    (w) => w.length >= 3 && w.length <= MAX_WORD && !STOP.has(w),
  );
}

/** The draft's most telling terms, title words counted three times. */
export function keyTerms(title: string, text: string, max = 16): string[] {
  const counts = new Map<string, number>();
  for (const w of words(title)) counts.set(w, (counts.get(w) ?? 0) + 3);
  for (const w of words(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, max)
    .map(([w]) => w);
}

/** Two-word phrases of content words that occur in the draft. */
export function keyPhrases(title: string, text: string, max = 40): string[] {
  const seen = new Map<string, number>();
  for (const part of [title, title, text]) {
    const tokens = part.toLowerCase().match(/\p{L}[\p{L}\p{M}\p{N}-]*/gu) ?? [];
    for (let i = 0; i + 1 < tokens.length; i++) {
      const [a, b] = [tokens[i]!, tokens[i + 1]!];
      if (a.length < 3 || b.length < 3 || a.length > MAX_WORD || b.length > MAX_WORD || STOP.has(a) || STOP.has(b))
        continue;
      const p = `${a} ${b}`;
      seen.set(p, (seen.get(p) ?? 0) + 1);
    }
  }
  return [...seen]
    .sort((x, y) => y[1] - x[1])
    .slice(0, max)
    .map(([p]) => p);
}

/** References a draft makes explicitly: SEP-834, P-12, #12, and URLs. */
export function explicitRefs(text: string): { refs: string[]; urls: string[] } {
  // the first so many of each, in the order written: every one is a candidate to look up, and
  // thousands (a draft of nothing but references) made one query too deep for the database to parse
  const most = LIMITS.search.citedRefs;
  const refs = new Set<string>();
  const add = (set: Set<string>, value: string) => set.size < most && set.add(value);
  for (const m of text.matchAll(/\bSEP[- ]?(\d+)\b/gi)) add(refs, `SEP-${m[1]}`);
  for (const m of text.matchAll(/(?<![\w/-])P-(\d+)\b/g)) add(refs, `P-${m[1]}`);
  for (const m of text.matchAll(/(?<![\w&/])#(\d{2,5})\b/g)) add(refs, `#${m[1]}`);
  const urls = new Set<string>();
  for (const m of text.matchAll(/https?:\/\/[^\s)>\]]+/g)) add(urls, withoutTrailing(m[0], '.,;'));
  return { refs: [...refs], urls: [...urls] };
}

/** Marks sit between \u0001 and \u0002 from the engines; escape the text, then turn them into <mark>. */
export function snippetHtml(raw: string): string {
  const esc = raw.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return (
    esc
      // biome-ignore lint/suspicious/noControlCharactersInRegex: \u0001 and \u0002 are the markers snippet() puts around matches
      .replace(/\u0001/g, '<mark>')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: see above
      .replace(/\u0002/g, '</mark>')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/**
 * A snippet of about `words` words around the first place the query's words occur in `text`
 * (the start, when they do not), matches between \u0001 and \u0002 like the engines mark them.
 * Words match by their first letters, as stemming would ("sessions" finds "session").
 */
export function markedSnippet(text: string, query: string, words = 24): string {
  const stems = [...new Set([...query.toLowerCase().matchAll(/[\p{L}\p{N}]{2,}/gu)].map((m) => m[0]))]
    .filter((w) => !/^(and|or|not)$/.test(w))
    .slice(0, 16)
    .map((w) => (w.length > 5 ? w.slice(0, -2) : w).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (!stems.length) return text.slice(0, 200);
  const match = new RegExp(`(?<![\\p{L}\\p{N}])(?:${stems.join('|')})[\\p{L}\\p{N}]*`, 'giu');
  // the place where the most different words of the query occur close together (like FTS5's
  // snippet), among the first 200 matches: bounded whatever the document
  let at = 0;
  let best = 0;
  const hits = [...text.matchAll(match)].slice(0, 200);
  for (const h of hits) {
    const near = new Set(
      hits.filter((o) => o.index >= h.index && o.index < h.index + 200).map((o) => o[0].toLowerCase().slice(0, 5)),
    ).size;
    if (near > best) [best, at] = [near, h.index];
  }
  // about words/2 words before the first match, and the rest after it
  let start = at;
  for (let n = 0; n < words / 2 && start > 0; n++) {
    const before = text.lastIndexOf(' ', start - 2);
    start = before < 0 ? 0 : before + 1;
  }
  let end = at;
  for (let n = 0; n < words && end < text.length; n++) {
    const after = text.indexOf(' ', end + 1);
    end = after < 0 ? text.length : after;
  }
  // text without spaces (a long URL, a code dump) is cut by characters
  start = Math.max(start, at - 150);
  end = Math.min(end, at + 300);
  const window = text.slice(start, end);
  const marked = window.replace(match, (w) => `\u0001${w}\u0002`);
  return `${start > 0 ? '…' : ''}${marked}${end < text.length ? '…' : ''}`;
}

/**
 * A search box's query as both databases read it: the words and quoted phrases asked for, all
 * required in `all` mode, and those a "-" written right before them leaves out. `and`, `or` and `not`
 * are not words to find in `all` mode (a search is always "all of these"). A phrase the query already
 * has (as the index reads it: "1", "1." and "#1" are one token) is left out: FTS5's time grows with
 * the square of a repeated term's count (240 × "1" took 6 s).
 */
export function searchTerms(q: string, mode: 'all' | 'any' = 'all'): { asked: string[]; left: string[] } {
  const asked: string[] = [];
  const left: string[] = [];
  const seen = new Set<string>();
  for (const m of q.matchAll(/(-?)"([^"]+)"|(-?)([\p{L}\p{N}][\p{L}\p{N}_-]*)/gu)) {
    const neg = m[1] || m[3];
    const text = (m[2] ?? m[4] ?? '').replace(/"/g, '').trim();
    if (!text || (!m[2] && mode === 'all' && /^(and|or|not)$/i.test(text))) continue;
    const key = `${neg ? '-' : ''}${foldedWords(text).join(' ')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    (neg ? left : asked).push(text);
  }
  return { asked, left };
}

/** A user's query as FTS5 syntax (searchTerms' reading); null when it asks for nothing. */
export function fts5Query(q: string, mode: 'all' | 'any' = 'all'): string | null {
  const { asked, left } = searchTerms(q, mode);
  if (!asked.length) return null;
  const joined = asked.map((t) => `"${t}"`).join(mode === 'all' ? ' ' : ' OR ');
  return left.length ? `(${joined}) NOT ${left.map((t) => `"${t}"`).join(' NOT ')}` : joined;
}

/**
 * The same reading as websearch_to_tsquery's input on PostgreSQL (`asked`: the words asked for
 * alone; `all`: with those left out), each term quoted so websearch reads nothing of its own into
 * the query: it read `or` as OR ("hosting or -sessions" found every document without "sessions"),
 * and a "-" before a space or a bracket as leaving out the next word ("- hosting" found every
 * document but Hosting's on PostgreSQL, Hosting's on SQLite) (attack round 32).
 */
export function websearchQuery(q: string): { asked: string; all: string; leavesOut: boolean } | null {
  const { asked, left } = searchTerms(q, 'all');
  if (!asked.length) return null;
  const quoted = asked.map((t) => `"${t}"`).join(' ');
  return { asked: quoted, all: [quoted, ...left.map((t) => `-"${t}"`)].join(' '), leavesOut: left.length > 0 };
}

/**
 * How a SEP's own text accounts for SEP number `n` when that number is not its own: SEP numbers
 * are issue or pull-request numbers of the specification repository, and a SEP that moved to a
 * new pull request (the PR-based workflow renumbered older ones) still links its old issue or PR
 * bare, on a line that names no other SEP ("Original PR: …/pull/881", "Related issue: …/issues/834").
 * A SEP that replaced another says it supersedes it. Anything else is a mere citation: null.
 */
export function formerNumber(body: string, n: string): 'renumbered' | 'supersedes' | null {
  const link = new RegExp(
    `github\\.com/modelcontextprotocol/(?:modelcontextprotocol|specification)/(?:issues|pull)/${n}\\b`,
  );
  if (body.split('\n').some((line) => link.test(line) && !/\bSEP-\d+/i.test(line))) return 'renumbered';
  if (new RegExp(`\\bsupersedes\\b[^.\\n]{0,40}\\bSEP-${n}\\b`, 'i').test(body)) return 'supersedes';
  return null;
}

// a letter or digit before a match means it is inside another word ("script" in "description");
// beyond ASCII too, as the key terms are ("sum" is not a word in "résumé")
const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;
const LOWER = /[a-z]/;
const UPPER = /[A-Z]/;
const DIGIT = /[0-9]/;

/** Whether a camel-cased name starts a word at `at` (as written): inputSchema, JSONSchema, OAuth2Client. */
function camelStart(cased: string, at: number): boolean {
  if (!UPPER.test(cased[at] ?? '')) return false;
  const before = cased[at - 1] ?? '';
  return LOWER.test(before) || DIGIT.test(before) || (UPPER.test(before) && LOWER.test(cased[at + 1] ?? ''));
}

/**
 * Whether `term` starts a word somewhere in `text` (lower case): a stem matches the words it begins
 * ("task" in "tasks"), never the middle of another word ("script" in "description"). Given the text
 * as written (`cased`, the same text before lower-casing), a word inside a camel-cased name counts
 * too ("schema" in "inputSchema" or "JSONSchema").
 */
export function startsAWord(text: string, term: string, cased?: string): boolean {
  if (!term) return false;
  const sameLength = cased?.length === text.length;
  for (let at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + 1)) {
    if (at === 0 || !WORD_CHAR.test(text[at - 1]!)) return true;
    if (sameLength && camelStart(cased!, at)) return true;
  }
  return false;
}
