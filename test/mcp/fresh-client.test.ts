// What an assistant that has never seen the hub does with only the tools' own words, on the demo
// community (the independent-client round): each finding is a chain of calls a fresh client makes,
// taking one tool's answer as the next one's argument, as the descriptions tell it to.
import type { ServerType } from '@hono/node-server';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { loadDemoCommunity } from '../../src/app/demo/demo.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, type TestHub } from '../support/hub.ts';
import { httpClient, serveMcpOverHttp, text } from './support.ts';

describe.each(databases)('a fresh MCP client on the demo community, on $name', (database) => {
  let hub: TestHub;
  let main: { url: string; server: ServerType };
  let priya: Client;

  beforeAll(async () => {
    hub = await openTestHub(database, '2026-12-05T12:00:00Z');
    hub.governance.rateLimits = { ...hub.governance.rateLimits, enabled: false };
    await loadDemoCommunity(hub, { work: true });
    main = await serveMcpOverHttp(hub);
    priya = await httpClient(main.url, 'modern', (await createToken(hub, SYSTEM, 'priya')).token);
  });
  afterAll(async () => {
    main?.server.close();
    await hub?.close();
  });

  const call = async (client: Client, name: string, args: Record<string, unknown>) => {
    const r = await client.callTool({ name, arguments: args });
    expect(r.isError, `${name}: ${text(r)}`).toBeFalsy();
    return r.structuredContent as Record<string, unknown>;
  };

  it('reads a proposal check_prior_work found by the ref it gave (proposal:P-2), as a tool and as a resource', async () => {
    const found = (await call(priya, 'check_prior_work', {
      title: 'Sticky sessions behind load balancers',
      text: 'servers behind a load balancer lose session state',
    })) as { items: { ref: string; kind: string }[] };
    const first = found.items.find((i) => i.kind === 'proposal')!;
    expect(first.ref).toBe('proposal:P-2');
    expect((await call(priya, 'get_proposal', { ref: first.ref })).ref).toBe('P-2');
    const read = await priya.readResource({ uri: `wghub://proposals/${first.ref}` });
    expect((read.contents[0] as { text: string }).text).toContain('P-2');
  });
});
