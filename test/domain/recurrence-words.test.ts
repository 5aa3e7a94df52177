import { describe, expect, it } from 'vitest';
import {
  choiceOfRule,
  instantToWallClock,
  ruleFromChoice,
  ruleInWords,
  wallClockGap,
  wallClockToInstant,
} from '../../src/domain/meetings/recurrence-words.ts';

describe('a series rule in words', () => {
  it('says the rules people use as they would say them', () => {
    expect(ruleInWords('FREQ=WEEKLY;INTERVAL=2;COUNT=6')).toBe('every two weeks, 6 times');
    expect(ruleInWords('RRULE:FREQ=WEEKLY')).toBe('every week');
    expect(ruleInWords('FREQ=WEEKLY;BYDAY=TU,TH')).toBe('every week on Tuesday and Thursday');
    expect(ruleInWords('FREQ=MONTHLY;COUNT=1')).toBe('every month, once');
    expect(ruleInWords('FREQ=DAILY;INTERVAL=12;UNTIL=20270301T000000Z')).toBe('every 12 days, until 1 Mar 2027');
  });
  it('names a rule it cannot say as a custom rule, with the rule, instead of dropping a part', () => {
    expect(ruleInWords('FREQ=MONTHLY;BYDAY=TH;BYSETPOS=2')).toBe('a custom rule (FREQ=MONTHLY;BYDAY=TH;BYSETPOS=2)');
    expect(ruleInWords('FREQ=WEEKLY;BYDAY=1TH')).toMatch(/^a custom rule/);
  });
});

describe('the repeat picker', () => {
  it('turns a choice and a count into a rule, and back', () => {
    expect(ruleFromChoice({ repeat: 'fortnightly', times: '6' })).toEqual({ rule: 'FREQ=WEEKLY;INTERVAL=2;COUNT=6' });
    expect(ruleFromChoice({ repeat: 'monthly', times: '' })).toEqual({ rule: 'FREQ=MONTHLY' });
    expect(ruleFromChoice({ repeat: 'none', times: '1' })).toEqual({ rule: null });
    expect(ruleFromChoice({ repeat: 'none', times: ' ' })).toEqual({ rule: null });
    expect(ruleFromChoice({})).toEqual({ rule: null });
    expect(choiceOfRule('FREQ=WEEKLY;INTERVAL=2;COUNT=6')).toEqual({ repeat: 'fortnightly', times: '6' });
    expect(choiceOfRule('FREQ=YEARLY')).toBeNull();
  });
  it('refuses a bad count or choice naming the field and the rule', () => {
    expect(ruleFromChoice({ repeat: 'weekly', times: '1' })).toMatchObject({ field: 'times' });
    expect(ruleFromChoice({ repeat: 'weekly', times: 'six' })).toMatchObject({
      field: 'times',
      problem: expect.stringMatching(/^must be a whole number from 2 to \d+/),
    });
    // a count without a repeat was once dropped without a word
    expect(ruleFromChoice({ repeat: 'none', times: '5' })).toEqual({
      field: 'times',
      problem: 'only a repeating meeting can be held more than once; choose how it repeats, or leave this empty',
    });
    expect(ruleFromChoice({ times: '4' })).toMatchObject({ field: 'times' });
    expect(ruleFromChoice({ repeat: 'hourly' })).toMatchObject({ field: 'repeat', problem: /must be one of/ });
  });
});

describe('a form start read on the clock the form names', () => {
  it('reads a date-time field in the organiser’s zone, daylight saving included', () => {
    expect(wallClockToInstant('2026-12-08T15:00', 'Europe/Berlin')).toBe('2026-12-08T14:00:00Z');
    expect(wallClockToInstant('2026-07-08T15:00', 'Europe/Berlin')).toBe('2026-07-08T13:00:00Z');
    expect(wallClockToInstant('2026-12-08T15:00', 'Asia/Kolkata')).toBe('2026-12-08T09:30:00Z');
    expect(instantToWallClock('2026-12-08T09:30:00Z', 'Asia/Kolkata')).toBe('2026-12-08T15:00');
  });
  it('names a time the clock skips; one it shows twice, or any other, is not its business', () => {
    expect(wallClockGap('2027-03-28T02:00', 'Europe/Berlin')).toMatch(/^02:00 on 28 Mar 2027 never shows/);
    expect(wallClockGap('2027-03-28T01:59', 'Europe/Berlin')).toBeNull();
    expect(wallClockGap('2027-03-28T03:00', 'Europe/Berlin')).toBeNull();
    // autumn's 02:30 happens twice: the first is taken, as before
    expect(wallClockGap('2027-10-31T02:30', 'Europe/Berlin')).toBeNull();
    expect(wallClockGap('2027-03-28T02:30:00Z', 'Europe/Berlin')).toBeNull();
    expect(wallClockGap('2027-03-28T02:30', 'Mars/Olympus')).toBeNull();
    // no date-time field sends 24:00 (luxon read it as the next midnight, "never shows")
    expect(wallClockGap('2027-03-28T24:00', 'Europe/Berlin')).toBeNull();
    // a whole day skipped names the day typed: Samoa went from 29 to 31 December 2011
    expect(wallClockGap('2011-12-30T10:00', 'Pacific/Apia')).toMatch(/^10:00 on 30 Dec 2011 never shows/);
    // half an hour forward on Lord Howe Island: 02:15 is skipped, 02:30 is not
    expect(wallClockGap('2026-10-04T02:15', 'Australia/Lord_Howe')).toMatch(/^02:15 on 4 Oct 2026 never shows/);
    expect(wallClockGap('2026-10-04T02:30', 'Australia/Lord_Howe')).toBeNull();
  });
  it('leaves a time with its own offset, or a typo, to the use case', () => {
    expect(wallClockToInstant('2026-12-08T15:00:00Z', 'Europe/Berlin')).toBe('2026-12-08T15:00:00Z');
    expect(wallClockToInstant('next tuesday', 'Europe/Berlin')).toBe('next tuesday');
    expect(wallClockToInstant('2026-12-08T15:00', 'Mars/Olympus')).toBe('2026-12-08T15:00:00Z');
  });

  it('a meeting stored with a fixed offset (before zones were checked) is shown and read on that offset, not on UTC', () => {
    // a start typed on the +02:00 clock the form names was stored two hours late
    expect(instantToWallClock('2026-12-08T10:00:00Z', '+02:00')).toBe('2026-12-08T12:00');
    expect(wallClockToInstant('2026-12-08T14:00', '+02:00')).toBe('2026-12-08T12:00:00Z');
    expect(wallClockToInstant('2026-12-08T14:00', '-05:30')).toBe('2026-12-08T19:30:00Z');
    expect(wallClockToInstant('2026-12-08T14:00', '+99:00')).toBe('2026-12-08T14:00:00Z');
  });
});
