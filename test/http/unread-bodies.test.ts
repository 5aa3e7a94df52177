// A request refused before its body is read (no such route, a form from another origin, MCP without
// a token, a body over the limit) still gets its answer over a real socket, however the body comes:
// at once or slowly, keep-alive or not. Before, the server said keep-alive, stalled discarding the
// body and dropped the connection half a second later, so a client reusing it (fetch's pool) got
// "other side closed"; past the limit it advertised keep-alive and closed anyway.
import { connect } from 'node:net';
import type { ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/domain/limits.ts';
import { serveHub } from '../../src/http/node-server.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { sqliteDatabase } from '../support/databases.ts';
import { openTestHub, type TestHub } from '../support/hub.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: false, sessionHours: 24 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const UNDER = 700_000;
const OVER = 1_500_000;

type Answer = { status: number; connection: string | null };
type Outcome = { answers: Answer[]; error: string | null; closedAfterMs: number | null };

/**
 * One request with a body of `size` bytes over a raw socket, in 64 KB pieces `gapMs` apart (or
 * `trickle`: one byte every 50 ms, never finishing), then, when `next` is given, a second request on
 * the same connection. Reports the answers read, a socket error, and when the server closed.
 */
function send(
  port: number,
  opts: {
    path: string;
    size: number;
    gapMs?: number;
    headers?: Record<string, string>;
    chunked?: boolean;
    next?: string;
    trickle?: boolean;
    /** Keep sending after the server's FIN, as a hostile client would. */
    ignoreFin?: boolean;
    waitMs?: number;
  },
): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: opts.ignoreFin ?? false });
    const started = Date.now();
    let received = '';
    let error: string | null = null;
    let closedAfterMs: number | null = null;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      const answers = [...received.matchAll(/HTTP\/1\.1 (\d{3})[^\r]*\r\n((?:[^\r]+\r\n)*)\r\n/g)].map((m) => ({
        status: Number(m[1]),
        connection: /^connection: *(.*)$/im.exec(m[2]!)?.[1]?.toLowerCase() ?? null,
      }));
      resolve({ answers, error, closedAfterMs });
      socket.destroy();
    };
    socket.on('data', (d) => {
      received += d.toString('latin1');
    });
    socket.on('error', (e) => {
      error = (e as NodeJS.ErrnoException).code ?? e.message;
    });
    socket.on('close', () => {
      closedAfterMs = Date.now() - started;
      finish();
    });
    socket.on('connect', async () => {
      socket.write(
        [
          `POST ${opts.path} HTTP/1.1`,
          `Host: 127.0.0.1:${port}`,
          opts.chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${opts.size}`,
          ...Object.entries(opts.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
          '\r\n',
        ].join('\r\n'),
      );
      if (opts.trickle) {
        while (!socket.destroyed && socket.writable) {
          socket.write('a');
          await sleep(50);
        }
        return;
      }
      const piece = Buffer.alloc(64 * 1024, 'a');
      for (let sent = 0; sent < opts.size && socket.writable; ) {
        const data = piece.subarray(0, Math.min(piece.length, opts.size - sent));
        socket.write(opts.chunked ? `${data.length.toString(16)}\r\n${data.toString()}\r\n` : data);
        sent += data.length;
        if (opts.gapMs) await sleep(opts.gapMs);
      }
      if (opts.chunked && socket.writable) socket.write('0\r\n\r\n');
      if (opts.next && socket.writable)
        socket.write(`GET ${opts.next} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
      setTimeout(finish, opts.waitMs ?? 5_000);
    });
  });
}

describe('a body the hub does not read still gets its answer over a real socket', () => {
  let hub: TestHub;
  let server: ServerType;
  let port: number;
  /** The paths the app was asked to answer, in order. */
  const served: string[] = [];
  beforeAll(async () => {
    hub = await openTestHub(sqliteDatabase);
    const app = createHttpApp(hub, undefined, { web: demo });
    const fetch: typeof app.fetch = (request, ...rest) => {
      served.push(new URL(request.url).pathname);
      return app.fetch(request, ...rest);
    };
    server = serveHub({ fetch }, { hostname: '127.0.0.1', port: 0, unreadBodyMs: 1_500 });
    await new Promise((r) => server.once('listening', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    server?.close();
    await hub?.close();
  });

  const refusals: [string, { path: string; headers?: Record<string, string> }, number][] = [
    ['no such route', { path: '/api/openapi.json' }, 404],
    [
      'a form from another origin',
      {
        path: '/sign-in/demo',
        headers: { Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' },
      },
      403,
    ],
    [
      'a REST write without a token (refused before its body is read)',
      { path: '/api/proposals', headers: { 'Content-Type': 'application/json' } },
      401,
    ],
    [
      'MCP without a token',
      { path: '/mcp', headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' } },
      401,
    ],
  ];

  for (const [what, request, status] of refusals)
    for (const gapMs of [0, 20])
      it(`${what}, ${UNDER} bytes ${gapMs ? 'slowly' : 'at once'}: the answer, and the connection still serves the next request`, async () => {
        const r = await send(port, { ...request, size: UNDER, gapMs, next: '/healthz' });
        expect(r.error).toBeNull();
        expect(r.answers).toEqual([
          { status, connection: 'keep-alive' },
          { status: 200, connection: 'close' },
        ]);
      });

  for (const [what, request] of refusals)
    for (const gapMs of [0, 20])
      for (const chunked of [false, true])
        it(`${what}, ${OVER} bytes ${chunked ? 'chunked' : 'with its length'} ${gapMs ? 'slowly' : 'at once'}: 413 and Connection: close, never a reset`, async () => {
          const r = await send(port, { ...request, size: OVER, gapMs, chunked });
          expect(r.error).toBeNull();
          expect(r.answers).toEqual([{ status: 413, connection: 'close' }]);
        });

  it('a request sent after a body past the limit, on the connection its 413 closes, is never run (RFC 9112 §9.6)', async () => {
    const r = await send(port, { path: '/api/openapi.json', size: OVER, next: '/readyz' });
    expect(r.answers).toEqual([{ status: 413, connection: 'close' }]);
    await sleep(200);
    // before, the app ran it (a pipelined comment was written) and its answer was never sent
    expect(served).not.toContain('/readyz');
  });

  it('fetch reusing its connections gets every answer (its pool took a dropped connection for a live one)', async () => {
    const body = Buffer.alloc(UNDER, 'a');
    const statuses: (number | string)[] = [];
    for (let i = 0; i < 8; i++)
      statuses.push(
        await fetch(`http://127.0.0.1:${port}/api/openapi.json`, { method: 'POST', body }).then(
          async (r) => {
            await r.text();
            return r.status;
          },
          (e: Error) => `${e.message}: ${(e.cause as Error | undefined)?.message}`,
        ),
      );
    expect(statuses).toEqual(Array(8).fill(404));
  });

  it('a body that never ends holds its connection only for the bound after the answer', async () => {
    const r = await send(port, { path: '/api/openapi.json', size: UNDER, trickle: true, waitMs: 10_000 });
    expect(r.answers).toEqual([{ status: 404, connection: 'keep-alive' }]);
    expect(r.closedAfterMs).toBeGreaterThan(1_000);
    expect(r.closedAfterMs).toBeLessThan(4_000);
    const over = await send(port, {
      path: '/api/openapi.json',
      size: OVER,
      trickle: true,
      ignoreFin: true,
      waitMs: 10_000,
    });
    expect(over.answers).toEqual([{ status: 413, connection: 'close' }]);
    expect(over.closedAfterMs).toBeGreaterThan(1_000);
    expect(over.closedAfterMs).toBeLessThan(4_000);
  });

  it('a body within the limit that the route reads is answered as before', async () => {
    const r = await send(port, {
      path: '/api/prior-work', // anyone may ask: the route reads the body, a 422 for what it holds
      size: LIMITS.requestBodyBytes,
      headers: { 'Content-Type': 'application/json' },
      next: '/healthz',
    });
    expect(r.answers.map((a) => a.status)).toEqual([422, 200]);
  });
});
