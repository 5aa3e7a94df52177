// Which group or person someone meant by a text that is no group's slug or no person's handle: the
// group's name as people say it ("Hosting WG", "the hosting working group"), its slug mistyped ("hostng")
// or cut short ("obs"); a person's name ("Priya Nair") or their handle mistyped ("priay"). An assistant
// fills a `group` or handle argument with what its person said; refused with the pattern or "does not
// exist", it had to list and guess again. A refusal names the one meant (the lines below), so the next
// call is the right one. Pure: the app reads the groups and people (app/groups/groups-meant.ts,
// app/people/people-meant.ts) and hands them here.
import { slugAsStored } from './slugs.ts';
import { foldedWords, printable } from './text.ts';
import { allowedTypos, editDistance } from './typos.ts';

export type GroupMeant = { slug: string; name: string };
export type PersonMeant = { handle: string; name: string };

/** Longer texts are not read for a group's or a person's name (a name is short, and the work stays small). */
export const LONGEST_MEANT = 200;
/** At most this many groups are named as what a text may mean; past it the text says too little. */
const GROUPS_NAMED = 5;
/** Words that say "a group" rather than which: "Hosting WG", "Security Interest Group". */
const GENERIC = new Set(['the', 'wg', 'ig', 'working', 'interest', 'group', 'groups', 'team']);

/** A name's distinguishing words, lower case and without accents: "The Hosting WG" → ["hosting"]. */
function wordsOf(text: string): string[] {
  const words = foldedWords(text);
  const core = words.filter((w) => !GENERIC.has(w));
  return core.length ? core : words;
}

/**
 * The groups `said` may mean, best first, from the groups there are: those whose name or slug says
 * the same words ("Hosting WG" is Hosting), else those one or two typos away ("hostng"), else those
 * whose words begin with the words said ("obs" is Observability). Empty when `said` is a group's
 * slug (nothing to correct) or names none of them.
 */
export function groupsMeantAmong(said: string, groups: readonly GroupMeant[]): GroupMeant[] {
  if (said.length > LONGEST_MEANT || groups.some((g) => g.slug === slugAsStored(said))) return [];
  const words = wordsOf(said);
  if (!words.length) return [];
  const key = words.join('-');
  const keys = (g: GroupMeant) => [wordsOf(g.name).join('-'), wordsOf(g.slug).join('-')];
  const same = groups.filter((g) => keys(g).includes(key));
  if (same.length) return same.slice(0, GROUPS_NAMED);
  const max = allowedTypos(key);
  const near = groups.filter((g) => keys(g).some((k) => editDistance(key, k, max) <= max));
  if (near.length) return near.slice(0, GROUPS_NAMED);
  const begun = groups.filter((g) => {
    const theirs = [...wordsOf(g.name), ...wordsOf(g.slug)];
    return words.every((w) => w.length >= 3 && theirs.some((t) => t.startsWith(w)));
  });
  return begun.slice(0, GROUPS_NAMED);
}

/**
 * The line a refusal of `said` as a group adds, naming the group meant and the call to make, or
 * null when it means none: `group: "Hosting WG" is no group's slug; it looks like the group Hosting,
 * whose slug is "hosting": send "group": "hosting"` (`act` says what to do with the slug).
 */
export function groupMeantLine(
  field: string,
  said: string,
  meant: readonly GroupMeant[],
  act: (slug: string) => string = (slug) => `send "${field}": "${slug}"`,
): string | null {
  if (!meant.length) return null;
  const shown = `"${printable(said)}"`;
  if (meant.length === 1) {
    const [g] = meant as [GroupMeant];
    return `${field}: ${shown} is no group's slug; it looks like the group ${g.name}, whose slug is "${g.slug}": ${act(g.slug)}`;
  }
  const listed = meant.map((g) => `"${g.slug}" (${g.name})`).join(', ');
  return `${field}: ${shown} is no group's slug; it may mean one of these groups: ${listed}; send the slug of the one meant`;
}

/** At most this many people are named; past it the text says too little. */
const PEOPLE_NAMED = 5;

/**
 * The people `said` may mean, from those there are: whose name is those words ("Priya Nair"), else
 * whose name holds every one of them ("Priya", when no handle is priya), else whose handle is one or
 * two typos away ("priay"). Empty when `said` is someone's handle, or names nobody.
 */
export function peopleMeantAmong(said: string, people: readonly PersonMeant[]): PersonMeant[] {
  const typed = said.trim();
  if (typed.length > LONGEST_MEANT || people.some((p) => p.handle.toLowerCase() === typed.toLowerCase())) return [];
  const words = foldedWords(typed);
  if (!words.length) return [];
  const key = words.join(' ');
  const named = people.filter((p) => foldedWords(p.name).join(' ') === key);
  if (named.length) return named.slice(0, PEOPLE_NAMED);
  const holding = people.filter((p) => {
    const theirs = foldedWords(p.name);
    return words.every((w) => theirs.includes(w));
  });
  if (holding.length) return holding.slice(0, PEOPLE_NAMED);
  if (words.length > 1) return [];
  const max = allowedTypos(key);
  return people.filter((p) => editDistance(key, p.handle.toLowerCase(), max) <= max).slice(0, PEOPLE_NAMED);
}

/**
 * The line a refusal of `said` as a handle adds, naming whom it may mean, or null when nobody:
 * `owner: "Priya Nair" is no handle; it looks like Priya Nair (@priya): send "owner": "priya"`.
 */
export function personMeantLine(field: string, said: string, meant: readonly PersonMeant[]): string | null {
  if (!meant.length) return null;
  const shown = `"${printable(said)}"`;
  const who = (p: PersonMeant) => `${printable(p.name)} (@${p.handle})`;
  if (meant.length === 1) {
    const [p] = meant as [PersonMeant];
    return `${field}: ${shown} is no handle; it looks like ${who(p)}: send "${field}": "${p.handle}"`;
  }
  return `${field}: ${shown} is no handle; it may mean one of ${meant.map(who).join(', ')}; send the handle of the one meant`;
}

export type ProposalMeant = { ref: string; title: string };

/** At most this many proposals are named; past it the text says too little. */
const PROPOSALS_NAMED = 5;
/** A reference's shape ("P-3", "SEP-12", "rfc-7", "#12", "proposal:P-2"): a reference mistaken, not a title given. */
const REFERENCE_SHAPE = /^(?:proposal:)?#?(?:[a-z]+-?)?\d+$/i;
/** Whether `said` may be a title given for a reference: not a reference's shape, nor longer than a title read here. */
export function mayBeTitle(said: string): boolean {
  const typed = said.trim();
  return typed.length <= LONGEST_MEANT && !REFERENCE_SHAPE.test(typed);
}

/** Words that say "a proposal" rather than which: "the Server Cards proposal". */
const PROPOSAL_WORDS = new Set(['the', 'a', 'an', 'proposal', 'proposals']);

/**
 * The proposals `said` may mean when it is a title rather than a reference, best first: those whose
 * title is those words ("server cards" is "Server Cards"), else those whose title holds every one of
 * them ("Server cards" is "Server Cards for discovery"). Empty when `said` has a reference's shape
 * (P-99 is no title, whatever it is), is too long to be a title read here, or names none of them.
 */
export function proposalsMeantAmong(said: string, proposals: readonly ProposalMeant[]): ProposalMeant[] {
  if (!mayBeTitle(said)) return [];
  const typed = said.trim();
  const all = foldedWords(typed);
  const core = all.filter((w) => !PROPOSAL_WORDS.has(w));
  const words = core.length ? core : all;
  if (!words.length) return [];
  const key = words.join(' ');
  const same = proposals.filter((p) => foldedWords(p.title).join(' ') === key);
  if (same.length) return same.slice(0, PROPOSALS_NAMED);
  return proposals
    .filter((p) => {
      const theirs = foldedWords(p.title);
      return words.every((w) => theirs.includes(w));
    })
    .slice(0, PROPOSALS_NAMED);
}

/**
 * The line a refusal of `said` as a proposal's reference adds, naming the proposal meant and the call to
 * make, or null when it means none: `ref: "Server cards" is no proposal's reference; it looks like P-3
 * "Server Cards for discovery": send "ref": "P-3"`.
 */
export function proposalMeantLine(field: string, said: string, meant: readonly ProposalMeant[]): string | null {
  if (!meant.length) return null;
  const shown = `"${printable(said)}"`;
  if (meant.length === 1) {
    const [p] = meant as [ProposalMeant];
    return `${field}: ${shown} is no proposal's reference; it looks like ${p.ref} "${printable(p.title)}": send "${field}": "${p.ref}"`;
  }
  const listed = meant.map((p) => `${p.ref} ("${printable(p.title)}")`).join(', ');
  return `${field}: ${shown} is no proposal's reference; it may mean one of ${listed}; send the reference of the one meant`;
}
