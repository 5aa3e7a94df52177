import type { z } from 'zod';
import { ruleOf } from '../rule-wording.ts';
import { GovernanceSchema, type Governance } from './schema.ts';

export class GovernanceError extends Error {
  readonly problems: string[];
  constructor(source: string, problems: string[]) {
    super(`governance file ${source} is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

function keyPath(path: readonly PropertyKey[]): string {
  return (
    path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '') || '(top level)'
  );
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `${keyPath(issue.path)}: unknown key(s) ${issue.keys.join(', ')}`;
  return `${keyPath(issue.path)}: ${ruleOf(issue)}`;
}

/** Validates parsed governance data; rules that relate keys to each other are checked after the shape. */
export function validateGovernance(data: unknown, source: string): Governance {
  const parsed = GovernanceSchema.safeParse(data);
  if (!parsed.success) throw new GovernanceError(source, parsed.error.issues.map(describe));
  const g = parsed.data;
  const problems: string[] = [];
  g.membership.decayingLevels.forEach((l, i) => {
    if (!g.membership.levels.includes(l))
      problems.push(`membership.decayingLevels[${i}]: '${l}' is not one of membership.levels`);
  });
  g.membership.selfServiceLevels.forEach((l, i) => {
    if (!g.membership.levels.includes(l))
      problems.push(`membership.selfServiceLevels[${i}]: '${l}' is not one of membership.levels`);
  });
  g.groups.transitions.forEach((t, i) => {
    if (t.from === t.to) problems.push(`groups.transitions[${i}]: from and to must differ`);
  });
  for (const [name, rule] of Object.entries(g.permissions)) {
    if (rule.atLeast && !g.roleOrder.includes(rule.atLeast))
      problems.push(`permissions.${name}.atLeast: '${rule.atLeast}' is not in roleOrder`);
  }
  if (!g.roleOrder.includes(g.groups.leadMinimumRole))
    problems.push(`groups.leadMinimumRole: '${g.groups.leadMinimumRole}' is not in roleOrder`);
  for (const [id, route] of Object.entries(g.proposals.routes)) {
    const stages = new Set(route.stages);
    if (!stages.has(route.initial))
      problems.push(`proposals.routes.${id}.initial: '${route.initial}' is not one of its stages`);
    route.closed.forEach((s, i) => {
      if (!stages.has(s)) problems.push(`proposals.routes.${id}.closed[${i}]: '${s}' is not one of its stages`);
    });
    for (const s of Object.keys(route.guidance ?? {}))
      if (!stages.has(s)) problems.push(`proposals.routes.${id}.guidance.${s}: '${s}' is not one of its stages`);
    route.transitions.forEach((t, i) => {
      t.from.forEach((f, j) => {
        if (!stages.has(f))
          problems.push(`proposals.routes.${id}.transitions[${i}].from[${j}]: '${f}' is not one of its stages`);
      });
      if (!stages.has(t.to))
        problems.push(`proposals.routes.${id}.transitions[${i}].to: '${t.to}' is not one of its stages`);
    });
  }
  const layerIds = g.proposals.layers.map((l) => l.id);
  if (new Set(layerIds).size !== layerIds.length) problems.push('proposals.layers: must not repeat a layer');
  if (problems.length) throw new GovernanceError(source, problems);
  // the guide's own links (its Discord, tracker and forum) are the MCP community's: a community
  // working on another protocol that names none gets none, not MCP's
  const named = typeof data === 'object' && data !== null && 'gettingStarted' in data;
  if (!named && g.community.protocol !== 'MCP') return { ...g, gettingStarted: {} };
  return g;
}
