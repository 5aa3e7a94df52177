// A person's notification subscriptions as tools: what they watch, follow normally or muted, and
// changing one. The same use cases as REST and the web settings page, so the same policy answers
// (subscriptions are the person's own; the operator is told to act as one).
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { Hub } from '../app/core/hub.ts';
import { SubscriptionInput } from '../app/notifications/schemas.ts';
import { listSubscriptions, setSubscription } from '../app/notifications/subscriptions.ts';
import { CanOutput } from './outputs.ts';
import { READ, UPDATE, attempt, type McpCaller, ok, requireCaller } from './results.ts';

const SubscriptionOutput = z.looseObject({
  subjectType: z.string(),
  subjectRef: z.string().describe('the canonical reference: a group slug, GROUP/TOPIC, SEP-7 or P-12, D-3'),
  level: z.string(),
  can: CanOutput.describe('whether you may change it (change), and if not why'),
});
const ListOutput = z.object({ items: z.array(SubscriptionOutput), can: CanOutput });
const SetInput = z.object({
  subjectType: SubscriptionInput.shape.subjectType.describe('group, topic (a topic area), proposal or decision'),
  subjectRef: SubscriptionInput.shape.subjectRef.describe(
    'a group slug, a topic area as GROUP/TOPIC (or TOPIC while one group has it), a proposal (SEP-7, P-12, #12) or a decision (D-3)',
  ),
  level: SubscriptionInput.shape.level.describe(
    'watching: told of everything on it; normal: the defaults for your part in it; muted: only what names you',
  ),
});

export function registerSubscriptionTools(server: McpServer, hub: Hub, caller: McpCaller): void {
  server.registerTool(
    'list_subscriptions',
    {
      title: 'My subscriptions',
      description:
        'What you watch, follow normally or muted (groups, topic areas, proposals, decisions); anything not listed follows the defaults: members hear of their groups’ decisions and meetings, authors and sponsors of their proposals, everyone of mentions and replies. `can.change` says whether you may change them.',
      inputSchema: z.object({}),
      outputSchema: ListOutput,
      annotations: READ,
    },
    () => attempt(async () => ok(await listSubscriptions(hub, requireCaller(caller, 'reading subscriptions')))),
  );
  server.registerTool(
    'set_subscription',
    {
      title: 'Watch, follow or mute something',
      description:
        'Watch, follow normally or mute a group, topic area, proposal or decision. A muted subject still tells you of what names you (a mention, a reply, an action due). list_subscriptions says in `can.change` whether you may.',
      inputSchema: SetInput,
      outputSchema: SubscriptionOutput,
      annotations: UPDATE,
    },
    (body) =>
      attempt(async () => ok(await setSubscription(hub, requireCaller(caller, 'changing a subscription'), body))),
  );
}
