// The "closing soon" timers: closingSoonHours before a decision's deadline, every member whose voice
// counts and who has not answered is told, urgently (each when awake: one whose night, their quiet
// hours or the governance file's reminderNight in their zone, holds that moment is told before that
// night began instead, so the timer first runs a day early and again at each member's time); the same hours before a vote closes, every such
// member who has not voted is told (`vote-closing`: a vote, its choices, when it closes, and that a
// reply to the mail answering "yes", "no" or "abstain" casts it). Each runs as a job, so it is done
// once across processes; it reads the decision's state when it runs, so a decision already decided,
// or no longer in the phase the timer was set for (a vote asked for before the lazy-consensus
// deadline; a vote already closed), tells nobody. A member's subscriptions count as for other kinds:
// the decision's own, then its proposal's topic area, then its group; muted at the nearest of these,
// they are not reminded. Each decision has one timer of each kind (its job's key), so a member already
// told of this kind about this decision was told by this same job, run again: a worker that died, or
// lost its lease, after the notices committed and before it marked the job done (delivery is at least
// once). They are not told twice.
import { type ClaimedJob, payloadOf } from '../core/jobs.ts';
import { type Hub, inTransaction } from '../core/hub.ts';
import { decisionRef, decisionRow, decisionView } from '../decisions/decisions.ts';
import { queueChat } from './chat.ts';
import type { z } from 'zod';
import { awakeReminderAt } from '../../domain/notifications/timing.ts';
import { enqueueMany } from '../core/jobs.ts';
import { CLOSING_QUEUE, ClosingJob, type NotifyOptions, writeNotices } from './notify.ts';
import { preferencesOfMany } from './preferences.ts';
import type { Notice } from './recipients.ts';
import { countingIds, decisionTopics, subscriptionLevels } from './recipients.ts';

const utc = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

export async function remindDecisionClosing(hub: Hub, job: ClaimedJob, opts: NotifyOptions): Promise<void> {
  const { decision: ref, phase, deadline: setFor, since } = payloadOf(job, ClosingJob);
  await inTransaction(hub, async (trx) => {
    // held until the notices are written, so a second run of this job waits and then finds them
    const d = await decisionRow(trx, ref, { lock: hub }).catch(() => null);
    if (!d) return;
    // set for a deadline since extended again: the timer of the new one reminds
    if (setFor !== undefined && setFor !== d.deadline) return;
    const v = await decisionView(trx, hub, d);
    if (v.state.phase !== phase || v.state.outcome !== 'pending') return;
    const vote = phase === 'vote';
    // in a vote only a vote answers it: a response given under lazy consensus is not a vote
    const answered = new Set((vote ? v.votes : v.responses).map((r) => r.handle.toLowerCase()));
    const deadline = vote ? (v.state.voteClosesAt ?? d.deadline) : d.deadline;
    const kind = vote ? 'vote-closing' : 'decision-closing';
    const rules = hub.governance.notifications;
    const now = hub.clock.now();
    const due = new Date(new Date(deadline).getTime() - rules.closingSoonHours * 3_600_000);
    const members = await trx
      .selectFrom('group_members as m')
      .innerJoin('people as p', 'p.id', 'm.person_id')
      .innerJoin('groups as g', 'g.id', 'm.group_id')
      .select(['p.id', 'p.handle', 'p.time_zone', 'g.slug'])
      .where('m.group_id', '=', d.group_id)
      .where('m.emeritus', '=', 0)
      .where('m.level', 'in', hub.governance.decisions.eligibleLevels)
      .execute();
    const groupSlug = members[0]?.slug ?? null;
    const levels = await subscriptionLevels(
      trx,
      'decision',
      decisionRef(d),
      groupSlug,
      (await decisionTopics(trx, [d])).get(d.id) ?? null,
    );
    // a member whose standing lapsed (inactive past the governance file's days) answers only in an
    // advisory voice: told at the opening that it is advisory, they are not told it waits for them
    const counting = await countingIds(trx, hub, d.group_id);
    // reminded by an earlier run of this timer (one whose night came before the others' time)
    const reminded = new Set(
      (
        await trx
          .selectFrom('notifications')
          .select('person_id')
          .where('subject_type', '=', 'decision')
          .where('subject_ref', '=', decisionRef(d))
          .where('kind', '=', kind)
          // after an extension, a reminder of the earlier deadline does not stand for this one
          .$if(since !== undefined, (q) => q.where('updated_at', '>', since!))
          .execute()
      ).map((r) => r.person_id),
    );
    const waiting = members.filter(
      (m) =>
        counting.has(m.id) &&
        !answered.has(m.handle.toLowerCase()) &&
        levels.get(m.id) !== 'muted' &&
        !reminded.has(m.id),
    );
    // each is reminded when they are awake to read it: at the due time, or before their night if it
    // falls in it (their quiet hours, or the governance file's reminderNight), never later
    const prefs = await preferencesOfMany(
      trx,
      hub,
      waiting.map((m) => m.id),
    );
    const timed = waiting.map((m) => {
      const p = prefs.get(m.id)!;
      const night = p.quietStart && p.quietEnd ? { start: p.quietStart, end: p.quietEnd } : rules.reminderNight;
      const at = now >= due ? now : awakeReminderAt(due, m.time_zone, night, Math.max(60, rules.batchMinutes));
      return { ...m, at };
    });
    const notices: Notice[] = timed
      .filter((m) => m.at <= now)
      .map((m) => ({
        personId: m.id,
        kind,
        reason: 'member',
        subject: { type: 'decision', ref: decisionRef(d) },
        groupSlug,
        title: vote
          ? `The vote on ${decisionRef(d)} closes soon and waits for your vote: ${d.question}`
          : `${decisionRef(d)} closes soon and waits for your answer: ${d.question}`,
        deadline,
      }));
    if (notices.length && rules.kinds[kind].enabled) await writeNotices(trx, hub, 0, notices, opts);
    // before the due time the timer runs again: at the next member's time, and at the due time itself
    // (for everyone else, and whoever gained a voice meanwhile)
    if (now < due) {
      const next = timed
        .map((m) => m.at)
        .filter((at) => at > now)
        .reduce((a, b) => (b < a ? b : a), due);
      await enqueueMany(trx, hub, [
        {
          queue: CLOSING_QUEUE,
          // keyed by the deadline too: a job of an earlier deadline keeps its key once done, and one
          // of the same time for the new deadline (an extension within the same night) must still run
          key: `${vote ? 'vote-closing' : 'closing'}:${decisionRef(d)}@${deadline}@${next.toISOString()}`,
          // the deadline an extension set it for, and since when a reminder counts, go on with it
          payload: {
            decision: decisionRef(d),
            phase,
            // the deadline it reminds of, so a run after an extension finds it moved and stops
            ...(vote ? (setFor !== undefined ? { deadline: setFor } : {}) : { deadline: setFor ?? d.deadline }),
            ...(since !== undefined ? { since } : {}),
          } satisfies z.input<typeof ClosingJob>,
          runAt: next,
        },
      ]);
      return;
    }
    // keyed: a reminder job run twice (a lease lost after its commit) posts once
    if (opts.publicUrl)
      await queueChat(trx, hub, d.group_id, `${kind}:${decisionRef(d)}@${deadline}`, {
        event: kind,
        group: groupSlug ?? '',
        title: vote
          ? `The vote on ${decisionRef(d)} closes soon: ${d.question}`
          : `${decisionRef(d)} closes soon: ${d.question}`,
        url: `${opts.publicUrl}/decisions/${decisionRef(d)}`,
        lines: [
          vote
            ? `Vote yes, no or abstain by ${utc(deadline)}; in a vote, silence is not consent`
            : `Silence is consent: object by ${utc(deadline)}`,
        ],
        at: now.toISOString(),
      });
  });
}
