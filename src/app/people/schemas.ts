// Inputs of the people use cases (REST validates with them, OpenAPI and MCP publish them, the CLI maps flags onto them).
import { z } from 'zod';
import { CommunityRole, Handle } from '../../domain/community.ts';
import { LIMITS } from '../../domain/limits.ts';
import { IsoDate, Line, TimeZone } from '../core/schemas.ts';

export const AffiliationInput = z
  .object({
    organisation: Line(200).min(1, 'must name the organisation'),
    from: IsoDate.nullable().optional(),
    to: IsoDate.nullable().optional(),
  })
  .refine((a) => !a.from || !a.to || a.from <= a.to, { message: 'must not end before it starts', path: ['to'] });

export const CreatePersonInput = z.object({
  handle: Handle,
  name: Line(200).min(1, 'must not be empty'),
  timeZone: TimeZone,
  role: CommunityRole.default('contributor'),
  github: Line(100).min(1).nullable().optional(),
  discord: Line(100).min(1).nullable().optional(),
  /** Never shown; a sign-in whose provider verified this address links to this person. */
  email: z.email('must be an e-mail address').max(254).nullable().optional(),
  affiliations: z.array(AffiliationInput).max(LIMITS.affiliations).default([]),
});
export type CreatePersonInput = z.input<typeof CreatePersonInput>;

export const UpdatePersonInput = z
  .object({
    name: Line(200).min(1, 'must not be empty'),
    timeZone: TimeZone,
    github: Line(100).min(1).nullable(),
    discord: Line(100).min(1).nullable(),
    email: z.email('must be an e-mail address').max(254).nullable(),
    affiliations: z.array(AffiliationInput).max(LIMITS.affiliations),
  })
  .partial()
  .strict();
export type UpdatePersonInput = z.input<typeof UpdatePersonInput>;

export const SetRoleInput = z.object({ role: CommunityRole }).strict();

export const AcceptAgreementsInput = z
  .object({
    codeOfConduct: Line(100).min(1, 'must be the version of the Code of Conduct you accept'),
    contributionTerms: Line(100).min(1, 'must be the version of the contribution terms you accept'),
  })
  .strict();

export const CreateTokenInput = z.object({ label: Line(100).min(1).default('api') }).strict();
