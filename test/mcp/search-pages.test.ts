// search pages by offset ("how many of the best items to skip (the next page)"). When the words as
// typed find nothing, the first page answers for the corrected words (correctedQuery) or for items
// with some of the words (someWords); the next page must go on with those, not search the words as
// typed again and answer an empty page, which reads as "no more". Each page says where the next
// starts (nextOffset), and the last says there is none, so a client need not ask for an empty page.
import type { ServerType } from '@hono/node-server';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { loadDemoCommunity } from '../../src/app/demo/demo.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, type TestHub } from '../support/hub.ts';
import { httpClient, serveMcpOverHttp } from './support.ts';

type Found = { items: { id: string }[]; correctedQuery?: string; someWords?: string[]; nextOffset: number | null };

describe.each(databases)('search, page after page, on $name', (database) => {
  let hub: TestHub;
  let main: { url: string; server: ServerType };
  let client: Client;

  beforeAll(async () => {
    hub = await openTestHub(database, '2026-12-05T12:00:00Z');
    hub.governance.rateLimits = { ...hub.governance.rateLimits, enabled: false };
    await loadDemoCommunity(hub, { work: true });
    main = await serveMcpOverHttp(hub);
    client = await httpClient(main.url, 'modern', (await createToken(hub, SYSTEM, 'priya')).token);
  });
  afterAll(async () => {
    main?.server.close();
    await hub?.close();
  });

  const search = async (args: Record<string, unknown>) => {
    const r = await client.callTool({ name: 'search', arguments: args });
    expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
    return r.structuredContent as Found;
  };
  /** Every page of one item each, following nextOffset until a page says there is no next. */
  const pages = async (q: string) => {
    const seen: Found[] = [];
    for (let offset: number | null = 0; offset !== null && seen.length < 50; ) {
      const page = await search({ q, limit: 1, offset });
      expect(page.items).toHaveLength(1);
      seen.push(page);
      offset = page.nextOffset;
    }
    return seen;
  };

  it('pages the corrected words, as the first page said it searched', async () => {
    const all = await search({ q: 'sesion afinity', limit: 100 });
    expect(all.correctedQuery).toBe('session affinity');
    expect(all.items.length).toBeGreaterThan(1);
    expect(all.nextOffset).toBeNull();
    const paged = await pages('sesion afinity');
    expect(paged.map((p) => p.items[0]!.id)).toEqual(all.items.map((i) => i.id));
    expect(paged.map((p) => p.nextOffset)).toEqual([...paged.keys()].map((i) => (i < paged.length - 1 ? i + 1 : null)));
    expect(paged.every((p) => p.correctedQuery === 'session affinity')).toBe(true);
  });

  it('pages the items with some of the words, as the first page said it offered', async () => {
    const q = 'keep sessions when gateways restart pods';
    const all = await search({ q, limit: 100 });
    expect(all.someWords).toBeDefined();
    expect(all.items.length).toBeGreaterThan(1);
    const paged = await pages(q);
    expect(paged.map((p) => p.items[0]!.id)).toEqual(all.items.map((i) => i.id));
    expect(paged.every((p) => p.someWords !== undefined)).toBe(true);
  });

  it('a page past the end of words found as typed is empty, and says nothing was corrected', async () => {
    const all = await search({ q: 'session', limit: 100 });
    const past = await search({ q: 'session', limit: 1, offset: all.items.length });
    expect(past).toEqual({ query: 'session', items: [], nextOffset: null });
  });
});
