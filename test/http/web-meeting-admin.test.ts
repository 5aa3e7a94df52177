// A facilitator's meeting jobs in the browser on both databases, over the demo community (M-2 is a
// horizontal-scaling meeting ten days ahead that its facilitator priya runs; M-3's notes are late).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getMeeting } from '../../src/app/meetings/meetings.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub, type TestHub } from '../support/hub.ts';
import { pageText, signInAs, WebClient } from '../support/web-client.ts';

/** The reschedule form's start input and the zone its select has chosen. */
const startInput = (page: string) => /<input[^>]*name="startsAt"[^>]*>/.exec(page)?.[0] ?? '';
const chosenZone = (page: string) =>
  /<select[^>]*name="timeZone"[^>]*>[\s\S]*?<option value="([^"]+)" selected>/.exec(page)?.[1];

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };

describe.each(databases)('meeting jobs in the browser on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  beforeEach(async () => {
    hub = await openDemoHub(database);
    app = createHttpApp(hub, undefined, { web: demo });
  });
  afterEach(async () => hub?.close());

  it('the facilitator moves, then cancels a meeting; an agenda item is taken off; others get no form', async () => {
    const jonas = await signInAs(app, 'jonas');
    expect((await jonas.get('/meetings/M-2')).html).not.toContain('action="/meetings/M-2/reschedule"');
    const priya = await signInAs(app, 'priya');
    const page = await priya.get('/meetings/M-2');
    expect(page.html).toContain('action="/meetings/M-2/reschedule"');
    const version = String((await getMeeting(hub, 'M-2')).version);

    // the form is the /meetings/new picker: the organiser's zone chosen, the start pre-filled on its clock
    // (M-2 starts 13:00 UTC, which is 18:30 in Kolkata)
    expect((await getMeeting(hub, 'M-2')).startsAt).toBe('2026-11-12T13:00:00.000Z');
    expect(startInput(page.html)).toMatch(/type="datetime-local"/);
    expect(startInput(page.html)).toContain('value="2026-11-12T18:30"');
    expect(chosenZone(page.html)).toBe('Asia/Kolkata');

    const bad = await priya.post('/meetings/M-2/reschedule', { version, startsAt: 'next tuesday', timeZone: 'UTC' });
    expect(bad.status).toBe(422);
    expect(pageText(bad.html)).toContain('New start: must be');
    expect(bad.html).toContain('value="next tuesday"');
    // a past time on the chosen clock is refused, naming the field; what was typed and chosen stays
    const past = await priya.post('/meetings/M-2/reschedule', {
      version,
      startsAt: '2026-11-02T10:00',
      timeZone: 'Asia/Kolkata',
    });
    expect(past.status).toBe(422);
    expect(pageText(past.html)).toContain('New start: must be in the future');
    // the moment the rule names is on Priya's clock, like the rest of the page, not an ISO timestamp
    expect(pageText(past.html)).toMatch(
      /must be in the future \(it is now \w{3} \d+ \w{3} 2026, \d\d:\d\d \(Asia\/Kolkata\)\)/,
    );
    expect(pageText(past.html)).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
    expect(startInput(past.html)).toContain('value="2026-11-02T10:00"');
    expect(chosenZone(past.html)).toBe('Asia/Kolkata');
    expect((await getMeeting(hub, 'M-2')).startsAt).toBe('2026-11-12T13:00:00.000Z');

    // 18:30 on the organiser's Kolkata clock is 13:00 UTC
    const moved = await priya.post('/meetings/M-2/reschedule', {
      version,
      startsAt: '2026-11-13T18:30',
      timeZone: 'Asia/Kolkata',
    });
    expect(moved.status).toBe(303);
    expect((await getMeeting(hub, 'M-2')).startsAt).toBe('2026-11-13T13:00:00.000Z');

    // another zone chosen: 09:00 in Berlin is 08:00 UTC, and the form then shows Berlin's clock
    const again = await priya.post('/meetings/M-2/reschedule', {
      version: String((await getMeeting(hub, 'M-2')).version),
      startsAt: '2026-11-14T09:00',
      timeZone: 'Europe/Berlin',
    });
    expect(again.status).toBe(303);
    const berlin = await getMeeting(hub, 'M-2');
    expect([berlin.startsAt, berlin.timeZone]).toEqual(['2026-11-14T08:00:00.000Z', 'Europe/Berlin']);
    const reread = (await priya.get('/meetings/M-2')).html;
    expect(startInput(reread)).toContain('value="2026-11-14T09:00"');
    expect(chosenZone(reread)).toBe('Europe/Berlin');

    await priya.get('/meetings/M-2');
    await priya.post('/meetings/M-2/agenda', { title: 'Something to drop' });
    const withItem = await getMeeting(hub, 'M-2', null);
    // the form names the item by id: a page read before a move still takes off the item it showed
    const id = withItem.agenda.items.find((i) => i.title === 'Something to drop')!.id;
    const shown = await priya.get('/meetings/M-2');
    expect(shown.html).toContain(`action="/meetings/M-2/agenda/${id}/remove"`);
    expect((await priya.post(`/meetings/M-2/agenda/${id}/remove`, {})).status).toBe(303);
    expect((await getMeeting(hub, 'M-2')).agenda.items.some((i) => i.title === 'Something to drop')).toBe(false);

    await priya.get('/meetings/M-2');
    const now = String((await getMeeting(hub, 'M-2')).version);
    // one stray click tells the whole group: the box must be ticked, and nothing changes until it is
    const unticked = await priya.post('/meetings/M-2/cancel', { version: now });
    expect(unticked.status).toBe(422);
    expect(pageText(unticked.html)).toContain('tick the box to confirm: cancelling tells the group');
    expect((await getMeeting(hub, 'M-2')).cancelled).toBe(false);
    expect((await priya.post('/meetings/M-2/cancel', { version: now, confirm: 'yes' })).status).toBe(303);
    const after = pageText((await new WebClient(app).get('/meetings/M-2')).html);
    expect(after).toContain('cancelled');
    expect((await getMeeting(hub, 'M-2')).cancelled).toBe(true);
  });

  it("a series' lead changes how it repeats from words, never a rule; others get no form and are refused", async () => {
    // M-1 is the hosting coordination series, every two weeks six times, its first meeting nine days ago
    const jonas = await signInAs(app, 'jonas');
    const refused = pageText((await jonas.get('/meetings/M-1')).html);
    expect(refused).not.toContain('Save how it repeats');
    const sam = await signInAs(app, 'sam-lead');
    const page = await sam.get('/meetings/M-1');
    expect(page.html).toContain('action="/meetings/M-1/recurrence"');
    expect(pageText(page.html)).toContain('Now it repeats every two weeks, 6 times.');
    expect(page.html).toContain('<option value="fortnightly" selected>');
    expect(page.html).not.toContain('FREQ=');
    const version = String((await getMeeting(hub, 'M-1')).version);
    const bad = await sam.post('/meetings/M-1/recurrence', { version, repeat: 'weekly', times: 'many' });
    expect(bad.status).toBe(422);
    expect(pageText(bad.html)).toContain('How many times in all (optional): must be a whole number from 2 to');
    const saved = await sam.post('/meetings/M-1/recurrence', { version, repeat: 'weekly', times: '10' });
    expect(saved.status).toBe(303);
    expect((await getMeeting(hub, 'M-1')).rrule).toBe('FREQ=WEEKLY;COUNT=10');
    const after = pageText((await sam.get('/meetings/M-1')).html);
    expect(after).toContain('Repeats every week, 10 times');
    // a member who does not schedule the group's meetings may not, by the page or by posting
    const forged = await jonas.post('/meetings/M-1/recurrence', {
      version: String((await getMeeting(hub, 'M-1')).version),
      repeat: 'monthly',
    });
    expect(forged.status).toBe(403);
    expect((await getMeeting(hub, 'M-1')).rrule).toBe('FREQ=WEEKLY;COUNT=10');
    // "Does not repeat" ends the series even with the form's count still filled in
    const ended = await sam.post('/meetings/M-1/recurrence', {
      version: String((await getMeeting(hub, 'M-1')).version),
      repeat: 'none',
      times: '10',
    });
    expect(ended.status).toBe(303);
    expect((await getMeeting(hub, 'M-1')).rrule).toBeNull();
  });

  it('the meeting page reads as the meeting first: agenda and notes, then the forms that move, cancel or run it', async () => {
    const priya = await signInAs(app, 'priya');
    const page = (await priya.get('/meetings/M-2')).html;
    const at = (s: string) => {
      const i = page.indexOf(s);
      expect(i, s).toBeGreaterThan(-1);
      return i;
    };
    for (const content of ['<h2 id="agenda">', '<h2 id="notes">', '<h2 id="actions">'])
      expect(at(content)).toBeLessThan(at('<h2 id="change">Move or cancel this meeting</h2>'));
    expect(at('<h2 id="agenda">')).toBeLessThan(at('<h2 id="note-taker">'));
  });

  it('a meeting that has started says once that it can no longer be moved or cancelled', async () => {
    const priya = await signInAs(app, 'priya');
    const t = pageText((await priya.get('/meetings/M-3')).html);
    const section = t.slice(t.indexOf('Move or cancel this meeting'));
    expect(section).toContain('The meeting has already started, so it can no longer be moved or cancelled.');
    expect(section.match(/already started/g)).toHaveLength(1);
  });

  it('a decision taken at the meeting is opened for the group to confirm from the same form, linked to the meeting', async () => {
    // the form took a summary and an existing D-n only: to let those who were not there object, the
    // facilitator had to open the decision elsewhere, type it again, then come back and link it
    const priya = await signInAs(app, 'priya');
    const form = (await priya.get('/meetings/M-3')).html;
    expect(pageText(form)).toContain(
      'Open it as a group decision now, under lazy consensus: those who were not at the meeting may object until its deadline',
    );
    const short = await priya.post('/meetings/M-3/decisions', {
      summary: 'Adopt it',
      open: 'yes',
      'open.significance': 'minor',
    });
    expect(short.status).toBe(422);
    // the question (the summary, left empty) is refused under its own field, and nothing typed is lost
    expect(short.html).toMatch(/id="f-decision-open-question-error">[^<]*must be at least 10 characters/);
    expect(short.html).toMatch(/name="open" value="yes" checked/);
    expect(short.html).toMatch(/name="summary"[^>]*value="Adopt it"/);
    expect((await getMeeting(hub, 'M-3')).decisions).toEqual([]);
    const recorded = await priya.post('/meetings/M-3/decisions', {
      summary: 'Adopt the tool description review checklist as a supporting resource?',
      open: 'yes',
      'open.question': '',
      'open.significance': 'minor',
    });
    expect(recorded.status).toBe(303);
    const page = pageText((await priya.get(recorded.location!)).html);
    expect(page).toContain(
      'The decision is recorded, and D-1 is open for the group to confirm: those who were not there may object until its deadline.',
    );
    // where it stands, read on the meeting's page: open until its deadline
    expect(page).toContain(
      'Adopt the tool description review checklist as a supporting resource? ( D-1 , open: silence is consent until',
    );
    const decisionHtml = (await priya.get('/decisions/D-1')).html;
    const decision = pageText(decisionHtml);
    expect(decision).toContain('D-1: Adopt the tool description review checklist as a supporting resource?');
    // its background leads back to the meeting that took it (it was "Opened at M-3" as plain text)
    expect(decisionHtml).toContain('Opened at <a href="/meetings/M-3">M-3</a>: Adopt the tool description review');
    // REST (and MCP, from the same view) give the same markdown, the link in it
    const rest = await (await app.request('/api/decisions/D-1')).json();
    expect(rest.description).toBe(
      'Opened at [M-3](/meetings/M-3): Adopt the tool description review checklist as a supporting resource?',
    );
    expect(decision).toContain('lazy consensus');
    // one who may not record the meeting's outcomes is offered neither
    const jonas = await signInAs(app, 'jonas');
    expect(pageText((await jonas.get('/meetings/M-3')).html)).not.toContain('Open it as a group decision now');
  });

  it('late notes and the quarterly draft are pages', async () => {
    const visitor = new WebClient(app);
    const late = pageText((await visitor.get('/meetings/late-notes')).html);
    expect(late).toContain('M-3');
    expect(late).toContain('overdue');
    // how late, in days and hours as people say it, not "60.1 hours"
    expect(late).toMatch(/overdue by \d+ days? and \d+ hours?|overdue by \d+ (days?|hours?)/);
    expect(late).not.toMatch(/\d\.\d hours/);
    const q = await visitor.get('/groups/hosting/quarterly');
    expect(q.status).toBe(200);
    expect(pageText(q.html)).toContain('Quarterly update for Hosting');
    // the draft's outline follows the page's h1 without a skipped level (a screen reader's heading list, axe's heading-order)
    const levels = [...q.html.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
    expect(levels.slice(0, 2)).toEqual([1, 2]);
    expect(levels.every((l, i) => i === 0 || l <= levels[i - 1]! + 1)).toBe(true);
    const interest = await visitor.get('/groups/security/quarterly');
    expect(interest.status).toBe(422);
    expect(pageText(interest.html)).toContain('interest groups have no formal reporting requirement');
  });
});
