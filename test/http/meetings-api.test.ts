import ICAL from 'ical.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { joinGroup, placeInGroup, proposeGroup } from '../../src/app/groups/groups.ts';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { personRow } from '../../src/app/people/people.ts';
import { submitWrittenInput } from '../../src/app/meetings/agenda.ts';
import { LIMITS } from '../../src/domain/limits.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';

describe.each(databases)('meetings over REST on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  const tokens: Record<string, string> = {};
  const call = (method: string, path: string, who?: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.request(path, {
      method,
      headers: {
        ...headers,
        ...(who ? { Authorization: `Bearer ${tokens[who]}` } : {}),
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });

  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    app = createHttpApp(hub);
    const lead = await person(hub, 'lead', { role: 'member', timeZone: 'Europe/Berlin' });
    await person(hub, 'bo', { timeZone: 'America/New_York' });
    const kai = await person(hub, 'kai', { timeZone: 'Asia/Tokyo' });
    await proposeGroup(hub, lead, {
      slug: 'hosting',
      name: 'Hosting',
      kind: 'working',
      mission: 'Share practices for hosting MCP servers at scale.',
      scopeIn: ['Scaling'],
      leads: ['lead'],
    });
    await placeInGroup(hub, SYSTEM, 'hosting', 'bo', { level: 'member' });
    await joinGroup(hub, kai, 'hosting', { level: 'observer' });
    for (const h of ['lead', 'bo', 'kai']) tokens[h] = (await createToken(hub, SYSTEM, h)).token;
  });
  afterEach(async () => hub?.close());

  it('schedule with short notice flagged, agenda with a kind warning, written input on the agenda and in the notes template', async () => {
    const bad = await call('POST', '/api/meetings', 'lead', {
      group: 'hosting',
      kind: 'social',
      title: 'x',
      startsAt: 'tomorrow',
    });
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'kind',
      'startsAt',
      'title',
    ]);
    const res = await call('POST', '/api/meetings', 'lead', {
      group: 'hosting',
      kind: 'process',
      title: 'Hosting coordination',
      startsAt: '2026-03-05T16:00:00Z',
      rrule: 'FREQ=WEEKLY;COUNT=6',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('etag')).toMatch(/^"v1-[0-9a-f]{16}"$/);
    const m = await res.json();
    expect(m).toMatchObject({ ref: 'M-1', timeZone: 'Europe/Berlin', notice: { short: true, givenDays: 3.1 } });
    expect(
      (
        await call('POST', '/api/meetings', 'bo', {
          group: 'hosting',
          kind: 'process',
          title: 'Not mine to schedule',
          startsAt: '2026-03-20T16:00:00Z',
        })
      ).status,
    ).toBe(403);

    const item = await (
      await call('POST', '/api/meetings/M-1/agenda', 'bo', {
        title: 'Evaluating proposed protocol extensions with proof-of-concept',
      })
    ).json();
    expect(item.agenda.items[0].warning).toMatchObject({ code: 'content-in-process-meeting' });
    const input = await call('POST', '/api/meetings/M-1/written-input', 'kai', {
      item: 1,
      body: 'I am asleep at 01:00 Tokyo time; I support the extension if it stays optional.',
    });
    expect(input.status).toBe(201);
    const shown = await (await call('GET', '/api/meetings/M-1')).json();
    expect(shown.agenda.items[0].writtenInput).toEqual([
      expect.objectContaining({ author: 'kai', authorName: 'Kai', presented: null }),
    ]);
    expect((await call('DELETE', '/api/meetings/M-1/agenda/1', 'kai')).status).toBe(403);
    expect((await call('DELETE', '/api/meetings/M-1/agenda/1', 'bo')).status).toBe(422); // it carries kai's input
    const tpl = await call('GET', '/api/meetings/M-1/notes-template');
    expect(tpl.headers.get('content-type')).toContain('text/markdown');
    const template = await tpl.text();
    expect(template).toContain('**Written input from @kai** (sent 2026-03-02 12:00 UTC) — [ ] presented');
    // the group by its name, not the slug of its address
    expect(template).toContain('- **Group:** Hosting\n');

    const stale = await call('PATCH', '/api/meetings/M-1', 'lead', { title: 'Renamed' }, { 'If-Match': '"v0"' });
    expect(stale.status).toBe(409);
    expect((await call('PATCH', '/api/meetings/M-1', 'lead', { title: 'Renamed' })).status).toBe(428);
  });

  it('publishing an agenda with the version read before an item was added is refused (409, the agenda as it stands); with the current one, or none, it is published', async () => {
    await call('POST', '/api/meetings', 'lead', {
      group: 'hosting',
      kind: 'content',
      title: 'Sticky sessions',
      startsAt: '2026-03-20T16:00:00Z',
    });
    await call('POST', '/api/meetings/M-1/agenda', 'lead', { title: 'Affinity behind load balancers' });
    const read = await call('GET', '/api/meetings/M-1', 'lead');
    const tag = read.headers.get('etag')!;
    const version = (await read.json()).version;
    await call('POST', '/api/meetings/M-1/agenda', 'bo', { title: 'Draining a server without dropping streams' });
    const stale = await call('POST', '/api/meetings/M-1/agenda/publish', 'lead', undefined, { 'If-Match': tag });
    expect(stale.status).toBe(409);
    const problem = await stale.json();
    expect(problem.currentVersion).toBe(version + 1);
    expect(JSON.stringify(problem.current)).toContain('Draining a server without dropping streams');
    expect((await (await call('GET', '/api/meetings/M-1', 'lead')).json()).agenda.publishedAt).toBeNull();
    const fresh = await call('POST', '/api/meetings/M-1/agenda/publish', 'lead', undefined, {
      'If-Match': `"v${version + 1}"`,
    });
    expect(fresh.status).toBe(200);
    expect((await fresh.json()).agenda.publishedAt).not.toBeNull();
    // without If-Match (an older client), publishing again is taken as before
    expect((await call('POST', '/api/meetings/M-1/agenda/publish', 'lead')).status).toBe(200);
  });

  it('written input recorded for another with a mistyped `for` is a 422 naming `for`, even from a lead who may send no more of their own', async () => {
    await call('POST', '/api/meetings', 'lead', {
      group: 'hosting',
      kind: 'content',
      title: 'Sticky sessions',
      startsAt: '2026-03-20T16:00:00Z',
    });
    await call('POST', '/api/meetings/M-1/agenda', 'bo', { title: 'Affinity behind load balancers' });
    const lead = { kind: 'person' as const, person: await personRow(hub.store.db, 'lead') };
    for (let i = 0; i < LIMITS.writtenInputsPerPerson; i++)
      await submitWrittenInput(hub, lead, 'M-1', { item: 1, body: `My own input, number ${i + 1}.` });
    const res = await call('POST', '/api/meetings/M-1/written-input', 'lead', {
      item: 1,
      body: 'Bo mailed this: pin sessions by cookie.',
      for: 'bo smith',
    });
    expect(res.status).toBe(422);
    expect((await res.json()).errors).toEqual([
      { field: 'for', rule: expect.stringContaining('must be a GitHub-style handle') },
    ]);
  });

  it('written input: its sender changes it with If-Match (428 without, 409 stale, 422 naming body) or withdraws it; others get 403; all documented in OpenAPI', async () => {
    await call('POST', '/api/meetings', 'lead', {
      group: 'hosting',
      kind: 'content',
      title: 'Sticky sessions',
      startsAt: '2026-03-20T16:00:00Z',
    });
    await call('POST', '/api/meetings/M-1/agenda', 'bo', { title: 'Affinity behind load balancers' });
    const sent = await (
      await call('POST', '/api/meetings/M-1/written-input', 'kai', { item: 1, body: 'I am asleep then; pin by cokie.' })
    ).json();
    const id: string = sent.agenda.items[0].writtenInput[0].id;
    const path = `/api/meetings/M-1/written-input/${id}`;

    const got = await call('GET', path, 'kai');
    expect(got.headers.get('etag')).toMatch(/^"v1-[0-9a-f]{16}"$/);
    expect(await got.json()).toMatchObject({
      id,
      meeting: 'M-1',
      item: 1,
      version: 1,
      can: { edit: { allowed: true }, withdraw: { allowed: true } },
    });
    // the meeting's view says why others may not
    const forBo = (await (await call('GET', '/api/meetings/M-1', 'bo')).json()).agenda.items[0].writtenInput[0];
    expect(forBo.can.edit).toEqual({
      allowed: false,
      reason: 'Only the person who sent this written input may change it',
    });

    const body = { body: 'I am asleep then; pin by cookie.' };
    expect((await call('PATCH', path, 'kai', body)).status).toBe(428);
    expect((await call('PATCH', path, 'bo', body, { 'If-Match': '"v1"' })).status).toBe(403);
    const short = await call('PATCH', path, 'kai', { body: 'pin' }, { 'If-Match': '"v1"' });
    expect(short.status).toBe(422);
    expect((await short.json()).errors).toEqual([
      { field: 'body', rule: expect.stringContaining('at least 10 characters') },
    ]);
    const edited = await call('PATCH', path, 'kai', body, { 'If-Match': '"v1"' });
    expect(edited.status).toBe(200);
    expect(edited.headers.get('etag')).toMatch(/^"v2-[0-9a-f]{16}"$/);
    expect(await edited.json()).toMatchObject({ body: body.body, version: 2, editedAt: '2026-03-02T12:00:00.000Z' });
    const stale = await call('PATCH', path, 'kai', { body: 'An older tab says this.' }, { 'If-Match': '"v1"' });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ currentVersion: 2, current: { body: body.body, version: 2 } });

    expect((await call('DELETE', path, 'lead')).status).toBe(403);
    expect((await call('DELETE', path, 'kai', undefined, { 'If-Match': '"v1"' })).status).toBe(409);
    const gone = await call('DELETE', path, 'kai', undefined, { 'If-Match': '"v2"' });
    expect(gone.status).toBe(200);
    expect((await gone.json()).agenda.items[0].writtenInput).toEqual([]);
    expect((await call('GET', path, 'kai')).status).toBe(404);

    const doc = await (await call('GET', '/api/openapi.json')).json();
    // sending: 201 stored, 200 the same input already sent (it was documented as 201 only)
    expect(Object.keys(doc.paths['/api/meetings/{ref}/written-input'].post.responses)).toEqual(
      expect.arrayContaining(['200', '201']),
    );
    const ops = doc.paths['/api/meetings/{ref}/written-input/{id}'];
    expect(Object.keys(ops).sort()).toEqual(['delete', 'get', 'patch', 'put']);
    expect(ops.patch.parameters).toContainEqual(expect.objectContaining({ name: 'If-Match', required: true }));
    expect(ops.patch.responses).toHaveProperty('428');
    expect(ops.delete.parameters).toContainEqual(expect.objectContaining({ name: 'If-Match', required: false }));
    expect(ops.patch.requestBody.content['application/json'].schema.properties).toHaveProperty('body');
  });

  it('marking written input presented takes If-Match, optionally: a mark someone recorded since is 409 with the mark as it stands', async () => {
    await call('POST', '/api/meetings', 'lead', {
      group: 'hosting',
      kind: 'content',
      title: 'Sticky sessions',
      startsAt: '2026-03-20T16:00:00Z',
    });
    await call('POST', '/api/meetings/M-1/agenda', 'bo', { title: 'Affinity behind load balancers' });
    const sent = await (
      await call('POST', '/api/meetings/M-1/written-input', 'kai', { item: 1, body: 'Pin sessions by cookie, please.' })
    ).json();
    const path = `/api/meetings/M-1/written-input/${sent.agenda.items[0].writtenInput[0].id}`;
    hub.clock.set('2026-03-20T16:30:00Z');
    const marked = await call('PUT', path, 'lead', { presented: true }, { 'If-Match': '"v1"' });
    expect(marked.status).toBe(200);
    expect((await marked.json()).agenda.items[0].writtenInput[0]).toMatchObject({ presented: true, version: 2 });
    const stale = await call(
      'PUT',
      path,
      'lead',
      { presented: false, note: 'ran out of time' },
      { 'If-Match': '"v1"' },
    );
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ currentVersion: 2, current: { presented: true, note: null } });
    // without If-Match it is taken as sent, as before
    expect((await call('PUT', path, 'lead', { presented: false, note: 'ran out of time' })).status).toBe(200);
    const doc = await (await call('GET', '/api/openapi.json')).json();
    expect(doc.paths['/api/meetings/{ref}/written-input/{id}'].put.parameters).toContainEqual(
      expect.objectContaining({ name: 'If-Match', required: false }),
    );
  });

  it('notes, late notes, calendars per group and person, fair times and the quarterly draft', async () => {
    await call('POST', '/api/meetings', 'lead', {
      group: 'hosting',
      kind: 'process',
      title: 'Hosting coordination',
      startsAt: '2026-03-19T15:00:00Z',
      rrule: 'FREQ=WEEKLY;COUNT=3',
    });
    const cal = await call('GET', '/api/groups/hosting/calendar.ics');
    expect(cal.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const comp = new ICAL.Component(ICAL.parse(await cal.text()));
    expect(comp.getFirstSubcomponent('vtimezone')!.getFirstPropertyValue('tzid')).toBe('Europe/Berlin');
    expect(String(comp.getFirstSubcomponent('vevent')!.getFirstPropertyValue('rrule'))).toBe('FREQ=WEEKLY;COUNT=3');
    expect((await call('GET', '/api/people/kai/calendar.ics')).status).toBe(200);
    expect((await call('GET', '/api/groups/nope/calendar.ics')).status).toBe(404);

    hub.clock.set('2026-03-21T16:00:00.001Z');
    expect(
      (await (await call('GET', '/api/meetings/late-notes?group=hosting')).json()).items.map(
        (m: { ref: string }) => m.ref,
      ),
    ).toEqual(['M-1']);
    const notes = await call('PUT', '/api/meetings/M-1/notes', 'bo', { notes: 'Agreed the roadmap.' });
    expect(notes.status).toBe(200);
    // attendance: the first list needs no If-Match; replacing it does, and a stale one is a 409
    const attended = await call('PUT', '/api/meetings/M-1/attendance', 'bo', { attended: ['bo', 'lead'] });
    expect(attended.status).toBe(200);
    const etag = attended.headers.get('etag')!;
    const blind = await call('PUT', '/api/meetings/M-1/attendance', 'bo', { attended: ['bo'] });
    expect(blind.status).toBe(428);
    expect((await blind.json()).detail).toBe(
      'updating the attendance needs the version you last read (send If-Match with the ETag from GET)',
    );
    expect(
      (await call('PUT', '/api/meetings/M-1/attendance', 'bo', { attended: ['bo'] }, { 'If-Match': etag })).status,
    ).toBe(200);
    const stale = await call('PUT', '/api/meetings/M-1/attendance', 'bo', { attended: ['kai'] }, { 'If-Match': etag });
    expect(stale.status).toBe(409);
    expect((await (await call('GET', '/api/meetings/M-1')).json()).attendance).toEqual(['bo']);
    expect((await notes.json()).notes.deadline).toMatchObject({ state: 'published-late' });

    const ft = await call('POST', '/api/meetings/fair-times', undefined, {
      group: 'hosting',
      from: '2026-03-23T00:00:00Z',
      days: 7,
      series: { count: 4 },
    });
    const body = await ft.json();
    expect(body).toMatchObject({ participants: 3, durationMinutes: 60 });
    expect(body.best[0].participants.map((p: { handle: string }) => p.handle).sort()).toEqual(['bo', 'kai', 'lead']);
    expect(body.series.rotation.meetings).toHaveLength(4);
    expect(typeof body.series.rotation.fairness).toBe('number');
    // a window that starts in the past proposes nothing before now
    const past = await (
      await call('POST', '/api/meetings/fair-times', undefined, {
        group: 'hosting',
        from: '2020-01-01T00:00:00Z',
        days: 7,
      })
    ).json();
    expect(past.best.length).toBeGreaterThan(0);
    for (const s of past.best) expect(Date.parse(s.startsAt)).toBeGreaterThanOrEqual(hub.clock.now().getTime());

    const q = await call('GET', '/api/groups/hosting/quarterly-update.md?due=2026-04');
    expect(await q.text()).toContain(
      '2026-03-19 M-1 Hosting coordination (process; 1 attended; notes published 2026-03-21)',
    );
    expect((await call('GET', '/api/groups/hosting/quarterly-update?due=2026-05')).status).toBe(422);
    const doc = await (await call('GET', '/api/openapi.json')).json();
    expect(
      doc.paths['/api/meetings/{ref}/agenda'].post.requestBody.content['application/json'].schema.properties.kind.enum,
    ).toEqual(['process', 'content']);
  });
});
