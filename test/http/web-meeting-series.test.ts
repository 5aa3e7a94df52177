import { describe, expect, it } from 'vitest';
import { moveGroup } from '../../src/app/groups/groups.ts';
import { databases } from '../support/databases.ts';
import { asActor } from '../support/hub.ts';
import { webHubPerTest } from '../support/web-hub.ts';
import { pageText as text, signInAs, WebClient } from '../support/web-client.ts';

// The demo community (clock at 2026-11-02T09:00Z) has M-1, a fortnightly Hosting series whose first
// meeting, with its agenda and notes, was on 24 Oct; its next meetings are on 7 and 21 Nov. A person
// who followed "Next: M-1" found only that closed agenda, and no way to add to the coming meeting.
describe.each(databases)('the next meetings of a series on $name', (database) => {
  const web = webHubPerTest(database);

  it("the home does not show the first meeting's agenda under a later meeting of the series", async () => {
    const home = text((await (await signInAs(web.app, 'priya')).get('/')).html);
    const line = home.slice(home.indexOf('M-1: Hosting WG coordination — in 5 days'));
    expect(line.slice(0, line.indexOf('M-2:'))).toContain('No agenda yet.');
    expect(line.slice(0, line.indexOf('M-2:'))).not.toContain('Agree timelines');
    // its link leads to the series' page, where the coming meetings are listed, and says so: the page
    // itself is the first meeting's, which has met already
    // priya, a member, may not open it: she is told who does, in the meeting policy's words, not to open it herself
    expect(line.slice(0, line.indexOf('M-2:'))).toContain(
      "No agenda yet. A coming meeting of the M-1 series: the series' page lists it. This meeting of the series has no agenda of its own yet: only a group lead, a core maintainer or a lead maintainer may open it; then anyone taking part may add items and send written input.",
    );
    // the group's lead opens it there
    const lead = text((await (await signInAs(web.app, 'sam-lead')).get('/')).html);
    const leadLine = lead.slice(lead.indexOf('M-1: Hosting WG coordination — in 5 days'));
    expect(leadLine.slice(0, leadLine.indexOf('M-2:'))).toContain(
      "No agenda yet. A coming meeting of the M-1 series: the series' page lists it, and you open its agenda there.",
    );
    const html = (await (await signInAs(web.app, 'priya')).get('/')).html;
    // the link lands on that meeting in the series' list, each start its own anchor
    const anchor = /href="\/meetings\/M-1#(series-[^"]+)"/.exec(html)?.[1];
    expect(anchor).toMatch(/^series-2026-/);
    expect(html).not.toContain('href="/meetings/M-1"');
    const series = (await new WebClient(web.app).get('/meetings/M-1')).html;
    expect(series).toMatch(/<p id="series">Repeats every two weeks/);
    expect(series).toContain(`<li id="${anchor}">`);
  });

  it("the group page's next meetings: a coming meeting of a series links to the series' list, and says it has no agenda yet", async () => {
    const page = await new WebClient(web.app).get('/groups/hosting');
    const next = text(page.html).slice(text(page.html).indexOf('Next'), text(page.html).indexOf('Recent'));
    expect(next).toMatch(
      /M-1: Hosting WG coordination ?, in 5 days, [^(]+\([^)]+\) \(a coming meeting of the series: no agenda of its own yet\)/,
    );
    expect(page.html).toContain('<a href="/meetings/M-1#series">M-1: Hosting WG coordination</a>');
  });

  it("the meetings list links a series listed at a coming meeting to the series' list of coming meetings", async () => {
    const page = await new WebClient(web.app).get('/meetings');
    expect(page.html).toContain('<a href="/meetings/M-1#series">M-1: Hosting WG coordination</a>');
  });

  it('a lead opens the agenda of the next meeting from the series page; members then add to it, and lists show it once', async () => {
    // a member sees which meeting has no agenda yet, and who opens it; no button they cannot use
    const priya = await signInAs(web.app, 'priya');
    const asMember = await priya.get('/meetings/M-1');
    expect(text(asMember.html)).toContain('no agenda yet');
    expect(text(asMember.html)).toContain(
      'This meeting of the series has no agenda of its own yet: only a group lead, a core maintainer or a lead maintainer may open it',
    );
    expect(asMember.html).not.toContain('action="/meetings/M-1/occurrences"');

    const sam = await signInAs(web.app, 'sam-lead');
    const series = await sam.get('/meetings/M-1');
    expect(text(series.html)).toContain('Open the agenda of Sat 7 Nov 2026');
    // each button on a line of the spaced list, so a list of them does not read as one block of touching buttons
    expect(series.html).toMatch(
      /<ul class="series-next"><li id="series-[^"]+"><time [^>]*>[^<]*<\/time> <form class="inline-form"[^>]*action="\/meetings\/M-1\/occurrences"/,
    );
    const css = (await sam.get(/<link rel="stylesheet" href="([^"]+)"/.exec(series.html)![1]!)).html;
    expect(css).toMatch(/ul\.series-next>li\{margin:\.5rem 0\}/);
    // its first meeting is over, so it can no longer be moved or cancelled: the lead is told how to
    // move or cancel one of the next meetings instead, not left with no control for it
    expect(text(series.html)).toContain('so it can no longer be moved or cancelled');
    expect(text(series.html)).toContain(
      'To move or cancel one of the next meetings alone, open its agenda: it then has a page of its own, with “Move or cancel this meeting”.',
    );
    expect(text(asMember.html)).not.toContain('To move or cancel one of the next meetings');
    const start = /name="startsAt" value="([^"]+)"/.exec(series.html)![1]!;
    expect(start).toBe('2026-11-07T17:00:00.000Z');
    const opened = await sam.post('/meetings/M-1/occurrences', { startsAt: start });
    expect(opened.status).toBe(303);
    expect(opened.location).toBe('/meetings/M-4#agenda');
    const m4 = text((await sam.get('/meetings/M-4')).html);
    expect(m4).toContain('M-4: Hosting WG coordination');
    expect(m4).toContain('One meeting of the series M-1');
    expect(m4).toContain('The meeting has its own agenda now');
    // the same start again is refused with the rule, on the series page
    await sam.get('/meetings/M-1');
    const again = await sam.post('/meetings/M-1/occurrences', { startsAt: start });
    expect(again.status).toBe(422);
    expect(text(again.html)).toContain('that occurrence already has its own meeting (M-4)');

    await priya.get('/meetings/M-4');
    const added = await priya.post('/meetings/M-4/agenda', { title: 'Review the outline of the guide' });
    expect(added.status).toBe(303);
    expect(text((await priya.get('/meetings/M-1')).html)).toContain('M-4, its agenda');

    // the meeting of 7 Nov is listed once, as M-4; the series moves on to 21 Nov
    const list = text((await new WebClient(web.app).get('/meetings')).html);
    const upcoming = list.slice(list.indexOf('Upcoming'), list.indexOf('Past'));
    expect(upcoming).toContain('M-4: Hosting WG coordination');
    expect(upcoming.match(/Sat 7 Nov 2026/g)).toHaveLength(1);
    expect(upcoming).toContain('Sat 21 Nov 2026');
    const group = text((await new WebClient(web.app).get('/groups/hosting')).html);
    expect(group.match(/Sat 7 Nov 2026/g)).toHaveLength(1);
    expect(group).toContain('M-4: Hosting WG coordination');
    const home = text((await priya.get('/')).html);
    expect(home).toContain('Agenda (draft): 1. Review the outline of the guide');
  });

  // The form crawl found it: a core maintainer retired Hosting, and the series page still offered
  // "Open the agenda of …", which the group then refused (403, "The group is retired").
  it('a retired group offers no agenda of a coming meeting, and says why', async () => {
    await moveGroup(web.hub, await asActor(web.hub, 'kai-core'), 'hosting', { to: 'retired' });
    const kai = await signInAs(web.app, 'kai-core');
    const series = await kai.get('/meetings/M-1');
    expect(series.html).not.toContain('action="/meetings/M-1/occurrences"');
    expect(text(series.html)).toContain(
      'This meeting of the series has no agenda of its own, and gets none: the group is retired.',
    );
    // the refusal is the view's `can` on REST too, and the POST still refuses
    const view = await (await web.app.request('/api/meetings/M-1')).json();
    expect(view.can.openOccurrence).toEqual({ allowed: false, reason: 'The group is retired' });
    const start = '2026-11-07T17:00:00.000Z';
    expect((await kai.post('/meetings/M-1/occurrences', { startsAt: start })).status).toBe(403);
  });
});
