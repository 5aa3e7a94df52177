// How the community's GitHub maps onto the hub: which repositories are mirrored, which label
// stands for which stage, which team holds which role (and so who may sponsor), which Discussion
// category holds meeting notes, agendas and quarterly updates, and where SEP files live. The
// credentials are not here: they come from the environment (see app/github/config.ts).
import { z } from 'zod';
import { CommunityRole } from '../community.ts';

const RepoName = z
  .string()
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/, 'must be owner/name as GitHub spells it');

/** "owner/name" as Octokit's routes take it: two parts (the governance file's names always have both). */
export function ownerAndName(repo: string): [owner: string, name: string] {
  const [owner = '', name = ''] = repo.split('/');
  return [owner, name];
}

export const GithubRepository = z
  .object({
    name: RepoName,
    /** Opt-in: the hub writes labels, its status comment, outcomes and notes back to this repository. */
    writeBack: z.boolean().default(false),
    /** Mirror every issue too, not only pull requests. */
    issues: z.boolean().default(true),
  })
  .strict();
export type GithubRepository = z.infer<typeof GithubRepository>;

export const GithubMapping = z
  .object({
    // a bare `- owner/name` is that repository with the defaults (write-back off, issues on)
    repositories: z
      .array(z.preprocess((v) => (typeof v === 'string' ? { name: v } : v), GithubRepository))
      .max(50)
      .default([]),
    /** A SEP file's path; {number} is the PR number, {slug} anything without a slash. */
    sepPath: z
      .string()
      .min(1)
      .refine((s) => s.includes('{number}'), 'must contain {number}')
      .default('seps/{number}-{slug}.md'),
    /** Stage → the label that shows it, per route; a label never names two stages. */
    labels: z
      .object({
        sep: z.record(z.string().min(1), z.string().min(1)).default({}),
        contribution: z.record(z.string().min(1), z.string().min(1)).default({}),
        /** Labels that mark a pull request as a SEP even before its file is found. */
        sepMarkers: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .default({ sep: {}, contribution: {}, sepMarkers: [] }),
    teams: z
      .array(
        z
          .object({
            org: z.string().min(1),
            team: z.string().min(1),
            role: CommunityRole,
          })
          .strict(),
      )
      .default([]),
    discussionCategories: z
      .object({
        notes: z.string().min(1).optional(),
        agendas: z.string().min(1).optional(),
        quarterly: z.string().min(1).optional(),
      })
      .strict()
      .default({}),
    /** How often the reconcile runs (a sync of every repository, then a write-back check). */
    reconcileEveryMinutes: z
      .number()
      .int()
      .min(5)
      .max(7 * 24 * 60)
      .default(60),
    /** Where people see GitHub (the links to originals); the API address is deployment config. */
    webUrl: z.url().default('https://github.com'),
  })
  .strict()
  .superRefine((g, ctx) => {
    for (const route of ['sep', 'contribution'] as const) {
      const seen = new Map<string, string>();
      for (const [stage, label] of Object.entries(g.labels[route])) {
        const other = seen.get(label.toLowerCase());
        if (other)
          ctx.addIssue({
            code: 'custom',
            path: ['labels', route, stage],
            message: `label '${label}' already stands for stage '${other}'; one label names one stage`,
          });
        seen.set(label.toLowerCase(), stage);
      }
    }
    const names = g.repositories.map((r) => r.name.toLowerCase());
    if (new Set(names).size !== names.length)
      ctx.addIssue({ code: 'custom', path: ['repositories'], message: 'must not name a repository twice' });
  });
export type GithubMapping = z.infer<typeof GithubMapping>;

export function sepPathPattern(pattern: string): RegExp {
  const esc = pattern.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  return new RegExp(`^${esc.replace('{number}', '(\\d+)').replace('{slug}', '[^/]+')}$`);
}

/** The SEP number a changed file's path names, if it is a SEP file. */
export function sepNumberOfPath(pattern: string, file: string): number | null {
  const m = sepPathPattern(pattern).exec(file);
  return m ? Number(m[1]) : null;
}

/** The stage a set of labels names on a route (the first mapped label wins), or null. */
export function stageOfLabels(g: GithubMapping, route: 'sep' | 'contribution', labels: string[]): string | null {
  const lower = new Set(labels.map((l) => l.toLowerCase()));
  for (const [stage, label] of Object.entries(g.labels[route])) if (lower.has(label.toLowerCase())) return stage;
  return null;
}
