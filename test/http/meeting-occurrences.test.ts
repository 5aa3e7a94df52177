// One start of a series over REST, on both databases: what_needs_me names a later start of a series
// M-1@<start>, and a client goes from that id to the meeting at that start (GET /api/meetings/{ref}),
// which told it "no meeting M-1@…" before; the upcoming list names each meeting by the same id.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { placeInGroup } from '../../src/app/groups/groups.ts';
import { readMeeting } from '../../src/app/meetings/decision-standing.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { showMeeting } from '../../src/cli/meeting-commands.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { hostingGroup, openTestHub, person, type TestHub } from '../support/hub.ts';

describe.each(databases)('a start of a series over REST on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  const tokens: Record<string, string> = {};
  const call = async (method: string, path: string, who?: string, body?: unknown) => {
    const res = await app.request(`http://127.0.0.1${path}`, {
      method,
      headers: {
        ...(who ? { Authorization: `Bearer ${tokens[who]}` } : {}),
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, etag: res.headers.get('etag'), text, json: () => JSON.parse(text) };
  };
  const SECOND = '2026-03-12T16:00:00.000Z';

  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    app = createHttpApp(hub);
    const lead = await person(hub, 'lead', { role: 'member', timeZone: 'Europe/Berlin' });
    await person(hub, 'bo', { timeZone: 'America/New_York' });
    await hostingGroup(hub, lead, 'lead');
    await placeInGroup(hub, SYSTEM, 'hosting', 'bo', { level: 'member' });
    for (const h of ['lead', 'bo']) tokens[h] = (await createToken(hub, SYSTEM, h)).token;
    const series = await call('POST', '/api/meetings', 'lead', {
      group: 'hosting',
      kind: 'process',
      title: 'Hosting coordination',
      startsAt: '2026-03-05T16:00:00Z',
      rrule: 'FREQ=WEEKLY;COUNT=6',
    });
    expect(series.status).toBe(201);
    await call('POST', '/api/meetings/M-1/agenda', 'lead', { title: 'Roadmap' });
  });
  afterEach(async () => hub?.close());

  it('what_needs_me names a later start M-1@start, and GET /api/meetings/{ref} answers it with the start asked for', async () => {
    const needs = (await call('GET', '/api/me/needs', 'bo')).json();
    const later = needs.items.find((i: { kind: string; due: string }) => i.kind === 'meeting' && i.due === SECOND);
    expect(later.id).toBe(`M-1@${SECOND}`);

    // as the id came, and percent-encoded as a client may send a path segment
    for (const path of [`/api/meetings/${later.id}`, `/api/meetings/${encodeURIComponent(later.id)}`]) {
      const read = await call('GET', path, 'lead');
      expect(read.status, read.text).toBe(200);
      const m = read.json();
      // no meeting of its own there yet: the series at that start, saying so, and whether the caller may open one
      expect(m).toMatchObject({ ref: 'M-1', startsAt: SECOND, agenda: { items: [] } });
      expect(m.occurrence).toEqual({ id: later.id, series: 'M-1', startsAt: SECOND, ref: null });
      expect(m.can.openOccurrence).toEqual({ allowed: true });
      expect(read.etag).toMatch(new RegExp(`^"v${m.version}-[0-9a-f]{16}"$`));
    }
    // the same start asked on another clock is the same id
    const zoned = (await call('GET', '/api/meetings/M-1@2026-03-12T17:00:00%2B01:00')).json();
    expect(zoned.occurrence.id).toBe(`M-1@${SECOND}`);
    // a plain ref says it was asked for no start
    expect((await call('GET', '/api/meetings/M-1')).json().occurrence).toBeNull();
    // `wghub meeting show M-1@…` reads the same, and says first that the start has no meeting of its own
    expect(showMeeting(await readMeeting(hub, later.id)).split('\n')[0]).toMatch(
      /^M-1@2026-03-12T16:00:00.000Z: Hosting coordination, Thu 2026-03-12 17:00 \S+: one meeting of the series M-1, with no meeting of its own yet/,
    );

    // once that start has a meeting of its own, the same id answers with it, agenda and all
    const own = await call('POST', '/api/meetings', 'lead', {
      group: 'hosting',
      kind: 'process',
      title: 'Hosting coordination',
      startsAt: SECOND,
      seriesOf: 'M-1',
    });
    expect(own.status, own.text).toBe(201);
    await call('POST', '/api/meetings/M-2/agenda', 'bo', { title: 'Cold starts' });
    const opened = (await call('GET', `/api/meetings/${later.id}`, 'bo')).json();
    expect(opened).toMatchObject({ ref: 'M-2', series: 'M-1' });
    expect(opened.occurrence).toEqual({ id: later.id, series: 'M-1', startsAt: SECOND, ref: 'M-2' });
    expect(opened.agenda.items.map((i: { title: string }) => i.title)).toEqual(['Cold starts']);
    expect(showMeeting(await readMeeting(hub, later.id)).split('\n')[0]).toBe(
      `M-2: Hosting coordination (${later.id})`,
    );
    // its notes template too
    const template = await call('GET', `/api/meetings/${later.id}/notes-template`);
    expect(template.status).toBe(200);
    expect(template.text).toContain('Cold starts');
  });

  it('a start the series never holds is refused naming ref, one with no meeting of its own for what only a meeting has by the policy', async () => {
    const off = await call('GET', '/api/meetings/M-1@2026-03-13T16:00:00Z');
    expect(off.status).toBe(422);
    expect(off.json().errors).toEqual([
      {
        field: 'ref',
        rule: '2026-03-13T16:00:00.000Z is not one of the starts of M-1 (FREQ=WEEKLY;COUNT=6 from 2026-03-05T16:00:00.000Z in Europe/Berlin)',
      },
    ]);
    expect((await call('GET', '/api/meetings/M-1@soon')).json().errors[0].field).toBe('ref');
    // the notes template of a start with no meeting of its own is not the series' first meeting's: it is
    // refused as every edge refuses that start what it does not take yet, in the meeting policy's words
    const template = await call('GET', `/api/meetings/M-1@${SECOND}/notes-template`);
    expect(template.status).toBe(403);
    expect(template.json().detail).toBe(
      (await call('GET', `/api/meetings/M-1@${SECOND}`)).json().can.recordOutcomes.reason,
    );
    expect(template.json().detail).toMatch(/^This meeting of the series has no agenda of its own yet: only /);
  });

  it('the upcoming list names each meeting by the id what_needs_me gives it', async () => {
    const first = (await call('GET', '/api/meetings/upcoming')).json().items;
    expect(first.map((m: { ref: string; nextId: string }) => [m.ref, m.nextId])).toEqual([['M-1', 'M-1']]);
    hub.clock.set('2026-03-06T12:00:00Z');
    const next = (await call('GET', '/api/meetings/upcoming')).json().items;
    expect(next.map((m: { nextId: string }) => m.nextId)).toEqual([`M-1@${SECOND}`]);
    const read = (await call('GET', `/api/meetings/${next[0].nextId}`)).json();
    expect(read.occurrence.startsAt).toBe(next[0].nextStartsAt);
  });
});
