// A person who gains a voice in a group while its decisions are open (made a member or lead, joined
// at such a level, or back from emeritus or a lapse, by joining again or by taking part: voice.ts) is
// told of each open decision that now waits for their answer: the proof of informed silence counts
// their silence from then on, so it must be informed as the group's was when the decision opened. One
// list of notices per decision (each is one subject).
import type { DecisionsTable } from '../../store/schema.ts';
import type { Hub, RecordedEvent, Tx } from '../core/hub.ts';
import { answeredBy, awaitingAnswers, decisionRef } from '../decisions/decisions.ts';
import type { Notice } from './recipients.ts';
import { countingIds, decisionTopics, nearestLevel } from './recipients.ts';
import { STANDING_EVENTS, voiceGainedBy } from './voice.ts';

/**
 * The notices for the person `e` gave a voice, read inside its transaction: only what they need (each
 * decision's state, this person's answers and subscriptions), a query per table however many decisions
 * are open (before 2026-12-07 a full decision view each: its timeline, names and proof of who was told).
 */
export async function openDecisionNotices(trx: Tx, hub: Hub, e: RecordedEvent): Promise<Notice[][]> {
  if (!STANDING_EVENTS.has(e.kind)) return [];
  const handle = voiceGainedBy(hub.governance.decisions.eligibleLevels, {
    kind: e.kind,
    actor: e.actor.kind === 'person' ? e.actor.person.handle : null,
    before: e.before,
    after: e.after,
  });
  if (!handle) return [];
  const g = await trx.selectFrom('groups').select(['id', 'slug']).where('slug', '=', e.subject.id).executeTakeFirst();
  const p = await trx
    .selectFrom('people')
    .select(['id', 'handle'])
    .where((eb) => eb.fn('lower', ['handle']), '=', handle.toLowerCase())
    .executeTakeFirst();
  if (!g || !p || !(await countingIds(trx, hub, g.id)).has(p.id)) return [];
  const rows = await trx
    .selectFrom('decisions')
    .selectAll()
    .where('group_id', '=', g.id)
    .where('withdrawn_at', 'is', null)
    .where((eb) => eb.or([eb('recorded_state', 'is', null), eb('recorded_state', 'not like', 'closed:%')]))
    .orderBy('number')
    .execute();
  const open = await awaitingAnswers(trx, hub, rows);
  if (!open.length) return [];
  const answered = await answeredBy(trx, p, open);
  const waiting = open.filter(({ d }) => !answered.has(d.id));
  const muted = await mutedOf(
    trx,
    p.id,
    g.slug,
    waiting.map(({ d }) => d),
  );
  return waiting.flatMap(({ d, state }): Notice[][] => {
    const ref = decisionRef(d);
    if (muted.has(ref)) return [];
    const vote = state.phase === 'vote';
    return [
      [
        {
          personId: p.id,
          kind: vote ? 'vote-opened' : 'decision-opened',
          reason: 'member',
          subject: { type: 'decision', ref },
          groupSlug: g.slug,
          title: vote
            ? `${ref} is in a vote, and your vote now counts: ${d.question}`
            : `${ref} is open, and your answer now counts: ${d.question}`,
          deadline: vote ? (state.voteClosesAt ?? d.deadline) : d.deadline,
        },
      ],
    ];
  });
}

/**
 * Which of the decisions of group `slug` the person muted, by ref, in two queries however many (the
 * topic areas of the proposals they decide, then the person's subscriptions): a decision's own
 * subscription wins over its topic area's, which wins over the group's (as `subscriptionLevels` reads
 * it for one decision).
 */
async function mutedOf(
  trx: Tx,
  personId: string,
  slug: string,
  decisions: readonly DecisionsTable[],
): Promise<Set<string>> {
  if (!decisions.length) return new Set();
  const refs = decisions.map(decisionRef);
  const topics = await decisionTopics(trx, decisions);
  const topicRefs = [...new Set(topics.values())];
  const rows = await trx
    .selectFrom('notification_subscriptions')
    .select(['subject_type', 'subject_ref', 'level'])
    .where('person_id', '=', personId)
    .where((eb) =>
      eb.or([
        eb.and([eb('subject_type', '=', 'decision'), eb('subject_ref', 'in', refs)]),
        eb.and([eb('subject_type', '=', 'group'), eb('subject_ref', '=', slug)]),
        ...(topicRefs.length ? [eb.and([eb('subject_type', '=', 'topic'), eb('subject_ref', 'in', topicRefs)])] : []),
      ]),
    )
    .execute();
  return new Set(
    decisions
      .filter(
        (d) =>
          nearestLevel(rows, { decision: decisionRef(d), topic: topics.get(d.id) ?? null, group: slug }) === 'muted',
      )
      .map(decisionRef),
  );
}
