// Inputs of the proposal use cases: contributions, support, evidence, relations and comments.
import { z } from 'zod';
import { Handle, SlugRef } from '../../domain/community.ts';
import { LIMITS } from '../../domain/limits.ts';
import { caseless, Line, ListQuery, Prose, uniqueHandles, namingAChange } from '../core/schemas.ts';

export const Layer = z.enum([
  'specification',
  'sdk-alignment',
  'sdk-innovation',
  'supporting-resource',
  'working-group-artifact',
]);
export const Route = z.enum(['contribution', 'sep']);
// Links are shown to people and followed by browsers: only web addresses (no javascript: or data:).
const Url = z
  .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
  .max(LIMITS.link, `must be at most ${LIMITS.link} characters`);
/**
 * A pull request's link: https only (every forge serves them so), bounded as every link is, with no
 * user or password before its host, and stored as browsers read it (`https://github.com\o/r` is
 * https://github.com/o/r, the host lower-case), so what is shown is where it leads.
 */
export const PullRequestUrl = z
  .url({
    protocol: /^https$/,
    // a host with a domain: `https:/x` is read as https://x/, which names no pull request
    hostname: /^[^.]+(\.[^.]+)+$/,
    normalize: true,
    error: 'must be an https URL, such as https://github.com/OWNER/REPO/pull/12',
  })
  .refine(
    (v) => {
      const u = URL.parse(v);
      return !u || (!u.username && !u.password);
    },
    // https://github.com@evil.example/o/r/pull/1 reads as GitHub and opens evil.example
    'must name no user or password before its host (https://NAME@HOST/…): the link would open a host other than the one it seems to name',
  )
  .max(LIMITS.link, `must be at most ${LIMITS.link} characters`);
const isWebAddress = (v: string) => z.url({ protocol: /^https?$/ }).safeParse(v).success;
/** Evidence names a web page, an MCP implementation's Streamable HTTP URL, or `stdio:NAME` (a command on the hub's allow-list). */
const EvidenceUrl = Line(2000).refine(
  (v) => isWebAddress(v) || /^stdio:[A-Za-z0-9._-]+$/.test(v),
  'must be an http or https URL, or stdio:NAME for an allow-listed MCP command',
);

export const ProposalLinks = z
  .object({
    discussion: Url.nullable().describe('where it is discussed (an issue, a GitHub discussion)'),
    tracker: Url.nullable().describe('its tracking issue'),
    forum: Url.nullable().describe('a forum or chat thread about it'),
    pullRequest: PullRequestUrl.nullable().describe('its pull request (https), once there is one'),
  })
  .partial()
  .strict();

/** A proposal's own words, checked alike when it is made and when it is edited. */
export const Title = Line(LIMITS.proposalTitle).min(5, 'must be at least 5 characters');
const Problem = Prose(LIMITS.prose).min(20, 'must say what specific problem this solves (at least 20 characters)');
const Examples = z.array(Prose(LIMITS.short).min(1, 'must not be empty')).max(LIMITS.listItems);
const Interests = Prose(LIMITS.prose);

export const CreateProposalInput = z
  .object({
    title: Title.describe('a short title naming the problem'),
    problem: Problem.describe(
      'the specific problem it solves, as an interest (who needs what), not a position; markdown',
    ),
    examples: Examples.default([]).describe('real-world cases where the problem shows, one per entry'),
    interests: Interests.default('').describe('whose interests are at stake and why; markdown'),
    layer: Layer.describe(
      "its layer, which sets the barrier to change, highest first: specification (changes what goes over the wire), sdk-alignment (every reference SDK must behave the same), sdk-innovation (one language's SDK), supporting-resource (documentation, guides, tools) or working-group-artifact (patterns and guides a group keeps)",
    ),
    route: Route.default('contribution').describe(
      "contribution: the guide's route from idea to pull request; sep: a SEP, following the SEP lifecycle",
    ),
    group: SlugRef.optional().describe('the group it belongs to (its slug, e.g. hosting)'),
    topicArea: SlugRef.optional().describe('the topic area within that group; needs group'),
    links: ProposalLinks.default({}).describe('where it lives elsewhere'),
    coAuthors: uniqueHandles(z.array(Handle).max(LIMITS.people))
      .default([])
      .describe('handles of the people who write it with you'),
  })
  .strict()
  .refine((p) => !p.topicArea || p.group, { message: 'needs the group it belongs to', path: ['topicArea'] });
export type CreateProposalInput = z.input<typeof CreateProposalInput>;

/** What an edit of a proposal may change, each field optional (MCP's update_proposal lists them). */
export const ProposalChanges = z
  .object({
    title: Title.describe('a short title naming the problem'),
    problem: Problem.describe('the specific problem it solves'),
    examples: Examples.describe('real-world examples of the problem: the whole list, replacing the one before'),
    interests: Interests.describe('the interests behind it: what those who need it need, not a solution'),
    layer: Layer.describe('the layer it aims at'),
    links: ProposalLinks.describe('where it lives elsewhere; only the links sent change, null clears one'),
  })
  .partial()
  .strict();
export const UpdateProposalInput = namingAChange(ProposalChanges);

/** Which layer for an existing proposal (`?ref=`): its evidence weighs on the recommendation. */
export const LayerQuery = z.object({
  ref: z
    .string()
    .optional()
    .describe("a proposal's reference (P-12, SEP-2575): warns when its evidence does not yet support the layer"),
});

export const ListProposalsQuery = ListQuery.extend({
  route: Route.optional().describe('only proposals on this route: contribution or sep'),
  stage: Line(64).optional().describe('only proposals at this stage, e.g. idea or community-discussion'),
  layer: Layer.optional().describe('only proposals for this layer'),
  group: SlugRef.optional().describe('only proposals of this group (its slug)'),
});

export const MoveStageInput = z
  .object({
    to: Line(64)
      .min(1, 'must name the stage to move to')
      .describe("the stage to move to; get_proposal's allowedMoves lists them, with who may make each"),
    pullRequest: PullRequestUrl.optional().describe(
      "the pull request's link (https), for a move whose allowedMoves entry says requiresPullRequest (into pull-request): needed unless the proposal already has one, and it replaces the one it has",
    ),
  })
  .strict();
/** Ending a sponsorship says why: the proposal's authors are told, and the log keeps it. */
export const EndSponsorshipInput = z
  .object({
    reason: Prose(LIMITS.short)
      .refine((s) => s.trim().length >= 3, {
        message: "must say why the sponsorship ends: the proposal's authors are told (at least 3 characters)",
      })
      .describe("why the sponsorship ends; the proposal's authors are told"),
  })
  .strict();

export const SupportInput = z.object({ organisation: Line(200).min(1).nullable().optional() }).strict();
export const EvidenceInput = z
  .object({
    kind: z
      .enum(['implementation', 'interoperability', 'community-use', 'implementer-validation', 'other'])
      .describe('what the evidence is; the practice-proven gates count implementations'),
    description: Prose(LIMITS.prose)
      .min(5, 'must say what the evidence shows (at least 5 characters)')
      .describe('what the evidence shows'),
    url: EvidenceUrl.nullable()
      .optional()
      .describe(
        "where to see it: a web page, an MCP server's Streamable HTTP URL, or stdio:NAME from the hub's allow-list",
      ),
    organisation: Line(200).min(1).nullable().optional().describe('the organisation behind the implementation or use'),
    sdk: Line(100).min(1).nullable().optional().describe('the SDK it is built on, e.g. typescript'),
  })
  .strict();
export const RelationKind = z.enum(['duplicate-of', 'supersedes', 'builds-on', 'related', 'promoted-from']);
/**
 * The other item of a relation: any reference prefix (the community's own, RFC-12, as well as SEP- and P-),
 * a pull request (#12), or `proposal:P-12` as prior work reports a match; in any case.
 */
export const RelatedRef = z
  .string()
  .max(40)
  .regex(
    new RegExp(`^(${caseless('proposal')}:)?([A-Za-z][A-Za-z0-9]*-\\d+|#\\d+)$`),
    'must be a reference such as SEP-2575, P-12 or #12',
  );
export const RelationInput = z
  .object({
    kind: RelationKind,
    // as prior work reports a proposal (proposal:P-12) too, so a match can be related as it is given
    to: RelatedRef.transform((r) => r.replace(/^proposal:/i, '')),
    suggested: z.boolean().default(false),
  })
  .strict();
export const CommentInput = z
  .object({ body: Prose(LIMITS.document).min(1, 'must not be empty'), parent: Line(64).min(1).optional() })
  .strict();
export const EditCommentInput = z.object({ body: Prose(LIMITS.document).min(1, 'must not be empty') }).strict();
export const LayerQuestionnaireInput = z
  .object({
    changesWire: z.boolean(),
    allSdksMustChange: z.boolean(),
    oneLanguageOnly: z.boolean(),
    guidanceOnly: z.boolean(),
    layer: Layer.optional(),
  })
  .strict();

/** Hiding or locking a comment says why, to its readers; undoing it may say why too. */
export const ModerateCommentInput = z
  .object({
    action: z.enum(['hide', 'unhide', 'lock', 'unlock']),
    reason: Prose(LIMITS.short).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if ((v.action === 'hide' || v.action === 'lock') && (v.reason ?? '').trim().length < 3)
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        message: `must say why the comment is ${v.action === 'hide' ? 'hidden' : 'locked'}: readers see it (at least 3 characters)`,
      });
  });
