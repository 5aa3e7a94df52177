import { z } from 'zod';
import { DIGEST_CHOICES, SUBSCRIPTION_LEVELS } from '../../domain/notifications/kinds.ts';
import { isClockTime } from '../../domain/notifications/timing.ts';
import { Line, ListQuery } from '../core/schemas.ts';

export const InboxQuery = ListQuery.extend({
  unread: z.enum(['true', 'false']).optional(),
});

export const MarkReadInput = z
  .object({
    /** Notification ids; omitted means every unread one. */
    ids: z.array(Line(64).min(1)).max(200, 'must list at most 200 notifications').optional(),
  })
  .strict();

export const SUBSCRIBABLE = ['group', 'topic', 'proposal', 'decision'] as const;

export const SubscriptionInput = z
  .object({
    subjectType: z.enum(SUBSCRIBABLE),
    subjectRef: Line(120).min(1, 'must name the group, topic area, proposal or decision'),
    level: z.enum(SUBSCRIPTION_LEVELS),
  })
  .strict();

const ClockTime = z.string().refine(isClockTime, 'must be a time of day as HH:MM (24-hour), such as 22:00');

export const PreferencesInput = z
  .object({
    immediate: z.boolean().optional(),
    digest: z.enum(DIGEST_CHOICES).optional(),
    digestHour: z
      .int('must be a whole hour from 0 to 23')
      .min(0)
      .max(23, 'must be a whole hour from 0 to 23')
      .optional(),
    digestWeekday: z
      .int()
      .min(1, 'must be 1 (Monday) to 7 (Sunday)')
      .max(7, 'must be 1 (Monday) to 7 (Sunday)')
      .optional(),
    quietStart: ClockTime.nullable().optional(),
    quietEnd: ClockTime.nullable().optional(),
  })
  .strict()
  // quiet hours are a span: half of one, or one that ends where it starts, holds nothing back, so it
  // is refused rather than saved as a setting that does nothing (fuzz round 6)
  .superRefine((p, ctx) => {
    if ((p.quietStart === undefined) !== (p.quietEnd === undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['quietEnd'],
        message: 'give both quietStart and quietEnd (or null for both to turn quiet hours off)',
      });
    else if ((p.quietStart === null) !== (p.quietEnd === null))
      ctx.addIssue({
        code: 'custom',
        path: [p.quietStart === null ? 'quietStart' : 'quietEnd'],
        message: 'must be given with the other end of the quiet hours (leave both empty for none)',
      });
    else if (p.quietStart && p.quietStart === p.quietEnd)
      ctx.addIssue({
        code: 'custom',
        path: ['quietEnd'],
        message: `must differ from the start: quiet from ${p.quietStart} until ${p.quietEnd} holds nothing back`,
      });
  });
