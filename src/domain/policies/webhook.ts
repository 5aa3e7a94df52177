// A group's chat webhooks: adding one, and removing each, is the governance file's
// group.manageWebhooks, answered by the group's policy (`manage`); the list and each hook carry it.
import type { Can, Verdict } from './verdict.ts';

export const WEBHOOK_LIST_ACTIONS = ['add'] as const;
export type WebhookListAction = (typeof WEBHOOK_LIST_ACTIONS)[number];
export const WEBHOOK_ACTIONS = ['remove'] as const;
export type WebhookAction = (typeof WEBHOOK_ACTIONS)[number];

/** The group's list: whether the viewer may add a webhook (`manage`: groupPolicy's manageWebhooks). */
export function webhookListPolicy(manage: Verdict): Can<WebhookListAction> {
  return { add: manage };
}

/** One live webhook: removed by whoever may manage the group's webhooks. */
export function webhookPolicy(manage: Verdict): Can<WebhookAction> {
  return { remove: manage };
}
