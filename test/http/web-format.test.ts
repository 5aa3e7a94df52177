import { describe, expect, it } from 'vitest';
import { absolute, hoursInWords, relative, summary } from '../../src/http/web/format.ts';

describe('times for people', () => {
  const now = new Date('2026-12-05T12:00:00Z');
  it('says how far away a moment is, where that helps', () => {
    expect(relative(new Date('2026-12-08T15:00:00Z'), now)).toBe('in 3 days');
    expect(relative(new Date('2026-12-05T09:00:00Z'), now)).toBe('3 hours ago');
    expect(relative(new Date('2026-12-06T12:00:00Z'), now)).toBe('tomorrow');
    expect(relative(new Date('2026-12-15T12:00:00Z'), now)).toBe('in 10 days');
    expect(relative(new Date('2026-12-29T12:00:00Z'), now)).toBe('in 3 weeks');
    expect(relative(new Date('2027-03-01T12:00:00Z'), now)).toBeNull();
  });
  it('writes the weekday with the date and a 24-hour time in the zone given', () => {
    expect(absolute(new Date('2026-12-08T14:00:00Z'), 'Europe/Berlin')).toBe('Tue 8 Dec 2026, 15:00');
    expect(absolute(new Date('2026-12-08T14:00:00Z'), 'UTC', true)).toBe('Tue 8 Dec 2026');
  });
  it('says a lateness in hours and days, never with a decimal', () => {
    expect(hoursInWords(60.1)).toBe('2 days and 12 hours');
    expect(hoursInWords(5.4)).toBe('5 hours');
    expect(hoursInWords(1)).toBe('1 hour');
    expect(hoursInWords(72.2)).toBe('3 days');
    expect(hoursInWords(0.2)).toBe('less than an hour');
  });
});

describe('a card’s summary (attack round 22)', () => {
  it('counts and cuts characters, never between the halves of an emoji', () => {
    // 10 emoji are 10 characters (20 UTF-16 units): whole, not cut
    expect(summary('😀'.repeat(10), 10)).toBe('😀'.repeat(10));
    // cut to 9 characters and an ellipsis: no lone half (shown as U+FFFD) at the cut
    expect(summary(`a${'😀'.repeat(20)}`, 10)).toBe(`a${'😀'.repeat(8)}…`);
  });
});
