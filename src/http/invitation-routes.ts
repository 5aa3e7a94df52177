// Invitations to a group (app/groups/invitations.ts): a lead invites someone not in the group (or
// sets a level for them, PUT /api/groups/{slug}/members/{handle}); only the person invited accepts or
// declines; a lead lists the group's open invitations and withdraws one.
import {
  acceptInvitation,
  declineInvitation,
  getInvitation,
  inviteToGroup,
  listGroupInvitations,
  listMyInvitations,
  withdrawInvitation,
} from '../app/groups/invitations.ts';
import { openDecisionsOnJoining } from '../app/decisions/decisions.ts';
import { InviteInput } from '../app/groups/schemas.ts';
import type { Route } from './routes.ts';

export const invitationRoutes: Route[] = [
  {
    method: 'get',
    path: '/api/me/invitations',
    tag: 'groups',
    summary:
      'Your open invitations to groups (the level offered, who offered it, when, their message, until when), each with `can.accept` and `can.decline`',
    auth: true,
    returns: 'invitations',
    handler: async ({ hub, requireActor }) => ({ body: await listMyInvitations(hub, requireActor()) }),
  },
  {
    method: 'get',
    path: '/api/invitations/{id}',
    tag: 'groups',
    summary: 'One invitation, for the person invited or those who may withdraw it, with `can`',
    auth: true,
    returns: 'the invitation',
    handler: async ({ hub, requireActor, params }) => ({ body: await getInvitation(hub, requireActor(), params.id!) }),
  },
  {
    method: 'post',
    path: '/api/me/invitations/{id}/accept',
    tag: 'groups',
    summary:
      'Accept an invitation: you are in the group at the level offered (only the person invited may; 410 once it expired or was withdrawn, 409 once answered)',
    auth: true,
    returns:
      "the invitation, accepted, and the group's decisions open for answers with what your silence does on each (openDecisions)",
    handler: async ({ hub, requireActor, params }) => {
      const i = await acceptInvitation(hub, requireActor(), params.id!);
      return { body: { ...i, openDecisions: await openDecisionsOnJoining(hub, requireActor(), i.group) } };
    },
  },
  {
    method: 'post',
    path: '/api/me/invitations/{id}/decline',
    tag: 'groups',
    summary:
      'Decline an invitation: nothing changes in the group, and whoever invited you is told (410 once it expired or was withdrawn, 409 once answered)',
    auth: true,
    returns: 'the invitation, declined',
    handler: async ({ hub, requireActor, params }) => ({
      body: await declineInvitation(hub, requireActor(), params.id!),
    }),
  },
  {
    method: 'get',
    path: '/api/groups/{slug}/invitations',
    tag: 'groups',
    summary:
      "The group's open invitations, for those who may set its levels (expired ones among them until someone is invited again), with `can.invite`; `yourInvitation` is your own open one",
    returns: 'invitations',
    handler: async ({ hub, actor, params }) => ({ body: await listGroupInvitations(hub, actor, params.slug!) }),
  },
  {
    method: 'post',
    path: '/api/groups/{slug}/invitations',
    tag: 'groups',
    summary:
      'Invite someone not in the group at a level, with an optional message and expiry in days; they are in the group only once they accept (409 for a member or one already invited)',
    auth: true,
    body: InviteInput,
    returns: 'the invitation',
    status: 201,
    handler: async ({ hub, requireActor, params, body }) => ({
      body: await inviteToGroup(hub, requireActor(), params.slug!, body),
    }),
  },
  {
    method: 'post',
    path: '/api/groups/{slug}/invitations/{id}/withdraw',
    tag: 'groups',
    summary: "Withdraw an open invitation (those who may set the group's levels); the person is told",
    auth: true,
    returns: 'the invitation, withdrawn',
    handler: async ({ hub, requireActor, params }) => ({
      body: await withdrawInvitation(hub, requireActor(), params.slug!, params.id!),
    }),
  },
];
