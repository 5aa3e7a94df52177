import { z } from 'zod';
import { CommunityRole, GroupStatus, ParticipationLevel } from '../community.ts';

const Agreement = z.object({
  title: z.string().min(1),
  version: z.string().min(1),
  url: z.url(),
});

export const PermissionRule = z
  .object({
    roles: z.array(CommunityRole).optional(),
    atLeast: CommunityRole.optional(),
    groupLevels: z.array(ParticipationLevel).optional(),
    self: z.boolean().optional(),
  })
  .strict()
  .refine((r) => r.roles || r.atLeast || r.groupLevels || r.self, 'must allow someone: give roles, atLeast, groupLevels or self');
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
] as const;
export type PermissionName = (typeof PERMISSION_NAMES)[number];

const Permissions = z
  .object(Object.fromEntries(PERMISSION_NAMES.map((n) => [n, PermissionRule])) as Record<PermissionName, typeof PermissionRule>)
  .strict();

export const GovernanceSchema = z
  .object({
    version: z.literal(1),
    agreements: z.object({ codeOfConduct: Agreement, contributionTerms: Agreement }).strict(),
    roleOrder: z
      .array(CommunityRole)
      .min(1)
      .refine((a) => new Set(a).size === a.length, 'must not repeat a role'),
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
      })
      .strict(),
    permissions: Permissions,
  })
  .strict();

export type Governance = z.infer<typeof GovernanceSchema>;
