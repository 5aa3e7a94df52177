// Ending a series that has begun, from its page without JavaScript, over REST and MCP's use case,
// on both databases, over the demo community (M-1 is Hosting's fortnightly coordination series,
// begun before the demo's today; Sam leads Hosting, Jonas takes part).
import { describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { getMeeting, scheduleMeeting } from '../../src/app/meetings/meetings.ts';
import { asActor } from '../support/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { databases } from '../support/databases.ts';
import { pageText as text, signInAs } from '../support/web-client.ts';
import { webHubPerTest } from '../support/web-hub.ts';

describe.each(databases)('ending a series, on $name', (database) => {
  const web = webHubPerTest(database);

  it('a lead ends it from its page with a reason; the page says from when and why; both mistakes at once', async () => {
    const series = await getMeeting(web.hub, 'M-1');
    expect(series.rrule).not.toBeNull();
    expect(series.can.cancel.allowed).toBe(false);
    const sam = await signInAs(web.app, 'sam-lead');
    const page = (await sam.get('/meetings/M-1')).html;
    expect(page).toContain('action="/meetings/M-1/end-series"');
    expect((await (await signInAs(web.app, 'jonas')).get('/meetings/M-1')).html).not.toContain('/end-series"');

    const refused = await sam.post('/meetings/M-1/end-series', {
      version: String(series.version),
      from: '2020-01-01',
      reason: '',
    });
    expect(refused.status).toBe(422);
    const summary = text(/<div class="error-summary"[\s\S]*?<\/div>/.exec(refused.html)![0]);
    expect(summary).toContain('No meetings from: must be today');
    expect(summary).toContain('Why the series ends: must say why the series ends');
    expect(refused.html).toMatch(/<input type="date" id="f-endSeries-from"[^>]*value="2020-01-01"/);

    const from = new Date(web.hub.clock.now().getTime() + 14 * 86_400_000).toISOString().slice(0, 10);
    const ended = await sam.post('/meetings/M-1/end-series', {
      version: String(series.version),
      from,
      reason: 'Coordination moves to the monthly call',
    });
    expect([ended.status, ended.location]).toEqual([303, '/meetings/M-1']);
    const shown = text((await sam.get('/meetings/M-1')).html);
    expect(shown).toContain('The series is ended. Its coming meetings are called off.');
    expect(shown).toContain('This series has ended: no meetings from');
    expect(shown).toContain('Why: Coordination moves to the monthly call');
    const after = await getMeeting(web.hub, 'M-1');
    expect(after.seriesEnd).toEqual({ from, reason: 'Coordination moves to the monthly call' });
    expect(after.upcoming.every((t) => t < `${from}T00:00:00.000Z`)).toBe(true);
    // a page read before that (a second click): already so, said on the page, nothing changed again
    const stale = await sam.post('/meetings/M-1/end-series', {
      version: String(series.version),
      from,
      reason: 'Twice',
    });
    expect([stale.status, stale.location]).toEqual([303, '/meetings/M-1']);
    const again = text((await sam.get('/meetings/M-1')).html);
    expect(again).toContain(`The series is already ended, from ${from}: it is already so, nothing to do`);
    expect(again).not.toContain('There is a problem');
    expect((await getMeeting(web.hub, 'M-1')).seriesEnd).toEqual(after.seriesEnd);
  });

  it('a meeting the end called off says why it cannot be restored, and restoring it is refused', async () => {
    const series = await getMeeting(web.hub, 'M-1');
    const lead = await asActor(web.hub, 'sam-lead');
    const own = await scheduleMeeting(web.hub, lead, {
      group: series.group,
      kind: series.kind,
      title: series.title,
      startsAt: series.upcoming[1]!,
      timeZone: series.timeZone,
      seriesOf: 'M-1',
    });
    const sam = await signInAs(web.app, 'sam-lead');
    await sam.get('/meetings/M-1');
    const far = await sam.post('/meetings/M-1/end-series', {
      version: String(series.version),
      from: '2099-01-01',
      reason: 'Some day, perhaps',
    });
    expect(far.status).toBe(422);
    expect(text(/<div class="error-summary"[\s\S]*?<\/div>/.exec(far.html)![0])).toContain(
      'No meetings from: must be within a year of today',
    );
    const from = own.startsAt.slice(0, 10);
    expect(
      (await sam.post('/meetings/M-1/end-series', { version: String(series.version), from, reason: 'Winding down' }))
        .status,
    ).toBe(303);
    const page = await sam.get(`/meetings/${own.ref}`);
    expect(page.html).not.toContain(`action="/meetings/${own.ref}/restore"`);
    expect(text(page.html)).toContain('Its series was ended before this meeting, so it stays called off');
    const off = await getMeeting(web.hub, own.ref);
    const restore = await sam.post(`/meetings/${own.ref}/restore`, { version: String(off.version) });
    expect(restore.status).toBe(403);
    expect(text(restore.html)).toContain('Its series was ended before this meeting');
    expect((await getMeeting(web.hub, own.ref)).cancelled).toBe(true);
    // someone who could never change it sees no section to, and is told who may, not why it stays off
    const jonas = await signInAs(web.app, 'jonas');
    const seen = await jonas.get(`/meetings/${own.ref}`);
    expect(seen.html).not.toContain('id="change"');
    expect(text(seen.html)).not.toContain('Its series was ended before this meeting');
    const theirs = await getMeeting(web.hub, own.ref, await asActor(web.hub, 'jonas'));
    expect(theirs.can.edit).toMatchObject({ allowed: false, reason: expect.stringMatching(/lead|facilitator/) });
    expect(JSON.stringify(theirs.can.edit)).not.toContain('Its series was ended');
  });

  it('over REST with If-Match', async () => {
    const token = (await createToken(web.hub, SYSTEM, 'sam-lead')).token;
    const get = await web.app.request('/api/meetings/M-1');
    const from = new Date(web.hub.clock.now().getTime() + 7 * 86_400_000).toISOString().slice(0, 10);
    const end = (ifMatch?: string, day = from) =>
      web.app.request('/api/meetings/M-1/end-series', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          ...(ifMatch ? { 'if-match': ifMatch } : {}),
        },
        body: JSON.stringify({ from: day, reason: 'The group is winding down' }),
      });
    expect((await end()).status).toBe(428);
    // an end years ahead is refused naming the field and the rule, and ends nothing
    const far = await end(get.headers.get('etag')!, '2099-01-01');
    expect(far.status).toBe(422);
    expect((await far.json()).errors).toEqual([
      {
        field: 'from',
        rule: expect.stringMatching(/^must be within a year of today \(\d{4}-\d{2}-\d{2} at the latest\)/),
      },
    ]);
    expect((await getMeeting(web.hub, 'M-1')).seriesEnd).toBeNull();
    const ok = await end(get.headers.get('etag')!);
    expect(ok.status).toBe(200);
    expect((await ok.json()).seriesEnd).toEqual({ from, reason: 'The group is winding down' });
  });
});
