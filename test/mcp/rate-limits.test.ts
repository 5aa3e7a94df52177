// A tool call over /mcp spends what the same act over REST spends: writes, searches and probes of
// the caller's token (or, without one, address), counted with its REST requests. Before, every /mcp request counted as a read
// (3,000 a minute), so a token could write through MCP fifteen times faster than REST allowed.
import type { ServerType } from '@hono/node-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listProposals } from '../../src/app/proposals/proposals.ts';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { GovernanceSchema } from '../../src/domain/governance/schema.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';
import { httpClient, serveMcpOverHttp, text } from './support.ts';

describe.each(databases)('tool calls over /mcp spend the REST budgets on $name', (database) => {
  let hub: TestHub;
  let server: ServerType;
  let url: string;
  let token: string;
  beforeEach(async () => {
    hub = await openTestHub(database);
    const defaults = GovernanceSchema.shape.rateLimits.parse(undefined);
    hub.governance.rateLimits = {
      ...defaults,
      writes: 3,
      searches: 2,
      perSecond: { ...defaults.perSecond, writes: 100, searches: 100 },
    };
    await person(hub, 'ana', { role: 'member' });
    token = (await createToken(hub, SYSTEM, 'ana')).token;
    ({ url, server } = await serveMcpOverHttp(hub));
  });
  afterEach(async () => {
    server?.close();
    await hub?.close();
  });

  const draft = (i: number) => ({
    name: 'create_draft_proposal',
    arguments: {
      title: `Draft number ${i}`,
      problem: 'A problem stated at enough length.',
      layer: 'supporting-resource',
    },
  });

  it('a fourth write in the window is refused with the rule, does nothing, and REST writes share the count', async () => {
    const client = await httpClient(url, 'modern', token);
    try {
      for (const i of [1, 2, 3]) expect((await client.callTool(draft(i))).isError).toBeFalsy();
      const refused = await client.callTool(draft(4));
      expect(refused.isError).toBe(true);
      expect(text(refused)).toMatch(
        /^too many requests: at most 3 writes per 60 s for one token or address; try again in \d+ s\. Nothing was done\.$/,
      );
      expect((await listProposals(hub, {})).items.map((p) => p.title).sort()).toEqual([
        'Draft number 1',
        'Draft number 2',
        'Draft number 3',
      ]);
      // the same token's REST write is over the same budget
      const rest = await fetch(url.replace('/mcp', '/api/proposals'), {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(draft(5).arguments),
      });
      expect(rest.status).toBe(429);
      // reads go on
      expect((await client.callTool({ name: 'list_groups', arguments: {} })).isError).toBeFalsy();
    } finally {
      await client.close();
    }
  });

  it("without a token (a hub serving anonymous reads), searches spend the address's searches budget", async () => {
    const anonymous = await serveMcpOverHttp(hub, { anonymousReads: true });
    const client = await httpClient(anonymous.url, 'modern');
    try {
      const search = { name: 'search', arguments: { q: 'session' } };
      expect((await client.callTool(search)).isError).toBeFalsy();
      expect((await client.callTool(search)).isError).toBeFalsy();
      expect(text(await client.callTool(search))).toMatch(/^too many requests: at most 2 searches per 60 s/);
      // reads are not searches
      expect((await client.callTool({ name: 'list_groups', arguments: {} })).isError).toBeFalsy();
    } finally {
      await client.close();
      anonymous.server.close();
    }
  });

  it('searches spend the searches budget; another token has its own', async () => {
    const client = await httpClient(url, 'legacy', token);
    const other = await httpClient(url, 'legacy', (await createToken(hub, SYSTEM, 'ana')).token);
    try {
      const search = { name: 'search', arguments: { q: 'session' } };
      expect((await client.callTool(search)).isError).toBeFalsy();
      expect(
        (await client.callTool({ name: 'check_prior_work', arguments: { title: 'Sessions' } })).isError,
      ).toBeFalsy();
      const refused = await client.callTool(search);
      expect(text(refused)).toMatch(/^too many requests: at most 2 searches per 60 s/);
      expect((await other.callTool(search)).isError).toBeFalsy();
    } finally {
      await client.close();
      await other.close();
    }
  });

  it('a JSON-RPC batch spends a read for each message: one past the budget is refused whole', async () => {
    const defaults = hub.governance.rateLimits;
    hub.governance.rateLimits = { ...defaults, reads: 1_000, perSecond: { ...defaults.perSecond, reads: 10 } };
    const post = (messages: number) =>
      fetch(url, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          Accept: 'application/json, text/event-stream',
          'MCP-Protocol-Version': '2025-03-26',
        },
        body: JSON.stringify(
          Array.from({ length: messages }, (_, i) => ({ jsonrpc: '2.0', id: i + 1, method: 'ping' })),
        ),
      });
    // 11 messages are 11 reads: past the 10 a second this token may make, so none is answered
    const refused = await post(11);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await refused.json()).error.message).toMatch(
      /^Too many requests: a batch of 11 messages is 11 requests; at most 10 reads per second for one token or address; try again in \d+ s\. Nothing was done\.$/,
    );
    await new Promise((r) => setTimeout(r, 1_100));
    const answered = await post(5);
    expect(answered.status).toBe(200);
    expect((await answered.text()).match(/"result":\{\}/g)).toHaveLength(5);
  });
});
