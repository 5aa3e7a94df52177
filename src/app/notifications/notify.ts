// The notifications reaction: in the transaction of every recorded event, work out who is told
// (recipients.ts), write their inbox rows, and queue their mail. Events about the same subject
// fold into an unread row whose mail has not gone yet (one mail, "3 updates"); past the hourly
// cap, mail waits for the person's digest. A group-wide event in a big group is fanned out by the
// worker instead (one job in the transaction). Nothing here does I/O beyond the database: the
// worker sends the mail (mail.ts).
import type { ExpressionBuilder } from 'kysely';
import { z } from 'zod';
import { voteOpeningTime } from '../../domain/decisions/outcome.ts';
import {
  afterQuietHours,
  digestTooLate,
  nextDigestAt,
  onWallClock,
  REMINDER_EARLIEST_HOURS,
} from '../../domain/notifications/timing.ts';
import {
  type Database,
  type EventsTable,
  type JobPayload,
  type NotificationsTable,
  readJson,
  writeJson,
} from '../../store/schema.ts';
import { factText } from '../../store/events.ts';
import { type Hub, inTransaction, type Reaction, type RecordedEvent, type Tx } from '../core/hub.ts';
import { type ClaimedJob, enqueueMany, type JobSpec } from '../core/jobs.ts';
import { preferencesOfMany } from './preferences.ts';
import { openDecisionNotices } from './standing-events.ts';
import { audiencePage, groupWideAudience, type Notice, noticesFor } from './recipients.ts';
import { mailReach } from '../../domain/people.ts';
import { CONFIRM_QUEUE, CONFIRMATION_REQUESTED, type ConfirmJob } from '../people/email.ts';

export const MAIL_QUEUE = 'notify.mail';
export const DIGEST_QUEUE = 'notify.digest';
export const CLOSING_QUEUE = 'notify.closing';
export const FANOUT_QUEUE = 'notify.fanout';
/** Each queue's payload, as the reactions below write it and its handler reads it (`payloadOf`). */
export const MailJob = z.object({ notification: z.string() });
export const DigestJob = z.object({ person: z.string() });
/**
 * Each person's latest digest period on record (claimed before it is mailed: app/notifications/mail.ts,
 * `digest_sends`). A person's next digest slot is counted from it, not from this process's clock alone.
 */
export async function lastDigestPeriods(db: Tx, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!ids.length) return out;
  for (const r of await db
    .selectFrom('digest_sends')
    .select((eb) => ['person_id', eb.fn.max('period').as('period')])
    .where('person_id', 'in', ids)
    .groupBy('person_id')
    .execute())
    out.set(r.person_id, String(r.period));
  return out;
}

/**
 * Where a person's next digest slot is counted from: now, or their latest period on record when that
 * is not earlier. A process whose clock is a few seconds behind another's, writing a notice just after
 * that period's digest was claimed, would otherwise key it to the period already gone (a job long done:
 * the notice then waited for nobody's digest), or give one period a second digest.
 */
export function digestCountedFrom(now: Date, lastPeriod: string | undefined): Date {
  const last = lastPeriod ? Date.parse(lastPeriod) : Number.NaN;
  return !Number.isNaN(last) && last >= now.getTime() ? new Date(last) : now;
}

/** A person's digest due at `at`: one job a digest time, whatever adds to it (keyed so). */
export function digestJob(personId: string, at: Date): JobSpec {
  return {
    queue: DIGEST_QUEUE,
    key: `digest:${personId}:${at.toISOString()}`,
    payload: { person: personId } satisfies z.input<typeof DigestJob>,
    runAt: at,
  };
}
/**
 * A "closes soon" timer: for the lazy-consensus phase (its deadline) or for the vote (its close).
 * A job written before votes had one has no phase: it is the lazy-consensus one.
 */
export const ClosingJob = z.object({
  decision: z.string(),
  phase: z.enum(['lazy-consensus', 'vote']).default('lazy-consensus'),
  /**
   * The deadline it was set for, when an extension set it (`closing:D-n@deadline`): it reminds nobody
   * if the deadline moved again since, and counts as already told only those reminded since `since`
   * (a reminder of the earlier deadline does not stand for this one).
   */
  deadline: z.string().optional(),
  since: z.string().optional(),
});

/** A group-wide event reaching more members than this is fanned out by the worker, not in the write. */
export const FANOUT_INLINE_LIMIT = 200;

/**
 * A notice's deadline line, with what silence means by then: under lazy consensus silence counts as
 * consent, so staying silent is a choice the reader must know they are making; in a vote it is not.
 * Someone whose answer does not count (`counts` names who does) is told so, not that their silence
 * is consent.
 */
function byWhen(kind: string, when: string, advisory: boolean, counts: string): string {
  if (kind === 'vote-closing')
    return `Vote yes, no or abstain by ${when}; in a vote, silence is not consent: a vote not cast is not counted`;
  if (advisory && (kind === 'decision-opened' || kind === 'decision-closing' || kind === 'decision-extended'))
    return `Answer by ${when}; your answer is advisory: only the answers of a group ${counts} count, and their silence by then counts as consent`;
  if (advisory && kind === 'vote-opened')
    return `Vote by ${when}; your vote is advisory: only the votes of a group ${counts} count`;
  if (kind === 'decision-opened' || kind === 'decision-closing')
    return `Answer by ${when}; silence by then counts as consent`;
  if (kind === 'decision-extended') return `Now answer by ${when}; silence by then counts as consent`;
  if (kind === 'vote-opened') return `Vote by ${when}; in a vote, silence is not consent`;
  return `Answer by ${when}`;
}

export type NotifyOptions = {
  /** Whether mail can be sent at all (SMTP configured); without it, notifications stay in the inbox. */
  mail: boolean;
  /** The hub's public origin, for links in chat messages; without it, nothing is posted to chat. */
  publicUrl?: string;
  /** Members past which a group-wide event becomes one fan-out job (FANOUT_INLINE_LIMIT). */
  inlineLimit?: number;
  /** People a fan-out writes per transaction (FANOUT_BATCH). */
  fanoutBatch?: number;
  /**
   * Told after each fan-out batch is written, inside its transaction, with how long the transaction
   * has held the database so far (bench/notifications.ts; tests: a crash in the middle of a fan-out).
   */
  onFanoutBatch?: (people: number, ms: number) => void;
};

/**
 * Small audiences (a mention, a proposal's authors, a group of a few dozen) get their inbox rows in
 * the event's own transaction, so they show at once. A group-wide event in a big group instead
 * writes ONE fan-out job in that transaction (it commits with the event or not at all) and the
 * worker expands it into per-person rows and mail jobs: writing 10,000 rows inside the user's
 * write made it 40 times slower (bench/notifications.ts).
 */
export function notificationsReaction(opts: NotifyOptions): Reaction {
  return async (trx, hub, e) => {
    if (e.kind === 'decision.opened') await scheduleClosingSoon(trx, hub, e);
    if (e.kind === 'decision.extended') await rescheduleClosingSoon(trx, hub, e);
    if (
      (e.kind === 'decision.vote-requested' && e.after?.voteOpened === true) ||
      (e.kind === 'decision.phase-changed' && e.after?.phase === 'vote')
    )
      await scheduleVoteClosingSoon(trx, hub, e);
    if (e.kind === CONFIRMATION_REQUESTED) {
      const confirmation = factText(e.after, 'confirmation');
      const invitedBy = factText(e.after, 'invitedBy');
      // without SMTP nothing is mailed: the person's page says the link has not gone
      if (opts.mail && confirmation)
        await enqueueMany(trx, hub, [
          {
            queue: CONFIRM_QUEUE,
            key: `confirm:${confirmation}`,
            payload: { confirmation, ...(invitedBy ? { invitedBy } : {}) } satisfies z.input<typeof ConfirmJob>,
          },
        ]);
      return;
    }
    const audience = await groupWideAudience(trx, e);
    if (audience > (opts.inlineLimit ?? FANOUT_INLINE_LIMIT)) {
      await enqueueMany(trx, hub, [{ queue: FANOUT_QUEUE, key: `fanout:${e.seq}`, payload: { seq: e.seq } }]);
      return;
    }
    const notices = await noticesFor(trx, hub, e);
    if (notices.length) await writeNotices(trx, hub, e.seq, notices, opts);
    // a voice gained while decisions are open: told of each, as the group was when it opened
    for (const each of await openDecisionNotices(trx, hub, e)) await writeNotices(trx, hub, e.seq, each, opts);
  };
}

/**
 * Who an event told, from the notices its reaction actually wrote (inside the same transaction): how
 * many people have an inbox row it wrote or folded into, and whether the rest are still to be told by
 * a fan-out (a group too big to tell inline is told in batches by the worker).
 */
export async function toldBy(
  trx: Tx,
  seq: number,
  subject: { type: string; ref: string },
): Promise<{ people: number; inBatches: boolean }> {
  // by its subject first (indexed), then the event
  const row = await trx
    .selectFrom('notifications')
    .select((eb) => eb.fn.count<number>('person_id').distinct().as('n'))
    .where('subject_type', '=', subject.type)
    .where('subject_ref', '=', subject.ref)
    .where('last_event_seq', '=', seq)
    .executeTakeFirst();
  const fanout = await trx
    .selectFrom('jobs')
    .select('id')
    .where('queue', '=', FANOUT_QUEUE)
    .where('key', '=', `fanout:${seq}`)
    .executeTakeFirst();
  return { people: Number(row?.n ?? 0), inBatches: fanout !== undefined };
}

/** People a fan-out writes per transaction: each batch holds the write lock for a short while. */
export const FANOUT_BATCH = 250;

/**
 * The worker's half of a fan-out, page by page: the next `fanoutBatch` members of the group by
 * keyset (person id after the cursor), who of them and of the others in that stretch of ids is told
 * (reads only, for that page alone: `noticesFor` with a range), then their inbox rows and mail jobs in
 * one short transaction, with a turn of the event loop before the next page. Neither a read nor a
 * write covers the whole group, so on SQLite (whose driver runs each statement synchronously) the
 * process answers other requests between pages, and on both databases the user's writes wait for
 * one page at most. Each page's transaction moves the job's cursor (the last id of the page, kept in
 * its payload), and only if the cursor is still where this worker left it: a worker killed between
 * pages leaves the next one to a retry, which starts after the cursor (nothing lost, nothing written
 * twice), and two workers racing on one job cannot both write a page. The last page (fewer members
 * than a page, and everyone after them) marks the job done.
 */
export async function expandFanout(hub: Hub, job: ClaimedJob, opts: NotifyOptions): Promise<void> {
  const db = hub.store.db;
  const current = await db
    .selectFrom('jobs')
    .select(['payload', 'done_at'])
    .where('id', '=', job.id)
    .executeTakeFirst();
  if (!current || current.done_at) return;
  let progress = current.payload;
  const facts = readJson(progress);
  const seq = Number(facts.seq);
  let after = String(facts.after ?? '');
  const row = await db.selectFrom('events').selectAll().where('seq', '=', Number(seq)).executeTakeFirst();
  const event = row ? await recordedEvent(db, row) : undefined;
  const size = Math.max(1, opts.fanoutBatch ?? FANOUT_BATCH);
  for (;;) {
    const page = event ? await audiencePage(db, event, after, size) : [];
    const until = page.length === size ? page.at(-1) : undefined;
    const last = until === undefined;
    const notices = event ? await noticesFor(db, hub, event, { after, ...(last ? {} : { until }) }) : [];
    const next = last ? progress : writeJson<JobPayload>({ seq, after: until });
    const mine = await inTransaction(hub, async (trx) => {
      const began = performance.now();
      const moved = await trx
        .updateTable('jobs')
        .set({ payload: next, ...(last ? { done_at: hub.clock.now().toISOString() } : {}) })
        .where('id', '=', job.id)
        .where('payload', '=', progress)
        .where('done_at', 'is', null)
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) return false;
      if (notices.length) await writeNotices(trx, hub, Number(seq), notices, opts);
      opts.onFanoutBatch?.(notices.length, performance.now() - began);
      return true;
    });
    if (!mine || last) return; // done, or another worker took the job over
    progress = next;
    after = until;
    // better-sqlite3 runs each statement synchronously: without a turn of the event loop between
    // pages, requests waiting on this process would wait for the whole fan-out anyway
    await new Promise((r) => setImmediate(r));
  }
}

/** An event as its reaction saw it, read back from the log (the actor by handle). */
async function recordedEvent(trx: Tx, row: EventsTable): Promise<RecordedEvent> {
  const name = row.actor ?? 'system:unknown';
  const person = name.startsWith('system:')
    ? undefined
    : await trx.selectFrom('people').selectAll().where('handle', '=', name).executeTakeFirst();
  return {
    seq: Number(row.seq),
    at: row.at,
    actor: person ? { kind: 'person', person } : { kind: 'system', label: name.replace(/^system:/, '') },
    kind: row.kind,
    subject: { type: row.subject_type, id: row.subject_id },
    before: readJson(row.before),
    after: readJson(row.after),
  };
}

/** A notice's mail state when the person cannot be mailed: no confirmed address (one waits), or none on record. */
export const NOT_MAILABLE = ['unconfirmed', 'no-address'] as const;
const unmailable = (state: string | null) => (NOT_MAILABLE as readonly (string | null)[]).includes(state);

/** An unread notice news may still fold into: not mailed yet (queued, waiting for a digest), or never to be. */
const stillFoldable = (eb: ExpressionBuilder<Database, 'notifications'>) =>
  eb.or([eb('mail_state', 'is', null), eb('mail_state', 'in', ['queued', 'digest', ...NOT_MAILABLE])]);

/**
 * The "closing soon" reminder is a timer job: due closingSoonHours before the deadline, it first runs
 * up to a day before that (REMINDER_EARLIEST_HOURS), for those whose night holds the due time, and
 * again at the due time (closing.ts).
 */
async function scheduleClosingSoon(trx: Tx, hub: Hub, e: RecordedEvent): Promise<void> {
  const deadline = factText(e.after, 'deadline') ?? '';
  if (!deadline) return;
  const at = new Date(
    new Date(deadline).getTime() -
      (hub.governance.notifications.closingSoonHours + REMINDER_EARLIEST_HOURS) * 3_600_000,
  );
  const now = hub.clock.now();
  await enqueueMany(trx, hub, [
    {
      queue: CLOSING_QUEUE,
      key: `closing:${e.subject.id}`,
      // the deadline it reminds of: extended before it runs, it finds the deadline moved and stops
      payload: { decision: e.subject.id, deadline } satisfies z.input<typeof ClosingJob>,
      runAt: at > now ? at : now,
    },
  ]);
}

/**
 * A deadline extended: the "closes soon" timers set for an earlier deadline are done without running
 * (one waiting would remind everyone a day or two before a deadline that no longer holds), and one is
 * set closingSoonHours before the new deadline, keyed by it, counting as told only those it reminds
 * itself. When that moment has already come, none is set: the extension's own notice, sent now, says
 * the new deadline and that silence by then counts as consent, and a reminder at once would repeat it.
 */
async function rescheduleClosingSoon(trx: Tx, hub: Hub, e: RecordedEvent): Promise<void> {
  const deadline = factText(e.after, 'deadline');
  if (!deadline) return;
  const ref = e.subject.id;
  const now = hub.clock.now();
  await trx
    .updateTable('jobs')
    .set({ done_at: now.toISOString() })
    .where('queue', '=', CLOSING_QUEUE)
    .where('done_at', 'is', null)
    .where((eb) => eb.or([eb('key', '=', `closing:${ref}`), eb('key', 'like', `closing:${ref}@%`)]))
    .execute();
  const at = new Date(new Date(deadline).getTime() - hub.governance.notifications.closingSoonHours * 3_600_000);
  if (at <= now) return;
  // first run up to a day early, for whoever's night holds the due time (closing.ts)
  const first = new Date(Math.max(now.getTime(), at.getTime() - REMINDER_EARLIEST_HOURS * 3_600_000));
  await enqueueMany(trx, hub, [
    {
      queue: CLOSING_QUEUE,
      key: `closing:${ref}@${deadline}`,
      payload: { decision: ref, deadline, since: e.at } satisfies z.input<typeof ClosingJob>,
      runAt: first,
    },
  ]);
}

/**
 * The vote's "closes soon" timer: closingSoonHours before the vote closes. A vote a lead's request
 * opened is scheduled by that request, and the close job's later record of the phase finds the same
 * job key (one reminder). A vote shorter than that window gets none: its opening notice, sent at
 * once, already says when it closes, and a second notice at the same moment would say nothing new.
 */
async function scheduleVoteClosingSoon(trx: Tx, hub: Hub, e: RecordedEvent): Promise<void> {
  const n = Number(/^D-(\d+)$/.exec(e.subject.id)?.[1]);
  const d = await trx
    .selectFrom('decisions')
    .select(['deadline', 'vote_requested_at'])
    .where('number', '=', n)
    .executeTakeFirst();
  if (!d) return;
  const opens = voteOpeningTime(d.deadline, d.vote_requested_at).getTime();
  const closes = opens + hub.governance.decisions.vote.durationDays * 86_400_000;
  const due = closes - hub.governance.notifications.closingSoonHours * 3_600_000;
  if (due <= opens) return;
  // first run up to a day early, for whoever's night holds the due time (closing.ts)
  const at = new Date(Math.max(opens, due - REMINDER_EARLIEST_HOURS * 3_600_000));
  const now = hub.clock.now();
  await enqueueMany(trx, hub, [
    {
      queue: CLOSING_QUEUE,
      key: `vote-closing:${e.subject.id}`,
      payload: { decision: e.subject.id, phase: 'vote' } satisfies z.input<typeof ClosingJob>,
      runAt: at > now ? at : now,
    },
  ]);
}

const chunks = <T>(xs: T[], n: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
};

/**
 * Which unread notice news folds into: one per person, kind and subject ("D-1 opened (3 updates)"),
 * but a block is its own notice per blocker (its title names them), so a second block never hides a
 * first that still stands behind "(2 updates)" and the latest title; the same person blocking again
 * folds into their own.
 */
const BY_TITLE: ReadonlySet<string> = new Set(['decision-blocked']);
const foldKey = (person: string, kind: string, title: string): string =>
  BY_TITLE.has(kind) ? `${person}:${kind}:${title}` : `${person}:${kind}`;

/** Writes inbox rows for `notices` (all about one subject) and queues the mail they need. */
export async function writeNotices(
  trx: Tx,
  hub: Hub,
  seq: number,
  notices: Notice[],
  opts: NotifyOptions,
): Promise<void> {
  const rules = hub.governance.notifications;
  const now = hub.clock.now();
  const nowIso = now.toISOString();
  const subject = notices[0]!.subject;
  // once a decision goes to a vote, its earlier notices' "silence by then counts as consent" no
  // longer holds: they say so instead of keeping a deadline and a meaning that have passed
  if (notices.some((n) => n.kind === 'vote-opened'))
    await trx
      .updateTable('notifications')
      .set({ detail: 'It went to a vote: only the votes cast count (see the vote notice)' })
      .where('subject_type', '=', subject.type)
      .where('subject_ref', '=', subject.ref)
      .where('kind', 'in', ['decision-opened', 'decision-closing', 'decision-extended'])
      .execute();
  // a deadline extended: its earlier "answer by …" notices no longer name the deadline, nor does an
  // earlier extension's (one unread takes the new one's title and detail below, as news folds)
  if (notices.some((n) => n.kind === 'decision-extended'))
    await trx
      .updateTable('notifications')
      .set((eb) => ({
        detail: eb
          .case()
          .when('kind', '=', 'decision-extended')
          .then('It was extended again: see the latest extension notice for the new deadline')
          .else('Its deadline was extended: see the extension notice for the new one')
          .end(),
      }))
      .where('subject_type', '=', subject.type)
      .where('subject_ref', '=', subject.ref)
      .where('kind', 'in', ['decision-opened', 'decision-closing', 'decision-extended'])
      .execute();
  // a withdrawn decision has nothing left to answer: its "answer by …" notices say so
  if (notices.some((n) => n.withdrawn))
    await trx
      .updateTable('notifications')
      .set({ detail: 'It was withdrawn: nothing to answer (see the withdrawal notice)' })
      .where('subject_type', '=', subject.type)
      .where('subject_ref', '=', subject.ref)
      .where('kind', 'in', ['decision-opened', 'decision-closing', 'decision-extended', 'vote-opened', 'vote-closing'])
      .execute();
  // a decision decided, or escalated past the group's answers, asks no answer any more: its earlier
  // "answer by …" and "closes soon and waits for your answer" notices say so instead
  const settled = notices.find((n) => n.settled)?.settled;
  if (settled)
    await trx
      .updateTable('notifications')
      .set({
        detail:
          settled === 'closed'
            ? 'It has closed: nothing left to answer (see the outcome notice)'
            : 'Answers have closed: it was escalated (see the escalation notice)',
      })
      .where('subject_type', '=', subject.type)
      .where('subject_ref', '=', subject.ref)
      .where('kind', 'in', [
        'decision-opened',
        'decision-closing',
        'decision-extended',
        'decision-blocked',
        'vote-opened',
        'vote-closing',
      ])
      .execute();
  // and their titles say what became of them ("D-1 was closing soon, then has closed, adopted by vote"),
  // not what they asked then: beside "It has closed" a title still said it closes soon
  const retitle = notices.find((n) => n.retitle)?.retitle;
  for (const [kind, title] of Object.entries(retitle ?? {}))
    await trx
      .updateTable('notifications')
      // the title they were told stays on record for the proof of who was told what (proof.ts)
      .set((eb) => ({ title, told_title: eb.fn.coalesce('told_title', 'title') }))
      .where('subject_type', '=', subject.type)
      .where('subject_ref', '=', subject.ref)
      .where('kind', '=', kind)
      .execute();
  const ids = [...new Set(notices.map((n) => n.personId))];
  const people = new Map<string, { time_zone: string; email: string | null; confirmed_email: string | null }>();
  const open = new Map<string, { id: string; kind: string; mail_state: string | null }>();
  const sentThisHour = new Map<string, number>();
  const hourAgo = new Date(now.getTime() - 3_600_000).toISOString();
  for (const part of chunks(ids, 500)) {
    for (const p of await trx
      .selectFrom('people')
      .select(['id', 'time_zone', 'email', 'confirmed_email'])
      .where('id', 'in', part)
      .execute())
      people.set(p.id, { time_zone: p.time_zone, email: p.email ?? null, confirmed_email: p.confirmed_email ?? null });
    for (const r of await trx
      .selectFrom('notifications')
      .select(['id', 'person_id', 'kind', 'mail_state', 'title'])
      .where('person_id', 'in', part)
      .where('subject_type', '=', subject.type)
      .where('subject_ref', '=', subject.ref)
      .where('read_at', 'is', null)
      .where(stillFoldable)
      .execute()) {
      // of two open rows (one written while the person could not be mailed), news folds into the other
      const key = foldKey(r.person_id, r.kind, r.title);
      const had = open.get(key);
      if (!had || unmailable(had.mail_state)) open.set(key, r);
    }
    for (const r of await trx
      .selectFrom('notifications')
      .select((eb) => ['person_id', eb.fn.countAll<number>().as('n')])
      .where('person_id', 'in', part)
      .where('created_at', '>=', hourAgo)
      .where('mail_state', 'in', ['queued', 'sent', 'failed'])
      .groupBy('person_id')
      .execute())
      sentThisHour.set(r.person_id, Number(r.n));
  }
  const prefs = await preferencesOfMany(trx, hub, ids);
  const lastDigests = new Map<string, string>();
  for (const part of chunks(ids, 500))
    for (const [id, period] of await lastDigestPeriods(trx, part)) lastDigests.set(id, period);
  const counts = hub.governance.decisions.eligibleLevels.join(' or ');
  const rows: NotificationsTable[] = [];
  const jobs: JobSpec[] = [];
  for (const n of notices) {
    const person = people.get(n.personId);
    if (!person) continue;
    const meets = n.meetsAt ? `Meets ${onWallClock(n.meetsAt, person.time_zone)}` : '';
    const detail = n.detail
      ? [
          n.detail,
          // an extension says why, then the new deadline in the reader's zone and what silence means by then
          n.kind === 'decision-extended' && n.deadline
            ? byWhen(n.kind, onWallClock(n.deadline, person.time_zone), n.advisory === true, counts)
            : '',
          meets,
        ]
          .filter(Boolean)
          .join(' · ')
      : n.deadline
        ? byWhen(n.kind, onWallClock(n.deadline, person.time_zone), n.advisory === true, counts)
        : meets;
    const reach = mailReach(person);
    // a row written while the person could not be mailed stays so: once they can, news starts a row that is mailed
    const unread = open.get(foldKey(n.personId, n.kind, n.title));
    const folded = opts.mail && reach === 'mailable' && unread && unmailable(unread.mail_state) ? undefined : unread;
    if (folded) {
      // only while it is still open to news: the mail job may have marked it sent (or the person read it)
      // since it was read above, and news folded into a sent row would never be mailed nor seen as new
      const res = await trx
        .updateTable('notifications')
        .set((eb) => ({
          events: eb('events', '+', 1),
          updated_at: nowIso,
          title: n.title,
          // told anew: what it says now is what they were told
          told_title: null,
          detail,
          last_event_seq: seq,
        }))
        .where('id', '=', folded.id)
        .where('read_at', 'is', null)
        .where(stillFoldable)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 1) continue;
      // closed meanwhile: the news is a notice of its own, as if there had been nothing to fold into
      open.delete(foldKey(n.personId, n.kind, n.title));
    }
    const pref = prefs.get(n.personId)!;
    const immediate = rules.kinds[n.kind].immediate;
    let mailState: string | null = null;
    const id = hub.newId();
    // only a confirmed address is mailed; without one, the row says why it was not (the proof of who was told reads it)
    if (opts.mail && reach !== 'mailable') mailState = reach;
    else if (opts.mail) {
      const count = sentThisHour.get(n.personId) ?? 0;
      const digestAt =
        pref.digest === 'off'
          ? null
          : nextDigestAt(
              digestCountedFrom(now, lastDigests.get(n.personId)),
              person.time_zone,
              pref.digest,
              pref.digestHour,
              pref.digestWeekday,
            );
      // a notice with a deadline never waits for a digest that would leave too little time to answer
      const tooLate = !!n.deadline && !!digestAt && digestTooLate(digestAt, n.deadline, rules.closingSoonHours);
      if ((immediate && pref.immediate && count < rules.hourlyCap) || tooLate) {
        mailState = 'queued';
        sentThisHour.set(n.personId, count + 1);
        const batched = new Date(now.getTime() + rules.batchMinutes * 60_000);
        const deadline = n.deadline;
        const runAt = afterQuietHours(
          batched,
          person.time_zone,
          { start: pref.quietStart, end: pref.quietEnd },
          deadline,
        );
        jobs.push({
          queue: MAIL_QUEUE,
          key: `mail:${id}`,
          payload: { notification: id } satisfies z.input<typeof MailJob>,
          runAt,
        });
      } else if (digestAt) {
        mailState = 'digest';
        jobs.push(digestJob(n.personId, digestAt));
      }
    }
    rows.push({
      id,
      person_id: n.personId,
      kind: n.kind,
      subject_type: n.subject.type,
      subject_ref: n.subject.ref,
      title: n.title,
      told_title: null,
      detail,
      reason: n.reason,
      immediate: immediate ? 1 : 0,
      events: 1,
      last_event_seq: seq,
      created_at: nowIso,
      updated_at: nowIso,
      read_at: null,
      mail_state: mailState,
      mailed_at: null,
      message_id: null,
    });
  }
  for (const part of chunks(rows, 200)) await trx.insertInto('notifications').values(part).execute();
  if (jobs.length) await enqueueMany(trx, hub, jobs);
}
