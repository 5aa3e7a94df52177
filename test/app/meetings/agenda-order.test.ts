// Agenda items could not be reordered. Those who publish the agenda now move an item up or down,
// through the use case, REST (If-Match) and the page; a move from a stale read is refused, never
// applied over someone else's, on both databases.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../../src/app/core/hub.ts';
import { joinGroup } from '../../../src/app/groups/groups.ts';
import { addAgendaItem, moveAgendaItem } from '../../../src/app/meetings/agenda.ts';
import { getMeeting, scheduleMeeting } from '../../../src/app/meetings/meetings.ts';
import { createToken } from '../../../src/app/people/tokens.ts';
import { Conflict, Forbidden, InvalidInput, PreconditionRequired } from '../../../src/domain/errors.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import { databases } from '../../support/databases.ts';
import { asActor, hostingGroup, openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('ordering an agenda on $name', (database) => {
  let hub: TestHub;
  let ref: string;
  const titles = async () => (await getMeeting(hub, ref)).agenda.items.map((i) => `${i.position} ${i.title}`);

  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    const sam = await person(hub, 'sam', { role: 'member' });
    const bo = await person(hub, 'bo');
    await hostingGroup(hub, sam, 'sam');
    await joinGroup(hub, bo, 'hosting', { level: 'participant' });
    ref = (
      await scheduleMeeting(hub, sam, {
        group: 'hosting',
        kind: 'process',
        title: 'Sync',
        startsAt: '2026-03-20T16:00:00Z',
      })
    ).ref;
    for (const title of ['Welcome', 'Roadmap', 'Any other business'])
      await addAgendaItem(hub, title === 'Roadmap' ? bo : sam, ref, { title });
  });
  afterEach(async () => hub?.close());

  it('a lead moves an item up and down; a stale read, a participant, and the ends are refused', async () => {
    const lead = await asActor(hub, 'sam');
    const bo = await asActor(hub, 'bo');
    const read = await getMeeting(hub, ref, lead);
    expect(read.can.orderAgenda).toEqual({ allowed: true });
    expect((await getMeeting(hub, ref, bo)).can.orderAgenda.allowed).toBe(false);

    const moved = await moveAgendaItem(hub, lead, ref, read.version, { item: 3, direction: 'up' });
    expect(moved.agenda.items.map((i) => i.title)).toEqual(['Welcome', 'Any other business', 'Roadmap']);
    expect(moved.version).toBe(read.version + 1);

    // a second facilitator's page, read before that move, tries to move "Roadmap" (by its id) down
    const roadmap = read.agenda.items.find((i) => i.title === 'Roadmap')!.id;
    await expect(moveAgendaItem(hub, lead, ref, read.version, { item: roadmap, direction: 'up' })).rejects.toThrow(
      Conflict,
    );
    expect(await titles()).toEqual(['1 Welcome', '2 Any other business', '3 Roadmap']);
    await expect(moveAgendaItem(hub, lead, ref, undefined, { item: 1, direction: 'down' })).rejects.toThrow(
      PreconditionRequired,
    );

    // whoever added an item may not reorder the agenda: that is for those who publish it
    const refused = moveAgendaItem(hub, bo, ref, moved.version, { item: roadmap, direction: 'up' });
    await expect(refused).rejects.toThrow(Forbidden);
    await expect(refused).rejects.toThrow(/change the order of this agenda/);

    const last = moveAgendaItem(hub, lead, ref, moved.version, { item: roadmap, direction: 'down' });
    await expect(last).rejects.toThrow(InvalidInput);
    await expect(last).rejects.toThrow('direction: item 3 is already last on the agenda');
    await expect(moveAgendaItem(hub, lead, ref, moved.version, { item: 1, direction: 'sideways' })).rejects.toThrow(
      /direction: must be one of: up, down/,
    );
    expect(await titles()).toEqual(['1 Welcome', '2 Any other business', '3 Roadmap']);

    // once the meeting has started the agenda is closed, its order too
    hub.clock.set('2026-03-20T16:05:00Z');
    const late = await getMeeting(hub, ref, lead);
    expect(late.can.orderAgenda).toEqual({ allowed: false, reason: 'The agenda closed when the meeting started' });
    await expect(moveAgendaItem(hub, lead, ref, late.version, { item: 2, direction: 'up' })).rejects.toThrow(
      'The agenda closed when the meeting started',
    );
  });

  it('over REST: If-Match carries the version; a stale one is a 409 with the agenda as it is', async () => {
    const app = createHttpApp(hub);
    const token = (await createToken(hub, SYSTEM, 'sam')).token;
    const move = (item: string, direction: string, ifMatch?: string) =>
      app.request(`/api/meetings/${ref}/agenda/${item}/move`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          ...(ifMatch ? { 'if-match': ifMatch } : {}),
        },
        body: JSON.stringify({ direction }),
      });
    const get = await app.request(`/api/meetings/${ref}`);
    const etag = get.headers.get('etag')!;
    expect((await move('1', 'down')).status).toBe(428);
    const ok = await move('1', 'down', etag);
    expect(ok.status).toBe(200);
    expect((await ok.json()).agenda.items.map((i: { title: string }) => i.title)).toEqual([
      'Roadmap',
      'Welcome',
      'Any other business',
    ]);
    const stale = await move('2', 'down', etag);
    expect(stale.status).toBe(409);
    expect(await titles()).toEqual(['1 Roadmap', '2 Welcome', '3 Any other business']);
    const openapi = await (await app.request('/api/openapi.json')).json();
    expect(openapi.paths['/api/meetings/{ref}/agenda/{item}/move'].post).toBeDefined();
  });
});
