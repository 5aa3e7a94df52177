// search pages by cursor, as the other lists do (an offset is refused naming it). When the words as
// typed find nothing, the first page answers for the corrected words (correctedQuery) or for items
// with some of the words (someWords); the next page must go on with those, not search the words as
// typed again and answer an empty page, which reads as "no more". Each page says where the next
// starts (nextCursor), and the last says there is none, so a client need not ask for an empty page.
import type { ServerType } from '@hono/node-server';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub, type TestHub } from '../support/hub.ts';
import { httpClient, serveMcpOverHttp } from './support.ts';

type Found = { items: { id: string }[]; correctedQuery?: string; someWords?: string[]; nextCursor: string | null };

describe.each(databases)('search, page after page, on $name', (database) => {
  let hub: TestHub;
  let main: { url: string; server: ServerType };
  let client: Client;

  beforeAll(async () => {
    hub = await openDemoHub(database, { work: true, start: '2026-12-05T12:00:00Z' });
    hub.governance.rateLimits = { ...hub.governance.rateLimits, enabled: false };
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
  /** Every page of one item each, following nextCursor until a page says there is no next. */
  const pages = async (q: string) => {
    const seen: Found[] = [];
    for (let cursor: string | null | undefined; cursor !== null && seen.length < 50; ) {
      const page = await search({ q, limit: 1, ...(cursor ? { cursor } : {}) });
      expect(page.items).toHaveLength(1);
      seen.push(page);
      cursor = page.nextCursor;
    }
    return seen;
  };

  it('pages the corrected words, as the first page said it searched', async () => {
    const all = await search({ q: 'sesion afinity', limit: 100 });
    expect(all.correctedQuery).toBe('session affinity');
    expect(all.items.length).toBeGreaterThan(1);
    expect(all.nextCursor).toBeNull();
    const paged = await pages('sesion afinity');
    expect(paged.map((p) => p.items[0]!.id)).toEqual(all.items.map((i) => i.id));
    expect(paged.map((p) => p.nextCursor === null)).toEqual([...paged.keys()].map((i) => i === paged.length - 1));
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
    // one more item, so a page of all the others has a next; gone again before that next is read
    await hub.store.db
      .insertInto('search_documents')
      .values({
        id: 'extra-session',
        ref: 'artifact:extra/session.md',
        kind: 'artifact',
        title: 'One more session note',
        body: 'session',
        group_slug: null,
        status: null,
        layer: null,
        date: '2026-01-01T00:00:00.000Z',
      })
      .execute();
    const all = await search({ q: 'session', limit: 100 });
    const page = await search({ q: 'session', limit: all.items.length - 1 });
    expect(page.nextCursor).toEqual(expect.any(String));
    await hub.store.db.deleteFrom('search_documents').where('id', '=', 'extra-session').execute();
    const past = await search({ q: 'session', limit: 1, cursor: page.nextCursor });
    expect(past).toEqual({ query: 'session', items: [], nextCursor: null });
  });

  it('an offset, as search took before it paged by cursor, is refused naming it and what to send instead', async () => {
    // not offered: a field no value fits was published as {"not": {}}, which model providers' schema subsets refuse
    const published = (await client.listTools()).tools.find((t) => t.name === 'search')!.inputSchema;
    expect(Object.keys(published.properties ?? {})).not.toContain('offset');
    expect(JSON.stringify(published)).not.toContain('"not"');
    const r = await client.callTool({ name: 'search', arguments: { q: 'session', offset: 1 } });
    expect(r.isError).toBe(true);
    expect(JSON.stringify(r.content)).toContain(
      "offset: is no longer taken: search pages by cursor, as the other lists do; pass the previous page's nextCursor as cursor",
    );
    // a field search does not take is answered with the fields it offers, as its schema lists them: offset
    // was named among them, and the model that sent it then was refused it
    const wrong = await client.callTool({ name: 'search', arguments: { query: 'session' } });
    expect(wrong.isError).toBe(true);
    const offered = Object.keys(published.properties ?? {}).join(', ');
    expect(JSON.stringify(wrong.content)).toContain(`query: is not a field here; the fields are ${offered}\\n`);
  });
});
