// A draft that is an existing item: its heading names it ("SEP-1686: Tasks"), its title is that
// item's title, or its text opens as that item's text does. Someone checking a SEP they pasted in,
// or writing a proposal that already exists, is told so first; and that item's prior work is then
// found as the hub finds it for the item itself, from its whole text, what it cites and who wrote
// it (bench/prior-work-quality.ts measures both ways of asking).
import { sql } from 'kysely';
import type { PriorWorkMatch } from '../../domain/proposals/prior-work.ts';
import { indexedBodies, searchIndex } from '../../search/engine.ts';
import type { Hub } from '../core/hub.ts';
import { reportedRef } from './reported-ref.ts';

/** Lower case, words only: how a title or an opening is compared. */
export function comparable(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** "SEP-1686: Tasks", "# SEP-1686 — Tasks", "P-12: …": the item a heading names, and the title after it. */
const HEADING = /^\s*#*\s*(SEP|P)-?\s*(\d{1,9})\b\s*[:.–—-]?\s*/i;

/**
 * Words both engines read alike, to look the item up by: a word with a slash, dot or hyphen inside
 * (`roots/list`, `2.0`, `2025-06-18`) is one token to PostgreSQL and several to SQLite, so only
 * words of letters and digits alone are asked for (the comparison decides, not the look-up).
 */
function plainWords(text: string, n: number): string {
  return (
    text
      .split(/\s+/)
      // a word of letters and digits alone, once the marks around it are set aside: one pass (trimming its
      // end by a pattern tried at each mark took the square of a 50,000-character word of dashes: seconds)
      .map((w) => /^[^\p{L}\p{N}]*([\p{L}\p{N}]+)[^\p{L}\p{N}]*$/u.exec(w)?.[1])
      .filter((w) => w !== undefined)
      .slice(0, n)
      .join(' ')
  );
}

// the draft's opening must be this long (compared words only) to say it is an item's text: a
// sentence or two, longer than any boilerplate line two documents share
const OPENING_CHARS = 160;
const LOOKED_AT = 8;

type Row = { id: string; ref: string; kind: string; title: string };

/** The item, and its own title (a heading's "SEP-1686: Tasks" asks as "Tasks", as the item itself would). */
export type SameItem = { ref: string; title: string; match: PriorWorkMatch };

const REASONS = {
  heading: 'this draft’s heading names it: the draft may be this item',
  title: 'has this draft’s title: the draft may be this item',
  opening: 'its text opens as this draft does: the draft may be this item',
};

/** The indexed item this draft is, if its heading, its title or its opening says so; comments never are. */
export async function sameItem(hub: Hub, typed: { title: string; text: string }): Promise<SameItem | null> {
  // read as the index holds text (NFC): a title typed with an accent apart is the same title
  const draft = { title: typed.title.normalize('NFC'), text: typed.text.normalize('NFC') };
  const db = hub.store.db;
  const heading = HEADING.exec(draft.title);
  const title = (heading ? draft.title.slice(heading[0].length) : draft.title).trim().replace(/[\s.!?:;,]+$/, '');
  // quoted lines are someone else's words, not the draft's own: its opening is what it says itself
  const own = draft.text
    .split('\n')
    .filter((l) => !/^\s*>/.test(l))
    .join('\n');
  const opening = comparable(own).slice(0, OPENING_CHARS);
  const long = opening.length >= OPENING_CHARS;
  const opens = async (among: Row[]) => {
    if (!long || !among.length) return undefined;
    const bodies = await indexedBodies(
      hub.store,
      among.map((h) => h.id),
    );
    return among.find((h) => comparable(bodies.get(h.id)?.body ?? '').includes(opening));
  };
  const columns = ['id', 'ref', 'kind', 'title'] as const;
  let found: Row | undefined;
  let reason: keyof typeof REASONS = 'title';
  if (heading) {
    // the number decides: a heading naming a SEP the hub does not have is no other SEP of that title
    const ref = `${heading[1]!.toUpperCase()}-${Number(heading[2])}`;
    found = await db
      .selectFrom('search_documents')
      .select(columns)
      .where('ref', '=', ref)
      .where('kind', 'in', ['sep', 'proposal'])
      .executeTakeFirst();
    reason = 'heading';
  } else if (title) {
    // an exact title, case aside (an index on lower(title)); of two items of one title (a policy
    // and the docs page repeating it), the one the text is from
    const titled = await db
      .selectFrom('search_documents')
      .select(columns)
      .where(sql`lower(title)`, '=', sql`lower(${title})`)
      .where('kind', '!=', 'comment')
      .orderBy('id')
      .limit(LOOKED_AT)
      .execute();
    found = titled.length > 1 ? ((await opens(titled)) ?? titled[0]) : titled[0];
    if (!found && long) {
      found = await opens(
        (await searchIndex(hub.store, plainWords(own, 12), {}, LOOKED_AT, 0, 'all', false)).filter(
          (h) => h.kind !== 'comment',
        ),
      );
      reason = 'opening';
    }
  }
  if (!found) return null;
  return {
    ref: found.ref,
    title: reason === 'opening' ? draft.title : found.title,
    match: {
      ref: reportedRef(found),
      kind: found.kind,
      title: found.title,
      score: 1,
      reasons: [REASONS[reason]],
    },
  };
}
