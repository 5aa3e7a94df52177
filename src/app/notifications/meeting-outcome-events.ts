// Notices of what a meeting's outcome asks of, or says to, one person: an action item given to
// someone (before, its owner heard nothing until it fell due), and whether the written input someone
// sent from afar was presented. Both name the person, so a muted meeting or group does not silence
// them, and whoever did it to themselves is not told (noticesFor leaves the actor out). Kept apart
// from recipients.ts, as people-events.ts is, so each kind's words read on their own.
import { nameWithHandle } from '../../domain/people.ts';
import type { NotificationKind } from '../../domain/notifications/kinds.ts';
import { quotedLine } from '../../domain/text.ts';
import type { RecordedEvent, Tx } from '../core/hub.ts';

type Candidate = { personId: string; kind: NotificationKind; reason: string; direct: boolean };
export type MeetingOutcomePlan = {
  title: string;
  groupId: string;
  topicId: string | null;
  candidates: Candidate[];
  general: null;
  detail?: string;
} | null;

/** Who did it, by name with the handle beside it, as the start of a sentence. */
function byWhom(e: RecordedEvent): string {
  if (e.actor.kind !== 'person') return "The hub's operator";
  return nameWithHandle(e.actor.person.handle, e.actor.person.name);
}

async function meetingOf(trx: Tx, ref: string) {
  const n = Number(/^M-(\d+)$/.exec(ref)?.[1]);
  return trx
    .selectFrom('meetings as m')
    .innerJoin('groups as g', 'g.id', 'm.group_id')
    .select(['m.id', 'm.title', 'm.group_id', 'm.topic_area_id', 'g.name as group'])
    .where('m.number', '=', n)
    .executeTakeFirst();
}

export async function meetingOutcomePlan(trx: Tx, e: RecordedEvent, ref: string): Promise<MeetingOutcomePlan> {
  const after = e.after ?? {};
  if (typeof after.id !== 'string') return null;
  const m = await meetingOf(trx, ref);
  if (!m) return null;
  // which meeting, and which group's, in the words its page uses
  const where = `${ref} (${m.title}, ${m.group})`;
  if (e.kind === 'meeting.action-added') {
    const a = await trx
      .selectFrom('meeting_actions')
      .select(['owner_id', 'description', 'due_date'])
      .where('id', '=', after.id)
      .executeTakeFirst();
    if (!a) return null;
    return {
      title: `${byWhom(e)} gave you an action item from ${where}: ${quotedLine(a.description, 200)}`,
      groupId: m.group_id,
      topicId: m.topic_area_id,
      general: null,
      // a due date is a day, not an instant: said as recorded, as the action-due reminder says it
      detail: `Due ${a.due_date}; mark it done from your home page, or the meeting’s, once it is`,
      candidates: [{ personId: a.owner_id, kind: 'action-assigned', reason: 'owner', direct: true }],
    };
  }
  // meeting.written-input-marked: its sender, who could not be there, learns what became of it
  const w = await trx
    .selectFrom('meeting_written_inputs as w')
    .innerJoin('meeting_agenda_items as i', 'i.id', 'w.item_id')
    .select(['w.author_id', 'w.presented', 'w.presented_note', 'i.position', 'i.title'])
    .where('w.id', '=', after.id)
    .executeTakeFirst();
  if (!w || w.presented === null) return null;
  const presented = Number(w.presented) === 1;
  // marked again as it was, with the same words: nothing new to tell
  const before = e.before ?? {};
  const was = before.presented === null || before.presented === undefined ? null : Number(before.presented);
  if (was === Number(w.presented) && (before.note ?? null) === w.presented_note) return null;
  const note = w.presented_note ? `“${quotedLine(w.presented_note)}”` : '';
  return {
    title: `${byWhom(e)} marked your written input ${presented ? 'presented' : 'not presented'} at ${where}, item ${w.position}: ${w.title}`,
    groupId: m.group_id,
    topicId: m.topic_area_id,
    general: null,
    ...(note ? { detail: presented ? `Their note: ${note}` : `Why: ${note}` } : {}),
    candidates: [{ personId: w.author_id, kind: 'written-input-outcome', reason: 'input-author', direct: true }],
  };
}
