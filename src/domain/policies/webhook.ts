// A group's chat webhooks: adding one, and removing each, is the governance file's
// group.manageWebhooks, answered by the group's policy (`manage`); the list and each hook carry it.
import { ALLOWED, type Can, firstRefusal, refused, type Verdict } from './verdict.ts';

export const WEBHOOK_LIST_ACTIONS = ['add'] as const;
export type WebhookListAction = (typeof WEBHOOK_LIST_ACTIONS)[number];
export const WEBHOOK_ACTIONS = ['remove'] as const;
export type WebhookAction = (typeof WEBHOOK_ACTIONS)[number];

/**
 * The group's list: whether the viewer may add a webhook (`manage`: groupPolicy's manageWebhooks). A
 * retired group posts nothing more to its chat (but the notice of its retirement), so it takes no new
 * hook; those it has may still be removed. Who may comes first, as `addWebhook` checks it first: one
 * who may not manage the hooks is told that, on the page and when refused alike.
 */
export function webhookListPolicy(manage: Verdict, groupRetired = false): Can<WebhookListAction> {
  return {
    add: firstRefusal(manage, () =>
      groupRetired ? refused('The group is retired: nothing more is posted to its chat') : ALLOWED,
    ),
  };
}

/** One live webhook: removed by whoever may manage the group's webhooks. */
export function webhookPolicy(manage: Verdict): Can<WebhookAction> {
  return { remove: manage };
}
