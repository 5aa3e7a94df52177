// A cached read makes as little garbage as it can (bench/http-alloc.ts measures it; 50 KB a read
// of /api/groups/hosting before, on 2026-12-06): its answer goes out as bytes kept with it, a GET on
// a kept-alive connection leaves no listener or timer of the hub's behind it, and a read answered
// from memory does not wait a turn of promises for a check of the event log that is not due.
// Since 2026-12-07: its answer's headers go out as one plain object (no fetch Headers built, set
// and read back), the handlers its method and path reach are remembered, and with the rate limits
// off the guard in front of the app does nothing.
import { connect } from 'node:net';
import { request } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Router } from 'hono/router';
import { LIMITS } from '../../src/domain/limits.ts';
import { MATCHES_KEPT, RememberingRouter } from '../../src/http/matched-routes.ts';
import { guardFetch, type RateLimiter } from '../../src/http/rate-limits.ts';
import { serveHub } from '../../src/http/node-server.ts';
import { createHttpApp, jsonOf } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub, type TestHub } from '../support/hub.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: false, sessionHours: 24 };

describe('a frozen answer (a visitor’s cached group)', () => {
  it('is serialised once and sent as the same UTF-8 bytes on every read; any other answer is text', () => {
    const answer = Object.freeze({ name: 'Hosting — “transports”', members: Object.freeze([1, 2]) });
    const first = jsonOf(answer);
    expect(first).toBeInstanceOf(Uint8Array);
    expect(jsonOf(answer)).toBe(first);
    expect(new TextDecoder().decode(first as Uint8Array)).toBe(JSON.stringify(answer));
    const open = { name: 'Hosting' };
    expect(jsonOf(open)).toBe(JSON.stringify(open));
    expect(jsonOf(null)).toBe('null');
  });
});

describe('the handlers a method and path reach', () => {
  const counting = () => {
    const searched: string[] = [];
    const inner: Router<string> = {
      name: 'counting',
      add: () => {},
      match: (method, path) => {
        searched.push(`${method} ${path}`);
        return [[[`${method} ${path}`, {}]]];
      },
    };
    return { inner, searched };
  };

  it('are looked up once per method and path, and found again without a search', () => {
    const { inner, searched } = counting();
    const router = new RememberingRouter(inner);
    const first = router.match('GET', '/api/groups/hosting');
    expect(router.match('GET', '/api/groups/hosting')).toBe(first);
    router.match('HEAD', '/api/groups/hosting');
    router.match('GET', '/api/groups/tooling');
    expect(searched).toEqual(['GET /api/groups/hosting', 'HEAD /api/groups/hosting', 'GET /api/groups/tooling']);
  });

  it('are forgotten when a route is added, and at most MATCHES_KEPT are kept (a flood of new paths empties them)', () => {
    const { inner, searched } = counting();
    const router = new RememberingRouter(inner, 3);
    router.match('GET', '/a');
    router.add('GET', '/b', 'b');
    router.match('GET', '/a');
    expect(searched).toEqual(['GET /a', 'GET /a']);
    for (const p of ['/b', '/c', '/d']) router.match('GET', p); // the fourth empties the map first
    router.match('GET', '/d');
    router.match('GET', '/a');
    expect(searched.slice(2)).toEqual(['GET /b', 'GET /c', 'GET /d', 'GET /a']);
    expect(MATCHES_KEPT).toBeGreaterThanOrEqual(100);
  });
});

describe('paths not remembered', () => {
  it('a path longer than LIMITS.rememberedPathChars, or one reaching no route, is looked up each time and never kept', () => {
    const searched: string[] = [];
    const inner: Router<string> = {
      name: 'counting',
      add: () => {},
      match: (_method, path) => {
        searched.push(path);
        if (path.startsWith('/missing')) return [[]]; // no handler at all
        return [[[path.startsWith('/api') ? 'route' : 'middleware', {}]]];
      },
    };
    const router = new RememberingRouter(inner, MATCHES_KEPT, (h) => h === 'route');
    const long = `/api/groups/${'x'.repeat(LIMITS.rememberedPathChars)}`;
    for (const p of [long, long, '/missing', '/missing', '/no-route', '/no-route', '/api/groups/hosting']) {
      router.match('GET', p);
    }
    router.match('GET', '/api/groups/hosting');
    expect(searched).toEqual([long, long, '/missing', '/missing', '/no-route', '/no-route', '/api/groups/hosting']);
    expect(router.remembered).toBe(1);
    // a path just within the bound is kept
    router.match('GET', `/api/${'y'.repeat(LIMITS.rememberedPathChars - 5)}`);
    expect(router.remembered).toBe(2);
  });
});

describe('the rate-limit guard', () => {
  it('with the limits off, asks nothing and hands the request to the app as it came', async () => {
    const asked: string[] = [];
    const limiter: RateLimiter = {
      enabled: false,
      admit: () => {
        asked.push('admit');
        return () => {};
      },
      admitAlso: async () => () => {},
    };
    const answer = new Response('ok');
    const fetch = guardFetch(limiter, () => answer);
    expect(await fetch(new Request('http://localhost/api/groups/hosting'))).toBe(answer);
    expect(asked).toEqual([]);
  });
});

describe.each(databases)('reads on $name', (database) => {
  let hub: TestHub;
  let server: Server;
  let port: number;
  let app: ReturnType<typeof createHttpApp>;
  const incoming: IncomingMessage[] = [];
  beforeAll(async () => {
    hub = await openDemoHub(database);
    app = createHttpApp(hub, undefined, { web: demo });
    const fetch: typeof app.fetch = (req, env, ...rest) => {
      incoming.push((env as { incoming: IncomingMessage }).incoming);
      return app.fetch(req, env, ...rest);
    };
    server = serveHub({ fetch }, { hostname: '127.0.0.1', port: 0 });
    await new Promise((r) => server.once('listening', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    server?.close();
    await hub?.close();
  });

  it('two GETs on one kept-alive connection get the same whole answer, and leave nothing listening on their requests', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ status: number; length: string | undefined; body: string; socket: unknown }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/api/groups/hosting', agent }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () =>
            resolve({ status: res.statusCode!, length: res.headers['content-length'], body, socket: req.socket }),
          );
        });
        req.on('error', reject);
        req.end();
      });
    const a = await get();
    const b = await get();
    agent.destroy();
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.socket).toBe(a.socket);
    expect(b.body).toBe(a.body);
    expect(Number(a.length)).toBe(Buffer.byteLength(a.body));
    expect(JSON.parse(a.body).slug).toBe('hosting');
    // the hub read no GET's (empty) body: Node dropped it, with no 'data' listener or timer of the hub's
    expect(incoming.map((m) => m.listenerCount('data'))).toEqual([0, 0]);
  });

  it('a read answered from memory, with no check of the event log due, resolves on the next turn of promises', async () => {
    let loads = 0;
    const load = async () => ({ value: ++loads });
    expect(await hub.reads.get(hub, 'garbage-test', load)).toBe(1); // loaded, and the log checked
    let value: number | undefined;
    void hub.reads.get(hub, 'garbage-test', load).then((v) => (value = v));
    await Promise.resolve();
    expect(value).toBe(1);
    expect(loads).toBe(1);
  });

  it("the hub's app remembers the handlers each method and path reach", () => {
    expect(app.router).toBeInstanceOf(RememberingRouter);
  });

  it("the hub's app remembers no 404 reaching no route and no long path, however many come", async () => {
    const router = app.router as unknown as RememberingRouter<unknown>;
    await fetch(`http://127.0.0.1:${port}/api/groups/hosting`);
    const before = router.remembered;
    for (let i = 0; i < 20; i++) {
      const missing = await fetch(`http://127.0.0.1:${port}/no/such/page/${i}`);
      expect(missing.status).toBe(404);
      await missing.arrayBuffer();
      const long = await fetch(`http://127.0.0.1:${port}/api/groups/${'x'.repeat(400)}${i}`);
      expect(long.status).toBe(404); // reaches the group route, which finds no such group
      await long.arrayBuffer();
    }
    expect(router.remembered).toBe(before);
    await fetch(`http://127.0.0.1:${port}/api/groups/tooling`).then((r) => r.arrayBuffer());
    expect(router.remembered).toBe(before + 1);
  });

  it('a read answered from kept bytes builds no fetch Headers, and sends the header lines every answer has, in the same order', async () => {
    await fetch(`http://127.0.0.1:${port}/api/groups/hosting`); // cached
    // spies on what every file shares: put back even if the request fails
    const set = vi.spyOn(Headers.prototype, 'set');
    const made = vi.spyOn(Headers.prototype, 'has');
    let raw: string;
    let setCalls: number;
    let hasCalls: number;
    try {
      raw = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () =>
          socket.write('GET /api/groups/hosting HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'),
        );
        let got = '';
        socket.setEncoding('utf8');
        socket.on('data', (d: string) => (got += d));
        socket.on('end', () => resolve(got));
        socket.on('error', reject);
      });
      setCalls = set.mock.calls.length;
      hasCalls = made.mock.calls.length;
    } finally {
      set.mockRestore();
      made.mockRestore();
    }
    const [head, body] = raw.split('\r\n\r\n');
    const lines = head!.split('\r\n');
    expect(lines[0]).toBe('HTTP/1.1 200 OK');
    expect(lines.slice(1).map((l) => l.slice(0, l.indexOf(':')))).toEqual([
      'content-type',
      'etag',
      'x-content-type-options',
      'x-request-id',
      'Content-Length',
      'Date',
      'Connection',
    ]);
    expect(lines).toContain('content-type: application/json');
    expect(lines).toContain('x-content-type-options: nosniff');
    expect(lines.find((l) => l.startsWith('etag: '))).toMatch(/^etag: "v\d+-[0-9a-f]{16}"$/);
    expect(lines.find((l) => l.startsWith('x-request-id: '))).toMatch(/^x-request-id: [0-9a-f-]{36}$/);
    expect(lines).toContain(`Content-Length: ${Buffer.byteLength(body!)}`);
    expect(JSON.parse(body!).slug).toBe('hosting');
    // no header was set on, nor read from, a fetch Headers on the way (Hono's, the middleware's, the adapter's)
    expect([setCalls, hasCalls]).toEqual([0, 0]);
  });

  it('a HEAD of it, and a conditional GET, answer as before: no length on the HEAD, 304 on the ETag', async () => {
    const full = await fetch(`http://127.0.0.1:${port}/api/groups/hosting`);
    const tag = full.headers.get('etag')!;
    await full.text();
    const head = await fetch(`http://127.0.0.1:${port}/api/groups/hosting`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(tag);
    expect(head.headers.get('x-content-type-options')).toBe('nosniff');
    expect(head.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(head.headers.get('content-length')).toBeNull();
    const same = await fetch(`http://127.0.0.1:${port}/api/groups/hosting`, { headers: { 'If-None-Match': tag } });
    expect(same.status).toBe(304);
    expect(same.headers.get('x-content-type-options')).toBe('nosniff');
    const mine = await fetch(`http://127.0.0.1:${port}/api/groups/hosting`, {
      headers: { 'X-Request-Id': 'trace-42' },
    });
    expect(mine.headers.get('x-request-id')).toBe('trace-42');
    await mine.text();
  });
});
