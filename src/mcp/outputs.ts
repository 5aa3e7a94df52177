// Structured output schemas for the tools. They name the fields an assistant relies on and
// let the rest of the use case's view through (loose objects), so a new field in a view never
// breaks a client that validates against the schema.
import { z } from 'zod';
import { LIMITS } from '../domain/limits.ts';

const nextCursor = z.string().nullable().describe('pass back as cursor for the next page; null on the last page');

export const SearchOutput = z.object({
  query: z.string(),
  correctedQuery: z
    .string()
    .optional()
    .describe('when the words as typed found nothing: the query the items are for, misspelt words corrected'),
  someWords: z
    .array(z.string())
    .optional()
    .describe('when no item holds every word: the telling words of the query, some of which each item holds'),
  nextCursor: z
    .string()
    .nullable()
    .describe('pass back as cursor, with the same query and filters, for the next page; null on the last page'),
  items: z.array(
    z.looseObject({
      ref: z.string(),
      kind: z.string(),
      title: z.string(),
      group: z.string().nullable(),
      score: z.number(),
      snippet: z.string(),
    }),
  ),
});

export const PriorWorkOutput = z.object({
  items: z.array(
    z.looseObject({
      ref: z.string(),
      kind: z.string(),
      title: z.string(),
      score: z.number(),
      reasons: z.array(z.string()),
    }),
  ),
});

/** What the caller may do here now; for each thing they may not, why, in words to pass on to them. */
export const CanOutput = z
  .record(
    z.string(),
    z.union([
      z.object({ allowed: z.literal(true) }),
      z.object({
        allowed: z.literal(false),
        reason: z.string(),
        // a refusal the person can lift themself says how (policies/verdict.ts): without it in the
        // schema, a client checking output refused every answer to a reader without a token
        remedy: z
          .enum(['sign-in', 'accept-agreements'])
          .optional()
          .describe('what the person can do about it themself: sign in, or accept the agreements'),
      }),
    ]),
  )
  .describe('what you may do here now; for each thing you may not, the reason to tell the person');

export const ProposalSummary = z.looseObject({
  ref: z.string(),
  title: z.string(),
  layer: z.string(),
  route: z.string(),
  stage: z.string(),
  group: z.string().nullable(),
});
export const ProposalListOutput = z.object({ items: z.array(ProposalSummary), nextCursor });

const Condition = z.looseObject({ condition: z.string(), passed: z.boolean(), reason: z.string() });
export const GateOutput = z.looseObject({ layer: z.string(), passed: z.boolean(), conditions: z.array(Condition) });

export const SponsorsOutput = z.object({
  ref: z.string(),
  sponsor: z.looseObject({ handle: z.string(), name: z.string() }).nullable().describe('its sponsor now, or null'),
  wanted: z.boolean().describe('whether it waits for a sponsor: none yet, and not at an end stage'),
  who: z.string().describe('who may sponsor a proposal, in the community’s words'),
  people: z
    .array(z.object({ handle: z.string(), name: z.string(), role: z.string(), inGroup: z.boolean() }))
    .describe(
      `people to ask, at most ${LIMITS.possibleSponsors}, its group’s own first; never you (see can.sponsor); empty unless wanted`,
    ),
  can: CanOutput.describe('sponsor: whether you may sponsor it now, and why not'),
});

export const ProposalOutput = z.looseObject({
  ref: z.string(),
  title: z.string(),
  problem: z.string(),
  examples: z.array(z.string()),
  layer: z.string(),
  route: z.string(),
  stage: z.string(),
  stageGuidance: z
    .string()
    .nullable()
    .describe("what the community expects of the proposal at its stage (the guide's step), to tell its author"),
  links: z
    .record(z.string(), z.string().nullable())
    .describe('where it lives elsewhere: tracker, discussion (the forum thread), forum (a chat thread), pullRequest'),
  allowedMoves: z.array(
    z.looseObject({
      to: z.string(),
      by: z.array(z.string()),
      gate: z.boolean(),
      requiresPullRequest: z
        .boolean()
        .describe("the move asks for the pull request's link (move_stage's pullRequest), unless the proposal has one"),
      can: z.looseObject({ allowed: z.boolean() }).describe('whether you may make this move now, and if not why'),
    }),
  ),
  pullRequest: z
    .looseObject({
      url: z.string(),
      github: z.looseObject({ repo: z.string(), number: z.number().int() }).nullable(),
      mirrored: z
        .looseObject({ state: z.string().nullable(), proposal: z.string().nullable() })
        .nullable()
        .describe("what the hub's GitHub mirror holds of it: its state, and the proposal it is mirrored as (a SEP)"),
    })
    .nullable()
    .describe('its pull request link (links.pullRequest), recognised when it is a GitHub pull request'),
  group: z.string().nullable(),
  evidence: z.array(
    z.looseObject({ id: z.string(), kind: z.string(), description: z.string(), url: z.string().nullable() }),
  ),
  gate: GateOutput,
  version: z.number().int(),
  names: z
    .record(z.string(), z.string())
    .describe(
      "each person's name by handle, for handles the proposal names alone (supportersByOrganisation, evidence's addedBy, reviewRequest's by and asked)",
    ),
  can: CanOutput,
  openDecisions: z
    .array(
      z.looseObject({
        ref: z.string().describe('the decision: get_decision reads it, respond_to_decision answers it'),
        question: z.string(),
        phase: z.string().describe('lazy-consensus, vote or escalated, as it stands now'),
        closesAt: z.string(),
        responses: z
          .object({ consent: z.number().int(), concern: z.number().int(), block: z.number().int() })
          .describe('where it stands: the responses that count, by kind'),
        votes: z
          .object({ yes: z.number().int(), no: z.number().int(), abstain: z.number().int() })
          .nullable()
          .describe('in a vote, the votes that count, by choice; null before a vote'),
        yours: z
          .string()
          .nullable()
          .describe("the caller's own answer standing: their response's kind, or in a vote their vote's choice"),
        can: CanOutput.describe(
          'what the caller may do on it now (respond, vote…), and for each thing they may not, why',
        ),
      }),
    )
    .describe(
      `the decisions open on it now, oldest first, at most ${LIMITS.openDecisionsOnProposal}; openDecisionsMore: others are open too (list_decisions with subject lists them all)`,
    ),
  openDecisionsMore: z.boolean(),
  asAuthor: z
    .looseObject({ movesAsLead: z.array(z.string()), nextStepIsOthers: z.boolean() })
    .nullable()
    .describe(
      "for one of its authors, else null: the moves forward they may make only as a lead of its group or a facilitator of its topic area (the guide asks a facilitator with strong views to keep neutral: suggest asking another lead, facilitator or a moderator to make them), and whether its next step forward is someone else's (then ask for review)",
    ),
});

export const GateCheckOutput = GateOutput.extend({ ref: z.string(), supportedLayer: z.string().nullable() });

export const PullRequestDraftOutput = z.object({
  proposal: z.string(),
  title: z.string(),
  stage: z.string(),
  gaps: z.array(z.string()).describe("what the guide's route still lacks; empty when nothing is missing"),
  markdown: z.string().describe('the description to paste into the pull request'),
  facts: z.looseObject({ ref: z.string() }).describe('the facts it was written from'),
  can: z
    .looseObject({ edit: z.looseObject({ allowed: z.boolean() }) })
    .describe('whether you may edit the proposal to add what the gaps name, and if not why'),
});

const TimelineEarlierOutput = z
  .object({
    count: z.int().describe('how many events came before these'),
    before: z.int().describe('pass it to decision_timeline as before to read the latest of them'),
  })
  .nullable();

export const DecisionTimelineOutput = z.object({
  ref: z.string(),
  items: z
    .array(
      z.looseObject({
        seq: z.int(),
        at: z.string(),
        actor: z.string().nullable(),
        kind: z.string(),
        after: z.unknown(),
      }),
    )
    .describe('the events, oldest first, each with what it recorded (after)'),
  earlier: TimelineEarlierOutput.describe(
    'the events before these: how many, and the before that reads them; null: these are the first',
  ),
  names: z.record(z.string(), z.string()).describe("each actor's name by handle"),
  can: CanOutput.describe(
    "what you may do on the decision now (respond, withdrawResponse, requestVote, vote, designate, guide, withdraw, extend), as get_decision's can, and why not",
  ),
});

export const DecisionListOutput = z.object({
  items: z.array(
    z.looseObject({
      ref: z.string(),
      group: z.string(),
      question: z.string(),
      deadline: z.string(),
      phase: z.string().describe('lazy-consensus, vote, escalated or closed'),
      outcome: z.string().describe('pending while open; else how it closed (adopted, rejected, withdrawn…)'),
      closesAt: z
        .string()
        .describe(
          "when it closes now: the vote's close in a vote, the initial response when escalated, else the deadline",
        ),
      responses: z
        .object({ consent: z.number().int(), concern: z.number().int(), block: z.number().int() })
        .optional()
        .describe(
          'while it is open, the responses that count by kind: in lazy consensus a block among them holds it up (read it before consenting); in a vote they are the answers given before it, and the votes decide',
        ),
    }),
  ),
  nextCursor,
});

export const DecisionOutput = z.looseObject({
  ref: z.string(),
  version: z
    .int()
    .describe(
      'moves with each change to its own terms (an extension, a withdrawal, a vote opened): extend_decision takes it',
    ),
  group: z.string(),
  question: z.string(),
  deadline: z.string(),
  state: z.looseObject({ phase: z.string(), outcome: z.string() }),
  responses: z.array(z.looseObject({ handle: z.string(), kind: z.string() })),
  escalation: z
    .looseObject({
      designee: z.string().nullable().describe('the core maintainer named to resolve it (designate_resolver)'),
      candidates: z
        .array(z.string())
        .describe('who may be named: core maintainers sharing no organisation with the parties'),
      guidance: z.string().nullable(),
    })
    .nullable()
    .describe('once a vote did not settle it: who may resolve it and who was named, with their guidance; null before'),
  timelineEarlier: TimelineEarlierOutput.describe(
    'the timeline carries the latest events only: how many came before them, and the before that decision_timeline reads them with; null: it carries them all',
  ),
  notified: z
    .object({
      told: z.array(
        z.looseObject({
          handle: z.string(),
          kind: z.string(),
          title: z.string().describe("the notice's title as its reader saw it"),
          by: z
            .object({ handle: z.string(), name: z.string(), advisory: z.boolean() })
            .nullable()
            .describe('for a block notice (decision-blocked): who blocked, and whether it is advisory; null otherwise'),
          at: z.string(),
          lastAt: z
            .string()
            .describe(
              'when it last told them (news folded into it while unread); at when none was: uncounted[].toldAt is one of these times',
            ),
          how: z.enum(['inbox', 'mail', 'digest']),
          openedAt: z.string().nullable(),
        }),
      ),
      silent: z.array(z.string()),
      silentPeople: z.array(z.looseObject({ handle: z.string(), name: z.string() })),
      unreached: z.array(z.looseObject({ handle: z.string(), name: z.string(), why: z.string() })),
      notMailable: z.array(z.looseObject({ handle: z.string(), name: z.string(), why: z.string() })),
      uncounted: z.array(
        z.looseObject({
          handle: z.string(),
          name: z.string(),
          why: z.string(),
          voiceSince: z.string().nullable(),
          toldAt: z.string().nullable(),
        }),
      ),
      silenceWarning: z.string().nullable(),
      nobodyCounts: z.string().nullable(),
    })
    .describe(
      "who was told, when and how, who opened it; members whose answer counts who have not answered, in a vote who have not voted, the opener too (silent, by handle; silentPeople, the same with names); those of them never reached; those of them no notice can be mailed to now (notMailable: no confirmed address, none, or one that bounces), whose silence is not informed by mail; those of them not informed in time (uncounted: not told since their voice began at least the governance file's decisions.noticeHours before the deadline, with why), whose silence is not counted as consent; nobodyCounts: while it is open and no one's answer counts now (the group has no active member at a level whose voice counts), what that means in words, else null",
    ),
  names: z
    .record(z.string(), z.string())
    .describe(
      "each person's name by handle, for handles the decision names alone (openedBy, timeline actors, the escalation's designee and candidates, voteRequests)",
    ),
  extendToInform: z
    .object({
      members: z.array(z.looseObject({ handle: z.string(), name: z.string() })),
      hours: z.int().nullable(),
      deadline: z.string().nullable(),
      advice: z.string(),
    })
    .nullable()
    .describe(
      "for you when you may extend it (can.extend) and members' silence is not counted for want of a notice in time (notified.uncounted): the members an extension would tell in time, the fewest whole hours to extend it by so that they would be (its own notice, sent now, then comes at least decisions.noticeHours before the new deadline; null when no extension allowed now would do), the deadline that gives, and the advice in words to tell the person; extend_decision takes hours. Null otherwise",
    ),
  can: CanOutput,
});

const NeedCount = z.object({
  listed: z.number(),
  total: z
    .number()
    .nullable()
    .describe('how many there are in all; null: the list reached its bound and more may wait'),
});
export const WhatNeedsMeOutput = z.looseObject({
  handle: z.string().describe('whose list this is'),
  at: z.string().describe('when it was read'),
  since: z.string().nullable(),
  items: z.array(
    z.looseObject({
      kind: z
        .string()
        .describe(
          'agreements, mail, invitation (to a group: accept_invitation or decline_invitation with its id), decision (your voice counts), designate, escalation (named to you), more-information (an escalation you opened, answered or voted on, whose resolver asks its parties for more information: answer where its path leads (in a proposal’s discussion, mentioning them so they are told; for a charter or the process, where its charter says the group works), until guidance asks nothing more), advisory (shown, not counted), membership-request, sponsor-group (a proposed group you may sponsor: sponsor_group with ref; not the group-sponsorship notice, news to a group’s members that it gained a sponsor), proposal, meeting, notes, action-item',
        ),
      ref: z
        .string()
        .describe("D-3, M-2, a proposal reference, @handle, or a group's slug (an invitation, a sponsor-group)"),
      title: z.string(),
      group: z.string().nullable(),
      asked: z.string().describe('what is asked of you, in words to pass on'),
      due: z
        .string()
        .nullable()
        .describe('deadline, close, initial response, notes due, due day, start or expiry; null: undated'),
      dueMeans: z
        .string()
        .nullable()
        .describe('what `due` is: deadline, closes, initial response due, notes due, due, starts, expires'),
      late: z.boolean(),
      path: z.string().describe("where it is on the hub's web pages"),
      id: z
        .string()
        .optional()
        .describe(
          "an action-item's id: complete_action_item, with ref as the meeting, marks it done; an invitation's: accept_invitation or decline_invitation takes it; a meeting's: get_agenda takes it",
        ),
    }),
  ),
  counts: z.record(z.string(), NeedCount).describe('per kind: how many are listed and how many there are'),
  groups: z.array(z.looseObject({ slug: z.string(), name: z.string(), level: z.string() })),
});

export const InboxOutput = z.object({
  items: z.array(
    z.looseObject({
      id: z.string(),
      kind: z.string(),
      subject: z.object({ type: z.string(), ref: z.string() }),
      title: z.string(),
      detail: z.string(),
      reason: z.string(),
      read: z.boolean(),
      path: z.string(),
      can: CanOutput.describe('whether you may mark it read (markRead), and if not why'),
    }),
  ),
  nextCursor: z.string().nullable(),
  unread: z.number().int().describe('how many notifications are unread in all'),
  can: CanOutput.describe('whether you may mark all read (markAllRead)'),
});

export const MarkedOutput = z.object({
  marked: z.number().int().describe('how many changed from unread to read'),
  unread: z.number().int().describe('how many are still unread'),
});

export const GroupListOutput = z.object({
  items: z.array(
    z.looseObject({
      slug: z.string().describe('pass to get_charter for its charter, leads and members'),
      name: z.string(),
      kind: z.string(),
      status: z.string(),
      mission: z.string(),
    }),
  ),
  nextCursor,
  can: CanOutput.describe('whether you may propose a group (propose, with propose_group), and if not why'),
});

export const CharterOutput = z.object({
  group: z.looseObject({
    slug: z.string(),
    name: z.string(),
    kind: z.string(),
    status: z.string(),
    mission: z.string(),
    can: CanOutput,
  }),
  markdown: z.string().describe('the charter in the charter template structure'),
});

export const EvidenceCheckOutput = z.looseObject({
  ref: z.string(),
  evidenceId: z.string(),
  target: z.string(),
  status: z.enum(['verified', 'failed']),
  reason: z.string().nullable(),
  checkedAt: z.string(),
  server: z.looseObject({ name: z.string(), version: z.string() }).nullable(),
  protocolVersion: z.string().nullable(),
  toolNames: z.array(z.string()),
});

export const GithubStatusOutput = z.looseObject({
  configured: z.boolean(),
  repositories: z.array(
    z.looseObject({
      name: z.string().describe('as the governance file names it, and the mirror keeps it'),
      nameOnGithub: z.string().describe('its name on GitHub now (another when renamed or transferred since)'),
      onGithub: z
        .looseObject({ state: z.enum(['private', 'archived', 'deleted']), since: z.string(), says: z.string() })
        .nullable()
        .describe('made private, archived or deleted on GitHub: no longer polled, what was mirrored stays'),
      writeBack: z.boolean(),
      lastSyncFinishedAt: z.string().nullable(),
      resumesAtPage: z.number().nullable(),
      lastError: z.string().nullable(),
      mirrored: z.number(),
      issues: z.looseObject({ open: z.number(), closed: z.number(), comments: z.number() }),
      pulls: z.looseObject({ count: z.number(), comments: z.number() }),
      discussions: z.looseObject({ count: z.number(), comments: z.number(), meetings: z.number() }),
    }),
  ),
  deliveries: z.looseObject({
    received: z.number(),
    pending: z.number(),
    applied: z.number(),
    ignored: z.number(),
    failed: z.number(),
  }),
  queues: z.array(z.looseObject({ queue: z.string(), pending: z.number(), running: z.number(), failed: z.number() })),
  failures: z.array(z.looseObject({ queue: z.string(), error: z.string().nullable(), attempts: z.number() })),
  can: z.looseObject({
    viewStatus: z.looseObject({ allowed: z.boolean() }),
    syncNow: z.looseObject({ allowed: z.boolean() }),
  }),
});

/**
 * A group's decisions open for answers, as one who just joined it (or accepted an invitation to it) meets
 * them: `openDecisions` of join_group and accept_invitation (openDecisionsOnJoining).
 */
export const OpenDecisionsOnJoiningOutput = z.array(
  z.looseObject({
    ref: z.string(),
    question: z.string(),
    phase: z.string(),
    closesAt: z.string(),
    voice: z.enum(['silence-counts', 'silence-not-counted', 'vote-counts', 'advisory', 'answered']),
    why: z.string().nullable(),
  }),
);
