// The rules every REST query string is held to, on both databases: a parameter given more than once
// is refused naming it (a route may declare one a list), and a range whose ends are the wrong way
// round is refused naming both, never answered with an empty list.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHttpApp } from '../../src/http/server.ts';
import type { Route } from '../../src/http/routes.ts';
import { databases } from '../support/databases.ts';
import { hostingGroup, openTestHub, person, type TestHub } from '../support/hub.ts';

describe.each(databases)('REST query rules on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  const get = async (path: string, on = app) => {
    const res = await on.request(`http://127.0.0.1${path}`);
    return { status: res.status, type: res.headers.get('content-type'), body: await res.json() };
  };

  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    app = createHttpApp(hub);
  });
  afterEach(async () => hub?.close());

  it('a query parameter given more than once is a 400 naming it and the rule, never read as its first value', async () => {
    const twice = await get('/api/meetings?limit=5&limit=500');
    expect(twice.status).toBe(400);
    expect(twice.type).toBe('application/problem+json');
    expect(twice.body).toMatchObject({
      type: 'urn:wghub:problem:repeated-query-parameter',
      status: 400,
      errors: [
        {
          field: 'limit',
          rule: 'is given more than once (2 times); GET /api/meetings takes each query parameter once (none as a list)',
        },
      ],
    });
    // the same value twice too, and every such parameter is named
    const both = await get('/api/groups?limit=5&limit=5&kind=working&kind=interest&status=active');
    expect(both.status).toBe(400);
    expect(both.body.errors.map((e: { field: string }) => e.field)).toEqual(['limit', 'kind']);
    // a parameter the route does not take is named as such first, however often it is given
    const unknown = await get('/api/meetings?lmit=5&lmit=6');
    expect(unknown.status).toBe(400);
    expect(unknown.body.type).toBe('urn:wghub:problem:unknown-query-parameter');
    // once each, as before
    expect((await get('/api/meetings?limit=5')).status).toBe(200);
    // the OpenAPI document says so on every route
    const doc = (await get('/api/openapi.json')).body;
    expect(doc.paths['/api/meetings'].get.responses['400'].description).toMatch(/given more than once/);
  });

  it('a parameter a route declares as a list may be given more than once, and the route reads every value', async () => {
    const route: Route = {
      method: 'get',
      path: '/api/tagged',
      tag: 'test',
      summary: 'Tagged things',
      query: z.object({ tag: z.array(z.string()).optional(), limit: z.string().optional() }),
      returns: 'what was read',
      handler: async ({ query, queryLists }) => ({ body: { query, queryLists } }),
    };
    const listed = createHttpApp(hub, [route]);
    const many = await get('/api/tagged?tag=a&limit=3&tag=b&tag=a', listed);
    expect(many.status).toBe(200);
    expect(many.body).toEqual({ query: { limit: '3' }, queryLists: { tag: ['a', 'b', 'a'] } });
    const twice = await get('/api/tagged?tag=a&limit=3&limit=4', listed);
    expect(twice.status).toBe(400);
    expect(twice.body.errors).toEqual([
      {
        field: 'limit',
        rule: 'is given more than once (2 times); GET /api/tagged takes each query parameter once, but tag as a list',
      },
    ]);
  });

  it('GET /api/meetings with from after to is a 422 naming both fields and the rule, not an empty list', async () => {
    const lead = await person(hub, 'lead', { role: 'member' });
    await hostingGroup(hub, lead, 'lead');
    const backwards = await get('/api/meetings?from=2026-04-01T00:00:00Z&to=2026-03-01T00:00:00Z');
    expect(backwards.status).toBe(422);
    expect(backwards.type).toBe('application/problem+json');
    expect(backwards.body.errors).toEqual([{ field: 'to', rule: 'must not be before from (2026-04-01T00:00:00Z)' }]);
    // compared as instants, whatever their zones: 10:00+02:00 is before 09:00Z
    const zoned = await get('/api/meetings?from=2026-04-01T09:00:00Z&to=2026-04-01T10:00:00%2B02:00');
    expect(zoned.status).toBe(422);
    expect(zoned.body.errors[0].field).toBe('to');
    // a range the right way round, or an empty one, is read as before
    expect((await get('/api/meetings?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z')).status).toBe(200);
    expect((await get('/api/meetings?from=2026-03-01T00:00:00Z&to=2026-03-01T00:00:00Z')).body.items).toEqual([]);
  });
});
