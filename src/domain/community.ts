// The community's own vocabulary: roles on the contributor ladder, participation levels,
// group kinds and statuses, topic-area goals.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { slugAsStored } from './slugs.ts';

export { slugAsStored };

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
  // an empty short name is told it is missing, not that its (no) characters are wrong
  .min(1, { message: 'must not be empty', abort: true })
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lowercase letters, digits and single hyphens, e.g. "server-card"')
  .max(64, 'must be at most 64 characters');

/**
 * A group's or topic area's short name as someone names one that exists (a REST path or body, an MCP
 * tool's argument, a CLI argument, a query filter): the one resolver every edge reads it through. Capitals
 * are read as the lowercase the short name is stored in (`Hosting` names hosting), ASCII letters only, as
 * `slugAsStored` folds them; anything else a short name never holds is refused naming the rule. A new
 * short name (`Slug`, `NewGroupSlug`) is given in lowercase.
 */
export const SlugRef = z
  .string()
  .min(1, { message: 'must not be empty', abort: true })
  .regex(
    /^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/,
    'must be letters, digits and single hyphens (capitals read as lowercase), e.g. "server-card"',
  )
  .max(64, 'must be at most 64 characters')
  .overwrite(slugAsStored);

/**
 * A new group's short name: not "new", the address of the page that proposes a group (/groups/new).
 * A group named so had no page: its every link opened the proposal form (attack round 19).
 */
export const NewGroupSlug = Slug.refine((s) => s !== 'new', {
  message: 'is taken by the page that proposes a group (/groups/new); choose another short name',
});

/** A handle written as a mention, "@" then a handle (bounded, so the refusal echoes at most 39 characters). */
const HANDLE_MENTIONED = /^@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

export const Handle = z
  .string()
  // left empty in a form, the field is missing, not misspelt: the format rule alone read as a typo to fix
  .min(1, { message: 'is required: a handle, as a name shows it after @', abort: true })
  // a handle as a mention writes it (@sam), which the web's forms read as sam and an assistant sends
  // as its person wrote it: said what to send, where the format rule alone left it to guess
  .refine((v) => !HANDLE_MENTIONED.test(v), {
    error: (issue) => `is written without the "@": send "${String(issue.input).slice(1)}"`,
    abort: true,
  })
  .regex(
    /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/,
    'must be a GitHub-style handle: letters, digits and hyphens, 1-39 characters, not starting with a hyphen',
  );

/**
 * Handles nobody new may take, in any case, and why. Columns that record who acted (opened by,
 * recorded by, withdrawn by) store 'operator' for the hub's operator, so a person holding that handle
 * would be taken for the operator there. 'new' is the address of the page that adds a person
 * (/people/new): a person holding it had no page, their every link opening that form (attack round 19).
 */
const RESERVED_HANDLES: Readonly<Record<string, string>> = {
  operator: '"operator" stands for the hub\'s operator in the records',
  new: '"new" is the address of the page that adds a person (/people/new)',
};

export const isReservedHandle = (handle: string): boolean => Object.hasOwn(RESERVED_HANDLES, handle.toLowerCase());

/**
 * GitHub's rule for a login, which a new handle follows: letters, digits and single hyphens, not at
 * either end, at most 39 characters. Handles are mirrored to GitHub logins (a person's handle is
 * usually their login, and the mirror links them), and `Handle` let a new one hold runs of hyphens
 * or end in one ("ana--", "a--b"), which no GitHub account can have (attack round 18). `Handle`
 * stays as wide as it was for every handle already stored (GitHub's older logins among them), so
 * reading, naming or linking to one is never refused.
 */
const GITHUB_LOGIN = /^[A-Za-z0-9](?:-?[A-Za-z0-9])*$/;
const GITHUB_LOGIN_RULE =
  'must be a GitHub login: letters, digits and single hyphens, 1-39 characters, not starting or ending with a hyphen';

/** A handle a new person may take: a GitHub login that is not reserved. */
export const NewHandle = z
  .string()
  .regex(GITHUB_LOGIN, GITHUB_LOGIN_RULE)
  .max(39, GITHUB_LOGIN_RULE)
  .superRefine((h, ctx) => {
    const why = isReservedHandle(h) ? RESERVED_HANDLES[h.toLowerCase()] : undefined;
    if (why) ctx.addIssue({ code: 'custom', message: `is reserved: ${why}; choose another handle` });
  });

/**
 * A name as people read it, for telling two apart: compatibility forms folded (NFKC: a full-width or
 * mathematical letter is the letter), without case, characters that draw nothing, or runs of spaces.
 * "Hosting", "hosting " and "Ｈｏｓｔｉｎｇ" read as one name (attack round 17: a member proposed a
 * second group named "Hosting", and forms offered the two under one label).
 */
export function nameKey(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\p{Default_Ignorable_Code_Point}/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}

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

/**
 * The handle a person named in a file (a charter's table, a SEP's header) is known by: their GitHub
 * handle, else one made from their name; null when neither makes a handle (the row stays text), or
 * when their GitHub login is reserved ('operator', 'new'; made from the name, the row would name
 * someone else, and the login would be on two people).
 */
export function personKey(name: string, github: string | null): string | null {
  if (github && isReservedHandle(github)) return null;
  // a login GitHub gave, whatever its rule was then (older logins may hold runs of hyphens)
  if (github && Handle.safeParse(github).success) return github;
  const s = slugify(name);
  return s && NewHandle.safeParse(s).success ? s : null;
}

/**
 * An organisation's slug: its name's letters and digits, case, accents and punctuation aside, so
 * "Nebula Tools" and "nebula-tools" are one organisation. A name with letters a slug cannot spell
 * (日本語の会社, Яндекс, a name partly in them) keeps its slug's readable part and adds a short
 * hash of all its letters, so two such names never become one organisation; before, every one of
 * them was "unnamed", a single organisation, and votes weighed per organisation counted them as one.
 */
export function organisationSlug(name: string): string {
  const key = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
  const readable = slugify(name);
  if (/^[a-z0-9]*$/.test(key)) return readable || 'unnamed';
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 8);
  return `${readable.slice(0, 55).replace(/-+$/, '') || 'org'}-${hash}`;
}

/** What a level is called in a given kind of group: IGs say facilitator, WGs say lead. */
export function leadTitle(kind: GroupKind): string {
  return kind === 'working' ? 'Lead' : 'Facilitator';
}
