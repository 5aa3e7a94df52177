// What an attacker found in a running hub in fuzz round 16 (REST, web forms, MCP, GitHub webhooks),
// on both databases: each test is what was sent and what it must be answered now.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Hono } from 'hono';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub, type TestHub } from '../support/hub.ts';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

describe.each(databases)('fuzz round 16 on $name', (database) => {
  let hub: TestHub;
  let app: Hono;
  const tokens: Record<string, string> = {};

  /** A request to the hub, as `who` (a demo handle) or anonymously. */
  async function call(path: string, opts: { who?: string; method?: string; body?: unknown; headers?: object } = {}) {
    const sent = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const res = await app.request(`http://127.0.0.1${path}`, {
      method: opts.method ?? (sent === undefined ? 'GET' : 'POST'),
      headers: {
        ...(opts.who ? { authorization: `Bearer ${tokens[opts.who]}` } : {}),
        ...(sent === undefined ? {} : { 'content-type': 'application/json' }),
        ...opts.headers,
      },
      ...(sent === undefined ? {} : { body: sent }),
    });
    const text = await res.text();
    return { status: res.status, text, json: () => JSON.parse(text) };
  }

  /** An MCP tool call as `who`: its result. */
  async function tool(who: string, name: string, args: object) {
    const res = await app.request('http://127.0.0.1/mcp', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        host: '127.0.0.1',
        authorization: `Bearer ${tokens[who]}`,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
    });
    const text = await res.text();
    const data = text.startsWith('{') ? text : (/^data: (.*)$/m.exec(text)?.[1] ?? text);
    return JSON.parse(data).result as { isError?: boolean; content: { text: string }[] };
  }

  beforeEach(async () => {
    hub = await openDemoHub(database, { work: true });
    for (const who of ['amara', 'sam-lead', 'priya']) tokens[who] = (await createToken(hub, SYSTEM, who)).token;
    app = createHttpApp(hub);
  });
  afterEach(async () => {
    await hub?.close();
  });

  it('a query parameter a route does not take is refused naming it and those it takes: ?stat=open answered every proposal, read as the open ones', async () => {
    const misspelt = await call('/api/proposals?stat=open&limit=1');
    expect(misspelt.status).toBe(400);
    expect(misspelt.json()).toMatchObject({
      type: 'urn:wghub:problem:unknown-query-parameter',
      status: 400,
      errors: [
        {
          field: 'stat',
          rule: 'is not a query parameter here; GET /api/proposals takes limit, cursor, route, stage, layer, group',
        },
      ],
      accepted: ['limit', 'cursor', 'route', 'stage', 'layer', 'group'],
    });
    // a route that takes none says so; odd names are only names
    const none = await call('/api/groups/hosting?status=active');
    expect(none.status).toBe(400);
    expect(none.json().errors).toEqual([
      { field: 'status', rule: 'is not a query parameter here; GET /api/groups/{slug} takes no query parameters' },
    ]);
    expect((await call('/api/proposals?__proto__=x')).json().errors[0].field).toBe('__proto__');
    // a write's too, after its token; the parameters documented beside a body are taken
    const layer = { changesWire: false, allSdksMustChange: false, oneLanguageOnly: false, guidanceOnly: true };
    expect((await call('/api/proposals/layer?reff=P-1', { body: layer })).status).toBe(400);
    expect((await call('/api/proposals/layer?ref=P-1', { body: layer })).status).toBe(200);
    expect((await call('/api/decisions/D-1?at=2026-12-01T00:00:00Z')).status).toBe(200);
    // what the route takes passes as before
    const filtered = await call('/api/proposals?stage=idea&limit=1');
    expect(filtered.status).toBe(200);
    expect(filtered.json().items[0].stage).toBe('idea');
  });

  it('an MCP tool takes JSON numbers: "limit": "2" is refused naming the argument, as is a REST body\'s (the schema each lists says integer); the digits of a query string are read as before', async () => {
    for (const [name, args] of [
      ['search', { q: 'retry', limit: '2' }],
      ['list_proposals', { limit: '1' }],
      ['list_groups', { limit: '1' }],
      ['list_upcoming_meetings', { limit: '1' }],
      ['check_prior_work', { title: 'Retry guidance', limit: '1' }],
    ] as const) {
      const r = await tool('amara', name, args);
      expect(r.isError, name).toBe(true);
      expect(r.content[0]!.text, name).toContain('limit: must be a JSON number, without quotes ("');
    }
    // named with the schema's other mistakes, each once
    const both = await tool('amara', 'search', { q: '', limit: '1' });
    // (counted in the first line and listed below it: the first line joined them and the list
    // repeated them, attack round 30)
    expect(both.content[0]!.text).toMatch(/^invalid input: 2 problems:\n/);
    expect(both.content[0]!.text).toContain(
      '\n  - limit: must be a JSON number, without quotes ("1" is text)\n  - q: must not be empty\n',
    );
    expect(both.content[0]!.text.split('q: must not be empty')).toHaveLength(2);
    expect((await tool('amara', 'search', { q: 'retry', limit: 2 })).isError).toBeFalsy();
    const body = await call('/api/prior-work', { body: { title: 'Retry guidance', limit: '3' } });
    expect(body.status).toBe(422);
    expect(body.json().errors).toEqual([
      { field: 'limit', rule: 'must be a JSON number, without quotes ("3" is text)' },
    ]);
    expect((await call('/api/prior-work', { body: { title: 'Retry guidance', limit: 3 } })).status).toBe(200);
    expect((await call('/api/search?q=retry&limit=1')).json().items).toHaveLength(1);
  });

  it('a decision read at a moment takes an ISO date-time, as its rule says: ?at=0 showed the decision as it stood in the year 2000', async () => {
    for (const at of ['0', 'March 3', '2026-12-01']) {
      const r = await call(`/api/decisions/D-1?at=${encodeURIComponent(at)}`);
      expect(r.status, at).toBe(422);
      expect(r.json().errors, at).toEqual([
        { field: 'at', rule: 'must be an ISO date-time with a zone, e.g. 2026-12-01T17:00:00Z' },
      ]);
    }
    expect((await call('/api/decisions/D-1?at=2026-12-01T17:00:00%2B01:00')).status).toBe(200);
  });
});
