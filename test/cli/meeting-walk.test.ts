// The README's meetings walkthrough, from the command line, on the demo community.
import ICAL from 'ical.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, seedCli } from '../support/process.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'wghub-meet-'));
const env = { WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'hub.sqlite')}` };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// each step starts several processes; on two busy cores one of them can take a few seconds
const SLOW = 90_000;

describe('meetings from the CLI', () => {
  it(
    'schedules with short notice flagged; agenda with a kind warning; written input in the notes template',
    async () => {
      expect((await seedCli(env)).code).toBe(0);
      const soon = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 13) + ':00:00Z';
      const s = await runCli(
        [
          '--as',
          'sam-lead',
          'meeting',
          'schedule',
          '--group',
          'hosting',
          '--kind',
          'process',
          '--title',
          'Extra coordination',
          '--at',
          soon,
          '--zone',
          'Europe/Berlin',
        ],
        env,
      );
      expect(s.code).toBe(0);
      expect(s.stdout).toContain('M-4: Extra coordination');
      expect(s.stdout).toMatch(
        /SHORT NOTICE: listed [23]\.\d days ahead; the community asks for at least 7 days' notice/,
      );
      // what is to come, soonest first, the fortnightly series at its next meeting (not its first, days ago)
      const upcoming = await runCli(['meeting', 'upcoming', '--group', 'hosting'], env);
      expect(upcoming.code).toBe(0);
      const lines = upcoming.stdout.trim().split('\n');
      const times = lines.map((l) => l.split(/\s+/)[1]!);
      expect(times).toEqual([...times].sort());
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^M-4 +${soon.replace('Z', '.000Z')} +hosting`)));
      const series = lines.find((l) => l.includes('[series: '))!;
      expect(Date.parse(series.split(/\s+/)[1]!)).toBeGreaterThan(Date.now() - 86_400_000);
      // the lead names the note-taker; a name that is nobody's is refused naming the field
      expect((await runCli(['--as', 'sam-lead', 'meeting', 'edit', 'M-4', '--note-taker', 'sam-lead'], env)).code).toBe(
        0,
      );
      const nobody = await runCli(['--as', 'sam-lead', 'meeting', 'edit', 'M-4', '--note-taker', 'nobody'], env);
      expect(nobody.code).not.toBe(0);
      expect(nobody.stderr).toContain("noteTaker: no person 'nobody'");
      const add = await runCli(
        [
          '--as',
          'jonas',
          'meeting',
          'agenda',
          'add',
          'M-4',
          '--title',
          'Designing patterns for error handling across transport types',
        ],
        env,
      );
      expect(add.stdout).toContain('warning: this is a content item in a process meeting');
      const refused = await runCli(
        ['--as', 'amara', 'meeting', 'agenda', 'add', 'M-4', '--title', 'Observers cannot add items'],
        env,
      );
      expect(refused.code).toBe(4);
      // a version as printed, digits only: 0x1 is no version (Number() read it as 1), refused naming it
      const hexVersion = await runCli(
        [
          '--as',
          'sam-lead',
          'meeting',
          'agenda',
          'add',
          'M-4',
          '--title',
          'Added at a hex version',
          '--if-version',
          '0x1',
        ],
        env,
      );
      expect(hexVersion.code).toBe(2);
      expect(hexVersion.stderr).toContain('version: must be the version you read');
      const input = await runCli(
        [
          '--as',
          'amara',
          'meeting',
          'input',
          'M-4',
          '--item',
          '1',
          '--text',
          'I will be asleep; please keep retries in scope.',
        ],
        env,
      );
      expect(input.stdout).toMatch(
        /written input from Amara Diallo \(@amara\) \[[\w-]+\] v1 \(not yet marked\): I will be asleep; please keep retries in scope\./,
      );
      // the item as written: 0x1 is no item (Number() read it as item 1)
      const hex = await runCli(
        ['--as', 'amara', 'meeting', 'input', 'M-4', '--item', '0x1', '--text', 'Meant for the first item, in hex.'],
        env,
      );
      expect(hex.code).not.toBe(0);
      expect(hex.stderr).toContain("item: M-4 has no agenda item '0x1'");
      expect((await runCli(['meeting', 'notes', 'M-4', '--template'], env)).stdout).toContain(
        '**Written input from @amara**',
      );
      // its sender fixes a typo from the version `show` printed, and nobody else may; then takes it back
      const id = /\[([\w-]+)\] v1 \(not yet marked\): I will be asleep/.exec(input.stdout)![1]!;
      const blindEdit = await runCli(
        [
          '--as',
          'amara',
          'meeting',
          'input-edit',
          'M-4',
          id,
          '--text',
          'I will be asleep; please keep retries in scope!',
        ],
        env,
      );
      expect(blindEdit.stderr).toContain('pass --if-version');
      const notHers = await runCli(
        [
          '--as',
          'jonas',
          'meeting',
          'input-edit',
          'M-4',
          id,
          '--text',
          'Rewritten by someone else.',
          '--if-version',
          '1',
        ],
        env,
      );
      expect(notHers.code).toBe(4);
      expect(notHers.stderr).toContain('Only the person who sent this written input may change it');
      const edited = await runCli(
        [
          '--as',
          'amara',
          'meeting',
          'input-edit',
          'M-4',
          id,
          '--text',
          'I will be asleep: keep retries in scope.',
          '--if-version',
          '1',
        ],
        env,
      );
      expect(edited.code).toBe(0);
      expect(edited.stdout).toMatch(/\] v2, edited [^(]+\(not yet marked\): I will be asleep: keep retries in scope\./);
      const withdrawn = await runCli(
        ['--as', 'amara', 'meeting', 'input-withdraw', 'M-4', id, '--if-version', '2'],
        env,
      );
      expect(withdrawn.code).toBe(0);
      expect(withdrawn.stdout).not.toContain('written input from Amara');
      // the lead puts their own item first; a move from an older read of the meeting is refused
      expect(
        (await runCli(['--as', 'sam-lead', 'meeting', 'agenda', 'add', 'M-4', '--title', 'Who takes the notes'], env))
          .code,
      ).toBe(0);
      const moved = await runCli(['--as', 'sam-lead', 'meeting', 'agenda', 'move', 'M-4', '2', 'up'], env);
      expect(moved.code).toBe(0);
      expect(moved.stdout.indexOf('Who takes the notes')).toBeLessThan(
        moved.stdout.indexOf('Designing patterns for error handling'),
      );
      const stale = await runCli(
        ['--as', 'sam-lead', 'meeting', 'agenda', 'move', 'M-4', '2', 'up', '--if-version', '1'],
        env,
      );
      expect(stale.code).not.toBe(0);
      expect(stale.stderr).toContain('was changed by someone else');
    },
    SLOW,
  );

  it(
    'lists late notes, publishes notes late, and writes a calendar a real parser reads',
    async () => {
      expect((await runCli(['meeting', 'late-notes'], env)).stdout).toMatch(/^M-3 .* notes overdue by [\d.]+ h/);

      const notes = path.join(dir, 'notes.md');
      writeFileSync(notes, '# Security review\nWe reviewed three tool-poisoning reports.');
      const published = await runCli(['--as', 'priya', 'meeting', 'notes', 'M-3', '--file', notes], env);
      expect(published.stdout).toMatch(/notes: published .*\(published-late, [\d.]+ h late\)/);

      // replacing who attended needs the version read: the CLI names its own flag, not REST's If-Match,
      // and `show` prints the version to pass
      expect((await runCli(['--as', 'priya', 'meeting', 'attend', 'M-3', 'priya'], env)).code).toBe(0);
      const blind = await runCli(['--as', 'priya', 'meeting', 'attend', 'M-3', 'priya', 'kai-core'], env);
      expect(blind.stderr).toContain(
        'needs the version you last read (pass --if-version with the version `show` prints)',
      );
      const version = /^ {2}version: (\d+)$/m.exec((await runCli(['meeting', 'show', 'M-3'], env)).stdout)![1]!;
      const replaced = await runCli(
        ['--as', 'priya', 'meeting', 'attend', 'M-3', 'priya', 'kai-core', '--if-version', version],
        env,
      );
      expect(replaced.stdout).toContain('attended: Kai');

      const ics = path.join(dir, 'hosting.ics');
      expect((await runCli(['meeting', 'ical', '--group', 'hosting', '-o', ics], env)).code).toBe(0);
      const events = new ICAL.Component(ICAL.parse(readFileSync(ics, 'utf8')))
        .getAllSubcomponents('vevent')
        .map((v) => new ICAL.Event(v).summary);
      expect(events).toEqual(
        expect.arrayContaining(['Hosting WG coordination (hosting)', 'Extra coordination (hosting)']),
      );
      // printed to standard output, the same calendar: CRLF line ends, not escaped
      const printed = (await runCli(['meeting', 'ical', '--group', 'hosting'], env)).stdout;
      expect(printed).toMatch(/^BEGIN:VCALENDAR\r\n/);
      expect(printed).not.toContain('\\u000d');
      expect(new ICAL.Component(ICAL.parse(printed)).getAllSubcomponents('vevent').length).toBe(events.length);
    },
    SLOW,
  );

  it(
    'proposes fair times with a rotation and drafts the quarterly update',
    async () => {
      const ft = JSON.parse(
        (
          await runCli(
            [
              '--json',
              'meeting',
              'fair-times',
              '--group',
              'hosting',
              '--from',
              '2026-12-01T00:00:00Z',
              '--days',
              '7',
              '--series',
              '4',
            ],
            env,
          )
        ).stdout,
      );
      expect(ft.participants).toBe(4);
      expect(ft.series.rotation.zones.every((z: { worstHourCount: number }) => z.worstHourCount < 4)).toBe(true);

      // the update due at the end of the quarter M-1 falls in (periods start on the 1st of Feb, May, Aug, Nov),
      // so the test holds on any day it runs
      const m1 = new Date(JSON.parse((await runCli(['--json', 'meeting', 'show', 'M-1'], env)).stdout).startsAt);
      const dueMonth = [1, 4, 7, 10].find((q) => q >= m1.getUTCMonth() + 1) ?? 1;
      const dueYear = m1.getUTCFullYear() + (m1.getUTCMonth() + 1 > 10 ? 1 : 0);
      const q = await runCli(['quarterly', 'hosting', '--due', `${dueYear}-${String(dueMonth).padStart(2, '0')}`], env);
      expect(q.stdout).toContain('# Hosting Working Group: quarterly update');
      expect(q.stdout).toContain('M-1 Hosting WG coordination (process; 3 attended');

      // the fortnightly series has begun: it is ended from a day, saying why, not cancelled
      const from = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
      const far = await runCli(
        ['--as', 'sam-lead', 'meeting', 'end-series', 'M-1', '--from', '2099-01-01', '--reason', 'Some day'],
        env,
      );
      expect(far.code).not.toBe(0);
      expect(far.stderr).toContain('from: must be within a year of today');
      const ended = await runCli(
        ['--as', 'sam-lead', 'meeting', 'end-series', 'M-1', '--from', from, '--reason', 'We meet monthly now'],
        env,
      );
      expect(ended.code).toBe(0);
      expect(ended.stdout).toContain(`series ENDED: no meetings from ${from}; why: We meet monthly now`);
      const again = await runCli(
        ['--as', 'sam-lead', 'meeting', 'end-series', 'M-1', '--from', from, '--reason', 'Twice over'],
        env,
      );
      // the same end again is already as asked: nothing done, exit 0 with the notice (a retrying script stays green)
      expect(again.code).toBe(0);
      expect(again.stderr).toContain('The series is already ended');
      expect(again.stderr).toContain('it is already so, nothing to do');
      // ending it from another day is refused: a series ends once
      const otherDay = await runCli(
        [
          '--as',
          'sam-lead',
          'meeting',
          'end-series',
          'M-1',
          '--from',
          new Date(Date.now() + 21 * 86_400_000).toISOString().slice(0, 10),
          '--reason',
          'Another day',
        ],
        env,
      );
      expect(otherDay.code).not.toBe(0);
      expect(otherDay.stderr).toContain('a series ends once');
    },
    SLOW,
  );
});
