// REST for a person's own notifications: the inbox, marking read, subscriptions and preferences.
import { addWebhook, listWebhooks, removeWebhook, WebhookInput } from '../app/notifications/chat.ts';
import { revokeReplyAddresses } from '../app/notifications/replies.ts';
import { listInbox, markRead, unreadCount } from '../app/notifications/inbox.ts';
import { InboxQuery, MarkReadInput, PreferencesInput, SubscriptionInput } from '../app/notifications/schemas.ts';
import {
  getPreferences,
  listSubscriptions,
  setPreferences,
  setSubscription,
} from '../app/notifications/subscriptions.ts';
import type { Route } from './routes.ts';

export const notificationRoutes: Route[] = [
  {
    method: 'get',
    path: '/api/me/notifications',
    tag: 'notifications',
    summary: 'My inbox, newest first (unread=true for unread only), with the unread count',
    auth: true,
    query: InboxQuery,
    returns: 'a page of notifications and the number unread',
    handler: async ({ hub, requireActor, query }) => {
      const actor = requireActor();
      return { body: { ...(await listInbox(hub, actor, query)), unread: await unreadCount(hub, actor) } };
    },
  },
  {
    method: 'post',
    path: '/api/me/notifications/read',
    tag: 'notifications',
    summary: 'Mark notifications read (the ids given, or every unread one)',
    auth: true,
    body: MarkReadInput,
    returns: 'how many were marked',
    handler: async ({ hub, requireActor, body }) => ({ body: await markRead(hub, requireActor(), body) }),
  },
  {
    method: 'get',
    path: '/api/me/subscriptions',
    tag: 'notifications',
    summary: 'What I watch or muted (anything not listed follows the defaults)',
    auth: true,
    returns: 'my subscriptions, each with `can`',
    handler: async ({ hub, requireActor }) => ({ body: await listSubscriptions(hub, requireActor()) }),
  },
  {
    method: 'put',
    path: '/api/me/subscriptions',
    tag: 'notifications',
    summary: 'Watch, follow normally or mute a group, topic area, proposal or decision',
    auth: true,
    body: SubscriptionInput,
    returns: 'the subscription',
    handler: async ({ hub, requireActor, body }) => ({ body: await setSubscription(hub, requireActor(), body) }),
  },
  {
    method: 'get',
    path: '/api/me/notification-preferences',
    tag: 'notifications',
    summary: 'How I am told: immediate mail, digest and its hour, quiet hours',
    auth: true,
    returns: 'my preferences',
    handler: async ({ hub, requireActor }) => ({ body: await getPreferences(hub, requireActor()) }),
  },
  {
    method: 'patch',
    path: '/api/me/notification-preferences',
    tag: 'notifications',
    summary: 'Change how I am told',
    auth: true,
    body: PreferencesInput,
    returns: 'my preferences',
    handler: async ({ hub, requireActor, body }) => ({ body: await setPreferences(hub, requireActor(), body) }),
  },
  {
    method: 'post',
    path: '/api/me/reply-addresses/revoke',
    tag: 'notifications',
    summary:
      'Stop every reply address in mail already sent to me (after a forward or a leak); later mail carries new ones',
    auth: true,
    returns: 'how many addresses were stopped',
    handler: async ({ hub, requireActor }) => ({ body: await revokeReplyAddresses(hub, requireActor()) }),
  },
  {
    method: 'get',
    path: '/api/groups/{slug}/webhooks',
    tag: 'notifications',
    summary:
      "A group's chat webhooks (only their origin: the rest of the URL is a credential); for whoever may edit its charter",
    auth: true,
    returns:
      "the webhooks, each with `can.remove`, `can.add` for the list, and `withheld`: the posts the group's chat did not get while it was retired (the newest 50, each `{event, title, url, at, withheldAt}`), never resent",
    handler: async ({ hub, requireActor, params }) => ({ body: await listWebhooks(hub, requireActor(), params.slug!) }),
  },
  {
    method: 'post',
    path: '/api/groups/{slug}/webhooks',
    tag: 'notifications',
    summary:
      'Add a chat webhook to a group: Discord, Slack, or generic JSON signed with HMAC-SHA256 (X-Wghub-Signature-256); it hears of decisions opened, closing and decided, meeting notes, and a weekly summary',
    auth: true,
    status: 201,
    body: WebhookInput,
    returns: 'the webhook',
    handler: async ({ hub, requireActor, params, body }) => ({
      body: await addWebhook(hub, requireActor(), params.slug!, body),
    }),
  },
  {
    method: 'delete',
    path: '/api/groups/{slug}/webhooks/{id}',
    tag: 'notifications',
    summary: 'Remove a chat webhook from a group',
    auth: true,
    returns: 'that it was removed',
    handler: async ({ hub, requireActor, params }) => ({
      body: await removeWebhook(hub, requireActor(), params.slug!, params.id!),
    }),
  },
];
