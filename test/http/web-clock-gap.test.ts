// A time the forms' date-time pickers can give but no clock shows: the hour skipped when a zone's
// clocks go forward. Read as it was, 02:30 on such a night became 03:30 without a word; now each form
// that reads a wall-clock time refuses it naming the field, keeps what was typed, and stores nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listDecisions } from '../../src/app/decisions/decisions.ts';
import { getMeeting, listMeetings } from '../../src/app/meetings/meetings.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub, type TestHub } from '../support/hub.ts';
import { pageText, signInAs } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };

describe.each(databases)('wall-clock times the clocks skip, on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  beforeEach(async () => {
    hub = await openDemoHub(database);
    app = createHttpApp(hub, undefined, { web: demo });
  });
  afterEach(async () => hub?.close());

  it('scheduling at 02:30 on the night Berlin goes forward is refused with the form’s other mistakes', async () => {
    const kai = await signInAs(app, 'kai-core');
    await kai.get('/meetings/new');
    const before = (await listMeetings(hub, {})).items.length;
    const refused = await kai.post('/meetings/new', {
      group: 'hosting',
      kind: 'process',
      title: '',
      startsAt: '2027-03-28T02:30',
      timeZone: 'Europe/Berlin',
      durationMinutes: '60',
    });
    expect(refused.status).toBe(422);
    const text = pageText(refused.html);
    expect(text).toContain(
      '02:30 on 28 Mar 2027 never shows on the clocks of Europe/Berlin: they go forward that night (it would be 03:30); choose another time',
    );
    expect(text).toMatch(/Title: must/);
    expect(refused.html).toContain('value="2027-03-28T02:30"');
    expect((await listMeetings(hub, {})).items.length).toBe(before);
    // the hour after exists and is read on Berlin's summer clock
    const ok = await kai.post('/meetings/new', {
      group: 'hosting',
      kind: 'process',
      title: 'Spring planning',
      startsAt: '2027-03-28T03:30',
      timeZone: 'Europe/Berlin',
      durationMinutes: '60',
    });
    expect(ok.status).toBe(303);
    const made = (await listMeetings(hub, {})).items.find((m) => m.title === 'Spring planning')!;
    expect(made.startsAt).toBe('2027-03-28T01:30:00.000Z');
  });

  it('moving a meeting into the skipped hour is refused and the meeting stays where it was', async () => {
    // one who may not move it is told so, whatever time they typed: permission before input
    const jonas = await signInAs(app, 'jonas');
    await jonas.get('/meetings/M-2');
    const notTheirs = await jonas.post('/meetings/M-2/reschedule', {
      version: String((await getMeeting(hub, 'M-2')).version),
      startsAt: '2027-03-14T02:15',
      timeZone: 'America/New_York',
    });
    expect(notTheirs.status).toBe(403);
    const priya = await signInAs(app, 'priya');
    await priya.get('/meetings/M-2');
    const was = await getMeeting(hub, 'M-2');
    const refused = await priya.post('/meetings/M-2/reschedule', {
      version: String(was.version),
      startsAt: '2027-03-14T02:15',
      timeZone: 'America/New_York',
    });
    expect(refused.status).toBe(422);
    expect(pageText(refused.html)).toContain(
      'New start: 02:15 on 14 Mar 2027 never shows on the clocks of America/New_York',
    );
    expect(await getMeeting(hub, 'M-2')).toMatchObject({ startsAt: was.startsAt, version: was.version });
  });

  it("a decision's deadline in the skipped hour of its opener's clock is refused, naming the deadline", async () => {
    const sam = await signInAs(app, 'sam-lead');
    await sam.get('/decisions/new');
    const before = (await listDecisions(hub, {})).items.length;
    const refused = await sam.post('/decisions/new', {
      group: 'hosting',
      'subject.type': 'process',
      significance: 'minor',
      matter: 'routine',
      question: 'Short?',
      deadline: '2027-03-14T02:30',
    });
    expect(refused.status).toBe(422);
    // named with the form's other mistakes, all at once
    expect(pageText(refused.html)).toContain(
      'Deadline (optional): 02:30 on 14 Mar 2027 never shows on the clocks of America/Los_Angeles',
    );
    expect(pageText(refused.html)).toContain('The question being decided: must state the question');
    expect((await listDecisions(hub, {})).items.length).toBe(before);
  });
});
