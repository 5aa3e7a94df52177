// A series scheduled "6 times" is six meetings wherever it is read. A review found the page of a new
// six-meeting series showing five dates: the start under "When" and four under "Next:", which stopped
// there without a word (so did `wghub meeting show`). The rule was right (COUNT=6, six starts); the
// lists now say how many more follow and when the last is, and the view carries both for REST and MCP.
// Over the demo community (clock at 2026-11-02T09:00Z; M-1 is the fortnightly Hosting series of six
// whose first meeting was on 24 Oct); Sam reads times on the Los Angeles clock.
import { describe, expect, it } from 'vitest';
import { getMeeting } from '../../src/app/meetings/meetings.ts';
import { showMeeting } from '../../src/cli/meeting-commands.ts';
import { databases } from '../support/databases.ts';
import { pageText as text, signInAs } from '../support/web-client.ts';
import { webHubPerTest } from '../support/web-hub.ts';

const weekly = {
  group: 'hosting',
  kind: 'process',
  title: 'Hosting series',
  startsAt: '2026-12-08T09:00',
  timeZone: 'UTC',
  durationMinutes: '60',
  repeat: 'weekly',
};

describe.each(databases)('a series of six on $name', (database) => {
  const web = webHubPerTest(database);

  it('is six meetings on its page, over REST and on the command line', async () => {
    const sam = await signInAs(web.app, 'sam-lead');
    await sam.get('/meetings/new');
    const made = await sam.post('/meetings/new', { ...weekly, times: '6' });
    expect(made.status).toBe(303);
    const ref = made.location!.split('/').pop()!;

    const page = text((await sam.get(made.location!)).html);
    expect(page).toContain('Repeats every week, 6 times');
    const next = page.slice(page.indexOf('Next:'), page.indexOf('Agenda', page.indexOf('Next:')));
    for (const day of ['8 Dec', '15 Dec', '22 Dec', '29 Dec']) expect(next).toContain(`Tue ${day} 2026, 01:00`);
    expect(next).toContain('Then 2 more meetings, the last Tue 12 Jan 2027, 01:00 (America/Los_Angeles)');

    const rest = await web.app.request(`/api/meetings/${ref}`);
    expect(rest.status).toBe(200);
    const body = await rest.json();
    expect(body).toMatchObject({
      rrule: 'FREQ=WEEKLY;COUNT=6',
      stillToCome: 6,
      lastStartsAt: '2027-01-12T09:00:00.000Z',
    });
    expect(body.upcoming).toEqual([
      '2026-12-08T09:00:00.000Z',
      '2026-12-15T09:00:00.000Z',
      '2026-12-22T09:00:00.000Z',
      '2026-12-29T09:00:00.000Z',
      '2027-01-05T09:00:00.000Z',
      '2027-01-12T09:00:00.000Z',
    ]);

    const cli = showMeeting(await getMeeting(web.hub, ref));
    expect(cli).toContain(
      'next: Tue 2026-12-08 09:00 UTC | Tue 2026-12-15 09:00 UTC | Tue 2026-12-22 09:00 UTC | Tue 2026-12-29 09:00 UTC | and 2 more, the last Tue 2027-01-12 09:00 UTC',
    );
  });

  it('counts the meetings already held: the change-repeat form keeps the count meaning meetings in all', async () => {
    const sam = await signInAs(web.app, 'sam-lead');
    // six fortnightly meetings from 24 Oct: one held, five to come, the last on 2 Jan
    const before = await sam.get('/meetings/M-1');
    expect(text(before.html)).toContain('Then 1 more meeting, the last Sat 2 Jan 2027, 09:00 (America/Los_Angeles)');
    expect(before.html).toMatch(/<input[^>]*name="times"[^>]*value="6"/);
    expect(await getMeeting(web.hub, 'M-1')).toMatchObject({
      stillToCome: 5,
      lastStartsAt: '2027-01-02T17:00:00.000Z',
    });

    // the same six, every week: 24 and 31 Oct are behind, four to come, and the page lists all four
    const version = String((await getMeeting(web.hub, 'M-1')).version);
    const saved = await sam.post('/meetings/M-1/recurrence', { version, repeat: 'weekly', times: '6' });
    expect(saved.status).toBe(303);
    const after = await sam.get('/meetings/M-1');
    const page = text(after.html);
    expect(page).toContain('Repeats every week, 6 times');
    expect(page).not.toContain('more meeting');
    expect(after.html).toMatch(/<input[^>]*name="times"[^>]*value="6"/);
    expect(await getMeeting(web.hub, 'M-1')).toMatchObject({
      rrule: 'FREQ=WEEKLY;COUNT=6',
      stillToCome: 4,
      lastStartsAt: '2026-11-28T17:00:00.000Z',
    });
  });

  it('says a series without a count goes on, rather than ending where the list does', async () => {
    const sam = await signInAs(web.app, 'sam-lead');
    await sam.get('/meetings/new');
    const made = await sam.post('/meetings/new', { ...weekly, times: '' });
    expect(made.status).toBe(303);
    expect(text((await sam.get(made.location!)).html)).toContain(
      'After these it goes on until the series is changed or cancelled.',
    );
    const m = await getMeeting(web.hub, made.location!.split('/').pop()!);
    expect(m).toMatchObject({ stillToCome: null, lastStartsAt: null });
    expect(showMeeting(m)).toContain('| … until changed or cancelled');
  });
});
