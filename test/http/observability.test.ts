import { Writable } from 'node:stream';
import { pino } from 'pino';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { enqueue } from '../../src/app/core/jobs.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { observability, REFUSING_CLIENTS } from '../../src/http/observability.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';

/** The value of one sample line of a Prometheus text exposition, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z0-9_:]+)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[4]);
  }
  return undefined;
}

describe.each(databases)('watching the hub on $name', (database) => {
  let hub: TestHub;
  let lines: Record<string, unknown>[];
  let app: ReturnType<typeof createHttpApp>;

  beforeEach(async () => {
    hub = await openTestHub(database);
    lines = [];
    app = createHttpApp(hub, undefined, { log: pino({ level: 'info' }, sink()) });
  });
  afterEach(async () => hub?.close());
  const sink = () =>
    new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        done();
      },
    });

  it('a flood from more clients than are kept apart writes their counts as one line, not a line per client, and loses none', () => {
    const watch = observability(hub, { log: pino({ level: 'info' }, sink()) });
    lines.length = 0;
    for (let i = 0; i < REFUSING_CLIENTS; i++) {
      watch.refused(`203.0.113.${i}`, i % 2 ? 'reads' : 'writes');
      watch.refused(`203.0.113.${i}`, i % 2 ? 'reads' : 'writes'); // counted, not logged: within the window
    }
    expect(lines).toHaveLength(REFUSING_CLIENTS);
    lines.length = 0;
    // the next client fills the map: the request it comes with wrote 10,000 lines in its turn before
    watch.refused('198.51.100.1', 'reads');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      clients: REFUSING_CLIENTS,
      refusedSinceLastLine: { reads: REFUSING_CLIENTS / 2, writes: REFUSING_CLIENTS / 2 },
    });
    expect(lines[1]).toMatchObject({ client: '198.51.100.1', refusedSinceLastLine: 0 });
  });

  it('/healthz answers while the process lives; /readyz only while the database answers and is migrated', async () => {
    expect((await app.request('/healthz')).status).toBe(200);
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true });

    // a migration this build knows but the database lacks: not ready, and it says which
    const table = hub.store.schema ? sql.table(`${hub.store.schema}.kysely_migration`) : sql.table('kysely_migration');
    await sql`delete from ${table} where name = '050-ops'`.execute(hub.store.db);
    const behind = await app.request('/readyz');
    expect(behind.status).toBe(503);
    expect((await behind.json()).reason).toMatch(/050-ops.*wghub migrate/);

    await hub.store.db.destroy();
    const down = await app.request('/readyz');
    expect(down.status).toBe(503);
    expect((await down.json()).reason).toMatch(/database does not answer/);
  });

  it('/metrics counts requests per route pattern, and shows the event loop, the cache and the job queue', async () => {
    await person(hub, 'sam', { role: 'member' });
    await app.request('/api/groups');
    await app.request('/api/groups');
    await app.request('/api/people/sam');
    await app.request('/api/people/nobody-here');
    await enqueue(hub.store.db, hub, { queue: 'mail', payload: {} });
    await enqueue(hub.store.db, hub, { queue: 'mail', key: 'sent', payload: {} });
    await hub.store.db
      .updateTable('jobs')
      .set({ done_at: hub.clock.now().toISOString() })
      .where('key', '=', 'sent')
      .execute();
    hub.clock.advance(90_000);

    const res = await app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(sample(text, 'wghub_http_requests_total', { method: 'GET', route: '/api/groups', status: '200' })).toBe(2);
    // the pattern, not the handle: one series per route however many people there are
    expect(sample(text, 'wghub_http_requests_total', { route: '/api/people/:handle', status: '200' })).toBe(1);
    expect(sample(text, 'wghub_http_requests_total', { route: '/api/people/:handle', status: '404' })).toBe(1);
    expect(text).not.toContain('nobody-here');
    expect(sample(text, 'wghub_http_request_duration_seconds_count', { route: '/api/groups' })).toBe(2);
    expect(sample(text, 'wghub_nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'wghub_read_cache_hit_ratio')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'wghub_job_queue_jobs', { queue: 'mail', state: 'pending' })).toBe(1);
    expect(sample(text, 'wghub_job_queue_oldest_pending_seconds', { queue: 'mail' })).toBe(90);
    // what the retention timer keeps in bounds (docs/operations.md)
    expect(sample(text, 'wghub_job_queue_oldest_finished_seconds', { state: 'done' })).toBe(90);
    expect(sample(text, 'wghub_job_queue_oldest_finished_seconds', { state: 'failed' })).toBe(0);
    if (database.name === 'postgres') {
      expect(sample(text, 'wghub_db_pool_connections', { state: 'max' })).toBe(10);
    }
  });

  it('a request that fails logs its error in its own JSON line, with the request id, not as prose on stderr', async () => {
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      vi.spyOn(hub.store.db, 'selectFrom').mockImplementation(() => {
        throw new Error('the disk is on fire');
      });
      for (const path of ['/api/groups', '/groups']) {
        const res = await app.request(path);
        expect(res.status, path).toBe(500);
        const line = lines.find((l) => l.path === path && l.msg === 'request failed')!;
        expect(line, path).toMatchObject({
          level: 50,
          requestId: res.headers.get('x-request-id'),
          err: { message: 'the disk is on fire', stack: expect.stringContaining('Error: the disk is on fire') },
        });
      }
      expect(stderr).not.toHaveBeenCalled();
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('every request gets an id, in its answer, its log line and the events it recorded', async () => {
    await person(hub, 'sam', { role: 'member' });
    const token = (await createToken(hub, SYSTEM, 'sam')).token;
    const res = await app.request('/api/groups', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'X-Request-Id': 'lb-7f3a-01' },
      body: JSON.stringify({
        slug: 'hosting',
        name: 'Hosting',
        kind: 'working',
        mission: 'Share practices for hosting MCP servers at scale and propose changes where hosting hits limits.',
        scopeIn: ['Transport behaviour behind load balancers'],
        leads: ['sam'],
      }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-id')).toBe('lb-7f3a-01');
    const events = await hub.store.db
      .selectFrom('events')
      .select(['kind', 'request_id'])
      .where('request_id', '=', 'lb-7f3a-01')
      .execute();
    expect(events.map((e) => e.kind)).toContain('group.proposed');
    expect(lines).toContainEqual(
      expect.objectContaining({ requestId: 'lb-7f3a-01', method: 'POST', route: '/api/groups', status: 201 }),
    );

    // a claim link's code and an unsubscribe token are secrets: their line names the route, not them
    await app.request('/claim/Amcrd43ZrpRwnVKJBbJbBs_xD_veZVKm');
    await app.request('/unsubscribe/0123456789abcdef0123456789abcdef');
    expect(lines).toContainEqual(expect.objectContaining({ route: '/claim/:code', path: '/claim/…' }));
    expect(lines).toContainEqual(expect.objectContaining({ route: '/unsubscribe/:token', path: '/unsubscribe/…' }));
    expect(JSON.stringify(lines)).not.toMatch(/Amcrd43Zrp|0123456789abcdef/);

    // an id a client made up that could break a log line is replaced, not trusted
    const odd = await app.request('/api/groups', { headers: { 'X-Request-Id': 'x y{"\\' } });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    // the CLI's writes carry none
    const operator = await hub.store.db
      .selectFrom('events')
      .select('request_id')
      .where('actor', '=', 'system:operator')
      .execute();
    expect(operator.every((e) => e.request_id === null)).toBe(true);
  });
});
