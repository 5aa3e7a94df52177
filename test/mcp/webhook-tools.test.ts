// A group's chat webhooks through MCP, over a real loopback port: a lead lists (with `can`), adds
// and removes one; a member sees only why not; and the permission is its own in the governance
// file (group.manageWebhooks), so a file that takes it from leads refuses them though they may
// still edit the charter.
import type { ServerType } from '@hono/node-server';
import { serve } from '../support/serve-test.ts';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { groupCan } from '../../src/app/groups/group-can.ts';
import { groupRow, placeInGroup, proposeGroup } from '../../src/app/groups/groups.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { asActor, openTestHub, person, type TestHub } from '../support/hub.ts';
import { httpClient } from './support.ts';

type Result = { isError?: boolean; structuredContent?: Record<string, any>; content: { text?: string }[] };
const call = async (c: Client, name: string, args: Record<string, unknown>) =>
  (await c.callTool({ name, arguments: args })) as Result;

describe.each(databases)('chat webhooks over MCP on $name', (database) => {
  let hub: TestHub;
  const tokens: Record<string, string> = {};
  let server: ServerType;
  let url: string;

  beforeAll(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    const sam = await person(hub, 'sam', { role: 'member' });
    await person(hub, 'jonas');
    await proposeGroup(hub, sam, {
      slug: 'hosting',
      name: 'Hosting',
      kind: 'working',
      mission: 'Share practices for hosting MCP servers at scale.',
      scopeIn: ['Scaling'],
      leads: ['sam'],
    });
    await placeInGroup(hub, SYSTEM, 'hosting', 'jonas', { level: 'member' });
    for (const h of ['sam', 'jonas']) tokens[h] = (await createToken(hub, SYSTEM, h)).token;
    server = serve({ fetch: createHttpApp(hub).fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/mcp`;
  });
  afterAll(async () => {
    server?.close();
    await hub?.close();
  });

  it('a lead lists, adds and removes a webhook; the list shows only its origin', async () => {
    const c = await httpClient(url, 'modern', tokens.sam);
    const empty = await call(c, 'list_group_webhooks', { group: 'hosting' });
    expect(empty.structuredContent).toEqual({
      group: 'hosting',
      items: [],
      names: {},
      // chat posts not sent while the group was retired: none, it never was
      withheld: [],
      can: { add: { allowed: true } },
    });
    const added = await call(c, 'add_group_webhook', {
      group: 'hosting',
      format: 'discord',
      url: 'https://discord.com/api/webhooks/123/secret-part',
    });
    expect(added.isError).toBeFalsy();
    expect(added.structuredContent).toMatchObject({
      format: 'discord',
      target: 'https://discord.com/…',
      signed: false,
    });
    const listed = await call(c, 'list_group_webhooks', { group: 'hosting' });
    expect(listed.structuredContent!.items.map((w: { target: string }) => w.target)).toEqual(['https://discord.com/…']);
    // each webhook carries whether the caller may remove it
    expect(listed.structuredContent!.items[0].can).toEqual({ remove: { allowed: true } });
    // who added it, by name
    expect(listed.structuredContent!.names).toEqual({ sam: 'Sam' });
    expect(JSON.stringify(listed)).not.toContain('secret-part');
    const bad = await call(c, 'add_group_webhook', {
      group: 'hosting',
      format: 'json',
      url: 'https://example.org/hook',
    });
    expect(bad.isError).toBe(true);
    expect(bad.content[0]!.text).toContain('secret');
    const removed = await call(c, 'remove_group_webhook', { group: 'hosting', id: added.structuredContent!.id });
    expect(removed.structuredContent).toEqual({ removed: true });
    expect((await call(c, 'list_group_webhooks', { group: 'hosting' })).structuredContent!.items).toEqual([]);
  });

  it('a member sees no list, only why not, and is refused adding one', async () => {
    const c = await httpClient(url, 'modern', tokens.jonas);
    const listed = await call(c, 'list_group_webhooks', { group: 'hosting' });
    expect(listed.structuredContent!.items).toEqual([]);
    expect(listed.structuredContent!.can.add).toEqual({
      allowed: false,
      reason: expect.stringContaining("manage the group's chat webhooks"),
    });
    const add = await call(c, 'add_group_webhook', {
      group: 'hosting',
      format: 'slack',
      url: 'https://hooks.slack.com/services/T/B/x',
    });
    expect(add.isError).toBe(true);
    expect(add.content[0]!.text).toContain("manage the group's chat webhooks");
  });

  it('the governance file decides it apart from the charter: taken from leads, a lead is refused', async () => {
    const rules = hub.governance.permissions;
    const before = rules['group.manageWebhooks'];
    hub.governance = {
      ...hub.governance,
      permissions: { ...rules, 'group.manageWebhooks': { ...before, groupLevels: [], roles: ['moderator'] } },
    };
    try {
      const c = await httpClient(url, 'modern', tokens.sam);
      const listed = await call(c, 'list_group_webhooks', { group: 'hosting' });
      expect(listed.structuredContent!.can.add).toMatchObject({ allowed: false });
      // the charter is still the lead's to edit
      const g = await groupRow(hub.store.db, 'hosting');
      expect((await groupCan(hub.store.db, hub, await asActor(hub, 'sam'), g)).editCharter).toEqual({ allowed: true });
    } finally {
      hub.governance = { ...hub.governance, permissions: rules };
    }
  });
});
