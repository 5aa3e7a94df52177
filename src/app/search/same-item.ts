// A draft that is an existing item: its title is that item's title (with or without the "SEP-1686:"
// a heading carries), or its text opens as that item's text does. Someone checking a SEP they
// pasted in, or writing a proposal that already exists, is told so first; and that item's prior
// work is then found as the hub finds it for the item itself, from its whole text, what it cites
// and who wrote it (bench/prior-work-quality.ts measures both ways of asking).
import type { PriorWorkMatch } from '../../domain/proposals/prior-work.ts';
import { indexedBodies, searchIndex } from '../../search/engine.ts';
import type { Hub } from '../core/hub.ts';

/** Lower case, words only, without a leading "SEP-1686" or "P-12" (a SEP's heading names its number). */
export function comparable(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/^(sep|p) \d+ /, '');
}

// the draft's opening must be this long (compared words only) to say it is an item's text: a
// sentence or two, longer than any boilerplate line two documents share
const OPENING_CHARS = 160;
const LOOKED_AT = 8;

/** The item, and its own title (a heading's "SEP-1686: Tasks" asks as "Tasks", as the item itself would). */
export type SameItem = { ref: string; title: string; match: PriorWorkMatch };

/** The indexed item this draft is, if its title or its opening is that item's; comments never are. */
export async function sameItem(hub: Hub, draft: { title: string; text: string }): Promise<SameItem | null> {
  const title = comparable(draft.title);
  const opening = comparable(draft.text).slice(0, OPENING_CHARS);
  const asked = new Map<string, Awaited<ReturnType<typeof searchIndex>>[number]>();
  const look = async (words: string) => {
    if (!words) return;
    for (const h of await searchIndex(hub.store, words, {}, LOOKED_AT, 0, 'all', false))
      if (h.kind !== 'comment' && !asked.has(h.id)) asked.set(h.id, h);
  };
  await look(title);
  if (opening.length >= OPENING_CHARS) await look(opening.split(' ').slice(0, 12).join(' '));
  const hits = [...asked.values()];
  const byTitle = title ? hits.find((h) => comparable(h.title) === title) : undefined;
  let found = byTitle;
  let reason = 'has this draft’s title: the draft may be this item';
  if (!found && opening.length >= OPENING_CHARS) {
    const bodies = await indexedBodies(
      hub.store,
      hits.map((h) => h.id),
    );
    found = hits.find((h) => comparable(bodies.get(h.id)?.body ?? '').includes(opening));
    reason = 'its text opens as this draft does: the draft may be this item';
  }
  if (!found) return null;
  return {
    ref: found.ref,
    title: found === byTitle ? found.title : draft.title,
    match: {
      ref: found.kind === 'proposal' ? `proposal:${found.ref}` : found.ref,
      kind: found.kind,
      title: found.title,
      score: 1,
      reasons: [reason],
    },
  };
}
