// Who may change how a meeting repeats, and when: a series keeps running after its first meeting,
// so its rule may still change; a one-off becomes a series only before it happens; one meeting of
// a series follows the series' rule.
import { describe, expect, it } from 'vitest';
import { loadGovernance } from '../../../src/app/core/governance-file.ts';
import { meetingPolicy, type Viewer } from '../../../src/domain/policies/index.ts';

const g = loadGovernance();
const member: Viewer = { kind: 'person', handle: 'x', role: 'member', agreed: true };
const facts = { cancelled: false, started: false, agendaItems: 0, recurring: true, occurrence: false };

describe('changing how a meeting repeats', () => {
  it("is for the group's leads, in words that name the job", () => {
    expect(meetingPolicy(g, member, { groupLevel: 'lead' }, facts).changeRecurrence).toEqual({ allowed: true });
    const no = meetingPolicy(g, member, { groupLevel: 'member' }, facts).changeRecurrence;
    expect(no.allowed).toBe(false);
    expect(!no.allowed && no.reason).toMatch(/^Only .* may change how this meeting repeats$/);
  });

  it('a started series may still change; a started one-off, a cancelled meeting and an occurrence may not', () => {
    const lead = { groupLevel: 'lead' as const };
    expect(meetingPolicy(g, member, lead, { ...facts, started: true }).changeRecurrence.allowed).toBe(true);
    expect(meetingPolicy(g, member, lead, { ...facts, started: true, recurring: false }).changeRecurrence).toEqual({
      allowed: false,
      reason: 'The meeting has already started',
    });
    expect(meetingPolicy(g, member, lead, { ...facts, cancelled: true }).changeRecurrence.allowed).toBe(false);
    expect(meetingPolicy(g, member, lead, { ...facts, occurrence: true }).changeRecurrence).toMatchObject({
      allowed: false,
      reason: expect.stringContaining("follows the series' rule"),
    });
  });
});
