// An MCP client that signs in with OAuth as Claude or the Inspector do: the SDK's own `auth()` flow
// through an in-memory OAuthClientProvider, and the person's browser step (the consent page) done
// with the session cookie of a signed-in person.
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthClientProvider,
  OAuthDiscoveryState,
  StoredOAuthClientInformation,
  StoredOAuthTokens,
} from '@modelcontextprotocol/client';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerType } from '@hono/node-server';
import { serve } from '../support/serve-test.ts';
import type { Hub } from '../../src/app/core/hub.ts';
import { startWebSession } from '../../src/app/people/web-sessions.ts';
import { personRow } from '../../src/app/people/people.ts';

export class MemoryProvider implements OAuthClientProvider {
  client: StoredOAuthClientInformation | undefined;
  saved: StoredOAuthTokens | undefined;
  verifier = '';
  discovery: OAuthDiscoveryState | undefined;
  /** Where the client sent the person's browser (the authorization request). */
  authorizationUrl: URL | undefined;
  readonly redirect: string;
  readonly name: string;
  /** A Client ID Metadata Document's URL: the SDK uses it as client_id where the hub supports them. */
  readonly clientMetadataUrl: string | undefined;
  constructor(redirect = 'http://127.0.0.1:47123/callback', name = 'Test Assistant', clientMetadataUrl?: string) {
    this.redirect = redirect;
    this.name = name;
    this.clientMetadataUrl = clientMetadataUrl;
  }
  get redirectUrl() {
    return this.redirect;
  }
  get clientMetadata(): OAuthClientMetadata {
    return { client_name: this.name, redirect_uris: [this.redirect] } as OAuthClientMetadata;
  }
  state() {
    return 'state-from-the-client-0123';
  }
  clientInformation() {
    return this.client;
  }
  saveClientInformation(info: StoredOAuthClientInformation | OAuthClientInformationMixed) {
    this.client = info as StoredOAuthClientInformation;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(t: StoredOAuthTokens) {
    this.saved = t;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(v: string) {
    this.verifier = v;
  }
  codeVerifier() {
    return this.verifier;
  }
  saveDiscoveryState(s: OAuthDiscoveryState) {
    this.discovery = s;
  }
  discoveryState() {
    return this.discovery;
  }
}

/** A signed-in person's browser: their session cookie and the CSRF token their forms carry. */
export async function browserOf(hub: Hub, handle: string): Promise<{ cookie: string; csrf: string }> {
  const p = await personRow(hub.store.db, handle);
  const s = await startWebSession(hub, p.id, 'demo', 24);
  return { cookie: `wghub_session=${s.secret}`, csrf: s.csrfToken };
}

/** The hidden fields of the consent page's Allow/Deny form. */
export function consentFields(page: string): Record<string, string> {
  const form = /<form method="post" action="\/oauth\/authorize">([\s\S]*?)<\/form>/.exec(page)?.[1] ?? '';
  const out: Record<string, string> = {};
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    out[m[1]!] = m[2]!
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  return out;
}

/**
 * The person's browser step: opens the authorization URL signed in, reads the consent page and
 * answers it; returns the page and where the hub sent the browser (the client's callback).
 */
export async function consent(
  authorizationUrl: URL | string,
  browser: { cookie: string; csrf?: string },
  decision: 'allow' | 'deny' = 'allow',
): Promise<{ page: string; status: number; callback: URL | null }> {
  const shown = await fetch(authorizationUrl, { headers: { cookie: browser.cookie }, redirect: 'manual' });
  const page = await shown.text();
  if (shown.status !== 200) {
    const to = shown.headers.get('location');
    return { page, status: shown.status, callback: to ? new URL(to, authorizationUrl) : null };
  }
  const fields = consentFields(page);
  const answer = await fetch(new URL('/oauth/authorize', authorizationUrl), {
    method: 'POST',
    headers: {
      cookie: browser.cookie,
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: new URL(authorizationUrl).origin,
    },
    body: new URLSearchParams({ ...fields, decision }),
    redirect: 'manual',
  });
  const to = answer.headers.get('location');
  return { page, status: answer.status, callback: to ? new URL(to) : null };
}

export function listen(
  fetchFn: (r: Request) => Response | Promise<Response>,
): Promise<{ origin: string; server: ServerType }> {
  const server = serve({ fetch: fetchFn, hostname: '127.0.0.1', port: 0 });
  return new Promise((resolve) =>
    server.once('listening', () =>
      resolve({ origin: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server }),
    ),
  );
}

/** A token request as a client sends it (form-encoded). */
export function tokenRequest(origin: string, params: Record<string, string>) {
  return fetch(`${origin}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
}

/**
 * An https server on the loopback, as a client's web site serving its Client ID Metadata Document:
 * a certificate for `localhost` made for this run (openssl), which the hub is told to trust, and
 * the documents it serves by path (status, headers and body each), with every request it received.
 */
export async function documentHost(): Promise<{
  origin: string;
  ca: string;
  serve: Map<string, { status?: number; headers?: Record<string, string>; body: string; delayMs?: number }>;
  asked: string[];
  close(): Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'wghub-cimd-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  const key = readFileSync(join(dir, 'key.pem'), 'utf8');
  const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  rmSync(dir, { recursive: true, force: true });
  const serve = new Map<
    string,
    { status?: number; headers?: Record<string, string>; body: string; delayMs?: number }
  >();
  const asked: string[] = [];
  const server = createHttpsServer({ key, cert }, (req, res) => {
    asked.push(req.url ?? '');
    const doc = serve.get(req.url ?? '');
    const answer = () => {
      if (!doc) return res.writeHead(404).end('not here');
      res.writeHead(doc.status ?? 200, { 'Content-Type': 'application/json', ...doc.headers }).end(doc.body);
    };
    if (doc?.delayMs) setTimeout(answer, doc.delayMs).unref();
    else answer();
  });
  // both loopback addresses: `localhost` may resolve to either
  await new Promise<void>((r) => server.listen({ port: 0, host: '::', ipv6Only: false }, r));
  const port = (server.address() as { port: number }).port;
  return {
    origin: `https://localhost:${port}`,
    ca: cert,
    serve,
    asked,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
