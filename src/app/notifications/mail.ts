// Sends the mail that notifications queued: one mail per notification (with every event folded
// into it), or one digest per person. Each mail belongs to its subject's thread (References and
// In-Reply-To name the thread's root id, the same for every mail about that proposal or decision),
// and its own Message-ID is fixed by the notification's id, so a retry after a crash sends the same
// id and a receiver can drop the duplicate. A server that refuses the recipient for good marks the
// address failing; a server that is down only delays the mail (the job retries with backoff).
import { createHash } from 'node:crypto';
import type { SendMailOptions, SentMessageInfo } from 'nodemailer';
import type { z } from 'zod';
import { onFirstUse } from '../../domain/first-use.ts';
import { sentence } from '../../domain/sentence.ts';
import { whyTold } from '../../domain/notifications/why.ts';
import { answerWordsIn } from '../../domain/notifications/reply-text.ts';
import { type NotificationsTable, readJson, writeJson } from '../../store/schema.ts';
import { type Hub, inTransaction, type Tx } from '../core/hub.ts';
import { holdRow } from '../core/hold.ts';
import {
  type Governance,
  inCommunityWords,
  levelsNamed,
  resolverName,
  roleName,
  shownRef,
  shownRefsIn,
  shownSubjectRef,
} from '../../domain/governance/index.ts';
import { type ClaimedJob, enqueue, PermanentFailure, payloadOf } from '../core/jobs.ts';
import { subjectPath } from './inbox.ts';
import {
  DIGEST_QUEUE,
  DigestJob,
  digestCountedFrom,
  digestJob,
  lastDigestPeriods,
  MAIL_QUEUE,
  MailJob,
} from './notify.ts';
import { type MailConfig, mailDomain, signInWords } from './mail-config.ts';
import { preferencesOf, preferencesOfMany } from './preferences.ts';
import { mailToken } from './tokens.ts';
import { emailConfirmed, mailReach } from '../../domain/people.ts';
import { ConfirmJob, confirmationToken } from '../people/email.ts';
import { decisionRow, decisionStateOf } from '../decisions/decisions.ts';
import { meetingRow } from '../meetings/meetings.ts';
import { agendaClosed } from './notes-replies.ts';
import { WITHDRAWN_DETAIL } from './written-input-notices.ts';
import { EMAIL_CONFIRMATION } from '../../domain/people.ts';
import { nextDigestAt, onWallClock } from '../../domain/notifications/timing.ts';
import { ReceiptJob } from './replies.ts';

/** What the jobs ask of an SMTP sender (a nodemailer transport has both). */
export type MailTransport = { sendMail(mail: SendMailOptions): Promise<SentMessageInfo>; close(): void };
export type Mailer = { config: MailConfig; transport: MailTransport };

/**
 * The SMTP sender of a mail configuration. nodemailer (about 40 modules, 5 MB of heap and 0.1 s to
 * load) is loaded by the first mail sent, not by every `serve` or `worker` (a hub may never mail):
 * mails sent at once share the one load, and a load that failed is tried again by the next mail.
 */
export function createMailer(config: MailConfig): Mailer {
  const transport = onFirstUse(
    async (): Promise<MailTransport> => (await import('nodemailer')).default.createTransport(config.smtpUrl),
  );
  return {
    config,
    transport: {
      sendMail: async (mail) => (await transport()).sendMail(mail),
      close: () => transport.made()?.close(),
    },
  };
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The root of a subject's thread: every mail about D-3 refers to it. */
export function threadId(config: MailConfig, type: string, ref: string): string {
  return `<${type}.${ref.toLowerCase()}@${mailDomain(config)}>`;
}

/**
 * A notice's mail's Message-ID: fixed by the notice and how many events it carries, so a retry of the
 * same mail (a crash, a temporary refusal) sends the same id and the receiver drops the duplicate, while
 * news folded into the notice after a mail went out is a new mail, never dropped as that one's repeat.
 */
export function messageIdOf(config: MailConfig, notificationId: string, events = 1): string {
  return `<notification.${notificationId}${events > 1 ? `.${events}` : ''}@${mailDomain(config)}>`;
}

/**
 * Whom a notice is mailed to: the person's confirmed address, never one that waits for confirmation.
 * Without one, why not (`unreachable`), which the notice's mail state then records.
 */
async function recipientOf(hub: Hub, personId: string) {
  const p = await hub.store.db
    .selectFrom('people')
    .select(['id', 'handle', 'name', 'email', 'confirmed_email'])
    .where('id', '=', personId)
    .executeTakeFirst();
  if (!p) return { unreachable: 'no-address' as const };
  const reach = mailReach(p);
  if (reach !== 'mailable') return { unreachable: reach };
  const email = p.confirmed_email!;
  const health = await hub.store.db
    .selectFrom('mail_addresses')
    .select('status')
    .where('address', '=', email)
    .executeTakeFirst();
  const prefs = preferencesOf(
    hub,
    await hub.store.db
      .selectFrom('notification_preferences')
      .selectAll()
      .where('person_id', '=', personId)
      .executeTakeFirst(),
  );
  return {
    id: p.id,
    handle: p.handle,
    name: p.name,
    email,
    failing: health?.status === 'failing',
    epoch: prefs.replyEpoch,
  };
}

async function setState(hub: Hub, ids: string[], set: Partial<NotificationsTable>): Promise<void> {
  if (ids.length) await hub.store.db.updateTable('notifications').set(set).where('id', 'in', ids).execute();
}

/** Marks an address failing after a permanent refusal; the person sees it on their preferences page. */
export async function markAddressFailing(hub: Hub, address: string, reason: string): Promise<void> {
  const now = hub.clock.now().toISOString();
  await hub.store.db
    .insertInto('mail_addresses')
    .values({ address, status: 'failing', reason: reason.slice(0, 500), changed_at: now })
    .onConflict((oc) =>
      oc.column('address').doUpdateSet({ status: 'failing', reason: reason.slice(0, 500), changed_at: now }),
    )
    .execute();
}

/** Sends, classifying failure: a permanent refusal of the recipient marks the address and stops. */
async function send(hub: Hub, mailer: Mailer, to: string, mail: SendMailOptions): Promise<void> {
  try {
    await mailer.transport.sendMail({ ...mail, to, from: mailer.config.from });
  } catch (e) {
    const err = e as { responseCode?: number; code?: string; message?: string };
    if (err.code === 'EENVELOPE' && (err.responseCode ?? 0) >= 500) {
      await markAddressFailing(hub, to, err.message ?? 'refused');
      throw new PermanentFailure(`the mail server refused ${to}: ${err.message}`);
    }
    throw e;
  }
}

function footer(config: MailConfig, unsubscribeUrl: string, why: string) {
  const prefs = `${config.publicUrl}/me/notifications`;
  return {
    text: `\n--\nYou get this because ${sentence(why)}\nStop mail about this: ${unsubscribeUrl}\nChoose what you get: ${prefs}\n`,
    html: `<hr><p style="color:#555;font-size:13px">You get this because ${escapeHtml(sentence(why))} <a href="${escapeHtml(unsubscribeUrl)}">Stop mail about this</a> · <a href="${escapeHtml(prefs)}">Choose what you get</a></p>`,
  };
}

/**
 * What a reply to this mail does (replies.ts): a comment; written input on a meeting's agenda; or,
 * for its notes, a comment on the proposal the named agenda item links to (notes-replies.ts).
 */
export function replyHint(subjectType: string, kind: string, meetingStarted?: boolean, withdrawn = false): string {
  if (subjectType === 'decision') {
    const otherwise = 'Any other reply is a comment on the proposal it is about (if it is about one).\n';
    // the words decisionAnswerIn (reply-text.ts) reads as a vote: alone on the first line, or
    // followed by a full stop, a colon or a spaced dash and the rationale
    if (kind === 'vote-opened' || kind === 'vote-closing')
      return `Reply to this mail to vote: start it with "yes", "no" or "abstain", alone on the first line or followed by a colon and your rationale ("No: not before April"); the lines right below it are your rationale too. In a vote "consent", "concern" and "block" answer nothing (a reply starting so is refused, saying why). ${otherwise}`;
    if (kind === 'decision-outcome') return 'Reply to this mail to comment on the proposal it is about.\n';
    return `Reply to this mail to answer it: start with "consent"; or "concern", then your "yes, and" amendment; or "block", then your reason and a line "Alternative: …" (or "Criteria: …"). ${otherwise}`;
  }
  if (subjectType !== 'meeting') return 'Reply to this mail to comment.\n';
  // its sender took it back: there is nothing of theirs left to present or mark
  if (kind === 'written-input' && withdrawn)
    return 'Its sender withdrew it: there is nothing of theirs to present. A reply to this mail is written input of your own on the agenda (start with "Item 2:" for another item).\n';
  if (kind === 'written-input')
    return 'Present it at the meeting, then mark it presented (or not, with why) on the meeting\'s page. A reply to this mail is written input of your own on the agenda (start with "Item 2:" for another item).\n';
  // after the meeting (its notes, late notes, an action item falling due, written input marked) its
  // agenda takes no more input; an action item may be given before it, so its mail asks which it is
  const after =
    meetingStarted ??
    (kind === 'notes-published' ||
      kind === 'notes-overdue' ||
      kind === 'action-due' ||
      kind === 'action-assigned' ||
      kind === 'written-input-outcome');
  return after
    ? 'Reply to this mail to comment on the proposal an agenda item links to: start with "Item 2:" to name the item.\n'
    : 'Reply to this mail to send written input on the agenda (on the first item; start with "Item 2:" for another).\n';
}

/**
 * Where a decision stands for a reply by mail, as of when the mail goes (its state is computed from
 * the clock, not from the close job's record): `decided` with its outcome in words once it is
 * closed, when a reply could neither answer it nor be taken in its stead; else its phase, which
 * says which words answer it. Null for any other subject.
 */
async function decisionNow(hub: Hub, type: string, ref: string): Promise<DecisionNow | null> {
  if (type !== 'decision') return null;
  const d = await decisionRow(hub.store.db, ref).catch(() => null);
  if (!d) return null;
  const state = await decisionStateOf(hub.store.db, hub, d);
  const proposal = d.subject_type === 'proposal' ? d.subject_ref : null;
  if (state.phase === 'closed') return { decided: state.outcome.replace(/-/g, ' '), proposal };
  return { phase: state.phase, proposal };
}

/** Whether a meeting's agenda has closed as of now (agendaClosed, notes-replies.ts): what a reply to its mail becomes. */
async function meetingStarted(hub: Hub, ref: string): Promise<boolean | undefined> {
  const m = await meetingRow(hub.store.db, ref).catch(() => null);
  return m ? agendaClosed(m, hub.clock.now().toISOString()) : undefined;
}

type DecisionNow =
  | { decided: string; proposal: string | null }
  | { phase: 'lazy-consensus' | 'vote' | 'escalated'; proposal: string | null };

/**
 * What a reply to a decision's mail does as of now (replies.ts): answer it in the words of its phase;
 * once it is decided or escalated, a comment on the proposal it is about; with no proposal, nothing,
 * and the mail carries no reply address (`takes` false) but says why. `resolver`: who resolves an
 * escalation, in the community's words (`resolverName`, plural).
 */
export function decisionReply(
  ref: string,
  now: DecisionNow,
  resolver = 'core maintainers',
): { takes: boolean; hint: string } {
  const words = 'phase' in now ? answerWordsIn(now.phase) : null;
  if (words) return { takes: true, hint: replyHint('decision', words === 'vote' ? 'vote-opened' : 'decision-opened') };
  const stand =
    'decided' in now
      ? now.decided === 'withdrawn'
        ? `${ref} was withdrawn: nothing is left to answer`
        : `${ref} is decided (${now.decided}): it takes no more answers`
      : `${ref} is escalated to the ${resolver}: they resolve it`;
  return now.proposal
    ? { takes: true, hint: `${stand}; a reply to this mail is a comment on ${now.proposal}.\n` }
    : { takes: false, hint: `${stand}, so no reply by mail is taken; say more on the hub.\n` };
}

/** A fixed text of the mail (what a reply does) in the community's words: its references and role names. */
const worded = (g: Governance, text: string) => inCommunityWords(text, g);

export async function sendNotificationMail(hub: Hub, mailer: Mailer, job: ClaimedJob): Promise<void> {
  const id = payloadOf(job, MailJob).notification;
  const n = await hub.store.db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst();
  if (n?.mail_state !== 'queued') return; // sent already (a retry after a crash), or no longer wanted
  if (n.read_at) return setState(hub, [n.id], { mail_state: null }); // seen in the inbox before the mail went
  const to = await recipientOf(hub, n.person_id);
  if ('unreachable' in to) return setState(hub, [n.id], { mail_state: to.unreachable });
  if (to.failing) return setState(hub, [n.id], { mail_state: 'failed' });
  const { config } = mailer;
  const subject = { type: n.subject_type, ref: n.subject_ref };
  // what the reader sees cites documents as the community does (RFC-12); the stored SEP-12 keeps the thread
  const g = hub.governance;
  const title = shownRefsIn(g, n.title);
  const detail = shownRefsIn(g, n.detail);
  const unsubscribe = `${config.publicUrl}/unsubscribe/${await mailToken(hub, 'unsubscribe', { id: to.id, epoch: 0 }, subject)}`;
  // a mirrored GitHub thread is answered on GitHub: a reply by mail would have nowhere to go
  const onGithub = n.subject_type.startsWith('github-');
  // a decision's mail says what a reply does as of when it goes, not when the notice was written (a
  // vote opened meanwhile is answered "yes", a decided one no longer at all)
  const now = await decisionNow(hub, n.subject_type, n.subject_ref);
  const onDecision = now ? decisionReply(n.subject_ref, now, resolverName(hub.governance, true)) : null;
  const replyTo =
    config.replyDomain && !onGithub && onDecision?.takes !== false
      ? `reply+${await mailToken(hub, 'reply', { id: to.id, epoch: to.epoch }, subject, n.id)}@${config.replyDomain}`
      : undefined;
  // a reply to a meeting's mail is written input until the meeting starts (replies.ts), whatever the notice
  const started = replyTo && n.kind === 'action-assigned' ? await meetingStarted(hub, n.subject_ref) : undefined;
  const hint = worded(
    g,
    replyTo
      ? (onDecision?.hint ?? replyHint(n.subject_type, n.kind, started, n.detail.startsWith(WITHDRAWN_DETAIL)))
      : onGithub
        ? 'Answer on GitHub (the page links to it): what is said there is mirrored here.\n'
        : config.replyDomain && onDecision
          ? onDecision.hint
          : '',
  );
  const url = `${config.publicUrl}${subjectPath(n.subject_type, shownSubjectRef(g, n.subject_type, n.subject_ref), n.kind, n.reason)}`;
  const why = whyTold(n.reason, n.kind, g);
  const foot = footer(config, unsubscribe, why);
  const more = Number(n.events) > 1 ? `${n.events} updates. ` : '';
  const messageId = messageIdOf(config, n.id, Number(n.events));
  const root = threadId(config, n.subject_type, n.subject_ref);
  await hub.store.db.updateTable('notifications').set({ message_id: messageId }).where('id', '=', n.id).execute();
  await send(hub, mailer, to.email, {
    subject: `[${shownRef(g, n.subject_ref)}] ${title}`,
    messageId,
    inReplyTo: root,
    references: [root],
    ...(replyTo ? { replyTo } : {}),
    headers: {
      'List-Unsubscribe': `<${unsubscribe}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': `${n.subject_ref} <${n.subject_type}.${n.subject_ref.toLowerCase()}.${mailDomain(config)}>`,
      'Auto-Submitted': 'auto-generated',
    },
    text: `${title}\n\n${more}${detail ? `${detail}\n\n` : ''}Open it: ${url}\n${hint}${foot.text}`,
    html: `<p><strong>${escapeHtml(title)}</strong></p>${more ? `<p>${escapeHtml(more)}</p>` : ''}${detail ? `<p>${escapeHtml(detail)}</p>` : ''}<p><a href="${escapeHtml(url)}">Open ${escapeHtml(shownRef(g, n.subject_ref))} on the hub</a></p>${hint ? `<p>${escapeHtml(hint.trim())}</p>` : ''}${foot.html}`,
  });
  // recorded sent only as it was mailed: news that folded into it while the mail was in flight (the
  // notice still "queued", its events counted on) goes in a mail of its own, not marked sent unmailed
  const sent = await hub.store.db
    .updateTable('notifications')
    .set({ mail_state: 'sent', mailed_at: hub.clock.now().toISOString() })
    .where('id', '=', n.id)
    .where('mail_state', '=', 'queued')
    .where('events', '=', n.events)
    .executeTakeFirst();
  if (Number(sent.numUpdatedRows) === 1) return;
  const after = await hub.store.db
    .selectFrom('notifications')
    .select(['mail_state', 'events'])
    .where('id', '=', n.id)
    .executeTakeFirst();
  // after the batching window, as news is batched: more that comes meanwhile goes in the same mail
  if (after?.mail_state === 'queued')
    await enqueue(hub.store.db, hub, {
      queue: MAIL_QUEUE,
      key: `mail:${n.id}@${after.events}`,
      payload: { notification: n.id } satisfies z.input<typeof MailJob>,
      runAt: new Date(hub.clock.now().getTime() + hub.governance.notifications.batchMinutes * 60_000),
    });
}

/** One mail listing everything that waited for this person's digest (only what they have not read). */
export async function sendDigest(hub: Hub, mailer: Mailer, job: ClaimedJob): Promise<void> {
  const personId = payloadOf(job, DigestJob).person;
  const period = digestPeriodOf(job, personId);
  const { config } = mailer;
  const key = (job.key ?? job.id).replace(/[^A-Za-z0-9.-]/g, '.');
  const claim = await claimDigest(hub, personId, period, key, config);
  if (!claim) return nextDigestForLeftovers(hub, personId, period);
  const carried = readJson(claim.items);
  const rows = new Map(
    (
      await hub.store.db
        .selectFrom('notifications')
        .selectAll()
        .where(
          'id',
          'in',
          carried.map((c) => c.id),
        )
        .execute()
    ).map((n) => [n.id, n]),
  );
  // only what still waits for a digest: a retry of a period whose job failed (an operator's, after
  // the mail server refused every attempt) must not mail again what a later digest already carried;
  // when the process died between sending and recording, all of it still waits and goes again as it was
  const items = carried.flatMap((c) => rows.get(c.id) ?? []).filter((n) => n.mail_state === 'digest');
  if (claim.sent_at === null && items.length) {
    const to = await recipientOf(hub, personId);
    if ('unreachable' in to || to.failing) {
      await setState(
        hub,
        items.map((n) => n.id),
        { mail_state: 'unreachable' in to ? to.unreachable : 'failed' },
      );
      return nextDigestForLeftovers(hub, personId, period);
    }
    // the claim's Message-ID while it mails all it claimed (a retry of the same mail, which a receiver
    // that has it drops as a repeat); fewer (a later digest carried the rest) is another mail, with an
    // id of its own, derived from what it carries, so a retry of that one in turn keeps it
    const sending = carried.filter((c) => items.some((n) => n.id === c.id));
    const messageId = sending.length === carried.length ? claim.message_id : digestMessageId(key, sending, config);
    await mailDigest(hub, mailer, to, items, messageId, key);
  }
  await recordDigestSent(hub, personId, period, carried);
  await nextDigestForLeftovers(hub, personId, period);
}

/** The period a digest job was keyed by (`digest:PERSON:INSTANT`, digestJob); a job keyed otherwise, when it was made. */
function digestPeriodOf(job: ClaimedJob, personId: string): string {
  const prefix = `digest:${personId}:`;
  const at = job.key?.startsWith(prefix) ? Date.parse(job.key.slice(prefix.length)) : Number.NaN;
  return Number.isNaN(at) ? job.createdAt : new Date(at).toISOString();
}

/**
 * The person's digest for this period, claimed before anything is mailed: the notices waiting for it
 * (each with how many events it held) and its Message-ID, recorded in one transaction. A retry (the
 * mail server down, the process killed between sending and recording), on this process or another,
 * finds the claim and mails the same notices under the same Message-ID, or nothing once it is recorded
 * sent; of them only those still waiting for a digest (another period's digest may have mailed them
 * since: sendDigest). Null when nothing waits and none was claimed. What the person read before the claim is taken
 * off the digest.
 */
async function claimDigest(hub: Hub, personId: string, period: string, key: string, config: MailConfig) {
  return inTransaction(hub, async (trx) => {
    const claimed = () =>
      trx
        .selectFrom('digest_sends')
        .selectAll()
        .where('person_id', '=', personId)
        .where('period', '=', period)
        .executeTakeFirst();
    // one claim of a person's at a time, so a claim sees the one made just before it (below); held as
    // every bound's row is (NO KEY UPDATE), so rows that only refer to the person are still written
    await holdRow(trx, hub, 'people', personId);
    const had = await claimed();
    if (had) return had;
    const waiting = await trx
      .selectFrom('notifications')
      .selectAll()
      .where('person_id', '=', personId)
      .where('mail_state', '=', 'digest')
      .orderBy('updated_at')
      .orderBy('id')
      .execute();
    const read = waiting.filter((n) => n.read_at).map((n) => n.id);
    if (read.length) await trx.updateTable('notifications').set({ mail_state: null }).where('id', 'in', read).execute();
    // what another period's digest claimed and is still sending or will retry (two periods' jobs
    // running at once, a backlog after downtime) is its to mail, not this one's as well; a claim whose
    // job failed for good holds nothing back (an operator's retry mails only what still waits then)
    const taken = await claimedElsewhere(trx, personId, period);
    const items = waiting.filter((n) => !n.read_at && !taken.has(n.id));
    if (!items.length) return null;
    await trx
      .insertInto('digest_sends')
      .values({
        person_id: personId,
        period,
        message_id: digestMessageId(
          key,
          items.map((n) => ({ id: n.id, events: Number(n.events) })),
          config,
        ),
        items: writeJson(items.map((n) => ({ id: n.id, events: Number(n.events) }))),
        claimed_at: hub.clock.now().toISOString(),
        sent_at: null,
      })
      .onConflict((oc) => oc.columns(['person_id', 'period']).doNothing())
      .execute();
    // another process's claim, committed first, is the one that stands
    return (await claimed()) ?? null;
  });
}

/** The notices other periods' unsent digest claims of this person carry while their jobs are still to run or running. */
async function claimedElsewhere(trx: Tx, personId: string, period: string): Promise<Set<string>> {
  const others = await trx
    .selectFrom('digest_sends')
    .select(['period', 'items'])
    .where('person_id', '=', personId)
    .where('period', '!=', period)
    .where('sent_at', 'is', null)
    .execute();
  if (!others.length) return new Set();
  const keyOf = (p: string) => `digest:${personId}:${p}`;
  const live = new Set(
    (
      await trx
        .selectFrom('jobs')
        .select('key')
        .where('queue', '=', DIGEST_QUEUE)
        .where(
          'key',
          'in',
          others.map((o) => keyOf(o.period)),
        )
        .where('done_at', 'is', null)
        .where('failed_at', 'is', null)
        .execute()
    ).map((j) => j.key),
  );
  return new Set(others.filter((o) => live.has(keyOf(o.period))).flatMap((o) => readJson(o.items).map((c) => c.id)));
}

/**
 * Records the period's digest sent and its notices with it, in one transaction: each only as it was
 * claimed (news folded into one since goes with the next digest, not marked sent unmailed).
 */
async function recordDigestSent(
  hub: Hub,
  personId: string,
  period: string,
  carried: readonly { id: string; events: number }[],
): Promise<void> {
  const mailedAt = hub.clock.now().toISOString();
  await inTransaction(hub, async (trx) => {
    await trx
      .updateTable('digest_sends')
      .set({ sent_at: mailedAt })
      .where('person_id', '=', personId)
      .where('period', '=', period)
      .where('sent_at', 'is', null)
      .execute();
    for (const [events, same] of Map.groupBy(carried, (c) => c.events))
      await trx
        .updateTable('notifications')
        .set({ mail_state: 'digest-sent', mailed_at: mailedAt })
        .where(
          'id',
          'in',
          same.map((c) => c.id),
        )
        .where('mail_state', '=', 'digest')
        .where('events', '=', events)
        .execute();
  });
}

/**
 * What still waits for a digest once this period's went (news folded into one of its notices, a notice
 * written after the claim, by a process whose clock had not reached the period yet): with the next
 * digest after this period, as the person chose (the same job a notice adds to, so one carries both).
 */
async function nextDigestForLeftovers(hub: Hub, personId: string, period: string): Promise<void> {
  const left = await hub.store.db
    .selectFrom('notifications')
    .select('id')
    .where('person_id', '=', personId)
    .where('mail_state', '=', 'digest')
    .where('read_at', 'is', null)
    .limit(1)
    .execute();
  if (!left.length) return;
  const pref = (await preferencesOfMany(hub.store.db, hub, [personId])).get(personId);
  const zone = (
    await hub.store.db.selectFrom('people').select('time_zone').where('id', '=', personId).executeTakeFirst()
  )?.time_zone;
  const last = (await lastDigestPeriods(hub.store.db, [personId])).get(personId);
  const after = digestCountedFrom(hub.clock.now(), last && last > period ? last : period);
  const at =
    pref && pref.digest !== 'off'
      ? nextDigestAt(after, zone ?? 'UTC', pref.digest, pref.digestHour, pref.digestWeekday)
      : hub.clock.now();
  await enqueue(hub.store.db, hub, digestJob(personId, at));
}

/** Composes and mails one digest of these notices under its claimed Message-ID. */
async function mailDigest(
  hub: Hub,
  mailer: Mailer,
  to: Extract<Awaited<ReturnType<typeof recipientOf>>, { email: string }>,
  items: NotificationsTable[],
  messageId: string,
  key: string,
): Promise<void> {
  const { config } = mailer;
  // Each item that takes replies gets its own reply address (the same secret, revocable, one-use
  // scheme as immediate mail), so a reply about it lands in its thread. The digest's own Reply-To
  // is that address when only one item takes replies; with several, it is a digest address whose
  // replies are refused with where to reply instead (replies.ts), never guessed into a thread.
  const replyAddress = async (n: NotificationsTable) =>
    `reply+${await mailToken(hub, 'reply', { id: to.id, epoch: to.epoch }, { type: n.subject_type, ref: n.subject_ref }, n.id)}@${config.replyDomain}`;
  const takesReplies = config.replyDomain ? replyableSubjects(items) : new Set<string>();
  const lines: { text: string; html: string }[] = [];
  const itemAddresses: string[] = [];
  // each decision's state once, as of now: a decided one's items say so and carry no reply address
  const decisions = new Map<string, Awaited<ReturnType<typeof decisionNow>>>();
  for (const n of items)
    if (n.subject_type === 'decision' && !decisions.has(n.subject_ref))
      decisions.set(n.subject_ref, await decisionNow(hub, n.subject_type, n.subject_ref));
  const g = hub.governance;
  for (const stored of items) {
    // the reader sees documents cited as the community does (RFC-12); the stored SEP-12 finds the thread
    const n = { ...stored, title: shownRefsIn(g, stored.title), detail: shownRefsIn(g, stored.detail) };
    const url = `${config.publicUrl}${subjectPath(n.subject_type, shownSubjectRef(g, n.subject_type, n.subject_ref), n.kind, n.reason)}`;
    const now = n.subject_type === 'decision' ? decisions.get(n.subject_ref) : null;
    const onDecision = now ? decisionReply(n.subject_ref, now, resolverName(hub.governance, true)) : null;
    const decided = onDecision && !onDecision.takes ? worded(g, onDecision.hint.trim()) : null;
    const reply = takesReplies.has(`${n.subject_type}:${n.subject_ref}`) && !decided ? await replyAddress(n) : null;
    if (reply) itemAddresses.push(reply);
    const mailto = reply
      ? `mailto:${reply}?subject=${encodeURIComponent(`Re: [${shownRef(g, n.subject_ref)}] ${n.title}`)}`
      : '';
    const words = now && 'phase' in now ? answerWordsIn(now.phase) : null;
    const answer = !now
      ? ''
      : words
        ? ANSWER_BY_REPLY[words]
        : now.proposal
          ? ` (a comment on ${shownRef(g, now.proposal)}: ${n.subject_ref} takes no more answers)`
          : '';
    lines.push({
      text: `- ${n.title}${n.detail ? ` (${n.detail})` : ''}\n  ${url}${reply ? `\n  Reply about this${answer}: ${reply}` : decided ? `\n  ${decided}` : ''}`,
      html: `<li><a href="${escapeHtml(url)}">${escapeHtml(n.title)}</a>${n.detail ? ` <span>${escapeHtml(n.detail)}</span>` : ''}${reply ? ` · <a href="${escapeHtml(mailto)}">Reply about this</a>` : decided ? ` · <span>${escapeHtml(decided)}</span>` : ''}</li>`,
    });
  }
  const replyTo =
    itemAddresses.length === 1
      ? itemAddresses[0]
      : itemAddresses.length > 1
        ? `reply+${await mailToken(hub, 'reply', { id: to.id, epoch: to.epoch }, { type: 'digest', ref: key })}@${config.replyDomain}`
        : undefined;
  const replyNote =
    itemAddresses.length > 1
      ? 'To answer an item by mail, reply to its own "Reply about this" address: this digest covers several threads.\n'
      : itemAddresses.length === 1
        ? 'Reply to this mail to comment on the item that shows "Reply about this".\n'
        : '';
  const prefs = `${config.publicUrl}/me/notifications`;
  const unsubscribe = `${config.publicUrl}/unsubscribe/${await mailToken(hub, 'unsubscribe', { id: to.id, epoch: 0 }, { type: 'digest', ref: 'all' })}`;
  await send(hub, mailer, to.email, {
    subject: `Your ${hub.governance.community.name} digest: ${items.length} ${items.length === 1 ? 'update' : 'updates'}`,
    messageId,
    ...(replyTo ? { replyTo } : {}),
    headers: {
      'List-Unsubscribe': `<${unsubscribe}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'Auto-Submitted': 'auto-generated',
    },
    text: `What happened while you were away:\n\n${lines.map((l) => l.text).join('\n')}\n\n${replyNote}--\nStop these digests: ${unsubscribe}\nChoose what you get and when: ${prefs}\n`,
    html: `<p>What happened while you were away:</p><ul>${lines.map((l) => l.html).join('')}</ul>${replyNote ? `<p>${escapeHtml(replyNote.trim())}</p>` : ''}<hr><p><a href="${escapeHtml(unsubscribe)}">Stop these digests</a> · <a href="${escapeHtml(prefs)}">Choose what you get and when</a></p>`,
  });
}

/**
 * A digest's Message-ID: its job and what it carries (each item and how many events it holds), so a
 * retry of the same digest sends the same id and a receiver drops the duplicate, while one that now
 * carries news (an item gained events, or joined, after a crash) is a new mail, never dropped as a repeat.
 */
function digestMessageId(key: string, items: readonly { id: string; events: number }[], config: MailConfig): string {
  const carried = createHash('sha256')
    .update(items.map((n) => `${n.id}.${n.events}`).join(','))
    .digest('hex')
    .slice(0, 12);
  return `<${key}.${carried}@${mailDomain(config)}>`;
}

/**
 * How a digest's decision item is answered by a reply, beside its address: the words of the phase
 * it is in when the digest goes (decisionAnswerIn, reply-text.ts).
 */
const ANSWER_BY_REPLY = {
  responses: ' (start with "consent", "concern" or "block" to answer it)',
  vote: ' (start with "yes", "no" or "abstain" to vote)',
} as const;

/** Which of these subjects take replies by mail: proposals, meetings, and decisions (replies.ts). */
function replyableSubjects(items: NotificationsTable[]): Set<string> {
  // every decision takes a reply that answers it; other text goes to the proposal it decides (replies.ts)
  return new Set(
    items
      .filter((n) => n.subject_type === 'proposal' || n.subject_type === 'meeting' || n.subject_type === 'decision')
      .map((n) => `${n.subject_type}:${n.subject_ref}`),
  );
}

/**
 * The mail to someone another person added: who added them and as what, where the hub is and how
 * to sign in, and the link that confirms their address (so notices may be mailed to it).
 */
function invitationMail(
  config: MailConfig,
  g: Governance,
  c: { name: string; handle: string; role: string; address: string; invitedBy: string; link: string; hours: number },
) {
  const signIn = `${config.publicUrl}/sign-in`;
  const how = config.signIn ?? signInWords();
  const demo = how.startsWith('pick');
  const steps = demo
    ? `pick ${c.name} (@${c.handle}) from the list (this hub runs in demo mode, without passwords)`
    : `${how}; the first time you sign in with an account that verifies ${c.address}, you become @${c.handle}, with what was recorded for you`;
  // the role and the groups in the community's words (roleNames, groupKindNames)
  const role = roleName(g, c.role);
  const where = inCommunityWords("the hub where the community's working groups propose, decide and meet", g);
  const host = (() => {
    try {
      return new URL(config.publicUrl).host;
    } catch {
      return config.publicUrl;
    }
  })();
  return {
    subject: `You are invited to ${host}`,
    text: `Hello ${c.name},\n\n${c.invitedBy} added you to ${config.publicUrl} as @${c.handle} (${role}): ${where}.\n\nTo sign in, open ${signIn} and ${steps}.\n\nDecisions there pass by lazy consensus: silence by the deadline counts as consent. Confirm that this address is yours, so the hub may mail you what needs you:\n\n${c.link}\n\nThe link works once, for ${c.hours} hours. If you do not know this hub, ignore this mail: nothing more will be mailed to this address.\n`,
    html: `<p>Hello ${escapeHtml(c.name)},</p><p>${escapeHtml(c.invitedBy)} added you to <a href="${escapeHtml(config.publicUrl)}">${escapeHtml(config.publicUrl)}</a> as @${escapeHtml(c.handle)} (${escapeHtml(role)}): ${escapeHtml(where)}.</p><p>To sign in, open <a href="${escapeHtml(signIn)}">${escapeHtml(signIn)}</a> and ${escapeHtml(steps)}.</p><p>Decisions there pass by lazy consensus: silence by the deadline counts as consent. Confirm that this address is yours, so the hub may mail you what needs you:</p><p><a href="${escapeHtml(c.link)}">Confirm ${escapeHtml(c.address)}</a></p><p>The link works once, for ${c.hours} hours. If you do not know this hub, ignore this mail: nothing more will be mailed to this address.</p>`,
  };
}

/**
 * The mail with a confirmation link, to the address it confirms (not the confirmed one: that is
 * the point). Nothing is sent once the link is used or expired, or the address is no longer the
 * one on record; a retry sends the same link. A permanent refusal is kept for the person to see.
 */
export async function sendConfirmationMail(hub: Hub, mailer: Mailer, job: ClaimedJob): Promise<void> {
  const { confirmation: id, invitedBy } = payloadOf(job, ConfirmJob);
  const db = hub.store.db;
  const c = await db
    .selectFrom('email_confirmations as c')
    .innerJoin('people as p', 'p.id', 'c.person_id')
    .select([
      'c.id',
      'c.address',
      'c.expires_at',
      'c.used_at',
      'c.mailed_at',
      'p.name',
      'p.handle',
      'p.email',
      'p.role',
    ])
    .select('p.confirmed_email')
    .where('c.id', '=', id)
    .executeTakeFirst();
  if (!c || c.used_at || c.mailed_at || c.expires_at <= hub.clock.now().toISOString()) return;
  if (c.email?.toLowerCase() !== c.address || emailConfirmed(c)) return;
  const { config } = mailer;
  const link = `${config.publicUrl}/confirm-email/${await confirmationToken(db, c.id)}`;
  const hours = EMAIL_CONFIRMATION.validHours;
  const mail = invitedBy
    ? invitationMail(config, hub.governance, { ...c, invitedBy, link, hours })
    : {
        subject: 'Confirm your mail address',
        text: `Hello ${c.name},\n\nSomeone (you, we hope) gave ${c.address} as the mail address of @${c.handle} on ${config.publicUrl}.\nOpen this link to confirm it is yours; notices are mailed to it only once you do:\n\n${link}\n\nThe link works once, for ${hours} hours. If this was not you, ignore this mail: nothing will be mailed to this address.\n`,
        html: `<p>Hello ${escapeHtml(c.name)},</p><p>Someone (you, we hope) gave ${escapeHtml(c.address)} as the mail address of @${escapeHtml(c.handle)} on ${escapeHtml(config.publicUrl)}. Confirm it is yours; notices are mailed to it only once you do:</p><p><a href="${escapeHtml(link)}">Confirm ${escapeHtml(c.address)}</a></p><p>The link works once, for ${hours} hours. If this was not you, ignore this mail: nothing will be mailed to this address.</p>`,
      };
  try {
    await mailer.transport.sendMail({
      from: config.from,
      to: c.address,
      subject: mail.subject,
      messageId: `<confirm.${c.id}@${mailDomain(config)}>`,
      headers: { 'Auto-Submitted': 'auto-generated' },
      text: mail.text,
      html: mail.html,
    });
  } catch (e) {
    const err = e as { responseCode?: number; code?: string; message?: string };
    if (err.code === 'EENVELOPE' && (err.responseCode ?? 0) >= 500) {
      await db
        .updateTable('email_confirmations')
        .set({ failed_reason: (err.message ?? 'refused').slice(0, 500) })
        .where('id', '=', c.id)
        .execute();
      throw new PermanentFailure(`the mail server refused ${c.address}: ${err.message}`);
    }
    throw e;
  }
  await db
    .updateTable('email_confirmations')
    .set({ mailed_at: hub.clock.now().toISOString() })
    .where('id', '=', c.id)
    .execute();
}

/**
 * The receipt for an answer to a decision given by replying to its mail: what was recorded, whether
 * it counts or is advisory, and until when (in the member's zone) it may be changed, in the
 * decision's thread and in reply to the member's own mail. Sent to the confirmed address the reply
 * came from; a retry sends the same Message-ID.
 */
export async function sendAnswerReceipt(hub: Hub, mailer: Mailer, job: ClaimedJob): Promise<void> {
  const r = payloadOf(job, ReceiptJob);
  const to = await recipientOf(hub, r.person);
  if ('unreachable' in to || to.failing) return;
  const zone =
    (await hub.store.db.selectFrom('people').select('time_zone').where('id', '=', r.person).executeTakeFirst())
      ?.time_zone ?? 'UTC';
  const d = await decisionRow(hub.store.db, r.decision).catch(() => null);
  if (!d) return;
  const state = await decisionStateOf(hub.store.db, hub, d);
  const { config } = mailer;
  const until = r.vote ? (state.voteClosesAt ?? d.deadline) : d.deadline;
  const url = `${config.publicUrl}/decisions/${r.decision}`;
  const what = r.vote ? `your vote "${r.answer}"` : `your answer "${r.answer}"`;
  const counts = r.counts
    ? r.vote
      ? 'It counts in the tally.'
      : 'It counts: you are no longer among those whose silence is taken as consent.'
    : `It is advisory: only the ${r.vote ? 'votes' : 'answers'} of a group ${levelsNamed(hub.governance, hub.governance.decisions.eligibleLevels)} count.`;
  const change =
    state.outcome === 'pending'
      ? `You may change it until ${onWallClock(until, zone)} on the hub: ${url}`
      : `Open it: ${url}`;
  const lines = [
    `${r.decision}: ${d.question}`,
    `Recorded ${what}, by your mail of ${onWallClock(r.at, zone)}.`,
    counts,
    change,
  ];
  const root = threadId(config, 'decision', r.decision);
  await send(hub, mailer, to.email, {
    subject: `[${r.decision}] Recorded: ${what} on ${r.decision}`,
    messageId: `<receipt.${job.id}@${mailDomain(config)}>`,
    inReplyTo: r.inReplyTo ?? root,
    references: [root, ...(r.inReplyTo ? [r.inReplyTo] : [])],
    headers: { 'Auto-Submitted': 'auto-replied' },
    text: `${lines.join('\n\n')}\n`,
    html: lines.map((l) => `<p>${escapeHtml(l)}</p>`).join(''),
  });
}
