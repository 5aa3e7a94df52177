// Inputs shared by every feature: zones, calendar dates, list pages and the event log query.
import { z } from 'zod';
import { isTimeZone, ISO_DATE } from '../../domain/people.ts';

export const TimeZone = z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin or UTC');
export const IsoDate = z
  .string()
  .regex(ISO_DATE, { message: 'must be a date as YYYY-MM-DD', abort: true })
  // 2026-13-45 has the right shape but is no day of any calendar.
  .refine(
    (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d,
    { error: (iss) => `must be a real calendar date as YYYY-MM-DD (${String(iss.input)} is not)` },
  );

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(200, 'must be at most 200').default(50),
  cursor: z.string().optional(),
});

export const EventsQuery = z.object({
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(500, 'must be at most 500').default(50),
  before: z.coerce.number().int().min(1, 'must be an event number').optional(),
});
