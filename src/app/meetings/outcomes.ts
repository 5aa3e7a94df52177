// What a meeting leaves behind: notes (published within the governance file's hours, indexed for
// search), attendance, the decisions it took, and action items with an owner and a due date.
import { InvalidInput, invalid } from '../../domain/errors.ts';
import { notesTemplate } from '../../domain/meetings/notes-template.ts';
import { decisionRow, decisionRef, openDecisionIn } from '../decisions/decisions.ts';
import { groupRow, groupRowHeld, touchMembership } from '../groups/groups.ts';
import {
  assertVersion,
  inTransaction,
  nowIso,
  record,
  requireVersion,
  writeIfVersion,
  type Actor,
  type Hub,
  type Tx,
} from '../core/hub.ts';
import { holdRow } from '../core/hold.ts';
import { LIMITS } from '../../domain/limits.ts';
import { indexMeeting } from '../search/indexing.ts';
import {
  ActionItemInput,
  AttendanceInput,
  LateNotesQuery,
  MeetingDecisionInput,
  NotesInput,
  OpenAtMeetingInput,
} from './schemas.ts';
import {
  holdGroupOfMeeting,
  meetingHeldAt,
  meetingCan,
  meetingRef,
  meetingRowAt,
  meetingView,
  summaryOf,
  type MeetingSummary,
  type MeetingView,
} from './meetings.ts';
import { personRow } from '../people/people.ts';
import { authorize } from '../core/gate.ts';
import { InputCheck, parseInput } from '../core/validate.ts';
import { OpenDecisionInput } from '../decisions/schemas.ts';
import { endOf, notesDeadline, type NotesDeadline } from '../../domain/meetings/deadlines.ts';
import { localTime, occurrences } from '../../domain/meetings/recurrence.ts';

/** How many rows a meeting has in one of its outcome tables. */
async function countOn(
  trx: Tx,
  hub: Hub,
  table: 'meeting_decisions' | 'meeting_actions',
  meetingId: string,
): Promise<number> {
  await holdRow(trx, hub, 'meetings', meetingId);
  const r = await trx
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('meeting_id', '=', meetingId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * The markdown a note-taker starts from, with every written input and whether it was presented: of a
 * meeting by its ref, or by one start of a series that has a meeting of its own (`meetingHeldAt`).
 */
export async function meetingNotesTemplate(hub: Hub, ref: string, viewer: Actor | null = null): Promise<string> {
  return notesTemplate(await meetingHeldAt(hub, ref, viewer));
}

/**
 * Records or revises the notes. The first recording is the publication the governance file times;
 * revisions carry the version they read, so two note-takers never overwrite each other.
 */
export async function recordNotes(
  hub: Hub,
  actor: Actor,
  ref: string,
  expectedVersion: number | undefined,
  raw: unknown,
): Promise<MeetingView> {
  return inTransaction(hub, async (trx) => {
    const m = await meetingRowAt(trx, hub, ref, actor);
    authorize((await meetingCan(trx, hub, actor, m)).meeting, 'recordOutcomes');
    const input = parseInput(NotesInput, raw);
    const now = nowIso(hub);
    // the first notes need no version: nobody can have read notes that do not exist, and a version
    // sent with them (a page's form always sends one) is not held against them when only attendance
    // or the agenda moved it; two first notes at once still leave one, as the row is claimed below
    const expected = m.notes === null ? m.version : requireVersion(expectedVersion, 'meeting notes');
    assertVersion(m.version, expected, meetingRef(m), await meetingView(trx, hub, m));
    const publishedAt = m.notes_published_at ?? now;
    if (
      !(await writeIfVersion(trx, hub, 'meetings', m.id, expected, {
        notes: input.notes,
        notes_published_at: publishedAt,
      }))
    ) {
      const current = await meetingRowAt(trx, hub, ref, actor);
      assertVersion(current.version, expected, meetingRef(m), await meetingView(trx, hub, current));
    }
    await indexMeeting(trx, m.id);
    const after = await meetingView(trx, hub, await meetingRowAt(trx, hub, ref, actor));
    // the text goes into the log, so every revision of the notes stays on the hash-chained record
    await record(
      trx,
      hub,
      actor,
      m.notes === null ? 'meeting.notes-published' : 'meeting.notes-revised',
      { type: 'meeting', id: after.ref },
      m.notes === null ? null : { notes: m.notes },
      {
        notes: input.notes,
        publishedAt,
        deadline: after.notes.deadline,
      },
    );
    return after;
  });
}

/**
 * Replaces the attendance list with the people named. Replacing a list already recorded carries the
 * meeting's version read, as notes do, so two facilitators never drop each other's names unseen.
 */
export async function recordAttendance(
  hub: Hub,
  actor: Actor,
  ref: string,
  expectedVersion: number | undefined,
  raw: unknown,
): Promise<MeetingView> {
  return inTransaction(hub, async (trx) => {
    // the group before the meeting's row (its version, written below): each attendee is then marked
    // active in the group (their member's row). Before the meeting is read, so a note-taker cleared
    // meanwhile is read as it committed, not taken for someone else's change of the attendance
    await holdGroupOfMeeting(trx, hub, ref, actor);
    const m = await meetingRowAt(trx, hub, ref, actor);
    authorize((await meetingCan(trx, hub, actor, m)).meeting, 'recordOutcomes');
    const input = parseInput(AttendanceInput, raw);
    const people = [];
    for (const [i, h] of input.attended.entries())
      people.push(
        await personRow(trx, h).catch(() => {
          throw invalid(`attended[${i}]`, `no person '${h}'`);
        }),
      );
    const recorded = await trx
      .selectFrom('meeting_attendance')
      .select('person_id')
      .where('meeting_id', '=', m.id)
      .limit(1)
      .executeTakeFirst();
    // the first list needs no version: nobody can have read a list that does not exist (a version sent
    // with it, as a page's form does, is not held against it); two first lists at once leave one
    const expected = !recorded ? m.version : requireVersion(expectedVersion, 'the attendance');
    assertVersion(m.version, expected, meetingRef(m), await meetingView(trx, hub, m));
    // the meeting's version moves with its attendance; of two writers at once, one waits and finds it moved
    if (!(await writeIfVersion(trx, hub, 'meetings', m.id, expected, {}))) {
      const current = await meetingRowAt(trx, hub, ref, actor);
      assertVersion(current.version, expected, meetingRef(m), await meetingView(trx, hub, current));
    }
    const now = nowIso(hub);
    await trx.deleteFrom('meeting_attendance').where('meeting_id', '=', m.id).execute();
    for (const p of new Map(people.map((p) => [p.id, p])).values()) {
      await trx
        .insertInto('meeting_attendance')
        .values({ meeting_id: m.id, person_id: p.id, recorded_at: now })
        .execute();
      // attending a group meeting is participation: it keeps membership from lapsing, and brings
      // back a member whose standing had lapsed (told of the decisions now counting their answer)
      await touchMembership(trx, hub, m.group_id, p.id, m.starts_at);
    }
    await record(trx, hub, actor, 'meeting.attendance', { type: 'meeting', id: meetingRef(m) }, null, {
      attended: people.map((p) => p.handle),
    });
    return meetingView(trx, hub, await meetingRowAt(trx, hub, ref, actor), actor);
  });
}

const OPEN_FIELDS = new Set(Object.keys(OpenAtMeetingInput.shape));

/**
 * Runs the opening of a meeting's decision, naming its input errors by their place in the
 * meeting's input (`open.deadline`, `open.subject.ref`) as the schema names `open.question`: the
 * decision's own rules and use case name them as a decision opened on its own does (`deadline`).
 */
async function underOpen<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof InvalidInput)) throw e;
    throw new InvalidInput(
      e.issues.map((i) => (OPEN_FIELDS.has(i.field.split(/[.[]/)[0]!) ? { ...i, field: `open.${i.field}` } : i)),
    );
  }
}

async function groupSlugOf(trx: Tx, groupId: string): Promise<string> {
  return (await trx.selectFrom('groups').select('slug').where('id', '=', groupId).executeTakeFirstOrThrow()).slug;
}

/** Records a decision the meeting took; it may point at a decision, or open one (consensus managed by objection) in the meeting's group. */
export async function recordMeetingDecision(hub: Hub, actor: Actor, ref: string, raw: unknown): Promise<MeetingView> {
  return inTransaction(hub, async (trx) => {
    const m = await meetingRowAt(trx, hub, ref, actor);
    authorize((await meetingCan(trx, hub, actor, m)).meeting, 'recordOutcomes');
    const input = parseInput(MeetingDecisionInput, raw);
    // a decision opened here holds the group (groupRowHeld): held before the meeting (countOn), in the
    // one lock order, the group's row then its meetings', that a member leaving takes them in
    if (input.open) await groupRowHeld(trx, hub, await groupSlugOf(trx, m.group_id));
    if ((await countOn(trx, hub, 'meeting_decisions', m.id)) >= LIMITS.meetingDecisions)
      throw invalid(
        'summary',
        `${meetingRef(m)} has ${LIMITS.meetingDecisions} decisions recorded, as many as one meeting keeps: record the rest in its notes`,
      );
    let decision: string | null = null;
    if (input.decision) {
      const d = await decisionRow(trx, input.decision).catch(() => {
        throw invalid('decision', `no decision '${input.decision}'`);
      });
      // a meeting records what its own group decided: another group's decision is theirs to record
      if (d.group_id !== m.group_id) {
        const owner = await trx.selectFrom('groups').select('slug').where('id', '=', d.group_id).executeTakeFirst();
        throw invalid(
          'decision',
          `${decisionRef(d)} is a decision of ${owner?.slug ?? 'another group'}; a meeting records its own group's decisions (name the other in the summary)`,
        );
      }
      decision = decisionRef(d);
    }
    if (input.open) {
      const at = input.open;
      const slug = await groupSlugOf(trx, m.group_id);
      decision = await underOpen(async () => {
        const open = parseInput(OpenDecisionInput, {
          group: slug,
          subject: at.subject ?? { type: 'process' },
          question: at.question,
          significance: at.significance,
          ...(at.matter ? { matter: at.matter } : {}),
          // a link to the meeting, so its page (and REST's and MCP's same markdown) leads back to where it was taken
          description: at.description ?? `Opened at [${meetingRef(m)}](/meetings/${meetingRef(m)}): ${input.summary}`,
          ...(at.deadline ? { deadline: at.deadline } : {}),
        });
        return (await openDecisionIn(trx, hub, actor, open)).ref;
      });
    }
    const id = hub.newId();
    const recordedBy = actor.kind === 'person' ? actor.person.handle : 'operator';
    await trx
      .insertInto('meeting_decisions')
      .values({
        id,
        meeting_id: m.id,
        summary: input.summary,
        decision_ref: decision,
        recorded_by: recordedBy,
        recorded_at: nowIso(hub),
      })
      .execute();
    await record(trx, hub, actor, 'meeting.decision-recorded', { type: 'meeting', id: meetingRef(m) }, null, {
      id,
      summary: input.summary,
      decision,
      opened: Boolean(input.open),
    });
    return meetingView(trx, hub, m, actor);
  });
}

export async function addActionItem(hub: Hub, actor: Actor, ref: string, raw: unknown): Promise<MeetingView> {
  return inTransaction(hub, async (trx) => {
    const m = await meetingRowAt(trx, hub, ref, actor);
    authorize((await meetingCan(trx, hub, actor, m)).meeting, 'addActionItem');
    // every mistake at once (an unknown owner, a due date before the meeting, an empty description),
    // so the form is not sent back once per mistake
    const check = new InputCheck(ActionItemInput, raw);
    const f = check.fields;
    if ((await countOn(trx, hub, 'meeting_actions', m.id)) >= LIMITS.actionItems)
      throw invalid(
        'description',
        `${meetingRef(m)} has ${LIMITS.actionItems} action items, as many as one meeting keeps: add the rest to its notes or to the next meeting`,
      );
    const owner =
      f.owner && check.ok('owner')
        ? await check.attempt(() =>
            personRow(trx, f.owner!).catch(() => {
              throw invalid('owner', `no person '${f.owner}'`);
            }),
          )
        : undefined;
    if (f.due && check.ok('due') && f.due < m.starts_at.slice(0, 10))
      check.add('due', `must not be before the meeting (${m.starts_at.slice(0, 10)})`);
    const input = check.done();
    if (!owner) throw check.failure();
    const id = hub.newId();
    await trx
      .insertInto('meeting_actions')
      .values({
        id,
        meeting_id: m.id,
        owner_id: owner.id,
        description: input.description,
        due_date: input.due,
        done_at: null,
        created_at: nowIso(hub),
      })
      .execute();
    await record(trx, hub, actor, 'meeting.action-added', { type: 'meeting', id: meetingRef(m) }, null, {
      id,
      owner: owner.handle,
      description: input.description,
      due: input.due,
    });
    return meetingView(trx, hub, m, actor);
  });
}

/** The owner, or whoever records outcomes, marks an action item done. */
export async function completeActionItem(hub: Hub, actor: Actor, ref: string, actionId: string): Promise<MeetingView> {
  return inTransaction(hub, async (trx) => {
    const m = await meetingRowAt(trx, hub, ref, actor);
    const a = await trx
      .selectFrom('meeting_actions')
      .selectAll()
      .where('meeting_id', '=', m.id)
      .where('id', '=', actionId)
      .executeTakeFirst();
    if (!a) throw invalid('action', `${meetingRef(m)} has no action item '${actionId}'`);
    authorize((await meetingCan(trx, hub, actor, m)).actions.get(a.id)!, 'complete');
    if (a.done_at) return meetingView(trx, hub, m, actor);
    await trx
      .updateTable('meeting_actions')
      .set({ done_at: nowIso(hub) })
      .where('id', '=', a.id)
      .execute();
    await record(trx, hub, actor, 'meeting.action-done', { type: 'meeting', id: meetingRef(m) }, null, { id: a.id });
    return meetingView(trx, hub, m, actor);
  });
}

export type LateNotes = MeetingSummary & {
  deadline: NotesDeadline;
  /** Set for a past meeting of a series that has no meeting of its own yet: its start. Give it one with `seriesOf` and record its notes there. */
  occurrence: string | null;
};

/**
 * Meetings whose notes are overdue now, or were published after the deadline; cancelled ones are
 * left out. A series counts every meeting it held: a past occurrence without a meeting of its own
 * has no notes, so it is listed once its deadline passes.
 */
export async function listLateNotes(hub: Hub, raw: unknown = {}): Promise<LateNotes[]> {
  const q = parseInput(LateNotesQuery, raw);
  const db = hub.store.db;
  let query = db
    .selectFrom('meetings as m')
    .selectAll('m')
    .where('m.cancelled_at', 'is', null)
    .where('m.starts_at', '<', nowIso(hub))
    .orderBy('m.starts_at');
  if (q.group) query = query.where('m.group_id', '=', (await groupRow(db, q.group)).id);
  const out: LateNotes[] = [];
  const now = hub.clock.now();
  for (const m of await query.execute()) {
    const v = await meetingView(db, hub, m);
    // the summary fields of the view, as a list shows them
    const summary = await summaryOf(db, hub, m);
    if (v.notes.deadline.state === 'late' || v.notes.deadline.state === 'published-late')
      out.push({ ...summary, deadline: v.notes.deadline, occurrence: null });
    if (!m.rrule) continue;
    const own = new Set(
      (await db.selectFrom('meetings').select('series_start').where('series_id', '=', m.id).execute()).map(
        (r) => r.series_start,
      ),
    );
    for (const start of occurrences(m.starts_at, m.time_zone, m.rrule).slice(1)) {
      if (start >= now.toISOString()) break;
      if (own.has(start)) continue;
      const end = endOf(start, m.duration_minutes);
      const deadline = notesDeadline(hub.governance, end, null, now);
      if (deadline.state === 'late')
        out.push({
          ...summary,
          startsAt: start,
          endsAt: end,
          localStart: localTime(start, m.time_zone),
          deadline,
          occurrence: start,
        });
    }
  }
  return out.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
}
