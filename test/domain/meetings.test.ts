import { describe, expect, it } from 'vitest';
import { loadGovernance } from '../../src/app/core/governance-file.ts';
import { GUIDE_EXAMPLES, itemKind, kindWarning, readsAs } from '../../src/domain/meetings/agenda-kind.ts';
import { noticeOf, notesDeadline } from '../../src/domain/meetings/deadlines.ts';
import {
  isOccurrence,
  occurrences,
  ruleProblem,
  ruleProblems,
  startsFrom,
} from '../../src/domain/meetings/recurrence.ts';
import { notesTemplate } from '../../src/domain/meetings/notes-template.ts';
import { renderMarkdown } from '../../src/domain/markdown.ts';

const g = loadGovernance();

describe('meeting deadlines', () => {
  it('notice is enough at exactly 7 days and short a millisecond before', () => {
    expect(noticeOf(g, '2026-03-02T12:00:00.000Z', '2026-03-09T12:00:00.000Z')).toEqual({
      requiredDays: 7,
      givenDays: 7,
      short: false,
      why: null,
    });
    expect(noticeOf(g, '2026-03-02T12:00:00.001Z', '2026-03-09T12:00:00.000Z').short).toBe(true);
  });

  it('notes are due 48 hours after the end: on time at the instant, late after it', () => {
    const end = '2026-03-09T17:00:00.000Z';
    expect(notesDeadline(g, end, null, new Date('2026-03-09T16:59:59Z')).state).toBe('not-due');
    expect(notesDeadline(g, end, null, new Date('2026-03-11T17:00:00Z')).state).toBe('due');
    expect(notesDeadline(g, end, null, new Date('2026-03-11T17:00:00.001Z')).state).toBe('late');
    expect(notesDeadline(g, end, '2026-03-11T17:00:00.000Z', new Date('2026-04-01T00:00:00Z')).state).toBe('published');
    expect(notesDeadline(g, end, '2026-03-11T20:00:00.000Z', new Date('2026-04-01T00:00:00Z'))).toEqual({
      dueAt: '2026-03-11T17:00:00.000Z',
      state: 'published-late',
      lateByHours: 3,
    });
    // a cancelled meeting owes no notes, however long ago it would have ended
    expect(notesDeadline(g, end, null, new Date('2026-04-01T00:00:00Z'), true).state).toBe('cancelled');
  });

  it('the numbers come from the governance file', () => {
    const strict = { ...g, meetings: { ...g.meetings, noticeDays: 14, notesHours: 24 } };
    expect(noticeOf(strict, '2026-03-02T12:00:00Z', '2026-03-09T12:00:00Z').why).toBe(
      "listed 7 days ahead; the community asks for at least 14 days' notice",
    );
    expect(notesDeadline(strict, '2026-03-09T17:00:00.000Z', null, new Date('2026-03-10T17:00:01Z')).state).toBe(
      'late',
    );
  });
});

describe('process and content items', () => {
  it('reads the guide’s own examples as their kind', () => {
    for (const e of GUIDE_EXAMPLES.process) expect(readsAs(e), e).toBe('process');
    for (const e of GUIDE_EXAMPLES.content) expect(readsAs(e), e).toBe('content');
    expect(readsAs('Welcome and introductions')).toBeNull();
  });

  it('warns only on a mismatch; a declared kind wins over the text', () => {
    expect(kindWarning('process', 'process')).toBeNull();
    expect(kindWarning('content', 'process')?.code).toBe('process-in-content-meeting');
    expect(itemKind(undefined, 'Welcome', 'content')).toBe('content');
    expect(itemKind('process', 'Deep-dive on transport error handling', 'content')).toBe('process');
  });
});

describe('series rules', () => {
  it('keeps the wall-clock time through the US and EU daylight-saving changes', () => {
    // 10:00 in New York every Monday, across 8 March 2026 (US DST starts)
    expect(occurrences('2026-03-02T15:00:00Z', 'America/New_York', 'FREQ=WEEKLY;COUNT=2')).toEqual([
      '2026-03-02T15:00:00.000Z',
      '2026-03-09T14:00:00.000Z',
    ]);
    expect(
      isOccurrence('2026-03-02T15:00:00Z', 'America/New_York', 'FREQ=WEEKLY;COUNT=2', '2026-03-09T15:00:00Z'),
    ).toBe(false);
    expect(occurrences('2026-03-02T15:00:00Z', 'UTC', null)).toEqual(['2026-03-02T15:00:00.000Z']);
  });

  it("lists a page of starts from any point of a series, past its first 520 and across each expansion's end, each once", () => {
    const daily = (n: number) => new Date(Date.parse('2024-01-01T10:00:00.000Z') + n * 86_400_000).toISOString();
    // two years in: beyond the 520 one expansion holds
    expect(startsFrom(daily(0), 'UTC', 'FREQ=DAILY', daily(800), 3)).toEqual([daily(800), daily(801), daily(802)]);
    // a page that begins just before an expansion ends goes on into the next, the joining start once
    const across = startsFrom(daily(0), 'UTC', 'FREQ=DAILY', daily(517), 6);
    expect(across).toEqual([517, 518, 519, 520, 521, 522].map(daily));
    // between starts: from the next one; a rule with COUNT ends where it ends
    expect(startsFrom(daily(0), 'UTC', 'FREQ=DAILY', '2024-01-02T11:00:00.000Z', 1)).toEqual([daily(2)]);
    expect(startsFrom(daily(0), 'UTC', 'FREQ=DAILY;COUNT=3', daily(1), 10)).toEqual([daily(1), daily(2)]);
    expect(startsFrom(daily(0), 'UTC', null, daily(1), 10)).toEqual([]);
  });

  it('finds the starts from any point of a series as its whole expansion lists them, whatever the rule', () => {
    // startsFrom expands a rule without COUNT from a little before `from`, not from the first start:
    // each rule here against its first starts (up to three expansions), from points spread over them
    const rules = [
      ['2026-01-05T09:30:00Z', 'Europe/Berlin', 'FREQ=DAILY'],
      ['2026-01-05T09:30:00Z', 'Europe/Berlin', 'FREQ=DAILY;INTERVAL=3'],
      ['2026-01-05T09:30:00Z', 'Europe/Berlin', 'FREQ=DAILY;BYDAY=MO,WE,FR'],
      ['2026-01-08T15:00:00Z', 'America/New_York', 'FREQ=WEEKLY'],
      ['2026-01-08T15:00:00Z', 'America/New_York', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH'],
      ['2026-01-08T15:00:00Z', 'America/New_York', 'FREQ=WEEKLY;INTERVAL=3;WKST=SU;BYDAY=SU,TH'],
      ['2026-01-31T08:00:00Z', 'UTC', 'FREQ=MONTHLY'],
      ['2026-01-31T08:00:00Z', 'UTC', 'FREQ=MONTHLY;INTERVAL=5'],
      ['2026-01-08T15:00:00Z', 'Asia/Kolkata', 'FREQ=MONTHLY;BYDAY=2TH'],
      ['2026-01-08T15:00:00Z', 'Asia/Kolkata', 'FREQ=MONTHLY;INTERVAL=2;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1'],
      ['2028-02-29T12:00:00Z', 'UTC', 'FREQ=YEARLY'],
      ['2026-03-10T12:00:00Z', 'Pacific/Auckland', 'FREQ=YEARLY;INTERVAL=2;BYMONTH=3,9;BYDAY=1TU'],
      ['2026-01-05T09:30:00Z', 'Europe/Berlin', 'FREQ=WEEKLY;UNTIL=20300101T000000'],
      // a yearly rule meeting on many days: one year's repetition holds hundreds of starts, so the
      // expansion from a little before a point may stop at the cap short of it and go on from there
      ['2026-01-05T09:30:00Z', 'Europe/Berlin', 'FREQ=YEARLY;BYDAY=MO,TU,WE,TH,FR,SA,SU'],
      ['2026-01-05T09:30:00Z', 'UTC', 'FREQ=YEARLY;BYDAY=MO,WE,FR'],
      ['2026-01-05T09:30:00Z', 'America/New_York', 'FREQ=YEARLY;INTERVAL=2;BYDAY=TU,TH'],
    ] as const;
    for (const [start, zone, rule] of rules) {
      // its first three expansions of 520, each from the last start of the one before (given once)
      let whole = occurrences(start, zone, rule);
      for (let round = 0; round < 2 && whole.length % 520 === 0; round++)
        whole = [...whole, ...occurrences(whole.at(-1)!, zone, rule).slice(1)];
      // (the last few of a whole expansion are left out: where rrule stops at its bound it may repeat one)
      for (const i of [3, 40, 199, 400, 700, 990, 1300]) {
        if (i + 12 >= whole.length - 2) continue;
        const want = whole.slice(i, i + 12);
        expect(startsFrom(start, zone, rule, whole[i]!, want.length), `${rule} from its start ${i}`).toEqual(want);
        // between two starts: from the next
        const between = new Date(Date.parse(whole[i]!) - 60_000).toISOString();
        expect(startsFrom(start, zone, rule, between, 1), `${rule} before its start ${i}`).toEqual([whole[i]]);
        expect(isOccurrence(start, zone, rule, whole[i]!)).toBe(true);
        expect(isOccurrence(start, zone, rule, between)).toBe(false);
      }
    }
    // thirty years into a daily series, its next starts and one of them as an occurrence
    const day = (n: number) => new Date(Date.parse('2026-01-01T10:00:00.000Z') + n * 86_400_000).toISOString();
    expect(startsFrom(day(0), 'UTC', 'FREQ=DAILY', day(11_000), 2)).toEqual([day(11_000), day(11_001)]);
    expect(isOccurrence(day(0), 'UTC', 'FREQ=DAILY', day(11_000))).toBe(true);
    // a yearly rule meeting every day, two and a half years in: past a whole expansion near that point
    const everyDay = 'FREQ=YEARLY;BYDAY=MO,TU,WE,TH,FR,SA,SU';
    expect(startsFrom('2026-01-05T09:30:00Z', 'UTC', everyDay, '2028-07-03T09:30:00Z', 2)).toEqual([
      '2028-07-03T09:30:00.000Z',
      '2028-07-04T09:30:00.000Z',
    ]);
    expect(isOccurrence('2026-01-05T09:30:00Z', 'UTC', everyDay, '2028-07-03T09:30:00Z')).toBe(true);
  });

  it('explains a bad rule', () => {
    expect(ruleProblem('WEEKLY')).toMatch(/must be an RFC 5545 RRULE with a FREQ/);
    expect(ruleProblem('FREQ=WEEKLY;DTSTART=20260101T000000Z')).toMatch(/must not carry DTSTART/);
    expect(ruleProblem('FREQ=WEEKLY;COUNT=999')).toBe('COUNT must be at most 520');
    expect(ruleProblem('FREQ=WEEKLY;INTERVAL=2;BYDAY=TH')).toBeNull();
    // every problem at once, not only the first
    expect(ruleProblems('FREQ=WEEKLY;INTERVAL=0;BYDAY=XX;BYMONTH=13;FOO=1')).toEqual([
      expect.stringContaining('must not carry FOO'),
      'INTERVAL must be a whole number from 1 to 1000',
      expect.stringContaining('BYDAY must list days'),
      'BYMONTH must list months from 1 to 12',
    ]);
    expect(ruleProblems('FREQ=MONTHLY;BYDAY=-1FR,2TH;UNTIL=20271231T000000Z')).toEqual([]);
    // an unknown part is told the parts a meeting's rule may carry, never the time-of-day ones it refuses
    const unknown = ruleProblems('FREQ=WEEKLY;FOO=1')[0]!;
    expect(unknown).toMatch(/^must not carry FOO: a rule's parts are FREQ, INTERVAL, COUNT/);
    expect(unknown).not.toMatch(/BYHOUR|BYMINUTE|BYSECOND/);
  });
});

describe('exported meeting markdown', () => {
  const hostile = '# Sync <img src=x> [x](javascript:1) {y} *z*';
  it("writes titles into the notes template as text: one heading, the title's characters", () => {
    const notes = notesTemplate({
      ref: 'M-1',
      title: hostile,
      kind: 'content',
      group: 'hosting',
      groupName: 'Hosting_',
      topic: 'scaling',
      topicName: 'Scaling *fast*',
      startsAt: '2026-12-01T10:00:00Z',
      localStart: '11:00',
      timeZone: 'Europe/Berlin',
      attendance: [],
      agenda: { items: [{ position: 1, title: '- a | b', kind: 'content', link: null, writtenInput: [] }] },
      decisions: [],
      actions: [],
    });
    const html = renderMarkdown(notes);
    expect(html).toContain(
      '<h1># Sync &lt;img src=x&gt; [x](javascript:1) {y} *z* (<a href="/meetings/M-1">M-1</a>)</h1>',
    );
    expect(html).toContain('<h3>1. - a | b</h3>');
    // the group and topic area by name, as written, not by the slugs of their addresses
    expect(html).toContain('<strong>Group:</strong> Hosting_ / Scaling *fast*</li>');
    expect(html.match(/<h1>/g)).toHaveLength(1);
    // the one link is the meeting's own reference; the title's [x](javascript:1) stays text
    expect(html.match(/<a /g)).toHaveLength(1);
    for (const markup of ['<img', '<em>z', '<ul>\n<li>a']) expect(html).not.toContain(markup);
  });
});

describe('the notes template says when', () => {
  const meeting = (startsAt: string, localStart: string, timeZone: string) =>
    notesTemplate({
      ref: 'M-2',
      title: 'Sync',
      kind: 'content',
      group: 'hosting',
      groupName: 'Hosting',
      topic: null,
      topicName: null,
      startsAt,
      localStart,
      timeZone,
      attendance: [],
      agenda: { items: [] },
      decisions: [],
      actions: [],
    });
  it('in UTC and on the meeting’s own clock, and once for a meeting kept in UTC', () => {
    expect(meeting('2026-12-05T14:30:00Z', 'Sat 2026-12-05 15:30 GMT+1', 'Europe/Berlin')).toContain(
      '- **When:** 2026-12-05 14:30 UTC (Sat 2026-12-05 15:30 GMT+1, Europe/Berlin)',
    );
    expect(meeting('2026-12-05T14:30:00Z', 'Sat 2026-12-05 14:30 UTC', 'UTC')).toContain(
      '- **When:** Sat 2026-12-05 14:30 UTC\n',
    );
  });
});
