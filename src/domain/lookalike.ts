// Names that look alike though written with other characters: "Hοsting" with a Greek omicron beside
// "Hosting", "Нosting" with a Cyrillic En, "sarn" beside "sam" (attack round 18). Unicode's answer
// is the confusable skeleton of UTS #39 (https://www.unicode.org/reports/tr39/#def-skeleton):
// decompose (NFD), put each character that Unicode's confusables.txt says is drawn like another in
// that other's place, decompose again; two strings with one skeleton are confusable. The mapping is
// the one the unhomoglyph package ships (confusables.txt, Unicode 13.0.0: 6,311 characters, each to
// the one or two it reads as), read once into a map; the skeleton itself is computed here, as that
// package leaves out the decompositions.
import table from 'unhomoglyph/data.json' with { type: 'json' };
import { nameKey } from './community.ts';

const READS_AS: ReadonlyMap<string, string> = new Map(Object.entries(table as Record<string, string>));

/** UTS #39's skeleton of a text: NFD, each confusable character as the one it reads as, NFD. */
export function skeleton(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFD')) out += READS_AS.get(ch) ?? ch;
  return out.normalize('NFD');
}

/**
 * A text with each character beyond ASCII that Unicode draws like another put in that other's place,
 * ASCII left as written: a Cyrillic "а" in "Cаfé Labs" is the Latin "a", where the full skeleton would
 * also read the Latin "m" as "rn" and "1" as "l" and make Modem Labs the Modern Labs it is not.
 */
export function beyondAsciiAsDrawn(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFD')) out += ch.codePointAt(0)! < 0x80 ? ch : (READS_AS.get(ch) ?? ch);
  return out.normalize('NFC');
}

/**
 * Characters drawn as a blank, though Unicode counts none of them a space: the Hangul fillers
 * (U+115F, U+1160, U+3164, U+FFA0: default-ignorable, yet fonts draw them as a wide blank) and the
 * blank Braille pattern (U+2800). Dropped with the characters that draw nothing, "Nebula\u3164Tools"
 * read as "NebulaTools" and was a second organisation that showed as Nebula Tools on every page and
 * was counted apart from it (attack round 21); a name is read with each of them as a space.
 */
const BLANK = /[\u115f\u1160\u3164\uffa0\u2800]/u;
const BLANKS = new RegExp(BLANK.source, 'gu');

/**
 * A name as it is drawn, before skeletons are taken: compatibility forms folded (NFKC: a full-width
 * or mathematical letter is the letter), characters drawn as a blank read as a space, characters that
 * draw nothing dropped, runs of spaces one.
 */
function drawn(name: string): string {
  return name
    .normalize('NFKC')
    .replace(BLANKS, ' ')
    .replace(/\p{Default_Ignorable_Code_Point}/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The skeletons a name is read under, without case: as written, in lower case and in capitals. A
 * name in capitals draws "I" where another draws "l", and a Greek "ΗΟSΤΙΝG" is "HOSTING"; two names
 * look alike when they share one. Lower-casing a skeleton instead would make "GILL" and "GILI" one.
 */
export function lookalikeKeys(name: string): Set<string> {
  const d = drawn(name);
  return new Set([skeleton(d), skeleton(d.toLowerCase()), skeleton(d.toUpperCase())]);
}

/** Whether two names read as one to someone looking at them (case aside). */
export function looksAlike(a: string | Set<string>, b: string | Set<string>): boolean {
  const ka = typeof a === 'string' ? lookalikeKeys(a) : a;
  const kb = typeof b === 'string' ? lookalikeKeys(b) : b;
  for (const k of ka) if (kb.has(k)) return true;
  return false;
}

/**
 * A name as its writer spelled it, case, spacing and invisible characters aside (NFC, so an accent
 * typed apart is the same accent): two people may share a name spelled the same way (namesakes,
 * told apart by their handles), where one in other letters that looks the same only imitates.
 */
export function spelling(name: string): string {
  return name
    .normalize('NFC')
    .replace(/\p{Default_Ignorable_Code_Point}/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

const shown = (ch: string): string => {
  const cp = ch.codePointAt(0)!;
  return cp < 0x80 ? `'${ch}'` : `'${ch}' (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`;
};

/**
 * Which characters make `name` look like `other`, in words ("'ο' (U+03BF) and 'o' look alike"): the
 * first one in either that Unicode reads as something else and the other does not hold, or null when
 * they differ only in case or compatibility form.
 */
export function lookalikeDetail(name: string, other: string): string | null {
  const a = drawn(name).normalize('NFD');
  const b = drawn(other).normalize('NFD');
  for (const [text, against] of [
    [a, b],
    [b, a],
  ] as const) {
    const held = new Set(against);
    for (const ch of text) {
      const as = READS_AS.get(ch);
      if (as !== undefined && as !== ch && !held.has(ch)) return `${shown(ch)} and '${as}' look alike`;
    }
  }
  for (const [text, against] of [
    [name, other],
    [other, name],
  ] as const) {
    const blank = BLANK.exec(text)?.[0];
    if (blank && !against.includes(blank)) return `${shown(blank)} is drawn as a blank, as a space is`;
  }
  return null;
}

export type NameClash<T> = { other: T; same: boolean; detail: string | null };

/**
 * The first of `others` whose name reads as `name`, case aside: one under the same name (`same`:
 * `nameKey` alike: case, spacing, invisible characters and compatibility forms aside) before one that
 * only looks like it (`detail` says which characters look alike), or null when none does.
 */
export function nameClash<T extends { name: string }>(name: string, others: readonly T[]): NameClash<T> | null {
  return clashesWith(others)(name);
}

/**
 * `nameClash` against one list for many names: the others' keys and skeletons are taken once (a
 * newcomer's sign-in tries `ada`, `ada-2`, `ada-3`… against everyone on record).
 */
export function clashesWith<T extends { name: string }>(others: readonly T[]): (name: string) => NameClash<T> | null {
  const keyed = others.map((o) => ({ other: o, key: nameKey(o.name), skeletons: lookalikeKeys(o.name) }));
  return (name) => {
    const key = nameKey(name);
    const same = keyed.find((o) => o.key === key);
    if (same) return { other: same.other, same: true, detail: null };
    const keys = lookalikeKeys(name);
    const like = keyed.find((o) => looksAlike(keys, o.skeletons));
    return like ? { other: like.other, same: false, detail: lookalikeDetail(name, like.other.name) } : null;
  };
}

/** " ('ο' (U+03BF) and 'o' look alike)", or nothing when no character tells: for a rule's wording. */
export const alikeBecause = (clash: { detail: string | null }): string => (clash.detail ? ` (${clash.detail})` : '');
