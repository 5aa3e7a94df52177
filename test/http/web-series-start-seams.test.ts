// One start of a series in the browser, on both databases: a form sent to M-1@<start> was "not
// found"; a later start with no agenda of its own is now refused there in the meeting policy's words
// (as REST, MCP and the CLI refuse it), and one with a meeting of its own takes it; a meeting of its
// own moved alone shows where it went on the series' page; a daily series a year and a half on
// still lists its next meetings.
import { describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { scheduleMeeting } from '../../src/app/meetings/meetings.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { databases } from '../support/databases.ts';
import { asActor } from '../support/hub.ts';
import { webHubPerTest } from '../support/web-hub.ts';
import { pageText as text, signInAs, WebClient } from '../support/web-client.ts';

const day = (n: number) => new Date(Date.parse('2026-11-03T15:00:00.000Z') + n * 86_400_000).toISOString();
const anchors = (html: string) => [...html.matchAll(/<li id="series-([^"]+)">/g)].map((m) => m[1]!);

describe.each(databases)('one start of a series in the browser on $name', (database) => {
  const web = webHubPerTest(database);
  /** A daily series from tomorrow (the demo's clock is at 2026-11-02T09:00Z), without an end. */
  const daily = async () =>
    (
      await scheduleMeeting(web.hub, await asActor(web.hub, 'sam-lead'), {
        group: 'hosting',
        kind: 'content',
        title: 'Daily triage',
        startsAt: day(0),
        timeZone: 'UTC',
        durationMinutes: 30,
        rrule: 'FREQ=DAILY',
      })
    ).ref;

  it('a form sent to a start is refused in the policy’s words while it has no agenda of its own, and reaches its meeting once it has', async () => {
    const ref = await daily();
    const id = `${ref}@${day(5)}`;
    // what REST says of that start to priya, who may not open it
    const token = (await createToken(web.hub, SYSTEM, 'priya')).token;
    const rest = await web.app.request(`http://localhost/api/meetings/${id}/notes-template`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(rest.status).toBe(403);
    const sentence = ((await rest.json()) as { detail: string }).detail;
    expect(sentence).toMatch(/^This meeting of the series has no agenda of its own yet: only .+ may open it;/);

    const priya = await signInAs(web.app, 'priya');
    await priya.get(`/meetings/${ref}`);
    const refused = await priya.post(`/meetings/${encodeURIComponent(id)}/agenda`, { title: 'Flaky runner' });
    expect(refused.status).toBe(403);
    expect(text(refused.html)).toContain(sentence);
    // shown on the series' page, where the start is listed
    expect(text(refused.html)).toContain(`${ref}: Daily triage`);

    const lead = await signInAs(web.app, 'sam-lead');
    await lead.get(`/meetings/${ref}`);
    const opened = await lead.post(`/meetings/${ref}/occurrences`, { startsAt: day(5) });
    expect(opened.status).toBe(303);
    const own = /\/meetings\/(M-\d+)#agenda/.exec(opened.location!)![1]!;
    const added = await priya.post(`/meetings/${encodeURIComponent(id)}/agenda`, { title: 'Flaky runner' });
    expect(added.status).toBe(303);
    const page = await priya.get(`/meetings/${own}`);
    expect(text(page.html)).toContain('Flaky runner');
    expect(text((await priya.get(`/meetings/${ref}`)).html)).not.toContain('Flaky runner');

    // the lead moves that meeting alone, an hour later: the series' later page lists it where it was, moved
    const version = /name="version" value="(\d+)"/.exec((await lead.get(`/meetings/${own}`)).html)![1]!;
    const moved = await lead.post(`/meetings/${own}/reschedule`, {
      startsAt: day(5).slice(0, 11) + '16:00',
      timeZone: 'UTC',
      version,
    });
    expect(moved.status, text(moved.html)).toBe(303);
    const later = await new WebClient(web.app).get(`/meetings/${ref}/occurrences?from=${encodeURIComponent(day(4))}`);
    expect(anchors(later.html)).toContain(day(5));
    const item = new RegExp(`<li id="series-${day(5)}">(.*?)</li>`).exec(later.html)![1]!;
    expect(text(item)).toMatch(/moved to .*16:00/);
    expect(item).toContain(`<a href="/meetings/${own}">${own}, its agenda</a>`);
    // and its id still leads to it
    const byId = await new WebClient(web.app).get(`/meetings/${id}`);
    expect(byId.location).toBe(`/meetings/${own}`);
  });

  it('its coming meetings say who opens them in the policy’s words, and moving one by its id reaches it', async () => {
    const ref = await daily();
    const id = `${ref}@${day(2)}`;
    // the meeting policy's sentence for priya, who may not open one, and for the lead, who may
    const said = async (who: string) => {
      const token = (await createToken(web.hub, SYSTEM, who)).token;
      const rest = await web.app.request(`http://localhost/api/meetings/${id}/notes-template`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(rest.status).toBe(403);
      return ((await rest.json()) as { detail: string }).detail;
    };
    const mayNot = await said('priya');
    const mayOpen = await said('sam-lead');

    // the series' page and its later meetings say it under the list, not "the group's leads open it"
    const priya = await signInAs(web.app, 'priya');
    for (const path of [`/meetings/${ref}`, `/meetings/${ref}/occurrences?from=${encodeURIComponent(day(3))}`]) {
      const page = text((await priya.get(path)).html);
      expect(page, path).toContain(`${mayNot}.`);
      expect(page, path).not.toContain("once the group's leads open it");
    }
    // and so does the member home, for each coming meeting of the series listed there
    const home = text((await priya.get('/')).html);
    expect(home).toContain(`A coming meeting of the ${ref} series: the series' page lists it. ${mayNot}.`);
    expect(home).not.toContain("the group's leads open it");

    // moving that start from its page without a zone: refused in the policy's words, not "not found"
    const lead = await signInAs(web.app, 'sam-lead');
    const version = /name="version" value="(\d+)"/.exec((await lead.get(`/meetings/${ref}`)).html)![1]!;
    const at = `/meetings/${encodeURIComponent(id)}/reschedule`;
    const refused = await lead.post(at, { startsAt: `${day(2).slice(0, 11)}16:00`, version });
    expect(refused.status, text(refused.html)).toBe(403);
    expect(text(refused.html)).toContain(mayOpen);
    // once it has a meeting of its own, the same form moves that meeting, on its clock
    const opened = await lead.post(`/meetings/${ref}/occurrences`, { startsAt: day(2) });
    const own = /\/meetings\/(M-\d+)#agenda/.exec(opened.location!)![1]!;
    const ownVersion = /name="version" value="(\d+)"/.exec((await lead.get(`/meetings/${own}`)).html)![1]!;
    const moved = await lead.post(at, { startsAt: `${day(2).slice(0, 11)}16:00`, version: ownVersion });
    expect(moved.status, text(moved.html)).toBe(303);
    const after = await new WebClient(web.app).get(`/api/meetings/${own}`);
    expect(JSON.parse(after.html)).toMatchObject({
      startsAt: `${day(2).slice(0, 11)}16:00:00.000Z`,
      seriesStart: day(2),
    });
  });

  it('a daily series a year and a half on lists its next meetings', async () => {
    const ref = await daily();
    web.hub.clock.set(day(600).replace('15:00', '09:00'));
    const series = await new WebClient(web.app).get(`/meetings/${ref}`);
    expect(anchors(series.html)).toEqual([600, 601, 602, 603].map(day));
    expect(text(series.html)).not.toContain('No meetings left in the series');
  });
});
