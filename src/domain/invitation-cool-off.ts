// When a group may invite one person again (app/groups/invitations.ts loads the facts): after they
// declined, not for the governance file's membership.inviteAgainDays at that level or above (their no
// is heard); and at most LIMITS.invitationsToOnePerson invitations in LIMITS.invitationWindowDays,
// withdrawn, expired and answered ones counted (each tells them at once, so invite, withdraw and invite
// again cannot flood them). Pure: times are ISO instants, the answer says which rule and from when.

const DAY_MS = 86_400_000;

export type CoolOffFacts = {
  /** When they last declined an invitation to the group at the level offered now or a lower one (null: never). */
  declinedAt: string | null;
  /** The governance file's membership.inviteAgainDays (0: a decline does not hold inviting back). */
  inviteAgainDays: number;
  /** When each invitation the group sent them was sent (any order; older ones are ignored). */
  invitedAt: readonly string[];
  /** LIMITS.invitationsToOnePerson and LIMITS.invitationWindowDays. */
  perPerson: number;
  windowDays: number;
};

export type CoolOff =
  | { rule: 'invite-again-after-decline'; from: string }
  | { rule: 'too-many-invitations-to-person'; from: string; sent: number }
  | null;

/** Whether inviting now is too soon, and if so by which rule and from when it is possible again. */
export function inviteCoolOff(f: CoolOffFacts, now: Date): CoolOff {
  const at = now.getTime();
  if (f.inviteAgainDays > 0 && f.declinedAt) {
    const from = Date.parse(f.declinedAt) + f.inviteAgainDays * DAY_MS;
    if (from > at) return { rule: 'invite-again-after-decline', from: new Date(from).toISOString() };
  }
  const since = at - f.windowDays * DAY_MS;
  const recent = f.invitedAt
    .map((t) => Date.parse(t))
    .filter((t) => t > since)
    .sort((a, b) => a - b);
  if (recent.length >= f.perPerson) {
    // possible again once the oldest of the latest `perPerson` leaves the window
    const from = recent[recent.length - f.perPerson]! + f.windowDays * DAY_MS;
    return { rule: 'too-many-invitations-to-person', from: new Date(from).toISOString(), sent: recent.length };
  }
  return null;
}
