// Which group someone meant by a text that is no group's slug: the group's name as people say it
// ("Hosting WG", "the hosting working group"), its slug mistyped ("hostng") or cut short ("obs").
// An assistant fills a `group` argument with what its person said; refused with the slug's pattern
// or "does not exist", it had to list the groups and guess again. The refusal can now name the
// group meant, so the next call is the right one.
import { slugAsStored } from '../../domain/slugs.ts';
import { foldedWords, printable } from '../../domain/text.ts';
import { allowedTypos, editDistance } from '../../search/words.ts';
import type { Hub } from '../core/hub.ts';

export type GroupMeant = { slug: string; name: string };

/** At most this many groups are named as what a text may mean; past it the text says too little. */
const MOST = 5;
/** Longer texts are not read for a group's name (a group's name is short, and the work stays small). */
const LONGEST = 200;
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
  if (said.length > LONGEST || groups.some((g) => g.slug === slugAsStored(said))) return [];
  const words = wordsOf(said);
  if (!words.length) return [];
  const key = words.join('-');
  const keys = (g: GroupMeant) => [wordsOf(g.name).join('-'), wordsOf(g.slug).join('-')];
  const same = groups.filter((g) => keys(g).includes(key));
  if (same.length) return same.slice(0, MOST);
  const max = allowedTypos(key);
  const near = groups.filter((g) => keys(g).some((k) => editDistance(key, k, max) <= max));
  if (near.length) return near.slice(0, MOST);
  const begun = groups.filter((g) => {
    const theirs = [...wordsOf(g.name), ...wordsOf(g.slug)];
    return words.every((w) => w.length >= 3 && theirs.some((t) => t.startsWith(w)));
  });
  return begun.slice(0, MOST);
}

/** The groups `said` may mean (groupsMeantAmong), read from the store; every group is public. */
export async function groupsMeant(hub: Hub, said: string): Promise<GroupMeant[]> {
  if (said.length > LONGEST) return [];
  const groups = await hub.store.db.selectFrom('groups').select(['slug', 'name']).orderBy('slug').limit(1000).execute();
  return groupsMeantAmong(said, groups);
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
