import type { CommunityRole, ParticipationLevel } from '../community.ts';
import type { Governance, PermissionName, PermissionRule, Relation } from './schema.ts';
import { levelsNamed, roleName, withArticle } from './words.ts';

/** Who is acting, as far as permissions care. */
export type ActorFacts = {
  handle: string;
  role: CommunityRole;
  /** The actor's level in the group the action concerns, if any (emeritus members hold none). */
  groupLevel?: ParticipationLevel | null;
  /** The action is on the actor's own record. */
  isSelf?: boolean;
};

export function roleMeets(g: Governance, role: CommunityRole, atLeast: CommunityRole): boolean {
  const have = g.roleOrder.indexOf(role);
  const need = g.roleOrder.indexOf(atLeast);
  return have >= 0 && need >= 0 && have >= need;
}

export function ruleAllows(g: Governance, rule: PermissionRule, actor: ActorFacts): boolean {
  if (rule.roles?.includes(actor.role)) return true;
  if (rule.atLeast && roleMeets(g, actor.role, rule.atLeast)) return true;
  if (rule.groupLevels && actor.groupLevel && rule.groupLevels.includes(actor.groupLevel)) return true;
  if (rule.self && actor.isSelf) return true;
  return false;
}

/** How a relation to the thing reads in a rule's description ("comment.edit: its author"). */
export const RELATION_WORDS: Record<Relation, string> = {
  author: 'its author',
  sponsor: 'its sponsor',
  designee: 'the designated core maintainer',
  owner: 'its owner',
  self: 'the person themself',
};

/** A relation in this community's words: the escalation's designee holds its `candidateRole`. */
export function relationWords(g: Governance, r: Relation): string {
  return r === 'designee' ? `the designated ${roleName(g, g.decisions.escalation.candidateRole)}` : RELATION_WORDS[r];
}

/**
 * Plain words for a rule, used in 403 messages and on the "How we work" page, roles in the
 * governance file's words (`roleNames`). Relations come first: a rule given only by them
 * ("comment.edit: its author") read as nothing at all before.
 */
export function describeRule(g: Governance, rule: PermissionRule): string {
  const parts: string[] = [];
  for (const r of rule.relations ?? []) parts.push(relationWords(g, r));
  if (rule.self && !rule.relations?.includes('self')) parts.push('the person themself');
  if (rule.groupLevels?.length) parts.push(`a group ${levelsNamed(g, rule.groupLevels)}`);
  if (rule.roles?.length) parts.push(rule.roles.map((r) => withArticle(roleName(g, r))).join(' or '));
  if (rule.atLeast) parts.push(`anyone with the ${roleName(g, rule.atLeast)} role or above`);
  return parts.join(', or ');
}

export function permits(g: Governance, name: PermissionName, actor: ActorFacts): boolean {
  return ruleAllows(g, g.permissions[name], actor);
}
