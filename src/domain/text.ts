// Characters no text field stores: C0 and C1 controls (NUL, ESC, BEL…), DEL, bidirectional
// overrides and isolates (they reorder what a reader sees), non-characters and lone surrogates.
// Multi-line text keeps line feeds and tabs. A one-line field (a name, a title) drops the zero-width
// space, word joiner and byte-order mark (withoutZeroWidth), which make "al\u200bice" look like
// "alice"; the zero-width joiner and non-joiner stay, as scripts and emoji need them. Tag characters
// (U+E0000–U+E007F) are refused too: invisible, a run of them spells text nobody reading the page sees
// but a language model reading it over MCP does (fuzz round 9); the one use people see, a subdivision
// flag (🏴 then tag letters then CANCEL TAG, as in 🏴󠁧󠁢󠁳󠁣󠁴󠁿), stays. A one-line field also refuses
// the implicit directional marks (LEFT-TO-RIGHT MARK U+200E, RIGHT-TO-LEFT MARK U+200F, ARABIC LETTER
// MARK U+061C; attack round 18): invisible, they move the punctuation and digits beside them, so a
// name or title holding one reads otherwise than it is written, and two names that look alike are
// two names. Text of several lines keeps them, as right-to-left paragraphs with Latin words need them.
// A one-line field stacks at most MARKS_PER_CHARACTER combining marks on one character (attack round 18).

import { LIMITS } from './limits.ts';

// Built from strings: the ranges are control characters on purpose.
const CONTROLS = '\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f';
// U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR are line breaks too (UAX #14 class BK: a browser
// breaks the line there), so a one-line title holding one drew a second line of the writer's choosing under
// it in every list ("Status: accepted"; attack round 31); text of several lines keeps them
const LINE_BREAKS_AND_TABS = '\\u0009\\u000a\\u2028\\u2029';
const INVISIBLE = '\\u202a-\\u202e\\u2066-\\u2069\\ufdd0-\\ufdef\\ufffe\\uffff';
const LONE_SURROGATE = '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
const TAGS = '\\u{e0000}-\\u{e007f}';
/** The tag characters spelling an ASCII word (U+E0000 + its code). */
const tagged = (word: string) => [...word].map((ch) => `\\u{${(0xe0000 + ch.charCodeAt(0)).toString(16)}}`).join('');
/**
 * A subdivision flag emoji shows: the black flag, the tags of England, Scotland or Wales (the only
 * ones Unicode recommends), and CANCEL TAG. Any other run of tags, even inside a flag, spells
 * text nobody sees on the page but a model reading it over MCP does.
 */
const FLAG_TAG_SEQUENCE = `\\u{1f3f4}(?:${['gbeng', 'gbsct', 'gbwls'].map(tagged).join('|')})\\u{e007f}`;
const FLAG_TAG_SEQUENCES = new RegExp(FLAG_TAG_SEQUENCE, 'gu');
const ZERO_WIDTH = '\\u200b\\u2060\\ufeff';
const DIRECTION_MARKS = '\\u200e\\u200f\\u061c';
const ANY_LINE = new RegExp(
  `[${CONTROLS}${LINE_BREAKS_AND_TABS}${INVISIBLE}${DIRECTION_MARKS}${TAGS}]|${LONE_SURROGATE}`,
  'u',
);
const DIRECTION_MARK_ANYWHERE = new RegExp(`[${DIRECTION_MARKS}]`, 'g');
const DIRECTION_MARKS_SET = new Set(['\u200e', '\u200f', '\u061c']);
const ZERO_WIDTH_ANYWHERE = new RegExp(`[${ZERO_WIDTH}]`, 'g');

/**
 * A one-line field's text without zero-width spaces, word joiners and byte-order marks: dropped, not
 * refused, as nobody can see them to remove them (a title mirrored from GitHub, pasted from a document).
 */
export function withoutZeroWidth(text: string): string {
  return text.replace(ZERO_WIDTH_ANYWHERE, '');
}
const MULTI_LINE = new RegExp(`[${CONTROLS}${INVISIBLE}${TAGS}]|${LONE_SURROGATE}`, 'u');

/** The text with each subdivision flag's tags blanked (as many spaces), so a search for tags passes them over. */
function flagsBlanked(text: string): string {
  return text.includes('\u{1f3f4}') ? text.replace(FLAG_TAG_SEQUENCES, (flag) => ' '.repeat(flag.length)) : text;
}

function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Why a text may not be stored, in words, or null when it is fine. */
export function controlCharacterProblem(text: string, multiline: boolean): string | null {
  const m = (multiline ? MULTI_LINE : ANY_LINE).exec(flagsBlanked(text));
  if (!m) return null;
  if (!multiline && /[\n\r\t\u2028\u2029]/.test(m[0]))
    return `must be one line (it has a ${m[0] === '\t' ? 'tab' : m[0] > '\u2000' ? `line break, ${codePoint(m[0])},` : 'line break'} at character ${m.index + 1})`;
  if (!multiline && DIRECTION_MARKS_SET.has(m[0]))
    return `must not contain directional marks (${codePoint(m[0])} at character ${m.index + 1}): invisible, one moves the characters beside it, so the text reads otherwise than it is written`;
  return `must not contain control or invisible formatting characters (${codePoint(m[0])} at character ${m.index + 1})`;
}

/**
 * Combining marks one character may carry in a one-line field. A nonspacing or enclosing mark draws
 * on its base, above or below it, so a name of "Z" and 100 acutes drew over the lines around it on
 * every page and list that showed it (attack round 18). Writing needs few: Vietnamese stacks two
 * ("ệ" written decomposed), pointed Hebrew with its cantillation three or four, Thai a vowel and a
 * tone mark, a Tibetan stack or an emoji keycap about as many; four keeps all of them and stays
 * within about a line's height. Spacing marks (most Indic vowel signs) take room along the line, as
 * letters do, so they are not counted, nor do they end a stack.
 */
export const MARKS_PER_CHARACTER = 4;
const STACKING_MARK = /^[\p{Mn}\p{Me}]$/u;
const SPACING_MARK = /^\p{Mc}$/u;

/** Why a one-line text stacks too many combining marks on one character, naming it and where, or null. */
export function stackedMarksProblem(text: string): string | null {
  let base = '';
  let at = 0;
  let marks = 0;
  let i = 0;
  for (const ch of text) {
    i++;
    if (STACKING_MARK.test(ch)) marks++;
    else if (!SPACING_MARK.test(ch)) {
      if (marks > MARKS_PER_CHARACTER) break;
      base = ch;
      at = i;
      marks = 0;
    }
  }
  if (marks <= MARKS_PER_CHARACTER) return null;
  const on = at === 0 ? 'at the start' : `on '${printable(base)}' at character ${at}`;
  return `must carry at most ${MARKS_PER_CHARACTER} combining marks on one character (${marks} ${on}): stacked marks draw over the lines around the text`;
}

/** A one-line text with the combining marks past MARKS_PER_CHARACTER on any one character dropped. */
function withoutStackedMarks(text: string): string {
  if (!stackedMarksProblem(text)) return text;
  let marks = 0;
  let out = '';
  for (const ch of text) {
    if (STACKING_MARK.test(ch)) {
      if (++marks > MARKS_PER_CHARACTER) continue;
    } else if (!SPACING_MARK.test(ch)) marks = 0;
    out += ch;
  }
  return out;
}

// Characters that draw nothing: spaces, default-ignorable ones (the Hangul fillers U+3164, U+115F,
// U+1160 and U+FFA0, soft hyphens, joiners, variation selectors) and the blank Braille pattern U+2800.
// A name or title made only of them shows as a blank where a person looks for whom or what it is.
const DRAWS_SOMETHING = /[^\s\p{Default_Ignorable_Code_Point}\u2800]/u;

/** Why a one-line text that is not empty still shows nothing, in words, or null when something shows. */
export function nothingVisibleProblem(text: string): string | null {
  if (text.length === 0 || DRAWS_SOMETHING.test(text)) return null;
  return `must show something: it holds only characters that draw nothing (${codePoint([...text][0]!)} at character 1)`;
}

/**
 * Why a file's text (a SEP, a charter, an artifact) may not be stored, naming where, or null. A
 * file keeps its line breaks (CR and CRLF too) and tabs; any other character a text field refuses
 * is refused here, so an import stores on SQLite exactly what it stores on PostgreSQL (which
 * cannot hold a NUL at all) and never an escape sequence or a bidirectional override.
 */
export function fileTextProblem(text: string): string | null {
  const m = MULTI_LINE.exec(flagsBlanked(text.replace(/\r/g, '\n')));
  if (!m) return shapeProblem(text);
  const before = text.slice(0, m.index);
  const line = before.split(/\r\n|\r|\n/).length;
  const column = m.index - Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
  return `holds a control or invisible formatting character (${codePoint(m[0])} on line ${line}, character ${column}), which the hub does not store`;
}

/**
 * Too many headings or table rows for one imported document (LIMITS.imports), or null. Every line
 * that any of the readers could take for one is counted, inside fenced code too: a count that
 * follows one reader's rules is dodged by another's (a heading after a no-break space, a setext
 * underline, a row without a leading bar, a fence one reader closes and the other does not). No
 * real document comes near the bounds, so counting more never refuses one.
 */
function shapeProblem(text: string): string | null {
  let headings = 0;
  let rows = 0;
  for (const line of text.split(/\r\n|\r|\n/)) {
    // an ATX heading with any spaces, or a setext underline (= or - alone on its line)
    if (/^\s*#{1,6}(?:\s|$)/u.test(line) || /^\s*(?:=+|-+)\s*$/u.test(line)) headings++;
    else if (line.includes('|')) rows++;
  }
  if (headings > LIMITS.imports.headings)
    return `has ${headings} headings; an imported document may have at most ${LIMITS.imports.headings}`;
  if (rows > LIMITS.imports.tableRows)
    return `has ${rows} table rows; an imported document may have at most ${LIMITS.imports.tableRows}`;
  return null;
}

// a subdivision flag first, so its tags are matched whole and kept (keepFlags)
const UNSTORABLE = new RegExp(
  `${FLAG_TAG_SEQUENCE}|[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f${INVISIBLE}${TAGS}]|${LONE_SURROGATE}`,
  'gu',
);
/** A replacement for UNSTORABLE's matches that keeps a subdivision flag as it is. */
const keepFlags =
  (by: string) =>
  (m: string): string =>
    m.startsWith('\u{1f3f4}') ? m : by;

/**
 * Text written elsewhere that the hub mirrors and cannot refuse (GitHub's comments, titles and
 * bodies): each character no text field stores becomes U+FFFD, which shows where one was. Line
 * breaks (CR too, as GitHub keeps them) and tabs stay. PostgreSQL cannot hold a NUL at all, so one
 * in a comment failed the whole delivery there, while SQLite stored it and any escape sequence.
 */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE, keepFlags('\ufffd'));
}

/** Every string in a parsed JSON value (GitHub's answer to a request) made storable, in place. */
export function storableStrings<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = storableStrings(value[i]);
    return value;
  }
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = storableStrings(o[k]);
  }
  return value;
}

/**
 * How many characters a text has as people count them for a limit: code points, so an emoji or a
 * CJK extension character counts one (String.length counts UTF-16 units: two for each of those),
 * as PostgreSQL's varchar(n) and zod's string min and max count (the input schemas' Line and
 * Prose). Every user-visible bound on text (titles, names, bodies) is in these.
 */
export function characterCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // a high surrogate followed by a low one is one character
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** A text's words as a person means them: lower case, accents off, split at anything but letters and digits ("Inês Moreira" → ines, moreira). */
export function foldedWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** The first `max` characters (code points) of a text, never half of a surrogate pair. */
export function firstCharacters(text: string, max: number): string {
  if (text.length <= max) return text;
  let n = 0;
  let i = 0;
  while (i < text.length && n < max) {
    const c = text.charCodeAt(i);
    const d = text.charCodeAt(i + 1);
    i += c >= 0xd800 && c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
    n++;
  }
  return text.slice(0, i);
}

/**
 * One line of text for a field, made from what another system gave (a name an identity provider
 * claims): line breaks and tabs become spaces, characters no one-line field stores are dropped, runs of
 * spaces fold, and it is cut to `max` characters (never between the halves of a surrogate pair). The
 * person cannot fix it here, so it is made to fit rather than refused; empty when nothing visible is left.
 */
export function oneLineFrom(text: string, max: number): string {
  const line = text
    // U+2028 and U+2029 too: a browser breaks the line there, and a one-line field refuses them
    .replace(/[\r\n\t\u2028\u2029]+/g, ' ')
    .replace(UNSTORABLE, keepFlags(''))
    .replace(ZERO_WIDTH_ANYWHERE, '')
    .replace(DIRECTION_MARK_ANYWHERE, '')
    .replace(/ {2,}/g, ' ')
    .trim();
  const cut = firstCharacters(withoutStackedMarks(line), max).trim();
  return nothingVisibleProblem(cut) ? '' : cut;
}

/** A text as one line of at most `max` characters, an ellipsis marking a cut: what a notice quotes of it. */
export function quotedLine(text: string, max = 280): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const cut = firstCharacters(flat, max);
  return cut === flat ? flat : `${cut}…`;
}

const UNPRINTABLE = new RegExp(`[${CONTROLS}\\u202a-\\u202e\\u2066-\\u2069]`, 'g');

/**
 * Text for a terminal: control characters (stored before they were refused, or read from a
 * file) are shown as visible escapes, so nothing stored can move the cursor, retitle the window
 * or reorder a line on the operator's screen. Line feeds and tabs stay.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** decodeURIComponent that answers null for a malformed escape (a lone %) instead of throwing. */
export function decodeComponent(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/**
 * `text` without the trailing run of `chars`. A loop, not /[…]+$/: a regular expression anchored
 * only at the end retries from every character of a long run that something else follows, so
 * 50,000 dots and a letter took a second.
 */
export function withoutTrailing(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1]!)) end--;
  return text.slice(0, end);
}

/**
 * A markdown link or image: its text, then a target with at most one level of parentheses. The
 * text takes no "[" and the target no bare "(", so a run of brackets is scanned once, not once per
 * bracket (50,000 "[" took a second). Not global, so `.test`/`.exec` keep no lastIndex between
 * callers; linksAsText replaces every link with a global copy of its own.
 */
export const MARKDOWN_LINK = /!?\[([^\][]*)\]\((?:[^()]|\([^()]*\))*\)/;
const EVERY_MARKDOWN_LINK = new RegExp(MARKDOWN_LINK.source, 'g');

/** Every markdown link or image replaced by its text (`[the guide](https://…)` → `the guide`). */
export function linksAsText(md: string): string {
  // replace() starts from 0 and leaves lastIndex at 0 whatever it held, so the one copy is safe to share
  return md.replace(EVERY_MARKDOWN_LINK, '$1');
}

/**
 * A line of plain text (a title, a name) as it is written into an exported markdown or MDX file,
 * so that the file shows exactly that text: whatever would open markup, raw HTML or an MDX
 * expression is escaped with a backslash (which shows as nothing), and the line cannot begin a
 * list, a quote or a heading inside the line it is put in. `fromMarkdownLine` reads it back.
 */
export function markdownLine(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\`*[\]{}<>|~]|&(?=#?\w+;)|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])|(?<=^|\s)#/gu, '\\$&')
    .replace(/^[-+=]/, '\\$&')
    .replace(/^(\d+)([.)])/, '$1\\$2');
}

/** U+2060 WORD JOINER: invisible, and it ends any name or address GitHub would otherwise link. */
export const WORD_JOINER = '\u2060';

/**
 * What GitHub links in text that markdown leaves alone: @mentions (a person or a team is told),
 * bare addresses (`https://…`, `www.…`, `a@b.example`), and references to issues (`#12`,
 * `owner/repo#12`, `GH-12`). A word joiner after the `@`, the scheme's `:`, `www` or the `#` keeps
 * each as the text it is. Run on text that is already markdown (it adds no markup).
 */
export function githubInert(text: string): string {
  return text
    .replace(/@(?=[\p{L}\p{N}_-])/gu, `@${WORD_JOINER}`)
    .replace(/(?<=[A-Za-z0-9]):(?=\/\/)/g, `:${WORD_JOINER}`)
    .replace(/(www)(?=\.)/gi, `$1${WORD_JOINER}`)
    .replace(/#(?=\d)/g, `#${WORD_JOINER}`)
    .replace(/(gh)(?=-\d)/gi, `$1${WORD_JOINER}`);
}

/**
 * A line of plain text (a title, a name) as it is written into markdown pasted on GitHub (a pull
 * request's description): `markdownLine`, its `$` escaped too (GitHub's maths), and nothing in it
 * a mention, a link or a reference to an issue. It shows exactly the text typed.
 */
export function githubLine(text: string): string {
  return githubInert(markdownLine(text).replace(/\$/g, '\\$'));
}

/** The text of a line of markdown as written by `markdownLine` (any backslash-escaped punctuation, unescaped). */
export function fromMarkdownLine(line: string): string {
  return line.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Bytes read as UTF-8, or null when they are not (Latin-1, an overlong sequence, CESU-8
 * surrogates): read leniently each such byte becomes U+FFFD, and the text sent is lost without a word.
 */
export function utf8Text(bytes: ArrayBuffer | Uint8Array): string | null {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    return null;
  }
}

/** The rule a body that is not UTF-8 breaks, in the words every edge refuses it with. */
export const NOT_UTF8 = 'must be UTF-8 text: it holds bytes that are not (sent in another encoding?)';
