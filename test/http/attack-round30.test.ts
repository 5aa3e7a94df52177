// What attack round 30 found at the hub's edges, on both databases: a request sending two Host
// headers was served by the first, where a proxy in front may read the last (RFC 9112 §3.2 says
// 400); a JSON body whose Content-Type header came twice was told "another was sent", though JSON's
// was, twice.
import { connect } from 'node:net';
import type { ServerType } from '@hono/node-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { serveHub } from '../../src/http/node-server.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub, type TestHub } from '../support/hub.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: false, sessionHours: 24 };

/** A request written to a real socket as given (fetch cannot send a header twice), and the whole answer. */
function send(port: number, head: string, body = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let received = '';
    socket.on('data', (d) => {
      received += d.toString('utf8');
    });
    socket.on('end', () => resolve(received));
    socket.on('error', reject);
    socket.write(`${head}\r\nConnection: close\r\n\r\n${body}`);
  });
}

describe.each(databases)('attack round 30 on $name', (database) => {
  let hub: TestHub;
  let server: ServerType;
  let port: number;
  let token: string;
  beforeEach(async () => {
    hub = await openDemoHub(database);
    token = (await createToken(hub, SYSTEM, 'sam-lead')).token;
    server = serveHub(
      { fetch: createHttpApp(hub, undefined, { web: demo }).fetch },
      { hostname: '127.0.0.1', port: 0 },
    );
    await new Promise((r) => server.once('listening', r));
    port = (server.address() as { port: number }).port;
  });
  afterEach(async () => {
    server?.close();
    await hub?.close();
  });
  const proposals = async () => (await hub.store.db.selectFrom('proposals').select('id').execute()).length;

  it('a request with two Host headers is a 400 naming the rule, whichever comes first and whatever the target: it was served by the first', async () => {
    const local = `localhost:${port}`;
    for (const head of [
      `GET /.well-known/oauth-protected-resource HTTP/1.1\r\nHost: ${local}\r\nHost: localhost:1`,
      `GET /api/groups HTTP/1.1\r\nHost: ${local}\r\nhost: ${local}`,
      `GET http://${local}/api/groups HTTP/1.1\r\nHost: ${local}\r\nHOST: evil.example`,
    ]) {
      const answer = await send(port, head);
      expect(answer, head).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer, head).toMatch(/content-type: application\/problem\+json/i);
      expect(answer, head).toContain('a request names its host in one Host header (RFC 9112 §3.2); this one sent 2');
      // the OAuth addresses of neither host were given out
      expect(answer, head).not.toContain('authorization_servers');
    }
    // a write sent so stores nothing
    const body = JSON.stringify({
      title: 'Two hosts at once',
      problem: 'A request that names two hosts should not be read as the first.',
      layer: 'specification',
      group: 'hosting',
    });
    const before = await proposals();
    const write = await send(
      port,
      `POST /api/proposals HTTP/1.1\r\nHost: ${local}\r\nHost: ${local}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}`,
      body,
    );
    expect(write).toMatch(/^HTTP\/1\.1 400 /);
    expect(await proposals()).toBe(before);
    // one Host, as ever, is served
    const one = await send(port, `GET /.well-known/oauth-protected-resource HTTP/1.1\r\nHost: ${local}`);
    expect(one).toMatch(/^HTTP\/1\.1 200 /);
    expect(one).toContain(`"authorization_servers":["http://${local}"]`);
  });

  it('a JSON body whose Content-Type header came twice is told the header came more than once, not that another type was sent, and nothing is stored', async () => {
    const body = JSON.stringify({
      title: 'Twice the type',
      problem: 'A body whose type header is sent twice is refused, and says why.',
      layer: 'specification',
      group: 'hosting',
    });
    const before = await proposals();
    for (const types of [
      ['application/json', 'application/json'],
      ['application/json', 'text/plain'],
    ]) {
      const answer = await send(
        port,
        `POST /api/proposals HTTP/1.1\r\nHost: localhost:${port}\r\nAuthorization: Bearer ${token}\r\n${types.map((t) => `Content-Type: ${t}`).join('\r\n')}\r\nContent-Length: ${Buffer.byteLength(body)}`,
        body,
      );
      expect(answer, types.join()).toMatch(/^HTTP\/1\.1 415 /);
      expect(answer, types.join()).toContain(
        'must be application/json (UTF-8) for a request with a body; more than one was sent (the header twice, or a list of types)',
      );
      expect(answer, types.join()).not.toContain('another was sent');
    }
    expect(await proposals()).toBe(before);
  });
});
