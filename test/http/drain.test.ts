// SIGTERM's first step in `wghub serve` (WGHUB_DRAIN_MS): /readyz answers 503 naming why, so a load
// balancer's health checks take the process out of rotation, while every request is still answered
// as before, keep-alive and all; only once the drain is over are connections closed.
import type { AddressInfo } from 'node:net';
import http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drainAndStopServing, drainingReason } from '../../src/cli/serve.ts';
import { serveHub } from '../../src/http/node-server.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, type TestHub } from '../support/hub.ts';

type Answer = { status: number; body: string; connection: string | undefined; socket: unknown };

/** GET over one kept-alive connection: status, body, the Connection header and the socket that carried it. */
function get(agent: http.Agent, url: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection, socket }));
    });
    let socket: unknown;
    req.on('socket', (s) => (socket = s));
    req.on('error', reject);
  });
}

describe.each(databases)('a hub draining before it stops, on $name', (database) => {
  let hub: TestHub;
  let server: http.Server;
  let base: string;
  let agent: http.Agent;
  let app: ReturnType<typeof createHttpApp>;

  beforeEach(async () => {
    hub = await openTestHub(database);
    app = createHttpApp(hub);
    server = serveHub(app, { hostname: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => server.once('listening', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  });
  afterEach(async () => {
    agent.destroy();
    if (server.listening) {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
    await hub.close();
  });

  it('/readyz turns 503 naming the shutdown while /healthz and every other request are still answered', async () => {
    const before = await get(agent, `${base}/readyz`);
    expect(before.status).toBe(200);
    expect(JSON.parse(before.body)).toEqual({ ready: true });

    let drained!: () => void;
    const stopped = drainAndStopServing(app, server, {
      reason: drainingReason('SIGTERM', 5000),
      drained: new Promise<void>((r) => (drained = r)),
    });

    const ready = await get(agent, `${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body)).toEqual({
      ready: false,
      reason:
        'shutting down (SIGTERM): still serving for WGHUB_DRAIN_MS (5000 ms) while load balancers take this process out of rotation, then closing its connections',
    });
    // the process is alive: a liveness check must not restart it
    const health = await get(agent, `${base}/healthz`);
    expect(health.status).toBe(200);
    // a request the balancer still sends is answered as before, and its connection stays open for the next
    const groups = await get(agent, `${base}/api/groups`);
    expect(groups.status).toBe(200);
    expect(JSON.parse(groups.body)).toHaveProperty('items');
    expect(groups.connection).toBe('keep-alive');
    expect(groups.socket).toBe(before.socket);
    // a new connection is still taken, too
    const fresh = await fetch(`${base}/api/groups`);
    expect(fresh.status).toBe(200);
    await fresh.arrayBuffer();

    // the drain is over: the idle keep-alive connection is closed without waiting out its keep-alive
    drained();
    await stopped;
    expect(server.listening).toBe(false);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });
});
