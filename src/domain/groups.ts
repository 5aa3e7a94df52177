import type { CommunityRole, GroupStatus, ParticipationLevel } from './community.ts';
import { describeRule, roleCount, roleName, type Governance } from './governance/index.ts';
import { levelName, withArticle } from './governance/words.ts';
import { nameWithHandle } from './people.ts';

export type Sponsor = { handle: string; role: CommunityRole };

export type SponsorshipState = { met: boolean; rule: string; have: string };

/** "Sponsored by at least two Core Maintainers or one Lead Maintainer", read from the governance file. */
export function sponsorshipState(g: Governance, sponsors: Sponsor[]): SponsorshipState {
  const rule = g.groups.sponsorship.anyOf.map((o) => roleCount(g, o.role, o.count)).join(' or ');
  const met = g.groups.sponsorship.anyOf.some((o) => sponsors.filter((s) => s.role === o.role).length >= o.count);
  const have = sponsors.length
    ? sponsors.map((s) => `${s.handle} (${roleName(g, s.role)})`).join(', ')
    : 'no sponsors yet';
  return { met, rule, have };
}

export type AllowedMove = { to: GroupStatus; by: string; needsSponsorship: boolean };

export function allowedGroupMoves(g: Governance, from: GroupStatus): AllowedMove[] {
  return g.groups.transitions
    .filter((t) => t.from === from)
    .map((t) => ({ to: t.to, by: describeRule(g, t.allowed), needsSponsorship: t.requiresSponsorship }));
}

export type MoveVerdict =
  | { ok: true }
  | { ok: false; kind: 'illegal' | 'unsponsored'; message: string; allowed: AllowedMove[] };

/** Whether a move is on the route and its sponsorship is met; who may make it is the group policy's (`groupMoveTo`). */
export function checkGroupMove(g: Governance, from: GroupStatus, to: GroupStatus, sponsors: Sponsor[]): MoveVerdict {
  const allowed = allowedGroupMoves(g, from);
  const t = g.groups.transitions.find((x) => x.from === from && x.to === to);
  if (!t) {
    const list = allowed.length ? allowed.map((a) => `${a.to} (by ${a.by})`).join('; ') : 'none';
    return {
      ok: false,
      kind: 'illegal',
      message: `a group cannot move from ${from} to ${to}; from ${from} it may move to: ${list}`,
      allowed,
    };
  }
  if (t.requiresSponsorship) {
    const s = sponsorshipState(g, sponsors);
    if (!s.met)
      return {
        ok: false,
        kind: 'unsponsored',
        message: `the group needs sponsorship by ${s.rule} before it can become ${to}; it has ${s.have}`,
        allowed,
      };
  }
  return { ok: true };
}

export type MembershipFacts = { level: ParticipationLevel; emeritus: boolean; lastActiveAt: string };

export type MembershipStanding = {
  level: ParticipationLevel;
  emeritus: boolean;
  emeritusSince: string | null;
  activeLevel: ParticipationLevel | null;
};

/**
 * Emeritus is computed when read, from the clock and the last activity, so it never depends on
 * a job having run. An emeritus member keeps their level for the record but holds no active level.
 */
export function membershipStanding(g: Governance, m: MembershipFacts, now: Date): MembershipStanding {
  if (m.emeritus) return { level: m.level, emeritus: true, emeritusSince: null, activeLevel: null };
  if (g.membership.decayingLevels.includes(m.level)) {
    const due = new Date(new Date(m.lastActiveAt).getTime() + g.membership.inactivityDays * 86_400_000);
    if (now.getTime() >= due.getTime())
      return { level: m.level, emeritus: true, emeritusSince: due.toISOString(), activeLevel: null };
  }
  return { level: m.level, emeritus: false, emeritusSince: null, activeLevel: m.level };
}

/** Whether a member's answer to a decision counts at `at`: active (not emeritus, not lapsed) at an eligible level. */
export function answerCounts(g: Governance, m: MembershipFacts, at: Date): boolean {
  const level = membershipStanding(g, m, at).activeLevel;
  return level !== null && g.decisions.eligibleLevels.includes(level);
}

/**
 * The notice title of a group invitation that no longer stands (the person left or was removed, a lead
 * set their level, the charter placed them, they joined by themselves, the group was retired), for the
 * person invited and whoever sent it alike: `why` says what happened, naming people by handle.
 */
export function invitationEndedTitle(
  g: Governance,
  invitee: { handle: string; name: string },
  groupName: string,
  level: string,
  why: string,
): string {
  return `The invitation of ${nameWithHandle(invitee.handle, invitee.name)} to ${groupName} (as ${withArticle(levelName(g, level))}) no longer stands: ${why}`;
}
