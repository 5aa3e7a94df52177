// Who is told of a comment's moderation, in words, for every edge that offers it.
import type { Governance } from '../governance/schema.ts';

/**
 * Who hears of a moderation, as the notices plan it (app/notifications/people-events.ts; moderating is app/proposals/moderation.ts): the comment's
 * author alone, by whom and with the reason, when it is hidden, locked or shown again; nobody when it is
 * unlocked; never the moderator of their own comment, nor those watching the proposal (the notice is the
 * author's); nobody where the governance file turns the notice off. Said on the web's form and in REST's,
 * MCP's and the CLI's descriptions (`MODERATION_TOLD`).
 */
export function moderationTold(governance: Governance, action: 'hide' | 'unhide' | 'lock' | 'unlock'): string {
  if (action === 'unlock') return 'Nobody is told.';
  const kind = action === 'unhide' ? 'comment-restored' : 'comment-moderated';
  if (!governance.notifications.kinds[kind].enabled)
    return 'Nobody is told: this community’s governance file turns that notice off.';
  const did =
    action === 'hide'
      ? 'hid it, with your reason'
      : action === 'lock'
        ? 'locked it, with your reason'
        : 'showed it again, with your reason if you give one';
  return `Its author is notified that you ${did} (not if it is your own comment). Nobody else is told, not even those watching the proposal.`;
}

/** The same for the descriptions of REST, MCP and the CLI, all actions at once. */
export const MODERATION_TOLD =
  'its author is notified (by whom, with the reason given) when it is hidden, locked or shown again, and nobody when it is unlocked; nobody else is told, not even those watching the proposal';
