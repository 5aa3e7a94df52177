import { exportCharter } from '../app/imports/charters.ts';
import { openDecisionsOnJoining } from '../app/decisions/decisions.ts';
import { whatNeedsMe } from '../app/home/what-needs-me.ts';
import { NeedsQuery } from '../app/home/schemas.ts';
import {
  answerMembershipRequest,
  askToBeMember,
  listMembershipRequests,
  withdrawMembershipRequest,
} from '../app/groups/membership-requests.ts';
import {
  getGroupFor,
  joinGroup,
  listGroups,
  moveGroup,
  proposeGroup,
  setMemberLevel,
  sponsorGroup,
  updateCharter,
  getGroupMembers,
} from '../app/groups/groups.ts';
import { leaveGroup, removeMember } from '../app/groups/leave-group.ts';
import { eventLogTail, verifyEventLog } from '../app/log/log.ts';
import { getOrganisation, listOrganisationsPage } from '../app/people/organisations.ts';
import {
  acceptAgreements,
  createPerson,
  getPerson,
  listPeople,
  setPersonRole,
  updatePerson,
} from '../app/people/people.ts';
import {
  AcceptAgreementsInput,
  CreatePersonInput,
  ConfirmEmailInput,
  CreateTokenInput,
  IssueClaimInput,
  SetRoleInput,
  UpdatePersonInput,
} from '../app/people/schemas.ts';
import {
  CreateTopicAreaInput,
  JoinGroupInput,
  AnswerMembershipRequestInput,
  MembershipRequestInput,
  ListGroupsQuery,
  MoveGroupInput,
  ProposeGroupInput,
  SetMemberLevelInput,
  UpdateCharterInput,
  UpdateTopicAreaInput,
} from '../app/groups/schemas.ts';
import { EventsQuery, ListQuery } from '../app/core/schemas.ts';
import { createToken, revokeToken } from '../app/people/tokens.ts';
import { listGrants, revokeGrant } from '../app/people/oauth.ts';
import { issueClaim } from '../app/people/web-sessions.ts';
import { confirmEmail, resendConfirmation } from '../app/people/email.ts';
import { createTopicArea, getTopicArea, listTopicAreas, updateTopicArea } from '../app/groups/topic-areas.ts';
import { describeGovernance } from '../domain/governance/index.ts';
import { EMAIL_CONFIRMATION } from '../domain/people.ts';
import { versioned, type Route } from './routes.ts';

export const apiRoutes: Route[] = [
  {
    method: 'get',
    path: '/api/governance',
    tag: 'governance',
    summary: 'The rules in force ("How we work"), as data and in plain words',
    returns: 'the governance file and its description',
    handler: async ({ hub }) => ({ body: { rules: hub.governance, described: describeGovernance(hub.governance) } }),
  },
  // People
  {
    method: 'get',
    path: '/api/people',
    tag: 'people',
    summary: 'List people',
    query: ListQuery,
    returns: 'a page of people',
    handler: async ({ hub, query, actor }) => ({ body: await listPeople(hub, query, actor) }),
  },
  {
    method: 'post',
    path: '/api/people',
    tag: 'people',
    summary: 'Add a person',
    auth: true,
    body: CreatePersonInput,
    returns: 'the person',
    status: 201,
    handler: async ({ hub, requireActor, body }) => versioned(await createPerson(hub, requireActor(), body)),
  },
  {
    method: 'get',
    path: '/api/me',
    etag: true,
    tag: 'people',
    summary: 'The person this token acts for, with `mail`: their address and whether it is confirmed',
    auth: true,
    returns: 'the person',
    handler: async ({ hub, requireActor }) => {
      const a = requireActor();
      const p = await getPerson(hub, a.kind === 'person' ? a.person.handle : '', a);
      return { body: p, version: p.version };
    },
  },
  {
    method: 'get',
    path: '/api/me/needs',
    tag: 'people',
    summary:
      'What needs me, as my home page lists it: invitations to groups awaiting my answer, open decisions awaiting my voice (with deadlines), advisory ones, escalations named to me or that I may designate someone for, escalations I opened, answered or voted on whose resolver asks for more information (with where to answer), membership requests to groups I lead, proposed groups waiting for sponsors that I may sponsor and have not, notes and action items I owe, proposals I sponsor, support or wrote (moved since `since`), meetings I may attend in the next 30 days, agreements or mail to see to',
    auth: true,
    query: NeedsQuery,
    returns:
      'items (each with kind, ref, group, what is asked, due, path) and per kind how many are listed and how many there are (null: more may wait than are read)',
    handler: async ({ hub, requireActor, query }) => ({ body: await whatNeedsMe(hub, requireActor(), query) }),
  },
  {
    method: 'get',
    path: '/api/people/{handle}',
    etag: true,
    tag: 'people',
    summary: 'A person, with affiliations, role and agreements',
    returns: 'the person (ETag carries its version)',
    handler: async ({ hub, params, actor }) => versioned(await getPerson(hub, params.handle!, actor)),
  },
  {
    method: 'patch',
    path: '/api/people/{handle}',
    tag: 'people',
    summary:
      'Edit a person (name, time zone, handles, mail address, affiliations); a new mail address is mailed a confirmation link and receives nothing until confirmed',
    auth: true,
    ifMatch: true,
    body: UpdatePersonInput,
    returns: 'the person',
    handler: async ({ hub, requireActor, params, body, ifMatch }) =>
      versioned(await updatePerson(hub, requireActor(), params.handle!, ifMatch, body)),
  },
  {
    method: 'put',
    path: '/api/people/{handle}/role',
    tag: 'people',
    summary: "Set a person's community role",
    auth: true,
    ifMatch: true,
    body: SetRoleInput,
    returns: 'the person',
    handler: async ({ hub, requireActor, params, body, ifMatch }) =>
      versioned(await setPersonRole(hub, requireActor(), params.handle!, ifMatch, body)),
  },
  {
    method: 'post',
    path: '/api/people/{handle}/agreements',
    tag: 'people',
    summary: 'Accept the Code of Conduct and the contribution terms (current versions)',
    auth: true,
    body: AcceptAgreementsInput,
    returns: 'the person',
    handler: async ({ hub, requireActor, params, body }) =>
      versioned(await acceptAgreements(hub, requireActor(), params.handle!, body)),
  },
  {
    method: 'post',
    path: '/api/people/{handle}/tokens',
    tag: 'people',
    summary: 'Create an API token (the secret is shown once)',
    auth: true,
    body: CreateTokenInput,
    returns: 'the token',
    status: 201,
    handler: async ({ hub, requireActor, params, body }) => ({
      body: await createToken(hub, requireActor(), params.handle!, body),
    }),
  },
  {
    method: 'post',
    path: '/api/people/{handle}/claims',
    tag: 'people',
    summary:
      'Issue a one-time claim link (valid 7 days) that lets an imported person link their first sign-in to their record (moderators)',
    auth: true,
    // it takes no fields: a body sending any is refused naming them, not ignored
    body: IssueClaimInput,
    returns: 'the code and the path to give the person (shown once)',
    status: 201,
    handler: async ({ hub, requireActor, params, body }) => ({
      body: await issueClaim(hub, requireActor(), params.handle!, body),
    }),
  },
  {
    method: 'get',
    path: '/api/people/{handle}/mcp-clients',
    tag: 'people',
    summary:
      "The MCP clients a person allowed to act as them (OAuth, through /mcp): each client's registered name (unverified), where it signs in back to, when, and `can.revoke`",
    auth: true,
    returns: 'the grants, newest first',
    handler: async ({ hub, requireActor, params }) => ({
      body: { items: await listGrants(hub, params.handle!, requireActor()) },
    }),
  },
  {
    method: 'delete',
    path: '/api/mcp-clients/{id}',
    tag: 'people',
    summary: "Revoke an MCP client's access (its access and refresh tokens stop working at once)",
    auth: true,
    returns: 'the revoked grant',
    handler: async ({ hub, requireActor, params }) => ({ body: await revokeGrant(hub, requireActor(), params.id!) }),
  },
  {
    method: 'post',
    path: '/api/people/{handle}/email-confirmation',
    tag: 'people',
    summary: `Mail a new confirmation link for the address on record (yourself, or whoever may edit the record); at most one every ${EMAIL_CONFIRMATION.minutesBetween} minutes and ${EMAIL_CONFIRMATION.perDay} a day`,
    auth: true,
    returns:
      'your mail address and whether it is confirmed (as `mail` in GET /api/me); 429 with Retry-After when asked too often',
    status: 202,
    handler: async ({ hub, requireActor, params }) => ({
      body: await resendConfirmation(hub, requireActor(), params.handle!),
    }),
  },
  {
    method: 'post',
    path: '/api/email-confirmations',
    tag: 'people',
    summary:
      'Confirm a mail address with the token from its confirmation link (no API token needed: the link is the proof); it works once, until it expires',
    body: ConfirmEmailInput,
    returns: 'whose address was confirmed, and which',
    handler: async ({ hub, body }) => ({ body: await confirmEmail(hub, body) }),
  },
  {
    method: 'delete',
    path: '/api/tokens/{id}',
    tag: 'people',
    summary: 'Revoke an API token',
    auth: true,
    returns: 'the revoked token',
    handler: async ({ hub, requireActor, params }) => ({ body: await revokeToken(hub, requireActor(), params.id!) }),
  },
  // Organisations
  {
    method: 'get',
    path: '/api/organisations',
    tag: 'organisations',
    summary:
      'Organisations someone is or was with, by slug, with how many people are affiliated now; paged (`limit` 1–200, 50 unless given, and the previous page’s `nextCursor` as `cursor`), as MCP’s list_organisations',
    query: ListQuery,
    returns:
      'a page of organisations, each with `can`, `can.add` for naming a new one, and `nextCursor` (null on the last page)',
    handler: async ({ hub, actor, query }) => ({ body: await listOrganisationsPage(hub, actor, query) }),
  },
  {
    method: 'get',
    path: '/api/organisations/{slug}',
    tag: 'organisations',
    summary: 'An organisation and its people, with dates',
    returns: 'the organisation',
    handler: async ({ hub, actor, params }) => ({ body: await getOrganisation(hub, actor, params.slug!) }),
  },
  // Groups
  {
    method: 'get',
    path: '/api/groups',
    tag: 'groups',
    summary: 'List working and interest groups',
    query: ListGroupsQuery,
    returns: 'a page of groups',
    handler: async ({ hub, query }) => ({ body: await listGroups(hub, query) }),
  },
  {
    method: 'post',
    path: '/api/groups',
    tag: 'groups',
    summary: 'Propose a group (status proposed, charter from the template)',
    auth: true,
    body: ProposeGroupInput,
    returns: 'the group',
    status: 201,
    handler: async ({ hub, requireActor, body }) => versioned(await proposeGroup(hub, requireActor(), body)),
  },
  {
    method: 'get',
    path: '/api/groups/{slug}',
    etag: true,
    tag: 'groups',
    summary:
      'A group: charter, sponsors, members (emeritus computed now), topic areas, and `can` (what the caller may do to it now, and why not)',
    returns: 'the group (ETag carries its version)',
    handler: async ({ hub, params, actor }) => versioned(await getGroupFor(hub, params.slug!, actor)),
  },
  {
    method: 'patch',
    path: '/api/groups/{slug}',
    tag: 'groups',
    summary: 'Amend the charter: rename, replace sections by heading, add a changelog line',
    auth: true,
    ifMatch: true,
    body: UpdateCharterInput,
    returns: 'the group',
    handler: async ({ hub, requireActor, params, body, ifMatch }) =>
      versioned(await updateCharter(hub, requireActor(), params.slug!, ifMatch, body)),
  },
  {
    method: 'get',
    path: '/api/groups/{slug}/charter.md',
    tag: 'groups',
    summary: 'The charter as markdown, in the structure of the charter template',
    returns: 'markdown',
    produces: 'text/markdown; charset=utf-8',
    handler: async ({ hub, params }) => ({
      body: await exportCharter(hub, params.slug!),
    }),
  },
  {
    method: 'post',
    path: '/api/groups/{slug}/sponsors',
    tag: 'groups',
    summary: 'Sponsor the group and its leadership (core or lead maintainers)',
    auth: true,
    returns: 'the group',
    handler: async ({ hub, requireActor, params }) => ({ body: await sponsorGroup(hub, requireActor(), params.slug!) }),
  },
  {
    method: 'post',
    path: '/api/groups/{slug}/status',
    tag: 'groups',
    summary: 'Move the group: proposed → active → retired',
    auth: true,
    body: MoveGroupInput,
    returns: 'the group',
    handler: async ({ hub, requireActor, params, body }) => ({
      body: await moveGroup(hub, requireActor(), params.slug!, body),
    }),
  },
  {
    method: 'get',
    path: '/api/groups/{slug}/members',
    tag: 'groups',
    summary: 'Members with level and emeritus status as of now',
    returns: 'members',
    handler: async ({ hub, params }) => ({ body: { items: await getGroupMembers(hub, params.slug!) } }),
  },
  {
    method: 'post',
    path: '/api/groups/{slug}/members',
    tag: 'groups',
    summary: 'Join the group (observer or participant), or return from emeritus',
    auth: true,
    body: JoinGroupInput,
    returns:
      "the group's members, and its decisions open for answers with what your silence does on each (openDecisions)",
    handler: async ({ hub, requireActor, params, body }) => {
      const items = await joinGroup(hub, requireActor(), params.slug!, body);
      return { body: { items, openDecisions: await openDecisionsOnJoining(hub, requireActor(), params.slug!) } };
    },
  },
  {
    method: 'post',
    path: '/api/groups/{slug}/membership-requests',
    tag: 'groups',
    summary:
      "Ask the group's leads to become a member (joining as an observer or participant needs no asking); one open request per person",
    auth: true,
    body: MembershipRequestInput,
    returns: 'the request',
    status: 201,
    handler: async ({ hub, requireActor, params, body }) => ({
      body: await askToBeMember(hub, requireActor(), params.slug!, body),
    }),
  },
  {
    method: 'get',
    path: '/api/groups/{slug}/membership-requests',
    tag: 'groups',
    summary:
      'Open requests to become a member, for those who may answer them, with `can.answer`; `yourRequest` is your own latest request',
    returns: 'requests',
    handler: async ({ hub, params, actor }) => ({ body: await listMembershipRequests(hub, actor, params.slug!) }),
  },
  {
    method: 'delete',
    path: '/api/groups/{slug}/membership-requests/mine',
    tag: 'groups',
    summary:
      'Withdraw your open request to become a member (only the person who asked may); no decline, so you may ask again at once',
    auth: true,
    returns: 'your request, withdrawn',
    handler: async ({ hub, requireActor, params }) => ({
      body: await withdrawMembershipRequest(hub, requireActor(), params.slug!),
    }),
  },
  {
    method: 'post',
    path: '/api/groups/{slug}/membership-requests/{id}/answer',
    tag: 'groups',
    summary: 'Accept (the person becomes a member) or decline (with a reason) a request to become a member',
    auth: true,
    body: AnswerMembershipRequestInput,
    returns: 'the request',
    handler: async ({ hub, requireActor, params, body }) => ({
      body: await answerMembershipRequest(hub, requireActor(), params.slug!, params.id!, body),
    }),
  },
  {
    method: 'put',
    path: '/api/groups/{slug}/members/{handle}',
    tag: 'groups',
    summary:
      "Set a member's participation level; for someone not in the group it is an invitation they accept or decline (`invitation`, with the optional `message` and `expiresInDays`), and nobody is placed in the group",
    auth: true,
    body: SetMemberLevelInput,
    returns: "members (`items`), and the invitation made (`invitation`, null when a member's level changed)",
    handler: async ({ hub, requireActor, params, body }) => ({
      body: await setMemberLevel(hub, requireActor(), params.slug!, params.handle!, body),
    }),
  },
  {
    method: 'delete',
    path: '/api/groups/{slug}/members/me',
    tag: 'groups',
    summary:
      "Leave the group: the caller's membership ends, and with it facilitating its topic areas and their subscriptions to the group and its topic areas (watching, normal or muted; those on single proposals and decisions stay); the only lead must hand over first",
    auth: true,
    returns: 'members',
    handler: async ({ hub, requireActor, params }) => ({
      body: { items: await leaveGroup(hub, requireActor(), params.slug!) },
    }),
  },
  {
    method: 'delete',
    path: '/api/groups/{slug}/members/{handle}',
    tag: 'groups',
    summary:
      "Remove someone from the group (for those who set members' levels): their membership ends as if they left, and they are told who removed them; the only lead is refused",
    auth: true,
    returns: 'members',
    handler: async ({ hub, requireActor, params }) => ({
      body: { items: await removeMember(hub, requireActor(), params.slug!, params.handle!) },
    }),
  },
  // Topic areas
  {
    method: 'get',
    path: '/api/groups/{slug}/topics',
    tag: 'topic areas',
    summary: "A group's topic areas, each with its goal",
    returns: 'topic areas',
    handler: async ({ hub, params }) => ({ body: { items: await listTopicAreas(hub, params.slug!) } }),
  },
  {
    method: 'post',
    path: '/api/groups/{slug}/topics',
    tag: 'topic areas',
    summary: 'Add a topic area with facilitators and an explicit goal',
    auth: true,
    body: CreateTopicAreaInput,
    returns: 'the topic area',
    status: 201,
    handler: async ({ hub, requireActor, params, body }) =>
      versioned(await createTopicArea(hub, requireActor(), params.slug!, body)),
  },
  {
    method: 'get',
    path: '/api/groups/{slug}/topics/{topic}',
    etag: true,
    tag: 'topic areas',
    summary: 'A topic area, with `can` (whether the caller may edit it, and why not)',
    returns: 'the topic area (ETag carries its version)',
    handler: async ({ hub, params, actor }) => versioned(await getTopicArea(hub, params.slug!, params.topic!, actor)),
  },
  {
    method: 'patch',
    path: '/api/groups/{slug}/topics/{topic}',
    tag: 'topic areas',
    summary: 'Edit a topic area',
    auth: true,
    ifMatch: true,
    body: UpdateTopicAreaInput,
    returns: 'the topic area',
    handler: async ({ hub, requireActor, params, body, ifMatch }) =>
      versioned(await updateTopicArea(hub, requireActor(), params.slug!, params.topic!, ifMatch, body)),
  },
  // Event log
  {
    method: 'get',
    path: '/api/events',
    tag: 'log',
    summary: 'The event log, newest first',
    query: EventsQuery,
    returns: 'a page of events',
    handler: async ({ hub, query }) => ({ body: await eventLogTail(hub, query) }),
  },
  {
    method: 'get',
    path: '/api/events/verify',
    tag: 'log',
    summary: 'Verify the hash chain; reports the first broken link',
    returns: 'the verification result',
    handler: async ({ hub }) => ({ body: await verifyEventLog(hub) }),
  },
];
