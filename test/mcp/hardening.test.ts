// MCP edge findings of issue 12: a bad resources/list cursor is the client's error (-32602), and
// completion says when it cut the list.
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWghubMcpServer } from '../../src/mcp/server.ts';
import { sqliteDatabase } from '../support/databases.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';
import { writeJson } from '../../src/store/schema.ts';

describe('MCP edges', () => {
  let hub: TestHub;
  let client: Client;

  beforeEach(async () => {
    hub = await openTestHub(sqliteDatabase);
    const actor = await person(hub, 'priya');
    const server = createWghubMcpServer(hub, { actor });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.connect(a);
    client = new Client({ name: 'test', version: '1' });
    await client.connect(b);
  });
  afterEach(async () => {
    await client?.close();
    await hub?.close();
  });

  it('answers -32602 to a resources/list cursor it did not issue', async () => {
    for (const cursor of ['not base64 json %%', Buffer.from('{"part":"elsewhere"}').toString('base64url'), 'e30']) {
      await expect(client.listResources({ cursor })).rejects.toMatchObject({ code: -32602 });
    }
  });

  it('completion reports hasMore when it cuts the list', async () => {
    const now = '2026-11-02T09:00:00.000Z';
    for (let n = 1; n <= 105; n++)
      await hub.store.db
        .insertInto('proposals')
        .values({
          id: `p${n}`,
          number: n,
          sep_number: null,
          title: `Proposal ${n}`,
          problem: 'A problem stated at enough length to count.',
          examples: writeJson<string[]>([]),
          interests: '',
          layer: 'specification',
          route: 'contribution',
          stage: 'idea',
          stage_changed_at: now,
          group_id: null,
          topic_area_id: null,
          links: writeJson({}),
          sponsor_id: null,
          source: null,
          prior_work: null,
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
    const all = await client.complete({
      ref: { type: 'ref/resource', uri: 'wghub://proposals/{ref}' },
      argument: { name: 'ref', value: 'P-' },
    });
    expect(all.completion.values).toHaveLength(100);
    expect(all.completion.hasMore).toBe(true);
    const few = await client.complete({
      ref: { type: 'ref/resource', uri: 'wghub://proposals/{ref}' },
      argument: { name: 'ref', value: 'P-104' },
    });
    expect(few.completion.values).toEqual(['P-104']);
    expect(few.completion.hasMore).toBe(false);
  });
});
