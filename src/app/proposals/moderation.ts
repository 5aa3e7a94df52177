// Moderating a discussion: hide a comment (readers see that it was hidden, by whom and why; the
// text stays for moderators and in its history, and leaves search) or lock it (no edits, no
// replies), and undo either. Every step is in the log with its reason.
import { documentWords } from '../../domain/governance/words.ts';
import { alreadyAsAsked } from '../../domain/errors.ts';
import { stateRefusal } from '../../domain/policies/comment.ts';
import { authorize, readInputFor } from '../core/gate.ts';
import { inTransaction, nowIso, record, type Actor, type Hub } from '../core/hub.ts';
import { parseInput } from '../core/validate.ts';
import { indexComment } from '../search/indexing.ts';
import { commentCans, commentOnProposal, moderatorHandles, viewOf, type CommentView } from './comments.ts';
import { refOf } from './proposals.ts';
import { ModerateCommentInput } from './schemas.ts';
import { loadShippedModel } from '../../domain/hints/shipped.ts';

const EVENT = {
  hide: 'proposal.comment-hidden',
  unhide: 'proposal.comment-shown',
  lock: 'proposal.comment-locked',
  unlock: 'proposal.comment-unlocked',
} as const;

/** What a moderation met when the comment was already as asked (the policy's words, domain/policies/comment.ts). */
const AS_ASKED = {
  hide: 'The comment is already hidden',
  unhide: 'The comment is not hidden',
  lock: 'The comment is already locked',
  unlock: 'The comment is not locked',
} as const;

export async function moderateComment(hub: Hub, actor: Actor, commentId: string, raw: unknown): Promise<CommentView> {
  await loadShippedModel(); // a comment's hints (loaded on first use, before any transaction)
  return inTransaction(hub, async (trx) => {
    const { c, proposal } = await commentOnProposal(trx, commentId);
    const canOf = await commentCans(trx, hub, actor, proposal.group_id);
    // the action is in the input: one who may moderate it in no way is told so whatever they send
    const input = readInputFor(canOf(c), ['hide', 'unhide', 'lock', 'unlock'], () =>
      parseInput(ModerateCommentInput, raw),
    );
    // the comment already as asked (two moderators at once, or a second run): someone changed it
    // first, and there is nothing left to do
    const state = stateRefusal(canOf(c), input.action);
    if (state) throw alreadyAsAsked(state, { comment: commentId });
    authorize(canOf(c), input.action);
    const now = nowIso(hub);
    const by = actor.kind === 'person' ? actor.person.id : null;
    const reason = input.reason?.trim() || null;
    const set =
      input.action === 'hide'
        ? { hidden_at: now, hidden_by: by, hidden_reason: reason }
        : input.action === 'unhide'
          ? { hidden_at: null, hidden_by: null, hidden_reason: null }
          : input.action === 'lock'
            ? { locked_at: now, locked_by: by, locked_reason: reason }
            : { locked_at: null, locked_by: null, locked_reason: null };
    // only while it is not yet as asked: the comment was read without a lock, and another moderator's
    // same step may have committed since (PostgreSQL's update waits for it and then matches no row)
    const column = input.action === 'hide' || input.action === 'unhide' ? 'hidden_at' : 'locked_at';
    const changed = await trx
      .updateTable('comments')
      .set(set)
      .where('id', '=', commentId)
      .where(column, input.action === 'hide' || input.action === 'lock' ? 'is' : 'is not', null)
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) === 0) throw alreadyAsAsked(AS_ASKED[input.action], { comment: commentId });
    // a hidden comment is not found by search; shown again, it is
    await indexComment(trx, commentId);
    await record(trx, hub, actor, EVENT[input.action], { type: 'proposal', id: refOf(proposal) }, null, {
      comment: commentId,
      author: c.handle,
      reason,
    });
    const after = { ...c, ...set };
    return viewOf(after, canOf(after), await moderatorHandles(trx, [after]), documentWords(hub.governance).prefix);
  });
}
