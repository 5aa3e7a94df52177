// From what_needs_me to the agenda of one start of a series, over MCP with the SDK's own client, on
// both databases: the wghub://meetings/{ref}/agenda resource took only M-1 (M-1@<start> was "not
// found"), and get_agenda's markdown showed the series' first meeting's items as that start's agenda.
import type { ServerType } from '@hono/node-server';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { setMemberLevel } from '../../src/app/groups/groups.ts';
import { addAgendaItem } from '../../src/app/meetings/agenda.ts';
import { scheduleMeeting } from '../../src/app/meetings/meetings.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { databases } from '../support/databases.ts';
import { asActor, hostingGroup, openTestHub, person, type TestHub } from '../support/hub.ts';
import { httpClient, serveMcpOverHttp } from './support.ts';

describe.each(databases)('the agenda of one start of a series over MCP on $name', (database) => {
  let hub: TestHub;
  let server: ServerType;
  let client: Client;
  const SECOND = '2026-03-12T16:00:00.000Z';
  const read = async (uri: string) => ((await client.readResource({ uri })).contents[0] as { text: string }).text;

  // one hub and server for both tests, in order (the second opens the start the first finds without an agenda)
  beforeAll(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    const lead = await person(hub, 'lead', { role: 'member', timeZone: 'Europe/Berlin' });
    await person(hub, 'bo', { timeZone: 'America/New_York' });
    await hostingGroup(hub, lead, 'lead');
    await setMemberLevel(hub, SYSTEM, 'hosting', 'bo', { level: 'member' });
    await scheduleMeeting(hub, lead, {
      group: 'hosting',
      kind: 'process',
      title: 'Hosting coordination',
      startsAt: '2026-03-05T16:00:00Z',
      rrule: 'FREQ=WEEKLY;COUNT=6',
    });
    await addAgendaItem(hub, lead, 'M-1', { title: 'Roadmap' });
    const served = await serveMcpOverHttp(hub);
    server = served.server;
    client = await httpClient(served.url, 'modern', (await createToken(hub, SYSTEM, 'bo')).token);
  });
  afterAll(async () => {
    await client?.close();
    server?.close();
    await hub?.close();
  });

  it('the agenda resource takes what_needs_me’s id, and says a start without an agenda of its own has none', async () => {
    const needs = (await client.callTool({ name: 'what_needs_me', arguments: {} })).structuredContent as {
      items: { kind: string; id?: string; due: string }[];
    };
    const id = needs.items.find((i) => i.kind === 'meeting' && i.due === SECOND)!.id!;
    expect(id).toBe(`M-1@${SECOND}`);

    for (const uri of [`wghub://meetings/${id}/agenda`, `wghub://meetings/${encodeURIComponent(id)}/agenda`]) {
      const text = await read(uri);
      expect(text).toContain(`# Agenda: ${id} Hosting coordination`);
      expect(text).toMatch(/^- Starts: Thu 2026-03-12 17:00 \S+ \(Europe\/Berlin\), 2026-03-12T16:00:00.000Z UTC$/m);
      expect(text).toContain(`- One meeting of the series M-1 (${id})`);
      expect(text).toContain('- No agenda of its own yet');
      // the series' first meeting's items are not shown as this start's
      expect(text).not.toContain('Roadmap');
    }
    // get_agenda's markdown says the same
    const tool = (await client.callTool({ name: 'get_agenda', arguments: { ref: id } })).structuredContent as {
      markdown: string;
      occurrence: { id: string; ref: string | null };
    };
    expect(tool.occurrence).toMatchObject({ id, ref: null });
    expect(tool.markdown).toBe(await read(`wghub://meetings/${id}/agenda`));
    // the first meeting's own agenda is as before
    expect(await read('wghub://meetings/M-1/agenda')).toContain('1. **Roadmap**');
    // a start the series never holds is the client's mistake, named
    await expect(read('wghub://meetings/M-1@2026-03-13T16:00:00Z/agenda')).rejects.toThrow(
      /is not one of the starts of M-1/,
    );
  });

  it('once the start has a meeting of its own, the same id reads its agenda; list_upcoming_meetings names meetings by that id', async () => {
    const lead = await asActor(hub, 'lead');
    await scheduleMeeting(hub, lead, {
      group: 'hosting',
      kind: 'process',
      title: 'Hosting coordination',
      startsAt: SECOND,
      seriesOf: 'M-1',
    });
    await addAgendaItem(hub, lead, 'M-2', { title: 'Cold starts' });
    const text = await read(`wghub://meetings/M-1@${SECOND}/agenda`);
    expect(text).toContain('# Agenda: M-2 Hosting coordination');
    expect(text).toContain(`- One meeting of the series M-1 (M-1@${SECOND})`);
    expect(text).toContain('1. **Cold starts**');
    expect(text).not.toContain('Roadmap');

    hub.clock.set('2026-03-06T12:00:00Z');
    const upcoming = (await client.callTool({ name: 'list_upcoming_meetings', arguments: {} })).structuredContent as {
      items: { ref: string; nextId: string }[];
    };
    expect(upcoming.items.map((m) => [m.ref, m.nextId])).toEqual([
      ['M-2', 'M-2'],
      ['M-1', 'M-1@2026-03-19T16:00:00.000Z'],
    ]);
    expect(await read(`wghub://meetings/${upcoming.items[1]!.nextId}/agenda`)).toContain(
      '2026-03-19T16:00:00.000Z UTC',
    );
  });
});
