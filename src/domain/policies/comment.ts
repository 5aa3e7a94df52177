// Who may do what to a comment, now: edit it (its author, unless it is hidden or locked), reply to
// it (not once locked), and moderate it (hide or lock it with a reason, or undo that; moderators and
// the group's leads), and whether the viewer may read the text of a hidden comment.
import type { Governance } from '../governance/schema.ts';
import { checkPermission } from './rules.ts';
import { ALLOWED, firstRefusal, refused, type Can, type Verdict } from './verdict.ts';
import type { Standing, Viewer } from './viewer.ts';

export const COMMENT_ACTIONS = ['edit', 'reply', 'hide', 'unhide', 'lock', 'unlock', 'readHidden'] as const;
export type CommentAction = (typeof COMMENT_ACTIONS)[number];

/** Plain facts about the comment. Standing: the viewer's level in the proposal's group; `author` when theirs. */
export type CommentFacts = { hidden: boolean; locked: boolean };

export function commentPolicy(g: Governance, viewer: Viewer, standing: Standing, c: CommentFacts): Can<CommentAction> {
  const moderate = checkPermission(g, 'comment.moderate', viewer, standing);
  const state = (v: boolean, no: string): Verdict => (v ? refused(no) : ALLOWED);
  return {
    edit: firstRefusal(
      state(c.hidden, 'A moderator hid this comment'),
      state(c.locked, 'A moderator locked this comment'),
      () =>
        checkPermission(g, 'comment.edit', viewer, standing, undefined, {
          personOnly: 'Comments are edited by a person',
        }),
    ),
    reply: firstRefusal(state(c.locked, 'A moderator locked this comment: it takes no replies'), () =>
      checkPermission(g, 'proposal.comment', viewer, standing, undefined, {
        personOnly: 'Replies are written by a person',
        contributes: true,
      }),
    ),
    // who may moderate first: one who may not is told so whatever the comment's state; one who may
    // is told the state (a conflict: someone moderated it first, `stateRefusal` below)
    hide: firstRefusal(moderate, state(c.hidden, 'The comment is already hidden')),
    unhide: firstRefusal(moderate, c.hidden ? ALLOWED : refused('The comment is not hidden')),
    lock: firstRefusal(moderate, state(c.locked, 'The comment is already locked')),
    unlock: firstRefusal(moderate, c.locked ? ALLOWED : refused('The comment is not locked')),
    readHidden: moderate,
  };
}

/**
 * The refusal of a moderation that stands only on the comment's state (hiding one already hidden,
 * showing one that is not hidden, and the same for locks), for one who may moderate: the comment
 * is not as they saw it, someone moderated it first (a conflict), not a matter of who may. Null
 * for an action allowed, or refused for want of the permission.
 */
export function stateRefusal(can: Can<CommentAction>, action: 'hide' | 'unhide' | 'lock' | 'unlock'): string | null {
  const v = can[action];
  // readHidden is the permission to moderate, alone
  return !v.allowed && can.readHidden.allowed ? v.reason : null;
}
