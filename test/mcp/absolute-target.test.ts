// A request whose target is in absolute form (`POST http://evil.example/mcp`) names a host of its
// own beside the Host header. The rebinding check passed on the trusted Host header, then the OAuth
// addresses were built from the target's host, which threw and answered 500; it is the 400 any
// untrusted host gets, over a real socket since fetch cannot send such a target.
import type { ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveHub } from '../../src/http/node-server.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { sqliteDatabase } from '../support/databases.ts';
import { openTestHub, type TestHub } from '../support/hub.ts';
import { rawRequest } from '../support/raw-http.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: false, sessionHours: 24 };

function raw(port: number, target: string, host: string, method = 'POST'): Promise<string> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
  return rawRequest(
    port,
    [
      `${method} ${target} HTTP/1.1`,
      `Host: ${host}`,
      'Content-Type: application/json',
      'Accept: application/json, text/event-stream',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
      '',
      body,
    ].join('\r\n'),
  );
}

describe('/mcp with an absolute-form request target', () => {
  let hub: TestHub;
  let server: ServerType;
  let port: number;
  beforeAll(async () => {
    hub = await openTestHub(sqliteDatabase);
    const app = createHttpApp(hub, undefined, { web: demo });
    server = serveHub({ fetch: app.fetch }, { hostname: '127.0.0.1', port: 0 });
    await new Promise((r) => server.once('listening', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    server?.close();
    await hub?.close();
  });

  it('a target naming another host than the trusted Host header is refused as an untrusted host (400), not a 500', async () => {
    const answer = await raw(port, 'http://evil.example/mcp', 'localhost');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('untrusted-host');
    expect(answer).toContain('the Host header names evil.example');
    // the same target form naming the trusted host is answered as usual: a challenge to sign in
    const same = await raw(port, `http://localhost:${port}/mcp`, `localhost:${port}`);
    expect(same).toMatch(/^HTTP\/1\.1 401 /);
    expect(same).toContain(`resource_metadata="http://localhost:${port}/.well-known/oauth-protected-resource/mcp"`);
  });

  it('a target naming a user or password is a 400 saying so, on any route, not a 500 (fuzz round 6)', async () => {
    for (const [method, target] of [
      ['POST', 'http://localhost@evil.example/mcp'],
      ['POST', 'http://evil.example:80@localhost/mcp'],
      ['GET', 'http://u:p@localhost/api/groups'],
      ['GET', `http://u@localhost:${port}/`],
    ] as const) {
      const answer = await raw(port, target, 'localhost', method);
      expect(answer, target).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer, target).toContain('the request target must not name a user or password');
    }
    // the next request on a new connection is served as ever
    expect(await raw(port, '/api/groups', 'localhost', 'GET')).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('a target or Host header no address can be made of is a 400 naming the rule, not a bare 400 with no body (attack round 21)', async () => {
    const send = (head: string) => rawRequest(port, `${head}\r\nConnection: close\r\n\r\n`);
    for (const [head, rule] of [
      ['OPTIONS * HTTP/1.1\r\nHost: localhost', 'the request target must be a path starting with /'],
      ['GET http:// HTTP/1.1\r\nHost: localhost', 'the request target is no http or https address'],
      [
        'GET http://localhost:99999/api/groups HTTP/1.1\r\nHost: localhost',
        'the request target is no http or https address',
      ],
      ['GET https://[::1/api HTTP/1.1\r\nHost: localhost', 'the request target is no http or https address'],
      ['GET /api/groups HTTP/1.1', 'an HTTP/1.1 request names its host in a Host header'],
      [
        'GET /api/groups HTTP/1.1\r\nHost: a b',
        'the Host header must name a host, with a port of at most 65535 if any',
      ],
      ['GET /api/groups HTTP/1.1\r\nHost: [::1', 'the Host header must name a host'],
      ['GET /api/groups HTTP/1.1\r\nHost: localhost:99999', 'the Host header must name a host'],
      // the rest the adapter refuses is answered alike, its reason quoted
      ['GET /api/groups HTTP/1.1\r\nHost: ex%41mple', "the request's address cannot be read (Invalid host header)"],
      ['GET /a\\b HTTP/1.1\r\nHost: localhost', "the request's address cannot be read (Backslash in request path)"],
    ] as const) {
      const answer = await send(head);
      expect(answer, head).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer, head).toMatch(/content-type: application\/problem\+json/i);
      expect(answer, head).toContain(rule);
    }
    // HTTP/1.0 needs no Host, and an empty one is the listening address
    expect(await send('GET /api/groups HTTP/1.0')).toMatch(/^HTTP\/1\.1 200 /);
    expect(await send('GET /api/groups HTTP/1.1\r\nHost:')).toMatch(/^HTTP\/1\.1 200 /);
  });
});
