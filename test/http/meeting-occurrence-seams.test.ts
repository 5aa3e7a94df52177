// One start of a series (M-1@<start>) over REST, on both databases, where two changes met:
// a later start without a meeting of its own was refused one way by the notes template (422 naming
// ref) and another by MCP (403 in the policy's words); writes to /api/meetings/M-1@<start>/… were
// 404 even once that start had a meeting of its own; a daily series past its 520th start listed no
// meetings to come; and a meeting of its own could not be moved (the page offered it), nor found by
// its id had it been.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { placeInGroup } from '../../src/app/groups/groups.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { hostingGroup, openTestHub, person, type TestHub } from '../support/hub.ts';

/** The policy's one sentence for a later start with no meeting of its own, for one who may open it and one who may not. */
const MAY_OPEN =
  'This meeting of the series has no agenda of its own yet: open it first (a group lead, a core maintainer or a lead maintainer may), then its agenda, written input and outcomes are its own';
const MAY_NOT =
  'This meeting of the series has no agenda of its own yet: only a group lead, a core maintainer or a lead maintainer may open it; then anyone taking part may add items and send written input';

describe.each(databases)('one start of a series, read and written over REST on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  const tokens: Record<string, string> = {};
  const call = async (method: string, path: string, who?: string, body?: unknown, ifMatch?: string) => {
    const res = await app.request(`http://127.0.0.1${path}`, {
      method,
      headers: {
        ...(who ? { Authorization: `Bearer ${tokens[who]}` } : {}),
        ...(body ? { 'Content-Type': 'application/json' } : {}),
        ...(ifMatch ? { 'If-Match': ifMatch } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, etag: res.headers.get('etag'), text, json: () => JSON.parse(text) };
  };
  const FIRST = '2026-03-05T16:00:00.000Z';
  const SECOND = '2026-03-12T16:00:00.000Z';
  const THIRD = '2026-03-19T16:00:00.000Z';
  const open = (startsAt: string) =>
    call('POST', '/api/meetings', 'lead', {
      group: 'hosting',
      kind: 'process',
      title: 'Hosting coordination',
      startsAt,
      seriesOf: 'M-1',
    });

  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    app = createHttpApp(hub);
    const lead = await person(hub, 'lead', { role: 'member', timeZone: 'Europe/Berlin' });
    await person(hub, 'bo', { timeZone: 'America/New_York' });
    await hostingGroup(hub, lead, 'lead');
    await placeInGroup(hub, SYSTEM, 'hosting', 'bo', { level: 'member' });
    for (const h of ['lead', 'bo']) tokens[h] = (await createToken(hub, SYSTEM, h)).token;
  });
  afterEach(async () => hub?.close());

  const weekly = async () => {
    const series = await call('POST', '/api/meetings', 'lead', {
      group: 'hosting',
      kind: 'process',
      title: 'Hosting coordination',
      startsAt: FIRST,
      rrule: 'FREQ=WEEKLY;COUNT=6',
    });
    expect(series.status, series.text).toBe(201);
  };

  it('a later start without a meeting of its own is refused once, by the policy: 403 in its words, for reads that need a held meeting and for writes', async () => {
    await weekly();
    const at = `/api/meetings/M-1@${THIRD}`;
    for (const [who, sentence] of [
      ['bo', MAY_NOT],
      ['lead', MAY_OPEN],
    ] as const) {
      // the view of that start says it in its `can`, for all it does not take yet, opening aside
      const view = (await call('GET', at, who)).json();
      expect(view.can.addAgendaItem.reason).toBe(sentence);
      expect(view.can.recordOutcomes.reason).toBe(sentence);
      expect(view.can.endSeries.reason).toBe(sentence);
      expect(view.can.openOccurrence.allowed).toBe(who === 'lead');
      const asked = [
        await call('GET', `${at}/notes-template`, who),
        await call('GET', `${at}/written-input/id-000001`, who),
        await call('POST', `${at}/agenda`, who, { title: 'Cold starts' }),
        await call('POST', `${at}/written-input`, who, { item: 1, body: 'I cannot come.' }),
        await call('PATCH', at, who, { title: 'Renamed' }, `"v${view.version}"`),
        await call('PUT', `${at}/notes`, who, { notes: '# Notes' }, `"v${view.version}"`),
        await call('PUT', `${at}/attendance`, who, { attended: ['bo'] }),
        await call('POST', `${at}/actions`, who, { owner: 'bo', description: 'Write it up', due: '2026-03-30' }),
        await call('POST', `${at}/agenda/publish`, who),
        await call('POST', `${at}/end-series`, who, { from: '2026-03-18', reason: 'done' }, `"v${view.version}"`),
      ];
      for (const r of asked) {
        expect(r.status, r.text).toBe(403);
        expect(r.json()).toMatchObject({
          type: 'urn:wghub:problem:forbidden',
          detail: sentence,
          occurrence: { id: `M-1@${THIRD}`, series: 'M-1', startsAt: THIRD, ref: null },
        });
      }
    }
    // nothing was written on the series by any of them
    const series = (await call('GET', '/api/meetings/M-1')).json();
    expect(series).toMatchObject({ title: 'Hosting coordination', agenda: { items: [] }, version: 1 });
    // a start the series never holds is still the caller's mistake naming ref, an unknown series not found
    const off = await call('POST', '/api/meetings/M-1@2026-03-13T16:00:00Z/agenda', 'bo', { title: 'x' });
    expect(off.status).toBe(422);
    expect(off.json().errors).toEqual([
      {
        field: 'ref',
        rule: '2026-03-13T16:00:00.000Z is not one of the starts of M-1 (FREQ=WEEKLY;COUNT=6 from 2026-03-05T16:00:00.000Z in Europe/Berlin)',
      },
    ]);
    const unknown = await call('POST', `/api/meetings/M-9@${THIRD}/agenda`, 'bo', { title: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.json().detail).toContain("meeting 'M-9' does not exist");
  });

  it("writes to a start with a meeting of its own act on that meeting; the series' first start is the series", async () => {
    await weekly();
    expect((await open(SECOND)).status).toBe(201);
    const at = `/api/meetings/M-1@${SECOND}`;
    const added = await call('POST', `${at}/agenda`, 'bo', { title: 'Cold starts' });
    expect(added.status, added.text).toBe(201);
    expect(added.json()).toMatchObject({ ref: 'M-2', series: 'M-1', agenda: { items: [{ title: 'Cold starts' }] } });
    const input = await call('POST', `${at}/written-input`, 'bo', { item: 1, body: 'I cannot come.' });
    expect(input.status, input.text).toBe(201);
    const id = input.json().agenda.items[0].writtenInput[0].id;
    expect((await call('GET', `${at}/written-input/${id}`, 'bo')).json()).toMatchObject({ body: 'I cannot come.' });
    const read = await call('GET', at, 'lead');
    const renamed = await call('PATCH', at, 'lead', { title: 'Hosting coordination (cold starts)' }, read.etag!);
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.json()).toMatchObject({ ref: 'M-2', title: 'Hosting coordination (cold starts)' });
    expect((await call('GET', '/api/meetings/M-1')).json()).toMatchObject({
      title: 'Hosting coordination',
      agenda: { items: [] },
    });
    // the first start is the series itself
    const first = await call('POST', `/api/meetings/M-1@${FIRST}/agenda`, 'bo', { title: 'Roadmap' });
    expect(first.status, first.text).toBe(201);
    expect(first.json()).toMatchObject({ ref: 'M-1', agenda: { items: [{ title: 'Roadmap' }] } });
  });

  it('a meeting of its own moved alone keeps answering to the id it was opened under, at its new time', async () => {
    await weekly();
    expect((await open(SECOND)).status).toBe(201);
    const MOVED = '2026-03-13T09:00:00.000Z';
    const before = await call('GET', '/api/meetings/M-2', 'lead');
    const moved = await call('PATCH', '/api/meetings/M-2', 'lead', { startsAt: MOVED }, before.etag!);
    expect(moved.status, moved.text).toBe(200);
    expect(moved.json()).toMatchObject({ ref: 'M-2', startsAt: MOVED, series: 'M-1', seriesStart: SECOND });

    const byId = await call('GET', `/api/meetings/M-1@${SECOND}`, 'bo');
    expect(byId.status, byId.text).toBe(200);
    expect(byId.json()).toMatchObject({ ref: 'M-2', startsAt: MOVED });
    expect(byId.json().occurrence).toEqual({ id: `M-1@${SECOND}`, series: 'M-1', startsAt: SECOND, ref: 'M-2' });
    // it still takes what its id is sent, and the start stays taken
    expect(
      (await call('POST', `/api/meetings/M-1@${SECOND}/agenda`, 'bo', { title: 'Cold starts' })).json(),
    ).toMatchObject({ ref: 'M-2' });
    const again = await open(SECOND);
    expect(again.status).toBe(422);
    expect(again.json().errors[0].rule).toBe('that occurrence already has its own meeting (M-2)');
    // the new time is no start of the series
    expect((await call('GET', `/api/meetings/M-1@${MOVED}`)).status).toBe(422);

    // the series no longer stands for that start: the next meeting is the moved one, then the series
    hub.clock.set('2026-03-06T12:00:00Z');
    const upcoming = (await call('GET', '/api/meetings/upcoming')).json().items;
    expect(upcoming.map((m: { ref: string; nextStartsAt: string }) => [m.ref, m.nextStartsAt])).toEqual([
      ['M-2', MOVED],
      ['M-1', THIRD],
    ]);
    // a calendar writes it as that start of the series, moved
    const ics = (await call('GET', '/api/groups/hosting/calendar.ics')).text.replace(/\r\n /g, '');
    expect(ics).toContain('RECURRENCE-ID;TZID=Europe/Berlin:20260312T170000');
    expect(ics).toContain('DTSTART;TZID=Europe/Berlin:20260313T100000');
  });

  it('a daily series past its 520th start still lists its next meetings, and any of them can be opened', async () => {
    for (const [title, rrule] of [
      ['Daily triage', 'FREQ=DAILY'],
      ['Daily triage until 2028', 'FREQ=DAILY;UNTIL=20280101T000000'],
    ])
      expect(
        (
          await call('POST', '/api/meetings', 'lead', {
            group: 'hosting',
            kind: 'content',
            title,
            startsAt: '2026-03-03T08:00:00Z',
            timeZone: 'UTC',
            rrule,
          })
        ).status,
      ).toBe(201);
    const day = (d: string) => `2027-${d}T08:00:00.000Z`;
    // 547 days in
    hub.clock.set('2027-09-01T00:00:00Z');
    const open = (await call('GET', '/api/meetings/M-1')).json();
    expect(open.upcoming).toHaveLength(12);
    expect(open.upcoming.slice(0, 2)).toEqual([day('09-01'), day('09-02')]);
    expect(open.stillToCome).toBeNull();
    const until = (await call('GET', '/api/meetings/M-2')).json();
    expect(until.upcoming[0]).toBe(day('09-01'));
    // 1 September to 31 December 2027
    expect(until.stillToCome).toBe(122);
    expect(until.lastStartsAt).toBe('2027-12-31T08:00:00.000Z');
    // the upcoming list and one start's id agree
    const listed = (await call('GET', '/api/meetings/upcoming')).json().items;
    expect(listed.map((m: { nextId: string }) => m.nextId)).toEqual([`M-1@${day('09-01')}`, `M-2@${day('09-01')}`]);
    expect((await call('GET', `/api/meetings/M-1@${day('09-03')}`)).json().occurrence).toMatchObject({
      startsAt: day('09-03'),
      ref: null,
    });
    const opened = await call('POST', '/api/meetings', 'lead', {
      group: 'hosting',
      kind: 'content',
      title: 'Daily triage',
      startsAt: day('09-03'),
      seriesOf: 'M-1',
    });
    expect(opened.status, opened.text).toBe(201);
    // (the lead: a year and a half on, bo's membership has lapsed)
    const added = await call('POST', `/api/meetings/M-1@${day('09-03')}/agenda`, 'lead', { title: 'Flaky runner' });
    expect(added.status, added.text).toBe(201);
    expect(added.json().ref).toBe(opened.json().ref);
  });
});
