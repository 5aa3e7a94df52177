// A permission from the governance file, checked for a viewer and their standing, with the
// refusal worded for people: "Only the proposal's authors, its sponsor or a group lead may edit it".
import type { CommunityRole, ParticipationLevel } from '../community.ts';
import { relationWords, roleMeets } from '../governance/permissions.ts';
import { levelName, roleName, withArticle } from '../governance/words.ts';
import type { Governance, PermissionName, PermissionRule, Relation } from '../governance/schema.ts';
import { ALLOWED, refused, type Refusal, type Verdict } from './verdict.ts';
import type { Standing, Viewer } from './viewer.ts';
import { WORDING } from './wording.ts';

/** How an action reads in a refusal, and how the thing's relations are named. */
export type Wording = {
  /** "edit it", "vote on this decision" */
  doing: string;
  /** Names for the relations this permission may list, e.g. { author: "the proposal's authors" }. */
  relations?: Partial<Record<Relation, string>>;
};

function orList(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/** Levels in a group by the community's names for them ("a group voting member or chair"). */
function levels(g: Governance, ls: readonly ParticipationLevel[]): string {
  return `a group ${orList(ls.map((l) => levelName(g, l)))}`;
}

/**
 * A role on the contributor ladder by the governance file's name for it, said to be the ladder's when a
 * level in a group goes by the same name ("member"): "Only a member or above may propose a group" read
 * to a contributor in a group as the group's level.
 */
function ladderRole(g: Governance, role: CommunityRole): string {
  const name = roleName(g, role);
  const clash = g.membership.levels.some((l) => levelName(g, l).toLowerCase() === name.toLowerCase());
  return clash ? `${withArticle(name)} or above on the contributor ladder` : `${withArticle(name)} or above`;
}

/** Who a rule lets act, in plain words and the governance file's role names ("its sponsor, a group lead or a moderator"). */
export function whoMay(g: Governance, rule: PermissionRule, wording?: Wording): string {
  const parts: string[] = [];
  for (const r of rule.relations ?? []) parts.push(wording?.relations?.[r] ?? relationWords(g, r));
  if (rule.self && !rule.relations?.includes('self')) parts.push(relationWords(g, 'self'));
  if (rule.groupLevels?.length) parts.push(levels(g, rule.groupLevels));
  if (rule.atLeast) parts.push(ladderRole(g, rule.atLeast));
  if (rule.roles?.length) parts.push(...rule.roles.map((r) => withArticle(roleName(g, r))));
  return orList(parts);
}

export function ruleAllowsStanding(g: Governance, rule: PermissionRule, role: CommunityRole, s: Standing): boolean {
  const rel = s.relations ?? [];
  if (rule.relations?.some((r) => rel.includes(r))) return true;
  if (rule.self && rel.includes('self')) return true;
  if (rule.roles?.includes(role)) return true;
  if (rule.atLeast && roleMeets(g, role, rule.atLeast)) return true;
  if (rule.groupLevels && s.groupLevel && rule.groupLevels.includes(s.groupLevel)) return true;
  return false;
}

export type CheckOptions = {
  /** Said to the operator when only a person can do this ("Votes come from a person"). */
  personOnly?: string;
  /** Contributing (proposing, commenting, responding) needs the current agreements accepted. */
  contributes?: boolean;
};

/** Sign in first; then the agreements; then the governance file's rule for this permission. */
export function checkPermission(
  g: Governance,
  name: PermissionName,
  viewer: Viewer,
  standing: Standing,
  wording: Wording = WORDING[name],
  opts: CheckOptions = {},
): Verdict {
  if (viewer.kind === 'visitor') return refused('Sign in first', 'sign-in');
  if (viewer.kind === 'operator')
    return opts.personOnly ? refused(`${opts.personOnly}: act as one with --as HANDLE`) : ALLOWED;
  if (opts.contributes && !viewer.agreed) return refused(agreementsFirst(g), 'accept-agreements');
  const rule = g.permissions[name];
  if (ruleAllowsStanding(g, rule, viewer.role, standing)) return ALLOWED;
  return refused(`Only ${whoMay(g, rule, wording)} may ${wording.doing}`);
}

/** Whether a permission is open to every signed-in person, whatever their role or level in a group. */
export function openToEveryone(g: Governance, name: PermissionName): boolean {
  const rule = g.permissions[name];
  const lowest = g.roleOrder[0];
  return lowest !== undefined && ruleAllowsStanding(g, rule, lowest, {});
}

export function agreementsFirst(g: Governance): string {
  return `Accept the ${g.agreements.codeOfConduct.title} and the contribution terms first`;
}

/**
 * Why someone who is not a person may not do what a person does as themself (a vote, a comment,
 * a sponsorship, joining, their inbox). The permissions that are a person's own pass `personOnly`
 * to checkPermission; the gate gives this when it hands the person acting to the use case.
 */
export function notAPerson(viewer: Exclude<Viewer, { kind: 'person' }>): Refusal {
  return viewer.kind === 'visitor'
    ? refused('Sign in first', 'sign-in')
    : refused('This is done by a person, as themself: act as one with --as HANDLE');
}
