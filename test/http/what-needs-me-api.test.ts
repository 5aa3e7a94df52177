// GET /api/me/needs as a script meets it: a token is required; the decision its holder has not
// answered is listed with its deadline and goes once they answer; another member's token reads
// their own list; OpenAPI and /developers list the route.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { openDecision } from '../../src/app/decisions/decisions.ts';
import { placeInGroup } from '../../src/app/groups/groups.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { hostingGroup, openTestHub, person, type TestHub } from '../support/hub.ts';
import { signInAs } from '../support/web-client.ts';
import { webHubPerTest } from '../support/web-hub.ts';

describe.each(databases)('GET /api/me/needs on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  const tokens: Record<string, string> = {};

  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    const lead = await person(hub, 'lead', { role: 'member' });
    await person(hub, 'ana');
    await person(hub, 'part');
    await hostingGroup(hub, lead, 'lead');
    await placeInGroup(hub, SYSTEM, 'hosting', 'ana', { level: 'member' });
    await placeInGroup(hub, SYSTEM, 'hosting', 'part', { level: 'participant' });
    for (const h of ['ana', 'part']) tokens[h] = (await createToken(hub, SYSTEM, h)).token;
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Adopt fortnightly content meetings?',
      significance: 'minor',
    });
    app = createHttpApp(hub);
  });
  afterEach(async () => hub?.close());

  const get = (path: string, who?: string) =>
    app.request(path, { headers: who ? { Authorization: `Bearer ${tokens[who]}` } : {} });

  it('lists what waits on the token holder, and only theirs', async () => {
    const anon = await get('/api/me/needs');
    expect(anon.status).toBe(401);
    expect(anon.headers.get('content-type')).toMatch(/problem\+json/);

    const ana = await (await get('/api/me/needs', 'ana')).json();
    expect(ana.handle).toBe('ana');
    expect(ana.items.filter((n: { kind: string }) => n.kind === 'decision')).toEqual([
      expect.objectContaining({
        ref: 'D-1',
        group: 'hosting',
        due: '2026-03-07T12:00:00.000Z',
        dueMeans: 'deadline',
        path: '/decisions/D-1#respond',
      }),
    ]);
    expect(ana.counts.decision).toEqual({ listed: 1, total: 1 });

    // part's token reads part's list: the same decision, as advisory, and nothing of ana's
    const part = await (await get('/api/me/needs', 'part')).json();
    expect(part.handle).toBe('part');
    expect(part.items.map((n: { kind: string; ref: string }) => `${n.kind} ${n.ref}`)).toEqual(['advisory D-1']);

    const answered = await app.request('/api/decisions/D-1/responses', {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokens.ana}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'consent' }),
    });
    expect(answered.status).toBeLessThan(300);
    const after = await (await get('/api/me/needs', 'ana')).json();
    expect(after.items.filter((n: { kind: string }) => n.kind === 'decision')).toEqual([]);

    const bad = await get('/api/me/needs?since=yesterday', 'ana');
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await bad.json())).toContain('since');
  });

  it('is in the OpenAPI document and on /developers', async () => {
    const spec = await (await app.request('/api/openapi.json')).json();
    expect(spec.paths['/api/me/needs'].get.security).toBeTruthy();
    expect(await (await app.request('/developers')).text()).toContain('/api/me/needs');
  });
});

// the web home and /api/me/needs read the same use cases: each demo member's home links every item
describe.each(databases)('what needs me agrees with the web home on $name', (database) => {
  const web = webHubPerTest(database, { work: true });

  it('every item the API lists for a demo member is linked from their home page', async () => {
    for (const handle of ['sam-lead', 'priya', 'amara']) {
      const token = (await createToken(web.hub, SYSTEM, handle)).token;
      const needs = await (
        await web.app.request('/api/me/needs', { headers: { Authorization: `Bearer ${token}` } })
      ).json();
      expect(needs.items.length, handle).toBeGreaterThan(0);
      const home = (await (await signInAs(web.app, handle)).get('/')).html;
      for (const n of needs.items as { kind: string; ref: string; path: string }[])
        expect(home, `${handle}: ${n.kind} ${n.ref}`).toContain(`href="${n.path}"`);
    }
  });
});
