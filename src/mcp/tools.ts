// The hub's tools: each one calls the same use case as REST and the CLI, so permissions and
// rules cannot differ between edges. Inputs reuse the use cases' zod shapes (the use case
// validates again, with its refinements); outputs are structured with a schema.
import { progressOf } from './progress.ts';
import { authorizeOwn } from '../app/people/access.ts';
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { levelsNamed } from '../domain/governance/words.ts';
import {
  extendDecision,
  getDecision,
  listDecisions,
  respondToDecision,
  withdrawDecision,
} from '../app/decisions/decisions.ts';
import { exportCharter } from '../app/imports/charters.ts';
import { whatNeedsMe } from '../app/home/what-needs-me.ts';
import { POSSIBLE_SPONSORS, proposalSponsors } from '../app/proposals/sponsors.ts';
import { NeedsQuery } from '../app/home/schemas.ts';
import { getGroupFor, listGroups } from '../app/groups/groups.ts';
import { groupsCan } from '../app/groups/group-can.ts';
import { ListGroupsQuery } from '../app/groups/schemas.ts';
import { listInbox, markRead, unreadCount } from '../app/notifications/inbox.ts';
import type { Hub } from '../app/core/hub.ts';
import { ListQuery } from '../app/core/schemas.ts';
import {
  addEvidence,
  checkProposalGates,
  createProposal,
  endSponsorship,
  getProposal,
  listProposals,
  moveProposal,
  relateProposal,
  updateProposal,
} from '../app/proposals/proposals.ts';
import {
  CreateProposalInput,
  EndSponsorshipInput,
  EvidenceInput,
  ListProposalsQuery,
  MoveStageInput,
  ProposalChanges,
  RelatedRef,
  RelationInput,
} from '../app/proposals/schemas.ts';
import { requestReview } from '../app/proposals/review-request.ts';
import { draftPullRequest } from '../app/proposals/collaboration.ts';
import { PriorWorkInput, SearchQuery } from '../app/search/schemas.ts';
import { ExtendDecisionInput, RespondInput, WithdrawDecisionInput } from '../app/decisions/schemas.ts';
import { PRIOR_WORK_STEPS, priorWork, SEARCH_STEPS, search } from '../app/search/search.ts';
import { SlugRef } from '../domain/community.ts';
import { LIMITS } from '../domain/limits.ts';
import { type Probe, verifyEvidence } from '../app/evidence/evidence-checks.ts';
import {
  UPDATE,
  ADD,
  READ,
  REPLACE,
  attempt,
  ok,
  okDocument,
  requireCaller,
  type McpCaller,
  whoMayUse,
} from './results.ts';
import * as out from './outputs.ts';
import { versionRead } from './versions.ts';

const Ref = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .describe('a proposal reference: SEP-2575, P-12, #12, or proposal:P-12 as check_prior_work gives it');
const DecisionRef = z.string().trim().min(1).max(64).describe('a decision reference such as D-3');
const Limit = z.number().int().min(1).max(200).default(50).describe('how many items per page');
// the REST list's cursor, as it is (a limit here takes only a number, not the query string's text)
const Cursor = ListQuery.shape.cursor;

// Built once: a server is constructed per request, its schemas need not be.
const ByRef = z.object({ ref: Ref });
const MoveInput = z.object({ ref: Ref, ...MoveStageInput.shape });
const EditProposalInput = z.object({
  ref: Ref,
  version: versionRead(
    "the proposal's version as you read it (get_proposal shows it): an edit from an older read is refused with the proposal as it is now, not written over a change you have not seen",
  ),
  ...ProposalChanges.shape,
});
const EndSponsorshipToolInput = z.object({ ref: Ref, ...EndSponsorshipInput.shape });
const AddEvidenceInput = z.object({ ref: Ref, ...EvidenceInput.shape });
const RelateInput = z.object({
  ref: Ref,
  kind: RelationInput.shape.kind.describe(
    'how `ref` relates to `to`: duplicate-of, supersedes, builds-on, related, promoted-from',
  ),
  // any prefix a reference may have: the community's own (RFC-12, as every other tool gives it), SEP- and P-,
  // in any case; the use case reads it as stored (storedRef) and names one that is none of them
  to: RelatedRef.describe('the other item, e.g. SEP-1686, P-12, or proposal:P-12 as check_prior_work gives it'),
  suggested: RelationInput.shape.suggested.describe(
    'true: a suggestion for the authors to confirm (counts for nothing until then)',
  ),
});
const VerifyInput = z.object({
  ref: Ref,
  evidenceId: z.string().min(1).max(64).describe('the id of the evidence entry (get_proposal lists them)'),
});
const NeedingInput = z.object({
  group: SlugRef.optional().describe("only this group's decisions (its slug); omitted: every group"),
  limit: Limit,
  cursor: Cursor,
});
const RespondToolInput = z.object({ ref: DecisionRef, ...RespondInput.shape });
const WithdrawToolInput = z.object({
  ref: DecisionRef,
  ...WithdrawDecisionInput.shape,
  version: versionRead(
    "optional: the decision's version as you read it (get_decision shows it); if someone answered, extended or otherwise changed it since, you are refused with it as it stands now rather than withdrawing what you have not seen",
  ).optional(),
});
const ExtendToolInput = z.object({
  ref: DecisionRef,
  ...ExtendDecisionInput.shape,
  version: versionRead(
    "the decision's version as you read it (get_decision shows it): if someone changed it since (another extension), you are refused with it as it stands now, never overwrite theirs",
  ),
});
const DecisionInput = z.object({ ref: DecisionRef });
const CharterInput = z.object({ group: SlugRef.describe('the group slug, e.g. hosting') });
const InboxInput = z.object({
  unread: z.boolean().optional().describe('true: only unread; false: only read; omitted: both'),
  limit: Limit,
  cursor: Cursor,
});
const MarkReadToolInput = z.object({
  ids: z
    .array(z.string().min(1).max(64))
    .max(200)
    .optional()
    .describe('notification ids from get_inbox; omitted marks every unread one'),
});

export function registerTools(server: McpServer, hub: Hub, caller: McpCaller): void {
  server.registerTool(
    'search',
    {
      title: 'Search the hub',
      description:
        'Search proposals, SEPs, working-group artifacts, charters, meeting notes and comments. Ranked, with highlighted snippets; filter by kind, group, status, layer or date. A page at a time, as the other lists: pass nextCursor back as cursor, with the same query and filters, for the next.',
      inputSchema: SearchQuery,
      outputSchema: out.SearchOutput,
      annotations: READ,
    },
    (args, ctx) =>
      attempt(async () => {
        // a query or two, up to four when nothing matched: it stops between them when cancelled, and reports its tries when asked
        const report = progressOf(ctx, SEARCH_STEPS + 1);
        const found = await search(hub, args, { signal: ctx.mcpReq.signal, step: report });
        report(
          SEARCH_STEPS,
          `found ${found.items.length} result${found.items.length === 1 ? '' : 's'}${found.nextCursor ? ' on this page' : ''}`,
        );
        return ok(found);
      }),
  );

  server.registerTool(
    'check_prior_work',
    {
      title: 'Check for prior work',
      description:
        'Step 1 of the contribution route: existing items that may already cover a draft idea, best first, each with the reasons (shared phrases, cited references, same group, relations people recorded: an item recorded as superseding one of the best matches is listed beside it). A draft that is an existing item (its title, or its opening text) gets that item first, then its prior work.',
      inputSchema: PriorWorkInput,
      outputSchema: out.PriorWorkOutput,
      annotations: READ,
    },
    (args, ctx) =>
      attempt(async () => {
        // on a large corpus the check takes a while: it stops when cancelled, and reports its steps when asked
        const report = progressOf(ctx, PRIOR_WORK_STEPS + 1);
        const items = await priorWork(hub, args, { signal: ctx.mcpReq.signal, step: report });
        report(PRIOR_WORK_STEPS, `found ${items.length} match${items.length === 1 ? '' : 'es'}`);
        return ok({ items });
      }),
  );

  server.registerTool(
    'list_proposals',
    {
      title: 'List proposals',
      description:
        'Proposals and SEPs, filtered by route, stage, layer or group; paginated (pass nextCursor back as cursor).',
      inputSchema: ListProposalsQuery,
      outputSchema: out.ProposalListOutput,
      annotations: READ,
    },
    (args) => attempt(async () => ok(await listProposals(hub, args))),
  );

  server.registerTool(
    'get_proposal',
    {
      title: 'Get a proposal',
      description:
        'One proposal or SEP: problem, examples, stage and allowed moves, supporters by organisation, evidence, relations, gate result and the last prior-work check; `can` says what you may do on it now (edit, comment, support, addEvidence, relate, sponsor, promote, move…) and, for each thing you may not, why.',
      inputSchema: ByRef,
      outputSchema: out.ProposalOutput,
      annotations: READ,
    },
    ({ ref }) => attempt(async () => ok(await getProposal(hub, ref, caller.actor))),
  );

  server.registerTool(
    'list_possible_sponsors',
    {
      title: 'Who may sponsor a proposal',
      description: `Whom to ask to sponsor a proposal that has none: up to ${POSSIBLE_SPONSORS} people who may sponsor (their community role, the agreements accepted), its group’s own first (\`inGroup\`), never you; \`can.sponsor\` says whether you may sponsor it yourself, and why not. Empty once it has a sponsor (\`sponsor\`) or has ended (\`wanted\` false).`,
      inputSchema: ByRef,
      outputSchema: out.SponsorsOutput,
      annotations: READ,
    },
    ({ ref }) => attempt(async () => ok(await proposalSponsors(hub, ref, caller.actor))),
  );

  server.registerTool(
    'create_draft_proposal',
    {
      title: 'Create a draft proposal',
      description: `Propose a contribution as the connected person: a title, the specific problem it solves (an interest, not a position), real-world examples, and the target layer. A prior-work check runs and is stored on it. ${whoMayUse(hub, 'proposal.create')}`,
      inputSchema: CreateProposalInput,
      outputSchema: out.ProposalOutput,
      annotations: ADD,
    },
    (args) => attempt(async () => ok(await createProposal(hub, requireCaller(caller, 'creating a proposal'), args))),
  );

  server.registerTool(
    'check_gates',
    {
      title: 'Check gates',
      description: "Check a proposal against its layer's barrier to change: every condition, pass or fail, and why.",
      inputSchema: ByRef,
      outputSchema: out.GateCheckOutput,
      annotations: READ,
    },
    ({ ref }) => attempt(async () => ok(await checkProposalGates(hub, ref))),
  );

  server.registerTool(
    'draft_pull_request',
    {
      title: "Draft a proposal's pull request description",
      description:
        "The guide's last step opens a pull request explaining the collaboration to date: this drafts its description in markdown from what the hub recorded (the problem and examples, the barrier to change and whether it holds, the route walked, comments, meetings and written input, decisions, supporters by organisation, evidence, prior work), with `gaps`: what the route still lacks (a forum or tracker link, the gate). The text answer is the markdown itself (edit it before opening the pull request), then the rest, `gaps` among it, as JSON.",
      inputSchema: ByRef,
      outputSchema: out.PullRequestDraftOutput,
      annotations: READ,
    },
    ({ ref }) =>
      attempt(async () => {
        const draft = await draftPullRequest(hub, ref, caller.actor, caller.origin ?? null);
        return okDocument(draft);
      }),
  );

  server.registerTool(
    'update_proposal',
    {
      title: 'Edit a proposal',
      description:
        "Change a proposal's title, problem, examples (the whole list), interests, layer or links (discussion, tracker, forum, pullRequest; null clears one). Only what you send changes; at least one field. Its authors, sponsor, the group's leads and moderators may (get_proposal's can.edit says whether you may, and why not). Needs the `version` you read.",
      inputSchema: EditProposalInput,
      outputSchema: out.ProposalOutput,
      // it replaces the text (and the list of examples) written before
      annotations: REPLACE,
    },
    ({ ref, version, ...body }) =>
      attempt(async () =>
        ok(await updateProposal(hub, requireCaller(caller, 'editing a proposal'), ref, version, body)),
      ),
  );

  server.registerTool(
    'move_stage',
    {
      title: 'Move a proposal to another stage',
      description:
        "Move along the route (e.g. to prior-work-checked, community-discussion, pull-request). A gated move checks the layer first; an illegal move answers with the allowed moves and who may make them. A move whose allowedMoves entry says requiresPullRequest (into pull-request) needs the pull request's https link as pullRequest, unless the proposal already has one; get_proposal's pullRequest shows it, matched with the GitHub mirror.",
      inputSchema: MoveInput,
      outputSchema: out.ProposalOutput,
      // a move may close the proposal for good (withdrawn, rejected, declined), as move_group may retire a group
      annotations: { ...ADD, destructiveHint: true },
    },
    ({ ref, ...body }) =>
      attempt(async () => ok(await moveProposal(hub, requireCaller(caller, 'moving a proposal'), ref, body))),
  );

  server.registerTool(
    'end_sponsorship',
    {
      title: "End a proposal's sponsorship",
      description:
        "Step down as a proposal's sponsor, or, as a group lead or a core or lead maintainer, remove its sponsor; say why (reason): its authors are told it needs a sponsor, the group's leads that it waits. get_proposal's can.endSponsorship says whether you may.",
      inputSchema: EndSponsorshipToolInput,
      outputSchema: out.ProposalOutput,
      // it takes the sponsor away, as leave_group takes a member away
      annotations: { ...UPDATE, destructiveHint: true },
    },
    ({ ref, ...body }) =>
      attempt(async () => ok(await endSponsorship(hub, requireCaller(caller, 'ending a sponsorship'), ref, body))),
  );

  server.registerTool(
    'ask_for_review',
    {
      title: 'Ask for review of my proposal',
      description:
        "As one of a proposal's authors, tell its sponsor that it waits for their review (with no sponsor yet, the group's leads, who may take it on). They are told in their inbox and by mail as they chose. Once every 24 hours per proposal (notifications.reviewRequestHours); get_proposal's can.requestReview says whether you may now, and if not why and when. The answer's reviewRequest says whom it reached.",
      inputSchema: ByRef,
      outputSchema: out.ProposalOutput,
      annotations: ADD,
    },
    ({ ref }) => attempt(async () => ok(await requestReview(hub, requireCaller(caller, 'asking for review'), ref))),
  );

  server.registerTool(
    'add_evidence',
    {
      title: 'Add evidence to a proposal',
      description: `Record evidence for the gates: an implementation, interoperability, community use or implementer validation. An MCP implementation can be named by its Streamable HTTP URL, or as stdio:NAME for a command on the hub’s allow-list; verify_evidence then connects to it. ${whoMayUse(hub, 'proposal.addEvidence')}`,
      inputSchema: AddEvidenceInput,
      outputSchema: out.ProposalOutput,
      annotations: ADD,
    },
    ({ ref, ...body }) =>
      attempt(async () => ok(await addEvidence(hub, requireCaller(caller, 'adding evidence'), ref, body))),
  );

  server.registerTool(
    'relate_proposal',
    {
      title: 'Relate a proposal to another item',
      description: `Record that a proposal duplicates, supersedes, builds on, was promoted from or is related to another proposal or SEP (for example one check_prior_work found). Once confirmed, check_prior_work places an item recorded as superseding, duplicating or building on one of its three best matches just below that match, and gates count builds-on links to working-group artifacts. Recording it again confirms a suggestion. ${whoMayUse(hub, 'proposal.relate')}`,
      inputSchema: RelateInput,
      outputSchema: out.ProposalOutput,
      annotations: UPDATE,
    },
    ({ ref, ...body }) =>
      attempt(async () => ok(await relateProposal(hub, requireCaller(caller, 'relating proposals'), ref, body))),
  );

  server.registerTool(
    'verify_evidence',
    {
      title: 'Verify implementation evidence',
      description: `Connect to the MCP implementation an evidence entry names (with a timeout), record what it reports (server name and version, protocol version, capabilities, extensions, tool names) and mark the evidence verified or failed with the reason. ${whoMayUse(hub, 'evidence.verify')}`,
      inputSchema: VerifyInput,
      outputSchema: out.EvidenceCheckOutput,
      annotations: { ...ADD, openWorldHint: true },
    },
    ({ ref, evidenceId }, ctx) =>
      attempt(async () => {
        // progress, when asked for: connecting, connected, tools listed, recorded (seconds apart on a slow server)
        const report = progressOf(ctx, 3);
        // the MCP client (and its HTTP stack) loads only when a probe runs; a cancelled request stops the probe
        const probe: Probe = async (target, ms, o) => {
          report(0, `connecting to ${target.kind === 'http' ? target.url : `stdio:${target.name}`}`);
          return (await import('./probe.ts')).probeMcpServer(target, ms, {
            ...o,
            steps: {
              connected: (s) =>
                report(
                  1,
                  `connected to ${s.name} ${s.version}${s.protocolVersion ? ` (protocol ${s.protocolVersion})` : ''}; listing its tools`,
                ),
              listed: (n) => report(2, `listed ${n} tool${n === 1 ? '' : 's'}; recording the check`),
            },
          });
        };
        const check = await verifyEvidence(hub, requireCaller(caller, 'verifying evidence'), ref, evidenceId, probe, {
          signal: ctx.mcpReq.signal,
        });
        report(3, `recorded: ${check.status}${check.reason ? ` (${check.reason})` : ''}`);
        return ok(check);
      }),
  );

  server.registerTool(
    'list_decisions_needing_me',
    {
      title: 'Open decisions needing me',
      description:
        'Open decisions in groups where your voice counts and that you have not answered in their current phase (lazy consensus or vote), and escalated ones you were named to resolve and have not given guidance on yet (closesAt: when the initial response is due).',
      inputSchema: NeedingInput,
      outputSchema: out.DecisionListOutput,
      annotations: READ,
    },
    (args) =>
      attempt(async () => {
        // the operator (stdio without --as) is no one whose voice counts: told so, not shown every open decision
        const me = authorizeOwn(hub, requireCaller(caller, 'listing the decisions that need you'), 'needs');
        return ok(await listDecisions(hub, { ...args, open: 'true', needing: me.handle }));
      }),
  );

  server.registerTool(
    'what_needs_me',
    {
      title: 'What needs me',
      description:
        "Everything waiting on you, as your home page lists it, in one answer: open decisions where your voice counts and you have not answered (with their deadlines: under lazy consensus silence counts as consent), open decisions in your groups where your answer is advisory (shown, not counted), escalations you were named to resolve or may name someone for, escalations you opened, answered or voted on whose resolver asks for more information (with where to answer), requests to join the groups you lead, proposed groups waiting for sponsors that you may sponsor and have not (sponsor_group takes the ref), notes you owe for meetings that ended, your open action items, the proposals you sponsor, support or wrote (`since`: mark those that changed stage after it), the meetings you may attend in the next 30 days, invitations to groups awaiting your answer (with their expiry), and agreements or a mail address to see to. Each item has its kind, ref, group, what is asked of you, its due time and a path on the hub's web pages; `counts` says per kind how many are listed and how many there are.",
      inputSchema: NeedsQuery,
      outputSchema: out.WhatNeedsMeOutput,
      annotations: READ,
    },
    (args) => attempt(async () => ok(await whatNeedsMe(hub, requireCaller(caller, 'listing what needs you'), args))),
  );

  server.registerTool(
    'get_decision',
    {
      title: 'Get a decision',
      description:
        'A decision: where it stands and why, responses, tallies, the vote, `notified` (who was told, when and how, who opened it, `silent`: members whose answer counts who have not answered yet, `notMailable`: those of them no notice can be mailed to (no confirmed address), `uncounted`: those of them not informed in time (a voice gained, or a first notice, too close to the deadline), whose silence is not counted as consent, and a silenceWarning naming members whose silence would count though the news never reached them), `extendToInform` (to one who may extend it, while members are not informed in time: how many hours to extend it by so that they would be, with the advice in words; extend_decision takes those hours), and `can`: what you may do on it now (respond, withdraw your response, ask for a vote, vote, designate, give guidance, withdraw the decision) and, for each thing you may not, the reason to tell the person.',
      inputSchema: DecisionInput,
      outputSchema: out.DecisionOutput,
      annotations: READ,
    },
    ({ ref }) => attempt(async () => ok(await getDecision(hub, ref, undefined, caller.actor))),
  );

  server.registerTool(
    'get_inbox',
    {
      title: 'My inbox',
      description:
        'What the hub told you (mentions, replies, decisions opened or closing, your proposals moving, meetings), newest first, with the number unread. Each item names its subject (a decision, proposal or meeting reference) and why you were told. The `can.markRead` of each item says whether mark_notifications_read applies to it.',
      inputSchema: InboxInput,
      outputSchema: out.InboxOutput,
      annotations: READ,
    },
    ({ unread, limit, cursor }) =>
      attempt(async () => {
        const me = requireCaller(caller, 'reading your inbox');
        const page = await listInbox(hub, me, {
          limit,
          ...(cursor ? { cursor } : {}),
          ...(unread === undefined ? {} : { unread: String(unread) }),
        });
        return ok({ ...page, unread: await unreadCount(hub, me) });
      }),
  );

  server.registerTool(
    'get_github_status',
    {
      title: 'GitHub bridge status',
      description:
        "The GitHub bridge as operators see it: each mirrored repository with its last sync (the page an unfinished one resumes at, or its last error), webhook deliveries, the GitHub queues' depth and failures with the reason, and whether you may start a sync now. Only those the governance file lets see it (a maintainer or above, or a moderator).",
      inputSchema: z.object({}),
      outputSchema: out.GithubStatusOutput,
      annotations: READ,
    },
    () =>
      attempt(async () => {
        const me = requireCaller(caller, "reading the GitHub bridge's state");
        // loaded on first use, so `wghub mcp` starts without the GitHub client's modules
        const { githubStatusFor } = await import('../app/github/operate.ts');
        return ok(await githubStatusFor(hub, me));
      }),
  );

  server.registerTool(
    'mark_notifications_read',
    {
      title: 'Mark notifications read',
      description:
        'Marks the given notifications from get_inbox read (or every unread one when no ids are given); a decision lists whoever has read what told them about it as having opened it.',
      inputSchema: MarkReadToolInput,
      outputSchema: out.MarkedOutput,
      annotations: UPDATE,
    },
    ({ ids }) =>
      attempt(async () => {
        const me = requireCaller(caller, 'marking notifications read');
        const marked = await markRead(hub, me, ids ? { ids } : {});
        return ok({ ...marked, unread: await unreadCount(hub, me) });
      }),
  );

  server.registerTool(
    'respond_to_decision',
    {
      title: 'Respond to a decision',
      description: `Consent; raise a concern with a "yes, and" amendment; or block with a documented reason and an alternative or resolution criteria. A later response replaces your earlier one until the deadline. get_decision says in \`can.respond\` whether you may respond now, and why not. ${whoMayUse(hub, 'decision.respond').slice(0, -1)}; the responses of a group ${levelsNamed(hub.governance, hub.governance.decisions.eligibleLevels)} count, others' are shown as advisory.`,
      inputSchema: RespondToolInput,
      outputSchema: out.DecisionOutput,
      annotations: { ...UPDATE, destructiveHint: true },
    },
    ({ ref, ...body }) =>
      attempt(async () =>
        ok(await respondToDecision(hub, requireCaller(caller, 'responding to a decision'), ref, body)),
      ),
  );

  server.registerTool(
    'withdraw_decision',
    {
      title: 'Withdraw a decision',
      description: `Withdraw a decision opened by mistake (a duplicate, a wrong question), with a one-line reason: it closes at once as withdrawn, nobody can respond or vote on it any more, and the group's members are told "D-4 withdrawn: <question>". Only while it is open (not closed). It cannot be undone: ask the person first. Send the \`version\` get_decision showed to be refused, rather than withdraw it, if it changed since. get_decision says in \`can.withdraw\` whether you may, and why not. ${whoMayUse(hub, 'decision.withdraw')}`,
      inputSchema: WithdrawToolInput,
      outputSchema: out.DecisionOutput,
      annotations: REPLACE,
    },
    ({ ref, version, ...body }) =>
      attempt(async () =>
        ok(await withdrawDecision(hub, requireCaller(caller, 'withdrawing a decision'), ref, body, version)),
      ),
  );

  server.registerTool(
    'extend_decision',
    {
      title: "Extend a decision's deadline",
      description: `Give a decision under lazy consensus more time, so that silence at its close is informed: when get_decision's \`notified.silenceWarning\` says members were not reached, or the group asks for more time. Only while lazy consensus runs (not in a vote, an escalation or once closed). Give the new deadline, or \`hours\` later than the current one (get_decision's \`extendToInform.hours\`: the fewest that let members not informed in time be told in time), not both: later than the current one and at most ${LIMITS.decisionExtensionDays} days from now; the one-line reason is told, with the new deadline, to the group's members (per their mail preferences), and the "closes soon" reminder moves to the new deadline. Send the version get_decision showed. get_decision says in \`can.extend\` whether you may, and why not. ${whoMayUse(hub, 'decision.extend')}`,
      inputSchema: ExtendToolInput,
      outputSchema: out.DecisionOutput,
      annotations: { ...UPDATE, destructiveHint: false, idempotentHint: false },
    },
    ({ ref, version, ...body }) =>
      attempt(async () =>
        ok(await extendDecision(hub, requireCaller(caller, "extending a decision's deadline"), ref, version, body)),
      ),
  );

  server.registerTool(
    'list_groups',
    {
      title: 'List groups',
      description:
        "The community's working and interest groups, by slug, filtered by kind or status; paginated (pass nextCursor back as cursor). get_charter gives one group's charter, leads and members, and what you may do in it. `can.propose` says whether you may propose a new group (propose_group), and if not why.",
      inputSchema: ListGroupsQuery,
      outputSchema: out.GroupListOutput,
      annotations: READ,
    },
    (args) => attempt(async () => ok({ ...(await listGroups(hub, args)), can: groupsCan(hub, caller.actor) })),
  );

  server.registerTool(
    'get_charter',
    {
      title: "Get a group's charter",
      description:
        "A working or interest group's charter: mission, scope, leads, members, as facts and as markdown in the charter template; `group.can` says what you may do in the group now (join, edit the charter, open a decision, schedule a meeting…) and, for each thing you may not, why; `group.leadershipDrift` names the leads the charter's Leadership table lacks and the rows naming nobody leading now (null when they agree); `group.invitedLeads` those named as lead in its proposal who are invited and have not yet accepted (no drift: they lead once they accept). The text answer is the charter's markdown, then `group` as JSON.",
      inputSchema: CharterInput,
      outputSchema: out.CharterOutput,
      annotations: READ,
    },
    ({ group }) =>
      attempt(async () => {
        const [g, markdown] = await Promise.all([getGroupFor(hub, group, caller.actor), exportCharter(hub, group)]);
        return okDocument({ group: g, markdown });
      }),
  );
}
