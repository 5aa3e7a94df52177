// One schema per use-case input: REST validates with it, OpenAPI and MCP publish it, the CLI maps flags onto it.
import { z } from 'zod';
import { CommunityRole, GroupKind, GroupStatus, Handle, ParticipationLevel, Slug, TopicAreaGoal } from '../domain/community.ts';
import { isTimeZone, ISO_DATE } from '../domain/people.ts';

export const TimeZone = z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin or UTC');
export const IsoDate = z
  .string()
  .regex(ISO_DATE, { message: 'must be a date as YYYY-MM-DD', abort: true })
  // 2026-13-45 has the right shape but is no day of any calendar.
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d, { error: (iss) => `must be a real calendar date as YYYY-MM-DD (${String(iss.input)} is not)` });

export const AffiliationInput = z
  .object({
    organisation: z.string().trim().min(1, 'must name the organisation'),
    from: IsoDate.nullable().optional(),
    to: IsoDate.nullable().optional(),
  })
  .refine((a) => !a.from || !a.to || a.from <= a.to, { message: 'must not end before it starts', path: ['to'] });

export const CreatePersonInput = z.object({
  handle: Handle,
  name: z.string().trim().min(1, 'must not be empty').max(200),
  timeZone: TimeZone,
  role: CommunityRole.default('contributor'),
  github: z.string().trim().min(1).nullable().optional(),
  discord: z.string().trim().min(1).nullable().optional(),
  affiliations: z.array(AffiliationInput).default([]),
});
export type CreatePersonInput = z.input<typeof CreatePersonInput>;

export const UpdatePersonInput = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(200),
    timeZone: TimeZone,
    github: z.string().trim().min(1).nullable(),
    discord: z.string().trim().min(1).nullable(),
    affiliations: z.array(AffiliationInput),
  })
  .partial()
  .strict();
export type UpdatePersonInput = z.input<typeof UpdatePersonInput>;

export const SetRoleInput = z.object({ role: CommunityRole }).strict();

export const AcceptAgreementsInput = z
  .object({
    codeOfConduct: z.string().min(1, 'must be the version of the Code of Conduct you accept'),
    contributionTerms: z.string().min(1, 'must be the version of the contribution terms you accept'),
  })
  .strict();

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(200, 'must be at most 200').default(50),
  cursor: z.string().optional(),
});

export const ListGroupsQuery = ListQuery.extend({ kind: GroupKind.optional(), status: GroupStatus.optional() });

export const ProposeGroupInput = z
  .object({
    slug: Slug,
    name: z.string().trim().min(1, 'must not be empty').max(120),
    kind: GroupKind,
    mission: z.string().trim().min(20, 'must say in a sentence or more what problem space the group addresses (at least 20 characters)'),
    scopeIn: z.array(z.string().trim().min(1)).min(1, 'must list at least one thing in scope'),
    scopeOut: z.array(z.string().trim().min(1)).default([]),
    relatedGroups: z.array(z.string().trim().min(1)).default([]),
    leads: z.array(Handle).min(1, 'must name at least one lead or facilitator'),
  })
  .strict();
export type ProposeGroupInput = z.input<typeof ProposeGroupInput>;

export const CharterSectionInput = z.object({
  heading: z.string().trim().min(1, 'must name the section, e.g. "Mission Statement"'),
  markdown: z.string(),
});

export const UpdateCharterInput = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    sections: z.array(CharterSectionInput).optional(),
    changelog: z.string().trim().min(1, 'must say what changed').optional(),
  })
  .strict();
export type UpdateCharterInput = z.input<typeof UpdateCharterInput>;

export const MoveGroupInput = z.object({ to: GroupStatus }).strict();

export const JoinGroupInput = z.object({ level: ParticipationLevel.default('participant') }).strict();
export const SetMemberLevelInput = z.object({ level: ParticipationLevel }).strict();

export const CreateTopicAreaInput = z
  .object({
    slug: Slug,
    name: z.string().trim().min(1, 'must not be empty').max(120),
    goal: TopicAreaGoal.describe('the guide asks every topic area to say whether it agrees common patterns, changes the specification, or both'),
    description: z.string().trim().default(''),
    cadence: z.string().trim().min(1).nullable().optional(),
    facilitators: z.array(Handle).min(1, 'must name at least one facilitator'),
  })
  .strict();
export type CreateTopicAreaInput = z.input<typeof CreateTopicAreaInput>;

export const UpdateTopicAreaInput = CreateTopicAreaInput.omit({ slug: true }).partial().strict();

export const CreateTokenInput = z.object({ label: z.string().trim().min(1).max(100).default('api') }).strict();

export const EventsQuery = z.object({
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(500, 'must be at most 500').default(50),
  before: z.coerce.number().int().min(1, 'must be an event number').optional(),
});

// ---- Proposals -------------------------------------------------------------------------------
export const Layer = z.enum(['specification', 'sdk-alignment', 'sdk-innovation', 'supporting-resource', 'working-group-artifact']);
export const Route = z.enum(['contribution', 'sep']);
// Links are shown to people and followed by browsers: only web addresses (no javascript: or data:).
const Url = z.url({ protocol: /^https?$/, error: 'must be an http or https URL' });
const isWebAddress = (v: string) => z.url({ protocol: /^https?$/ }).safeParse(v).success;
/** Evidence names a web page, an MCP implementation's Streamable HTTP URL, or `stdio:NAME` (a command on the hub's allow-list). */
const EvidenceUrl = z
  .string()
  .trim()
  .refine((v) => isWebAddress(v) || /^stdio:[A-Za-z0-9._-]+$/.test(v), 'must be an http or https URL, or stdio:NAME for an allow-listed MCP command');

export const ProposalLinks = z
  .object({ discussion: Url.nullable(), tracker: Url.nullable(), forum: Url.nullable(), pullRequest: Url.nullable() })
  .partial()
  .strict();

export const CreateProposalInput = z
  .object({
    title: z.string().trim().min(5, 'must be at least 5 characters').max(200),
    problem: z.string().trim().min(20, 'must say what specific problem this solves (at least 20 characters)'),
    examples: z.array(z.string().trim().min(1, 'must not be empty')).default([]),
    interests: z.string().trim().default(''),
    layer: Layer,
    route: Route.default('contribution'),
    group: Slug.optional(),
    topicArea: Slug.optional(),
    links: ProposalLinks.default({}),
    coAuthors: z.array(Handle).default([]),
  })
  .strict()
  .refine((p) => !p.topicArea || p.group, { message: 'needs the group it belongs to', path: ['topicArea'] });
export type CreateProposalInput = z.input<typeof CreateProposalInput>;

export const UpdateProposalInput = z
  .object({
    title: z.string().trim().min(5, 'must be at least 5 characters').max(200),
    problem: z.string().trim().min(20, 'must say what specific problem this solves (at least 20 characters)'),
    examples: z.array(z.string().trim().min(1, 'must not be empty')),
    interests: z.string().trim(),
    layer: Layer,
    links: ProposalLinks,
  })
  .partial()
  .strict();

export const ListProposalsQuery = ListQuery.extend({ route: Route.optional(), stage: z.string().optional(), layer: Layer.optional(), group: Slug.optional() });

export const MoveStageInput = z.object({ to: z.string().min(1, 'must name the stage to move to') }).strict();
export const SupportInput = z.object({ organisation: z.string().trim().min(1).nullable().optional() }).strict();
export const EvidenceInput = z
  .object({
    kind: z.enum(['implementation', 'interoperability', 'community-use', 'implementer-validation', 'other']),
    description: z.string().trim().min(5, 'must say what the evidence shows'),
    url: EvidenceUrl.nullable().optional(),
    organisation: z.string().trim().min(1).nullable().optional(),
    sdk: z.string().trim().min(1).nullable().optional(),
  })
  .strict();
export const RelationKind = z.enum(['duplicate-of', 'supersedes', 'builds-on', 'related', 'promoted-from']);
export const RelationInput = z
  .object({ kind: RelationKind, to: z.string().regex(/^(SEP-\d+|P-\d+|#\d+)$/i, 'must be a reference such as SEP-2575, P-12 or #12'), suggested: z.boolean().default(false) })
  .strict();
export const CommentInput = z.object({ body: z.string().trim().min(1, 'must not be empty').max(50_000), parent: z.string().optional() }).strict();
export const EditCommentInput = z.object({ body: z.string().trim().min(1, 'must not be empty').max(50_000) }).strict();
export const LayerQuestionnaireInput = z
  .object({ changesWire: z.boolean(), allSdksMustChange: z.boolean(), oneLanguageOnly: z.boolean(), guidanceOnly: z.boolean(), layer: Layer.optional() })
  .strict();

// ---- Decisions -------------------------------------------------------------------------------
export const OpenDecisionInput = z
  .object({
    group: Slug,
    subject: z.object({ type: z.enum(['proposal', 'charter', 'process']), ref: z.string().trim().min(1).optional() }).strict(),
    question: z.string().trim().min(10, 'must state the question being decided (at least 10 characters)'),
    description: z.string().trim().default(''),
    significance: z.enum(['minor', 'significant']),
    matter: z.enum(['routine', 'scope-change']).default('routine'),
    deadline: z.iso.datetime({ offset: true, message: 'must be an ISO date-time with a zone, e.g. 2026-12-01T17:00:00Z' }).optional(),
  })
  .strict()
  .refine((d) => d.subject.type !== 'proposal' || d.subject.ref, { message: 'must name the proposal (e.g. SEP-2575 or P-12)', path: ['subject', 'ref'] });

export const RespondInput = z
  .object({
    kind: z.enum(['consent', 'concern', 'block']),
    reason: z.string().trim().min(1).optional(),
    amendment: z.string().trim().min(1).optional(),
    alternative: z.string().trim().min(1).optional(),
    resolutionCriteria: z.string().trim().min(1).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.kind === 'concern' && !r.amendment) ctx.addIssue({ code: 'custom', path: ['amendment'], message: 'a concern carries a "yes, and" amendment: say what would make it work for you' });
    if (r.kind !== 'block') return;
    if (!r.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'a block must be a documented objection: give the reason' });
    if (!r.alternative && !r.resolutionCriteria) ctx.addIssue({ code: 'custom', path: ['alternative'], message: 'a block must propose an alternative or clear criteria for resolution (alternative or resolutionCriteria)' });
  });

export const VoteInput = z.object({ choice: z.enum(['yes', 'no', 'abstain']), rationale: z.string().trim().min(1).optional() }).strict();
export const DesignateInput = z.object({ designee: Handle }).strict();
export const GuidanceInput = z.object({ kind: z.enum(['binding', 'more-information', 'full-deliberation']), guidance: z.string().trim().min(5, 'must say what the guidance is') }).strict();
export const ListDecisionsQuery = ListQuery.extend({ group: Slug.optional(), open: z.enum(['true', 'false']).optional(), needing: Handle.optional() });

// ---- Search ----------------------------------------------------------------------------------
export const SearchKind = z.enum(['proposal', 'sep', 'artifact', 'charter', 'meeting-notes', 'comment']);
export const SearchQuery = z.object({
  q: z.string().trim().min(1, 'must not be empty').max(500),
  kind: SearchKind.optional(),
  group: Slug.optional(),
  status: z.string().optional(),
  layer: Layer.optional(),
  since: IsoDate.optional(),
  until: IsoDate.optional(),
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100').default(20),
  offset: z.coerce.number().int().min(0).max(10_000).default(0),
}).superRefine((q, ctx) => {
  if (q.since && q.until && q.since > q.until) ctx.addIssue({ code: 'custom', path: ['until'], message: `must not be before since (${q.since})` });
});
export const PriorWorkInput = z
  .object({
    title: z.string().trim().min(3, 'must be at least 3 characters'),
    text: z.string().default(''),
    group: Slug.optional(),
    topicArea: Slug.optional(),
    limit: z.coerce.number().int().min(1).max(50).default(10),
    /** Leave this item out of the answer (when checking an existing proposal). */
    exclude: z.string().optional(),
  })
  .strict();
