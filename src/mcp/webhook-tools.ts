// A group's outgoing chat webhooks (Discord, Slack, signed JSON) as tools: list with what the caller
// may do, add, remove. The same use cases as REST, the CLI and the web page, so the same policy
// (group.manageWebhooks in the governance file) answers.
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { Line } from '../app/core/schemas.ts';
import type { Hub } from '../app/core/hub.ts';
import { addWebhook, removeWebhook, WebhookInput, webhooksOf } from '../app/notifications/chat.ts';
import { SlugRef } from '../domain/community.ts';
import { CanOutput } from './outputs.ts';
import { ADD, READ, attempt, type McpCaller, ok, requireCaller } from './results.ts';

const Group = SlugRef.describe('the group slug, e.g. hosting');
const WebhookOutput = z.looseObject({
  id: z.string(),
  format: z.string(),
  target: z.string().describe('only the origin: the rest of a Discord or Slack URL is its credential'),
  signed: z.boolean(),
  can: CanOutput.describe('whether you may remove this webhook, and if not why'),
});
const ListOutput = z.object({
  group: z.string(),
  items: z.array(WebhookOutput),
  names: z
    .record(z.string(), z.string())
    .describe("the name of each person who added one, by handle (createdBy 'operator' is the hub's operator)"),
  withheld: z
    .array(
      z.looseObject({ event: z.string(), title: z.string(), url: z.string(), at: z.string(), withheldAt: z.string() }),
    )
    .describe(
      'posts the chat did not get because the group was retired, newest first; never sent later (what they told of has passed)',
    ),
  can: CanOutput,
});
const AddInput = z.object({
  group: Group,
  format: WebhookInput.shape.format.describe('discord, slack, or json (signed with secret)'),
  url: WebhookInput.shape.url.describe("the chat's incoming-webhook URL (a credential: it is never shown again)"),
  secret: WebhookInput.shape.secret.describe('for json: the HMAC-SHA256 key, 16+ characters'),
});
const RemoveInput = z.object({ group: Group, id: Line(64).min(1).describe('from list_group_webhooks') });

export function registerWebhookTools(server: McpServer, hub: Hub, caller: McpCaller): void {
  server.registerTool(
    'list_group_webhooks',
    {
      title: "A group's chat webhooks",
      description:
        "The group's outgoing chat webhooks (they hear of decisions opened, closing and decided, meeting notes published, a weekly summary, and the group's retirement, `group-retired`, after which nothing more is posted for it), with `can.add` on the list and `can.remove` on each webhook saying whether you may, and why not (a retired group takes no new webhook: 'The group is retired: nothing more is posted to its chat'; those it has may still be removed). Only those the governance file lets manage them (group.manageWebhooks: leads by default) see the list.",
      inputSchema: z.object({ group: Group }),
      outputSchema: ListOutput,
      annotations: READ,
    },
    ({ group }) => attempt(async () => ok(await webhooksOf(hub, caller.actor, group))),
  );
  server.registerTool(
    'add_group_webhook',
    {
      title: 'Add a chat webhook to a group',
      description:
        "Posts the group's news to a Discord or Slack channel, or as signed JSON to any public URL. list_group_webhooks says in `can.add` whether you may.",
      inputSchema: AddInput,
      outputSchema: WebhookOutput,
      annotations: { ...ADD, openWorldHint: true },
    },
    ({ group, ...body }) =>
      attempt(async () => ok(await addWebhook(hub, requireCaller(caller, 'adding a webhook'), group, body))),
  );
  server.registerTool(
    'remove_group_webhook',
    {
      title: 'Remove a chat webhook from a group',
      description: 'Stops posting to that webhook. list_group_webhooks says in `can.remove` whether you may.',
      inputSchema: RemoveInput,
      outputSchema: z.object({ removed: z.literal(true) }),
      annotations: { ...ADD, destructiveHint: true, idempotentHint: true },
    },
    ({ group, id }) =>
      attempt(async () => ok(await removeWebhook(hub, requireCaller(caller, 'removing a webhook'), group, id))),
  );
}
