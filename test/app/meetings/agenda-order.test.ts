// Agenda items could not be reordered. Those who publish the agenda now move an item up or down,
// through the use case, REST (If-Match) and the page; a move from a stale read is refused, never
// applied over someone else's, on both databases.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../../src/app/core/hub.ts';
import { joinGroup } from '../../../src/app/groups/groups.ts';
import {
  addAgendaItem,
  moveAgendaItem,
  publishAgenda,
  removeAgendaItem,
  submitWrittenInput,
} from '../../../src/app/meetings/agenda.ts';
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

  it('adding, removing and moving an item each move the version: an order read before an add is refused', async () => {
    const lead = await asActor(hub, 'sam');
    const read = await getMeeting(hub, ref, lead);
    const added = await addAgendaItem(hub, lead, ref, { title: 'Budget' });
    expect(added.version).toBe(read.version + 1);
    // a page read before the item was added tries to move item 4… which it never saw: refused, as a move is
    await expect(moveAgendaItem(hub, lead, ref, read.version, { item: 3, direction: 'down' })).rejects.toThrow(
      Conflict,
    );
    await expect(addAgendaItem(hub, lead, ref, { title: 'Late item' }, read.version)).rejects.toThrow(Conflict);
    // a removal by position from the old read would take off another item than the one it saw: refused
    await expect(removeAgendaItem(hub, lead, ref, 4, read.version)).rejects.toThrow(Conflict);
    expect(await titles()).toEqual(['1 Welcome', '2 Roadmap', '3 Any other business', '4 Budget']);
    const removed = await removeAgendaItem(hub, lead, ref, 4, added.version);
    expect(removed.version).toBe(added.version + 1);
    const moved = await moveAgendaItem(hub, lead, ref, removed.version, { item: 1, direction: 'down' });
    expect(moved.version).toBe(removed.version + 1);
    // without a version, adding (at the end) and removing by id still work, and still move it
    const more = await addAgendaItem(hub, lead, ref, { title: 'Wrap-up' });
    expect(more.version).toBe(moved.version + 1);
    const gone = await removeAgendaItem(hub, lead, ref, more.agenda.items.at(-1)!.id);
    expect(gone.version).toBe(more.version + 1);
  });

  it('a removal or move by position from a stale read is a conflict, whatever now sits at that position', async () => {
    const lead = await asActor(hub, 'sam');
    const bo = await asActor(hub, 'bo');
    const read = await getMeeting(hub, ref, bo);
    // the lead moves bo's "Roadmap" down and takes off the last item after bo read the agenda
    const moved = await moveAgendaItem(hub, lead, ref, read.version, { item: 2, direction: 'down' });
    await removeAgendaItem(hub, lead, ref, 3, moved.version);
    expect(await titles()).toEqual(['1 Welcome', '2 Any other business']);
    // bo's page still shows his item at 2: what sits there now is not his, but the read is what is wrong
    await expect(removeAgendaItem(hub, bo, ref, 2, read.version)).rejects.toThrow(Conflict);
    // nor is there an item 3 any more
    await expect(removeAgendaItem(hub, lead, ref, 3, read.version)).rejects.toThrow(Conflict);
    await expect(moveAgendaItem(hub, lead, ref, read.version, { item: 2, direction: 'down' })).rejects.toThrow(
      Conflict,
    );
    await expect(moveAgendaItem(hub, lead, ref, read.version, { item: 3, direction: 'up' })).rejects.toThrow(Conflict);
    expect(await titles()).toEqual(['1 Welcome', '2 Any other business']);
  });

  it('over REST: If-Match on adding and removing is optional, and a stale one is a 409 that changes nothing', async () => {
    const app = createHttpApp(hub);
    const token = (await createToken(hub, SYSTEM, 'sam')).token;
    const send = (method: string, path: string, ifMatch?: string, body?: unknown) =>
      app.request(`/api/meetings/${ref}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          ...(ifMatch ? { 'if-match': ifMatch } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const etag = (await app.request(`/api/meetings/${ref}`)).headers.get('etag')!;
    const added = await send('POST', '/agenda', etag, { title: 'Budget' });
    expect(added.status).toBe(201);
    expect(added.headers.get('etag')).not.toBe(etag);
    expect((await send('POST', '/agenda', etag, { title: 'Stale' })).status).toBe(409);
    expect((await send('DELETE', '/agenda/4', etag)).status).toBe(409);
    expect((await send('POST', '/agenda/3/move', etag, { direction: 'down' })).status).toBe(409);
    expect(await titles()).toEqual(['1 Welcome', '2 Roadmap', '3 Any other business', '4 Budget']);
    expect((await send('DELETE', '/agenda/4', added.headers.get('etag')!)).status).toBe(200);
    expect((await send('POST', '/agenda', undefined, { title: 'No version' })).status).toBe(201);
    const openapi = await (await app.request('/api/openapi.json')).json();
    const header = openapi.paths['/api/meetings/{ref}/agenda'].post.parameters.find(
      (p: { name: string }) => p.name === 'If-Match',
    );
    expect(header.required).toBe(false);
  });

  it('an item named by a position past any agenda, or padded, is refused naming the item on every route, and nothing moves', async () => {
    const lead = await asActor(hub, 'sam');
    const read = await getMeeting(hub, ref, lead);
    // digits past the database's integer column were a refusal naming no field on PostgreSQL, and
    // past 308 digits the message said "#Infinity"
    for (const key of ['2147483648', '9'.repeat(400)]) {
      for (const attempt of [
        () => removeAgendaItem(hub, lead, ref, key, read.version),
        () => moveAgendaItem(hub, lead, ref, read.version, { item: key.slice(0, 64), direction: 'up' }),
        () => submitWrittenInput(hub, lead, ref, { item: key.slice(0, 64), body: 'Input I cannot give in person.' }),
      ])
        await expect(attempt()).rejects.toMatchObject({
          issues: [{ field: 'item', rule: expect.stringMatching(/has no agenda item #\d+$|at most 64 characters/) }],
        });
    }
    // a position written with spaces names item 1 to move and to remove alike (removing read it as an id)
    const removed = await removeAgendaItem(hub, lead, ref, ' 1 ', read.version);
    expect(removed.agenda.items.map((i) => i.title)).toEqual(['Roadmap', 'Any other business']);
    await expect(removeAgendaItem(hub, lead, ref, 'x\u0000', removed.version)).rejects.toMatchObject({
      issues: [{ field: 'item', rule: expect.stringContaining('control') }],
    });
    expect(await titles()).toEqual(['1 Roadmap', '2 Any other business']);
  });

  it('a version no record showed (NaN, negative, a fraction, past the column) is refused naming it, not a conflict or an unnamed database refusal', async () => {
    const lead = await asActor(hub, 'sam');
    const read = await getMeeting(hub, ref, lead);
    // the CLI's --if-version abc reached the use case as NaN ("you read version NaN"), and on
    // PostgreSQL 1e20 was refused by the database naming no field
    for (const version of [Number.NaN, -1, 1.5, 1e20, Number.POSITIVE_INFINITY]) {
      for (const attempt of [
        () => addAgendaItem(hub, lead, ref, { title: 'Late item' }, version),
        () => removeAgendaItem(hub, lead, ref, 1, version),
        () => moveAgendaItem(hub, lead, ref, version, { item: 2, direction: 'up' }),
      ])
        await expect(attempt()).rejects.toMatchObject({
          issues: [{ field: 'version', rule: expect.stringContaining('must be the version you read') }],
        });
    }
    expect((await getMeeting(hub, ref, lead)).version).toBe(read.version);
    expect(await titles()).toEqual(['1 Welcome', '2 Roadmap', '3 Any other business']);
  });

  it('two agenda writes at once take turns: an add held open and a removal leave positions 1…n', async () => {
    const lead = await asActor(hub, 'sam');
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let holding = true;
    // the add holds its transaction open after writing its item, until released
    hub.reactions.push(async (_trx, _hub, e) => {
      if (e.kind === 'meeting.agenda-item-added' && holding) await held;
    });
    const first = (await getMeeting(hub, ref)).agenda.items[0]!.id;
    const adding = addAgendaItem(hub, lead, ref, { title: 'Budget' });
    await new Promise((r) => setTimeout(r, 100));
    const removing = removeAgendaItem(hub, lead, ref, first);
    await new Promise((r) => setTimeout(r, 300));
    holding = false;
    release();
    await Promise.all([adding, removing]);
    expect(await titles()).toEqual(['1 Roadmap', '2 Any other business', '3 Budget']);
    const after = await getMeeting(hub, ref);
    // both moved the version, one after the other
    expect(after.version).toBe(6);
  });

  it('written input sent while its item is removed takes turns with the removal: one is refused naming the item, never a database error (fuzz round 6)', async () => {
    const lead = await asActor(hub, 'sam');
    const bo = await asActor(hub, 'bo');
    let release!: () => void;
    let holding: string | null = null;
    // the first write holds its transaction open after writing, until released
    hub.reactions.push(async (_trx, _hub, e) => {
      if (e.kind === holding)
        await new Promise<void>((r) => {
          release = r;
        });
    });
    const race = async (first: () => Promise<unknown>, kind: string, second: () => Promise<unknown>) => {
      holding = kind;
      const a = first().then(
        () => 'done',
        (e: Error) => e,
      );
      await new Promise((r) => setTimeout(r, 150));
      holding = null;
      const b = second().then(
        () => 'done',
        (e: Error) => e,
      );
      await new Promise((r) => setTimeout(r, 300));
      release();
      return Promise.all([a, b]);
    };
    // the input first: the removal then finds it and keeps the item
    const [item1, item2] = (await getMeeting(hub, ref)).agenda.items;
    const [sent, removed] = await race(
      () => submitWrittenInput(hub, bo, ref, { item: item1!.id, body: 'I cannot come; my view on this.' }),
      'meeting.written-input',
      () => removeAgendaItem(hub, lead, ref, item1!.id),
    );
    expect(sent).toBe('done');
    expect(removed).toBeInstanceOf(InvalidInput);
    expect((removed as InvalidInput).issues[0]!.field).toBe('item');
    // the removal first: the input then finds no such item (on PostgreSQL it was a foreign key error, a 500)
    const [gone, late] = await race(
      () => removeAgendaItem(hub, lead, ref, item2!.id),
      'meeting.agenda-item-removed',
      () => submitWrittenInput(hub, bo, ref, { item: item2!.id, body: 'I cannot come; my view on this.' }),
    );
    expect(gone).toBe('done');
    expect(late).toBeInstanceOf(InvalidInput);
    expect((late as InvalidInput).issues[0]!.field).toBe('item');
    const after = await getMeeting(hub, ref);
    expect(after.agenda.items.map((i) => i.title)).toEqual(['Welcome', 'Any other business']);
    expect(after.agenda.items[0]!.writtenInput).toHaveLength(1);
  });

  it('an agenda takes at most 500 items: the next is refused with why, and one taken off makes room (fuzz round 6)', async () => {
    const bo = await asActor(hub, 'bo');
    const lead = await asActor(hub, 'sam');
    // 497 more beside the three, written directly: adding them one by one is what the bound stops
    const m = await hub.store.db
      .selectFrom('meetings')
      .select('id')
      .where('number', '=', Number(ref.slice(2)))
      .executeTakeFirstOrThrow();
    const by = (bo as { person: { id: string } }).person.id;
    for (let from = 4; from <= 500; from += 100)
      await hub.store.db
        .insertInto('meeting_agenda_items')
        .values(
          Array.from({ length: Math.min(100, 501 - from) }, (_, i) => ({
            id: `bulk-${from + i}`,
            meeting_id: m.id,
            position: from + i,
            title: `Item ${from + i}`,
            description: '',
            kind: 'process',
            link_type: null,
            link_ref: null,
            added_by: by,
            added_at: '2026-03-02T12:00:00.000Z',
          })),
        )
        .execute();
    const full = await getMeeting(hub, ref, bo);
    expect(full.agenda.items).toHaveLength(500);
    const why =
      'The agenda holds 500 items, as many as one meeting takes: take one off, or put the rest on another meeting';
    expect(full.can.addAgendaItem).toEqual({ allowed: false, reason: why });
    // each item added made every read of the meeting larger, without end
    await expect(addAgendaItem(hub, bo, ref, { title: 'One more' })).rejects.toMatchObject({ message: why });
    await expect(addAgendaItem(hub, bo, ref, { title: 'One more' })).rejects.toBeInstanceOf(Forbidden);
    await removeAgendaItem(hub, lead, ref, 'bulk-500');
    const added = await addAgendaItem(hub, bo, ref, { title: 'One more' });
    expect(added.agenda.items.at(-1)!.title).toBe('One more');
  });

  it('one person sends written input to a meeting at most 20 times; others still may (fuzz round 6)', async () => {
    const bo = await asActor(hub, 'bo');
    const lead = await asActor(hub, 'sam');
    for (let i = 1; i <= 20; i++) await submitWrittenInput(hub, bo, ref, { item: 1, body: `Thought number ${i}.` });
    const why =
      'You have sent written input 20 times to this meeting, as many as one person may; the facilitators present what you sent';
    expect((await getMeeting(hub, ref, bo)).can.writtenInput).toEqual({ allowed: false, reason: why });
    // each one up to 50,000 characters, carried by every read of the meeting: without end before
    await expect(submitWrittenInput(hub, bo, ref, { item: 1, body: 'One more thought.' })).rejects.toMatchObject({
      message: why,
    });
    await submitWrittenInput(hub, lead, ref, { item: 2, body: 'My own view.' });
    const inputs = (await getMeeting(hub, ref)).agenda.items.flatMap((i) => i.writtenInput);
    expect(inputs).toHaveLength(21);
  });

  it('publishing the agenda while an item is added moves the version once for each: it never goes back (fuzz round 6)', async () => {
    const lead = await asActor(hub, 'sam');
    const before = (await getMeeting(hub, ref)).version;
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let holding = true;
    // the add holds its transaction open after writing, until released
    hub.reactions.push(async (_trx, _hub, e) => {
      if (e.kind === 'meeting.agenda-item-added' && holding) await held;
    });
    const adding = addAgendaItem(hub, lead, ref, { title: 'Budget' });
    await new Promise((r) => setTimeout(r, 100));
    const publishing = publishAgenda(hub, lead, ref);
    await new Promise((r) => setTimeout(r, 300));
    holding = false;
    release();
    await Promise.all([adding, publishing]);
    // on PostgreSQL the publish wrote the version it had read plus one over the add's, so a read
    // taken between them passed for current: a move by position from it could move another item
    expect((await getMeeting(hub, ref)).version).toBe(before + 2);
  });
});
