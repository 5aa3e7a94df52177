// Whether a member's silence counts as consent (informed in time), and when a closing reminder reaches
// someone awake: pure rules, no database.
import { describe, expect, it } from 'vitest';
import { openOnJoiningWords, silenceCounts } from '../../src/domain/decisions/informed.ts';
import { awakeReminderAt } from '../../src/domain/notifications/timing.ts';

const deadline = '2026-03-07T12:00:00.000Z';

describe('silence counts only when informed in time', () => {
  it('a member told when it opened, days before the deadline, counts', () => {
    expect(
      silenceCounts({ voiceSince: null, toldAt: ['2026-03-02T12:00:00.000Z'], muted: false }, deadline, 24),
    ).toEqual({
      counts: true,
    });
  });

  it('a voice gained 5 hours before the deadline does not count, told or not', () => {
    expect(
      silenceCounts(
        { voiceSince: '2026-03-07T07:00:00.000Z', toldAt: ['2026-03-07T07:00:00.000Z'], muted: false },
        deadline,
        24,
      ),
    ).toEqual({
      counts: false,
      why: 'gained a voice 5 hours before the deadline, less than the 24 hours the community gives to answer',
      toldAt: '2026-03-07T07:00:00.000Z',
    });
  });

  it('a notice from before the voice began (an advisory one) does not inform it; one after it does', () => {
    const since = '2026-03-03T09:00:00.000Z';
    expect(
      silenceCounts({ voiceSince: since, toldAt: ['2026-03-02T12:00:00.000Z'], muted: false }, deadline, 24),
    ).toEqual({
      counts: false,
      why: 'not told of it since gaining a voice',
      toldAt: null,
    });
    expect(
      silenceCounts({ voiceSince: since, toldAt: ['2026-03-02T12:00:00.000Z', since], muted: false }, deadline, 24),
    ).toEqual({ counts: true });
  });

  it('never told, or told only by a reminder too close to the deadline, does not count; muting is a choice', () => {
    expect(silenceCounts({ voiceSince: null, toldAt: [], muted: false }, deadline, 24)).toMatchObject({
      counts: false,
      why: 'never told of it',
    });
    expect(
      silenceCounts({ voiceSince: null, toldAt: ['2026-03-07T02:00:00.000Z'], muted: false }, deadline, 24),
    ).toMatchObject({
      counts: false,
      why: 'told only 10 hours before the deadline, less than the 24 hours the community gives to answer',
    });
    expect(silenceCounts({ voiceSince: null, toldAt: [], muted: true }, deadline, 24)).toEqual({ counts: true });
  });
});

describe('a closing reminder reaches people awake, earlier rather than later', () => {
  const night = { start: '22:00', end: '07:00' };
  it('due at 04:00 in Los Angeles: sent at 21:00 the evening before, an hour before the night', () => {
    expect(awakeReminderAt(new Date('2026-03-05T12:00:00Z'), 'America/Los_Angeles', night).toISOString()).toBe(
      '2026-03-05T05:00:00.000Z',
    );
  });
  it('due in waking hours: sent when due', () => {
    expect(awakeReminderAt(new Date('2026-03-05T12:00:00Z'), 'Asia/Tokyo', night).toISOString()).toBe(
      '2026-03-05T12:00:00.000Z',
    );
  });
  it('quiet hours of the person’s own are their night; never more than a day early', () => {
    expect(
      awakeReminderAt(new Date('2026-03-05T12:00:00Z'), 'Asia/Tokyo', { start: '20:00', end: '08:00' }).toISOString(),
    ).toBe('2026-03-05T10:00:00.000Z');
    // a night of 23½ hours began almost a day before: the reminder goes a day early, no more
    expect(
      awakeReminderAt(new Date('2026-03-05T11:15:00Z'), 'UTC', { start: '12:00', end: '11:30' }).toISOString(),
    ).toBe('2026-03-04T11:15:00.000Z');
  });
});

describe('what one joining while decisions are open is told', () => {
  const when = (iso: string) => iso.slice(5, 10);
  it('says nothing when none is open', () => {
    expect(openOnJoiningWords([], when)).toBeNull();
  });
  it('groups the decisions by what silence does, each with its deadline', () => {
    expect(
      openOnJoiningWords(
        [
          { ref: 'D-1', closesAt: '2026-03-07T12:00:00Z', voice: 'silence-counts' },
          { ref: 'D-2', closesAt: '2026-03-08T12:00:00Z', voice: 'silence-not-counted' },
          { ref: 'D-3', closesAt: '2026-03-09T12:00:00Z', voice: 'silence-counts' },
        ],
        when,
      ),
    ).toBe(
      '3 decisions are open in this group: your silence counts as consent unless you respond (D-1 by 03-07 and D-3 by 03-09); you were told too late for your silence to count, but your response counts (D-2 by 03-08).',
    );
  });
  it('names the first five of a kind and counts the rest (a flash is a cookie)', () => {
    const many = Array.from({ length: 8 }, (_, i) => ({
      ref: `D-${i + 1}`,
      closesAt: '2026-03-07T12:00:00Z',
      voice: 'advisory' as const,
    }));
    expect(openOnJoiningWords(many, when)).toBe(
      '8 decisions are open in this group: at your level a response is advisory and silence is not counted (D-1 by 03-07, D-2 by 03-07, D-3 by 03-07, D-4 by 03-07, D-5 by 03-07 and 3 more).',
    );
  });
});
