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
  const full = windowFull(f.invitedAt, f.perPerson, f.windowDays, now);
  return full && { rule: 'too-many-invitations-to-person', ...full };
}

/**
 * Whether one sender has sent one person `perSender` invitations within `windowDays` already (to any
 * group: LIMITS.invitationsFromOneToOne): from when they may again and how many they sent, or null.
 */
export function senderCoolOff(
  f: { sentAt: readonly string[]; perSender: number; windowDays: number },
  now: Date,
): { from: string; sent: number } | null {
  return windowFull(f.sentAt, f.perSender, f.windowDays, now);
}

/** `times` within the last `windowDays` reach `most`: possible again once the oldest of the latest `most` leaves the window. */
function windowFull(
  times: readonly string[],
  most: number,
  windowDays: number,
  now: Date,
): { from: string; sent: number } | null {
  const since = now.getTime() - windowDays * DAY_MS;
  const recent = times
    .map((t) => Date.parse(t))
    .filter((t) => t > since)
    .sort((a, b) => a - b);
  if (recent.length < most) return null;
  return { from: new Date(recent[recent.length - most]! + windowDays * DAY_MS).toISOString(), sent: recent.length };
}
