// The thresholds the governance file sets for who may lead and when asking opens a vote, decided
// by the group and decision policies (the use cases only ask them).
import { describe, expect, it } from 'vitest';
import { loadGovernance } from '../../../src/app/core/governance-file.ts';
import {
  answersForLeaderless,
  leadEligibility,
  requestsAnsweredBy,
  voteOpensOnRequest,
} from '../../../src/domain/policies/index.ts';

const g = loadGovernance();

describe('who may be made a lead', () => {
  it('someone holding the minimum role may; someone below it is refused, saying the role needed and who raises it where', () => {
    const min = g.groups.leadMinimumRole;
    expect(leadEligibility(g, { handle: 'ada', role: min }).allowed).toBe(true);
    const below = g.roleOrder[g.roleOrder.indexOf(min) - 1]!;
    const v = leadEligibility(g, { handle: 'bo', role: below });
    expect(v).toEqual({
      allowed: false,
      reason: `bo is a ${below}; leads and facilitators must hold at least the ${min} role on the contributor ladder, not a level in a group: a moderator or a lead maintainer raises it on their profile`,
    });
  });
});

describe('when asking for a vote opens it', () => {
  const n = g.decisions.vote.memberRequests;
  it("a lead's request opens it at once", () => {
    expect(voteOpensOnRequest(g, { groupLevel: 'lead' }, 1)).toBe(true);
  });
  it("members' requests open it when the governance file's number have asked, not before", () => {
    expect(voteOpensOnRequest(g, { groupLevel: 'member' }, n - 1)).toBe(false);
    expect(voteOpensOnRequest(g, { groupLevel: 'member' }, n)).toBe(true);
  });
});

describe("who answers a group's requests to become a member", () => {
  it('its leads while one is active; else the roles group.setMemberLevel names, else the operator', () => {
    expect(requestsAnsweredBy(g, 1)).toEqual({ byLeads: true, who: "the group's leads" });
    expect(requestsAnsweredBy(g, 0)).toEqual({ byLeads: false, who: 'a core maintainer or a lead maintainer' });
    expect(answersForLeaderless(g, 'core-maintainer')).toBe(true);
    expect(answersForLeaderless(g, 'member')).toBe(false);
    const leadsOnly = {
      ...g,
      permissions: { ...g.permissions, 'group.setMemberLevel': { groupLevels: ['lead' as const] } },
    };
    expect(requestsAnsweredBy(leadsOnly, 0)).toEqual({ byLeads: false, who: "the hub's operator" });
    expect(answersForLeaderless(leadsOnly, 'core-maintainer')).toBe(false);
  });
});
