// Attack round 31: the offsets of each zone, found a week at a time, were kept for every request after
// and never let go. Anyone may ask for fair times (no token) over any period up to the year 9999, so a
// request a week later than the last kept another week of every zone asked for, some 50 KB a request
// with every zone, growing the process without end. A zone now keeps at most OFFSET_WEEKS_KEPT weeks,
// the oldest found going first, and the times found are the same.
import { describe, expect, it } from 'vitest';
import { loadGovernance } from '../../src/app/core/governance-file.ts';
import { FairTimes, OFFSET_WEEKS_KEPT, offsetWeeksKept } from '../../src/domain/meetings/fair-times.ts';

const g = loadGovernance().meetings;
const settings = {
  workingHours: g.workingHours,
  sleepingHours: g.sleepingHours,
  stepMinutes: g.fairTimes.stepMinutes,
  penaltyHours: g.fairTimes.penaltyHours,
};
const WEEK = 7 * 86_400_000;
// zones no other test of this process asks for, so the count is theirs
const people = [
  { handle: 'a', timeZone: 'Pacific/Chatham' },
  { handle: 'b', timeZone: 'America/St_Johns' },
  { handle: 'c', timeZone: 'Asia/Kathmandu' },
];

describe('fair times keep a bounded number of weeks of zone offsets', () => {
  it('a request for each of many later weeks keeps at most OFFSET_WEEKS_KEPT weeks a zone, answering as before', () => {
    const before = offsetWeeksKept();
    const start = Date.parse('2031-01-06T00:00:00Z');
    const first = new FairTimes(people, 60, settings).bestSlots(
      new Date(start).toISOString(),
      new Date(start + 86_400_000).toISOString(),
      1,
    );
    for (let i = 1; i <= 3 * OFFSET_WEEKS_KEPT; i++) {
      const from = start + i * WEEK;
      new FairTimes(people, 60, settings).bestSlots(
        new Date(from).toISOString(),
        new Date(from + 86_400_000).toISOString(),
        1,
      );
    }
    // it kept one week (and the next, where a day ends) of each zone for each request: 3 zones × 769
    expect(offsetWeeksKept() - before).toBeLessThanOrEqual(people.length * OFFSET_WEEKS_KEPT);
    // a week let go is found again, the same
    const again = new FairTimes(people, 60, settings).bestSlots(
      new Date(start).toISOString(),
      new Date(start + 86_400_000).toISOString(),
      1,
    );
    expect(again).toEqual(first);
  });
});
