// Decisions beyond answering one, as tools: finding them (by group, by what they are about, open or
// not), opening one (get_proposal's and a group's can.openDecision), and an escalation's two steps
// (get_decision's can.designate and can.guide). Without them an assistant could not find the
// decision about a proposal, and was told it might open, designate or guide with no tool to.
// The same use cases as REST and the CLI, so the same policy and the same refusals answer.
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { versionRead } from './versions.ts';
import type { Hub } from '../app/core/hub.ts';
import { ListQuery } from '../app/core/schemas.ts';
import {
  decisionTimeline,
  designateEscalation,
  listDecisions,
  openDecision,
  recordGuidance,
} from '../app/decisions/decisions.ts';
import { DesignateInput, GuidanceInput, ListDecisionsQuery, OpenDecisionInput } from '../app/decisions/schemas.ts';
import { SlugRef } from '../domain/community.ts';
import { LIMITS } from '../domain/limits.ts';
import { DecisionListOutput, DecisionOutput, DecisionTimelineOutput } from './outputs.ts';
import { ADD, READ, REPLACE, attempt, type McpCaller, ok, requireCaller, whoMayUse } from './results.ts';

const DecisionRef = z.string().trim().min(1).max(64).describe('a decision reference such as D-3');

const ListInput = z.object({
  group: SlugRef.optional().describe("only this group's decisions (its slug); omitted: every group"),
  subject: ListDecisionsQuery.shape.subject,
  open: z
    .boolean()
    .optional()
    .describe(
      'true: only those still undecided (lazy consensus, a vote, an escalation); false: only closed ones; omitted: both',
    ),
  limit: z.number().int().min(1).max(200).default(50).describe('how many items per page, at most 200'),
  cursor: ListQuery.shape.cursor,
});

// the schema's rule across fields (a proposal decision names its proposal) is the use case's, which
// names subject.ref with every other mistake at once
const open = OpenDecisionInput.shape;
const OpenInput = z.object({
  group: open.group.describe(
    "the group that decides, by slug; a proposal in a group is decided by that group (get_proposal's group)",
  ),
  subject: z
    .object({
      type: open.subject.shape.type.describe(
        "proposal (name it in ref), or charter or process: the group's own charter or way of working (no ref)",
      ),
      ref: open.subject.shape.ref.describe(
        'for a proposal: its reference (SEP-2575, P-12, #12, or proposal:P-12 as check_prior_work gives it)',
      ),
    })
    .strict()
    .describe('what it decides: {"type":"proposal","ref":"P-12"}, {"type":"charter"} or {"type":"process"}'),
  question: open.question.describe(
    `the question being decided, in one line (10 to ${LIMITS.line} characters), e.g. "Adopt the session affinity guide as a working-group artifact?"`,
  ),
  description: open.description.describe(
    `the context members need to answer, as markdown (at most ${LIMITS.document.toLocaleString('en')} characters); omitted: none`,
  ),
  significance: open.significance.describe(
    'minor or significant: the governance file sets the shortest deadline for each (decisions.minimumDays)',
  ),
  matter: open.matter.describe(
    'routine (a vote passes with more than half) or scope-change (at least two thirds); omitted: routine',
  ),
  deadline: open.deadline.describe(
    "when lazy consensus ends, an ISO date-time with a zone (2026-12-20T17:00:00Z), no sooner than the governance file's minimum for its significance; omitted: that minimum",
  ),
});
const TimelineInput = z.object({
  ref: DecisionRef,
  before: z
    .number()
    .int()
    .min(1)
    .max(LIMITS.maxNumber)
    .optional()
    .describe("the events before this one: get_decision's timelineEarlier.before, or an earlier page's earlier.before"),
  limit: z
    .number()
    .int()
    .min(1)
    .max(LIMITS.decisionTimeline.events)
    .optional()
    .describe(
      `how many events at most (1-${LIMITS.decisionTimeline.events}); omitted: ${LIMITS.decisionTimeline.events}`,
    ),
});
const DesignateToolInput = z.object({
  ref: DecisionRef,
  designee: DesignateInput.shape.designee.describe(
    "the handle of the one who resolves it: one of get_decision's escalation.candidates (none shares an organisation with the parties)",
  ),
  version: versionRead(
    "optional: the decision's version as you read it (get_decision shows it); if someone named a resolver or otherwise changed it since, you are refused with it as it stands now, never replacing theirs unseen",
  ).optional(),
});
const GuidanceToolInput = z.object({
  ref: DecisionRef,
  kind: GuidanceInput.shape.kind.describe(
    'binding: your guidance settles it (it closes, resolved by escalation); more-information or full-deliberation: it stays escalated while the group does what you ask',
  ),
  guidance: GuidanceInput.shape.guidance.describe(
    `the guidance itself, as markdown (5 to ${LIMITS.prose.toLocaleString('en')} characters)`,
  ),
});

export function registerDecisionTools(server: McpServer, hub: Hub, caller: McpCaller): void {
  server.registerTool(
    'list_decisions',
    {
      title: 'List decisions',
      description:
        "Decisions, oldest first, filtered by group, by what they are about (subject: a proposal's reference, or charter or process) and by open or closed; each with its phase (lazy-consensus, vote, escalated, closed), outcome and closesAt (the vote's close in a vote, the initial response when escalated, else the deadline). Paginated (pass nextCursor back as cursor). get_decision reads one; list_decisions_needing_me lists those waiting on you.",
      inputSchema: ListInput,
      outputSchema: DecisionListOutput,
      annotations: READ,
    },
    ({ open, ...args }) =>
      attempt(async () =>
        ok(await listDecisions(hub, { ...args, ...(open === undefined ? {} : { open: String(open) }) })),
      ),
  );

  server.registerTool(
    'decision_timeline',
    {
      title: "Read a decision's earlier events",
      description: `Earlier events of a decision's timeline than get_decision carries (it holds the latest ${LIMITS.decisionTimeline.events}, fewer when their texts are long, and timelineEarlier says how many came before and the before to pass here): the latest events before \`before\`, oldest first, each response, vote, extension and outcome with what it recorded, and \`earlier\` for the page before these (null at the first event); \`can\` says what you may do on the decision now (respond, vote…), as get_decision's can does, and why not.`,
      inputSchema: TimelineInput,
      outputSchema: DecisionTimelineOutput,
      annotations: READ,
    },
    ({ ref, ...q }) => attempt(async () => ok(await decisionTimeline(hub, ref, q, caller.actor))),
  );

  server.registerTool(
    'open_decision',
    {
      title: 'Open a decision',
      description: `Open a decision in a group under lazy consensus: a question, what it is about (a proposal, or the group's charter or process), minor or significant, and a deadline no shorter than the governance file allows; silence until then counts as consent, and the group's members are told. The same question on the same subject while one is still open is refused, naming it. get_proposal's can.openDecision (and get_charter's group.can.openDecision) says whether you may, and why not. ${whoMayUse(hub, 'decision.open')}`,
      inputSchema: OpenInput,
      outputSchema: DecisionOutput,
      annotations: ADD,
    },
    (args) => attempt(async () => ok(await openDecision(hub, requireCaller(caller, 'opening a decision'), args))),
  );

  server.registerTool(
    'designate_resolver',
    {
      title: 'Name who resolves an escalated decision',
      description: `Name the core maintainer who resolves an escalated decision (a vote that did not settle it): one of get_decision's escalation.candidates, none of whom shares an organisation with the parties; one who does, or is not a candidate, is refused naming the candidates. Naming another replaces the one named before: send the \`version\` get_decision showed, and one named since is shown to you rather than replaced unseen. They are told, and give_guidance is theirs. get_decision's can.designate says whether you may now, and why not. ${whoMayUse(hub, 'decision.escalate')}`,
      inputSchema: DesignateToolInput,
      outputSchema: DecisionOutput,
      annotations: REPLACE,
    },
    ({ ref, version, ...body }) =>
      attempt(async () =>
        ok(
          await designateEscalation(
            hub,
            requireCaller(caller, 'naming who resolves an escalation'),
            ref,
            body,
            version,
          ),
        ),
      ),
  );

  server.registerTool(
    'give_guidance',
    {
      title: 'Give guidance on an escalated decision',
      description: `As the core maintainer named (designate_resolver) to resolve an escalated decision, record your guidance: binding settles it (it closes, resolved by escalation); more-information or full-deliberation sends it back to the group while it stays escalated. Guidance given again replaces the earlier. get_decision's can.guide says whether you may, and why not. ${whoMayUse(hub, 'decision.guide')}`,
      inputSchema: GuidanceToolInput,
      outputSchema: DecisionOutput,
      // it replaces earlier guidance, and binding guidance closes the decision for good
      annotations: { ...REPLACE, idempotentHint: false },
    },
    ({ ref, ...body }) =>
      attempt(async () => ok(await recordGuidance(hub, requireCaller(caller, 'giving guidance'), ref, body))),
  );
}
