// Inputs of the people use cases (REST validates with them, OpenAPI and MCP publish them, the CLI maps flags onto them).
import { z } from 'zod';
import { CommunityRole, Handle } from '../../domain/community.ts';
import { IsoDate, TimeZone } from '../core/schemas.ts';

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

export const CreateTokenInput = z.object({ label: z.string().trim().min(1).max(100).default('api') }).strict();
