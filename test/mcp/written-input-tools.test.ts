// Written input over MCP, on both databases: its sender edits it (with the input's own version) or
// withdraws it before the meeting; anyone else is refused in words, and a stale version or a
// missing one is a tool error naming what to do.
import type { ServerType } from '@hono/node-server';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { joinGroup, proposeGroup } from '../../src/app/groups/groups.ts';
import { addAgendaItem } from '../../src/app/meetings/agenda.ts';
import { scheduleMeeting } from '../../src/app/meetings/meetings.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';
import { httpClient, serveMcpOverHttp, text } from './support.ts';

// biome-ignore lint/suspicious/noExplicitAny: tool outputs are read loosely here; their schemas are checked by the client
type Loose = Record<string, any>;
const call = async (c: Client, name: string, args: Record<string, unknown>) =>
  (await c.callTool({ name, arguments: args })) as { isError?: boolean; structuredContent?: Loose; content: unknown };

describe.each(databases)('written input tools on $name', (database) => {
  let hub: TestHub;
  let main: { url: string; server: ServerType };
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    const sam = await person(hub, 'sam', { role: 'member' });
    const amara = await person(hub, 'amara');
    await proposeGroup(hub, sam, {
      slug: 'hosting',
      name: 'Hosting',
      kind: 'working',
      mission: 'Share practices for hosting MCP servers at scale.',
      scopeIn: ['Scaling'],
      leads: ['sam'],
    });
    await joinGroup(hub, amara, 'hosting');
    await scheduleMeeting(hub, sam, {
      group: 'hosting',
      kind: 'content',
      title: 'Sticky sessions',
      startsAt: '2026-03-16T16:00:00Z',
      timeZone: 'Europe/Berlin',
    });
    await addAgendaItem(hub, sam, 'M-1', { title: 'Affinity behind load balancers' });
    for (const h of ['sam', 'amara']) tokens[h] = (await createToken(hub, SYSTEM, h)).token;
    main = await serveMcpOverHttp(hub);
  });
  afterAll(async () => {
    main?.server.close();
    await hub?.close();
  });

  it('its sender edits it from the version read and withdraws it; the lead may do neither', async () => {
    const amara = await httpClient(main.url, 'modern', tokens.amara);
    const sam = await httpClient(main.url, 'modern', tokens.sam);
    const sent = await call(amara, 'submit_written_input', { ref: 'M-1', item: 1, body: 'Pin by cokie, please.' });
    const w = sent.structuredContent!.agenda.items[0].writtenInput[0];
    expect(w).toMatchObject({
      version: 1,
      editedAt: null,
      can: { edit: { allowed: true }, withdraw: { allowed: true } },
    });

    const missing = await call(amara, 'edit_written_input', {
      ref: 'M-1',
      input: w.id,
      body: 'Pin by cookie, please.',
    });
    expect(missing.isError).toBe(true);
    expect(text(missing)).toContain('version');

    const bySam = await call(sam, 'edit_written_input', {
      ref: 'M-1',
      input: w.id,
      body: 'A lead rewrites it.',
      version: 1,
    });
    expect(bySam.isError).toBe(true);
    expect(text(bySam)).toContain('Only the person who sent this written input may change it');

    const edited = await call(amara, 'edit_written_input', {
      ref: 'M-1',
      input: w.id,
      body: 'Pin by cookie, please.',
      version: 1,
    });
    expect(edited.isError).toBeFalsy();
    expect(edited.structuredContent!.agenda.items[0].writtenInput[0]).toMatchObject({
      body: 'Pin by cookie, please.',
      version: 2,
    });
    expect(edited.structuredContent!.markdown).toContain('Pin by cookie, please.');

    const stale = await call(amara, 'edit_written_input', {
      ref: 'M-1',
      input: w.id,
      body: 'From an older read.',
      version: 1,
    });
    expect(stale.isError).toBe(true);
    expect(text(stale)).toMatch(/changed by someone else \(you read version 1, it is now version 2\)/);

    const short = await call(amara, 'edit_written_input', { ref: 'M-1', input: w.id, body: 'short', version: 2 });
    expect(short.isError).toBe(true);
    expect(text(short)).toContain('body');

    // whether it was presented is marked once the meeting has started, by those who record outcomes
    const early = await call(sam, 'mark_written_input', { ref: 'M-1', input: w.id, presented: true });
    expect(early.isError).toBe(true);
    expect(text(early)).toContain('Written input is marked as presented once the meeting has started');
    const bySender = await call(amara, 'mark_written_input', { ref: 'M-1', input: w.id, presented: true });
    expect(bySender.isError).toBe(true);
    const notSam = await call(sam, 'withdraw_written_input', { ref: 'M-1', input: w.id });
    expect(notSam.isError).toBe(true);
    expect(text(notSam)).toContain('Only the person who sent this written input may withdraw it');

    const gone = await call(amara, 'withdraw_written_input', { ref: 'M-1', input: w.id, version: 2 });
    expect(gone.isError).toBeFalsy();
    expect(gone.structuredContent!.agenda.items[0].writtenInput).toEqual([]);
    const again = await call(amara, 'withdraw_written_input', { ref: 'M-1', input: w.id });
    expect(again.isError).toBe(true);
    expect(text(again)).toContain('does not exist');
  });

  it('mark_written_input with the version read: a mark recorded since is a tool error with the mark as it stands', async () => {
    const amara = await httpClient(main.url, 'modern', tokens.amara);
    const sam = await httpClient(main.url, 'modern', tokens.sam);
    const sent = await call(amara, 'submit_written_input', { ref: 'M-1', item: 1, body: 'Cover retries too.' });
    const w = sent.structuredContent!.agenda.items[0].writtenInput[0];
    hub.clock.set('2026-03-16T16:30:00Z');
    const marked = await call(sam, 'mark_written_input', { ref: 'M-1', input: w.id, presented: true, version: 1 });
    expect(marked.isError).toBeFalsy();
    expect(marked.structuredContent!.agenda.items[0].writtenInput[0]).toMatchObject({ presented: true, version: 2 });
    const stale = await call(sam, 'mark_written_input', {
      ref: 'M-1',
      input: w.id,
      presented: false,
      note: 'ran out of time',
      version: 1,
    });
    expect(stale.isError).toBe(true);
    expect(text(stale)).toMatch(/changed by someone else \(you read version 1, it is now version 2\)/);
  });
});
