// Asking to become a member. The guide's working groups "have open membership": anyone signed in
// joins as an observer or participant by themself. The member level (whose answers count in the
// group's decisions) is granted by the group's leads, so a person asks for it here; the leads see
// open requests on the group's home and their own, and accept (the person becomes a member) or
// decline (with a reason the person reads). One open request per person and group.
import { Conflict, NotFound } from '../../domain/errors.ts';
import type { Can } from '../../domain/policies/index.ts';
import { authorize, authorizeAsPerson } from '../core/gate.ts';
import { inTransaction, nowIso, record, type Actor, type Hub, type Tx } from '../core/hub.ts';
import { parseInput } from '../core/validate.ts';
import { groupCan } from './group-can.ts';
import { groupRow, setLevelIn } from './groups.ts';
import { AnswerMembershipRequestInput, MembershipRequestInput } from './schemas.ts';

export type MembershipRequestView = {
  id: string;
  group: string;
  handle: string;
  name: string;
  /** Their level in the group now (null: not a member yet). */
  level: string | null;
  note: string;
  requestedAt: string;
  answer: 'accepted' | 'declined' | null;
  answerReason: string | null;
  answeredBy: string | null;
  answeredAt: string | null;
};

async function requestsOf(
  db: Tx,
  groupId: string,
  open: boolean,
  id?: string,
  personId?: string,
): Promise<MembershipRequestView[]> {
  let q = db
    .selectFrom('membership_requests as r')
    .innerJoin('groups as g', 'g.id', 'r.group_id')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .leftJoin('people as a', 'a.id', 'r.answered_by')
    .leftJoin('group_members as m', (j) =>
      j.onRef('m.group_id', '=', 'r.group_id').onRef('m.person_id', '=', 'r.person_id'),
    )
    .select([
      'r.id',
      'g.slug',
      'p.handle',
      'p.name',
      'm.level',
      'r.note',
      'r.requested_at',
      'r.answer',
      'r.answer_reason',
      'a.handle as answered_by',
      'r.answered_at',
    ])
    .where('r.group_id', '=', groupId);
  if (open) q = q.where('r.answered_at', 'is', null);
  if (id) q = q.where('r.id', '=', id);
  if (personId) q = q.where('r.person_id', '=', personId);
  const rows = await q.orderBy('r.requested_at').orderBy('r.id').limit(200).execute();
  return rows.map((r) => ({
    id: r.id,
    group: r.slug,
    handle: r.handle,
    name: r.name,
    level: r.level ?? null,
    note: r.note,
    requestedAt: r.requested_at,
    answer: r.answer,
    answerReason: r.answer_reason,
    answeredBy: r.answered_by ?? null,
    answeredAt: r.answered_at,
  }));
}

/** A signed-in person asks the group's leads to become a member. */
export async function askToBeMember(
  hub: Hub,
  actor: Actor,
  slug: string,
  raw: unknown,
): Promise<MembershipRequestView> {
  return inTransaction(hub, async (trx) => {
    const g = await groupRow(trx, slug);
    const me = authorizeAsPerson(await groupCan(trx, hub, actor, g), 'askToBeMember', actor);
    const input = parseInput(MembershipRequestInput, raw);
    const id = hub.newId();
    await trx
      .insertInto('membership_requests')
      .values({
        id,
        group_id: g.id,
        person_id: me.person.id,
        note: input.note,
        requested_at: nowIso(hub),
        answer: null,
        answer_reason: null,
        answered_by: null,
        answered_at: null,
      })
      .execute();
    // the log is public: it says who asked, not what they wrote to the leads (kept on the request)
    await record(trx, hub, actor, 'group.membership-requested', { type: 'group', id: slug }, null, {
      handle: me.person.handle,
    });
    return (await requestsOf(trx, g.id, true, id))[0]!;
  });
}

/** The person's own latest request to the group (open or answered), so they read the answer and its reason. */
export async function myMembershipRequest(
  hub: Hub,
  actor: Actor | null,
  slug: string,
): Promise<MembershipRequestView | null> {
  if (actor?.kind !== 'person') return null;
  const g = await groupRow(hub.store.db, slug);
  return (await requestsOf(hub.store.db, g.id, false, undefined, actor.person.id)).at(-1) ?? null;
}

/** The open requests of a group, for those who may answer them (the leads); `can` says whether this viewer may. */
export async function listMembershipRequests(
  hub: Hub,
  actor: Actor | null,
  slug: string,
): Promise<{ items: MembershipRequestView[]; can: Can<'answer'> }> {
  const db = hub.store.db;
  const g = await groupRow(db, slug);
  const verdict = (await groupCan(db, hub, actor, g)).answerMembershipRequests;
  return { items: verdict.allowed ? await requestsOf(db, g.id, true) : [], can: { answer: verdict } };
}

/** A lead accepts (the person becomes a member of the group) or declines (saying why) an open request. */
export async function answerMembershipRequest(
  hub: Hub,
  actor: Actor,
  slug: string,
  id: string,
  raw: unknown,
): Promise<MembershipRequestView> {
  return inTransaction(hub, async (trx) => {
    const g = await groupRow(trx, slug);
    authorize(await groupCan(trx, hub, actor, g), 'answerMembershipRequests');
    const input = parseInput(AnswerMembershipRequestInput, raw);
    const [request] = await requestsOf(trx, g.id, false, id);
    if (!request) throw new NotFound(`request to become a member of ${slug}`, id);
    if (request.answeredAt)
      throw new Conflict(`${request.handle}'s request was already ${request.answer} by ${request.answeredBy}`);
    const now = nowIso(hub);
    // a request answered twice at once: the second finds it answered and changes nothing
    const done = await trx
      .updateTable('membership_requests')
      .set({
        answer: input.answer,
        answer_reason: input.reason ?? null,
        answered_by: actor.kind === 'person' ? actor.person.id : null,
        answered_at: now,
      })
      .where('id', '=', id)
      .where('answered_at', 'is', null)
      .executeTakeFirst();
    // another lead's answer came first: a conflict with what this lead read, not bad input
    if (Number(done.numUpdatedRows) !== 1) throw new Conflict(`${request.handle}'s request was already answered`);
    // a member or lead by now (raised by hand meanwhile) keeps the level they hold
    if (input.answer === 'accepted' && request.level !== 'member' && request.level !== 'lead')
      await setLevelIn(trx, hub, actor, g, request.handle, 'member');
    await record(trx, hub, actor, 'group.membership-answered', { type: 'group', id: slug }, null, {
      handle: request.handle,
      answer: input.answer,
    });
    return (await requestsOf(trx, g.id, false, id))[0]!;
  });
}
