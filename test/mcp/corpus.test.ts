// The MCP server over the imported corpus of the real MCP governance files: search, SEPs as
// tools and resources, the paged resource list, real charters.
import type { ServerType } from '@hono/node-server';
import { serve } from '../support/serve-test.ts';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCorpus } from '../../src/app/imports/corpus.ts';
import { encodeCursor, SYSTEM } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { PAGE_SIZE } from '../../src/mcp/resources.ts';
import { CORPUS } from '../support/corpus.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';
import { httpClient } from './support.ts';

describe.each(databases)('MCP over the imported corpus on $name', (database) => {
  let hub: TestHub;
  let server: ServerType;
  let client: Client;

  beforeAll(async () => {
    hub = await openTestHub(database);
    await importCorpus(hub, SYSTEM, CORPUS, () => {});
    await person(hub, 'reader', { org: 'Independent' });
    const token = (await createToken(hub, SYSTEM, 'reader')).token;
    server = serve({ fetch: createHttpApp(hub).fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((r) => server.once('listening', r));
    client = await httpClient(`http://127.0.0.1:${(server.address() as { port: number }).port}/mcp`, 'modern', token);
  }, 120_000);
  afterAll(async () => {
    await client?.close();
    server?.close();
    await hub?.close();
  });

  it('finds SEPs, reads one as a tool result and as a resource, and a real charter', async () => {
    const found = await client.callTool({
      name: 'search',
      arguments: { q: 'working groups interest groups governance', kind: 'sep' },
    });
    expect((found.structuredContent as { items: { ref: string }[] }).items.map((i) => i.ref)).toContain('SEP-1302');
    const sep = await client.callTool({ name: 'get_proposal', arguments: { ref: 'SEP-1302' } });
    expect(sep.structuredContent).toMatchObject({
      ref: 'SEP-1302',
      title: 'Formalize Working Groups and Interest Groups in MCP Governance',
      route: 'sep',
    });
    const md = ((await client.readResource({ uri: 'wghub://proposals/SEP-1302' })).contents[0] as { text: string })
      .text;
    expect(md).toMatch(/^# SEP-1302: Formalize Working Groups and Interest Groups in MCP Governance\n/);
    const prior = await client.callTool({
      name: 'check_prior_work',
      arguments: {
        title: 'Formalise working groups and interest groups',
        text: 'Governance for working groups and interest groups in MCP',
      },
    });
    expect((prior.structuredContent as { items: { ref: string }[] }).items.slice(0, 5).map((i) => i.ref)).toContain(
      'SEP-1302',
    );
    const charter = await client.callTool({ name: 'get_charter', arguments: { group: 'registry' } });
    expect((charter.structuredContent as { markdown: string }).markdown).toContain('## Mission Statement');
  });

  it('pages the resource list with a cursor, each page at most the page size', async () => {
    const all = await client.listResources(); // without a cursor the SDK client walks every page itself
    expect(all.resources.filter((r) => r.uri.startsWith('wghub://proposals/SEP-')).length).toBeGreaterThanOrEqual(40);
    const uris: string[] = [];
    let cursor: string | undefined = encodeCursor({ part: 'groups' }); // the first page, the same as no cursor
    let pages = 0;
    while (cursor) {
      const page = await client.listResources({ cursor });
      expect(page.resources.length).toBeLessThanOrEqual(PAGE_SIZE);
      uris.push(...page.resources.map((r) => r.uri));
      cursor = page.nextCursor;
      pages++;
    }
    // groups, then proposals, then meetings, each page filled to the page size across them (no empty page)
    expect(pages).toBe(Math.ceil(all.resources.length / PAGE_SIZE));
    expect(new Set(uris).size).toBe(uris.length);
    expect(uris.length).toBe(all.resources.length);
  });
});
