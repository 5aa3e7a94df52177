// A series' later meetings in the browser, on both databases: its page listed only the next four, so
// a reader could not see (or open the agenda of) the fifth, and what_needs_me's and the home's link to
// a later start of a daily series led to an anchor the page did not have.
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
const hrefOf = (html: string, name: string) =>
  new RegExp(`<a href="([^"]+)">${name}</a>`).exec(html)?.[1]?.replace(/&amp;/g, '&') ?? null;

describe.each(databases)("a series' later meetings on $name", (database) => {
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

  it('the series page lists four and links to the later ones, a page at a time, each start once', async () => {
    const ref = await daily();
    const visitor = new WebClient(web.app);
    const series = await visitor.get(`/meetings/${ref}`);
    expect(anchors(series.html)).toEqual([0, 1, 2, 3].map(day));
    const later = hrefOf(series.html, 'Later meetings of the series');
    expect(later).toBe(`/meetings/${ref}/occurrences?from=${encodeURIComponent(day(4))}`);

    const first = await visitor.get(later!);
    expect(first.status).toBe(200);
    expect(text(first.html)).toContain(`Later meetings of ${ref}: Daily triage`);
    expect(anchors(first.html)).toEqual(Array.from({ length: 20 }, (_, i) => day(4 + i)));
    // a visitor may not open an agenda: each says so, and the page says who does
    expect(text(first.html)).toContain('no agenda yet');
    expect(first.html).toContain(`<a href="/meetings/${ref}#series">Back to the series</a>`);
    const next = hrefOf(first.html, 'The next 20 meetings');
    expect(next).toBe(`/meetings/${ref}/occurrences?from=${encodeURIComponent(day(24))}`);
    expect(anchors((await visitor.get(next!)).html)).toEqual(Array.from({ length: 20 }, (_, i) => day(24 + i)));

    // the lead opens the agenda of a later one from there; it then links to its own meeting
    const lead = await signInAs(web.app, 'sam-lead');
    const asLead = await lead.get(later!);
    expect(asLead.html).toContain(`<input type="hidden" name="startsAt" value="${day(5)}">`);
    const opened = await lead.post(`/meetings/${ref}/occurrences`, { startsAt: day(5) });
    expect(opened.status).toBe(303);
    const own = /\/meetings\/(M-\d+)#agenda/.exec(opened.location!)![1]!;
    expect((await visitor.get(later!)).html).toContain(`<a href="/meetings/${own}">${own}, its agenda</a>`);
  });

  it("what_needs_me's and the home's link to a start past the series' page lands on the later page that lists it", async () => {
    const ref = await daily();
    const token = (await createToken(web.hub, SYSTEM, 'priya')).token;
    const needs = await (
      await web.app.request('http://localhost/api/me/needs', { headers: { Authorization: `Bearer ${token}` } })
    ).json();
    const items = needs.items.filter((i: { kind: string; ref: string }) => i.kind === 'meeting' && i.ref === ref);
    const sixth = items.find((i: { due: string }) => i.due === day(5));
    expect(sixth.path).toBe(`/meetings/${ref}/occurrences?from=${encodeURIComponent(day(5))}#series-${day(5)}`);
    // the next ones are still placed on the series' page
    expect(items.find((i: { due: string }) => i.due === day(1)).path).toBe(`/meetings/${ref}#series-${day(1)}`);
    const [where, anchor] = sixth.path.split('#');
    expect(anchors((await new WebClient(web.app).get(where)).html)[0]).toBe(anchor.replace(/^series-/, ''));
    // the home page links the same place
    const home = (await (await signInAs(web.app, 'priya')).get('/')).html;
    expect(home).toContain(`href="${sixth.path}"`);
    // and the id itself, in the browser, leads there too
    const byId = await new WebClient(web.app).get(`/meetings/${sixth.id}`);
    expect(byId.status).toBe(302);
    expect(byId.location).toBe(sixth.path);
    expect((await new WebClient(web.app).get(`/meetings/${ref}@${day(1)}`)).location).toBe(
      `/meetings/${ref}#series-${day(1)}`,
    );
  });

  it('a start that is no date, a meeting that is no series or a parameter the page does not take is refused naming it', async () => {
    const ref = await daily();
    const visitor = new WebClient(web.app);
    const bad = await visitor.get(`/meetings/${ref}/occurrences?from=tomorrow`);
    expect(bad.status).toBe(422);
    expect(text(bad.html)).toContain('from: must be an ISO date-time with a zone');
    const once = await visitor.get('/meetings/M-2/occurrences');
    expect(once.status).toBe(422);
    expect(text(once.html)).toContain('M-2 meets once: it is not a series');
    expect((await visitor.get(`/meetings/${ref}/occurrences?form=x`)).status).toBe(422);
    // a start already past lists from the next to come
    const past = await visitor.get(`/meetings/${ref}/occurrences?from=2026-01-01T00:00:00Z`);
    expect(anchors(past.html)[0]).toBe(day(0));
  });
});
