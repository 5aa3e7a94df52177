// Taking part in a proposal's discussion and a decision, as tools: what get_proposal's and
// get_decision's `can` say the connected person may do (comment, support, sponsor; vote, ask for a
// vote, withdraw a response). Without them an assistant was told "you may vote" and had no way to.
// The same use cases as REST and the web, so the same policy answers.
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { Hub } from '../app/core/hub.ts';
import { castVote, requestVote, withdrawResponse } from '../app/decisions/decisions.ts';
import { VoteInput } from '../app/decisions/schemas.ts';
import { addComment, commentsPage, editComment, proposalOfComment } from '../app/proposals/comments.ts';
import {
  completeFollowUp,
  promoteProposal,
  sponsorProposal,
  supportProposal,
  withdrawSupport,
} from '../app/proposals/proposals.ts';
import { CommentInput, EditCommentInput, SupportInput } from '../app/proposals/schemas.ts';
import { ListQuery } from '../app/core/schemas.ts';
import { CanOutput, DecisionOutput, ProposalOutput } from './outputs.ts';
import { ADD, READ, REPLACE, UPDATE, attempt, type McpCaller, ok, requireCaller, whoMayUse } from './results.ts';
import { versionRead } from './versions.ts';

const Ref = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .describe('a proposal reference: SEP-2575, P-12, #12, or proposal:P-12 as check_prior_work gives it');
const DecisionRef = z.string().trim().min(1).max(64).describe('a decision reference such as D-3');

/**
 * A comment as the tools name it: its id (list_comments), or as search names it (`comment:ID`, or
 * its ref `P-12#comment-ID`); comment_on_proposal's parent took the bare id alone, and refused the
 * one search gave ("no comment 'comment:…' on P-2").
 */
export const commentId = (c: string) =>
  c
    .trim()
    .replace(/^comment:/, '')
    .replace(/^[^#]*#comment-/, '');
const CommentRef = (what: string) =>
  z
    .string()
    .trim()
    .min(1)
    .max(100)
    .describe(
      `${what}: its id as list_comments gives it, or as search (kind comment) names it, comment:ID or P-12#comment-ID`,
    );

const CommentToolInput = z.object({
  ref: Ref,
  body: CommentInput.shape.body.describe(
    'the comment, as markdown (@handle mentions tell that person); say the interest behind a concern or objection, not only the position',
  ),
  parent: CommentRef('the comment this answers (a reply); omitted: a new thread').optional(),
});
const ListCommentsInput = z.object({
  ref: Ref,
  limit: z.number().int().min(1).max(200).default(50).describe('how many comments per page'),
  cursor: ListQuery.shape.cursor,
});
const EditCommentToolInput = z.object({
  comment: CommentRef('your comment'),
  body: EditCommentInput.shape.body.describe('the new text, as markdown; the earlier one stays in its history'),
  version: versionRead(
    "the comment's version as you read it (list_comments shows it): an edit from an older read is refused with the text as it is now, not written over a change you have not seen",
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
const CommentsOutput = z.object({
  items: z.array(
    CommentOutput.omit({ proposal: true }).extend({
      parent: z.string().nullable().describe('the comment it answers, null for a new thread'),
      inReplyTo: z.string().nullable().optional().describe("that comment's author"),
      hidden: z
        .looseObject({ by: z.string(), reason: z.string() })
        .nullable()
        .describe('hidden by a moderator: who and why; its body is empty unless you moderate'),
      locked: z.looseObject({ by: z.string(), reason: z.string() }).nullable().describe('no replies or edits'),
    }),
  ),
  nextCursor: z.string().nullable().describe('pass back as cursor for the next page; null on the last'),
  total: z.number().int().describe('how many comments the discussion holds'),
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
    ({ ref, parent, ...body }) =>
      attempt(async () => {
        const c = await addComment(hub, requireCaller(caller, 'commenting on a proposal'), ref, {
          ...body,
          ...(parent === undefined ? {} : { parent: commentId(parent) }),
        });
        const { html: _html, replies: _replies, ...rest } = c;
        return ok({ ...rest, proposal: await proposalOfComment(hub, c.id) });
      }),
  );

  server.registerTool(
    'list_comments',
    {
      title: "Read a proposal's discussion",
      description:
        "A page of a proposal's discussion, oldest first and flat: each comment's id (what a reply gives comment_on_proposal as parent, and edit_comment and moderate_comment as comment), author, body as markdown, `parent` (the comment it answers) and `inReplyTo` (its author), `version` and `can` (edit, reply, hide, lock…, and why not), with `total`. A hidden comment says who hid it and why; its text only those who moderate read. Paginated (pass nextCursor back as cursor). Read it before objecting or replying: the summarise_discussion prompt sums it up.",
      inputSchema: ListCommentsInput,
      outputSchema: CommentsOutput,
      annotations: READ,
    },
    ({ ref, limit, cursor }) =>
      attempt(async () => {
        const page = await commentsPage(hub, ref, caller.actor, { limit, cursor });
        return ok({
          items: page.items.map(({ html: _html, replies: _replies, ...c }) => c),
          nextCursor: page.nextCursor,
          total: page.total,
        });
      }),
  );

  server.registerTool(
    'edit_comment',
    {
      title: 'Edit your comment',
      description:
        "Change the text of a comment you wrote (list_comments' can.edit says whether you may, and why not: a locked or hidden one is not). Its earlier text stays in its history. Needs the comment's `version` you read: an edit from an older read is refused with the text as it is now.",
      inputSchema: EditCommentToolInput,
      outputSchema: CommentOutput,
      // it replaces the text shown
      annotations: REPLACE,
    },
    ({ comment, body, version }) =>
      attempt(async () => {
        const c = await editComment(hub, requireCaller(caller, 'editing a comment'), commentId(comment), version, {
          body,
        });
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
      annotations: UPDATE,
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
      // once per layer: promoting again is refused naming the copy, and adds nothing
      annotations: { ...ADD, idempotentHint: true },
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
      description: `Ask that a decision under lazy consensus go to a formal vote instead; the vote opens once as many members as the governance file asks have asked (get_decision's state.why says how many), and the group is told. Asking again, or once the vote is open, is answered already as asked (nothing recorded twice). get_decision's can.requestVote says whether you may now, and why not. ${whoMayUse(hub, 'decision.requestVote')}`,
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
