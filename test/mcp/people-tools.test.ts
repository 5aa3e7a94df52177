// People through MCP, over a real loopback port with the SDK's client: a person reads and edits
// their own profile (name, time zone, the organisation they are with now) and sees in `can` what
// they may do; a moderator edits someone else's and adds an organisation and a person; another
// person is refused in words, and bad input names the field.
import type { ServerType } from '@hono/node-server';
import { serve } from '../support/serve-test.ts';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { listOrganisations } from '../../src/app/people/organisations.ts';
import { getPerson } from '../../src/app/people/people.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';
import { httpClient } from './support.ts';

type Result = { isError?: boolean; structuredContent?: Record<string, any>; content: { text?: string }[] };
const call = async (c: Client, name: string, args: Record<string, unknown>) =>
  (await c.callTool({ name, arguments: args })) as Result;

describe.each(databases)('people over MCP on $name', (database) => {
  let hub: TestHub;
  const tokens: Record<string, string> = {};
  let server: ServerType;
  let url: string;

  beforeAll(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    await person(hub, 'priya', { org: 'Acme' });
    await person(hub, 'jonas');
    await person(hub, 'mo', { role: 'moderator' });
    for (const h of ['priya', 'jonas', 'mo']) tokens[h] = (await createToken(hub, SYSTEM, h)).token;
    server = serve({ fetch: createHttpApp(hub).fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/mcp`;
  });
  afterAll(async () => {
    server?.close();
    await hub?.close();
  });

  it('a person reads their own record with `can`, and edits name, time zone and organisation', async () => {
    const c = await httpClient(url, 'modern', tokens.priya);
    const me = await call(c, 'get_person', {});
    expect(me.structuredContent).toMatchObject({
      handle: 'priya',
      can: { edit: { allowed: true }, addOrganisation: { allowed: true }, setRole: { allowed: false } },
    });
    expect(me.structuredContent!.can.setRole.reason).not.toMatch(/person\.setRole|\/api\//);
    const edited = await call(c, 'update_person', {
      name: 'Priya R.',
      timeZone: 'Asia/Kolkata',
      organisation: 'Nebula Labs',
    });
    expect(edited.isError).toBeFalsy();
    expect(edited.structuredContent).toMatchObject({ handle: 'priya', name: 'Priya R.', timeZone: 'Asia/Kolkata' });
    // Acme ends today, Nebula Labs (new to the hub) starts today
    expect(edited.structuredContent!.affiliations.map((a: any) => [a.organisation.name, a.from, a.to])).toEqual([
      ['Acme', '2024-01-01', '2026-03-02'],
      ['Nebula Labs', '2026-03-02', null],
    ]);
    expect((await listOrganisations(hub, null)).items.map((o) => o.slug)).toContain('nebula-labs');
    const stored = await getPerson(hub, 'priya');
    expect([stored.name, stored.timeZone, stored.version]).toEqual([
      'Priya R.',
      'Asia/Kolkata',
      me.structuredContent!.version + 1,
    ]);
  });

  it("another person may not edit someone's profile: `can` says why, and the edit is refused in the same words", async () => {
    const c = await httpClient(url, 'modern', tokens.jonas);
    const seen = await call(c, 'get_person', { handle: 'priya' });
    const why = seen.structuredContent!.can.edit;
    expect(why).toEqual({ allowed: false, reason: expect.any(String) });
    const refused = await call(c, 'update_person', { handle: 'priya', name: 'Not Priya' });
    expect(refused.isError).toBe(true);
    expect(refused.content[0]!.text).toContain(why.reason);
    expect((await getPerson(hub, 'priya')).name).toBe('Priya R.');
  });

  it('a moderator edits a profile, adding an organisation, and adds a person', async () => {
    const c = await httpClient(url, 'modern', tokens.mo);
    const seen = await call(c, 'get_person', { handle: 'jonas' });
    expect(seen.structuredContent!.can.edit).toEqual({ allowed: true });
    const edited = await call(c, 'update_person', { handle: 'jonas', organisation: 'Orbital Systems' });
    expect(edited.isError).toBeFalsy();
    expect(edited.structuredContent!.affiliations).toEqual([
      { organisation: { slug: 'orbital-systems', name: 'Orbital Systems' }, from: '2026-03-02', to: null },
    ]);
    const added = await call(c, 'add_person', {
      handle: 'lena',
      name: 'Lena',
      timeZone: 'Europe/Vienna',
      email: 'lena@example.org',
      affiliations: [{ organisation: 'Quasar', from: '2025-06-01' }],
    });
    expect(added.isError).toBeFalsy();
    expect(added.structuredContent).toMatchObject({
      handle: 'lena',
      role: 'contributor',
      invitation: { mailed: false, status: expect.stringContaining('this hub sends no mail') },
    });
    expect((await listOrganisations(hub, null)).items.map((o) => o.slug)).toEqual(
      expect.arrayContaining(['orbital-systems', 'quasar']),
    );
  });

  it('a person may not add people; bad input names the field and changes nothing', async () => {
    const c = await httpClient(url, 'modern', tokens.jonas);
    const add = await call(c, 'add_person', { handle: 'eve', name: 'Eve', timeZone: 'UTC' });
    expect(add.isError).toBe(true);
    expect(add.content[0]!.text).toMatch(/^forbidden: /);
    const bad = await call(c, 'update_person', { timeZone: 'Mars/Olympus' });
    expect(bad.isError).toBe(true);
    expect(bad.content[0]!.text).toContain('timeZone');
    expect((await getPerson(hub, 'jonas')).name).toBe('Jonas');
  });
});
