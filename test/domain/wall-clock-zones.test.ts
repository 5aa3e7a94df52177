// Attack round 31: a form's time zone went to luxon as it was spelt, and luxon keeps every name it is
// handed, with a date formatter of its own (some 14 KB of the process), for good. The schedule and
// reschedule forms read the wall-clock time before the use case checked the zone, so a person posting
// "aMeRiCa/ArGeNtInA/ComodRivadavia" in each of its thousands of casings grew the process without end
// (20,000 posts: 480 MB). luxon is handed the zone as IANA spells it, a few hundred names in all.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { zones } from '../../src/domain/meetings/libraries.ts';
import { instantToWallClock, wallClockGap, wallClockToInstant } from '../../src/domain/meetings/recurrence-words.ts';

const IANA = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);

describe('wall-clock times of a form hand luxon only zones as IANA spells them', () => {
  afterEach(() => vi.restoreAllMocks());

  it('a zone in any casing is read as the IANA zone, and luxon is handed that name alone', () => {
    const { IANAZone } = zones();
    const handed = vi.spyOn(IANAZone, 'create');
    const casings = ['europe/berlin', 'EUROPE/BERLIN', 'eUrOpE/bErLiN', ' Europe/Berlin '];
    for (const zone of casings) {
      expect(wallClockGap('2027-03-28T02:30', zone), zone).toBe(
        '02:30 on 28 Mar 2027 never shows on the clocks of Europe/Berlin: they go forward that night (it would be 03:30); choose another time',
      );
      expect(wallClockToInstant('2027-01-10T15:00', zone), zone).toBe('2027-01-10T14:00:00Z');
      expect(instantToWallClock('2027-01-10T14:00:00Z', zone), zone).toBe('2027-01-10T15:00');
    }
    const names = handed.mock.calls.map(([name]) => name);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(IANA.has(name), name).toBe(true);
  });

  it('a zone that names none is read as UTC, or no gap, and never handed to luxon; a fixed offset keeps its clock', () => {
    const { IANAZone } = zones();
    const handed = vi.spyOn(IANAZone, 'create');
    // a fixed offset stored before zones were checked reads on its own clock, in any of its spellings
    for (const zone of ['+02:00', '+0200', '+02'])
      expect(wallClockToInstant('2027-01-10T15:00', zone), zone).toBe('2027-01-10T13:00:00Z');
    for (const zone of ['Mars/Olympus', '+99:00', '', 'x'.repeat(200)]) {
      expect(wallClockGap('2027-03-28T02:30', zone), zone).toBeNull();
      expect(wallClockToInstant('2027-01-10T15:00', zone), zone).toBe('2027-01-10T15:00:00Z');
      expect(instantToWallClock('2027-01-10T14:00:00Z', zone), zone).toBe('2027-01-10T14:00');
    }
    for (const [name] of handed.mock.calls) expect(IANA.has(name), name).toBe(true);
  });
});
