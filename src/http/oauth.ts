// The OAuth endpoints an MCP client finds from /mcp's 401 (the MCP authorization spec): the
// protected resource metadata (RFC 9728), the authorization server metadata (RFC 8414), client
// registration (RFC 7591), the token endpoint and token revocation (RFC 7009). The authorization
// endpoint is a web page (src/http/web/pages/oauth-authorize.ts): it needs the person's session.
// The rules are in src/app/people/oauth.ts. Browser clients (the MCP Inspector's web UI) call all of
// these from their own origin, with no cookie: each answers with CORS for any origin.
import type { Context, Hono } from 'hono';
import { cors } from 'hono/cors';
import type { OAuthMetadata } from '@modelcontextprotocol/server';
import type { Hub } from '../app/core/hub.ts';
import { exchangeCode, OAuthRefusal, refreshTokens, registerClient, revokeByClient } from '../app/people/oauth.ts';
import { LOOPBACK_NAMES } from '../domain/addresses.ts';
import { repeatedKey } from '../domain/json.ts';
import { OAUTH } from '../domain/oauth.ts';
import { fieldOf } from '../domain/rule-wording.ts';
import { NOT_UTF8, utf8Text } from '../domain/text.ts';
import { jsonContentTypeRule } from './problem.ts';
import { problemResponse } from './guards.ts';

/** The loopback names: a request naming one comes from this machine (or a forged one can only name it). */

/** A Host header the hub may not build its OAuth addresses from (said as a 400, naming the rule). */
export class UntrustedHost extends Error {}

/**
 * The hub's origin as clients reach it: WGHUB_PUBLIC_URL behind a proxy, else the request's own,
 * but only for a host the operator trusts (`trustedHosts`: the loopback names, the listen address,
 * WGHUB_ALLOWED_HOSTS). Any other Host header could be anyone's, and a cache in front that keys on
 * the path alone would hand every client metadata naming that host as the issuer.
 */
export function hubOrigin(
  publicUrl: string | null | undefined,
  requestUrl: string,
  trustedHosts: readonly string[] = LOOPBACK_NAMES,
): string {
  if (publicUrl) return new URL(publicUrl).origin;
  const u = new URL(requestUrl);
  const host = u.hostname.toLowerCase();
  if (!LOOPBACK_NAMES.includes(host) && !trustedHosts.includes(host))
    throw new UntrustedHost(
      `the Host header names ${host.slice(0, 100)}, which this hub does not build its own addresses from (OAuth, sign-in, calendar feeds): with WGHUB_PUBLIC_URL unset it trusts only localhost, 127.0.0.1, [::1], a specific address it listens on (not 0.0.0.0 or ::), a --mcp-allowed-host and the hosts in WGHUB_ALLOWED_HOSTS; set WGHUB_PUBLIC_URL to the address clients reach it by, or list the host in WGHUB_ALLOWED_HOSTS`,
    );
  return u.origin;
}

/** The hub's origin, or null when the Host header names a host the hub does not trust (links in an answer are then left out). */
export function trustedHubOrigin(
  publicUrl: string | null | undefined,
  requestUrl: string,
  trustedHosts: readonly string[] = LOOPBACK_NAMES,
): string | null {
  try {
    return hubOrigin(publicUrl, requestUrl, trustedHosts);
  } catch (e) {
    if (e instanceof UntrustedHost) return null;
    throw e;
  }
}

/** The 400 answered for an untrusted Host header, as problem details. */
export function untrustedHostResponse(e: UntrustedHost): Response {
  return problemResponse(400, 'untrusted-host', 'Untrusted Host header', e.message);
}

/** The protected resource: this hub's MCP endpoint (RFC 8707's resource indicator for its tokens). */
export const mcpResource = (origin: string) => `${origin}/mcp`;

/** Where /mcp's 401 sends a client to learn about its authorization server (RFC 9728 §5.1, path-aware). */
export const resourceMetadataUrl = (origin: string) => `${origin}/.well-known/oauth-protected-resource/mcp`;

/** The authorization server's metadata (RFC 8414): the hub is its own, with its own sign-in. */
export function authorizationServerMetadata(origin: string): OAuthMetadata {
  return {
    issuer: origin,
    authorization_endpoint: `${origin}/oauth/authorize`,
    token_endpoint: `${origin}/oauth/token`,
    registration_endpoint: `${origin}/oauth/register`,
    revocation_endpoint: `${origin}/oauth/revoke`,
    scopes_supported: [OAUTH.scope],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['none'],
    revocation_endpoint_auth_methods_supported: ['none'],
    code_challenge_methods_supported: ['S256'],
    service_documentation: `${origin}/developers`,
    authorization_response_iss_parameter_supported: true,
    // a client may name itself by the https URL of its metadata (src/app/people/client-metadata.ts)
    client_id_metadata_document_supported: true,
  } as OAuthMetadata;
}

const noStore = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

function refusal(e: OAuthRefusal): Response {
  return Response.json(
    { error: e.error, error_description: e.description },
    {
      status: e.status,
      headers: { ...noStore, ...(e.status === 401 ? { 'WWW-Authenticate': 'Basic realm="wghub"' } : {}) },
    },
  );
}

/**
 * A form-encoded request body (RFC 6749 §3.2): parameters sent twice are refused, as the RFC says,
 * rather than one of them being picked.
 */
async function formOf(c: Context): Promise<Record<string, string>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\b/i.test(type))
    throw new OAuthRefusal('invalid_request', 'the body must be application/x-www-form-urlencoded');
  const params = new URLSearchParams(await c.req.text());
  const out: Record<string, string> = {};
  for (const [k, v] of params) {
    if (k in out) throw new OAuthRefusal('invalid_request', `${k.slice(0, 40)} is sent more than once`);
    out[k] = v;
  }
  return out;
}

export function mountOAuth(
  app: Hono,
  hub: Hub,
  opts: { publicUrl?: string | null; trustedHosts?: readonly string[] } = {},
): void {
  const originOf = (c: Context) => hubOrigin(opts.publicUrl, c.req.url, opts.trustedHosts);
  // RFC 9728 and RFC 8414 through the SDK's own helper (CORS for any origin, 405 for other methods,
  // the preflight); the root document too, for clients that look there first (the hub protects one
  // resource, its /mcp)
  const metadata = async (c: Context, next: () => Promise<void>) => {
    const { oauthMetadataResponse } = await import('@modelcontextprotocol/server');
    let origin: string;
    try {
      origin = originOf(c);
    } catch (e) {
      if (e instanceof UntrustedHost) return untrustedHostResponse(e);
      throw e;
    }
    const options = {
      oauthMetadata: authorizationServerMetadata(origin),
      resourceServerUrl: new URL(mcpResource(origin)),
      // what a client's consent screen names: the community people know, not the software
      resourceName: hub.governance.community.name,
      scopesSupported: [OAUTH.scope],
      serviceDocumentationUrl: new URL(`${origin}/developers`),
      // an http hub (on a LAN name, or in tests) is the operator's choice; clients decide whether to trust it
      dangerouslyAllowInsecureIssuerUrl: true,
    };
    const path = new URL(c.req.url).pathname.replace(/\/$/, '');
    // a method fetch cannot carry (TRACE) cannot be copied to the resource's own address
    // below (the copy threw, a 500): refused here as the SDK refuses any other method it does not take
    if (/^(TRACE|CONNECT)$/i.test(c.req.method))
      return c.json(
        {
          error: 'method_not_allowed',
          error_description: `The method ${c.req.method.toUpperCase()} is not allowed for this endpoint`,
        },
        405,
        { Allow: 'GET, HEAD, OPTIONS', 'Access-Control-Allow-Origin': '*' },
      );
    const req =
      path === '/.well-known/oauth-protected-resource'
        ? new Request(new URL('/.well-known/oauth-protected-resource/mcp', c.req.url), c.req.raw)
        : c.req.raw;
    const res = oauthMetadataResponse(req, options);
    if (!res) return next();
    return res;
  };
  for (const path of [
    '/.well-known/oauth-protected-resource',
    '/.well-known/oauth-protected-resource/mcp',
    '/.well-known/oauth-authorization-server',
  ])
    app.all(path, metadata);

  const browsers = cors({
    origin: '*',
    allowMethods: ['POST'],
    allowHeaders: ['Content-Type', 'Authorization', 'MCP-Protocol-Version'],
    maxAge: 600,
  });
  app.use('/oauth/register', browsers);
  app.use('/oauth/token', browsers);
  app.use('/oauth/revoke', browsers);

  app.post('/oauth/register', async (c) => {
    const bytes = await c.req.arrayBuffer();
    try {
      if (bytes.byteLength > OAUTH.registrationBytes)
        throw new OAuthRefusal(
          'invalid_client_metadata',
          `a registration may be at most ${OAUTH.registrationBytes} bytes`,
        );
      // RFC 7591 §3.1: the metadata is sent as application/json, which is UTF-8 (RFC 8259). Any type
      // was read as JSON and any bytes leniently: a name sent in Latin-1 reached the consent page
      // with U+FFFD in its letters, or other letters than sent (attack round 21)
      const media = jsonContentTypeRule(c.req.header('content-type'));
      if (media) throw new OAuthRefusal('invalid_client_metadata', `Content-Type ${media}`);
      const text = utf8Text(bytes);
      if (text === null) throw new OAuthRefusal('invalid_client_metadata', `the body ${NOT_UTF8}`);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new OAuthRefusal('invalid_client_metadata', 'the body must be a JSON object');
      }
      // as on REST and /mcp: redirect_uris given twice would be registered as the last, where the
      // client's own reading (or a proxy's) may take the first
      const twice = repeatedKey(text);
      if (twice)
        throw new OAuthRefusal(
          'invalid_client_metadata',
          `the body names ${fieldOf(twice)} twice in one object; each key is given once`,
        );
      return c.json(await registerClient(hub, body), 201, noStore);
    } catch (e) {
      if (e instanceof OAuthRefusal) return refusal(e);
      throw e;
    }
  });

  app.post('/oauth/token', async (c) => {
    try {
      const form = await formOf(c);
      if (c.req.header('authorization'))
        throw new OAuthRefusal(
          'invalid_client',
          'clients of this hub are public (token_endpoint_auth_method none): send client_id in the body, and no Authorization header',
          401,
        );
      const grant = form.grant_type;
      if (grant === 'authorization_code') return c.json(await exchangeCode(hub, form), 200, noStore);
      if (grant === 'refresh_token') return c.json(await refreshTokens(hub, form), 200, noStore);
      throw grant
        ? new OAuthRefusal(
            'unsupported_grant_type',
            `grant_type must be authorization_code or refresh_token; ${grant.slice(0, 60)} is not offered`,
          )
        : new OAuthRefusal('invalid_request', 'grant_type is required');
    } catch (e) {
      if (e instanceof OAuthRefusal) return refusal(e);
      throw e;
    }
  });

  app.post('/oauth/revoke', async (c) => {
    try {
      await revokeByClient(hub, await formOf(c));
      return c.body(null, 200, noStore);
    } catch (e) {
      if (e instanceof OAuthRefusal) return refusal(e);
      throw e;
    }
  });
}
