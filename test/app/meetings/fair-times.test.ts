// Fair times for a real group: never a slot in the past, however early the window is asked to
// start, and alternatives that are other times of day, spread round the clock, not one slot shifted.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { proposeFairTimes } from '../../../src/app/meetings/fair-times.ts';
import { clockDistance } from '../../../src/domain/meetings/fair-times.ts';
import { databases } from '../../support/databases.ts';
import { openDemoHub, type TestHub } from '../../support/hub.ts';

describe.each(databases)('fair times for a group on $name', (database) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await openDemoHub(database, { start: '2026-12-03T10:07:00Z' });
  });
  afterEach(async () => hub?.close());

  it('asked from a week ago, proposes nothing before now and starts the window now', async () => {
    const r = await proposeFairTimes(hub, { group: 'hosting', from: '2026-11-26T00:00:00Z', days: 2, top: 5 });
    const now = hub.clock.now().getTime();
    expect(Date.parse(r.from)).toBe(now);
    expect(r.best).toHaveLength(5);
    for (const s of r.best) expect(Date.parse(s.startsAt)).toBeGreaterThanOrEqual(now);
    // the series rotation too starts no earlier than today
    const series = await proposeFairTimes(hub, {
      group: 'hosting',
      from: '2026-11-01T00:00:00Z',
      series: { count: 3, everyDays: 7 },
    });
    for (const m of series.series!.rotation.meetings)
      expect(Date.parse(m.startsAt)).toBeGreaterThanOrEqual(Date.parse('2026-12-03T00:00:00Z'));
  });

  it('offers other times of day, each at least the governance file’s three hours from the others', async () => {
    const r = await proposeFairTimes(hub, { group: 'hosting', from: '2026-12-04T00:00:00Z', days: 14, top: 5 });
    const times = r.best.map((s) => Date.parse(s.startsAt));
    expect(times).toHaveLength(5);
    expect(hub.governance.meetings.fairTimes.alternativesApartHours).toBe(3);
    for (const [i, a] of times.entries())
      for (const b of times.slice(i + 1)) expect(clockDistance(a, b)).toBeGreaterThanOrEqual(3 * 60);
    // each member's local start differs from one alternative to the next: somebody else gets the good hour
    const sam = r.best.map((s) => s.participants.find((p) => p.handle === 'sam-lead')!.local.slice(4, 9));
    expect(new Set(sam).size).toBe(5);
  });

  it("asked from a Saturday, a series falls on the best slot's weekday, nobody's weekend", async () => {
    // 2026-12-05 is a Saturday; the window used to start the series on it, and every meeting fell on
    // a Saturday in Lagos, Berlin and Kolkata
    const r = await proposeFairTimes(hub, {
      group: 'hosting',
      from: '2026-12-05T00:00:00Z',
      days: 7,
      series: { count: 4, everyDays: 7 },
    });
    const bestDay = new Date(r.best[0]!.startsAt).getUTCDay();
    expect([1, 2, 3, 4, 5]).toContain(bestDay);
    for (const m of r.series!.rotation.meetings) {
      expect(new Date(m.startsAt).getUTCDay()).toBe(bestDay);
      expect(m.participants.filter((p) => p.dayOff)).toEqual([]);
    }
  });
});
