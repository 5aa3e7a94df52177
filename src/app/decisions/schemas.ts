// Inputs of the decision use cases.
import { z } from 'zod';
import { Handle, SlugRef } from '../../domain/community.ts';
import { GUIDANCE_KINDS } from '../../domain/decisions/index.ts';
import { LIMITS } from '../../domain/limits.ts';
import { inStoredYears, Line, ListQuery, Prose, WholeNumber } from '../core/schemas.ts';
import { whenValid } from '../core/validate.ts';

const OpenDecisionFields = z
  .object({
    group: SlugRef,
    subject: z.object({ type: z.enum(['proposal', 'charter', 'process']), ref: Line(64).min(1).optional() }).strict(),
    // a question is read as a heading and a list row; what it needs beyond that goes in the description
    question: Prose(LIMITS.line).min(10, 'must state the question being decided (at least 10 characters)'),
    description: Prose(LIMITS.document).default(''),
    significance: z.enum(['minor', 'significant']),
    matter: z.enum(['routine', 'scope-change']).default('routine'),
    deadline: z.iso
      .datetime({
        offset: true,
        abort: true,
        message: 'must be an ISO date-time with a zone, e.g. 2026-12-01T17:00:00Z',
      })
      .refine(...inStoredYears)
      .optional(),
  })
  .strict();
export const OpenDecisionInput = OpenDecisionFields.refine((d) => d.subject.type !== 'proposal' || d.subject.ref, {
  message: 'must name the proposal (e.g. SEP-2575 or P-12)',
  path: ['subject', 'ref'],
  ...whenValid(OpenDecisionFields, ['subject']),
});

/** The fields that belong to one kind of response: an amendment to a concern, an alternative or criteria to a block. */
export const RESPONSE_FIELD_KIND = { amendment: 'concern', alternative: 'block', resolutionCriteria: 'block' } as const;

export const RespondInput = z
  .object({
    kind: z
      .enum(['consent', 'concern', 'block'])
      .describe(
        'consent: you agree (under lazy consensus, silence counts as consent too); concern: a "yes, and" amendment, which does not block; block: a documented objection, with a reason and an alternative or resolution criteria, that stops lazy consensus',
      ),
    reason: Prose(LIMITS.prose).min(1).optional().describe('why; required for a block'),
    amendment: Prose(LIMITS.prose)
      .min(1)
      .optional()
      .describe('for a concern: the "yes, and" change that would make it work for you'),
    alternative: Prose(LIMITS.prose)
      .min(1)
      .optional()
      .describe('for a block: the alternative you propose (or give resolutionCriteria)'),
    resolutionCriteria: Prose(LIMITS.prose)
      .min(1)
      .optional()
      .describe('for a block: what would resolve it (or give an alternative)'),
  })
  .strict()
  .superRefine((r, ctx) => {
    // what belongs to another kind of response would be recorded with this one and read as part of it
    // ("consent … Alternative: use vendor X"): it is refused rather than silently kept or dropped
    for (const [field, kind] of Object.entries(RESPONSE_FIELD_KIND) as [keyof typeof RESPONSE_FIELD_KIND, string][])
      if (r[field] && r.kind !== kind)
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `only a ${kind} carries this; leave it out of a ${r.kind}`,
        });
    if (r.kind === 'concern' && !r.amendment)
      ctx.addIssue({
        code: 'custom',
        path: ['amendment'],
        message: 'a concern carries a "yes, and" amendment: say what would make it work for you',
      });
    if (r.kind !== 'block') return;
    if (!r.reason)
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        message: 'a block must be a documented objection: give the reason',
      });
    // either one answers it, so both are named: a client told only of `alternative` would not know
    // that criteria were the other way
    if (!r.alternative && !r.resolutionCriteria) {
      ctx.addIssue({
        code: 'custom',
        path: ['alternative'],
        message: 'a block must propose an alternative or clear criteria for resolution',
      });
      ctx.addIssue({
        code: 'custom',
        path: ['resolutionCriteria'],
        message: 'a block must give clear criteria for resolution or propose an alternative',
      });
    }
  });

export const VoteInput = z
  .object({ choice: z.enum(['yes', 'no', 'abstain']), rationale: Prose(LIMITS.short).min(1).optional() })
  .strict();
export const DesignateInput = z.object({ designee: Handle }).strict();
export const GuidanceInput = z
  .object({
    kind: z.enum(GUIDANCE_KINDS),
    guidance: Prose(LIMITS.prose).min(5, 'must say what the guidance is (at least 5 characters)'),
  })
  .strict();
/** Why a decision opened by mistake is withdrawn: one line, told to the group's members with it. */
export const WithdrawDecisionInput = z
  .object({
    reason: Line(LIMITS.line)
      .min(1, 'must say why it is withdrawn (e.g. a duplicate of D-3, or the wrong question)')
      .describe('why it is withdrawn, in one line (e.g. "a duplicate of D-3"); the group is told it'),
  })
  .strict();
/** A page of a decision's timeline: the latest `limit` events before event `before` (the latest of all without it). */
export const DecisionTimelineQuery = z.object({
  before: WholeNumber((n) =>
    n.min(1, 'must be an event number').max(LIMITS.maxNumber, `must be at most ${LIMITS.maxNumber}`),
  )
    .optional()
    .describe("the events before this one: a decision's timelineEarlier.before, or a page's earlier.before"),
  limit: WholeNumber((n) =>
    n
      .min(1, 'must be at least 1')
      .max(LIMITS.decisionTimeline.events, `must be at most ${LIMITS.decisionTimeline.events}`),
  )
    .default(LIMITS.decisionTimeline.events)
    .describe(`how many events at most (1-${LIMITS.decisionTimeline.events})`),
});

/** A decision read as it will stand at a moment (`?at=`): getDecision checks the moment itself. */
export const DecisionAtQuery = z.object({
  // an ISO date-time, as it says: Date.parse read '0' as the year 2000 and 'March 3' as a day of 2001
  at: z.iso
    .datetime({ offset: true, abort: true, error: 'must be an ISO date-time with a zone, e.g. 2026-12-01T17:00:00Z' })
    .refine(...inStoredYears)
    .optional()
    .describe('show the decision as it will stand at this ISO date-time, e.g. 2026-12-01T17:00:00Z'),
});
/**
 * A decision's deadline extended while lazy consensus runs: the new deadline, or how many hours later
 * than the current one (one of the two: the use case refuses both or neither, naming them), later than
 * the current one and at most `LIMITS.decisionExtensionDays` from now (domain/decisions/extension.ts),
 * and why, in one line, which the members whose voice counts are told with it.
 */
export const ExtendDecisionInput = z
  .object({
    deadline: z.iso
      .datetime({
        offset: true,
        abort: true,
        message: 'must be an ISO date-time with a zone, e.g. 2026-12-01T17:00:00Z',
      })
      .refine(...inStoredYears)
      .optional()
      .describe(
        `the new deadline, an ISO date-time with a zone: later than the current one, at most ${LIMITS.decisionExtensionDays} days from now (or give hours instead)`,
      ),
    hours: z
      .int({
        error: (iss) => (iss.input === undefined ? undefined : 'must be a whole number of hours, written in digits'),
      })
      .min(1, 'must be at least 1: an extension gives more time, never less')
      .max(
        LIMITS.decisionExtensionDays * 24,
        `must be at most ${LIMITS.decisionExtensionDays * 24} (${LIMITS.decisionExtensionDays} days)`,
      )
      .optional()
      .describe(
        `how many hours later than the current deadline (instead of deadline), so that it is at most ${LIMITS.decisionExtensionDays} days from now; the decision's extendToInform.hours says how many would let members not informed in time be told in time`,
      ),
    reason: Line(LIMITS.line)
      .min(1, 'must say why it is extended (e.g. members not reached yet, or the group asked for more time)')
      .describe('why it is extended, in one line; the members whose voice counts are told it'),
  })
  .strict();
export const ListDecisionsQuery = ListQuery.extend({
  group: SlugRef.optional(),
  // what a decision is about: a proposal by any of its references, or a group's own charter or process
  subject: Line(64)
    .min(1, 'must name a proposal (SEP-2575, P-12, #12) or say charter or process')
    .optional()
    .describe(
      "only decisions about this: a proposal reference (SEP-2575, P-12, #12, proposal:P-12), or charter or process (a group's own)",
    ),
  open: z.enum(['true', 'false']).optional(),
  needing: Handle.optional(),
});
