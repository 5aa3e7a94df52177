import { draftPullRequest } from '../app/proposals/collaboration.ts';
import { moderateComment } from '../app/proposals/moderation.ts';
import { MODERATION_TOLD } from '../domain/notifications/moderation-told.ts';
import { addComment, commentHistory, commentsPage, discussionVoices, editComment } from '../app/proposals/comments.ts';
import { runDormancy } from '../app/proposals/dormancy.ts';
import { POSSIBLE_SPONSORS, proposalSponsors } from '../app/proposals/sponsors.ts';
import {
  addEvidence,
  checkProposalGates,
  completeFollowUp,
  createProposal,
  endSponsorship,
  getProposal,
  listProposals,
  moveProposal,
  promoteProposal,
  recommendProposalLayer,
  relateProposal,
  sponsorProposal,
  supportProposal,
  updateProposal,
  withdrawSupport,
} from '../app/proposals/proposals.ts';
import {
  CommentInput,
  CreateProposalInput,
  EditCommentInput,
  EndSponsorshipInput,
  ModerateCommentInput,
  EvidenceInput,
  LayerQuestionnaireInput,
  LayerQuery,
  ListProposalsQuery,
  MoveStageInput,
  RelationInput,
  SupportInput,
  UpdateProposalInput,
} from '../app/proposals/schemas.ts';
import { requestReview } from '../app/proposals/review-request.ts';
import { exportSep } from '../app/imports/seps.ts';
import { ListQuery } from '../app/core/schemas.ts';
import { parseInput } from '../app/core/validate.ts';
import { versioned, type Route } from './routes.ts';

export const proposalRoutes: Route[] = [
  {
    method: 'get',
    path: '/api/proposals',
    tag: 'proposals',
    summary: 'List proposals and SEPs',
    query: ListProposalsQuery,
    returns: 'a page of proposals',
    handler: async ({ hub, query }) => ({ body: await listProposals(hub, query) }),
  },
  {
    method: 'post',
    path: '/api/proposals',
    tag: 'proposals',
    summary: 'Propose a contribution: problem, examples, interests, target layer',
    auth: true,
    body: CreateProposalInput,
    returns: 'the proposal',
    status: 201,
    handler: async ({ hub, requireActor, body }) => versioned(await createProposal(hub, requireActor(), body)),
  },
  {
    method: 'post',
    path: '/api/proposals/layer',
    tag: 'proposals',
    summary: 'Which layer? Recommend a target layer from four questions, with the guide’s reasoning',
    body: LayerQuestionnaireInput,
    query: LayerQuery,
    returns: 'the recommendation and warnings',
    handler: async ({ hub, body, query }) => ({ body: await recommendProposalLayer(hub, body, query.ref) }),
  },
  {
    method: 'get',
    path: '/api/proposals/{ref}',
    etag: true,
    tag: 'proposals',
    summary: 'A proposal (SEP-n, P-n or #n): stage, gate, supporters by organisation, evidence, relations, follow-ups',
    returns: 'the proposal (ETag carries its version)',
    handler: async ({ hub, params, actor }) => versioned(await getProposal(hub, params.ref!, actor)),
  },
  {
    method: 'patch',
    path: '/api/proposals/{ref}',
    tag: 'proposals',
    summary: 'Edit a proposal',
    auth: true,
    ifMatch: true,
    body: UpdateProposalInput,
    returns: 'the proposal',
    handler: async ({ hub, requireActor, params, body, ifMatch }) =>
      versioned(await updateProposal(hub, requireActor(), params.ref!, ifMatch, body)),
  },
  {
    method: 'get',
    path: '/api/proposals/{ref}/gates',
    tag: 'proposals',
    summary: 'Check the gates of its layer: every condition with pass/fail and the reason',
    returns: 'the gate result',
    handler: async ({ hub, params }) => ({ body: await checkProposalGates(hub, params.ref!) }),
  },
  {
    method: 'get',
    path: '/api/proposals/{ref}/pull-request-draft',
    tag: 'proposals',
    summary:
      "Draft its pull request's description from the collaboration recorded here (the guide's last step), with what the route still lacks",
    returns: 'the draft: markdown, gaps, and the facts it was written from',
    handler: async ({ hub, actor, params, origin }) => ({
      body: await draftPullRequest(hub, params.ref!, actor, origin),
    }),
  },
  {
    method: 'post',
    path: '/api/proposals/{ref}/stage',
    tag: 'proposals',
    summary: 'Move along the route; an illegal move lists the allowed ones and who may make them',
    auth: true,
    body: MoveStageInput,
    returns: 'the proposal',
    handler: async ({ hub, requireActor, params, body }) =>
      versioned(await moveProposal(hub, requireActor(), params.ref!, body)),
  },
  {
    method: 'get',
    path: '/api/proposals/{ref}/sponsors',
    tag: 'proposals',
    summary: `Who may sponsor it: while it has no sponsor and has not ended, up to ${POSSIBLE_SPONSORS} people who may (their role, the agreements accepted; its group’s own first), never the caller; \`can.sponsor\` says whether the caller may, and why not`,
    returns: 'its sponsor, whether one is wanted, who may sponsor in words, the people, and `can`',
    handler: async ({ hub, actor, params }) => ({ body: await proposalSponsors(hub, params.ref!, actor) }),
  },
  {
    method: 'post',
    path: '/api/proposals/{ref}/sponsor',
    tag: 'proposals',
    summary: 'Become the sponsor (maintainers)',
    auth: true,
    returns: 'the proposal',
    handler: async ({ hub, requireActor, params }) =>
      versioned(await sponsorProposal(hub, requireActor(), params.ref!)),
  },
  {
    method: 'post',
    path: '/api/proposals/{ref}/sponsor/end',
    tag: 'proposals',
    summary:
      'End the sponsorship, saying why: the sponsor stepping down, or a group lead or maintainer removing them; the authors are told it needs a sponsor',
    auth: true,
    body: EndSponsorshipInput,
    returns: 'the proposal',
    handler: async ({ hub, requireActor, params, body }) =>
      versioned(await endSponsorship(hub, requireActor(), params.ref!, body)),
  },
  {
    method: 'post',
    path: '/api/proposals/{ref}/review-requests',
    tag: 'proposals',
    summary:
      "Ask for review (its authors): its sponsor is told it waits for them, or, with no sponsor yet, the group's leads; once every notifications.reviewRequestHours (24) per proposal. The answer's reviewRequest says whom it reached",
    auth: true,
    returns: 'the proposal',
    handler: async ({ hub, requireActor, params }) => versioned(await requestReview(hub, requireActor(), params.ref!)),
  },
  {
    method: 'post',
    path: '/api/proposals/{ref}/supporters',
    tag: 'proposals',
    summary: 'Support it, speaking for an organisation (default: your affiliation today)',
    auth: true,
    body: SupportInput,
    returns: 'the proposal',
    handler: async ({ hub, requireActor, params, body }) =>
      versioned(await supportProposal(hub, requireActor(), params.ref!, body)),
  },
  {
    method: 'delete',
    path: '/api/proposals/{ref}/supporters',
    tag: 'proposals',
    summary: 'Withdraw your support',
    auth: true,
    returns: 'the proposal',
    handler: async ({ hub, requireActor, params }) =>
      versioned(await withdrawSupport(hub, requireActor(), params.ref!)),
  },
  {
    method: 'post',
    path: '/api/proposals/{ref}/evidence',
    tag: 'proposals',
    summary: 'Add evidence: implementations, interoperability, community use, implementer validation',
    auth: true,
    body: EvidenceInput,
    returns: 'the proposal',
    handler: async ({ hub, requireActor, params, body }) =>
      versioned(await addEvidence(hub, requireActor(), params.ref!, body)),
  },
  {
    method: 'post',
    path: '/api/proposals/{ref}/relations',
    tag: 'proposals',
    summary:
      'Relate to another item (duplicate-of, supersedes, builds-on, related, promoted-from); suggestions count only once confirmed',
    auth: true,
    body: RelationInput,
    returns: 'the proposal',
    handler: async ({ hub, requireActor, params, body }) =>
      versioned(await relateProposal(hub, requireActor(), params.ref!, body)),
  },
  {
    method: 'post',
    path: '/api/proposals/{ref}/promote',
    tag: 'proposals',
    summary: 'Promote to the next layer up, keeping the lineage',
    auth: true,
    returns: 'the new proposal',
    status: 201,
    handler: async ({ hub, requireActor, params }) =>
      versioned(await promoteProposal(hub, requireActor(), params.ref!)),
  },
  {
    method: 'post',
    path: '/api/proposals/{ref}/follow-ups/{id}/done',
    tag: 'proposals',
    summary: 'Mark a cascade follow-up (an SDK or supporting resource) done',
    auth: true,
    returns: 'the proposal',
    handler: async ({ hub, requireActor, params }) =>
      versioned(await completeFollowUp(hub, requireActor(), params.ref!, params.id!)),
  },
  {
    method: 'get',
    path: '/api/proposals/{ref}/sep.md',
    tag: 'proposals',
    summary: 'The SEP in the template format',
    returns: 'markdown',
    produces: 'text/markdown; charset=utf-8',
    handler: async ({ hub, params }) => ({
      body: await exportSep(hub, params.ref!),
    }),
  },
  // Discussion
  {
    method: 'get',
    path: '/api/proposals/{ref}/comments',
    tag: 'discussion',
    summary:
      "A page of the discussion, oldest first and flat (`parent` names the comment answered, `inReplyTo` its author), with safe HTML and mentions, each comment's `can`, `total`, how the voices spread over organisations, and `next` (the next page's URL, null on the last); a hidden comment shows who hid it and why, its text only to those who moderate",
    query: ListQuery,
    returns: 'comments',
    handler: async ({ hub, params, actor, query }) => {
      const q = parseInput(ListQuery, query);
      const page = await commentsPage(hub, params.ref!, actor, q);
      const next = page.nextCursor
        ? `/api/proposals/${encodeURIComponent(params.ref!)}/comments?limit=${q.limit}&cursor=${page.nextCursor}`
        : null;
      return { body: { ...page, next, voices: await discussionVoices(hub, params.ref!) } };
    },
  },
  {
    method: 'post',
    path: '/api/proposals/{ref}/comments',
    tag: 'discussion',
    summary: 'Comment or reply (markdown; @handle and SEP-n/#n mentions link)',
    auth: true,
    body: CommentInput,
    returns: 'the comment',
    status: 201,
    handler: async ({ hub, requireActor, params, body }) =>
      versioned(await addComment(hub, requireActor(), params.ref!, body)),
  },
  {
    method: 'patch',
    path: '/api/comments/{id}',
    tag: 'discussion',
    summary: 'Edit your comment; earlier texts stay in its history',
    auth: true,
    ifMatch: true,
    body: EditCommentInput,
    returns: 'the comment',
    handler: async ({ hub, requireActor, params, body, ifMatch }) =>
      versioned(await editComment(hub, requireActor(), params.id!, ifMatch, body)),
  },
  {
    method: 'get',
    path: '/api/comments/{id}/history',
    tag: 'discussion',
    summary: "A comment's edit history (a hidden comment's only for those who moderate)",
    returns: 'revisions',
    handler: async ({ hub, params, actor }) => ({ body: { items: await commentHistory(hub, params.id!, actor) } }),
  },
  {
    method: 'post',
    path: '/api/comments/{id}/moderation',
    tag: 'discussion',
    summary: `Hide a comment or lock it (no replies or edits) with a reason readers see, or undo either; moderators and the group’s leads. Who is told: ${MODERATION_TOLD}`,
    auth: true,
    body: ModerateCommentInput,
    returns: 'the comment as the moderator sees it',
    handler: async ({ hub, requireActor, params, body }) =>
      versioned(await moderateComment(hub, requireActor(), params.id!, body)),
  },
  // Jobs
  {
    method: 'post',
    path: '/api/jobs/dormancy',
    tag: 'jobs',
    summary: 'Run the SEP dormancy timers now (reminders, moves to dormant)',
    auth: true,
    returns: 'what the job did',
    handler: async ({ hub, requireActor }) => ({ body: { actions: await runDormancy(hub, requireActor()) } }),
  },
];
