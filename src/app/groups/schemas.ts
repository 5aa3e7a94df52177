// Inputs of the group, charter and topic-area use cases.
import { z } from 'zod';
import { GroupKind, GroupStatus, Handle, ParticipationLevel, Slug, TopicAreaGoal } from '../../domain/community.ts';
import { LIMITS } from '../../domain/limits.ts';
import { Line, ListQuery, Prose, uniqueHandles } from '../core/schemas.ts';

export const ListGroupsQuery = ListQuery.extend({ kind: GroupKind.optional(), status: GroupStatus.optional() });

export const ProposeGroupInput = z
  .object({
    slug: Slug,
    name: Line(120).min(1, 'must not be empty'),
    kind: GroupKind,
    mission: Prose(LIMITS.prose).min(
      20,
      'must say in a sentence or more what problem space the group addresses (at least 20 characters)',
    ),
    scopeIn: z.array(Prose(LIMITS.short).min(1)).min(1, 'must list at least one thing in scope').max(LIMITS.listItems),
    scopeOut: z.array(Prose(LIMITS.short).min(1)).max(LIMITS.listItems).default([]),
    relatedGroups: z.array(Line().min(1)).max(LIMITS.listItems).default([]),
    leads: uniqueHandles(z.array(Handle).min(1, 'must name at least one lead or facilitator').max(LIMITS.people)),
  })
  .strict();
export type ProposeGroupInput = z.input<typeof ProposeGroupInput>;

export const CharterSectionInput = z.object({
  heading: Line().min(1, 'must name the section, e.g. "Mission Statement"'),
  markdown: Prose(LIMITS.document),
});

export const UpdateCharterInput = z
  .object({
    name: Line(120).min(1).optional(),
    sections: z.array(CharterSectionInput).max(LIMITS.listItems).optional(),
    changelog: Prose(LIMITS.short).min(1, 'must say what changed').optional(),
  })
  .strict();
export type UpdateCharterInput = z.input<typeof UpdateCharterInput>;

export const MoveGroupInput = z.object({ to: GroupStatus }).strict();

export const JoinGroupInput = z.object({ level: ParticipationLevel.default('participant') }).strict();
export const SetMemberLevelInput = z.object({ level: ParticipationLevel }).strict();

export const CreateTopicAreaInput = z
  .object({
    slug: Slug,
    name: Line(120).min(1, 'must not be empty'),
    goal: TopicAreaGoal.describe(
      'the guide asks every topic area to say whether it agrees common patterns, changes the specification, or both',
    ),
    description: Prose(LIMITS.prose).default(''),
    cadence: Line().min(1).nullable().optional(),
    facilitators: uniqueHandles(z.array(Handle).min(1, 'must name at least one facilitator').max(LIMITS.people)),
  })
  .strict();
export type CreateTopicAreaInput = z.input<typeof CreateTopicAreaInput>;

export const UpdateTopicAreaInput = CreateTopicAreaInput.omit({ slug: true }).partial().strict();
