// What leaving a group would end for one person, read before they leave so the page can say it: the
// answers of theirs that count on the group's open decisions (a standing block among them), the topic
// areas they facilitate there, and the notes they are named to take for its meetings. The same things
// leaveGroup ends (leave-group.ts); this reads them and changes nothing.
import type { ResponseKind } from '../../domain/decisions/outcome.ts';
import type { Actor, Hub } from '../core/hub.ts';
import { decisionRef, notRecordedClosed } from '../decisions/decisions.ts';
import { meetingRef } from '../meetings/meetings.ts';
import { groupRow } from './groups.ts';
import { topicsFacilitatedIn } from './topic-areas.ts';

export type LeavingEnds = {
  /** Open decisions where an answer of theirs counts now: it is shown but no longer counted once they leave. */
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
  const [responses, votes, topics, notes] = await Promise.all([
    db
      .selectFrom('decision_responses as r')
      .innerJoin('decisions as d', 'd.id', 'r.decision_id')
      .select(['d.number', 'd.question', 'r.kind', 'r.at', 'r.eligible'])
      .where('d.group_id', '=', g.id)
      .where(notRecordedClosed('d.recorded_state'))
      .where('r.person_id', '=', me)
      .where('r.membership_ended_at', 'is', null)
      .orderBy('r.at')
      .execute(),
    db
      .selectFrom('decision_votes as v')
      .innerJoin('decisions as d', 'd.id', 'v.decision_id')
      .select(['d.number', 'd.question', 'v.eligible'])
      .where('d.group_id', '=', g.id)
      .where(notRecordedClosed('d.recorded_state'))
      .where('v.person_id', '=', me)
      .where('v.membership_ended_at', 'is', null)
      .orderBy('v.at')
      .execute(),
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
  // a person's latest response is the one that stands (a withdrawn one counts for nothing), and it
  // counts only when given as one whose answer counts (eligible), as the decision's tally has it
  // (answerCountsAt, domain/decisions/outcome.ts): an advisory answer never counted, so leaving ends nothing
  type Standing = { question: string; answer: ResponseKind | 'vote' | 'withdrawn'; eligible: boolean };
  const latest = new Map<number, Standing>();
  for (const r of responses) latest.set(r.number, { question: r.question, answer: r.kind, eligible: r.eligible === 1 });
  for (const v of votes) latest.set(v.number, { question: v.question, answer: 'vote', eligible: v.eligible === 1 });
  const answers = [...latest]
    .filter(
      (e): e is [number, Standing & { answer: ResponseKind | 'vote' }] => e[1].answer !== 'withdrawn' && e[1].eligible,
    )
    .sort(([a], [b]) => a - b)
    .map(([number, a]) => ({ ref: decisionRef({ number }), question: a.question, answer: a.answer }));
  return {
    answers,
    facilitates: topics.map((t) => ({ slug: t.slug, name: t.name })),
    notes: notes.map((m) => ({ ref: meetingRef(m), title: m.title })),
  };
}
