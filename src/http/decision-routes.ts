import {
  castVote,
  decisionTimeline,
  designateEscalation,
  extendDecision,
  getDecision,
  listDecisions,
  openDecision,
  recordGuidance,
  requestVote,
  respondToDecision,
  withdrawDecision,
  withdrawResponse,
} from '../app/decisions/decisions.ts';
import {
  DecisionAtQuery,
  DecisionTimelineQuery,
  DesignateInput,
  ExtendDecisionInput,
  GuidanceInput,
  ListDecisionsQuery,
  OpenDecisionInput,
  RespondInput,
  VoteInput,
  WithdrawDecisionInput,
} from '../app/decisions/schemas.ts';
import { LIMITS } from '../domain/limits.ts';
import { versioned, type Route } from './routes.ts';

export const decisionRoutes: Route[] = [
  {
    method: 'get',
    path: '/api/decisions',
    tag: 'decisions',
    summary:
      'List decisions; subject=P-12 (or charter, process) for those about it, open=true, needing=HANDLE for the ones waiting on you (to answer, vote, or resolve as the named core maintainer)',
    query: ListDecisionsQuery,
    returns: 'a page of decisions',
    handler: async ({ hub, query }) => ({ body: await listDecisions(hub, query) }),
  },
  {
    method: 'post',
    path: '/api/decisions',
    tag: 'decisions',
    summary: 'Open a decision under lazy consensus (deadline no shorter than the governance file allows)',
    auth: true,
    body: OpenDecisionInput,
    returns: 'the decision',
    status: 201,
    handler: async ({ hub, requireActor, body }) => ({ body: await openDecision(hub, requireActor(), body) }),
  },
  {
    method: 'get',
    path: '/api/decisions/{ref}',
    etag: true,
    tag: 'decisions',
    summary: `A decision: computed state and why, raw and organisation-weighted tallies, timeline (the latest ${LIMITS.decisionTimeline.events} events; timelineEarlier: how many came before, read with GET /api/decisions/{ref}/timeline?before=), \`notified\` (who was told, when and how, who opened it, \`silent\`: members whose answer counts who have not answered, those of them never reached, \`uncounted\`: those of them not informed in time, whose silence is not counted as consent, and a silence warning), \`extendToInform\` (to one who may extend it while members are not informed in time: the fewest hours to extend it by so that they would be, the deadline that gives and the advice in words; null otherwise), \`can\` (what the caller may do now, and why not) and \`version\` (also the ETag: the If-Match of an extension); ?at=ISO shows how it will stand then`,
    query: DecisionAtQuery,
    returns: 'the decision',
    handler: async ({ hub, params, query, actor }) => versioned(await getDecision(hub, params.ref!, query.at, actor)),
  },
  {
    method: 'get',
    path: '/api/decisions/{ref}/timeline',
    tag: 'decisions',
    summary: `Earlier events of a decision's timeline than its read carries (that holds the latest ${LIMITS.decisionTimeline.events}, and timelineEarlier says how many came before and the before that reads them): the latest \`limit\` before event \`before\`, oldest first, with \`earlier\` (how many came before these, and the before that reads them; null at the start) and \`can\` (what the caller may do on the decision now, as its read says, and why not)`,
    query: DecisionTimelineQuery,
    returns: 'a page of the timeline',
    handler: async ({ hub, params, query, actor }) => ({
      body: await decisionTimeline(hub, params.ref!, query, actor),
    }),
  },
  {
    method: 'post',
    path: '/api/decisions/{ref}/responses',
    tag: 'decisions',
    summary:
      'Consent; concern with a "yes, and" amendment; or block with a reason and an alternative or resolution criteria',
    auth: true,
    body: RespondInput,
    returns: 'the decision',
    handler: async ({ hub, requireActor, params, body }) => ({
      body: await respondToDecision(hub, requireActor(), params.ref!, body),
    }),
  },
  {
    method: 'delete',
    path: '/api/decisions/{ref}/responses',
    tag: 'decisions',
    summary: 'Withdraw your response before the deadline',
    auth: true,
    returns: 'the decision',
    handler: async ({ hub, requireActor, params }) => ({
      body: await withdrawResponse(hub, requireActor(), params.ref!),
    }),
  },
  {
    method: 'post',
    path: '/api/decisions/{ref}/vote-requests',
    tag: 'decisions',
    summary: 'Ask for a formal vote (a lead at once, or three members together)',
    auth: true,
    returns: 'the decision',
    handler: async ({ hub, requireActor, params }) => ({ body: await requestVote(hub, requireActor(), params.ref!) }),
  },
  {
    method: 'post',
    path: '/api/decisions/{ref}/votes',
    tag: 'decisions',
    summary: 'Vote yes, no or abstain (active WG members and leads; one vote each, changeable until the close)',
    auth: true,
    body: VoteInput,
    returns: 'the decision',
    handler: async ({ hub, requireActor, params, body }) => ({
      body: await castVote(hub, requireActor(), params.ref!, body),
    }),
  },
  {
    method: 'post',
    path: '/api/decisions/{ref}/escalation',
    tag: 'decisions',
    summary: 'Designate the core maintainer who resolves it (no shared organisation with the parties)',
    auth: true,
    body: DesignateInput,
    // naming another replaces the one named before: a stale If-Match, when sent, is refused (409)
    ifMatch: 'optional',
    returns: 'the decision',
    handler: async ({ hub, requireActor, params, body, ifMatch }) =>
      versioned(await designateEscalation(hub, requireActor(), params.ref!, body, ifMatch)),
  },
  {
    method: 'post',
    path: '/api/decisions/{ref}/guidance',
    tag: 'decisions',
    summary: 'The designee records their guidance: binding, more information, or full deliberation',
    auth: true,
    body: GuidanceInput,
    returns: 'the decision',
    handler: async ({ hub, requireActor, params, body }) => ({
      body: await recordGuidance(hub, requireActor(), params.ref!, body),
    }),
  },
  {
    method: 'post',
    path: '/api/decisions/{ref}/withdraw',
    tag: 'decisions',
    summary:
      'Withdraw a decision opened by mistake (a duplicate, a wrong question), with a one-line reason: whoever opened it or a lead of its group, while it is open; it closes as withdrawn and the group is told',
    auth: true,
    body: WithdrawDecisionInput,
    // an answer or an extension since the read, when If-Match is sent, is shown (409) rather than withdrawn over
    ifMatch: 'optional',
    returns: 'the decision',
    handler: async ({ hub, requireActor, params, body, ifMatch }) =>
      versioned(await withdrawDecision(hub, requireActor(), params.ref!, body, ifMatch)),
  },
  {
    method: 'post',
    path: '/api/decisions/{ref}/extend',
    tag: 'decisions',
    summary: `Extend a decision's deadline while lazy consensus runs (not in a vote, an escalation or once closed), so that silence at the close is informed: whoever opened it or a lead of its group (\`can.extend\`), a later deadline at most ${LIMITS.decisionExtensionDays} days from now (\`deadline\`, or \`hours\` later than the current one: the decision's \`extendToInform.hours\` says how many let members not informed in time be told in time) and a one-line reason; the members whose voice counts are told, and the closes-soon reminder moves. Needs If-Match (the decision's version, its ETag): a stale one is a 409 with the decision as it stands`,
    auth: true,
    ifMatch: true,
    body: ExtendDecisionInput,
    returns: 'the decision',
    handler: async ({ hub, requireActor, params, body, ifMatch }) =>
      versioned(await extendDecision(hub, requireActor(), params.ref!, ifMatch, body)),
  },
];
