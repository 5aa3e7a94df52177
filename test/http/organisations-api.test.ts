// GET /api/organisations is paged as the other lists are (and as MCP's list_organisations), on both
// databases: it answered every organisation at once, however many people had named.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listOrganisationsPage } from '../../src/app/people/organisations.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';

describe.each(databases)('organisations over REST on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  const get = async (path: string) => {
    const res = await app.request(`http://127.0.0.1${path}`);
    return { status: res.status, body: await res.json() };
  };
  const slugs = (page: { items: { slug: string }[] }) => page.items.map((o) => o.slug);

  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    app = createHttpApp(hub);
    await person(hub, 'ana', { org: 'Cobalt' });
    await person(hub, 'ben', { org: 'Acme' });
    await person(hub, 'cai', { org: 'Beta Labs' });
    await person(hub, 'dee', { org: 'Acme' });
  });
  afterEach(async () => hub?.close());

  it('pages by slug with limit and cursor, nextCursor null on the last page, as MCP does', async () => {
    const first = await get('/api/organisations?limit=2');
    expect(first.status).toBe(200);
    expect(slugs(first.body)).toEqual(['acme', 'beta-labs']);
    expect(first.body.items[0]).toMatchObject({ name: 'Acme', people: 2 });
    expect(first.body.can.add).toBeDefined();
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await get(`/api/organisations?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(slugs(second.body)).toEqual(['cobalt']);
    expect(second.body.nextCursor).toBeNull();
    // the same pages as MCP's list_organisations reads
    expect(first.body).toEqual(JSON.parse(JSON.stringify(await listOrganisationsPage(hub, null, { limit: 2 }))));
    // without a limit, 50 a page
    const whole = await get('/api/organisations');
    expect(slugs(whole.body)).toEqual(['acme', 'beta-labs', 'cobalt']);
    expect(whole.body.nextCursor).toBeNull();
  });

  it('bounds the limit and names a bad cursor, and the OpenAPI document lists both', async () => {
    const over = await get('/api/organisations?limit=201');
    expect(over.status).toBe(422);
    expect(over.body.errors).toEqual([{ field: 'limit', rule: 'must be at most 200' }]);
    expect((await get('/api/organisations?limit=0')).body.errors).toEqual([
      { field: 'limit', rule: 'must be at least 1' },
    ]);
    const bad = await get('/api/organisations?cursor=nonsense');
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe('cursor');
    const doc = (await get('/api/openapi.json')).body;
    expect(doc.paths['/api/organisations'].get.parameters.map((p: { name: string }) => p.name)).toEqual([
      'limit',
      'cursor',
    ]);
  });
});
