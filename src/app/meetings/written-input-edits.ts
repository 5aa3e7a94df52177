// Written input changed or withdrawn by its sender before the meeting: a typo fixed or a mind
// changed should not stay on the agenda for everyone. Who may, and until when, is the written
// input's policy (domain/policies/meeting.ts: its sender, until the meeting starts or the input is
// marked); an edit carries the version it read, so an older read never overwrites a newer text.
import { NotFound } from '../../domain/errors.ts';
import type { MeetingsTable } from '../../store/schema.ts';
import { authorizeAsPerson } from '../core/gate.ts';
import {
  assertVersion,
  inTransaction,
  nowIso,
  record,
  requireVersion,
  type Actor,
  type Hub,
  type Tx,
} from '../core/hub.ts';
import { parseInput } from '../core/validate.ts';
import { reviseWrittenInputNotices } from '../notifications/written-input-notices.ts';
import {
  meetingCan,
  meetingRef,
  meetingRowAt,
  meetingView,
  type MeetingView,
  type WrittenInputView,
} from './meetings.ts';
import { EditWrittenInputInput, WrittenInputId } from './schemas.ts';
import { z } from 'zod';

/** The input, its item's position and the gate's answer for this actor; a missing one is a 404 naming it. */
async function inputOf(trx: Tx, hub: Hub, actor: Actor, m: MeetingsTable, key: string) {
  // checked as an agenda item's key is: bounded, no control characters (PostgreSQL refuses a NUL unnamed)
  const { input: inputId } = parseInput(z.object({ input: WrittenInputId }), { input: key });
  const w = await trx
    .selectFrom('meeting_written_inputs as w')
    .innerJoin('meeting_agenda_items as i', 'i.id', 'w.item_id')
    .selectAll('w')
    .select('i.position')
    .where('w.meeting_id', '=', m.id)
    .where('w.id', '=', inputId)
    .executeTakeFirst();
  if (!w) throw new NotFound(`written input on ${meetingRef(m)}`, inputId);
  const can = (await meetingCan(trx, hub, actor, m)).writtenInput.get(w.id)!;
  return { w, can };
}

/** Its sender changes its text, from the version they read (a stale one is a 409 with the text as it is now). */
export async function editWrittenInput(
  hub: Hub,
  actor: Actor,
  ref: string,
  inputId: string,
  expectedVersion: number | undefined,
  raw: unknown,
): Promise<MeetingView> {
  return inTransaction(hub, async (trx) => {
    // held as every change to the agenda holds it, so the meeting cannot start being marked meanwhile
    const m = await meetingRowAt(trx, hub, ref, actor, { lock: hub });
    const { w, can } = await inputOf(trx, hub, actor, m, inputId);
    const me = authorizeAsPerson(can, 'edit', actor);
    const what = `your written input ${w.id} on ${meetingRef(m)}`;
    const expected = requireVersion(expectedVersion, what);
    const input = parseInput(EditWrittenInputInput, raw);
    const current = { id: w.id, body: w.body, version: w.version, editedAt: w.edited_at };
    assertVersion(w.version, expected, what, current);
    // the form saved as it was shown: nothing to mark edited, nobody to tell again
    if (input.body === w.body) return meetingView(trx, hub, m, actor);
    const now = nowIso(hub);
    const res = await trx
      .updateTable('meeting_written_inputs')
      .set({ body: input.body, version: expected + 1, edited_at: now })
      .where('id', '=', w.id)
      .where('version', '=', expected)
      .executeTakeFirst();
    // another edit of the same read won on PostgreSQL: said as a conflict, never overwritten
    if (Number(res.numUpdatedRows) !== 1) assertVersion(w.version + 1, expected, what, null);
    await reviseWrittenInputNotices(trx, meetingRef(m), w.body, { body: input.body });
    await record(
      trx,
      hub,
      actor,
      'meeting.written-input-edited',
      { type: 'meeting', id: meetingRef(m) },
      { version: w.version },
      {
        id: w.id,
        item: w.position,
        author: me.person.handle,
        version: expected + 1,
      },
    );
    return meetingView(trx, hub, m, actor);
  });
}

/**
 * Its sender takes it back: it leaves the agenda and the notes template, and the facilitators told
 * of it are told it was withdrawn. The version is optional (only its sender can change it, so a
 * withdrawal overwrites nobody's words); given, an older one is refused.
 */
export async function withdrawWrittenInput(
  hub: Hub,
  actor: Actor,
  ref: string,
  inputId: string,
  expectedVersion?: number,
): Promise<MeetingView> {
  return inTransaction(hub, async (trx) => {
    const m = await meetingRowAt(trx, hub, ref, actor, { lock: hub });
    const { w, can } = await inputOf(trx, hub, actor, m, inputId);
    const me = authorizeAsPerson(can, 'withdraw', actor);
    const what = `your written input ${w.id} on ${meetingRef(m)}`;
    const current = { id: w.id, body: w.body, version: w.version, editedAt: w.edited_at };
    if (expectedVersion !== undefined) assertVersion(w.version, expectedVersion, what, current);
    await trx.deleteFrom('meeting_written_inputs').where('id', '=', w.id).execute();
    await reviseWrittenInputNotices(trx, meetingRef(m), w.body, 'withdrawn');
    // the log keeps that it was sent and withdrawn, not its words: the sender took them back
    await record(
      trx,
      hub,
      actor,
      'meeting.written-input-withdrawn',
      { type: 'meeting', id: meetingRef(m) },
      { version: w.version },
      {
        id: w.id,
        item: w.position,
        author: me.person.handle,
      },
    );
    return meetingView(trx, hub, m, actor);
  });
}

/** One written input as a meeting's view shows it, with its meeting and item: what REST answers for it (its ETag its own version). */
export type WrittenInputRecord = WrittenInputView & { meeting: string; item: number };

export function writtenInputIn(view: MeetingView, inputId: string): WrittenInputRecord {
  for (const i of view.agenda.items)
    for (const w of i.writtenInput) if (w.id === inputId) return { ...w, meeting: view.ref, item: i.position };
  throw new NotFound(`written input on ${view.ref}`, inputId);
}
