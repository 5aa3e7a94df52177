// The words pages use for this community's own things, from its governance file: the hub's texts
// are written in the default (MCP) community's words, and a community on another protocol renames
// its document route and protocol there, not in the code.
import type { Governance } from './schema.ts';
import { tally } from '../work.ts';

/**
 * What one document of the `sep` route is called ("SEP", or the route's `shortName`), several of
 * them, and the prefix of its references (SEP-12; RFC-12 where the short name is "RFC").
 */
export type DocumentWords = { one: string; many: string; route: string; prefix: string };

export function documentWords(g: Pick<Governance, 'proposals'>): DocumentWords {
  const one = g.proposals.routes.sep.shortName ?? 'SEP';
  return { one, many: `${one}s`, route: g.proposals.routes.sep.title, prefix: referencePrefix(g) };
}

/**
 * The prefix a document of the `sep` route is cited by: its short name as one word in capitals
 * ("RFC" for "RFC", "OEP" for "o.e.p"), else SEP. The stored identifier stays SEP-n (events, links
 * kept, the route id `sep`); pages, REST, MCP and the CLI show and accept this one, and SEP-n too.
 */
export function referencePrefix(g: Pick<Governance, 'proposals'>): string {
  const word = (g.proposals.routes.sep.shortName ?? 'SEP').replace(/[^\p{L}\p{N}]/gu, '').toUpperCase();
  // P, D and M name proposals without a number, decisions and meetings: never a document's prefix
  return /^\p{L}[\p{L}\p{N}]*$/u.test(word) && !['P', 'D', 'M'].includes(word) ? word : 'SEP';
}

/** A proposal's stored reference (SEP-12, P-3) as this community cites it (RFC-12, P-3). */
export function shownRef(g: Pick<Governance, 'proposals'>, ref: string): string {
  const prefix = referencePrefix(g);
  return prefix === 'SEP' ? ref : ref.replace(/^SEP-(?=\d+$)/, `${prefix}-`);
}

/** A reference as someone wrote it (RFC-12, rfc-12, SEP-12) as stored (SEP-12); others unchanged. */
export function storedRef(g: Pick<Governance, 'proposals'>, ref: string): string {
  const prefix = referencePrefix(g);
  if (prefix === 'SEP') return ref;
  const m = new RegExp(`^(proposal:)?${prefix}-(\\d+)$`, 'iu').exec(ref.trim());
  return m ? `${m[1] ?? ''}SEP-${m[2]}` : ref;
}

/** Whether a reference names a proposal: P-3, SEP-12, or this community's prefix (RFC-12), any case. */
export function isProposalRef(g: Pick<Governance, 'proposals'>, ref: string): boolean {
  const m = /^([\p{L}][\p{L}\p{N}]*)-\d+$/u.exec(ref);
  return m !== null && ['P', 'SEP', referencePrefix(g)].includes(m[1]!.toUpperCase());
}

/** "a SEP", "an XIP"? Read as a word: "an" before a vowel, "a" otherwise ("a SEP", "an OEP"). */
export function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}

/**
 * A fixed text (an endpoint's summary, a tool's description, a command's help) in this community's
 * words: "SEP"/"SEPs" as a word become its document's short name, "the SEP lifecycle" its route's
 * title, "the MCP specification" its protocol's, and a reference (SEP-2575) is cited by its
 * prefix (RFC-2575). With the default governance the text comes back unchanged.
 */
export function inCommunityWords(text: string, g: Governance): string {
  const w = documentWords(g);
  return text
    .replace(/\bSEP-(?=\d|n\b|\{)/g, `${w.prefix}-`)
    .replace(/\bthe SEP lifecycle\b/g, w.route.replace(/^The\b/, 'the'))
    .replace(/\ba SEP\b(?!-)/g, withArticle(w.one))
    .replace(/\bSEPs\b/g, w.many)
    .replace(/\bSEP\b(?!-)/g, w.one)
    .replace(/\bthe MCP specification\b/g, `the ${g.community.protocol} specification`)
    .replace(ROLE_WORDS, (m, ...groups) => rolesInWords(g, m, groups as (string | undefined)[]))
    .replace(KIND_WORDS, (m, ...groups) => kindsInWords(g, m, groups as (string | undefined)[]));
}

/** "core maintainer(s)", "lead maintainer(s)", "core or lead maintainers", "a core maintainer", any capitals. */
const ROLE_WORDS =
  /\b(?:(an? )?([Cc]ore|[Ll]ead) ([Mm]aintainer)(s?)|([Cc]ore|[Ll]ead) (or|and) (core|lead) maintainers)\b(?!-)/g;

function rolesInWords(g: Pick<Governance, 'roleNames'>, m: string, x: (string | undefined)[]): string {
  const key = (w: string): 'core-maintainer' | 'lead-maintainer' =>
    w.toLowerCase() === 'core' ? 'core-maintainer' : 'lead-maintainer';
  const [article, one, , plural, first, conj, second] = x;
  if (first && conj && second)
    return !g.roleNames['core-maintainer'] && !g.roleNames['lead-maintainer']
      ? m
      : `${sameCase(first, roleName(g, key(first)))}s ${conj} ${roleName(g, key(second))}s`;
  if (!one || !g.roleNames[key(one)]) return m;
  const name = `${sameCase(one, roleName(g, key(one)))}${plural ?? ''}`;
  return article ? `${sameCase(article, withArticle(name).split(' ')[0]!)} ${name}` : name;
}

/** "working group(s)", "interest group(s)", "working or interest groups", "a working group", any capitals; never "working-group artifact" nor the guide's title (MCP Community Working Groups). */
const KIND_WORDS =
  /(?<!Community )\b(?:(an? )?([Ww]orking|[Ii]nterest) ([Gg]roup)(s?)|([Ww]orking|[Ii]nterest) (or|and) (working|interest) groups)\b(?!-)/g;

function kindsInWords(g: Pick<Governance, 'groupKindNames'>, m: string, x: (string | undefined)[]): string {
  const key = (w: string): 'working' | 'interest' => (w.toLowerCase() === 'working' ? 'working' : 'interest');
  const [article, one, , plural, first, conj, second] = x;
  if (first && conj && second)
    return !g.groupKindNames.working && !g.groupKindNames.interest
      ? m
      : `${sameCase(first, groupKindName(g, key(first)))}s ${conj} ${groupKindName(g, key(second))}s`;
  if (!one || !g.groupKindNames[key(one)]) return m;
  const name = `${sameCase(one, groupKindName(g, key(one)))}${plural ?? ''}`;
  return article ? `${sameCase(article, withArticle(name).split(' ')[0]!)} ${name}` : name;
}

/** A word written as the one it replaces begins: capitalised where that was ("Core" → "Steering…"). */
function sameCase(was: string, word: string): string {
  return /^\p{Lu}/u.test(was) ? word.charAt(0).toUpperCase() + word.slice(1) : word;
}

/**
 * A JSON Schema (a tool's arguments, a request body) with every `description` in the community's
 * words, so an argument is explained as its pages explain it. The same object when nothing changes.
 */
export function schemaInCommunityWords<T>(schema: T, g: Governance): T {
  const word = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(word);
    if (!v || typeof v !== 'object') return v;
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [
        k,
        k === 'description' && typeof x === 'string' ? inCommunityWords(x, g) : word(x),
      ]),
    );
  };
  return speaksDefaultWords(g) ? schema : (word(schema) as T);
}

/** Whether the community's words are the default's, so fixed texts need no rewording. */
export function speaksDefaultWords(g: Governance): boolean {
  const sample =
    'a SEP, SEPs, SEP-1, the SEP lifecycle, the MCP specification, core or lead maintainers, working or interest groups';
  return inCommunityWords(sample, g) === sample;
}

/**
 * What pages call a role on the contributor ladder: the governance file's `roleNames` ("steering
 * committee member"), else its key with spaces ("core maintainer"). The key stays the identifier
 * (REST, MCP, the command line's --role).
 */
export function roleName(g: Pick<Governance, 'roleNames'>, role: string): string {
  return g.roleNames[role as keyof Governance['roleNames']] ?? role.replace(/-/g, ' ');
}

/** A count of a role as people say it: "1 lead maintainer", "2 core maintainers". */
export function roleCount(g: Pick<Governance, 'roleNames'>, role: string, n: number): string {
  return `${n} ${roleName(g, role)}${n === 1 ? '' : 's'}`;
}

/**
 * What pages call a kind of group: the governance file's `groupKindNames` ("special interest
 * group"), else "working group" or "interest group". The key (`working`, `interest`) stays the
 * identifier (REST, MCP, the command line's --kind).
 */
export function groupKindName(g: Pick<Governance, 'groupKindNames'>, kind: string): string {
  return g.groupKindNames[kind as keyof Governance['groupKindNames']] ?? `${kind} group`;
}

/** A kind of group as a badge or heading begins: "Working group", "Special interest group". */
export function groupKindTitle(g: Pick<Governance, 'groupKindNames'>, kind: string): string {
  return sameCase('W', groupKindName(g, kind));
}

/** A kind of group as a document's heading or a charter's Group Type names it: "Working Group", "Special Interest Group". */
export function groupKindHeading(g: Pick<Governance, 'groupKindNames'>, kind: string): string {
  return groupKindName(g, kind).replace(/(^|\s)\p{Ll}/gu, (m) => m.toUpperCase());
}

/**
 * What pages call a level in a group: the governance file's `levelNames` ("voting member"), else the
 * level's key ("observer", "participant", "member", "lead"), which stays the identifier.
 */
export function levelName(g: Pick<Governance, 'levelNames'>, level: string): string {
  return g.levelNames[level as keyof Governance['levelNames']] ?? level;
}

/** Several roles or levels as a sentence lists them: "observer or participant", "members and leads". */
export function listed(words: readonly string[], conj: 'or' | 'and' = 'or'): string {
  return words.length < 2 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} ${conj} ${words.at(-1)}`;
}

/** Levels as a sentence names them, by their names: "follower or participant"; `plural`: "voting members and chairs". */
export function levelsNamed(
  g: Pick<Governance, 'levelNames'>,
  levels: readonly string[],
  conj: 'or' | 'and' = 'or',
  plural = false,
): string {
  return listed(
    levels.map((l) => `${levelName(g, l)}${plural ? 's' : ''}`),
    conj,
  );
}

/**
 * Who resolves an escalated decision, as this community calls them: the governance file's
 * `decisions.escalation.candidateRole` by its name ("core maintainer", "steering committee member");
 * `plural` for them all ("the core maintainers").
 */
export function resolverName(g: Pick<Governance, 'roleNames' | 'decisions'>, plural = false): string {
  return `${roleName(g, g.decisions.escalation.candidateRole)}${plural ? 's' : ''}`;
}

/** Stored references inside a composed text (a notice's title, an error, an event's words) as cited here: SEP-12 → RFC-12. */
export function shownRefsIn(g: Pick<Governance, 'proposals'>, text: string): string {
  const prefix = referencePrefix(g);
  return prefix === 'SEP' ? text : text.replace(/\bSEP-(?=\d+\b)/g, `${prefix}-`);
}

/**
 * A refusal in the community's references: its own words (an example, "such as SEP-2575"; a stored
 * reference it names) as cited here, what it quotes ('SEP-9' as the person typed it, or "SEP-9",
 * ‘SEP-9’, “SEP-9”) as typed. A single quote opens after no letter (a group's name is no quote) and
 * closes before none, so an apostrophe inside ('Jon's SEP-12 group') stays inside.
 */
export function shownRefsOutsideQuotes(g: Pick<Governance, 'proposals'>, text: string): string {
  if (referencePrefix(g) === 'SEP') return text;
  let out = '';
  let from = 0;
  for (const [start, end] of quotedSpans(text)) {
    out += shownRefsIn(g, text.slice(from, start)) + text.slice(start, end);
    from = end;
  }
  return out + shownRefsIn(g, text.slice(from));
}

/** Each quote's closing mark, by its opening one. */
const CLOSING: Record<string, string> = { "'": "'", '"': '"', '‘': '’', '“': '”' };
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * Where a text quotes something, as [start, end) spans, in one pass: a quote closes at the first
 * closing mark on its line (a single quote's is one before no letter or digit), and one left open
 * quotes nothing. Where each closing mark and line break comes next is looked for once and kept
 * while the scan is before it (attack round 20: a regular expression looked for it again from every
 * opening mark, so a refusal quoting 40,000 characters of “a“a… took 11 s of the event loop).
 */
function quotedSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  const found = new Map<string, number>();
  const nextAt = (mark: string, from: number): number => {
    const seen = found.get(mark);
    if (seen !== undefined && (seen === -1 || seen >= from)) return seen;
    let at = text.indexOf(mark, from);
    // a single quote before a letter or digit is an apostrophe (Jon's), inside the quote
    if (mark === "'")
      while (at !== -1 && LETTER_OR_DIGIT.test(String.fromCodePoint(text.codePointAt(at + 1) ?? 32)))
        at = text.indexOf(mark, at + 1);
    found.set(mark, at);
    // the characters this search went over (test/domain/failure.test.ts holds them linear)
    tally('quotes', (at === -1 ? text.length : at) - from);
    return at;
  };
  tally('quotes', text.length);
  for (let i = 0; i < text.length; i++) {
    const closing = CLOSING[text[i]!];
    if (!closing) continue;
    // a single quote after a letter or digit opens nothing (the group's, the groups')
    if (text[i] === "'" && i > 0 && LETTER_OR_DIGIT.test(lastCharacter(text.slice(Math.max(0, i - 2), i)))) continue;
    const end = nextAt(closing, i + 1);
    const line = nextAt('\n', i + 1);
    if (end === -1 || (line !== -1 && line < end)) continue;
    spans.push([i, end + 1]);
    i = end;
  }
  return spans;
}

/** The last character of a short text, a pair of surrogates read as one. */
function lastCharacter(text: string): string {
  return [...text].at(-1) ?? '';
}

/** A subject's reference as shown (a proposal's SEP-12 as RFC-12; a group's slug, a decision's D-3 unchanged). */
export function shownSubjectRef<R extends string | null>(g: Pick<Governance, 'proposals'>, type: string, ref: R): R {
  return (type === 'proposal' && ref !== null ? shownRef(g, ref) : ref) as R;
}
