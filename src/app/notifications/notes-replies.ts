// A reply by mail to a meeting that has started (its notes mail, or a late reply to its agenda mail).
// The hub has no comment thread on meeting notes, and the agenda is closed, so written input is no
// longer possible. What the person has to say is almost always about one of the things discussed:
// an agenda item that links to a proposal (or to a decision about one) has a thread, so the reply
// goes there, with a first line saying which meeting it answers. A reply that names no such item
// is refused with where to go instead: the item to name, or the note-takers for a correction.
import { Forbidden } from '../../domain/errors.ts';
import type { MeetingsTable } from '../../store/schema.ts';
import type { Tx } from '../core/hub.ts';
import { meetingRef } from '../meetings/meetings.ts';

/** "Item 2:", "#2 -", "2." at the start of the reply: the agenda item it is about. */
const NAMED_ITEM = /^\s*(?:item\s*)?#?(\d{1,4})\s*[:.)-]\s*/i;

export function namedItem(body: string): { item: number; rest: string } | null {
  const named = NAMED_ITEM.exec(body);
  return named ? { item: Number(named[1]), rest: body.slice(named[0].length) } : null;
}

/** A meeting whose agenda has closed (started, not cancelled) takes replies on its notes, not written input. */
export function agendaClosed(m: MeetingsTable, now: string): boolean {
  return m.cancelled_at === null && now >= m.starts_at;
}

type Item = { position: number; title: string; link_type: string | null; link_ref: string | null };

/** The proposal an agenda item's link leads to: itself, or the one a decision decides. */
async function proposalOf(db: Tx, item: Item): Promise<string | null> {
  if (item.link_type === 'proposal') return item.link_ref;
  if (item.link_type !== 'decision' || !item.link_ref) return null;
  const n = Number(/^D-(\d+)$/.exec(item.link_ref)?.[1]);
  const d = await db
    .selectFrom('decisions')
    .select(['subject_type', 'subject_ref'])
    .where('number', '=', n)
    .executeTakeFirst();
  return d?.subject_type === 'proposal' ? d.subject_ref : null;
}

/**
 * Where a reply to this meeting's notes goes: the proposal of the item its first line names, with
 * the body prefixed by what it answers. Refuses, saying where to reply instead, when it cannot.
 */
export async function notesReplyTarget(
  db: Tx,
  m: MeetingsTable,
  body: string,
): Promise<{ proposal: string; body: string }> {
  const ref = meetingRef(m);
  const items: Item[] = (
    await db
      .selectFrom('meeting_agenda_items')
      .select(['position', 'title', 'link_type', 'link_ref'])
      .where('meeting_id', '=', m.id)
      .orderBy('position')
      .execute()
  ).map((i) => ({ ...i, position: Number(i.position) }));
  const withProposal: { item: Item; proposal: string }[] = [];
  for (const item of items) {
    const proposal = await proposalOf(db, item);
    if (proposal) withProposal.push({ item, proposal });
  }
  const correction = `to correct the notes themselves, ask the meeting's facilitators or note-taker, who revise them on the hub (${ref})`;
  const choices = withProposal.map((w) => `"Item ${w.item.position}:" for ${w.proposal}`).join(', ');
  const instead = withProposal.length
    ? `start your reply with the item it is about (${choices}); ${correction}`
    : `none of its agenda items links to a proposal, so a reply has no thread to go to; ${correction}`;
  const named = namedItem(body);
  if (!named)
    throw new Forbidden(
      `${ref} has started and meeting notes take no comments; a reply goes to the proposal an agenda item links to: ${instead}`,
    );
  const item = items.find((i) => i.position === named.item);
  const target = withProposal.find((w) => w.item.position === named.item);
  if (!item || !target)
    throw new Forbidden(
      `${item ? `item ${named.item} of ${ref} links to no proposal` : `${ref} has no agenda item ${named.item}`}; ${instead}`,
    );
  return {
    proposal: target.proposal,
    body: `On the notes of ${ref}, item ${item.position} (${item.title}):\n\n${named.rest}`,
  };
}
