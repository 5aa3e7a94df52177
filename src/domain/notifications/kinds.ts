// What the hub tells people about, and how urgently. The community can change each kind's
// urgency in its governance file; the list of kinds is what the code knows how to produce.
import { z } from 'zod';

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM (24-hour)');

export const NOTIFICATION_KINDS = [
  'decision-opened',
  'decision-closing',
  'decision-extended',
  'decision-blocked',
  'vote-opened',
  'vote-closing',
  'decision-escalated',
  'decision-outcome',
  'mention',
  'reply',
  'proposal-commented',
  'proposal-moved',
  'proposal-refused',
  'proposal-needs-sponsor',
  'proposal-waiting',
  'meeting-listed',
  'agenda-published',
  'notes-published',
  'written-input',
  'written-input-outcome',
  'notes-overdue',
  'action-assigned',
  'action-due',
  'dormancy-reminder',
  'level-changed',
  'membership-request',
  'invitation',
  'comment-moderated',
  'comment-restored',
  'group-sponsorship',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const SUBSCRIPTION_LEVELS = ['watching', 'normal', 'muted'] as const;
export type SubscriptionLevel = (typeof SUBSCRIPTION_LEVELS)[number];

export const DIGEST_CHOICES = ['daily', 'weekly', 'off'] as const;
export type DigestChoice = (typeof DIGEST_CHOICES)[number];

const Kind = z
  .object({
    /** Mailed at once to people who chose immediate mail; otherwise it waits for their digest. */
    immediate: z.boolean(),
    /** Off: nobody is told of this kind at all. */
    enabled: z.boolean().default(true),
  })
  .strict();

/**
 * Kinds added after communities wrote their governance files: a file that does not name one gets
 * its default (below) instead of being refused.
 */
const LATER_KINDS: Partial<Record<NotificationKind, { immediate: boolean; enabled: boolean }>> = {
  'written-input': { immediate: true, enabled: true },
  'vote-closing': { immediate: true, enabled: true },
  'decision-escalated': { immediate: true, enabled: true },
  'membership-request': { immediate: true, enabled: true },
  'written-input-outcome': { immediate: true, enabled: true },
  'action-assigned': { immediate: true, enabled: true },
  'decision-extended': { immediate: true, enabled: true },
  invitation: { immediate: true, enabled: true },
};

/**
 * Later kinds that stand in for an older one a file already names: a file written before
 * `vote-closing` existed gets the urgency (and on/off) it chose for `decision-closing`, not a
 * default it never saw (an operator who turned closing reminders off does not get vote ones).
 */
const LIKE_OLDER: Partial<Record<NotificationKind, NotificationKind>> = {
  'vote-closing': 'decision-closing',
  // before, the resolvers heard of an escalation as an outcome
  'decision-escalated': 'decision-outcome',
  // before, a request to become a member and its answer were told as a level changed
  'membership-request': 'level-changed',
  // the owner of an action item heard of it only when it fell due: an operator who turned those
  // off, or sent them to the digest, chose so for what action items tell their owners
  'action-assigned': 'action-due',
  // before invitations, a lead placed the person in the group, told as a level changed
  invitation: 'level-changed',
};

function withLaterKinds(kinds: unknown): unknown {
  if (!kinds || typeof kinds !== 'object' || Array.isArray(kinds)) return kinds;
  const named = kinds as Record<string, unknown>;
  const filled = { ...named };
  for (const [later, older] of Object.entries(LIKE_OLDER))
    if (!(later in named) && older in named) filled[later] = named[older];
  return filled;
}

export const NotificationRules = z
  .object({
    kinds: z.preprocess(
      withLaterKinds,
      z
        .object(
          Object.fromEntries(
            NOTIFICATION_KINDS.map((k) => [k, LATER_KINDS[k] ? Kind.default(LATER_KINDS[k]) : Kind]),
          ) as Record<NotificationKind, typeof Kind>,
        )
        .strict(),
    ),
    /**
     * "Closing soon" reminders go this long before a decision's deadline to members who have not
     * answered, and this long before a vote closes to members who have not voted.
     */
    closingSoonHours: z
      .int()
      .min(1)
      .max(24 * 14),
    /**
     * The night assumed, in each person's zone, for someone who set no quiet hours: a "closes soon"
     * reminder due in their night (or their quiet hours) goes before it began instead (timing.ts).
     */
    reminderNight: z
      .object({ start: ClockTime, end: ClockTime })
      .strict()
      .refine((n) => n.start !== n.end, 'start and end must differ')
      .default({ start: '22:00', end: '07:00' }),
    /** An author may ask for review of one proposal once in this many hours (docs/notifications.md). */
    reviewRequestHours: z
      .int()
      .min(1)
      .max(24 * 30)
      .default(24),
    /** Events about the same subject within this window go out as one mail. */
    batchMinutes: z
      .int()
      .min(0)
      .max(24 * 60),
    /** At most this many immediate mails per person per hour; the rest wait for the digest. */
    hourlyCap: z.int().min(1).max(1000),
    defaults: z
      .object({
        immediate: z.boolean(),
        digest: z.enum(DIGEST_CHOICES),
        digestHour: z.int().min(0).max(23),
        /** 1 = Monday … 7 = Sunday. */
        digestWeekday: z.int().min(1).max(7),
      })
      .strict(),
  })
  .strict();
export type NotificationRules = z.infer<typeof NotificationRules>;

const immediate = new Set<NotificationKind>([
  'decision-closing',
  'decision-extended',
  'decision-blocked',
  'vote-opened',
  'vote-closing',
  'decision-escalated',
  'mention',
  'reply',
  'proposal-moved',
  'proposal-refused',
  'proposal-needs-sponsor',
  'proposal-waiting',
  'written-input',
  'written-input-outcome',
  'notes-overdue',
  'action-assigned',
  'action-due',
  'dormancy-reminder',
  'level-changed',
  'membership-request',
  'invitation',
  'comment-moderated',
  'comment-restored',
]);

/** What a governance file without a notifications section gets (the same as governance/default.yaml). */
export const DEFAULT_NOTIFICATION_RULES: NotificationRules = {
  kinds: Object.fromEntries(
    NOTIFICATION_KINDS.map((k) => [k, { immediate: immediate.has(k), enabled: true }]),
  ) as NotificationRules['kinds'],
  closingSoonHours: 48,
  reminderNight: { start: '22:00', end: '07:00' },
  reviewRequestHours: 24,
  batchMinutes: 5,
  hourlyCap: 12,
  defaults: { immediate: true, digest: 'daily', digestHour: 8, digestWeekday: 1 },
};
