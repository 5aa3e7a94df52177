// When mail may go out, on the person's own clock (domain/notifications/timing.ts): quiet hours hold
// immediate mail until they end, in the person's zone and across midnight, unless a deadline would
// pass first; a digest is due at the chosen hour, daily or on the chosen weekday, across a clock change.
import { describe, expect, it } from 'vitest';
import { afterQuietHours, nextDigestAt } from '../../src/domain/notifications/timing.ts';

const night = { start: '22:00', end: '07:00' };

describe('quiet hours', () => {
  it('hold mail that falls inside them until they end, on the person’s clock, across midnight', () => {
    // 23:30 in Berlin (winter, UTC+1) is inside 22:00–07:00: released at 07:00 Berlin the next morning
    expect(afterQuietHours(new Date('2026-01-14T22:30:00Z'), 'Europe/Berlin', night).toISOString()).toBe(
      '2026-01-15T06:00:00.000Z',
    );
    // 03:00 in Tokyo: released at 07:00 Tokyo the same morning
    expect(afterQuietHours(new Date('2026-01-14T18:00:00Z'), 'Asia/Tokyo', night).toISOString()).toBe(
      '2026-01-14T22:00:00.000Z',
    );
    // the same instant is mid-afternoon in Los Angeles: not quiet there, so it goes now
    expect(afterQuietHours(new Date('2026-01-14T22:30:00Z'), 'America/Los_Angeles', night).toISOString()).toBe(
      '2026-01-14T22:30:00.000Z',
    );
  });

  it('hours that do not wrap (13:00–14:00), the end itself, and none set', () => {
    const lunch = { start: '13:00', end: '14:00' };
    expect(afterQuietHours(new Date('2026-01-14T13:30:00Z'), 'UTC', lunch).toISOString()).toBe(
      '2026-01-14T14:00:00.000Z',
    );
    expect(afterQuietHours(new Date('2026-01-14T14:00:00Z'), 'UTC', lunch).toISOString()).toBe(
      '2026-01-14T14:00:00.000Z',
    );
    expect(afterQuietHours(new Date('2026-01-14T23:00:00Z'), 'UTC', { start: null, end: null }).toISOString()).toBe(
      '2026-01-14T23:00:00.000Z',
    );
  });

  it('give way to a deadline that would pass before they end, and not to one after', () => {
    const at = new Date('2026-01-14T23:00:00Z'); // 23:00 UTC, quiet until 07:00
    expect(afterQuietHours(at, 'UTC', night, '2026-01-15T06:00:00Z').toISOString()).toBe(at.toISOString());
    expect(afterQuietHours(at, 'UTC', night, '2026-01-15T09:00:00Z').toISOString()).toBe('2026-01-15T07:00:00.000Z');
  });
});

describe('the digest hour', () => {
  it('daily at the chosen hour in the person’s zone: later today if it has not passed, else tomorrow', () => {
    expect(nextDigestAt(new Date('2026-01-14T05:00:00Z'), 'Europe/Berlin', 'daily', 8, 1).toISOString()).toBe(
      '2026-01-14T07:00:00.000Z',
    );
    expect(nextDigestAt(new Date('2026-01-14T09:00:00Z'), 'Europe/Berlin', 'daily', 8, 1).toISOString()).toBe(
      '2026-01-15T07:00:00.000Z',
    );
  });

  it('weekly on the chosen weekday, and still at 08:00 local across the change to summer time', () => {
    // Wednesday 14 Jan 2026 → Monday 19 Jan at 08:00 in Kolkata (UTC+5:30)
    expect(nextDigestAt(new Date('2026-01-14T05:00:00Z'), 'Asia/Kolkata', 'weekly', 8, 1).toISOString()).toBe(
      '2026-01-19T02:30:00.000Z',
    );
    // Berlin moves to UTC+2 on 29 Mar 2026: Monday 30 Mar at 08:00 is 06:00 UTC, not 07:00
    expect(nextDigestAt(new Date('2026-03-27T12:00:00Z'), 'Europe/Berlin', 'weekly', 8, 1).toISOString()).toBe(
      '2026-03-30T06:00:00.000Z',
    );
  });
});
