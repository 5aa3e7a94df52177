// Found by fuzzing POST /api/meetings/fair-times (no token needed): 5,000 participants with a
// working window each held the event loop for 14 s (a table of the day's minutes per window, every
// pair of zone and window scored at every slot), and 5,000 participants at the 50 best times with a
// series of 104 answered 138 MB after 17 s, every other request waiting. The work one request may ask
// for is now bounded (LIMITS.fairTimes) and refused up front, naming the field and the rule.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { proposeFairTimes } from '../../../src/app/meetings/fair-times.ts';
import { InvalidInput } from '../../../src/domain/errors.ts';
import { LIMITS } from '../../../src/domain/limits.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, type TestHub } from '../../support/hub.ts';

const ZONES = Intl.supportedValuesOf('timeZone');
const hh = (n: number) => String(n % 24).padStart(2, '0');

async function refusal(p: Promise<unknown>): Promise<{ field: string; rule: string }[]> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(InvalidInput);
  return (e as InvalidInput).issues;
}

describe.each(databases)('bounded fair times on $name', (database) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-12-03T10:07:00Z');
  });
  afterEach(async () => hub?.close());

  const people = (n: number, window: (i: number) => { start: string; end: string } | undefined) =>
    Array.from({ length: n }, (_, i) => ({
      handle: `p${i}`,
      timeZone: ZONES[i % ZONES.length]!,
      ...(window(i) ? { window: window(i)! } : {}),
    }));
  const ask = (participants: unknown[], more: Record<string, unknown> = {}) =>
    proposeFairTimes(hub, { participants, from: '2026-12-10T00:00:00Z', days: 31, durationMinutes: 480, ...more });

  it('refuses more different working windows than it builds, at once', async () => {
    const issues = await refusal(
      ask(people(5000, (i) => ({ start: `${hh(i)}:${String(i % 60).padStart(2, '0')}`, end: `${hh(i * 7)}:00` }))),
    );
    expect(issues).toEqual([
      {
        field: 'participants',
        rule: expect.stringMatching(/^must have at most 50 different working windows \(these have \d+\)$/),
      },
    ]);
  });

  it('refuses more pairs of zone and window than it scores', async () => {
    const issues = await refusal(
      ask(people(ZONES.length * 2, (i) => (i < ZONES.length ? undefined : { start: '08:00', end: '12:00' }))),
    );
    expect(issues).toEqual([
      {
        field: 'participants',
        rule: `must have at most 500 different pairs of time zone and working window (these have ${ZONES.length * 2})`,
      },
    ]);
  });

  it('refuses an answer listing more local times than the bound, naming what to ask for instead', async () => {
    const many = people(5000, () => undefined);
    expect(await refusal(ask(many, { top: 50 }))).toEqual([
      {
        field: 'top',
        rule: `5000 participants at 50 best times would list 250000 local times; at most ${LIMITS.fairTimes.seats} are listed in one answer: ask for fewer best times, or fewer participants`,
      },
    ]);
    expect((await refusal(ask(many, { top: 5, series: { count: 104, everyDays: 1 } })))[0]!.field).toBe('series.count');
  });

  it('refuses more scores than one request computes, naming days or series.count and what to ask for (attack round 31)', async () => {
    const zones = ZONES.length;
    const scores = (days: number) => zones * 96 * days;
    expect(await refusal(ask(people(zones, () => undefined)))).toEqual([
      {
        field: 'days',
        rule: `${zones} pairs of time zone and working window over 31 days, every 15 minutes, would be ${scores(31)} scores; at most ${LIMITS.fairTimes.scores} are computed for one request: ask for fewer days, or fewer time zones`,
      },
    ]);
    // the period fits; a series of 104 meetings, each a day of slots, does not
    expect(
      await refusal(
        ask(
          people(200, () => undefined),
          { days: 14, top: 1, series: { count: 104, everyDays: 92 } },
        ),
      ),
    ).toEqual([
      {
        field: 'series.count',
        rule: `200 pairs of time zone and working window over 14 days and a series of 104 meetings, every 15 minutes, would be ${200 * 96 * (14 + 104)} scores; at most ${LIMITS.fairTimes.scores} are computed for one request: ask for fewer days or a shorter series, or fewer time zones`,
      },
    ]);
    // a group's members in some forty zones over the longest period, with a year's series, are answered
    const r = await ask(
      people(40, () => undefined),
      { top: 3, series: { count: 52, everyDays: 7 } },
    );
    expect(r.best).toHaveLength(3);
    expect(r.series!.rotation.meetings).toHaveLength(52);
  });

  it('answers a large group within the bounds', async () => {
    // every zone there is, over the default fortnight: within the scores one request computes
    const r = await ask(
      people(5000, () => undefined),
      { top: 10, days: 14 },
    );
    expect(r.participants).toBe(5000);
    expect(r.best).toHaveLength(10);
    expect(r.best[0]!.participants).toHaveLength(5000);
  });
});
