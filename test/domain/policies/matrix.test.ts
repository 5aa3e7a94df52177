// A role × action matrix generated from the governance file: for every permission, someone the
// rule names is allowed and someone it does not name is refused, with a reason in the
// community's words (never the permission's id).
import { describe, expect, it } from 'vitest';
import { loadGovernance } from '../../../src/app/core/governance-file.ts';
import { ALL_PERMISSION_NAMES, type PermissionRule, validateGovernance } from '../../../src/domain/governance/index.ts';
import { checkPermission, type Standing, type Viewer } from '../../../src/domain/policies/index.ts';

const g = loadGovernance();

const person = (role: string, agreed = true): Viewer => ({ kind: 'person', handle: 'x', role: role as never, agreed });

/** Someone the rule names: by relation, group level, role or role order, in that order. */
function allowedOne(rule: PermissionRule): { viewer: Viewer; standing: Standing } {
  if (rule.relations?.length) return { viewer: person('contributor'), standing: { relations: [rule.relations[0]!] } };
  if (rule.self) return { viewer: person('contributor'), standing: { relations: ['self'] } };
  if (rule.groupLevels?.length)
    return { viewer: person('contributor'), standing: { groupLevel: rule.groupLevels[0]! } };
  if (rule.roles?.length) return { viewer: person(rule.roles[0]!), standing: {} };
  return { viewer: person(rule.atLeast!), standing: {} };
}

/** Someone it does not name: the lowest role not covered, with no level and no relation; or a visitor. */
function refusedOne(rule: PermissionRule): Viewer {
  const open = g.roleOrder.find(
    (r) => !rule.roles?.includes(r) && !(rule.atLeast && g.roleOrder.indexOf(r) >= g.roleOrder.indexOf(rule.atLeast)),
  );
  return open ? person(open) : { kind: 'visitor' };
}

describe('every permission in the governance file', () => {
  it.each(ALL_PERMISSION_NAMES.map((n) => [n]))('%s: one allowed, one refused in plain words', (name) => {
    const rule = g.permissions[name];
    const ok = allowedOne(rule);
    expect(checkPermission(g, name, ok.viewer, ok.standing)).toEqual({ allowed: true });
    const no = checkPermission(g, name, refusedOne(rule), {});
    expect(no.allowed).toBe(false);
    if (no.allowed) return;
    expect(no.reason).toMatch(/^(Only |Sign in first)/);
    expect(no.reason).not.toContain(name);
    expect(no.reason).not.toMatch(/\/api\/|POST |\bundefined\b/);
  });

  it('names relations the way people say them', () => {
    expect(checkPermission(g, 'proposal.edit', person('member'), { groupLevel: 'member' })).toEqual({
      allowed: false,
      reason: "Only the proposal's authors, its sponsor, a group lead or a moderator may edit it",
    });
    expect(checkPermission(g, 'decision.guide', person('core-maintainer'), {})).toMatchObject({
      reason: 'Only the designated core maintainer may give the guidance',
    });
  });

  it('contributing needs the agreements first; the operator needs --as only where a person must act', () => {
    expect(
      checkPermission(g, 'decision.respond', person('member', false), {}, undefined, { contributes: true }),
    ).toEqual({
      allowed: false,
      reason: 'Accept the MCP Code of Conduct and the contribution terms first',
      remedy: 'accept-agreements',
    });
    expect(checkPermission(g, 'meeting.publishAgenda', { kind: 'operator' }, {})).toEqual({ allowed: true });
    expect(
      checkPermission(g, 'decision.vote', { kind: 'operator' }, {}, undefined, {
        personOnly: 'Votes come from a person',
      }),
    ).toMatchObject({ allowed: false, reason: 'Votes come from a person: act as one with --as HANDLE' });
  });

  it('a governance file written before a permission existed still loads, with today’s rule', () => {
    const { 'decision.vote': _vote, 'proposal.edit': _edit, ...older } = g.permissions;
    const reloaded = validateGovernance({ ...g, permissions: older }, 'older.yaml');
    expect(reloaded.permissions['decision.vote']).toEqual({ groupLevels: ['member', 'lead'] });
    expect(reloaded.permissions['proposal.edit']).toEqual({
      relations: ['author', 'sponsor'],
      groupLevels: ['lead'],
      roles: ['moderator'],
    });
  });
});
