// An agenda item's kind could not be changed once it was added: one added under the wrong kind (or
// read wrongly from its words) had to be taken off and added again, losing its place and written input
// (and an item carrying input cannot be taken off at all). Whoever added it, or those who publish the
// agenda, now change it in place while the agenda is open, with the meeting's version as read, on both
// databases and over REST.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../../src/app/core/hub.ts';
import { joinGroup } from '../../../src/app/groups/groups.ts';
import {
  addAgendaItem,
  agendaChangesSince,
  changeAgendaItemKind,
  publishAgenda,
  submitWrittenInput,
} from '../../../src/app/meetings/agenda.ts';
import { getMeeting, scheduleMeeting } from '../../../src/app/meetings/meetings.ts';
import { createToken } from '../../../src/app/people/tokens.ts';
import { Conflict, Forbidden, InvalidInput, PreconditionRequired } from '../../../src/domain/errors.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import { databases } from '../../support/databases.ts';
import { asActor, hostingGroup, openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)("changing an agenda item's kind on $name", (database) => {
  let hub: TestHub;
  let ref: string;

  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    const sam = await person(hub, 'sam', { role: 'member' });
    const bo = await person(hub, 'bo');
    const cy = await person(hub, 'cy');
    await hostingGroup(hub, sam, 'sam');
    await joinGroup(hub, bo, 'hosting', { level: 'participant' });
    await joinGroup(hub, cy, 'hosting', { level: 'participant' });
    ref = (
      await scheduleMeeting(hub, sam, {
        group: 'hosting',
        kind: 'process',
        title: 'Sync',
        startsAt: '2026-03-20T16:00:00Z',
      })
    ).ref;
    await addAgendaItem(hub, sam, ref, { title: 'Welcome', kind: 'process' });
    // bo's item reads as content (a deep-dive) in a process meeting: warned of
    await addAgendaItem(hub, bo, ref, {
      title: 'Scheduling the transport deep-dive',
      kind: 'content',
    });
    await submitWrittenInput(hub, cy, ref, { item: 2, body: 'I cannot come: Tuesdays suit me best.' });
  });
  afterEach(async () => hub?.close());

  it('a lead changes it in place: its place and written input stay, the warning goes, the log keeps before and after', async () => {
    const lead = await asActor(hub, 'sam');
    const read = await getMeeting(hub, ref, lead);
    const item = read.agenda.items[1]!;
    expect(item.kind).toBe('content');
    expect(item.warning?.code).toBe('content-in-process-meeting');
    expect(item.can.changeKind).toEqual({ allowed: true });

    const changed = await changeAgendaItemKind(hub, lead, ref, item.id, read.version, { kind: 'process' });
    const after = changed.agenda.items[1]!;
    expect(after).toMatchObject({ id: item.id, position: 2, title: item.title, kind: 'process', warning: null });
    expect(after.writtenInput.map((w) => w.body)).toEqual(['I cannot come: Tuesdays suit me best.']);
    expect(changed.version).toBe(read.version + 1);

    const events = await hub.store.db
      .selectFrom('events')
      .select(['kind', 'before', 'after'])
      .where('kind', '=', 'meeting.agenda-item-kind-changed')
      .execute();
    expect(events).toHaveLength(1);
    expect(JSON.parse(String(events[0]!.before))).toMatchObject({ id: item.id, position: 2, kind: 'content' });
    expect(JSON.parse(String(events[0]!.after))).toMatchObject({ id: item.id, position: 2, kind: 'process' });

    // the same kind again changes nothing: no event, the version stays
    const same = await changeAgendaItemKind(hub, lead, ref, 2, changed.version, { kind: 'process' });
    expect(same.version).toBe(changed.version);
    expect(
      await hub.store.db
        .selectFrom('events')
        .select('seq')
        .where('kind', '=', 'meeting.agenda-item-kind-changed')
        .execute(),
    ).toHaveLength(1);
  });

  it('a change from a stale read is a conflict, never a silent overwrite; without a version it is refused asking for one', async () => {
    const lead = await asActor(hub, 'sam');
    const bo = await asActor(hub, 'bo');
    const read = await getMeeting(hub, ref, lead);
    await changeAgendaItemKind(hub, bo, ref, 2, read.version, { kind: 'process' });
    // a second page, read before bo's change, sets it back: refused with the agenda as it is now
    const stale = changeAgendaItemKind(hub, lead, ref, 2, read.version, { kind: 'content' });
    await expect(stale).rejects.toThrow(Conflict);
    await expect(changeAgendaItemKind(hub, lead, ref, 2, undefined, { kind: 'content' })).rejects.toThrow(
      PreconditionRequired,
    );
    expect((await getMeeting(hub, ref)).agenda.items[1]!.kind).toBe('process');
  });

  it('its author and those who publish the agenda may; another participant is told who may; a bad kind names the field', async () => {
    const bo = await asActor(hub, 'bo');
    const cy = await asActor(hub, 'cy');
    const read = await getMeeting(hub, ref, cy);
    expect(read.agenda.items[1]!.can.changeKind).toEqual({
      allowed: false,
      reason: expect.stringMatching(/^Only .*whoever added it.* may change this item's kind$/),
    });
    const refused = changeAgendaItemKind(hub, cy, ref, 2, read.version, { kind: 'process' });
    await expect(refused).rejects.toThrow(Forbidden);
    await expect(refused).rejects.toThrow(/may change this item's kind/);
    // one who may change no item is refused whatever they send, never told their input is wrong
    await expect(changeAgendaItemKind(hub, cy, ref, 2, undefined, { kind: 'sideways' })).rejects.toThrow(Forbidden);

    // bo added item 2, not item 1
    expect((await getMeeting(hub, ref, bo)).agenda.items.map((i) => i.can.changeKind.allowed)).toEqual([false, true]);
    await expect(changeAgendaItemKind(hub, bo, ref, 1, read.version, { kind: 'content' })).rejects.toThrow(Forbidden);
    const bad = changeAgendaItemKind(hub, bo, ref, 2, read.version, { kind: 'sideways' });
    await expect(bad).rejects.toThrow(InvalidInput);
    await expect(bad).rejects.toThrow(/kind: /);
    await expect(changeAgendaItemKind(hub, bo, ref, 3, read.version, { kind: 'process' })).rejects.toThrow(
      `item: ${ref} has no agenda item #3`,
    );
    expect((await getMeeting(hub, ref)).agenda.items.map((i) => i.kind)).toEqual(['process', 'content']);
  });

  it('once the meeting has started, or was cancelled, the agenda is closed: refused naming that rule', async () => {
    const lead = await asActor(hub, 'sam');
    hub.clock.set('2026-03-20T16:05:00Z');
    const late = await getMeeting(hub, ref, lead);
    const closed = { allowed: false, reason: 'The agenda closed when the meeting started' };
    expect(late.agenda.items[1]!.can.changeKind).toEqual(closed);
    await expect(changeAgendaItemKind(hub, lead, ref, 2, late.version, { kind: 'process' })).rejects.toMatchObject({
      kind: 'forbidden',
      message: 'The agenda closed when the meeting started',
    });
    expect((await getMeeting(hub, ref)).agenda.items[1]!.kind).toBe('content');
  });

  it('after publishing, the change counts among those not yet told to the group', async () => {
    const lead = await asActor(hub, 'sam');
    const published = await publishAgenda(hub, lead, ref);
    hub.clock.set('2026-03-03T12:00:00Z');
    await changeAgendaItemKind(hub, lead, ref, 2, published.version, { kind: 'process' });
    expect(await agendaChangesSince(hub, ref, published.agenda.publishedAt!)).toEqual({
      removed: 0,
      moved: 0,
      kindChanged: 1,
    });
  });

  it('over REST: If-Match is required, a stale one is a 409, a closed agenda a 403 in words, and OpenAPI lists it', async () => {
    const app = createHttpApp(hub);
    const token = (await createToken(hub, SYSTEM, 'sam')).token;
    const send = (item: string, body: unknown, ifMatch?: string) =>
      app.request(`/api/meetings/${ref}/agenda/${item}/kind`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          ...(ifMatch ? { 'if-match': ifMatch } : {}),
        },
        body: JSON.stringify(body),
      });
    const etag = (await app.request(`/api/meetings/${ref}`)).headers.get('etag')!;
    expect((await send('2', { kind: 'process' })).status).toBe(428);
    const bad = await send('2', { kind: 'other' }, etag);
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors[0].field).toBe('kind');
    const ok = await send('2', { kind: 'process' }, etag);
    expect(ok.status).toBe(200);
    const body = await ok.json();
    expect(body.agenda.items[1]).toMatchObject({ position: 2, kind: 'process', warning: null });
    expect(body.agenda.items[1].writtenInput).toHaveLength(1);
    expect(body.agenda.items[1].can.changeKind).toEqual({ allowed: true });
    expect(ok.headers.get('etag')).not.toBe(etag);
    expect((await send('2', { kind: 'content' }, etag)).status).toBe(409);
    hub.clock.set('2026-03-21T00:00:00Z');
    const closed = await send('2', { kind: 'content' }, ok.headers.get('etag')!);
    expect(closed.status).toBe(403);
    expect((await closed.json()).detail).toBe('The agenda closed when the meeting started');
    expect((await getMeeting(hub, ref)).agenda.items[1]!.kind).toBe('process');
    const openapi = await (await app.request('/api/openapi.json')).json();
    const op = openapi.paths['/api/meetings/{ref}/agenda/{item}/kind'].post;
    expect(op.parameters.find((p: { name: string }) => p.name === 'If-Match').required).toBe(true);
  });
});
