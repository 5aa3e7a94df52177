// Reply by mail: a reply to a notification's mail becomes a comment in the right thread. The reply
// address (reply+SECRET@domain) is a secret tied to one person and one mail; it is accepted only
// from the address that mail went to, works once, and stops working when the person revokes
// their reply addresses (a forwarded mail then cannot post as them: Loomio #3945). Quoted text and
// signatures are stripped. The use of the address and the comment are written together.
import { factText } from '../../store/events.ts';
import { readJson } from '../../store/schema.ts';
import { authorizeOwn } from '../people/access.ts';
import { Forbidden, invalid } from '../../domain/errors.ts';
import {
  answerWordsIn,
  decisionAnswerIn,
  messageIdProblem,
  stripQuotedReply,
} from '../../domain/notifications/reply-text.ts';
import { castVoteIn, decisionRow, decisionView, respondToDecisionIn } from '../decisions/decisions.ts';
import { type Actor, type Hub, inTransaction, nowIso, type Tx } from '../core/hub.ts';
import { submitWrittenInputIn } from '../meetings/agenda.ts';
import { meetingRow } from '../meetings/meetings.ts';
import { authorizeProposal } from '../proposals/access.ts';
import { proposalRow } from '../proposals/proposals.ts';
import { addCommentIn } from '../proposals/comments.ts';
import { defaultPreferences } from './preferences.ts';
import { agendaClosed, namedItem, notesReplyTarget } from './notes-replies.ts';
import { findToken } from './tokens.ts';
import type { SenderCheck } from '../../domain/notifications/sender-auth.ts';
import { z } from 'zod';
import { enqueueMany } from '../core/jobs.ts';

/**
 * A receipt for an answer given by mail: SMTP's 250 reaches the sender's server, not the member, so
 * the hub mails back what it recorded, whether it counts, and until when it may be changed.
 */
export const RECEIPT_QUEUE = 'notify.receipt';
export const ReceiptJob = z.object({
  person: z.string(),
  decision: z.string(),
  /** consent, concern, block; or yes, no, abstain in a vote */
  answer: z.string(),
  /** Whether the answer counts (the person's level and standing), or is advisory. */
  counts: z.boolean(),
  vote: z.boolean(),
  at: z.string(),
  /** The member's own reply, which the receipt answers in its thread. */
  inReplyTo: z.string().nullable(),
});

export type InboundReply = {
  /** The secret from the recipient address reply+SECRET@domain. */
  token: string;
  /** The address in the mail's From header. */
  from: string;
  /** The mail's Message-ID, kept with the used address. */
  messageId: string | null;
  /** The plain-text body (mailparser derives it from the HTML when there is no text part). */
  text: string;
  /** Why the mail is automatic (an out-of-office reply, a bounce: `automaticMail`), or null. */
  automatic: string | null;
  /** Whether the From is really the sender (SPF, DKIM, DMARC: `sender-check.ts`), or that the check is off. */
  sender: SenderCheck;
};

/** Where the reply went: a comment on a proposal, written input on a meeting's agenda item, or an answer to a decision. */
export type AcceptedReply = {
  where: { proposal: string } | { meeting: string } | { decision: string; answer: string };
  id: string;
};

const HOW_INSTEAD = 'comment on the hub instead, or reply to a newer mail';

type Thread = { kind: 'proposal'; ref: string } | { kind: 'meeting'; ref: string };

/** Where a reply about this subject goes: decisions about a proposal use its thread; a meeting takes written input. */
async function threadOf(hub: Hub, type: string, ref: string): Promise<Thread> {
  if (type === 'proposal') return { kind: 'proposal', ref };
  if (type === 'meeting') return { kind: 'meeting', ref };
  if (type === 'decision') {
    const n = Number(/^D-(\d+)$/.exec(ref)?.[1]);
    const d = await hub.store.db
      .selectFrom('decisions')
      .select(['subject_type', 'subject_ref'])
      .where('number', '=', n)
      .executeTakeFirst();
    if (d?.subject_type === 'proposal' && d.subject_ref) return { kind: 'proposal', ref: d.subject_ref };
  }
  throw new Forbidden(
    `a reply about ${ref} cannot be posted: start it with "consent", "concern" or "block" (in a vote "yes", "no" or "abstain") to answer the decision; other text is posted only on a decision about a proposal, as a comment there; or answer on the hub`,
  );
}

/**
 * A reply to a meeting's mail is written input on one agenda item: the one its first line names
 * ("Item 2:", "#2") or else the first. The meeting's own rules apply (before it starts only).
 */
async function writtenInputFromReply(trx: Tx, hub: Hub, actor: Actor, meeting: string, body: string) {
  const named = namedItem(body);
  let item: number | undefined = named?.item;
  if (item === undefined) {
    const m = await meetingRow(trx, meeting);
    const firstItem = await trx
      .selectFrom('meeting_agenda_items')
      .select('position')
      .where('meeting_id', '=', m.id)
      .orderBy('position')
      .executeTakeFirst();
    item = firstItem ? Number(firstItem.position) : 1;
  }
  const view = await submitWrittenInputIn(trx, hub, actor, meeting, {
    item,
    body: named ? named.rest : body,
  });
  return view;
}

/** The comment that caused the notification, if any: the reply goes under it. */
async function parentOf(hub: Hub, notificationId: string | null, proposal: string): Promise<string | undefined> {
  if (!notificationId) return undefined;
  const n = await hub.store.db
    .selectFrom('notifications')
    .select('last_event_seq')
    .where('id', '=', notificationId)
    .executeTakeFirst();
  if (!n) return undefined;
  const e = await hub.store.db
    .selectFrom('events')
    .select(['kind', 'subject_id', 'after'])
    .where('seq', '=', Number(n.last_event_seq))
    .executeTakeFirst();
  if (e?.kind !== 'proposal.commented' || e.subject_id !== proposal) return undefined;
  return factText(readJson(e.after), 'comment');
}

export async function acceptReply(hub: Hub, reply: InboundReply): Promise<AcceptedReply> {
  // nobody wrote it: the address is left unused for the person's own reply
  if (reply.automatic)
    throw new Forbidden(
      `an automatic mail (${reply.automatic}) is not posted: out-of-office replies and delivery reports are not comments`,
    );
  // kept with the used address and named in the receipt: one too long is refused, not cut unseen
  const idProblem = reply.messageId === null ? null : messageIdProblem(reply.messageId);
  if (idProblem) throw invalid('messageId', idProblem);
  const t = await findToken(hub.store.db, 'reply', reply.token);
  if (!t) throw new Forbidden('no such reply address');
  if (t.revoked_at) throw new Forbidden(`this reply address was revoked on ${t.revoked_at}; ${HOW_INSTEAD}`);
  if (t.used_at) throw new Forbidden(`this reply address was used already on ${t.used_at}; ${HOW_INSTEAD}`);
  const person = await hub.store.db.selectFrom('people').selectAll().where('id', '=', t.person_id).executeTakeFirst();
  // mail goes only to the confirmed address, so a reply comes from it
  if (!person?.confirmed_email || person.confirmed_email.toLowerCase() !== reply.from.trim().toLowerCase())
    throw new Forbidden(
      'replies are accepted only from the address the notification was sent to; this one came from another',
    );
  // the From header is anyone's to write: the sender's own domain must vouch for it
  if (reply.sender.kind === 'refused')
    throw new Forbidden(
      `the mail's sender could not be verified (${reply.sender.reason}): answer on the hub, or reply from a mail service that signs your mail (DKIM) for your address's domain`,
    );
  // a digest covers several threads: which one a reply means is not guessed
  if (t.subject_type === 'digest')
    throw new Forbidden(
      'a digest covers several threads, so a reply to the digest itself cannot be posted: reply to the "Reply about this" address under the item you answer (each reaches its own thread), or answer on the hub',
    );
  let body = stripQuotedReply(reply.text);
  if (!body) throw invalid('body', 'the reply has no text of its own above the quoted mail');
  const actor: Actor & { kind: 'person' } = { kind: 'person', person };
  // a reply to a decision's mail that starts "consent", "concern" or "block" (in a vote "yes", "no" or
  // "abstain") answers it: under lazy consensus a member who objected by mail must not be counted as silent
  // the phase is read inside the transaction that records the answer: a decision that moved to a
  // vote (or closed) since the mail was read is judged as it stands now
  if (t.subject_type === 'decision') {
    const answered = await inTransaction(hub, async (trx): Promise<AcceptedReply | null> => {
      const d = await decisionView(trx, hub, await decisionRow(trx, t.subject_ref, { lock: hub }), null);
      // decided or escalated, it takes no answer: the reply is a comment on its proposal, as its mail says
      const words = answerWordsIn(d.state.phase);
      if (!words) return null;
      const answer = decisionAnswerIn(body, words);
      if (!answer) return null;
      await claim(trx, hub, t.token_hash, reply.messageId);
      if (answer.kind === 'vote') await castVoteIn(trx, hub, actor, t.subject_ref, answer.input);
      else await respondToDecisionIn(trx, hub, actor, t.subject_ref, answer.input);
      // answered: what asked them to answer is read, as when they answer on the page they opened
      await trx
        .updateTable('notifications')
        .set({ read_at: nowIso(hub) })
        .where('person_id', '=', person.id)
        .where('subject_type', '=', 'decision')
        .where('subject_ref', '=', t.subject_ref)
        .where('read_at', 'is', null)
        .execute();
      const word = answer.kind === 'vote' ? answer.input.choice : answer.input.kind;
      const recorded = await decisionView(trx, hub, await decisionRow(trx, t.subject_ref), null);
      const mine = (answer.kind === 'vote' ? recorded.votes : recorded.responses).find(
        (r) => r.handle === person.handle,
      );
      await enqueueMany(trx, hub, [
        {
          queue: RECEIPT_QUEUE,
          key: `receipt:${t.token_hash}`,
          payload: {
            person: person.id,
            decision: t.subject_ref,
            answer: word,
            counts: mine?.counts ?? false,
            vote: answer.kind === 'vote',
            at: nowIso(hub),
            inReplyTo: reply.messageId,
          } satisfies z.input<typeof ReceiptJob>,
        },
      ]);
      return { where: { decision: t.subject_ref, answer: word }, id: t.subject_ref };
    });
    if (answered) return answered;
  }
  let thread = await threadOf(hub, t.subject_type, t.subject_ref);
  if (thread.kind === 'meeting') {
    // once it has started, a meeting's mail is answered on the proposal an agenda item links to
    const m = await meetingRow(hub.store.db, thread.ref);
    if (agendaClosed(m, nowIso(hub))) {
      const target = await notesReplyTarget(hub.store.db, m, body);
      thread = { kind: 'proposal', ref: target.proposal };
      body = target.body;
    }
  }
  const parent = thread.kind === 'proposal' ? await parentOf(hub, t.notification_id, thread.ref) : undefined;
  if (thread.kind === 'proposal')
    await authorizeProposal(
      hub.store.db,
      hub,
      actor,
      await proposalRow(hub.store.db, thread.ref, hub.governance),
      'comment',
    );
  return inTransaction(hub, async (trx): Promise<AcceptedReply> => {
    await claim(trx, hub, t.token_hash, reply.messageId);
    if (thread.kind === 'meeting') {
      await writtenInputFromReply(trx, hub, actor, thread.ref, body);
      const mine = await trx
        .selectFrom('meeting_written_inputs')
        .select('id')
        .where('author_id', '=', person.id)
        .orderBy('submitted_at', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      return { where: { meeting: thread.ref }, id: mine.id };
    }
    const comment = await addCommentIn(trx, hub, actor, thread.ref, { body, ...(parent ? { parent } : {}) });
    return { where: { proposal: thread.ref }, id: comment.id };
  });
}

/** Claimed in the post's own transaction: a second delivery of the same reply finds it used. */
async function claim(trx: Tx, hub: Hub, tokenHash: string, messageId: string | null): Promise<void> {
  const claimed = await trx
    .updateTable('mail_tokens')
    .set({ used_at: nowIso(hub), used_message_id: messageId })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) throw new Forbidden(`this reply address was used already; ${HOW_INSTEAD}`);
}

export function describeAccepted(r: AcceptedReply): string {
  if ('decision' in r.where) return `${r.where.answer} on ${r.where.decision}`;
  return 'proposal' in r.where
    ? `comment ${r.id} on ${r.where.proposal}`
    : `written input ${r.id} on ${r.where.meeting}`;
}

/** Revokes every reply address in mail already sent to this person; later mail carries new ones. */
export async function revokeReplyAddresses(hub: Hub, actor: Actor): Promise<{ revoked: number }> {
  const personId = authorizeOwn(hub, actor, 'replyAddresses').id;
  return inTransaction(hub, async (trx) => {
    const now = nowIso(hub);
    const res = await trx
      .updateTable('mail_tokens')
      .set({ revoked_at: now })
      .where('person_id', '=', personId)
      .where('purpose', '=', 'reply')
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    // A new epoch gives mail sent from now on new addresses (the old ones hash to revoked rows). One
    // insert-or-update: a first save of preferences at the same moment can no longer slip in between a
    // read and an insert (a 500 that rolled the revoke back), and two revokes at once move it twice.
    const d = defaultPreferences(hub);
    await trx
      .insertInto('notification_preferences')
      .values({
        person_id: personId,
        immediate: d.immediate ? 1 : 0,
        digest: d.digest,
        digest_hour: d.digestHour,
        digest_weekday: d.digestWeekday,
        quiet_start: null,
        quiet_end: null,
        reply_epoch: 1,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.column('person_id').doUpdateSet((eb) => ({
          reply_epoch: eb('notification_preferences.reply_epoch', '+', 1),
          updated_at: now,
        })),
      )
      .execute();
    return { revoked: Number(res.numUpdatedRows) };
  });
}
