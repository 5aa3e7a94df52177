// A person who gains a voice in a group while its decisions are open (made a member or lead, joined
// at such a level, or back from emeritus) is told of each open decision that now waits for their
// answer: the proof of informed silence counts their silence from then on, so it must be informed as
// the group's was when the decision opened. One list of notices per decision (each is one subject).
import type { Hub, RecordedEvent, Tx } from '../core/hub.ts';
import { decisionRef, decisionView } from '../decisions/decisions.ts';
import type { Notice } from './recipients.ts';
import { countingIds, subscriptionLevels } from './recipients.ts';

/** The events after which a person may have gained a voice in a group. */
export const STANDING_EVENTS = new Set(['group.member-level-set', 'group.member-joined', 'group.member-returned']);

/** Whom the event gave a voice they lacked before (by handle), or null. */
function gainedVoice(hub: Hub, e: RecordedEvent): string | null {
  const after = e.after ?? {};
  const before = e.before ?? {};
  const counts = (level: unknown) =>
    typeof level === 'string' && (hub.governance.decisions.eligibleLevels as readonly string[]).includes(level);
  if (e.kind === 'group.member-returned')
    return before.emeritus === true && counts(after.level) && e.actor.kind === 'person' ? e.actor.person.handle : null;
  if (!counts(after.level) || typeof after.handle !== 'string') return null;
  if (e.kind === 'group.member-level-set' && e.before && counts(before.level)) return null;
  return after.handle;
}

export async function openDecisionNotices(trx: Tx, hub: Hub, e: RecordedEvent): Promise<Notice[][]> {
  if (!STANDING_EVENTS.has(e.kind)) return [];
  const handle = gainedVoice(hub, e);
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
