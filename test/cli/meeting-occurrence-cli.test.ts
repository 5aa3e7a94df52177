// One start of a series from the command line, on both databases: `wghub meeting … M-1@<start>`
// refuses a start with no meeting of its own in the meeting policy's words (exit 4, as REST's 403 and
// MCP's forbidden), acts on the meeting of its own once there is one, finds it by that id after it is
// moved alone, and a daily series a year and a half on still shows its next meetings.
import { writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseForProcess, databases } from '../support/databases.ts';
import { runCli } from '../support/process.ts';

const day = (n: number) => new Date(Date.parse('2026-11-03T15:00:00.000Z') + n * 86_400_000).toISOString();
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// a walk of many commands; on two busy cores one of them can take a few seconds
const SLOW = 120_000;

describe.each(databases)('a start of a series from the CLI on $name', (database) => {
  it(
    'refuses an unopened start as the policy says, acts on an opened one, finds it moved, and lists a long series’ next meetings',
    async () => {
      const db = await databaseForProcess(database);
      const dir = mkdtempSync(path.join(tmpdir(), 'wghub-start-'));
      dirs.push(dir);
      const clock = path.join(dir, 'clock');
      writeFileSync(clock, '2026-11-02T09:00:00Z');
      const env = { WGHUB_DATABASE_URL: db.url, WGHUB_TEST_CLOCK_FILE: clock };
      const cli = (...args: string[]) => runCli(args, env);
      try {
        expect((await cli('seed')).code).toBe(0);
        const scheduled = await cli(
          '--as',
          'sam-lead',
          '--json',
          'meeting',
          'schedule',
          '--group',
          'hosting',
          '--kind',
          'content',
          '--title',
          'Daily triage',
          '--at',
          day(0),
          '--zone',
          'UTC',
          '--rrule',
          'FREQ=DAILY',
        );
        expect(scheduled.code, scheduled.stderr).toBe(0);
        const ref: string = JSON.parse(scheduled.stdout).ref;
        const id = `${ref}@${day(5)}`;

        // priya may not open it: told who may, in the words every edge uses
        const refused = await cli('--as', 'priya', 'meeting', 'agenda', 'add', id, '--title', 'Flaky runner');
        expect(refused.code).toBe(4);
        expect(refused.stderr).toContain(
          'This meeting of the series has no agenda of its own yet: only a group lead, a core maintainer or a lead maintainer may open it; then anyone taking part may add items and send written input',
        );
        const template = await cli('--as', 'sam-lead', 'meeting', 'notes', id, '--template');
        expect(template.code).toBe(4);
        expect(template.stderr).toContain('This meeting of the series has no agenda of its own yet: open it first (');

        const opened = await cli(
          '--as',
          'sam-lead',
          '--json',
          'meeting',
          'schedule',
          '--group',
          'hosting',
          '--kind',
          'content',
          '--title',
          'Daily triage',
          '--at',
          day(5),
          '--zone',
          'UTC',
          '--series',
          ref,
        );
        expect(opened.code, opened.stderr).toBe(0);
        const own: string = JSON.parse(opened.stdout).ref;
        const added = await cli('--as', 'priya', '--json', 'meeting', 'agenda', 'add', id, '--title', 'Flaky runner');
        expect(added.code, added.stderr).toBe(0);
        expect(JSON.parse(added.stdout)).toMatchObject({ ref: own, agenda: { items: [{ title: 'Flaky runner' }] } });

        // moved alone an hour later, by its id, it still answers to it
        const later = day(5).replace('15:00', '16:00');
        const moved = await cli('--as', 'sam-lead', 'meeting', 'edit', id, '--at', later);
        expect(moved.code, moved.stderr).toBe(0);
        const shown = JSON.parse((await cli('--json', 'meeting', 'show', id)).stdout);
        expect(shown).toMatchObject({ ref: own, startsAt: later, occurrence: { id, startsAt: day(5), ref: own } });

        // a year and a half on, the series still has meetings to come
        writeFileSync(clock, day(600).replace('15:00', '09:00'));
        const series = JSON.parse((await cli('--json', 'meeting', 'show', ref)).stdout);
        expect(series.upcoming.slice(0, 2)).toEqual([day(600), day(601)]);
      } finally {
        db.cleanup();
      }
    },
    SLOW,
  );
});
