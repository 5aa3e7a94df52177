// Inputs of the people use cases (REST validates with them, OpenAPI and MCP publish them, the CLI maps flags onto them).
import { z } from 'zod';
import { CommunityRole, NewHandle } from '../../domain/community.ts';
import { LIMITS } from '../../domain/limits.ts';
import { IsoDate, Line, TimeZone, namingAChange } from '../core/schemas.ts';

const { first, last } = LIMITS.affiliationYears;
/** The rule a day with an organisation keeps: within the years `LIMITS.affiliationYears` bounds. */
export const affiliationDateRule = `must be a day between ${first}-01-01 and ${last}-12-31`;
export const inAffiliationYears = (d: string): boolean =>
  Number(d.slice(0, 4)) >= first && Number(d.slice(0, 4)) <= last;
/**
 * A day with an organisation: a real date. Its years are checked by the use case (writeAffiliations),
 * not here: a day stored before the bounds and sent back unchanged with its organisation is kept, so
 * its person can still save their profile (the web form resends every affiliation it does not show).
 */
const AffiliationDate = IsoDate.describe(`YYYY-MM-DD, between ${first}-01-01 and ${last}-12-31`);

/**
 * A claim link takes nothing but whose it is (the address names them): a body with fields is refused
 * naming them, as every other input refuses a key that is no field; before, any body was ignored
 * without a word, so `{"expiresInDays": 30}` issued the usual seven-day link (attack round 18).
 */
export const IssueClaimInput = z.object({}).strict();

export const AffiliationInput = z
  .object({
    // a new organisation's name needs a letter or a digit (ensureOrganisation), but one recorded
    // before that rule is still named as it was, so its people can save their profiles
    organisation: Line(200).min(1, 'must name the organisation').describe('the organisation, by name'),
    from: AffiliationDate.nullable().optional().describe('the day they joined it, YYYY-MM-DD'),
    to: AffiliationDate.nullable().optional().describe('the day they left it, YYYY-MM-DD; null: they are with it now'),
  })
  // a key that is no field is refused, not dropped: "form" for "from" saved an affiliation without
  // its date without a word (attack round 18)
  .strict()
  .refine((a) => !a.from || !a.to || a.from <= a.to, { message: 'must not end before it starts', path: ['to'] });

export const CreatePersonInput = z
  .object({
    handle: NewHandle.describe('their handle here, usually their GitHub login'),
    name: Line(LIMITS.personName).min(1, 'must not be empty').describe('their name as they write it'),
    timeZone: TimeZone.describe('their IANA time zone, e.g. Europe/Berlin or UTC'),
    role: CommunityRole.default('contributor').describe('their role on the contributor ladder'),
    github: Line(100).min(1).nullable().optional().describe('their GitHub login'),
    discord: Line(100).min(1).nullable().optional().describe('their Discord name'),
    /** Never shown; a sign-in whose provider verified this address links to this person. */
    email: z
      .email('must be an e-mail address')
      .max(254)
      .nullable()
      .optional()
      .describe('never shown; a sign-in whose provider verified this address links to this person'),
    affiliations: z
      .array(AffiliationInput)
      .max(LIMITS.affiliations)
      .default([])
      .describe('the organisations they work for, with dates'),
  })
  .strict();
export type CreatePersonInput = z.input<typeof CreatePersonInput>;

export const UpdatePersonInput = namingAChange(
  z
    .object({
      name: Line(LIMITS.personName).min(1, 'must not be empty').describe('the name as they write it'),
      timeZone: TimeZone.describe('the IANA time zone, e.g. Europe/Berlin or UTC'),
      github: Line(100).min(1).nullable().describe('the GitHub login; null clears it'),
      discord: Line(100).min(1).nullable().describe('the Discord name; null clears it'),
      email: z
        .email('must be an e-mail address')
        .max(254)
        .nullable()
        .describe('never shown; a sign-in whose provider verified this address links to this person'),
      affiliations: z
        .array(AffiliationInput)
        .max(LIMITS.affiliations)
        .describe('the whole list of organisations with dates, replacing the one kept'),
    })
    .partial()
    .strict(),
);
export type UpdatePersonInput = z.input<typeof UpdatePersonInput>;

export const SetRoleInput = z.object({ role: CommunityRole }).strict();

export const AcceptAgreementsInput = z
  .object({
    codeOfConduct: Line(100).min(1, 'must be the version of the Code of Conduct you accept'),
    contributionTerms: Line(100).min(1, 'must be the version of the contribution terms you accept'),
  })
  .strict();

export const CreateTokenInput = z.object({ label: Line(100).min(1).default('api') }).strict();

export const ConfirmEmailInput = z
  .object({
    token: z
      .string()
      .min(1, 'must be the token from the confirmation link (the part after /confirm-email/)')
      .max(100)
      .describe('the token at the end of the confirmation link the hub mailed (after /confirm-email/)'),
  })
  .strict();
