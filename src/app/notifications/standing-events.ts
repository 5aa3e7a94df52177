// A person who gains a voice in a group while its decisions are open (made a member or lead, joined
// at such a level, or back from emeritus or a lapse, by joining again or by taking part: voice.ts) is
// told of each open decision that now waits for their answer: the proof of informed silence counts
// their silence from then on, so it must be informed as the group's was when the decision opened. One
// list of notices per decision (each is one subject).
import type { Hub, RecordedEvent, Tx } from '../core/hub.ts';
import { decisionRef, decisionView } from '../decisions/decisions.ts';
import type { Notice } from './recipients.ts';
import { countingIds, subscriptionLevels } from './recipients.ts';
import { STANDING_EVENTS, voiceGainedBy } from './voice.ts';

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
  const out: Notice[][] = [];
  for (const d of rows) {
    const v = await decisionView(trx, hub, d);
    if (v.state.outcome !== 'pending' || (v.state.phase !== 'lazy-consensus' && v.state.phase !== 'vote')) continue;
    const vote = v.state.phase === 'vote';
    const answered = (vote ? v.votes : v.responses).some((r) => r.handle.toLowerCase() === p.handle.toLowerCase());
    // under lazy consensus, opening it is the opener's answer
    if (answered || (!vote && d.opened_by.toLowerCase() === p.handle.toLowerCase())) continue;
    const ref = decisionRef(d);
    const levels = await subscriptionLevels(trx, 'decision', ref, g.slug);
    if (levels.get(p.id) === 'muted') continue;
    out.push([
      {
        personId: p.id,
        kind: vote ? 'vote-opened' : 'decision-opened',
        reason: 'member',
        subject: { type: 'decision', ref },
        groupSlug: g.slug,
        title: vote
          ? `${ref} is in a vote, and your vote now counts: ${d.question}`
          : `${ref} is open, and your answer now counts: ${d.question}`,
        deadline: vote ? (v.state.voteClosesAt ?? d.deadline) : d.deadline,
      },
    ]);
  }
  return out;
}
