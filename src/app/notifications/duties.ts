// Reminders of what someone owes after a meeting, run by a timer: notes overdue (the guide asks
// for notes within notesHours of the meeting's end) tell its note-taker (its organiser when it names
// none) and the group's leads; an
// action item due today or earlier and not done tells its owner. Each is told once per meeting or
// action (a row already written for it is the record), so the timer can run as often as it likes.
import type { NotificationKind } from '../../domain/notifications/kinds.ts';
import { firstCharacters } from '../../domain/text.ts';
import { type Hub, inTransaction } from '../core/hub.ts';
import { type NotifyOptions, writeNotices } from './notify.ts';
import type { Notice } from './recipients.ts';

const DAY = 86_400_000;

async function alreadyTold(hub: Hub, kind: NotificationKind, ref: string, title: string): Promise<Set<string>> {
  const rows = await hub.store.db
    .selectFrom('notifications')
    .select('person_id')
    .where('kind', '=', kind)
    .where('subject_type', '=', 'meeting')
    .where('subject_ref', '=', ref)
    .where('title', '=', title)
    .execute();
  return new Set(rows.map((r) => r.person_id));
}

/** Tells whoever owes notes or an action item; returns how many people were told. */
export async function remindMeetingDuties(hub: Hub, opts: NotifyOptions): Promise<number> {
  const rules = hub.governance.notifications.kinds;
  const now = hub.clock.now();
  const notesMs = hub.governance.meetings.notesHours * 3_600_000;
  const db = hub.store.db;
  const batches: Notice[][] = [];
  if (rules['notes-overdue'].enabled) {
    const meetings = await db
      .selectFrom('meetings as m')
      .innerJoin('groups as g', 'g.id', 'm.group_id')
      .select([
        'm.number',
        'm.title',
        'm.starts_at',
        'm.duration_minutes',
        'm.organiser_id',
        'm.note_taker_id',
        'm.group_id',
        'g.slug',
      ])
      .where('m.rrule', 'is', null)
      .where('m.cancelled_at', 'is', null)
      .where('m.notes_published_at', 'is', null)
      .where('m.starts_at', '>=', new Date(now.getTime() - 30 * DAY).toISOString())
      .where('m.starts_at', '<=', now.toISOString())
      .execute();
    for (const m of meetings) {
      const due = new Date(m.starts_at).getTime() + m.duration_minutes * 60_000 + notesMs;
      if (due > now.getTime()) continue;
      const ref = `M-${m.number}`;
      const title = `${ref} notes are overdue: ${m.title}`;
      const leads = await db
        .selectFrom('group_members')
        .select('person_id')
        .where('group_id', '=', m.group_id)
        .where('level', '=', 'lead')
        .execute();
      const told = await alreadyTold(hub, 'notes-overdue', ref, title);
      const people = [
        ...(m.note_taker_id
          ? [{ id: m.note_taker_id, reason: 'note-taker' }]
          : m.organiser_id
            ? [{ id: m.organiser_id, reason: 'organiser' }]
            : []),
        ...leads.map((l) => ({ id: l.person_id, reason: 'lead' })),
      ].filter((p, i, all) => !told.has(p.id) && all.findIndex((q) => q.id === p.id) === i);
      if (people.length)
        batches.push(
          people.map((p) => ({
            personId: p.id,
            kind: 'notes-overdue',
            reason: p.reason,
            subject: { type: 'meeting', ref },
            groupSlug: m.slug,
            title,
          })),
        );
    }
  }
  if (rules['action-due'].enabled) {
    const actions = await db
      .selectFrom('meeting_actions as a')
      .innerJoin('meetings as m', 'm.id', 'a.meeting_id')
      .innerJoin('groups as g', 'g.id', 'm.group_id')
      .select(['a.owner_id', 'a.description', 'a.due_date', 'm.number', 'g.slug'])
      .where('a.done_at', 'is', null)
      .where('a.due_date', '<=', now.toISOString().slice(0, 10))
      .execute();
    for (const a of actions) {
      const ref = `M-${a.number}`;
      const title = `Your action from ${ref} is due ${a.due_date}: ${firstCharacters(a.description, 200)}`;
      // told since it fell due (several actions of one meeting due together fold into one row)
      const told = await db
        .selectFrom('notifications')
        .select('id')
        .where('person_id', '=', a.owner_id)
        .where('kind', '=', 'action-due')
        .where('subject_ref', '=', ref)
        .where('created_at', '>=', `${a.due_date}T00:00:00.000Z`)
        .executeTakeFirst();
      if (told) continue;
      batches.push([
        {
          personId: a.owner_id,
          kind: 'action-due',
          reason: 'owner',
          subject: { type: 'meeting', ref },
          groupSlug: a.slug,
          title,
        },
      ]);
    }
  }
  for (const notices of batches) await inTransaction(hub, (trx) => writeNotices(trx, hub, 0, notices, opts));
  return batches.reduce((n, b) => n + b.length, 0);
}
