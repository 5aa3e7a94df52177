import { describe, expect, it } from 'vitest';
import { loadGovernance } from '../../src/app/core/governance-file.ts';
import { checkGroupMove, membershipStanding, sponsorshipState } from '../../src/domain/groups.ts';
import { groupMoveTo } from '../../src/domain/policies/index.ts';
import { affiliationOn, missingAgreements } from '../../src/domain/people.ts';

const g = loadGovernance();

describe('group sponsorship and status', () => {
  it('two core maintainers or one lead maintainer meet the rule; one core maintainer does not', () => {
    expect(sponsorshipState(g, [{ handle: 'a', role: 'core-maintainer' }]).met).toBe(false);
    expect(
      sponsorshipState(g, [
        { handle: 'a', role: 'core-maintainer' },
        { handle: 'b', role: 'core-maintainer' },
      ]).met,
    ).toBe(true);
    expect(sponsorshipState(g, [{ handle: 'c', role: 'lead-maintainer' }]).met).toBe(true);
    expect(
      sponsorshipState(g, [
        { handle: 'm', role: 'maintainer' },
        { handle: 'n', role: 'maintainer' },
      ]).met,
    ).toBe(false);
  });

  it('activation without sponsorship is refused with the rule and what the group has', () => {
    const v = checkGroupMove(g, 'proposed', 'active', [{ handle: 'x', role: 'core-maintainer' }]);
    expect(v.ok).toBe(false);
    if (!v.ok) {
      expect(v.kind).toBe('unsponsored');
      expect(v.message).toContain('2 core maintainers or 1 lead maintainer');
      expect(v.message).toContain('x (core maintainer)');
    }
  });

  it('an illegal move lists the moves allowed from here and who may make them', () => {
    expect(checkGroupMove(g, 'retired', 'active', [])).toMatchObject({
      ok: false,
      message: expect.stringMatching(/from retired it may move to: none/),
    });
    expect(checkGroupMove(g, 'active', 'proposed', [])).toMatchObject({
      ok: false,
      message: expect.stringMatching(/retired \(by a core maintainer or a lead maintainer\)/),
    });
  });

  it('a member cannot activate a group even when sponsored: the group policy says who may', () => {
    const member = { kind: 'person', handle: 'x', role: 'member', agreed: true } as const;
    expect(groupMoveTo(g, member, 'proposed', 'active')).toEqual({
      allowed: false,
      reason: 'Only a core maintainer or a lead maintainer may move a proposed group to active',
    });
    expect(groupMoveTo(g, { ...member, role: 'lead-maintainer' }, 'proposed', 'active')).toEqual({ allowed: true });
    expect(groupMoveTo(g, member, 'active', 'proposed')).toBeNull();
  });
});

describe('membership decay', () => {
  const base = { level: 'member' as const, emeritus: false, lastActiveAt: '2026-01-01T00:00:00.000Z' };
  it('a member is active until the inactivity period has passed, then emeritus since that day', () => {
    expect(membershipStanding(g, base, new Date('2026-03-31T23:59:59Z')).emeritus).toBe(false);
    const s = membershipStanding(g, base, new Date('2026-04-01T00:00:00Z'));
    expect(s).toEqual({
      level: 'member',
      emeritus: true,
      emeritusSince: '2026-04-01T00:00:00.000Z',
      activeLevel: null,
    });
  });
  it('leads and participants do not decay under the default rules', () => {
    expect(membershipStanding(g, { ...base, level: 'lead' }, new Date('2027-01-01')).emeritus).toBe(false);
    expect(membershipStanding(g, { ...base, level: 'participant' }, new Date('2027-01-01')).emeritus).toBe(false);
  });
});

describe('people', () => {
  it('lists the agreements still to accept, in their current versions', () => {
    expect(missingAgreements(g, { cocVersion: null, termsVersion: 'MIT' }).map((m) => m.agreement)).toEqual([
      'codeOfConduct',
    ]);
    expect(missingAgreements(g, { cocVersion: 'old', termsVersion: null })).toHaveLength(2);
    expect(missingAgreements(g, { cocVersion: g.agreements.codeOfConduct.version, termsVersion: 'MIT' })).toEqual([]);
  });
  it('finds the organisation a person spoke for on a date', () => {
    const affs = [
      { organisation: 'old', from: '2024-01-01', to: '2025-06-30' },
      { organisation: 'new', from: '2025-07-01', to: null },
    ];
    expect(affiliationOn(affs, '2025-06-30T12:00:00Z')?.organisation).toBe('old');
    expect(affiliationOn(affs, '2025-07-01')?.organisation).toBe('new');
    expect(affiliationOn(affs, '2023-01-01')).toBeNull();
  });
});
