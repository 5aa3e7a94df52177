// What attack round 28 found about time zones saved before zones were checked, on both databases:
// a meeting scheduled without a zone took the organiser's stored zone as it was, and a zone no IANA
// zone names ("+02:00", which migration 396 leaves) blocked every other edit of the form showing it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub, type TestHub } from '../support/hub.ts';
import { WebClient } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: false, sessionHours: 24 };

describe.each(databases)('attack round 28 on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  const tokens: Record<string, string> = {};
  beforeEach(async () => {
    hub = await openDemoHub(database);
    app = createHttpApp(hub, undefined, { web: demo });
    tokens['sam-lead'] = (await createToken(hub, SYSTEM, 'sam-lead')).token;
  });
  afterEach(async () => hub?.close());

  const rest = async (method: string, path: string, body: unknown, ifMatch?: string) => {
    const res = await app.request(path, {
      method,
      headers: {
        authorization: `Bearer ${tokens['sam-lead']}`,
        'content-type': 'application/json',
        ...(ifMatch ? { 'if-match': ifMatch } : {}),
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, etag: res.headers.get('etag'), body: (await res.json()) as Record<string, unknown> };
  };
  const storeZone = (handle: string, zone: string) =>
    hub.store.db.updateTable('people').set({ time_zone: zone }).where('handle', '=', handle).execute();
  const signedIn = async (handle: string) => {
    const w = new WebClient(app);
    await w.get('/sign-in');
    expect((await w.post('/sign-in/demo', { handle })).status).toBe(303);
    return w;
  };
  /** The option a form's time-zone select shows chosen. */
  const chosenZone = (html: string) => /<option value="([^"]*)" selected/.exec(html)?.[1];
  const meeting = (startsAt: string) => ({ group: 'hosting', kind: 'process', title: 'Zone check', startsAt });
  const inDays = (n: number) => new Date(hub.clock.now().getTime() + n * 86_400_000).toISOString();

  it('a meeting scheduled without a zone takes the organiser’s as IANA names it, and one no IANA zone names is refused naming timeZone (it was stored as it was)', async () => {
    await storeZone('sam-lead', 'europe/berlin');
    const named = await rest('POST', '/api/meetings', meeting(inDays(10)));
    expect(named.status).toBe(201);
    expect(named.body.timeZone).toBe('Europe/Berlin');

    await storeZone('sam-lead', '+02:00');
    const refused = await rest('POST', '/api/meetings', meeting(inDays(11)));
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([
      { field: 'timeZone', rule: expect.stringContaining('your own time zone (+02:00) is no IANA time zone') },
    ]);
    // naming one schedules it
    const given = await rest('POST', '/api/meetings', { ...meeting(inDays(11)), timeZone: 'UTC' });
    expect(given.status).toBe(201);
    const zones = await hub.store.db
      .selectFrom('meetings')
      .select('time_zone')
      .where('title', '=', 'Zone check')
      .execute();
    expect(zones.map((z) => z.time_zone).sort()).toEqual(['Europe/Berlin', 'UTC']);
  });

  it('a stored zone no IANA zone names is taken back unchanged: the profile form changes a name, and a meeting’s form moves it, without picking a zone', async () => {
    const w = await signedIn('sam-lead');
    // a zone IANA names otherwise is shown as IANA spells it
    await storeZone('sam-lead', 'europe/berlin');
    expect(chosenZone((await w.get('/people/sam-lead/edit')).html)).toBe('Europe/Berlin');
    await storeZone('sam-lead', '+02:00');
    const form = await w.get('/people/sam-lead/edit');
    expect(chosenZone(form.html)).toBe('+02:00');
    const version = /name="version" value="(\d+)"/.exec(form.html)![1]!;
    const saved = await w.post('/people/sam-lead/edit', { version, name: 'Sam Renamed', timeZone: '+02:00' });
    expect(saved.status).toBe(303);
    const sam = await hub.store.db
      .selectFrom('people')
      .select(['name', 'time_zone'])
      .where('handle', '=', 'sam-lead')
      .executeTakeFirstOrThrow();
    expect(sam).toEqual({ name: 'Sam Renamed', time_zone: '+02:00' });
    // over REST too, the zone as read is sent back; another unnamed zone is still refused
    const me = await rest('GET', '/api/people/sam-lead', undefined);
    const back = await rest('PATCH', '/api/people/sam-lead', { name: 'Sam Again', timeZone: '+02:00' }, me.etag!);
    expect(back.status).toBe(200);
    const other = await rest('PATCH', '/api/people/sam-lead', { timeZone: '+03:00' }, back.etag!);
    expect(other.status).toBe(422);

    // a meeting whose zone was stored so: its reschedule form shows that zone and moves it
    const m = await rest('POST', '/api/meetings', { ...meeting(inDays(10)), timeZone: 'UTC' });
    const ref = m.body.ref as string;
    await hub.store.db.updateTable('meetings').set({ time_zone: '+02:00' }).where('title', '=', 'Zone check').execute();
    const page = await w.get(`/meetings/${ref}`);
    const reschedule = page.html.slice(page.html.indexOf(`/meetings/${ref}/reschedule`));
    expect(chosenZone(reschedule)).toBe('+02:00');
    const mv = /name="version" value="(\d+)"/.exec(reschedule)![1]!;
    const moved = await w.post(`/meetings/${ref}/reschedule`, {
      version: mv,
      timeZone: '+02:00',
      startsAt: inDays(12).slice(0, 16),
    });
    expect(moved.status).toBe(303);
    const row = await hub.store.db
      .selectFrom('meetings')
      .select(['starts_at', 'time_zone'])
      .where('title', '=', 'Zone check')
      .executeTakeFirstOrThrow();
    expect(row.time_zone).toBe('+02:00');
    expect(row.starts_at).not.toBe(m.body.startsAt);
  });
});
