// What an attacker found in a running hub in fuzz round 16 (REST, web forms, MCP, GitHub webhooks),
// on both databases: each test is what was sent and what it must be answered now.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Hono } from 'hono';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { loadDemoCommunity } from '../../src/app/demo/demo.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, type TestHub } from '../support/hub.ts';

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

  beforeEach(async () => {
    hub = await openTestHub(database);
    await loadDemoCommunity(hub, { work: true });
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
});
