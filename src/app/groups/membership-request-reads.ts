// Reading requests to become a member, apart from the use cases that write them: the group view
// (groups.ts), its policy (group-can.ts) and the notices (people-events.ts) read the same rows, and
// the use cases import groups.ts, so these reads live where all of them can import them; with them
// the one write other rooms make, closing a request that another route made moot.
import { sql } from 'kysely';
import { requestsAnsweredBy } from '../../domain/policies/index.ts';
import { nowIso, type Hub, type Tx } from '../core/hub.ts';
import { activeLeadIds } from './standing.ts';

export type MembershipRequestAnswer = 'accepted' | 'declined' | 'withdrawn';

export type MembershipRequestView = {
  id: string;
  group: string;
  handle: string;
  name: string;
  /** Their level in the group now (null: not a member yet). */
  level: string | null;
  note: string;
  requestedAt: string;
  /** null while open; withdrawn: the asker took it back (not a decline: they may ask again at once). */
  answer: MembershipRequestAnswer | null;
  answerReason: string | null;
  answeredBy: string | null;
  /** The answerer's name, to show beside the handle; null when the hub's operator answered. */
  answeredByName: string | null;
  answeredAt: string | null;
};

/** The asker's own latest request, as they read it: with the day they may ask again after a decline. */
export type YourMembershipRequest = MembershipRequestView & {
  /** After a decline, while the governance file's wait (membership.askAgainDays) runs: the first day they may ask again. */
  askAgainFrom: string | null;
  /** Who answers the group's requests now (`whoAnswersRequests`), so an asker of a group without an active lead knows. */
  whoAnswers: WhoAnswers;
};

/** byLeads: the group's active leads answer; otherwise `who` does (core or lead maintainers, or the hub's operator). */
export type WhoAnswers = { byLeads: boolean; who: string };

/** Who answers the group's requests to become a member now: its active leads, or, with none, whom the governance file names. */
export async function whoAnswersRequests(db: Tx, hub: Hub, groupId: string): Promise<WhoAnswers> {
  return requestsAnsweredBy(hub.governance, (await activeLeadIds(db, hub, groupId)).length);
}

export async function requestsOf(
  db: Tx,
  groupId: string,
  /** `latest`: only the newest (an open one before one answered at the same moment). */
  filter: { open?: boolean; id?: string; personId?: string; latest?: true },
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
      'a.name as answered_by_name',
      'r.answered_at',
    ])
    .where('r.group_id', '=', groupId);
  if (filter.open) q = q.where('r.answered_at', 'is', null);
  if (filter.id) q = q.where('r.id', '=', filter.id);
  if (filter.personId) q = q.where('r.person_id', '=', filter.personId);
  const rows = await (filter.latest
    ? q
        .orderBy('r.requested_at', 'desc')
        .orderBy(sql`case when r.answered_at is null then 0 else 1 end`)
        .orderBy('r.answered_at', 'desc')
        .limit(1)
    : q.orderBy('r.requested_at').orderBy('r.id').limit(200)
  ).execute();
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
    answeredByName: r.answered_by_name ?? null,
    answeredAt: r.answered_at,
  }));
}

/**
 * The person's latest declined request to the group (when, and the reason), or undefined; `byLeads`:
 * only one its leads declined, not one declined by retiring the group (should the group come back,
 * nobody declined them).
 */
export function latestDecline(db: Tx, groupId: string, personId: string, opts: { byLeads?: true } = {}) {
  let q = db
    .selectFrom('membership_requests')
    .select(['answered_at', 'answer_reason'])
    .where('group_id', '=', groupId)
    .where('person_id', '=', personId)
    .where('answer', '=', 'declined');
  if (opts.byLeads) q = q.where('declined_by_retirement', '=', 0);
  return q.orderBy('answered_at', 'desc').limit(1).executeTakeFirst();
}

/**
 * When a person whose request to become a member was declined may ask again (the governance file's
 * membership.askAgainDays after the decline), or null when they may now: a decline is not answered
 * by asking again at once, and every ask reaches every lead. A withdrawn request is no decline, nor is
 * one declined by retiring the group.
 */
export async function askAgainFrom(db: Tx, hub: Hub, groupId: string, personId: string): Promise<string | null> {
  const days = hub.governance.membership.askAgainDays;
  if (!days) return null;
  const last = await latestDecline(db, groupId, personId, { byLeads: true });
  if (!last?.answered_at) return null;
  const from = new Date(Date.parse(last.answered_at) + days * 86_400_000);
  return from > hub.clock.now() ? from.toISOString().slice(0, 10) : null;
}

/** The person's own latest request to the group (open or answered), so they read its state, the answer and its reason. */
export async function yourRequestIn(
  db: Tx,
  hub: Hub,
  groupId: string,
  personId: string,
): Promise<YourMembershipRequest | null> {
  // the newest, read as such: the oldest 200 of someone who asked and withdrew more often than that ended before it
  const [mine] = await requestsOf(db, groupId, { personId, latest: true });
  if (!mine) return null;
  return {
    ...mine,
    askAgainFrom: mine.answer === 'declined' ? await askAgainFrom(db, hub, groupId, personId) : null,
    whoAnswers: await whoAnswersRequests(db, hub, groupId),
  };
}

/**
 * Closes the person's open request, if any, when another route settled it: a lead (or a charter
 * import) made them a member or lead directly (`accepted`), or they left the group (`withdrawn`).
 * The leads' list then holds no request already granted or given up. `by`: who settled it (null:
 * the hub, as in an import).
 */
export async function settleOpenRequest(
  trx: Tx,
  hub: Hub,
  groupId: string,
  personId: string,
  answer: 'accepted' | 'withdrawn',
  by: string | null,
): Promise<boolean> {
  const r = await trx
    .updateTable('membership_requests')
    .set({ answer, answer_reason: null, answered_by: by, answered_at: nowIso(hub) })
    .where('group_id', '=', groupId)
    .where('person_id', '=', personId)
    .where('answered_at', 'is', null)
    .executeTakeFirst();
  // whether one was open: a request closed by leaving is told as a withdrawal is
  return Number(r.numUpdatedRows) > 0;
}
