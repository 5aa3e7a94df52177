// A person's notifications and subscriptions are their own (ownPolicy): the inbox is read and
// marked by its owner, a notice already read has nothing left to mark, and what one watches or
// mutes is changed by that person alone.
import { ownPolicy } from './person.ts';
import { firstRefusal, refused, ALLOWED, type Can } from './verdict.ts';
import type { Viewer } from './viewer.ts';

export const INBOX_ACTIONS = ['markAllRead'] as const;
export type InboxAction = (typeof INBOX_ACTIONS)[number];
export const NOTIFICATION_ACTIONS = ['markRead'] as const;
export type NotificationAction = (typeof NOTIFICATION_ACTIONS)[number];
export const SUBSCRIPTION_ACTIONS = ['change'] as const;
export type SubscriptionAction = (typeof SUBSCRIPTION_ACTIONS)[number];

/**
 * The inbox as a whole: marking every unread notice read. With none unread there is nothing to mark
 * (asking still marks none, harmlessly), so the inbox offers no button that would do nothing.
 */
export function inboxPolicy(viewer: Viewer, inbox: { unread: number }): Can<InboxAction> {
  return {
    markAllRead: firstRefusal(ownPolicy(viewer).inbox, () =>
      inbox.unread > 0 ? ALLOWED : refused('Everything here is already read'),
    ),
  };
}

/** One notice in the viewer's inbox. */
export function notificationPolicy(viewer: Viewer, n: { read: boolean }): Can<NotificationAction> {
  return {
    markRead: firstRefusal(ownPolicy(viewer).inbox, () => (n.read ? refused('This is already read') : ALLOWED)),
  };
}

/** A subscription (watch, follow normally, mute), or the list of them: the person's own. */
export function subscriptionPolicy(viewer: Viewer): Can<SubscriptionAction> {
  return { change: ownPolicy(viewer).subscriptions };
}
