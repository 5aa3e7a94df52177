// Whom someone meant by a text that is no person's handle: their name as people say it ("Priya
// Nair", "priya nair"), or their handle mistyped ("priay"). An assistant fills a handle argument
// (`handle`, `owner`, `designee`…) with what its person said; refused with the handle's format rule
// or "does not exist", it had to find the person some other way. The refusal can now name them.
// Names and handles are public (GET /api/people lists them to anyone).
import { foldedWords, printable } from '../../domain/text.ts';
import { allowedTypos, editDistance } from '../../search/words.ts';
import type { Hub } from '../core/hub.ts';

export type PersonMeant = { handle: string; name: string };

/** At most this many people are named; past it the text says too little. */
const MOST = 5;
/** Longer texts are not read for a name. */
const LONGEST = 200;
/** The most people read to look for the one meant (a refusal's path only). */
const READ_AT_MOST = 20_000;

/**
 * The people `said` may mean, from those there are: whose name is those words ("Priya Nair"), else
 * whose name holds every one of them ("Priya", when no handle is priya), else whose handle is one or
 * two typos away ("priay"). Empty when `said` is someone's handle, or names nobody.
 */
export function peopleMeantAmong(said: string, people: readonly PersonMeant[]): PersonMeant[] {
  const typed = said.trim();
  if (typed.length > LONGEST || people.some((p) => p.handle.toLowerCase() === typed.toLowerCase())) return [];
  const words = foldedWords(typed);
  if (!words.length) return [];
  const key = words.join(' ');
  const named = people.filter((p) => foldedWords(p.name).join(' ') === key);
  if (named.length) return named.slice(0, MOST);
  const holding = people.filter((p) => {
    const theirs = foldedWords(p.name);
    return words.every((w) => theirs.includes(w));
  });
  if (holding.length) return holding.slice(0, MOST);
  if (words.length > 1) return [];
  const max = allowedTypos(key);
  return people.filter((p) => editDistance(key, p.handle.toLowerCase(), max) <= max).slice(0, MOST);
}

/** The people `said` may mean (peopleMeantAmong), read from the store. */
export async function peopleMeant(hub: Hub, said: string): Promise<PersonMeant[]> {
  if (said.trim().length > LONGEST) return [];
  const people = await hub.store.db
    .selectFrom('people')
    .select(['handle', 'name'])
    .orderBy('handle')
    .limit(READ_AT_MOST)
    .execute();
  return peopleMeantAmong(said, people);
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
