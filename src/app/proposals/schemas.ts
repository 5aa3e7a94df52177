// Inputs of the proposal use cases: contributions, support, evidence, relations and comments.
import { z } from 'zod';
import { Handle, Slug } from '../../domain/community.ts';
import { LIMITS } from '../../domain/limits.ts';
import { Line, ListQuery, Prose, uniqueHandles } from '../core/schemas.ts';

export const Layer = z.enum([
  'specification',
  'sdk-alignment',
  'sdk-innovation',
  'supporting-resource',
  'working-group-artifact',
]);
export const Route = z.enum(['contribution', 'sep']);
// Links are shown to people and followed by browsers: only web addresses (no javascript: or data:).
const Url = z.url({ protocol: /^https?$/, error: 'must be an http or https URL' });
const isWebAddress = (v: string) => z.url({ protocol: /^https?$/ }).safeParse(v).success;
/** Evidence names a web page, an MCP implementation's Streamable HTTP URL, or `stdio:NAME` (a command on the hub's allow-list). */
const EvidenceUrl = Line(2000).refine(
  (v) => isWebAddress(v) || /^stdio:[A-Za-z0-9._-]+$/.test(v),
  'must be an http or https URL, or stdio:NAME for an allow-listed MCP command',
);

export const ProposalLinks = z
  .object({ discussion: Url.nullable(), tracker: Url.nullable(), forum: Url.nullable(), pullRequest: Url.nullable() })
  .partial()
  .strict();

export const CreateProposalInput = z
  .object({
    title: Line(200).min(5, 'must be at least 5 characters'),
    problem: Prose(LIMITS.prose).min(20, 'must say what specific problem this solves (at least 20 characters)'),
    examples: z.array(Prose(LIMITS.short).min(1, 'must not be empty')).max(LIMITS.listItems).default([]),
    interests: Prose(LIMITS.prose).default(''),
    layer: Layer,
    route: Route.default('contribution'),
    group: Slug.optional(),
    topicArea: Slug.optional(),
    links: ProposalLinks.default({}),
    coAuthors: uniqueHandles(z.array(Handle).max(LIMITS.people)).default([]),
  })
  .strict()
  .refine((p) => !p.topicArea || p.group, { message: 'needs the group it belongs to', path: ['topicArea'] });
export type CreateProposalInput = z.input<typeof CreateProposalInput>;

export const UpdateProposalInput = z
  .object({
    title: Line(200).min(5, 'must be at least 5 characters'),
    problem: Prose(LIMITS.prose).min(20, 'must say what specific problem this solves (at least 20 characters)'),
    examples: z.array(Prose(LIMITS.short).min(1, 'must not be empty')).max(LIMITS.listItems),
    interests: Prose(LIMITS.prose),
    layer: Layer,
    links: ProposalLinks,
  })
  .partial()
  .strict();

export const ListProposalsQuery = ListQuery.extend({
  route: Route.optional(),
  stage: Line(64).optional(),
  layer: Layer.optional(),
  group: Slug.optional(),
});

export const MoveStageInput = z.object({ to: Line(64).min(1, 'must name the stage to move to') }).strict();
/** Ending a sponsorship says why: the proposal's authors are told, and the log keeps it. */
export const EndSponsorshipInput = z
  .object({
    reason: Prose(LIMITS.short).refine((s) => s.trim().length >= 3, {
      message: "must say why the sponsorship ends: the proposal's authors are told (at least 3 characters)",
    }),
  })
  .strict();

export const SupportInput = z.object({ organisation: Line(200).min(1).nullable().optional() }).strict();
export const EvidenceInput = z
  .object({
    kind: z.enum(['implementation', 'interoperability', 'community-use', 'implementer-validation', 'other']),
    description: Prose(LIMITS.prose).min(5, 'must say what the evidence shows'),
    url: EvidenceUrl.nullable().optional(),
    organisation: Line(200).min(1).nullable().optional(),
    sdk: Line(100).min(1).nullable().optional(),
  })
  .strict();
export const RelationKind = z.enum(['duplicate-of', 'supersedes', 'builds-on', 'related', 'promoted-from']);
export const RelationInput = z
  .object({
    kind: RelationKind,
    to: z.string().regex(/^(SEP-\d+|P-\d+|#\d+)$/i, 'must be a reference such as SEP-2575, P-12 or #12'),
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
