import { z } from 'zod';
import { CommunityRole, GroupKind, GroupStatus, ParticipationLevel } from '../community.ts';
import { GithubMapping } from './github.ts';
import { DEFAULT_NOTIFICATION_RULES, NotificationRules } from '../notifications/kinds.ts';

const Agreement = z.object({
  title: z.string().min(1),
  version: z.string().min(1),
  url: z.url(),
});

/** The guide's words on its licence, shown beside every form where someone adds content. */
export const GUIDE_CONTRIBUTION_NOTE =
  'All content added here is contributed under the MIT License. If you are unsure if you are able to include content under that license, please contact one of the group administrators for advice.';

/** The contribution terms, with the short note forms show where content is added (the group's leads are named after it). */
const ContributionTerms = Agreement.extend({
  note: z.string().trim().min(1).max(400, 'must be at most 400 characters').default(GUIDE_CONTRIBUTION_NOTE),
});

/**
 * A part someone plays in the thing acted on: its author (of a proposal, comment or agenda item),
 * the proposal's sponsor, the designated core maintainer of an escalation, the owner of an action
 * item, or the person themself (their own record).
 */
export const RELATIONS = ['author', 'sponsor', 'designee', 'owner', 'self'] as const;
export const Relation = z.enum(RELATIONS);
export type Relation = z.infer<typeof Relation>;

export const PermissionRule = z
  .object({
    roles: z.array(CommunityRole).optional(),
    atLeast: CommunityRole.optional(),
    groupLevels: z.array(ParticipationLevel).optional(),
    self: z.boolean().optional(),
    relations: z.array(Relation).optional(),
  })
  .strict()
  .refine(
    (r) => r.roles || r.atLeast || r.groupLevels || r.self || r.relations?.length,
    'must allow someone: give roles, atLeast, groupLevels, relations or self',
  );
export type PermissionRule = z.infer<typeof PermissionRule>;

export const PERMISSION_NAMES = [
  'person.create',
  'person.edit',
  'person.setRole',
  'organisation.create',
  'group.propose',
  'group.sponsor',
  'group.editCharter',
  'group.setMemberLevel',
  'topicArea.create',
  'topicArea.edit',
  'token.create',
  'proposal.create',
  'proposal.comment',
  'proposal.support',
  'proposal.addEvidence',
  'proposal.relate',
  'proposal.runDormancy',
  'decision.open',
  'decision.escalate',
  'meeting.schedule',
  'meeting.publishAgenda',
  'meeting.addAgendaItem',
  'meeting.writtenInput',
  'meeting.recordOutcomes',
  'proposal.promote',
  'evidence.verify',
  'person.issueClaim',
] as const;

/**
 * Permissions that were written in code before the governance file held them: a file written
 * before they existed still loads, and gets today's rule.
 */
export const LATER_PERMISSIONS = {
  'proposal.edit': { relations: ['author', 'sponsor'], groupLevels: ['lead'], roles: ['moderator'] },
  'proposal.completeFollowUp': {
    relations: ['author', 'sponsor'],
    groupLevels: ['lead'],
    atLeast: 'maintainer',
    roles: ['moderator'],
  },
  'decision.respond': { atLeast: 'contributor', roles: ['moderator'] },
  'decision.requestVote': { groupLevels: ['member', 'lead'] },
  'decision.vote': { groupLevels: ['member', 'lead'] },
  'decision.guide': { relations: ['designee'] },
  'decision.withdraw': { relations: ['author'], groupLevels: ['lead'] },
  'decision.extend': { relations: ['author'], groupLevels: ['lead'] },
  'comment.edit': { relations: ['author'] },
  'comment.moderate': { groupLevels: ['lead'], roles: ['moderator'] },
  'meeting.removeAgendaItem': {
    relations: ['author'],
    groupLevels: ['lead'],
    roles: ['core-maintainer', 'lead-maintainer'],
  },
  'meeting.assignNoteTaker': { groupLevels: ['lead'], roles: ['core-maintainer', 'lead-maintainer'] },
  'meeting.completeAction': {
    relations: ['owner'],
    groupLevels: ['member', 'lead'],
    roles: ['core-maintainer', 'lead-maintainer'],
  },
  'github.viewStatus': { atLeast: 'maintainer', roles: ['moderator'] },
  'github.sync': { roles: ['moderator', 'core-maintainer', 'lead-maintainer'] },
  'group.manageWebhooks': { groupLevels: ['lead'], roles: ['core-maintainer', 'lead-maintainer'] },
  'proposal.endSponsorship': {
    relations: ['sponsor'],
    groupLevels: ['lead'],
    roles: ['core-maintainer', 'lead-maintainer'],
  },
  'proposal.requestReview': { relations: ['author'] },
} as const satisfies Record<string, z.input<typeof PermissionRule>>;

export type PermissionName = (typeof PERMISSION_NAMES)[number] | keyof typeof LATER_PERMISSIONS;
export const ALL_PERMISSION_NAMES: readonly PermissionName[] = [
  ...PERMISSION_NAMES,
  ...(Object.keys(LATER_PERMISSIONS) as (keyof typeof LATER_PERMISSIONS)[]),
];

const Permissions = z
  .object({
    ...(Object.fromEntries(PERMISSION_NAMES.map((n) => [n, PermissionRule])) as Record<
      (typeof PERMISSION_NAMES)[number],
      typeof PermissionRule
    >),
    ...(Object.fromEntries(
      Object.entries(LATER_PERMISSIONS).map(([n, rule]) => [n, PermissionRule.default(rule as PermissionRule)]),
    ) as Record<keyof typeof LATER_PERMISSIONS, z.ZodDefault<typeof PermissionRule>>),
  })
  .strict();

export const LAYER_IDS = [
  'specification',
  'sdk-alignment',
  'sdk-innovation',
  'supporting-resource',
  'working-group-artifact',
] as const;
export const LayerId = z.enum(LAYER_IDS);
export type LayerId = z.infer<typeof LayerId>;

export const ROUTE_IDS = ['contribution', 'sep'] as const;
export const RouteId = z.enum(ROUTE_IDS);
export type RouteId = z.infer<typeof RouteId>;

/** Who may make a stage move: a part someone plays in the proposal, or a community role. */
export const MoverKind = z.union([z.enum(['author', 'sponsor', 'group-lead', 'system']), CommunityRole]);
export type MoverKind = z.infer<typeof MoverKind>;

const Transition = z
  .object({
    from: z.array(z.string().min(1)).min(1),
    to: z.string().min(1),
    by: z.array(MoverKind).min(1),
    gate: z.boolean().optional(),
    requiresExamples: z.boolean().optional(),
    /** The move needs the proposal's pull request link: given with the move, or already on the proposal. */
    requiresPullRequest: z.boolean().optional(),
  })
  .strict();

const Route = z
  .object({
    title: z.string().min(1),
    // what pages call one document of the route ("SEP" for the SEP lifecycle); "s" makes the plural
    shortName: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(20, 'must be at most 20 characters')
      .regex(/^[\p{L}\p{N}][\p{L}\p{N} .-]*$/u, 'must be one line of letters, digits, spaces, dots or hyphens')
      .optional(),
    initial: z.string().min(1),
    stages: z.array(z.string().min(1)).min(2),
    closed: z.array(z.string().min(1)),
    transitions: z.array(Transition).min(1),
    // what the community expects of a proposal at each stage, in its own words (the guide's steps):
    // shown where a member meets the stage, so a step outside the hub (a chat, a tracker, a forum
    // thread, a pull request) is not one they learn of only when someone refuses the next move
    guidance: z.record(z.string().min(1), z.string().min(1).max(1000)).optional(),
  })
  .strict();

export const GateCondition = z.discriminatedUnion('check', [
  z.object({ check: z.literal('problem-stated') }).strict(),
  z.object({ check: z.literal('problem-validated'), minExamples: z.int().min(1) }).strict(),
  z.object({ check: z.literal('supporters-from-organisations'), min: z.int().min(1) }).strict(),
  z
    .object({
      check: z.literal('evidence'),
      kind: z.enum(['implementation', 'interoperability', 'community-use', 'implementer-validation']),
      min: z.int().min(1),
      distinctOrganisations: z.boolean().optional(),
      distinctSdks: z.boolean().optional(),
    })
    .strict(),
  z.object({ check: z.literal('prior-artifact') }).strict(),
]);
export type GateCondition = z.infer<typeof GateCondition>;

const Proposals = z
  .object({
    layers: z
      .array(
        z
          .object({
            id: LayerId,
            title: z.string().min(1),
            /** Where its pull requests are opened (a repository, or the organisation holding several), for the guide's last step. */
            pullRequests: z.url({ protocol: /^https?$/ }).optional(),
          })
          .strict(),
      )
      .length(5, 'must list the five artifact types of the guide'),
    routes: z.object({ contribution: Route, sep: Route }).strict(),
    sponsorRoles: z.array(CommunityRole).min(1),
    gates: z
      .object(
        Object.fromEntries(LAYER_IDS.map((l) => [l, z.array(GateCondition)])) as Record<
          LayerId,
          z.ZodArray<typeof GateCondition>
        >,
      )
      .strict(),
    cascade: z.object({ sdks: z.array(z.string().min(1)), supportingResources: z.array(z.string().min(1)) }).strict(),
    dormancy: z
      .object({
        awaitingSponsorReminderDays: z.int().min(1),
        awaitingSponsorDormantDays: z.int().min(1),
        staleDraftReminderDays: z.int().min(1),
        acceptedWithoutProgressReminderDays: z.int().min(1),
      })
      .strict(),
  })
  .strict();

const Fraction = z
  .tuple([z.int().min(1), z.int().min(1)])
  .refine(([n, d]) => n < d, 'must be a fraction below one, written [numerator, denominator]');
export const Majority = z.union([z.object({ moreThan: Fraction }).strict(), z.object({ atLeast: Fraction }).strict()]);
export type Majority = z.infer<typeof Majority>;

const Decisions = z
  .object({
    minimumDays: z.object({ minor: z.int().min(1), significant: z.int().min(1) }).strict(),
    /**
     * Silence counts as consent only from a member told of the decision at least this many hours
     * before its deadline, since their voice began (docs/decisions.md#was-the-silence-informed):
     * one who gained a voice later, or was told later, is shown as not informed in time.
     */
    noticeHours: z
      .int()
      .min(0)
      .max(24 * 14)
      .default(24),
    eligibleLevels: z.array(ParticipationLevel).min(1),
    vote: z
      .object({
        memberRequests: z.int().min(1),
        durationDays: z.int().min(1),
        quorum: z.number().gt(0).max(1),
        majorities: z.object({ routine: Majority, 'scope-change': Majority }).strict(),
      })
      .strict(),
    escalation: z.object({ responseBusinessDays: z.int().min(1), candidateRole: CommunityRole }).strict(),
    weighting: z.object({ organisationCap: z.number().gt(0), dominanceShare: z.number().gt(0).lt(1) }).strict(),
  })
  .strict();

/** Days of the week as the governance file names them; index 0 is Sunday, as in Date#getDay. */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM (24-hour)');
const Meetings = z
  .object({
    noticeDays: z.number().min(0),
    notesHours: z.number().gt(0),
    quarterlyUpdateMonths: z
      .array(z.int().min(1).max(12))
      .min(1)
      .refine((a) => a.every((m, i) => i === 0 || m > a[i - 1]!), 'must list months in order, January = 1'),
    workingHours: z.object({ start: ClockTime, end: ClockTime }).strict(),
    sleepingHours: z.object({ start: ClockTime, end: ClockTime }).strict(),
    workingDays: z
      .array(z.enum(WEEKDAYS))
      .min(1, 'must name at least one day')
      .refine((a) => new Set(a).size === a.length, 'must name each day once')
      .default(['mon', 'tue', 'wed', 'thu', 'fri']),
    fairTimes: z
      .object({
        stepMinutes: z.int().min(5).max(120),
        penaltyHours: z.number().gt(0),
        /** Alternative times start at least this many hours apart in the time of day. */
        alternativesApartHours: z.number().min(0).max(12).default(3),
      })
      .strict(),
  })
  .strict();
/**
 * Verified evidence: how long the hub waits for an MCP implementation named in evidence, and the
 * only stdio commands it will start (evidence names them as stdio:NAME, never a command line).
 */
const CommandLine = z.array(z.string().min(1)).min(1, 'must give the command and its arguments');
const EnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');
export const EvidenceVerification = z
  .object({
    probeTimeoutSeconds: z.number().gt(0).max(120, 'must be at most 120 seconds'),
    stdioCommands: z.record(
      z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'names are lowercase letters, digits and hyphens'),
      // [command, arg, …], or { command: [...], env: [NAME, …] } to pass those variables (a CA bundle, a registry setting)
      z.union([CommandLine, z.object({ command: CommandLine, env: z.array(EnvName).default([]) }).strict()]),
    ),
    /** Hosts probed whatever their address (a lab network, a test on loopback); all others must be public. */
    allowedHosts: z.array(z.string().min(1)).default([]),
  })
  .strict()
  .default({ probeTimeoutSeconds: 10, stdioCommands: {}, allowedHosts: [] });

/**
 * How much one API token (or web session), or one address without either, may ask of the hub
 * in each window: a flood from one is refused with 429 and never slows the others.
 */
export const RateLimits = z
  .object({
    enabled: z.boolean(),
    windowSeconds: z.int().min(1).max(3600),
    reads: z.int().min(1),
    searches: z.int().min(1),
    writes: z.int().min(1),
    probes: z.int().min(1),
    /**
     * MCP clients registering with the hub's OAuth server (POST /oauth/register), per address whatever
     * token or session the request carries: registration is open and needs nothing else.
     */
    registrations: z.int().min(1).default(20),
    /** The same budgets per second, so a window's allowance cannot be spent in one burst. */
    perSecond: z
      .object({
        reads: z.int().min(1),
        searches: z.int().min(1),
        writes: z.int().min(1),
        probes: z.int().min(1),
        registrations: z.int().min(1).default(5),
      })
      .strict()
      .default({ reads: 500, searches: 20, writes: 20, probes: 1, registrations: 5 }),
    /** Searches, writes and probes of one token or address handled at once; more answer 429 at once. */
    inFlight: z.int().min(1).max(100).default(2),
  })
  .strict();
export type RateLimits = z.infer<typeof RateLimits>;

/**
 * Where the community's public originals live, so a link the hub cannot answer itself (a docs
 * site path, `#n`, a SEP or a person not in the hub, a relative link in an imported file) goes
 * to the original instead of a dead page. Anything not configured is shown as plain text.
 */
export const PublicOriginals = z
  .object({
    /** The repository whose issues and pull requests `#n` names (and whose pull requests number SEPs). */
    repository: z.url().optional(),
    /** The docs site that paths such as /community/… and /specification/… in imported files belong to. */
    docsSite: z.url().optional(),
    /** A person's public profile is this address followed by their handle. */
    people: z.url().optional(),
    /** Imported folder → the web address of its files, for relative links inside imported files. */
    sources: z.record(z.string().min(1), z.url()).default({}),
  })
  .strict();
export type PublicOriginals = z.infer<typeof PublicOriginals>;

/** One line a page header or a mail subject can show: no line breaks or control characters. */
const ShortName = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .regex(/^[^\p{Cc}\p{Cf}]*$/u, 'must be one line without control or invisible formatting characters');

/**
 * Who the hub serves, in its own words: a community adopting wghub names itself and its protocol
 * here, and no page, mail or new charter says "MCP" unless this does.
 */
export const Community = z
  .object({
    /** The hub's name: every page's title and header, mail digests' subject. */
    name: ShortName(60),
    /** The protocol the groups work on: "propose changes to the MCP specification", "Charter for the MCP … Working Group". */
    protocol: ShortName(40),
  })
  .strict();

// a link people follow from the welcome page: a web page, never a script or data address
const Link = z
  .object({ title: ShortName(80), url: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }) })
  .strict();

/**
 * Where a newcomer starts (the guide's "Getting Started"): the specification to read, the community's
 * chat, where new topic areas are suggested, the project tracker and the discussion forum of the
 * contribution route. Each is optional: a community names the ones it has. A file without the
 * section gets the guide's own.
 */
export const GettingStarted = z
  .object({
    specification: Link.optional(),
    chat: Link.optional(),
    ideas: Link.optional(),
    tracker: Link.optional(),
    forum: Link.optional(),
  })
  .strict();
export type GettingStarted = z.infer<typeof GettingStarted>;

export const GUIDE_GETTING_STARTED: GettingStarted = {
  specification: {
    title: 'Model Context Protocol specification',
    url: 'https://modelcontextprotocol.io/specification',
  },
  chat: { title: 'CWG Discord', url: 'https://discord.gg/RkqKnmrp' },
  ideas: {
    title: '#working-group-ideation',
    url: 'https://discord.com/channels/1358869848138059966/1358872476276232242',
  },
  tracker: {
    title: 'CWG Project Tracker',
    url: 'https://github.com/orgs/modelcontextprotocol-community/projects/3/views/1',
  },
  forum: { title: 'discussion forum', url: 'https://github.com/orgs/modelcontextprotocol/discussions' },
};

export const GovernanceSchema = z
  .object({
    version: z.literal(1),
    community: Community.default({ name: 'wghub', protocol: 'MCP' }),
    gettingStarted: GettingStarted.default(GUIDE_GETTING_STARTED),
    agreements: z.object({ codeOfConduct: Agreement, contributionTerms: ContributionTerms }).strict(),
    roleOrder: z
      .array(CommunityRole)
      .min(1)
      .refine((a) => new Set(a).size === a.length, 'must not repeat a role'),
    // what pages call each role ("core-maintainer: steering committee member"); a role left out is
    // its key with spaces ("core maintainer"). The keys stay the fixed ladder's.
    roleNames: z.partialRecord(CommunityRole, ShortName(40)).default({}),
    // what pages call each kind of group ("working: special interest group") and each level in a
    // group ("member: voting member"); one left out keeps today's words ("working group",
    // "member"). The keys stay the identifiers (the API's `kind` and `level`, the CLI's --kind, --level).
    groupKindNames: z.partialRecord(GroupKind, ShortName(40)).default({}),
    levelNames: z.partialRecord(ParticipationLevel, ShortName(40)).default({}),
    groups: z
      .object({
        sponsorship: z
          .object({
            anyOf: z.array(z.object({ role: CommunityRole, count: z.int().min(1) }).strict()).min(1),
          })
          .strict(),
        leadMinimumRole: CommunityRole,
        transitions: z
          .array(
            z
              .object({
                from: GroupStatus,
                to: GroupStatus,
                allowed: PermissionRule,
                requiresSponsorship: z.boolean(),
              })
              .strict(),
          )
          .min(1),
      })
      .strict(),
    membership: z
      .object({
        levels: z.array(ParticipationLevel).min(1),
        inactivityDays: z.int().min(1, 'must be at least 1 day'),
        decayingLevels: z.array(ParticipationLevel),
        selfServiceLevels: z.array(ParticipationLevel),
        /** After the leads decline a request to become a member, the days before the same person may ask again. */
        askAgainDays: z.int().min(0).max(365).default(30),
        /** After a person declines an invitation to a group, the days before they may be invited to it again. */
        inviteAgainDays: z.int().min(0).max(365).default(30),
      })
      .strict(),
    permissions: Permissions,
    proposals: Proposals,
    decisions: Decisions,
    meetings: Meetings,
    evidence: EvidenceVerification,
    publicOriginals: PublicOriginals.default({ sources: {} }),
    rateLimits: RateLimits.default({
      enabled: true,
      windowSeconds: 60,
      reads: 3000,
      searches: 300,
      writes: 300,
      probes: 20,
      registrations: 20,
      perSecond: { reads: 500, searches: 20, writes: 20, probes: 1, registrations: 5 },
      inFlight: 2,
    }),
    github: GithubMapping.optional(),
    notifications: NotificationRules.default(DEFAULT_NOTIFICATION_RULES),
  })
  .strict();

export type Governance = z.infer<typeof GovernanceSchema>;
