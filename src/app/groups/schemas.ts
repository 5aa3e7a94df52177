// Inputs of the group, charter and topic-area use cases.
import { z } from 'zod';
import { GroupKind, GroupStatus, Handle, ParticipationLevel, Slug, TopicAreaGoal } from '../../domain/community.ts';
import { ListQuery } from '../core/schemas.ts';

export const ListGroupsQuery = ListQuery.extend({ kind: GroupKind.optional(), status: GroupStatus.optional() });

export const ProposeGroupInput = z
  .object({
    slug: Slug,
    name: z.string().trim().min(1, 'must not be empty').max(120),
    kind: GroupKind,
    mission: z
      .string()
      .trim()
      .min(20, 'must say in a sentence or more what problem space the group addresses (at least 20 characters)'),
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
    goal: TopicAreaGoal.describe(
      'the guide asks every topic area to say whether it agrees common patterns, changes the specification, or both',
    ),
    description: z.string().trim().default(''),
    cadence: z.string().trim().min(1).nullable().optional(),
    facilitators: z.array(Handle).min(1, 'must name at least one facilitator'),
  })
  .strict();
export type CreateTopicAreaInput = z.input<typeof CreateTopicAreaInput>;

export const UpdateTopicAreaInput = CreateTopicAreaInput.omit({ slug: true }).partial().strict();
