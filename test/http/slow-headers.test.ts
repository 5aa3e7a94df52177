// A request's headers are bounded apart from the keep-alive: with WGHUB_KEEP_ALIVE_MS at its hour, a
// client sending its headers slowly held a connection that hour (the bound was the keep-alive plus
// a second). Node 24 times the headers from each request's start, so a kept-alive connection's next
// request, however long it waited, is not cut as slow.
import type { Server } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HEADERS_MS, serveHub, serverTimeouts, stopServing } from '../../src/http/node-server.ts';

const app = { fetch: () => new Response('ok') };

/** What the server sent on one connection, the writes made at the given times (ms after connecting). */
function converse(
  port: number,
  writes: [number, string][],
  until: number,
): Promise<{ text: string; closedAt: number }> {
  return new Promise((resolve) => {
    const start = Date.now();
    const s = connect(port, '127.0.0.1');
    let text = '';
    let closedAt = -1;
    s.on('data', (d) => {
      text += d;
    });
    s.on('close', () => {
      closedAt = Date.now() - start;
    });
    for (const [at, data] of writes) setTimeout(() => s.destroyed || s.write(data), at);
    setTimeout(() => {
      s.destroy();
      resolve({ text, closedAt });
    }, until);
  });
}

describe('slow headers on a long keep-alive', () => {
  let server: Server | undefined;
  afterEach(async () => {
    if (server) await stopServing(server);
    server = undefined;
  });

  it('the headers get a minute whatever the keep-alive', () => {
    expect(serverTimeouts(3_600_000).headersTimeout).toBe(HEADERS_MS);
    expect(HEADERS_MS).toBe(60_000);
    expect(serverTimeouts(3_600_000).keepAliveTimeout).toBe(3_600_000);
  });

  it('a client slow with its headers is cut at the bound, one idle between requests is not', async () => {
    server = serveHub(app, { hostname: '127.0.0.1', port: 0, keepAliveMs: 3_600_000, headersMs: 400 });
    await new Promise((r) => server!.once('listening', r));
    const port = (server.address() as { port: number }).port;
    const request = 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
    // idle three times the headers' bound between two requests: both answered, the connection kept
    const idle = await converse(
      port,
      [
        [0, request],
        [1_200, request],
      ],
      1_600,
    );
    expect(idle.text.match(/HTTP\/1\.1 200/g)).toHaveLength(2);
    expect(idle.closedAt).toBe(-1);
    // headers begun and never ended: 408 and closed within the bound (and Node's check of it), not the hour
    const slow = await converse(port, [[0, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n']], 2_000);
    expect(slow.text).toMatch(/^HTTP\/1\.1 408/);
    expect(slow.closedAt).toBeGreaterThan(0);
    expect(slow.closedAt).toBeLessThan(1_500);
  });
});
