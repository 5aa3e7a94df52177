// Joining a group, asking to become a member of it, and the leads' answer, as tools: the same use
// cases as REST, the CLI and the group page, so the same policy answers (join: a signed-in person not
// in the group at a level they hold now; askToBeMember: a signed-in person below the member level,
// with no request open; answering: group.setMemberLevel, leads by default).
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { Hub } from '../app/core/hub.ts';
import { Line } from '../app/core/schemas.ts';
import { joinGroup } from '../app/groups/groups.ts';
import { openDecisionsOnJoining } from '../app/decisions/decisions.ts';
import {
  answerMembershipRequest,
  askToBeMember,
  listMembershipRequests,
  withdrawMembershipRequest,
} from '../app/groups/membership-requests.ts';
import { AnswerMembershipRequestInput, JoinGroupInput, MembershipRequestInput } from '../app/groups/schemas.ts';
import { SlugRef } from '../domain/community.ts';
import { CanOutput, OpenDecisionsOnJoiningOutput } from './outputs.ts';
import { ADD, READ, REPLACE, UPDATE, attempt, type McpCaller, ok, requireCaller, whoMayUse } from './results.ts';

const Group = SlugRef.describe('the group slug, e.g. hosting');
const RequestOutput = z.looseObject({
  id: z.string(),
  group: z.string(),
  handle: z.string(),
  answer: z.enum(['accepted', 'declined', 'withdrawn']).nullable(),
});
const YourRequestOutput = RequestOutput.extend({ askAgainFrom: z.string().nullable() }).nullable();
const MembersOutput = z.object({
  items: z.array(z.looseObject({ handle: z.string(), level: z.string(), emeritus: z.boolean() })),
});

export function registerMembershipTools(server: McpServer, hub: Hub, caller: McpCaller): void {
  const levels = hub.governance.membership.selfServiceLevels;
  server.registerTool(
    'join_group',
    {
      title: 'Join a group',
      description: `Working groups have open membership: anyone who has accepted the agreements joins as ${levels.join(' or ')} (level; omitted: participant), as the group's page, \`POST /api/groups/{slug}/members\` and \`wghub group join\` do. A member on emeritus standing (inactive) comes back at the level they held. The member level, whose response counts in decisions, is the leads' to grant: ask_to_be_member asks them. get_charter's group.can.join says whether you may (not when you are in the group already, or it is retired), and why not. The answer is the group's members, and \`openDecisions\`: the group's decisions open for answers (lazy consensus or a vote), each with its ref, question, phase, \`closesAt\` and \`voice\`, what your silence or answer does on it: \`silence-counts\` (silence is consent at \`closesAt\` unless you respond), \`silence-not-counted\` (told too late for silence to count, \`why\`; your response counts), \`vote-counts\`, \`advisory\` (your level's responses are shown, not counted) or \`answered\`. You are also sent one notice per decision whose answer now waits on you.`,
      inputSchema: z.object({
        group: Group,
        level: JoinGroupInput.shape.level.describe(
          `the level to join at: ${levels.join(' or ')} (the self-service levels); omitted: participant`,
        ),
      }),
      outputSchema: MembersOutput.extend({ openDecisions: OpenDecisionsOnJoiningOutput }),
      annotations: UPDATE,
    },
    ({ group, level }) =>
      attempt(async () => {
        const actor = requireCaller(caller, 'joining a group');
        const items = await joinGroup(hub, actor, group, level ? { level } : {});
        return ok({ items, openDecisions: await openDecisionsOnJoining(hub, actor, group) });
      }),
  );

  server.registerTool(
    'ask_to_be_member',
    {
      title: 'Ask to become a member of a group',
      description:
        "Working groups have open membership: anyone joins as an observer or participant. A member's response counts in the group's decisions, so that level is granted by the group's leads: this asks them, with an optional note. One open request per group. `whoAnswers` says who answers it: the group's leads, or, for a group without an active lead, those the governance file names (`byLeads` false). list_membership_requests says its state later (`yourRequest`).",
      inputSchema: z.object({ group: Group, ...MembershipRequestInput.shape }),
      outputSchema: RequestOutput,
      annotations: ADD,
    },
    ({ group, note }) =>
      attempt(async () =>
        ok(await askToBeMember(hub, requireCaller(caller, 'asking to become a member'), group, { note })),
      ),
  );

  server.registerTool(
    'withdraw_membership_request',
    {
      title: 'Withdraw your request to become a member of a group',
      description:
        "Takes back your open request to the group's leads (only the person who asked may). It is no decline: you may ask again at once.",
      inputSchema: z.object({ group: Group }),
      outputSchema: YourRequestOutput.unwrap(),
      annotations: { ...REPLACE, idempotentHint: false },
    },
    ({ group }) =>
      attempt(async () =>
        ok(await withdrawMembershipRequest(hub, requireCaller(caller, 'withdrawing a request'), group)),
      ),
  );

  server.registerTool(
    'list_membership_requests',
    {
      title: 'Open requests to become a member of a group',
      description: `The requests waiting for an answer, with \`can.answer\`: whether you may answer them, and why not (only those who may answer see them). \`yourRequest\` is your own latest request to the group: open (answer null), accepted, declined (with the reason, and \`askAgainFrom\`, the day you may ask again) or withdrawn; null when you never asked. ${whoMayUse(hub, 'group.setMemberLevel')}`,
      inputSchema: z.object({ group: Group }),
      outputSchema: z.object({ items: z.array(RequestOutput), can: CanOutput, yourRequest: YourRequestOutput }),
      annotations: READ,
    },
    ({ group }) => attempt(async () => ok(await listMembershipRequests(hub, caller.actor, group))),
  );

  server.registerTool(
    'answer_membership_request',
    {
      title: 'Accept or decline a request to become a member',
      description: `accepted: the person becomes a member of the group; declined: they stay as they are, and read your reason (needed to decline). ${whoMayUse(hub, 'group.setMemberLevel')}`,
      inputSchema: z.object({
        group: Group,
        id: Line(64).min(1).describe('the request, from list_membership_requests'),
        answer: AnswerMembershipRequestInput.shape.answer,
        reason: AnswerMembershipRequestInput.shape.reason,
      }),
      outputSchema: RequestOutput,
      annotations: { ...REPLACE, idempotentHint: false },
    },
    ({ group, id, answer, reason }) =>
      attempt(async () =>
        ok(
          await answerMembershipRequest(hub, requireCaller(caller, 'answering a request'), group, id, {
            answer,
            ...(reason ? { reason } : {}),
          }),
        ),
      ),
  );
}
