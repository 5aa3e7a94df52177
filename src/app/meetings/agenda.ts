// Agendas: facilitators and leads publish them, participants add items (linked to what they are
// about), and people who cannot attend send written input that the meeting then presents.
import { alreadyAsAsked, invalid, NotFound } from '../../domain/errors.ts';
import { shownRef } from '../../domain/governance/words.ts';
import { itemKind } from '../../domain/meetings/agenda-kind.ts';
import type { MeetingsTable } from '../../store/schema.ts';
import { decisionRow } from '../decisions/decisions.ts';
import { touchMembership } from '../groups/groups.ts';
import {
  assertVersion,
  inTransaction,
  nowIso,
  record,
  requireVersion,
  writeOrConflict,
  type Actor,
  type Hub,
  type Tx,
} from '../core/hub.ts';
import {
  AgendaItemInput,
  AgendaItemKeyInput,
  AgendaItemKindInput,
  MAX_AGENDA_POSITION,
  MoveAgendaItemInput,
  PresentedInput,
  WrittenInputInput,
} from './schemas.ts';
import { holdGroupOfMeeting, meetingCan, meetingRef, meetingRowAt, meetingView, type MeetingView } from './meetings.ts';
import { authorize, authorizeAsPerson } from '../core/gate.ts';
import { personRow } from '../people/people.ts';
import { proposalRow, refOf } from '../proposals/proposals.ts';
import { InputCheck, parseInput } from '../core/validate.ts';
import { toldBy } from '../notifications/notify.ts';

/** Checks a link names something that exists, and returns it in its canonical form. */
async function canonicalLink(
  trx: Tx,
  hub: Hub,
  link: { type: 'proposal' | 'decision' | 'artifact'; ref: string },
): Promise<string> {
  const missing = () =>
    invalid(
      'link.ref',
      link.type === 'artifact'
        ? // anything not shaped like P-12, SEP-2575 or D-3 is read as a document's path: say what would be found
          `nothing here is called '${link.ref}': name a proposal (P-12, SEP-2575), a decision (D-3) or a document by its path`
        : `no ${link.type} '${link.ref}'`,
    );
  if (link.type === 'proposal')
    return refOf(
      await proposalRow(trx, link.ref, hub.governance).catch(() => {
        throw missing();
      }),
    );
  if (link.type === 'decision')
    return `D-${
      (
        await decisionRow(trx, link.ref).catch(() => {
          throw missing();
        })
      ).number
    }`;
  const a = await trx
    .selectFrom('artifacts')
    .select('path')
    .where('path', '=', link.ref.replace(/^artifact:/, ''))
    .executeTakeFirst();
  if (!a) throw missing();
  return a.path;
}

/**
 * Every change to the agenda (an item added, removed or moved) is a change to the meeting: it moves
 * the meeting's version, so a page or client that read the agenda before it is refused (409) rather
 * than reorder or remove by positions that have shifted. The row is held for the transaction.
 */
async function agendaChanged(trx: Tx, hub: Hub, m: MeetingsTable): Promise<MeetingsTable> {
  const now = nowIso(hub);
  await trx
    .updateTable('meetings')
    .set({ version: m.version + 1, updated_at: now })
    .where('id', '=', m.id)
    .execute();
  return { ...m, version: m.version + 1, updated_at: now };
}

/**
 * Since `since` (its agenda's publishing): how many items were removed from meeting `ref`'s agenda,
 * how many moves were made on it and how many items' kinds were changed, read from its events. The group is told of neither until the
 * agenda is published again; the page said "Nothing was added since it was published" after them.
 */
export async function agendaChangesSince(
  hub: Hub,
  ref: string,
  since: string,
): Promise<{ removed: number; moved: number; kindChanged: number }> {
  const rows = await hub.store.db
    .selectFrom('events')
    .select((eb) => ['kind', eb.fn.countAll<number | string>().as('n')])
    .where('subject_type', '=', 'meeting')
    .where('subject_id', '=', ref)
    .where('kind', 'in', [
      'meeting.agenda-item-removed',
      'meeting.agenda-reordered',
      'meeting.agenda-item-kind-changed',
    ])
    .where('at', '>', since)
    .groupBy('kind')
    .execute();
  const n = (kind: string) => Number(rows.find((r) => r.kind === kind)?.n ?? 0);
  return {
    removed: n('meeting.agenda-item-removed'),
    moved: n('meeting.agenda-reordered'),
    kindChanged: n('meeting.agenda-item-kind-changed'),
  };
}

/** "Participants may add agenda items". An item of the other kind (a deep-dive in a process meeting) is kept, with the guide's warning. */
export async function addAgendaItem(
  hub: Hub,
  actor: Actor,
  ref: string,
  raw: unknown,
  /** The meeting's version as read: optional, as an item added at the end moves no other (checked when given). */
  expectedVersion?: number,
): Promise<MeetingView> {
  const check = new InputCheck(AgendaItemInput, raw);
  return inTransaction(hub, async (trx) => {
    // the group before the meeting: the item marks its adder active in the group (their member's row)
    await holdGroupOfMeeting(trx, hub, ref, actor);
    const m = await meetingRowAt(trx, hub, ref, actor, { lock: hub });
    const me = authorizeAsPerson((await meetingCan(trx, hub, actor, m)).meeting, 'addAgendaItem', actor);
    if (expectedVersion !== undefined)
      assertVersion(m.version, expectedVersion, `the agenda of ${meetingRef(m)}`, await meetingView(trx, hub, m));
    const now = nowIso(hub);
    const asked = check.fields.link;
    const linked = asked && check.ok('link') ? await check.attempt(() => canonicalLink(trx, hub, asked)) : undefined;
    const input = check.done();
    const link = input.link && linked ? { type: input.link.type, ref: linked } : null;
    // one item per thing linked: the same decision or proposal added again (two leads clicking "Add D-1",
    // a REST or MCP call retried) is already as asked, naming the item it is; the meeting's row is held
    // above, so two adds at once make one item
    if (link) {
      const twin = await trx
        .selectFrom('meeting_agenda_items as i')
        .innerJoin('people as p', 'p.id', 'i.added_by')
        .select(['i.id', 'i.position', 'i.title', 'i.added_at', 'p.handle'])
        .where('i.meeting_id', '=', m.id)
        .where('i.link_type', '=', link.type)
        .where('i.link_ref', '=', link.ref)
        .executeTakeFirst();
      if (twin)
        throw alreadyAsAsked(
          `${shownRef(hub.governance, link.ref)} is already on the agenda of ${meetingRef(m)}: item ${twin.position}, "${twin.title}", added by @${twin.handle} at ${twin.added_at}`,
          { field: 'link', item: twin.id },
        );
    }
    const last = await trx
      .selectFrom('meeting_agenda_items')
      .select((eb) => eb.fn.max('position').as('p'))
      .where('meeting_id', '=', m.id)
      .executeTakeFirst();
    const kind = itemKind(input.kind, `${input.title}\n${input.description}`, m.kind);
    const id = hub.newId();
    const position = Number(last?.p ?? 0) + 1;
    await trx
      .insertInto('meeting_agenda_items')
      .values({
        id,
        meeting_id: m.id,
        position,
        title: input.title,
        description: input.description,
        kind,
        link_type: link?.type ?? null,
        link_ref: link?.ref ?? null,
        added_by: me.person.id,
        added_at: now,
      })
      .execute();
    await touchMembership(trx, hub, m.group_id, me.person.id);
    await record(trx, hub, actor, 'meeting.agenda-item-added', { type: 'meeting', id: meetingRef(m) }, null, {
      id,
      position,
      title: input.title,
      kind,
      declaredKind: input.kind ?? null,
      link,
    });
    return meetingView(trx, hub, await agendaChanged(trx, hub, m), actor);
  });
}

/**
 * Facilitators and leads publish the agenda ("agendas published in advance"); publishing again records the
 * time again. With the meeting's version as read (optional), an agenda changed since is shown, not published
 * unseen.
 */
/** Who publishing told: how many people the notices written reach, or that a big group is told in batches. */
export type AgendaTold = { people: number; inBatches: boolean; message: string };

export async function publishAgenda(
  hub: Hub,
  actor: Actor,
  ref: string,
  expectedVersion?: number,
): Promise<MeetingView & { told: AgendaTold }> {
  return inTransaction(hub, async (trx) => {
    // held as every agenda change holds it: from an unheld read, the version written (the one read
    // plus one) went back over an add made meanwhile on PostgreSQL (fuzz round 6)
    const m = await meetingRowAt(trx, hub, ref, actor, { lock: hub });
    authorize((await meetingCan(trx, hub, actor, m)).meeting, 'publishAgenda');
    if (expectedVersion !== undefined)
      assertVersion(m.version, expectedVersion, `the agenda of ${meetingRef(m)}`, await meetingView(trx, hub, m));
    const now = nowIso(hub);
    const items = await trx.selectFrom('meeting_agenda_items').select('id').where('meeting_id', '=', m.id).execute();
    await trx
      .updateTable('meetings')
      .set({ agenda_published_at: now, updated_at: now, version: m.version + 1 })
      .where('id', '=', m.id)
      .execute();
    const seq = await record(
      trx,
      hub,
      actor,
      'meeting.agenda-published',
      { type: 'meeting', id: meetingRef(m) },
      { publishedAt: m.agenda_published_at },
      { publishedAt: now, items: items.length },
    );
    // who was told, from the notices actually written: "The agenda is published." said neither who nor how many
    const told = await toldBy(trx, seq, { type: 'meeting', ref: meetingRef(m) });
    const view = await meetingView(trx, hub, await meetingRowAt(trx, hub, ref, actor), actor);
    return { ...view, told: { ...told, message: publishedWords(told) } };
  });
}

/** What publishing did, in words: the web's flash, and `told.message` over REST, MCP and the CLI. */
export function publishedWords(told: { people: number; inBatches: boolean }): string {
  if (told.inBatches) return "The agenda is published; the group's members and watchers are being told, in batches.";
  const n = told.people;
  return n === 0
    ? 'The agenda is published; nobody was told (no member or watcher is to hear of it).'
    : `The agenda is published; ${n} ${n === 1 ? 'member or watcher was' : 'members and watchers were'} told.`;
}

export async function agendaItemRow(trx: Tx, m: MeetingsTable, key: number | string, field = 'item') {
  const q = trx.selectFrom('meeting_agenda_items').selectAll().where('meeting_id', '=', m.id);
  const asNumber = typeof key === 'number' ? key : /^\d+$/.test(key) ? Number(key) : null;
  // a position past any agenda's length is no item: asked of the database, digits past its integer
  // column are a refusal that names no field (PostgreSQL), or become Infinity (past 308 digits)
  const row =
    asNumber !== null
      ? asNumber >= 1 && asNumber <= MAX_AGENDA_POSITION
        ? await q.where('position', '=', asNumber).executeTakeFirst()
        : undefined
      : await q.where('id', '=', String(key)).executeTakeFirst();
  if (!row) throw invalid(field, `${meetingRef(m)} has no agenda item ${asNumber !== null ? `#${key}` : `'${key}'`}`);
  return row;
}

/**
 * Written input from someone who cannot attend, on an agenda item, before the meeting. The
 * facilitators "commit to present written representations from those who cannot attend": it
 * shows on the agenda and in the notes template until someone marks it presented or not.
 */
export async function submitWrittenInput(hub: Hub, actor: Actor, ref: string, raw: unknown): Promise<WrittenInputSent> {
  return inTransaction(hub, (trx) => submitWrittenInputIn(trx, hub, actor, ref, raw));
}

/** The same inside the caller's transaction (a reply by mail claims its address in it too). */
export async function submitWrittenInputIn(
  trx: Tx,
  hub: Hub,
  actor: Actor,
  ref: string,
  raw: unknown,
): Promise<WrittenInputSent> {
  // held as every change to the agenda holds it: an item removed meanwhile is either seen gone (no
  // such item) or sees this input and stays; on PostgreSQL the two crossed as a foreign key error
  const m = await meetingRowAt(trx, hub, ref, actor, { lock: hub });
  // whether one may send at all, leaving out how many one has sent: an identical resend stores nothing,
  // so one at the limit is answered with the input stored (below) before the limit is asked
  const can = (await meetingCan(trx, hub, actor, m, { countInputs: false })).meeting;
  // one's own, or (with `for`) a sender's that came another way, entered by one who prepares the agenda
  // one who may do neither is refused whatever they sent (permission before input)
  if (!can.writtenInput.allowed && !can.recordWrittenInputFor.allowed) authorizeAsPerson(can, 'writtenInput', actor);
  const check = new InputCheck(WrittenInputInput, raw);
  const f = check.fields;
  // from what was sent, not only what passed the Handle rule: a mistyped `for` ("amara smith") is still
  // meant for another, so one who may record for others hears of it, not that they may not send their own
  const forOther =
    !check.ok('for') || (f.for !== undefined && (actor.kind !== 'person' || f.for !== actor.person.handle));
  const me = authorizeAsPerson(can, forOther ? 'recordWrittenInputFor' : 'writtenInput', actor);
  // the sender must be one who may send it themself (their level in the group, how many they sent)
  const sender =
    forOther && f.for && check.ok('for')
      ? await check.attempt(async () => {
          const person = await personRow(trx, f.for!).catch(() => {
            throw invalid('for', `no person '${f.for}' in this hub`);
          });
          const theirs = (await meetingCan(trx, hub, { kind: 'person', person }, m, { countInputs: false })).meeting
            .writtenInput;
          if (!theirs.allowed)
            throw invalid(
              'for',
              `${person.name} (@${person.handle}) may not send written input here: ${theirs.reason}`,
            );
          return person;
        })
      : me.person;
  const item =
    check.ok('item') && f.item !== undefined ? await check.attempt(() => agendaItemRow(trx, m, f.item!)) : undefined;
  const input = check.done();
  if (!item || !sender) throw check.failure();
  // the same text from the same sender on the same item is the same input, sent again (a double
  // click, a retry after a lost answer): answered with the one stored, no second copy, no second
  // notice. The meeting row is held (above), so two identical sends at once are serial: the second
  // finds the first.
  const same = await trx
    .selectFrom('meeting_written_inputs')
    .select('id')
    .where('meeting_id', '=', m.id)
    .where('item_id', '=', item.id)
    .where('author_id', '=', sender.id)
    .where('body', '=', input.body)
    .executeTakeFirst();
  if (same) return { ...(await meetingView(trx, hub, m, actor)), writtenInput: { id: same.id, alreadySent: true } };
  // a new input: now how many the sender sent counts (the limit per person per meeting)
  if (forOther) {
    const theirs = (await meetingCan(trx, hub, { kind: 'person', person: sender }, m)).meeting.writtenInput;
    if (!theirs.allowed)
      throw invalid('for', `${sender.name} (@${sender.handle}) may not send written input here: ${theirs.reason}`);
  } else authorizeAsPerson((await meetingCan(trx, hub, actor, m)).meeting, 'writtenInput', actor);
  const now = nowIso(hub);
  const id = hub.newId();
  await trx
    .insertInto('meeting_written_inputs')
    .values({
      id,
      meeting_id: m.id,
      item_id: item.id,
      author_id: sender.id,
      body: input.body,
      submitted_at: now,
      presented: null,
      presented_note: null,
      version: 1,
      edited_at: null,
      recorded_by: forOther ? me.person.id : null,
    })
    .execute();
  await record(trx, hub, actor, 'meeting.written-input', { type: 'meeting', id: meetingRef(m) }, null, {
    id,
    item: item.position,
    author: sender.handle,
    // the handle as the log shows it, and the id the recorder is found by if they change handle
    ...(forOther ? { recordedBy: me.person.handle, recordedById: me.person.id } : {}),
  });
  return { ...(await meetingView(trx, hub, m, actor)), writtenInput: { id, alreadySent: false } };
}

/**
 * Which written input a send stands for: its id, and whether it was already sent (the same text by the
 * same sender on the same item, answered with the one stored: REST 200 rather than 201, no notice).
 */
export type WrittenInputSent = MeetingView & { writtenInput: { id: string; alreadySent: boolean } };

/**
 * Marks written input as presented at the meeting, or not (with a note why). The mark moves the
 * input's version: two who record outcomes may mark the same input at once (one "presented", the
 * other "not presented: we ran out of time"), and with the version each read the second is refused
 * with the mark as it stands rather than overwriting it unseen.
 */
export async function markWrittenInput(
  hub: Hub,
  actor: Actor,
  ref: string,
  inputId: string,
  raw: unknown,
  /** The input's own version as read: checked when given. */
  expectedVersion?: number,
): Promise<MeetingView> {
  return inTransaction(hub, async (trx) => {
    // locked, so two marks at once are taken one after the other and the second sees the first's version
    const m = await meetingRowAt(trx, hub, ref, actor, { lock: hub });
    authorize((await meetingCan(trx, hub, actor, m)).meeting, 'markWrittenInput');
    const input = parseInput(PresentedInput, raw);
    const w = await trx
      .selectFrom('meeting_written_inputs')
      .selectAll()
      .where('meeting_id', '=', m.id)
      .where('id', '=', inputId)
      .executeTakeFirst();
    if (!w) throw new NotFound(`written input on ${meetingRef(m)}`, inputId);
    if (!input.presented && !input.note)
      throw invalid('note', 'say why the input was not presented, so its author knows');
    // marked as it already was: nothing to write, and nothing for the log
    if (w.presented === (input.presented ? 1 : 0) && w.presented_note === (input.note ?? null))
      return meetingView(trx, hub, m, actor);
    // after the repeat above: a mark sent again as it stands is done, whatever version was read
    if (expectedVersion !== undefined)
      assertVersion(w.version, expectedVersion, `written input ${w.id} on ${meetingRef(m)}`, {
        id: w.id,
        presented: w.presented === null ? null : w.presented === 1,
        note: w.presented_note,
        version: w.version,
      });
    await trx
      .updateTable('meeting_written_inputs')
      .set({ presented: input.presented ? 1 : 0, presented_note: input.note ?? null, version: w.version + 1 })
      .where('id', '=', w.id)
      .execute();
    await record(
      trx,
      hub,
      actor,
      'meeting.written-input-marked',
      { type: 'meeting', id: meetingRef(m) },
      // what it said before, so a mark that changes nothing tells its sender nothing
      { presented: w.presented, note: w.presented_note },
      { id: w.id, ...input },
    );
    return meetingView(trx, hub, m, actor);
  });
}

/**
 * Removes an agenda item before the meeting: its author, or a lead or facilitator. An item that
 * carries someone's written input stays: nobody's input is lost because its item was dropped.
 */
export async function removeAgendaItem(
  hub: Hub,
  actor: Actor,
  ref: string,
  key: number | string,
  /** The meeting's version as read: checked when given (needed where the item is named by its position, which shifts). */
  expectedVersion?: number,
): Promise<MeetingView> {
  // checked as move and written input check theirs: trimmed, bounded, no control characters
  const { item: itemKey } = parseInput(AgendaItemKeyInput, { item: key });
  return inTransaction(hub, async (trx) => {
    const m = await meetingRowAt(trx, hub, ref, actor, { lock: hub });
    // before the item is looked up: a position from a stale read names whatever sits there now,
    // which may be missing or someone else's; the read is what is wrong, so say that
    if (expectedVersion !== undefined)
      assertVersion(m.version, expectedVersion, `the agenda of ${meetingRef(m)}`, await meetingView(trx, hub, m));
    const item = await agendaItemRow(trx, m, itemKey);
    authorize((await meetingCan(trx, hub, actor, m)).items.get(item.id)!, 'remove');
    const inputs = await trx
      .selectFrom('meeting_written_inputs as w')
      .innerJoin('people as p', 'p.id', 'w.author_id')
      .select('p.handle')
      .where('w.item_id', '=', item.id)
      .execute();
    if (inputs.length)
      throw invalid(
        'item',
        `item ${item.position} carries written input from ${inputs.map((i) => i.handle).join(', ')}; it stays so their input is presented (change its title instead, or ask them)`,
      );
    await trx.deleteFrom('meeting_agenda_items').where('id', '=', item.id).execute();
    const later = await trx
      .selectFrom('meeting_agenda_items')
      .select(['id', 'position'])
      .where('meeting_id', '=', m.id)
      .where('position', '>', item.position)
      .orderBy('position')
      .execute();
    for (const l of later)
      await trx
        .updateTable('meeting_agenda_items')
        .set({ position: l.position - 1 })
        .where('id', '=', l.id)
        .execute();
    await record(
      trx,
      hub,
      actor,
      'meeting.agenda-item-removed',
      { type: 'meeting', id: meetingRef(m) },
      { id: item.id, position: item.position, title: item.title },
      null,
    );
    return meetingView(trx, hub, await agendaChanged(trx, hub, m), actor);
  });
}

/**
 * Moves an agenda item one place up or down, swapping it with its neighbour. The order is the
 * meeting's: the change carries the meeting's version as read, so two facilitators ordering the
 * agenda from pages of different ages never undo each other's move unseen (409, with the agenda as
 * it is now).
 */
export async function moveAgendaItem(
  hub: Hub,
  actor: Actor,
  ref: string,
  expectedVersion: number | undefined,
  raw: unknown,
): Promise<MeetingView> {
  return inTransaction(hub, async (trx) => {
    const m = await meetingRowAt(trx, hub, ref, actor, { lock: hub });
    authorize((await meetingCan(trx, hub, actor, m)).meeting, 'orderAgenda');
    const expected = requireVersion(expectedVersion, 'the agenda');
    const input = parseInput(MoveAgendaItemInput, raw);
    // a position from a stale read may be gone or at the end now: the read is what is wrong
    assertVersion(m.version, expected, `the agenda of ${meetingRef(m)}`, await meetingView(trx, hub, m));
    const item = await agendaItemRow(trx, m, input.item);
    const neighbour = await trx
      .selectFrom('meeting_agenda_items')
      .select(['id', 'position', 'title'])
      .where('meeting_id', '=', m.id)
      .where('position', '=', item.position + (input.direction === 'up' ? -1 : 1))
      .executeTakeFirst();
    if (!neighbour)
      throw invalid(
        'direction',
        `item ${item.position} is already ${input.direction === 'up' ? 'first' : 'last'} on the agenda`,
      );
    const at = { table: 'meetings', id: m.id, what: `the agenda of ${meetingRef(m)}` } as const;
    const row = await writeOrConflict(
      trx,
      hub,
      at,
      expected,
      {},
      () => meetingRowAt(trx, hub, ref, actor),
      (now) => meetingView(trx, hub, now),
    );
    await trx
      .updateTable('meeting_agenda_items')
      .set({ position: neighbour.position })
      .where('id', '=', item.id)
      .execute();
    await trx
      .updateTable('meeting_agenda_items')
      .set({ position: item.position })
      .where('id', '=', neighbour.id)
      .execute();
    await record(
      trx,
      hub,
      actor,
      'meeting.agenda-reordered',
      { type: 'meeting', id: meetingRef(m) },
      { id: item.id, position: item.position },
      { id: item.id, position: neighbour.position, title: item.title },
    );
    return meetingView(trx, hub, row, actor);
  });
}

/**
 * Changes an agenda item's kind (process or content) before the meeting: an item added under the wrong
 * kind, or whose kind was read wrongly from its words, is corrected in place, keeping its position, link
 * and written input (taking it off and adding it again lost them, and is refused while it carries input).
 * Whoever added it, or those who publish the agenda (`agendaItemPolicy`). It carries the meeting's version
 * as read, as a move does: two facilitators correcting one item from pages of different ages never
 * overwrite each other unseen (409, with the agenda as it is now).
 */
export async function changeAgendaItemKind(
  hub: Hub,
  actor: Actor,
  ref: string,
  key: number | string,
  expectedVersion: number | undefined,
  raw: unknown,
): Promise<MeetingView> {
  const { item: itemKey } = parseInput(AgendaItemKeyInput, { item: key });
  return inTransaction(hub, async (trx) => {
    const m = await meetingRowAt(trx, hub, ref, actor, { lock: hub });
    const can = await meetingCan(trx, hub, actor, m);
    // one who may change no item's kind here (the agenda closed, or not theirs to edit) is told so
    // whatever they sent; which item, and whether they may change that one, needs the item
    const items = [...can.items.values()];
    if (items.length && !items.some((i) => i.changeKind.allowed)) authorize(items[0]!, 'changeKind');
    const expected = requireVersion(expectedVersion, 'the agenda');
    // before the item is looked up: a position from a stale read names whatever sits there now
    assertVersion(m.version, expected, `the agenda of ${meetingRef(m)}`, await meetingView(trx, hub, m));
    const item = await agendaItemRow(trx, m, itemKey);
    authorize(can.items.get(item.id)!, 'changeKind');
    const { kind } = parseInput(AgendaItemKindInput, raw);
    // already of that kind: nothing to write, and nothing for the log (the version stays)
    if (item.kind === kind) return meetingView(trx, hub, m, actor);
    const at = { table: 'meetings', id: m.id, what: `the agenda of ${meetingRef(m)}` } as const;
    const row = await writeOrConflict(
      trx,
      hub,
      at,
      expected,
      {},
      () => meetingRowAt(trx, hub, ref, actor),
      (now) => meetingView(trx, hub, now),
    );
    await trx.updateTable('meeting_agenda_items').set({ kind }).where('id', '=', item.id).execute();
    await record(
      trx,
      hub,
      actor,
      'meeting.agenda-item-kind-changed',
      { type: 'meeting', id: meetingRef(m) },
      { id: item.id, position: item.position, title: item.title, kind: item.kind },
      { id: item.id, position: item.position, title: item.title, kind },
    );
    return meetingView(trx, hub, row, actor);
  });
}
