// An MCP client's OAuth authorization (src/http/web/pages/oauth-authorize.ts) clicked through in
// Chromium: the client registers with a loopback redirect URI served here by node:http, a visitor
// opens its authorization URL, signs in as a demo person, answers the consent page, and the browser
// follows the hub's 303 to the loopback. Chromium applies the page's CSP form-action to that
// redirect, so the consent page must name the client's origin there, or Allow goes nowhere (and an
// app's own scheme, cursor:, the same). Last, the MCP SDK client's own OAuth flow against this
// running hub, its person's part clicked through here.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import { MemoryProvider } from '../mcp/oauth-support.ts';
import { chromiumOnHub, screenshot, seriousViolations } from '../support/browser.ts';

const { hub, browser } = chromiumOnHub();

/** The requests the client's loopback listener received, as URLs. */
const received: URL[] = [];
let loopback: Server;
let port: number;
/** The client's redirect URI on a loopback address (RFC 8252 §7.3 allows 127.0.0.1, [::1] and localhost). */
const redirectOn = (host: string) => `http://${host}:${port}/callback`;

beforeAll(async () => {
  loopback = createServer((req, res) => {
    received.push(new URL(req.url ?? '/', `http://${req.headers.host}`));
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Connected</title><h1>You may close this window</h1>');
  });
  // both loopback addresses, IPv4 and IPv6
  await new Promise<void>((r) => loopback.listen({ port: 0, host: '::', ipv6Only: false }, r));
  port = (loopback.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((r) => loopback?.close(r));
});

/** Registers a client (RFC 7591) and builds its authorization URL with PKCE S256 for the hub's /mcp. */
async function startAuthorization(name: string, redirectUri: string) {
  const registered = await fetch(`${hub.base}/oauth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ client_name: name, redirect_uris: [redirectUri] }),
  });
  expect(registered.status).toBe(201);
  const { client_id } = (await registered.json()) as { client_id: string };
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const url = new URL(`${hub.base}/oauth/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id,
    redirect_uri: redirectUri,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state,
    resource: `${hub.base}/mcp`,
    scope: 'mcp',
  }).toString();
  return { clientId: client_id, verifier, state, url: url.href, redirectUri };
}

/** A visitor opens the authorization URL, is sent to sign in, signs in as Priya and is brought back. */
async function signInToConsent(url: string, name: string, redirectUri: string, page = browser.page) {
  await browser.context.clearCookies();
  await page.goto(url);
  expect(new URL(page.url()).pathname).toBe('/sign-in');
  await page.getByRole('button', { name: 'Sign in as Priya Nair' }).click();
  await page.getByRole('heading', { level: 1, name: `Allow ${name} to act as you?` }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/oauth/authorize');
  const main = await page.getByRole('main').textContent();
  expect(main).toContain('Unverified application');
  expect(main).toMatch(new RegExp(`${name}\\s*unverified`));
  const u = new URL(redirectUri);
  expect(main).toContain(
    u.protocol === 'http:'
      ? `Sends you back to${u.host}`
      : `Sends you back toan app on your computer: ${redirectUri} (your browser may ask whether to open it)`,
  );
  expect(main).toContain('Priya Nair (@priya)');
}

/** Waits for the browser to land on the loopback, and returns what the listener received there. */
async function callback(redirectUri: string): Promise<URL> {
  await browser.page.waitForURL((u) => u.href.startsWith(redirectUri), { timeout: 5_000 });
  await browser.page.getByRole('heading', { name: 'You may close this window' }).waitFor();
  // Chromium also asks the loopback for /favicon.ico; the client's callback is asked for once
  const calls = received.filter((u) => u.pathname === '/callback');
  received.length = 0;
  expect(calls.map((u) => u.pathname + u.search)).toHaveLength(1);
  return calls[0]!;
}

async function mcp(token: string, body: unknown) {
  const res = await fetch(`${hub.base}/mcp`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      // the version initialize agreed, as a client sends it on every later request: without it the
      // hub answers as 2025-03-26, the spec's assumption, which has no structuredContent
      'MCP-Protocol-Version': '2025-11-25',
    },
    body: JSON.stringify(body),
  });
  const raw = await res.text();
  const line = raw.split('\n').find((l) => l.startsWith('data: '));
  return { status: res.status, message: JSON.parse(line ? line.slice(6) : raw) };
}

describe('an MCP client’s OAuth authorization in Chromium', () => {
  test.each(['127.0.0.1', '[::1]'])(
    'a visitor signs in, allows the client, the browser reaches its loopback on %s with the code, and the token lists tools at /mcp',
    async (host) => {
      const name = 'Loopback Assistant';
      const { clientId, verifier, state, url, redirectUri } = await startAuthorization(name, redirectOn(host));
      await signInToConsent(url, name, redirectUri);
      if (host === '127.0.0.1') {
        expect(await seriousViolations(browser.page)).toEqual([]);
        await screenshot(browser.page, 'oauth-consent');
      }

      await browser.page.getByRole('button', { name: 'Allow' }).click();
      const back = await callback(redirectUri);
      expect(back.pathname).toBe('/callback');
      expect(back.searchParams.get('state')).toBe(state);
      expect(back.searchParams.get('iss')).toBe(hub.base);
      const code = back.searchParams.get('code');
      expect(code).toBeTruthy();
      expect(back.searchParams.get('error')).toBeNull();

      const tokenRes = await fetch(`${hub.base}/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: code!,
          redirect_uri: redirectUri,
          client_id: clientId,
          code_verifier: verifier,
          resource: `${hub.base}/mcp`,
        }),
      });
      expect(tokenRes.status).toBe(200);
      const tokens = (await tokenRes.json()) as { access_token: string; token_type: string };
      expect(tokens.token_type).toBe('Bearer');

      const init = await mcp(tokens.access_token, {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'loopback', version: '1' } },
      });
      expect(init.status).toBe(200);
      const listed = await mcp(tokens.access_token, { jsonrpc: '2.0', id: 2, method: 'tools/list' });
      expect(listed.status).toBe(200);
      expect(listed.message.error).toBeUndefined();
      expect(listed.message.result.tools.map((t: { name: string }) => t.name)).toContain('get_person');
      const me = await mcp(tokens.access_token, {
        jsonrpc: '2.0',
        id: 3,
        method: 'tools/call',
        params: { name: 'get_person', arguments: {} },
      });
      expect(me.message.result.structuredContent.handle).toBe('priya');
    },
  );

  test('a person who denies sends the browser to the loopback with access_denied and the same state', async () => {
    const name = 'Denied Assistant';
    const { state, url, redirectUri } = await startAuthorization(name, redirectOn('127.0.0.1'));
    await signInToConsent(url, name, redirectUri);
    await browser.page.getByRole('button', { name: 'Deny' }).click();
    const back = await callback(redirectUri);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe(state);
    expect(back.searchParams.get('iss')).toBe(hub.base);
    expect(back.searchParams.get('code')).toBeNull();
  });

  test('an app’s own scheme (cursor://…): the page names the app, and Chromium follows Allow’s redirect to it, the content policy letting it', async () => {
    const name = 'Cursor';
    const redirectUri = 'cursor://anysphere.cursor-retrieval/oauth/user-mcp/callback';
    const { state, url } = await startAuthorization(name, redirectUri);
    // a tab of its own: Chromium leaves the tab that handed an address to the system (headless, no
    // app answers) taking no more clicks
    const page = await browser.context.newPage();
    await signInToConsent(url, name, redirectUri, page);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'oauth-consent-app-scheme');
    const refusedByPolicy: string[] = [];
    const onConsole = (m: { text(): string }) => {
      if (/Content Security Policy/i.test(m.text())) refusedByPolicy.push(m.text());
    };
    page.on('console', onConsole);
    // where the browser is sent: Chromium hands a scheme it does not serve to the system, so the
    // navigation to the app is seen as a request that fails (no app is installed here), not as a page
    const toApp = new Promise<string>((resolve) => {
      const seen = (r: { url(): string }) => {
        if (r.url().startsWith('cursor:')) resolve(r.url());
      };
      page.on('request', seen);
      page.on('requestfailed', seen);
    });
    const answer = page.waitForResponse(
      (r) => r.url().endsWith('/oauth/authorize') && r.request().method() === 'POST',
      { timeout: 5_000 },
    );
    await page.getByRole('button', { name: 'Allow' }).click();
    const location = new URL((await answer).headers().location!);
    expect(location.href.split('?')[0]).toBe(redirectUri);
    expect(location.searchParams.get('state')).toBe(state);
    expect(location.searchParams.get('code')).toBeTruthy();
    expect(location.searchParams.get('iss')).toBe(hub.base);
    const reached = await Promise.race([toApp, new Promise<null>((r) => setTimeout(() => r(null), 3_000))]);
    page.off('console', onConsole);
    expect(refusedByPolicy).toEqual([]);
    expect(reached).toBe(location.href);
    await page.close();
  });

  test('the MCP SDK client’s own OAuth flow against the running hub: it registers, Chromium signs in and allows, the loopback’s code finishes it, and it calls tools as the person', async () => {
    const name = 'SDK Assistant';
    const redirectUri = redirectOn('127.0.0.1');
    const provider = new MemoryProvider(redirectUri, name);
    const transport = () => new StreamableHTTPClientTransport(new URL(`${hub.base}/mcp`), { authProvider: provider });
    await expect(new Client({ name: 'sdk', version: '1' }).connect(transport())).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
    // the client found the hub's authorization server from /mcp's 401, registered, and asks for mcp
    const asked = provider.authorizationUrl!;
    expect(asked.origin + asked.pathname).toBe(`${hub.base}/oauth/authorize`);
    expect(asked.searchParams.get('scope')).toBe('mcp');
    expect(asked.searchParams.get('resource')).toBe(`${hub.base}/mcp`);
    await signInToConsent(asked.href, name, redirectUri);
    await browser.page.getByRole('button', { name: 'Allow' }).click();
    const back = await callback(redirectUri);
    await transport().finishAuth(back.searchParams);
    const client = new Client({ name: 'sdk', version: '1' });
    await client.connect(transport());
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('get_person');
    const me = (await client.callTool({ name: 'get_person', arguments: {} })) as {
      structuredContent: { handle: string };
    };
    expect(me.structuredContent.handle).toBe('priya');
    await client.close();
  });
});
