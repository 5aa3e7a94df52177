// Streamable HTTP at /mcp on the hub's own port. The SDK's handler serves 2026-07-28 clients
// per request and 2025-11-25 clients through its stateless fallback; a fresh server is built
// for every request, so any number of hub processes can serve the same client.
import { hostHeaderValidation, originValidation } from '@modelcontextprotocol/hono';
import { createMcpHandler, localhostAllowedHostnames, localhostAllowedOrigins } from '@modelcontextprotocol/server';
import type { Hono } from 'hono';
import type { Actor, Hub } from '../app/hub.ts';
import { authenticate } from '../app/tokens.ts';
import { Unauthenticated } from '../domain/errors.ts';
import { createWghubMcpServer } from './server.ts';

export type McpHttpOptions = {
  /** Host names (no port) the endpoint answers to; anything else is refused (DNS rebinding). */
  allowedHosts?: string[];
  /** Origin host names browsers may call from; requests without Origin (non-browser clients) pass. */
  allowedOrigins?: string[];
  /** Serve read-only tools and resources without a token, like the REST reads (writes still need one). */
  anonymousReads?: boolean;
};

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Which hosts to accept: loopback names for a loopback bind, otherwise the bind address and those configured. */
export function allowedHostsFor(bindHost: string, extra: string[] = []): string[] {
  if (LOOPBACK.has(bindHost)) return [...localhostAllowedHostnames(), ...extra];
  return [bindHost, ...extra].filter((h) => h !== '0.0.0.0' && h !== '::');
}

function unauthorized(detail: string, error?: 'invalid_token'): Response {
  const challenge = error ? `Bearer realm="wghub", error="${error}", error_description="${detail.replace(/"/g, "'")}"` : 'Bearer realm="wghub"';
  return new Response(JSON.stringify({ type: 'urn:wghub:problem:unauthenticated', title: 'An API token is needed', status: 401, detail }), {
    status: 401,
    headers: { 'Content-Type': 'application/problem+json', 'WWW-Authenticate': challenge },
  });
}

export function mountMcp(app: Hono, hub: Hub, opts: McpHttpOptions = {}): void {
  const hosts = opts.allowedHosts ?? localhostAllowedHostnames();
  const origins = opts.allowedOrigins ?? localhostAllowedOrigins();
  const handler = createMcpHandler(({ authInfo }) => createWghubMcpServer(hub, { actor: (authInfo?.extra?.actor as Actor | undefined) ?? null }), {
    onerror: (e) => console.error('wghub mcp:', e.message),
  });
  // DNS rebinding protection first: a foreign Host or browser Origin gets 403 before anything else
  app.use('/mcp', hostHeaderValidation(hosts), originValidation(origins));
  app.all('/mcp', async (c) => {
    const req = c.req.raw;
    const header = req.headers.get('authorization');
    if (!header) {
      if (!opts.anonymousReads) return unauthorized('/mcp needs an API token: create one with `wghub token create --person HANDLE` and send "Authorization: Bearer TOKEN"');
      return handler.fetch(req);
    }
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) return unauthorized('the Authorization header must be "Bearer TOKEN"', 'invalid_token');
    let actor: Actor;
    try {
      actor = { kind: 'person', person: await authenticate(hub, m[1]!) };
    } catch (e) {
      if (e instanceof Unauthenticated) return unauthorized(e.message, 'invalid_token');
      throw e;
    }
    return handler.fetch(req, { authInfo: { token: m[1]!, clientId: actor.person.handle, scopes: [], extra: { actor } } });
  });
}
