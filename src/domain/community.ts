// The community's own vocabulary: roles on the contributor ladder, participation levels,
// group kinds and statuses, topic-area goals.
import { z } from 'zod';

export const COMMUNITY_ROLES = [
  'contributor',
  'member',
  'maintainer',
  'core-maintainer',
  'lead-maintainer',
  'moderator',
] as const;
export const CommunityRole = z.enum(COMMUNITY_ROLES);
export type CommunityRole = z.infer<typeof CommunityRole>;

export const PARTICIPATION_LEVELS = ['observer', 'participant', 'member', 'lead'] as const;
export const ParticipationLevel = z.enum(PARTICIPATION_LEVELS);
export type ParticipationLevel = z.infer<typeof ParticipationLevel>;

export const GroupKind = z.enum(['working', 'interest']);
export type GroupKind = z.infer<typeof GroupKind>;

export const GROUP_STATUSES = ['proposed', 'active', 'retired'] as const;
export const GroupStatus = z.enum(GROUP_STATUSES);
export type GroupStatus = z.infer<typeof GroupStatus>;

/** The guide asks every topic area to say whether it agrees common patterns, changes the spec, or both. */
export const TopicAreaGoal = z.enum(['common-patterns', 'specification-change', 'both']);
export type TopicAreaGoal = z.infer<typeof TopicAreaGoal>;

export const Slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lowercase letters, digits and single hyphens, e.g. "server-card"')
  .max(64, 'must be at most 64 characters');

export const Handle = z
  .string()
  .regex(
    /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/,
    'must be a GitHub-style handle: letters, digits and hyphens, 1-39 characters, not starting with a hyphen',
  );

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/g, '');
}

/** What a level is called in a given kind of group: IGs say facilitator, WGs say lead. */
export function leadTitle(kind: GroupKind): string {
  return kind === 'working' ? 'Lead' : 'Facilitator';
}
