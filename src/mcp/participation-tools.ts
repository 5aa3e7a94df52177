// Taking part in a proposal's discussion and a decision, as tools: what get_proposal's and
// get_decision's `can` say the connected person may do (comment, support, sponsor; vote, ask for a
// vote, withdraw a response). Without them an assistant was told "you may vote" and had no way to.
// The same use cases as REST and the web, so the same policy answers.
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { Hub } from '../app/core/hub.ts';
import { castVote, requestVote, withdrawResponse } from '../app/decisions/decisions.ts';
import { VoteInput } from '../app/decisions/schemas.ts';
import { addComment, proposalOfComment } from '../app/proposals/comments.ts';
import {
  completeFollowUp,
  promoteProposal,
  sponsorProposal,
  supportProposal,
  withdrawSupport,
} from '../app/proposals/proposals.ts';
import { CommentInput, SupportInput } from '../app/proposals/schemas.ts';
import { CanOutput, DecisionOutput, ProposalOutput } from './outputs.ts';
import { ADD, UPDATE, attempt, type McpCaller, ok, requireCaller, whoMayUse } from './results.ts';

const Ref = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .describe('a proposal reference: SEP-2575, P-12, #12, or proposal:P-12 as check_prior_work gives it');
const DecisionRef = z.string().trim().min(1).max(64).describe('a decision reference such as D-3');

const CommentToolInput = z.object({
  ref: Ref,
  body: CommentInput.shape.body.describe(
    'the comment, as markdown (@handle mentions tell that person); say the interest behind a concern or objection, not only the position',
  ),
  parent: CommentInput.shape.parent.describe(
    "the id of the comment this answers (a reply); omitted: a new thread. Comments' ids are in search results (kind comment) and the proposal's page",
  ),
});
const CommentOutput = z.looseObject({
  id: z.string().describe('the comment id: parent for a reply to it'),
  proposal: z.string().describe('the proposal it is on'),
  author: z.string(),
  body: z.string(),
  createdAt: z.string(),
  version: z.number(),
  flags: z
    .array(z.looseObject({ kind: z.string(), sentence: z.string() }))
    .describe('sentences the guide would word otherwise (a position, marketing), with its advice; they never block'),
  can: CanOutput.describe('what you may do to the comment now (edit, reply…), and for each thing you may not, why'),
});
const SupportToolInput = z.object({
  ref: Ref,
  organisation: SupportInput.shape.organisation.describe(
    'the organisation you speak for, one you are with today (get_person lists them); omitted: the one you are with now; null: yourself alone',
  ),
});
const ByRef = z.object({ ref: Ref });
const VoteToolInput = z.object({
  ref: DecisionRef,
  choice: VoteInput.shape.choice.describe(
    'yes, no or abstain; a later vote replaces your earlier one until the vote closes',
  ),
  rationale: VoteInput.shape.rationale.describe('why you vote so (shown with your vote)'),
});
const ByDecision = z.object({ ref: DecisionRef });
const FollowUpInput = z.object({
  ref: Ref,
  followUp: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .describe("the follow-up's id, as get_proposal lists it under followUps (an SDK or supporting resource to update)"),
});

export function registerParticipationTools(server: McpServer, hub: Hub, caller: McpCaller): void {
  server.registerTool(
    'comment_on_proposal',
    {
      title: 'Comment on a proposal',
      description: `Add a comment to a proposal's discussion, or reply to one: support with a reason, a question, a concern or an objection (an objection to a decision about it is respond_to_decision with kind block). Its authors and those watching it are told; @handle mentions tell that person. get_proposal's can.comment says whether you may, and why not. ${whoMayUse(hub, 'proposal.comment')}`,
      inputSchema: CommentToolInput,
      outputSchema: CommentOutput,
      annotations: ADD,
    },
    ({ ref, ...body }) =>
      attempt(async () => {
        const c = await addComment(hub, requireCaller(caller, 'commenting on a proposal'), ref, body);
        const { html: _html, replies: _replies, ...rest } = c;
        return ok({ ...rest, proposal: await proposalOfComment(hub, c.id) });
      }),
  );

  server.registerTool(
    'support_proposal',
    {
      title: 'Support a proposal',
      description: `Say that you (and the organisation you speak for) need what a proposal asks for too: the gates count supporters by organisation. Supporting it again changes only the organisation. Not its authors (support shows that others need it). get_proposal's can.support says whether you may, and why not. ${whoMayUse(hub, 'proposal.support')}`,
      inputSchema: SupportToolInput,
      outputSchema: ProposalOutput,
      annotations: UPDATE,
    },
    ({ ref, ...body }) =>
      attempt(async () => ok(await supportProposal(hub, requireCaller(caller, 'supporting a proposal'), ref, body))),
  );

  server.registerTool(
    'withdraw_support',
    {
      title: 'Withdraw your support for a proposal',
      description:
        "Take back the support you gave a proposal (support_proposal); withdrawing support you did not give changes nothing. get_proposal's can.withdrawSupport says whether you may.",
      inputSchema: ByRef,
      outputSchema: ProposalOutput,
      annotations: { ...UPDATE, destructiveHint: true },
    },
    ({ ref }) => attempt(async () => ok(await withdrawSupport(hub, requireCaller(caller, 'withdrawing support'), ref))),
  );

  server.registerTool(
    'sponsor_proposal',
    {
      title: 'Sponsor a proposal',
      description: `Take on a proposal that has no sponsor, as its sponsor: you review it and carry it along the route; its authors are told. get_proposal's can.sponsor says whether you may (only the roles the governance file names as sponsors), and why not. end_sponsorship steps down.`,
      inputSchema: ByRef,
      outputSchema: ProposalOutput,
      annotations: { ...UPDATE, idempotentHint: false },
    },
    ({ ref }) =>
      attempt(async () => ok(await sponsorProposal(hub, requireCaller(caller, 'sponsoring a proposal'), ref))),
  );

  server.registerTool(
    'promote_proposal',
    {
      title: 'Promote a proposal to the next layer up',
      description: `Promote a proposal one layer up (the layers, highest first: ${hub.governance.proposals.layers.map((l) => l.id).join(', ')}; to specification it becomes a SEP draft on the SEP route): a new proposal is made at that layer with the same text and authors, recorded as promoted from this one, which stays as it is. Once per layer: promoting again is refused naming the copy. The answer is the new proposal. get_proposal's can.promote says whether you may, and why not. ${whoMayUse(hub, 'proposal.promote')}`,
      inputSchema: ByRef,
      outputSchema: ProposalOutput,
      annotations: ADD,
    },
    ({ ref }) =>
      attempt(async () => ok(await promoteProposal(hub, requireCaller(caller, 'promoting a proposal'), ref))),
  );

  server.registerTool(
    'complete_follow_up',
    {
      title: "Mark a proposal's follow-up done",
      description: `An accepted specification change opens follow-ups for each reference SDK and supporting resource (the cascading impact principle); mark one done once that SDK or resource is updated. Marking it again changes nothing. get_proposal's can.completeFollowUp says whether you may, and why not. ${whoMayUse(hub, 'proposal.completeFollowUp')}`,
      inputSchema: FollowUpInput,
      outputSchema: ProposalOutput,
      annotations: UPDATE,
    },
    ({ ref, followUp }) =>
      attempt(async () =>
        ok(await completeFollowUp(hub, requireCaller(caller, 'marking a follow-up done'), ref, followUp)),
      ),
  );

  server.registerTool(
    'vote_on_decision',
    {
      title: 'Vote on a decision',
      description: `Cast your vote on a decision whose formal vote is open (a block that still stood at the lazy-consensus deadline, or a vote someone asked for): yes, no or abstain, with an optional rationale. A later vote replaces your earlier one until the vote closes. get_decision's can.vote says whether you may now, and why not (no vote open, not a member). ${whoMayUse(hub, 'decision.vote')}`,
      inputSchema: VoteToolInput,
      outputSchema: DecisionOutput,
      annotations: { ...ADD, destructiveHint: true },
    },
    ({ ref, ...body }) =>
      attempt(async () => ok(await castVote(hub, requireCaller(caller, 'voting on a decision'), ref, body))),
  );

  server.registerTool(
    'request_vote',
    {
      title: 'Ask for a vote on a decision',
      description: `Ask that a decision under lazy consensus go to a formal vote instead; the vote opens once as many members as the governance file asks have asked (get_decision's state.why says how many), and the group is told. Asking again changes nothing. get_decision's can.requestVote says whether you may now, and why not. ${whoMayUse(hub, 'decision.requestVote')}`,
      inputSchema: ByDecision,
      outputSchema: DecisionOutput,
      annotations: UPDATE,
    },
    ({ ref }) => attempt(async () => ok(await requestVote(hub, requireCaller(caller, 'asking for a vote'), ref))),
  );

  server.registerTool(
    'withdraw_decision_response',
    {
      title: 'Withdraw your response to a decision',
      description:
        "Take back your consent, concern or block on a decision while it is under lazy consensus (your silence then counts as consent again); respond_to_decision replaces it instead. get_decision's can.withdrawResponse says whether you may now, and why not.",
      inputSchema: ByDecision,
      outputSchema: DecisionOutput,
      annotations: { ...UPDATE, destructiveHint: true },
    },
    ({ ref }) =>
      attempt(async () => ok(await withdrawResponse(hub, requireCaller(caller, 'withdrawing a response'), ref))),
  );
}
