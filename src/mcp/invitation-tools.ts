// Invitations to a group as tools: the same use cases as REST, the CLI and the web (app/groups/
// invitations.ts). Those who may set a group's levels invite someone not in it (set_member_level on
// such a person does the same) and withdraw an open invitation; only the person invited accepts or
// declines: nobody is placed in a group but by their own act.
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { Hub } from '../app/core/hub.ts';
import { Line } from '../app/core/schemas.ts';
import { openDecisionsOnJoining } from '../app/decisions/decisions.ts';
import {
  acceptInvitation,
  declineInvitation,
  inviteToGroup,
  listGroupInvitations,
  listMyInvitations,
  withdrawInvitation,
} from '../app/groups/invitations.ts';
import { InviteInput } from '../app/groups/schemas.ts';
import { SlugRef } from '../domain/community.ts';
import { CanOutput, OpenDecisionsOnJoiningOutput } from './outputs.ts';
import { ADD, READ, REPLACE, UPDATE, attempt, type McpCaller, ok, requireCaller, whoMayUse } from './results.ts';

const Group = SlugRef.describe('the group slug, e.g. hosting');
const Id = Line(64).min(1).describe('the invitation, from list_my_invitations or list_group_invitations');
export const InvitationOutput = z.looseObject({
  id: z.string(),
  group: z.string(),
  groupStatus: z
    .enum(['proposed', 'active', 'retired'])
    .describe("the group's status now: proposed is not active yet, and becomes active only once sponsored"),
  handle: z.string(),
  level: z.string(),
  message: z.string(),
  invitedBy: z.string().nullable(),
  invitedAt: z.string(),
  expiresAt: z.string(),
  state: z.enum(['open', 'expired', 'accepted', 'declined', 'withdrawn', 'superseded']),
  endedWhy: z
    .string()
    .nullable()
    .describe(
      'why it ended when nobody answered or withdrew it (superseded: the person left or was removed, a lead set their level, the charter placed them, they joined by themselves; withdrawn: the group was retired); null otherwise',
    ),
  answeredBy: z
    .string()
    .nullable()
    .describe('who answered it (the person invited, or who withdrew it), null while open'),
  answeredAt: z.string().nullable(),
  can: CanOutput,
  inviteAgain: z
    .union([
      z.object({ allowed: z.literal(true) }),
      z.object({ allowed: z.literal(false), rule: z.string(), reason: z.string(), from: z.string().nullable() }),
    ])
    .nullable()
    .describe(
      "once it is no longer open, for those who may set the group's levels: whether you may invite the person again now at the level it offered, or the rule that refuses it (already-member, already-invited, invite-again-after-decline, too-many-invitations-from-you, too-many-invitations-to-person, too-many-invitations, …), why, and `from` when it would not (null: no date ends it); read without the lock inviting holds, so inviting checks again. Null while open, once accepted (the person is in the group by it), and for anyone else",
    ),
});

export function registerInvitationTools(server: McpServer, hub: Hub, caller: McpCaller): void {
  server.registerTool(
    'invite_to_group',
    {
      title: 'Invite someone to a group',
      description: `Offer a level in a group to someone not in it, with an optional message and how many days it stays open (expiresInDays). They are told, and are in the group only once they accept it: nobody is placed in a group by another's act. A member's level is changed with set_member_level instead (inviting a member is refused, 409), and a person with an open invitation is invited again only once it is withdrawn or expired (409). ${whoMayUse(hub, 'group.setMemberLevel')}`,
      inputSchema: z.object({ group: Group, ...InviteInput.shape }),
      outputSchema: InvitationOutput,
      annotations: ADD,
    },
    ({ group, ...body }) =>
      attempt(async () => ok(await inviteToGroup(hub, requireCaller(caller, 'inviting'), group, body))),
  );

  server.registerTool(
    'list_group_invitations',
    {
      title: "A group's open invitations",
      description: `The group's open invitations (expired ones too, until the person is invited again), for those who may set its levels, each with \`can.withdraw\`; \`can.invite\` says whether you may invite, and why not; \`yourInvitation\` is your own open invitation to the group, or null; \`recentlyDeclined\` the invitations declined in the last 30 days, latest first, with who answered and when, for those who may set its levels. ${whoMayUse(hub, 'group.setMemberLevel')}`,
      inputSchema: z.object({ group: Group }),
      outputSchema: z.object({
        items: z.array(InvitationOutput),
        can: CanOutput,
        yourInvitation: InvitationOutput.nullable(),
        recentlyDeclined: z
          .array(InvitationOutput)
          .describe('invitations declined in the last 30 days, latest first, with answeredBy and answeredAt'),
      }),
      annotations: READ,
    },
    ({ group }) => attempt(async () => ok(await listGroupInvitations(hub, caller.actor, group))),
  );

  server.registerTool(
    'withdraw_invitation',
    {
      title: 'Withdraw an invitation to a group',
      description: `Takes back an open invitation; the person is told, and can no longer accept it (410). ${whoMayUse(hub, 'group.setMemberLevel')}`,
      inputSchema: z.object({ group: Group, id: Id }),
      outputSchema: InvitationOutput,
      annotations: { ...REPLACE, idempotentHint: false },
    },
    ({ group, id }) =>
      attempt(async () =>
        ok(await withdrawInvitation(hub, requireCaller(caller, 'withdrawing an invitation'), group, id)),
      ),
  );

  server.registerTool(
    'list_my_invitations',
    {
      title: 'Your invitations to groups',
      description:
        'Your open invitations to groups: the level offered, who offered it and when, their message, until when you may accept, each with `can.accept` and `can.decline` (and why not).',
      inputSchema: z.object({}),
      outputSchema: z.object({ items: z.array(InvitationOutput) }),
      annotations: READ,
    },
    () => attempt(async () => ok(await listMyInvitations(hub, caller.actor))),
  );

  for (const verb of ['accept', 'decline'] as const)
    server.registerTool(
      `${verb}_invitation`,
      {
        title: verb === 'accept' ? 'Accept an invitation to a group' : 'Decline an invitation to a group',
        description:
          verb === 'accept'
            ? "You are in the group at the level offered, by your own act (one already in it at that level or above keeps theirs). Only the person invited may; an expired or withdrawn invitation is gone (410), one answered already is a conflict (409). The answer is the invitation, and `openDecisions`: the group's decisions open for answers, each with its ref, question, phase, `closesAt` and `voice`, what your silence or answer does on it now (`silence-counts`, `silence-not-counted` with `why`, `vote-counts`, `advisory` or `answered`), as join_group's. You are also sent one notice per decision whose answer now waits on you."
            : 'Nothing changes in the group; whoever invited you is told. Only the person invited may; an expired or withdrawn invitation is gone (410), one answered already is a conflict (409).',
        inputSchema: z.object({ id: Id }),
        outputSchema:
          verb === 'accept'
            ? InvitationOutput.extend({ openDecisions: OpenDecisionsOnJoiningOutput })
            : InvitationOutput,
        // accepting adds the person to the group; declining ends the invitation for good
        annotations: verb === 'accept' ? UPDATE : REPLACE,
      },
      ({ id }) =>
        attempt(async () => {
          const actor = requireCaller(caller, `${verb === 'accept' ? 'accepting' : 'declining'} an invitation`);
          if (verb === 'decline') return ok(await declineInvitation(hub, actor, id));
          const i = await acceptInvitation(hub, actor, id);
          // in the group now: told what their silence or answer does on each decision open there
          return ok({ ...i, openDecisions: await openDecisionsOnJoining(hub, actor, i.group) });
        }),
    );
}
