import { describe, expect, it } from 'vitest';
import { loadGovernance } from '../../src/app/core/governance-file.ts';
import { clockDistance, FairTimes, fixedSeries, jain } from '../../src/domain/meetings/fair-times.ts';

const g = loadGovernance().meetings;
const settings = {
  workingHours: g.workingHours,
  sleepingHours: g.sleepingHours,
  stepMinutes: g.fairTimes.stepMinutes,
  penaltyHours: g.fairTimes.penaltyHours,
};
const threeZones = [
  { handle: 'sam', timeZone: 'America/Los_Angeles' },
  { handle: 'ana', timeZone: 'America/Los_Angeles' },
  { handle: 'jonas', timeZone: 'Europe/Berlin' },
  { handle: 'lena', timeZone: 'Europe/Berlin' },
  { handle: 'kai', timeZone: 'Asia/Tokyo' },
  { handle: 'yui', timeZone: 'Asia/Tokyo' },
];

describe('fair times', () => {
  it('gives distinct alternatives: other times of day, at least three hours apart on the clock, never the best one shifted', () => {
    const ft = new FairTimes(threeZones, 60, settings);
    const slots = ft.bestSlots('2026-12-01T00:00:00Z', '2026-12-15T00:00:00Z', 5);
    expect(slots).toHaveLength(5);
    const times = slots.map((s) => Date.parse(s.startsAt));
    for (const [i, a] of times.entries())
      for (const b of times.slice(i + 1)) expect(clockDistance(a, b)).toBeGreaterThanOrEqual(3 * 60);
    // five different times of day (not the best slot again on another day), spread over more than half the clock
    const hours = new Set(slots.map((s) => s.startsAt.slice(11, 16)));
    expect(hours.size).toBe(5);
    const minutes = [...hours].map((h) => Number(h.slice(0, 2)) * 60 + Number(h.slice(3))).sort((a, b) => a - b);
    expect(minutes.at(-1)! - minutes[0]!).toBeGreaterThanOrEqual(12 * 60);
    // the zone the best slot serves worst is better off in some alternative: it gets its turn
    const [best, ...others] = slots;
    const seat = (s: (typeof slots)[number], zone: string) =>
      Math.min(...s.participants.filter((p) => p.timeZone === zone).map((p) => p.convenience));
    for (const zone of best!.worstOff)
      expect(Math.max(...others.map((s) => seat(s, zone)))).toBeGreaterThan(seat(best!, zone));
  });

  it('spreads alternatives by the hours the governance file asks, and fills from meetings that overlap none when the day runs out', () => {
    const pair = [
      { handle: 'a', timeZone: 'Europe/London' },
      { handle: 'b', timeZone: 'America/New_York' },
    ];
    const wide = new FairTimes(pair, 60, { ...settings, apartHours: 6 });
    const four = wide.bestSlots('2026-12-01T00:00:00Z', '2026-12-08T00:00:00Z', 4).map((s) => Date.parse(s.startsAt));
    expect(four).toHaveLength(4);
    for (const [i, a] of four.entries())
      for (const b of four.slice(i + 1)) expect(clockDistance(a, b)).toBeGreaterThanOrEqual(6 * 60);
    // the day runs out of times three hours apart before ten: those come first, then the best
    // meetings that overlap none chosen, each near a time already offered
    const ten = new FairTimes(pair, 60, settings)
      .bestSlots('2026-12-01T00:00:00Z', '2026-12-08T00:00:00Z', 10)
      .map((s) => Date.parse(s.startsAt));
    expect(ten).toHaveLength(10);
    let spread = 1;
    while (spread < ten.length && ten.slice(0, spread).every((a) => clockDistance(a, ten[spread]!) >= 3 * 60)) spread++;
    expect(spread).toBeGreaterThanOrEqual(4);
    expect(spread).toBeLessThanOrEqual(8);
    for (const t of ten.slice(spread))
      expect(ten.slice(0, spread).some((a) => clockDistance(a, t) < 3 * 60)).toBe(true);
    for (const [i, a] of ten.entries())
      for (const b of ten.slice(i + 1)) expect(Math.abs(a - b)).toBeGreaterThanOrEqual(60 * 60_000);
    expect(g.fairTimes.alternativesApartHours).toBe(3);
  });

  it('measures the clock distance round midnight', () => {
    expect(clockDistance(Date.parse('2026-12-01T23:00:00Z'), Date.parse('2026-12-05T01:00:00Z'))).toBe(120);
    expect(clockDistance(Date.parse('2026-12-01T09:00:00Z'), Date.parse('2026-12-02T09:00:00Z'))).toBe(0);
  });

  it('finds a slot inside everyone’s window when there is one, and prints each local time', () => {
    const ft = new FairTimes(
      [
        { handle: 'a', timeZone: 'Europe/London' },
        { handle: 'b', timeZone: 'Europe/Berlin' },
        { handle: 'c', timeZone: 'Asia/Kolkata', window: { start: '12:00', end: '20:00' } },
      ],
      60,
      settings,
    );
    const [best] = ft.bestSlots('2026-12-01T00:00:00Z', '2026-12-02T00:00:00Z', 3);
    expect(best).toMatchObject({
      startsAt: '2026-12-01T09:00:00.000Z',
      inWindow: 3,
      worst: 1,
      fairness: 1,
      worstOff: [],
    });
    expect(best!.participants).toEqual([
      {
        handle: 'a',
        timeZone: 'Europe/London',
        local: 'Tue 09:00–10:00',
        convenience: 1,
        asleep: false,
        dayOff: false,
      },
      {
        handle: 'b',
        timeZone: 'Europe/Berlin',
        local: 'Tue 10:00–11:00',
        convenience: 1,
        asleep: false,
        dayOff: false,
      },
      { handle: 'c', timeZone: 'Asia/Kolkata', local: 'Tue 14:30–15:30', convenience: 1, asleep: false, dayOff: false },
    ]);
  });

  it('convenience falls outside the window and is zero in sleeping hours', () => {
    const ft = new FairTimes([{ handle: 'a', timeZone: 'UTC' }], 60, settings);
    expect(ft.score(Date.parse('2026-12-01T16:00:00Z')).worst).toBe(1); // 16:00–17:00
    expect(ft.score(Date.parse('2026-12-01T17:00:00Z')).worst).toBe(0.75); // ends an hour past the window: 1 - 1/4
    expect(ft.score(Date.parse('2026-12-01T22:30:00Z')).worst).toBe(0); // runs into 23:00
    expect(ft.detail(Date.parse('2026-12-01T22:30:00Z')).participants[0]!.asleep).toBe(true);
  });

  // Friday afternoon in California is Saturday in Tokyo: a slot there is the worst for Tokyo, not a
  // working hour, and a window holding a weekend offers weekdays first
  it('a slot on a day that is not a working day on someone’s own calendar is the worst for them', () => {
    const coasts = [
      { handle: 'sam', timeZone: 'America/Los_Angeles', window: { start: '09:00', end: '19:00' } },
      { handle: 'kai', timeZone: 'Asia/Tokyo', window: { start: '08:00', end: '18:00' } },
    ];
    const ft = new FairTimes(coasts, 60, settings);
    // Fri 4 Dec 17:00 in Los Angeles is Sat 5 Dec 10:00 in Tokyo; a Thursday later is a Friday there
    const saturday = ft.detail(Date.parse('2026-12-05T01:00:00Z'));
    expect(saturday.participants.map((p) => [p.local, p.convenience, p.dayOff])).toEqual([
      ['Fri 17:00–18:00', 1, false],
      ['Sat 10:00–11:00', 0, true],
    ]);
    const friday = ft.detail(Date.parse('2026-12-04T01:00:00Z'));
    expect(friday.participants.map((p) => [p.local, p.convenience, p.dayOff])).toEqual([
      ['Thu 17:00–18:00', 1, false],
      ['Fri 10:00–11:00', 1, false],
    ]);
    // from Saturday 5 December UTC, the earliest slot inside both windows is Saturday in Tokyo; on
    // working days the best is Monday in California and Tuesday in Tokyo
    const everyDay = new FairTimes(coasts, 60, { ...settings, workingDays: [0, 1, 2, 3, 4, 5, 6] });
    expect(everyDay.bestSlots('2026-12-05T00:00:00Z', '2026-12-09T00:00:00Z', 1)[0]!.participants[1]!.local).toBe(
      'Sat 09:00–10:00',
    );
    const [best] = ft.bestSlots('2026-12-05T00:00:00Z', '2026-12-09T00:00:00Z', 1);
    expect(best!.participants.map((p) => [p.local, p.convenience, p.dayOff])).toEqual([
      ['Mon 15:00–16:00', 1, false],
      ['Tue 08:00–09:00', 1, false],
    ]);
    // a community that works Sunday to Thursday says so, and Friday is a day off for everyone
    const sunToThu = new FairTimes([{ handle: 'dana', timeZone: 'Asia/Jerusalem' }], 60, {
      ...settings,
      workingDays: [0, 1, 2, 3, 4],
    });
    expect(sunToThu.detail(Date.parse('2026-12-04T08:00:00Z')).participants[0]).toMatchObject({
      local: 'Fri 10:00–11:00',
      dayOff: true,
      convenience: 0,
    });
    expect(sunToThu.detail(Date.parse('2026-12-06T08:00:00Z')).participants[0]).toMatchObject({
      local: 'Sun 10:00–11:00',
      dayOff: false,
      convenience: 1,
    });
  });

  it('rotates a series so that no zone always gets the worst hour, where a fixed slot makes one zone pay every time', () => {
    const ft = new FairTimes(threeZones, 60, settings);
    const days = [
      '2026-12-01T00:00:00Z',
      '2026-12-08T00:00:00Z',
      '2026-12-15T00:00:00Z',
      '2026-12-22T00:00:00Z',
      '2026-12-29T00:00:00Z',
      '2027-01-05T00:00:00Z',
    ];
    const best = ft.bestSlots('2026-12-01T00:00:00Z', '2026-12-02T00:00:00Z', 1)[0]!;
    const fixedMinute = new Date(best.startsAt).getUTCHours() * 60 + new Date(best.startsAt).getUTCMinutes();
    const fixed = fixedSeries(ft, days, fixedMinute);
    const rotation = ft.rotate(days);
    // with no slot inside all three windows, a fixed time always hurts the same zone
    expect(fixed.zones.some((z) => z.worstHourCount === days.length)).toBe(true);
    for (const z of rotation.zones) expect(z.worstHourCount, z.timeZone).toBeLessThan(days.length);
    expect(new Set(rotation.meetings.map((m) => m.startsAt.slice(11, 16))).size).toBeGreaterThan(1);
    expect(new Set(rotation.meetings.flatMap((m) => m.worstOff)).size).toBe(3);
    expect(rotation.fairness).toBeGreaterThan(fixed.fairness);
    const spread = (r: typeof rotation) =>
      Math.max(...r.zones.map((z) => z.averageConvenience)) - Math.min(...r.zones.map((z) => z.averageConvenience));
    expect(spread(rotation)).toBeLessThan(spread(fixed));
    // every meeting says each person's local time
    expect(rotation.meetings[0]!.participants.map((p) => p.handle)).toEqual([
      'sam',
      'ana',
      'jonas',
      'lena',
      'kai',
      'yui',
    ]);
  });

  it('Jain’s index: 1 when equal, 1/n when one person has everything', () => {
    expect(jain([0.5, 0.5, 0.5])).toBe(1);
    expect(jain([1, 0, 0, 0])).toBe(0.25);
    expect(jain([0, 0])).toBe(0);
  });

  it('rejects an unknown zone by name', () => {
    expect(() => new FairTimes([{ handle: 'x', timeZone: 'Mars/Olympus' }], 60, settings)).toThrow(
      "unknown time zone 'Mars/Olympus' for x",
    );
  });
});
