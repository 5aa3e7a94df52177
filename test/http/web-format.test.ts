import { describe, expect, it } from 'vitest';
import { absolute, hoursInWords, relative } from '../../src/http/web/format.ts';

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
