// What attack round 30 found at the hub's edges, on both databases: a request sending two Host
// headers was served by the first, where a proxy in front may read the last (RFC 9112 §3.2 says
// 400); a JSON body whose Content-Type header came twice was told "another was sent", though JSON's
// was, twice; two Authorization headers were joined and told "must be Bearer TOKEN"; OAuth
// registration took a redirect on port 0 and filled in `response_types: []` or `grant_types: null`
// with the defaults; an MCP tool's single problem was said twice.
import type { ServerType } from '@hono/node-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { serveHub } from '../../src/http/node-server.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub, type TestHub } from '../support/hub.ts';
import { rawRequest } from '../support/raw-http.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: false, sessionHours: 24 };

/** A request written to a real socket as given (fetch cannot send a header twice), and the whole answer. */
function send(port: number, head: string, body = ''): Promise<string> {
  return rawRequest(port, `${head}\r\nConnection: close\r\n\r\n${body}`);
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
      // with a charset on either: it was told "charset=… was sent" or "charset was named 2 times"
      ['application/json;charset=utf-8', 'application/json'],
      ['application/json; charset=utf-8', 'application/json; charset=utf-8'],
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
      expect(answer, types.join()).not.toMatch(/another was sent|charset/);
    }
    expect(await proposals()).toBe(before);
  });

  const register = async (body: unknown) => {
    // these tests register faster than one address may
    const limits = hub.governance.rateLimits;
    hub.governance.rateLimits = {
      ...limits,
      registrations: 10_000,
      perSecond: { ...limits.perSecond, registrations: 10_000 },
    };
    const r = await fetch(`http://127.0.0.1:${port}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
  const clients = async () => (await hub.store.db.selectFrom('oauth_clients').select('client_id').execute()).length;

  it('a client registering a redirect on port 0 is refused naming the rule chat webhooks keep: no client can listen there, and it was registered', async () => {
    const before = await clients();
    for (const uri of [
      'http://127.0.0.1:0/cb',
      'http://localhost:00/cb',
      'http://[::1]:0/cb',
      'https://app.example:0/cb',
    ]) {
      const answer = await register({ redirect_uris: ['https://ok.example/cb', uri] });
      expect(answer.status, uri).toBe(400);
      expect(answer.body, uri).toEqual({
        error: 'invalid_redirect_uri',
        error_description: 'redirect_uris[1]: must name a port from 1 to 65535, or none (port 0 reaches nothing)',
      });
    }
    expect(await clients()).toBe(before);
    // a loopback port of its own, or none, is registered as ever
    const ok = await register({ redirect_uris: ['http://127.0.0.1:8123/cb', 'http://localhost/cb'] });
    expect(ok.status).toBe(201);
  });

  it('grant_types or response_types sent empty, null or not a list is refused naming the field, not filled in with the defaults; left out, they default', async () => {
    const before = await clients();
    const uris = ['https://ok.example/cb'];
    for (const [field, value, rule] of [
      ['response_types', [], 'must not be an empty list (leave it out for the default)'],
      ['grant_types', [], 'must not be an empty list (leave it out for the default)'],
      ['grant_types', null, 'must be a list of strings (leave it out for the default)'],
      ['response_types', null, 'must be a list of strings (leave it out for the default)'],
      ['response_types', 'code', 'must be a list of strings (leave it out for the default)'],
      ['grant_types', [1], 'must be a list of strings (leave it out for the default)'],
    ] as const) {
      const answer = await register({ redirect_uris: uris, [field]: value });
      expect(answer.status, `${field} ${JSON.stringify(value)}`).toBe(400);
      expect(answer.body, `${field} ${JSON.stringify(value)}`).toEqual({
        error: 'invalid_client_metadata',
        error_description: `${field}: ${rule}`,
      });
    }
    expect(await clients()).toBe(before);
    const ok = await register({ redirect_uris: uris, tos_uri: 42, logo_uri: 'javascript:alert(1)', contacts: 'x' });
    expect(ok.status).toBe(201);
    expect(ok.body.grant_types).toEqual(['authorization_code', 'refresh_token']);
    expect(ok.body.response_types).toEqual(['code']);
    // the fields the hub does not use are neither answered nor kept
    for (const field of ['tos_uri', 'logo_uri', 'contacts']) expect(ok.body).not.toHaveProperty(field);
    const row = await hub.store.db
      .selectFrom('oauth_clients')
      .select('metadata')
      .where('client_id', '=', ok.body.client_id as string)
      .executeTakeFirstOrThrow();
    expect(String(row.metadata)).not.toMatch(/tos_uri|logo_uri|contacts|javascript/);
  });

  it('a request whose Authorization header came twice is a 400 saying so, whether the two agree or not: it was a 401 saying it "must be Bearer TOKEN"', async () => {
    const local = `localhost:${port}`;
    const body = JSON.stringify({
      title: 'Two credentials at once',
      problem: 'A request that carries two credentials should not be read as either.',
      layer: 'specification',
      group: 'hosting',
    });
    const before = await proposals();
    for (const [second, target] of [
      [token, '/api/proposals'],
      ['wgh_someone_else', '/api/proposals'],
      [token, '/mcp'],
    ] as const) {
      const answer = await send(
        port,
        `POST ${target} HTTP/1.1\r\nHost: ${local}\r\nAuthorization: Bearer ${token}\r\nauthorization: Bearer ${second}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: ${Buffer.byteLength(body)}`,
        body,
      );
      expect(answer, target).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer, target).toMatch(/content-type: application\/problem\+json/i);
      expect(answer, target).toContain(
        'a request carries its credentials in one Authorization header (RFC 9110 §5.3, §11.6.2); this one sent 2: send one',
      );
      expect(answer, target).not.toContain('must be \\"Bearer TOKEN\\"');
    }
    expect(await proposals()).toBe(before);
    // where no server in front refuses it, the app is handed the two joined: it says they came twice
    const app = createHttpApp(hub, undefined, { web: demo });
    const joined = await app.request('http://localhost/api/proposals', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}, Bearer ${token}`, 'content-type': 'application/json' },
      body,
    });
    expect(joined.status).toBe(401);
    expect(((await joined.json()) as { detail: string }).detail).toBe(
      'the Authorization header must be sent once, as "Bearer TOKEN"; it came more than once (the header twice, or a list of credentials)',
    );
    expect(await proposals()).toBe(before);
    // one, as ever, acts
    const one = await send(
      port,
      `POST /api/proposals HTTP/1.1\r\nHost: ${local}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}`,
      body,
    );
    expect(one).toMatch(/^HTTP\/1\.1 201 /);
  });

  /** An MCP tool call over /mcp as sam-lead, and the text of its answer. */
  const callTool = async (name: string, args: Record<string, unknown>) => {
    const r = await fetch(`http://127.0.0.1:${port}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
    });
    const raw = await r.text();
    const json = raw.startsWith('{') ? raw : /^data: (.*)$/m.exec(raw)![1]!;
    const result = (JSON.parse(json) as { result: { isError?: boolean; content: { text: string }[] } }).result;
    return { isError: result.isError, text: result.content[0]!.text };
  };

  it('an MCP tool refusing one argument says its problem once, not in the first line and again in a list; several are counted and each listed once', async () => {
    const one = await callTool('list_proposals', { group: 'x'.repeat(100) });
    expect(one.isError).toBe(true);
    const rule = /group: [^\n]+/.exec(one.text)![0];
    expect(one.text.startsWith(`invalid input: ${rule}\n`), one.text).toBe(true);
    expect(one.text.split(rule)).toHaveLength(2);
    expect(one.text).not.toMatch(/^ {2}- /m);
    const two = await callTool('list_proposals', { group: 'x'.repeat(100), limit: 0 });
    expect(two.isError).toBe(true);
    expect(two.text, two.text).toMatch(/^invalid input: 2 problems:\n {2}- /);
    expect(two.text).toMatch(/^ {2}- limit: [^\n]+$/m);
    expect(two.text).toContain(`\n  - ${rule}\n`);
    expect(two.text.split(rule)).toHaveLength(2);
  });
});
