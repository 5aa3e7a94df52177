// "Upcoming meetings" as a member means it, on every edge: a series at its next meeting, soonest
// first, a finished series left out and a meeting under way still in. Before, MCP's
// list_upcoming_meetings listed a series at its first start (weeks ago) and kept it after its last.
// Over the demo community: the clock is at 2026-11-02T09:00Z; M-1 is Hosting's fortnightly series of
// six from Sat 24 Oct at 9:00 in Los Angeles (16:00 UTC, 17:00 once the clocks have gone back; the last on 2 Jan); M-2 a one-off on Thu 12 Nov at 13:00 UTC.
import { describe, expect, it } from 'vitest';
import { SYSTEM } from '../../../src/app/core/hub.ts';
import { listMeetings, scheduleMeeting, updateMeeting } from '../../../src/app/meetings/meetings.ts';
import { createToken } from '../../../src/app/people/tokens.ts';
import { heldMeetings, upcomingMeetings } from '../../../src/app/meetings/upcoming.ts';
import { httpClient, serveMcpOverHttp } from '../../mcp/support.ts';
import { databases } from '../../support/databases.ts';
import { asActor } from '../../support/hub.ts';
import { webHubPerTest } from '../../support/web-hub.ts';

const at = (items: { ref: string; nextStartsAt: string }[]) => items.map((m) => `${m.ref} ${m.nextStartsAt}`);

describe.each(databases)('upcoming meetings on $name', (database) => {
  const web = webHubPerTest(database);

  it('lists a series at its next meeting, soonest first, in the app, over REST and over MCP', async () => {
    // what the rows say: M-1 by its first start, in the past
    const rows = await listMeetings(web.hub, { group: 'hosting', from: web.hub.clock.now().toISOString() });
    expect(rows.items[0]).toMatchObject({ ref: 'M-1', startsAt: '2026-10-24T16:00:00.000Z' });

    const expected = ['M-1 2026-11-07T17:00:00.000Z', 'M-2 2026-11-12T13:00:00.000Z'];
    const app = await upcomingMeetings(web.hub, { group: 'hosting' });
    expect(at(app.items)).toEqual(expected);
    expect(app.items[0]).toMatchObject({
      startsAt: '2026-10-24T16:00:00.000Z',
      nextEndsAt: '2026-11-07T18:00:00.000Z',
      nextLocalStart: expect.stringMatching(/^Sat 2026-11-07 /),
    });

    const rest = await web.app.request('/api/meetings/upcoming?group=hosting');
    expect(rest.status).toBe(200);
    expect(at((await rest.json()).items)).toEqual(expected);

    const { url, server } = await serveMcpOverHttp(web.hub);
    try {
      const client = await httpClient(url, 'modern', (await createToken(web.hub, SYSTEM, 'priya')).token);
      const r = (await client.callTool({ name: 'list_upcoming_meetings', arguments: { group: 'hosting' } })) as {
        isError?: boolean;
        structuredContent: { items: { ref: string; nextStartsAt: string }[] };
      };
      expect(r.isError).toBeFalsy();
      expect(at(r.structuredContent.items)).toEqual(expected);
      await client.close();
    } finally {
      server.close();
    }
  });

  it('pages by the next start, keeps a meeting under way and leaves out a finished series', async () => {
    const first = await upcomingMeetings(web.hub, { group: 'hosting', limit: 1 });
    expect(at(first.items)).toEqual(['M-1 2026-11-07T17:00:00.000Z']);
    const second = await upcomingMeetings(web.hub, { group: 'hosting', limit: 1, cursor: first.nextCursor });
    expect(at(second.items)).toEqual(['M-2 2026-11-12T13:00:00.000Z']);
    expect(second.nextCursor).toBeNull();
    await expect(upcomingMeetings(web.hub, { cursor: 'not-a-cursor' })).rejects.toThrow(
      /cursor: must be the nextCursor value of a previous page/,
    );

    // half an hour into M-2: it is still on; M-1 is at its 21 Nov meeting, now after M-2
    web.hub.clock.set('2026-11-12T13:30:00Z');
    expect(at((await upcomingMeetings(web.hub, { group: 'hosting' })).items)).toEqual([
      'M-2 2026-11-12T13:00:00.000Z',
      'M-1 2026-11-21T17:00:00.000Z',
    ]);

    // after the series' sixth and last meeting nothing of Hosting's is to come
    web.hub.clock.set('2027-01-03T00:00:00Z');
    expect((await upcomingMeetings(web.hub, { group: 'hosting' })).items).toEqual([]);
  });

  it('lists a series called off once, at the meeting it would have held first, and never as held', async () => {
    const sam = await asActor(web.hub, 'sam-lead');
    // a weekly series from Tue 10 Nov, called off on 2 Nov before it began
    const weekly = await scheduleMeeting(web.hub, sam, {
      group: 'hosting',
      kind: 'content',
      title: 'Weekly deep-dive',
      startsAt: '2026-11-10T15:00:00Z',
      timeZone: 'UTC',
      rrule: 'FREQ=WEEKLY',
    });
    await updateMeeting(web.hub, sam, weekly.ref, 1, { cancelled: true });
    const listed = (await upcomingMeetings(web.hub, { group: 'hosting' })).items;
    expect(at(listed)).toEqual([
      'M-1 2026-11-07T17:00:00.000Z',
      `${weekly.ref} 2026-11-10T15:00:00.000Z`,
      'M-2 2026-11-12T13:00:00.000Z',
    ]);
    expect(listed[1]).toMatchObject({ cancelled: true, cancelledAt: '2026-11-02T09:00:00.000Z' });
    // before, it came back every week, listed as called off, for ever
    web.hub.clock.set('2026-11-11T00:00:00Z');
    const expected = ['M-2 2026-11-12T13:00:00.000Z', 'M-1 2026-11-21T17:00:00.000Z'];
    expect(at((await upcomingMeetings(web.hub, { group: 'hosting' })).items)).toEqual(expected);
    const rest = await web.app.request('/api/meetings/upcoming?group=hosting');
    expect(at((await rest.json()).items)).toEqual(expected);
    // and it never met
    const held = await heldMeetings(web.hub, { group: 'hosting', limit: 10 });
    expect(held.items.map((m) => m.ref)).not.toContain(weekly.ref);
  });

  it('keeps a daily series older than its first 520 meetings at its next one', async () => {
    const sam = await asActor(web.hub, 'sam-lead');
    web.hub.clock.set('2024-01-01T09:00:00Z');
    const standUp = await scheduleMeeting(web.hub, sam, {
      group: 'hosting',
      kind: 'process',
      title: 'Daily stand-up',
      startsAt: '2024-01-10T08:00:00Z',
      timeZone: 'UTC',
      durationMinutes: 15,
      rrule: 'FREQ=DAILY',
    });
    web.hub.clock.set('2026-11-02T09:00:00Z');
    const items = (await upcomingMeetings(web.hub, { group: 'hosting' })).items;
    expect(items.find((m) => m.ref === standUp.ref)).toMatchObject({
      startsAt: '2024-01-10T08:00:00.000Z',
      nextStartsAt: '2026-11-03T08:00:00.000Z',
    });
  });
});
