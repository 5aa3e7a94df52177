// From what_needs_me to the agenda of one start of a series, over MCP with the SDK's own client, on
// both databases: the wghub://meetings/{ref}/agenda resource took only M-1 (M-1@<start> was "not
// found"), and get_agenda's markdown showed the series' first meeting's items as that start's agenda.
import type { ServerType } from '@hono/node-server';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { placeInGroup } from '../../src/app/groups/groups.ts';
import { addAgendaItem } from '../../src/app/meetings/agenda.ts';
import { getMeeting, scheduleMeeting, updateMeeting } from '../../src/app/meetings/meetings.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { databases } from '../support/databases.ts';
import { asActor, hostingGroup, openTestHub, person, type TestHub } from '../support/hub.ts';
import { httpClient, serveMcpOverHttp } from './support.ts';

describe.each(databases)('the agenda of one start of a series over MCP on $name', (database) => {
  let hub: TestHub;
  let server: ServerType;
  let client: Client;
  let boToken: string;
  const SECOND = '2026-03-12T16:00:00.000Z';
  const read = async (uri: string) => ((await client.readResource({ uri })).contents[0] as { text: string }).text;

  // one hub and server for both tests, in order (the second opens the start the first finds without an agenda)
  beforeAll(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    const lead = await person(hub, 'lead', { role: 'member', timeZone: 'Europe/Berlin' });
    await person(hub, 'bo', { timeZone: 'America/New_York' });
    await hostingGroup(hub, lead, 'lead');
    await placeInGroup(hub, SYSTEM, 'hosting', 'bo', { level: 'member' });
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
    boToken = (await createToken(hub, SYSTEM, 'bo')).token;
    client = await httpClient(served.url, 'modern', boToken);
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

  it('a start without a meeting of its own is refused as REST refuses it; a moved meeting answers to its id; a long daily series has meetings to come', async () => {
    const THIRD = '2026-03-19T16:00:00.000Z';
    const rest = await createHttpApp(hub).request(`http://127.0.0.1/api/meetings/M-1@${THIRD}/notes-template`, {
      headers: { Authorization: `Bearer ${boToken}` },
    });
    expect(rest.status).toBe(403);
    const sentence = ((await rest.json()) as { detail: string }).detail;
    expect(sentence).toBe(
      'This meeting of the series has no agenda of its own yet: only a group lead, a core maintainer or a lead maintainer may open it; then anyone taking part may add items and send written input',
    );
    for (const [name, args] of [
      ['add_agenda_item', { ref: `M-1@${THIRD}`, title: 'Cold starts' }],
      ['submit_written_input', { ref: `M-1@${THIRD}`, item: 1, body: 'I cannot come.' }],
    ] as const) {
      const r = (await client.callTool({ name, arguments: args })) as {
        isError?: boolean;
        content: { text: string }[];
      };
      expect(r.isError).toBe(true);
      expect(r.content[0]!.text.split('\n')[0]).toBe(`forbidden: ${sentence}`);
    }

    // the meeting opened at the second start, moved alone, still answers to that start's id
    const lead = await asActor(hub, 'lead');
    const MOVED = '2026-03-13T09:00:00.000Z';
    await updateMeeting(hub, lead, 'M-2', (await getMeeting(hub, 'M-2')).version, { startsAt: MOVED });
    const moved = (await client.callTool({ name: 'get_agenda', arguments: { ref: `M-1@${SECOND}` } }))
      .structuredContent as {
      ref: string;
      startsAt: string;
      occurrence: { id: string; startsAt: string; ref: string };
    };
    expect(moved).toMatchObject({ ref: 'M-2', startsAt: MOVED });
    expect(moved.occurrence).toMatchObject({ id: `M-1@${SECOND}`, startsAt: SECOND, ref: 'M-2' });

    // a daily series 547 days on, past the 520 starts one expansion holds
    const daily = await scheduleMeeting(hub, lead, {
      group: 'hosting',
      kind: 'content',
      title: 'Daily triage',
      startsAt: '2026-03-07T08:00:00Z',
      timeZone: 'UTC',
      rrule: 'FREQ=DAILY',
    });
    hub.clock.set('2027-09-05T00:00:00Z');
    const agenda = (await client.callTool({ name: 'get_agenda', arguments: { ref: daily.ref } })).structuredContent as {
      upcoming: string[];
    };
    expect(agenda.upcoming.slice(0, 2)).toEqual(['2027-09-05T08:00:00.000Z', '2027-09-06T08:00:00.000Z']);
  });
});
