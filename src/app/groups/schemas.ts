// Inputs of the group, charter and topic-area use cases.
import { z } from 'zod';
import {
  GroupKind,
  GroupStatus,
  Handle,
  NewGroupSlug,
  ParticipationLevel,
  Slug,
  TopicAreaGoal,
} from '../../domain/community.ts';
import { sameHeading } from '../../domain/charter-edit.ts';
import { LIMITS } from '../../domain/limits.ts';
import { Line, ListQuery, Prose, uniqueHandles, namingAChange, WholeNumber } from '../core/schemas.ts';

export const ListGroupsQuery = ListQuery.extend({
  kind: GroupKind.optional().describe('only groups of this kind: working or interest'),
  status: GroupStatus.optional().describe('only groups with this status: proposed, active or retired'),
});

export const ProposeGroupInput = z
  .object({
    slug: NewGroupSlug.describe("the group's short name in addresses, lowercase with hyphens, e.g. registry"),
    name: Line(120).min(1, 'must not be empty').describe("the group's name, e.g. Registry"),
    kind: GroupKind.describe(
      'working: a group that produces deliverables (artifacts, proposals); interest: one that surfaces problems and shares experience',
    ),
    mission: Prose(LIMITS.prose)
      .min(
        LIMITS.missionAtLeast,
        `must say in a sentence or more what problem space the group addresses (at least ${LIMITS.missionAtLeast} characters)`,
      )
      .describe("what problem space the group addresses, in a sentence or more (the charter's mission statement)"),
    scopeIn: z
      .array(Prose(LIMITS.short).min(1))
      .min(1, 'must list at least one thing in scope')
      .max(LIMITS.listItems)
      .describe('what the group works on, one entry each'),
    scopeOut: z
      .array(Prose(LIMITS.short).min(1))
      .max(LIMITS.listItems)
      .default([])
      .describe('what it leaves to others, one entry each'),
    relatedGroups: z
      .array(Line().min(1))
      .max(LIMITS.listItems)
      .default([])
      .describe('groups it works with, by name or slug'),
    leads: uniqueHandles(
      z.array(Handle).min(1, 'must name at least one lead or facilitator').max(LIMITS.people),
    ).describe(
      "handles of its leads or facilitators; each must hold the community's minimum role for leads; the proposer named leads at once, anyone else named is invited as a lead and leads once they accept",
    ),
  })
  .strict();
export type ProposeGroupInput = z.input<typeof ProposeGroupInput>;

export const CharterSectionInput = z
  .object({
    heading: Line().min(1, 'must name the section, e.g. "Mission Statement"'),
    markdown: Prose(LIMITS.document),
  })
  // a key that is no field is refused, as it is beside sections (attack round 18)
  .strict();

export const UpdateCharterInput = namingAChange(
  z
    .object({
      name: Line(120).min(1).optional(),
      sections: z
        .array(CharterSectionInput)
        .max(LIMITS.listItems)
        // one section named twice: the later text replaced the earlier without a word, so the first was
        // lost (attack round 31); which was meant is not guessed, as a key given twice is not
        .superRefine((sections, ctx) => {
          for (const [i, s] of sections.entries()) {
            if (typeof s?.heading !== 'string') continue;
            const j = sections.findIndex((t) => typeof t?.heading === 'string' && sameHeading(t.heading, s.heading));
            if (j < i)
              ctx.addIssue({
                code: 'custom',
                path: [i, 'heading'],
                message: `names the section '${s.heading}' again (sections[${j}] replaces it): send each section once, with all of its new text`,
              });
          }
        })
        .optional(),
      changelog: Prose(LIMITS.short).min(1, 'must say what changed').optional(),
    })
    .strict(),
);
export type UpdateCharterInput = z.input<typeof UpdateCharterInput>;

export const MoveGroupInput = z
  .object({ to: GroupStatus.describe('the status to move to: proposed → active (once sponsored) → retired') })
  .strict();

/** Asking the group's leads to become a member: what the person says about why (optional). */
export const MembershipRequestInput = z
  .object({
    note: Prose(LIMITS.short)
      .default('')
      .describe("what you would like the group's leads to know: what you work on, why membership"),
  })
  .strict();

/** A lead's answer: accepted (the person becomes a member) or declined, with a reason when declined. */
export const AnswerMembershipRequestInput = z
  .object({
    answer: z
      .enum(['accepted', 'declined'])
      .describe('accepted: the person becomes a member; declined: they stay as they are'),
    reason: Prose(LIMITS.short).min(1).optional().describe('why, for the person; needed to decline'),
  })
  .strict()
  .refine((a) => a.answer === 'accepted' || a.reason, {
    message: 'must say why the request is declined, for the person who asked',
    path: ['reason'],
  });

export const JoinGroupInput = z.object({ level: ParticipationLevel.default('participant') }).strict();
const LevelOffered = ParticipationLevel.describe(
  'observer (follows), participant (takes part, adds agenda items), member (their response counts in decisions) or lead (runs the group)',
);
/** What goes with an invitation: the lead's words to the person, and how many days it stays open. */
const InvitationMessage = Prose(LIMITS.short).describe(
  'what you would like the person to know about the invitation (kept for them, not in the public log)',
);
const InvitationDays = WholeNumber((n) =>
  n
    .min(1, 'must be at least 1 day')
    .max(
      LIMITS.invitationDays,
      `must be at most ${LIMITS.invitationDays} days (an invitation does not stay open longer)`,
    ),
).describe(
  `how many days the invitation stays open (1 to ${LIMITS.invitationDays}; ${LIMITS.invitationDefaultDays} unless given)`,
);

/**
 * A level set by those who may set the group's levels: a member's changes at once; for someone not in
 * the group it is an invitation they accept or decline (with the optional message and expiry).
 */
export const SetMemberLevelInput = z
  .object({
    level: LevelOffered,
    message: InvitationMessage.optional(),
    expiresInDays: InvitationDays.optional(),
  })
  .strict();

/** Inviting someone not in the group: they become part of it at this level only by accepting. */
export const InviteInput = z
  .object({
    handle: Handle.describe('the person invited'),
    level: LevelOffered,
    message: InvitationMessage.default(''),
    expiresInDays: InvitationDays.default(LIMITS.invitationDefaultDays),
  })
  .strict();

export const CreateTopicAreaInput = z
  .object({
    slug: Slug.describe("the topic area's short name in addresses, lowercase with hyphens, e.g. horizontal-scaling"),
    name: Line(120).min(1, 'must not be empty').describe("the topic area's name"),
    goal: TopicAreaGoal.describe(
      'the guide asks every topic area to say whether it agrees common patterns, changes the specification, or both',
    ),
    description: Prose(LIMITS.prose).default('').describe('what it covers; markdown'),
    cadence: Line().min(1).nullable().optional().describe('how often it meets, e.g. Fortnightly content meeting'),
    facilitators: uniqueHandles(
      z.array(Handle).min(1, 'must name at least one facilitator').max(LIMITS.people),
    ).describe('handles of the people who facilitate it'),
  })
  .strict();
export type CreateTopicAreaInput = z.input<typeof CreateTopicAreaInput>;

// A change names only what it changes: the description's default ('' on creation) must not
// come along, or a rename would wipe it (partial() keeps a field's default)
export const UpdateTopicAreaInput = namingAChange(
  CreateTopicAreaInput.omit({ slug: true })
    .extend({ description: Prose(LIMITS.prose).describe('what it covers; markdown') })
    .partial()
    .strict(),
);
