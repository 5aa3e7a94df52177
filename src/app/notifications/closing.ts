// The "closing soon" timer: closingSoonHours before a decision's deadline, every member whose voice
// counts and who has not answered is told, urgently. It runs as a job, so it is done once across
// processes; it reads the decision's state when it runs, so a decision already decided tells nobody.
// A member's subscriptions count as for other kinds: the decision's own, then its proposal's topic
// area, then its group; muted at the nearest of these, they are not reminded.
import { type ClaimedJob, payloadOf } from '../core/jobs.ts';
import { type Hub, inTransaction, type Tx } from '../core/hub.ts';
import { decisionRef, decisionRow, decisionView } from '../decisions/decisions.ts';
import { proposalRow } from '../proposals/proposals.ts';
import { queueChat } from './chat.ts';
import { ClosingJob, type NotifyOptions, writeNotices } from './notify.ts';
import type { Notice } from './recipients.ts';
import { subscriptionLevels } from './recipients.ts';

export async function remindDecisionClosing(hub: Hub, job: ClaimedJob, opts: NotifyOptions): Promise<void> {
  const ref = payloadOf(job, ClosingJob).decision;
  await inTransaction(hub, async (trx) => {
    const d = await decisionRow(trx, ref).catch(() => null);
    if (!d) return;
    const v = await decisionView(trx, hub, d);
    if (v.state.phase !== 'lazy-consensus' || v.state.outcome !== 'pending') return;
    const answered = new Set(v.responses.map((r) => r.handle.toLowerCase()));
    const members = await trx
      .selectFrom('group_members as m')
      .innerJoin('people as p', 'p.id', 'm.person_id')
      .innerJoin('groups as g', 'g.id', 'm.group_id')
      .select(['p.id', 'p.handle', 'g.slug'])
      .where('m.group_id', '=', d.group_id)
      .where('m.emeritus', '=', 0)
      .where('m.level', 'in', hub.governance.decisions.eligibleLevels)
      .execute();
    const groupSlug = members[0]?.slug ?? null;
    const levels = await subscriptionLevels(trx, 'decision', decisionRef(d), groupSlug, await topicOf(trx, d));
    const notices: Notice[] = members
      .filter((m) => !answered.has(m.handle.toLowerCase()) && levels.get(m.id) !== 'muted')
      .map((m) => ({
        personId: m.id,
        kind: 'decision-closing',
        reason: 'member',
        subject: { type: 'decision', ref: decisionRef(d) },
        groupSlug,
        title: `${decisionRef(d)} closes soon and waits for your answer: ${d.question}`,
        deadline: d.deadline,
      }));
    if (notices.length && hub.governance.notifications.kinds['decision-closing'].enabled)
      await writeNotices(trx, hub, 0, notices, opts);
    if (opts.publicUrl)
      await queueChat(trx, hub, d.group_id, {
        event: 'decision-closing',
        group: groupSlug ?? '',
        title: `${decisionRef(d)} closes soon: ${d.question}`,
        url: `${opts.publicUrl}/decisions/${decisionRef(d)}`,
        lines: [`Silence is consent: object by ${d.deadline.slice(0, 16).replace('T', ' ')} UTC`],
        at: hub.clock.now().toISOString(),
      });
  });
}

/**
 * The topic area (GROUP/TOPIC) of the proposal a decision decides, if it has one: a topic area
 * muted or watched counts for its reminders as for every other kind (recipients.ts).
 */
async function topicOf(
  trx: Tx,
  d: { subject_type: string | null; subject_ref: string | null },
): Promise<string | null> {
  if (d.subject_type !== 'proposal' || !d.subject_ref) return null;
  const p = await proposalRow(trx, d.subject_ref).catch(() => null);
  if (!p?.topic_area_id) return null;
  const t = await trx
    .selectFrom('topic_areas')
    .innerJoin('groups', 'groups.id', 'topic_areas.group_id')
    .select(['groups.slug as group', 'topic_areas.slug as topic'])
    .where('topic_areas.id', '=', p.topic_area_id)
    .executeTakeFirst();
  return t ? `${t.group}/${t.topic}` : null;
}
