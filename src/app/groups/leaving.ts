// What leaving a group would end for one person, read before they leave so the page can say it: the
// answers of theirs that count on the group's open decisions (a standing block among them), the topic
// areas they facilitate there, and the notes they are named to take for its meetings. The same things
// leaveGroup ends (leave-group.ts); this reads them and changes nothing.
import { answerCountsAt, type ResponseKind, responsesJudgedAt, votesJudgedAt } from '../../domain/decisions/outcome.ts';
import type { Actor, Hub, Tx } from '../core/hub.ts';
import { decisionRef, decisionRows, decisionStates, notRecordedClosed } from '../decisions/decisions.ts';
import { meetingRef } from '../meetings/meetings.ts';
import { groupRow } from './groups.ts';
import { topicsFacilitatedIn } from './topic-areas.ts';

export type LeavingEnds = {
  /**
   * Open decisions where an answer of theirs counts now and would not once they left: it is shown but no
   * longer counted. Not one the tally already judged (a response past the deadline, a vote past the vote's
   * close, recorded closed by the close job or not): that one keeps counting.
   */
  answers: { ref: string; question: string; answer: ResponseKind | 'vote' }[];
  facilitates: { slug: string; name: string }[];
  /** Meetings whose notes they are named to take, not yet published: the duty falls to the organiser and the leads. */
  notes: { ref: string; title: string }[];
};

export async function whatLeavingEnds(hub: Hub, actor: Actor, slug: string): Promise<LeavingEnds> {
  if (actor.kind !== 'person') return { answers: [], facilitates: [], notes: [] };
  const db = hub.store.db;
  const me = actor.person.id;
  const g = await groupRow(db, slug);
  const [answers, topics, notes] = await Promise.all([
    answersLeavingEnds(db, hub, g.id, me),
    topicsFacilitatedIn(db, g.id, me),
    db
      .selectFrom('meetings')
      .select(['number', 'title'])
      .where('group_id', '=', g.id)
      .where('note_taker_id', '=', me)
      .where('notes_published_at', 'is', null)
      .where('cancelled_at', 'is', null)
      .orderBy('number')
      .execute(),
  ]);
  return {
    answers,
    facilitates: topics.map((t) => ({ slug: t.slug, name: t.name })),
    notes: notes.map((m) => ({ ref: meetingRef(m), title: m.title })),
  };
}

/**
 * The person's answers in the group that leaving now would end (LeavingEnds.answers): read by the page
 * beforehand and by leaveGroup in its transaction, for the event's `answersEnded`, so both say the same.
 */
export async function answersLeavingEnds(
  db: Tx,
  hub: Hub,
  groupId: string,
  me: string,
): Promise<LeavingEnds['answers']> {
  const [responses, votes] = await Promise.all([
    db
      .selectFrom('decision_responses as r')
      .innerJoin('decisions as d', 'd.id', 'r.decision_id')
      .select(['d.number', 'd.question', 'r.kind', 'r.at', 'r.eligible'])
      .where('d.group_id', '=', groupId)
      .where(notRecordedClosed('d.recorded_state'))
      .where('r.person_id', '=', me)
      .where('r.membership_ended_at', 'is', null)
      .orderBy('r.at')
      .execute(),
    db
      .selectFrom('decision_votes as v')
      .innerJoin('decisions as d', 'd.id', 'v.decision_id')
      .select(['d.number', 'd.question', 'v.eligible', 'v.at'])
      .where('d.group_id', '=', groupId)
      .where(notRecordedClosed('d.recorded_state'))
      .where('v.person_id', '=', me)
      .where('v.membership_ended_at', 'is', null)
      .orderBy('v.at')
      .execute(),
  ]);
  // a person's latest response is the one that stands (a withdrawn one counts for nothing), and leaving
  // ends it only where the decision's tally would count it now and not once they left (answerCountsAt,
  // domain/decisions/outcome.ts): an advisory answer never counted; a response is judged at the deadline
  // once it passed and a vote at the vote's close, recorded by the close job or not, so an answer to a
  // decision already past that instant keeps counting whoever leaves, and one given after it never counted
  const numbers = [...new Set([...responses, ...votes].map((a) => a.number))];
  const rows = await decisionRows(
    db,
    numbers.map((number) => decisionRef({ number })),
  );
  const states = await decisionStates(db, hub, rows, { silence: false });
  const now = hub.clock.now().getTime();
  const judged = new Map(
    rows.map((d, i) => {
      const closes = states[i]!.voteClosesAt;
      return [
        d.number,
        {
          closed: states[i]!.phase === 'closed',
          response: { at: responsesJudgedAt(d, now), until: new Date(d.deadline).getTime() },
          vote: { at: votesJudgedAt(closes, now), until: closes ? new Date(closes).getTime() : -Infinity },
        },
      ] as const;
    }),
  );
  /** Whether the tally counts this answer now and would not once its author left now. */
  const endsOnLeaving = (number: number, kind: 'response' | 'vote', a: { eligible: number; at: string }) => {
    const j = judged.get(number);
    if (!j || j.closed) return false;
    const { at: limit, until } = j[kind];
    const given = new Date(a.at).getTime();
    // the tally takes a block given at the deadline, and a vote cast before the vote's close
    if (kind === 'response' ? given > until : given >= until) return false;
    const eligible = a.eligible === 1;
    return (
      answerCountsAt({ eligible, membershipEndedAt: null }, limit) &&
      !answerCountsAt({ eligible, membershipEndedAt: new Date(now).toISOString() }, limit)
    );
  };
  type Standing = { question: string; answer: ResponseKind | 'vote' | 'withdrawn'; ends: boolean };
  const latest = new Map<number, Standing>();
  for (const r of responses)
    latest.set(r.number, { question: r.question, answer: r.kind, ends: endsOnLeaving(r.number, 'response', r) });
  // a vote stands beside the response before it: the vote is named when leaving ends it
  for (const v of votes)
    if (endsOnLeaving(v.number, 'vote', v)) latest.set(v.number, { question: v.question, answer: 'vote', ends: true });
  const answers = [...latest]
    .filter(
      (e): e is [number, Standing & { answer: ResponseKind | 'vote' }] => e[1].answer !== 'withdrawn' && e[1].ends,
    )
    .sort(([a], [b]) => a - b)
    .map(([number, a]) => ({ ref: decisionRef({ number }), question: a.question, answer: a.answer }));
  return answers;
}
