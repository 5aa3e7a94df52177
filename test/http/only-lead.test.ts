// The group's only active lead cannot leave, be removed or step down: the same rule about the group
// as it stands, refused alike (403 with the reason in words, no field named) wherever it is asked.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { placeInGroup, proposeGroup } from '../../src/app/groups/groups.ts';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';

describe.each(databases)('the only lead over REST on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  let token = '';
  const call = (method: string, path: string, body?: unknown) =>
    app.request(path, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });

  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    app = createHttpApp(hub);
    const lead = await person(hub, 'lead', { role: 'member', org: 'Acme' });
    await person(hub, 'bo', { role: 'member', org: 'Nebula' });
    await proposeGroup(hub, lead, {
      slug: 'hosting',
      name: 'Hosting',
      kind: 'working',
      mission: 'Share practices for hosting MCP servers at scale.',
      scopeIn: ['Scaling'],
      leads: ['lead'],
    });
    await placeInGroup(hub, SYSTEM, 'hosting', 'bo', { level: 'member' });
    token = (await createToken(hub, SYSTEM, 'lead')).token;
  });
  afterEach(async () => hub?.close());

  it('leaving, being removed and stepping down are each a 403 saying why, naming no field; with another lead each may', async () => {
    const refusals = [
      await call('DELETE', '/api/groups/hosting/members/me'),
      await call('DELETE', '/api/groups/hosting/members/lead'),
      await call('PUT', '/api/groups/hosting/members/lead', { level: 'member' }),
    ];
    for (const r of refusals) {
      expect(r.status).toBe(403);
      const body = await r.json();
      expect(body.type).toBe('urn:wghub:problem:forbidden');
      expect(body.detail).toMatch(/only (active )?lead: make someone else a lead/);
      expect(body.errors).toBeUndefined();
    }
    expect((await call('PUT', '/api/groups/hosting/members/bo', { level: 'lead' })).status).toBe(200);
    expect((await call('PUT', '/api/groups/hosting/members/lead', { level: 'member' })).status).toBe(200);
  });
});
