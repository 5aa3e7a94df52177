// Asking to become a member. The guide's working groups "have open membership": anyone signed in
// joins as an observer or participant by themself. The member level (whose answers count in the
// group's decisions) is granted by the group's leads, so a person asks for it here; the leads see
// open requests on the group's home and their own, and accept (the person becomes a member) or
// decline (with a reason the person reads). One open request per person and group.
import { nameWithHandle } from '../../domain/people.ts';
import { Conflict, NotFound } from '../../domain/errors.ts';
import type { Can } from '../../domain/policies/index.ts';
import { authorize, authorizeAsPerson } from '../core/gate.ts';
import { holdKey } from '../core/hold.ts';
import { inTransaction, nowIso, record, type Actor, type Hub } from '../core/hub.ts';
import { parseInput } from '../core/validate.ts';
import { groupCan } from './group-can.ts';
import { groupRow, groupRowShared, setLevelIn } from './groups.ts';
import {
  requestsOf,
  yourRequestIn,
  type MembershipRequestView,
  type YourMembershipRequest,
} from './membership-request-reads.ts';

export type { MembershipRequestView, WhoAnswers, YourMembershipRequest } from './membership-request-reads.ts';
import { AnswerMembershipRequestInput, MembershipRequestInput } from './schemas.ts';

/** A signed-in person asks the group's leads to become a member. */
export async function askToBeMember(
  hub: Hub,
  actor: Actor,
  slug: string,
  raw: unknown,
): Promise<YourMembershipRequest> {
  return inTransaction(hub, async (trx) => {
    // held shared, as an accept holds it: a retirement under way waits for this request, or this
    // one for it (then reads the group retired): a request inserted beside it was not seen by its
    // decline, left open in a retired group whose leads may no longer answer it
    const g = await groupRowShared(trx, hub, slug);
    slug = g.slug; // the group named as stored, from here on
    // the same person's request sent twice at once takes turns (after the group's row, the order a
    // join and an invitation's accept take them): PostgreSQL let both pass the policy side by side and
    // the later met the open request's unique index, a bare 409, where a retry is told it asked already
    if (actor.kind === 'person') await holdKey(trx, hub, `join:${g.id}:${actor.person.id}`);
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
    // with who answers it: a group without an active lead has others answer, said to the asker up front
    return (await yourRequestIn(trx, hub, g.id, me.person.id))!;
  });
}

/**
 * The asker takes back their open request (the policy: only they may, and only while it is open).
 * Withdrawn is no decline: they may ask again at once; the leads are told, so their "asks" notice
 * does not stand.
 */
export async function withdrawMembershipRequest(hub: Hub, actor: Actor, slug: string): Promise<YourMembershipRequest> {
  return inTransaction(hub, async (trx) => {
    const g = await groupRow(trx, slug);
    slug = g.slug; // the group named as stored, from here on
    const me = authorizeAsPerson(await groupCan(trx, hub, actor, g), 'withdrawMembershipRequest', actor);
    const done = await trx
      .updateTable('membership_requests')
      .set({ answer: 'withdrawn', answer_reason: null, answered_by: me.person.id, answered_at: nowIso(hub) })
      .where('group_id', '=', g.id)
      .where('person_id', '=', me.person.id)
      .where('answered_at', 'is', null)
      .executeTakeFirst();
    // a lead answered it between the policy's read and this write (SQLite serialises writers; on
    // PostgreSQL both updates need the row, so one waits and then finds it answered)
    if (Number(done.numUpdatedRows) !== 1) throw new Conflict('Your request was answered meanwhile');
    await record(trx, hub, actor, 'group.membership-withdrawn', { type: 'group', id: slug }, null, {
      handle: me.person.handle,
    });
    return (await yourRequestIn(trx, hub, g.id, me.person.id))!;
  });
}

/**
 * The open requests of a group, for those who may answer them (the leads); `can` says whether this
 * viewer may; `yourRequest` is the viewer's own latest request (open, answered or withdrawn), or null.
 */
export async function listMembershipRequests(
  hub: Hub,
  actor: Actor | null,
  slug: string,
): Promise<{ items: MembershipRequestView[]; can: Can<'answer'>; yourRequest: YourMembershipRequest | null }> {
  const db = hub.store.db;
  const g = await groupRow(db, slug);
  const verdict = (await groupCan(db, hub, actor, g)).answerMembershipRequests;
  return {
    items: verdict.allowed ? await requestsOf(db, g.id, { open: true }) : [],
    can: { answer: verdict },
    yourRequest: actor?.kind === 'person' ? await yourRequestIn(db, hub, g.id, actor.person.id) : null,
  };
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
    // held until this answer commits: a retirement at the same moment either waits for it (and finds the
    // request answered) or is read here as made (and the policy refuses), so nobody is made a member of a
    // retired group, nor told their request was declined by the retirement while it made them one
    const g = await groupRowShared(trx, hub, slug);
    slug = g.slug; // the group named as stored, from here on
    authorize(await groupCan(trx, hub, actor, g), 'answerMembershipRequests');
    const input = parseInput(AnswerMembershipRequestInput, raw);
    const [request] = await requestsOf(trx, g.id, { id });
    if (!request) throw new NotFound(`request to become a member of ${slug}`, id);
    if (request.answeredAt)
      throw new Conflict(
        `The request of ${nameWithHandle(request.handle, request.name)} was already ${request.answer} by ${request.answeredBy ? nameWithHandle(request.answeredBy, request.answeredByName ?? undefined) : "the hub's operator"}`,
      );
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
    if (Number(done.numUpdatedRows) !== 1)
      throw new Conflict(`The request of ${nameWithHandle(request.handle, request.name)} was already answered`);
    // a member or lead by now (raised by hand meanwhile) keeps the level they hold
    if (input.answer === 'accepted' && request.level !== 'member' && request.level !== 'lead')
      await setLevelIn(trx, hub, actor, g, request.handle, 'member');
    await record(trx, hub, actor, 'group.membership-answered', { type: 'group', id: slug }, null, {
      handle: request.handle,
      answer: input.answer,
    });
    return (await requestsOf(trx, g.id, { id }))[0]!;
  });
}
