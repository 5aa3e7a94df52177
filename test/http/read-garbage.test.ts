// A cached read makes as little garbage as it can (bench/http-alloc.ts measures it; 50 KB a read
// of /api/groups/hosting before, on 2026-12-06): its answer goes out as bytes kept with it, a GET on
// a kept-alive connection leaves no listener or timer of the hub's behind it, and a read answered
// from memory does not wait a turn of promises for a check of the event log that is not due.
import { request } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe.each(databases)('reads on $name', (database) => {
  let hub: TestHub;
  let server: Server;
  let port: number;
  const incoming: IncomingMessage[] = [];
  beforeAll(async () => {
    hub = await openDemoHub(database);
    const app = createHttpApp(hub, undefined, { web: demo });
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
});
