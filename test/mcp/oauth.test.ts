// An MCP client connecting by URL alone (the MCP authorization spec, OAuth 2.1): the SDK's own
// client finds the hub's authorization server from /mcp's 401, registers itself, sends the person
// to the consent page (done here with a signed-in person's session cookie), trades the code for
// tokens and calls tools as that person; then the refusals, on both databases and a real port.
import { auth, Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import type { ServerType } from '@hono/node-server';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { listGrants, revokeGrant } from '../../src/app/people/oauth.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { asActor, openTestHub, person, type TestHub } from '../support/hub.ts';
import { runCli } from '../support/process.ts';
import { OAUTH } from '../../src/domain/oauth.ts';
import {
  browserOf,
  consent,
  consentFields,
  documentHost,
  listen,
  MemoryProvider,
  tokenRequest,
} from './oauth-support.ts';

const WEB = { oidc: null, github: null, publicUrl: null, secureCookies: false, sessionHours: 24 };

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

/** A client's web site on the loopback, serving its Client ID Metadata Documents over https. */
let site: Awaited<ReturnType<typeof documentHost>>;
beforeAll(async () => {
  site = await documentHost();
});
afterAll(async () => {
  await site?.close();
});

describe.each(databases)('MCP clients sign in with OAuth on $name', (database) => {
  let hub: TestHub;
  let origin: string;
  let server: ServerType;
  let ana: { cookie: string; csrf: string };
  let mcp: string;

  beforeAll(async () => {
    hub = await openTestHub(database);
    // these tests send registrations and token requests faster than one address may write
    const limits = hub.governance.rateLimits;
    hub.governance.rateLimits = {
      ...limits,
      writes: 10_000,
      registrations: 10_000,
      perSecond: { ...limits.perSecond, writes: 10_000, registrations: 10_000 },
    };
    await person(hub, 'ana');
    await person(hub, 'lena', { role: 'moderator' });
    // metadata documents may come from the loopback here only because the operator lists `localhost`
    const web = { ...WEB, clientMetadata: { allowedHosts: ['localhost'], ca: site.ca } };
    const app = createHttpApp(hub, undefined, { web });
    ({ origin, server } = await listen(app.fetch));
    mcp = `${origin}/mcp`;
    ana = await browserOf(hub, 'ana');
  });
  afterAll(async () => {
    server?.close();
    await hub?.close();
  });

  /** A client run through the whole flow as a person: returns it connected, and its provider. */
  async function connectedAs(browser: { cookie: string }, provider = new MemoryProvider()) {
    const first = new Client({ name: 'oauth-test', version: '1' });
    await expect(
      first.connect(new StreamableHTTPClientTransport(new URL(mcp), { authProvider: provider })),
    ).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.authorizationUrl).toBeDefined();
    const { callback, page } = await consent(provider.authorizationUrl!, browser);
    expect(page).toContain(`Allow ${provider.name} to act as you?`);
    expect(callback!.href.split('?')[0]).toBe(provider.redirect);
    expect(callback!.searchParams.get('state')).toBe('state-from-the-client-0123');
    expect(callback!.searchParams.get('iss')).toBe(origin);
    const transport = new StreamableHTTPClientTransport(new URL(mcp), { authProvider: provider });
    await transport.finishAuth(callback!.searchParams);
    const client = new Client({ name: 'oauth-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(mcp), { authProvider: provider }));
    return { client, provider };
  }

  const me = async (c: Client) =>
    ((await c.callTool({ name: 'get_person', arguments: {} })) as { structuredContent: { handle: string } })
      .structuredContent.handle;

  it('connects by URL alone: discovery from the 401, registration, consent, tokens, tools as the person', async () => {
    const challenge = await fetch(mcp, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
      body: '{}',
    });
    expect(challenge.status).toBe(401);
    // the scope to ask for is in the challenge itself (the MCP spec's scope selection takes it first)
    expect(challenge.headers.get('www-authenticate')).toBe(
      `Bearer realm="wghub", scope="mcp", resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"`,
    );
    const prm = await (await fetch(`${origin}/.well-known/oauth-protected-resource/mcp`)).json();
    expect(prm).toMatchObject({ resource: mcp, authorization_servers: [origin] });
    const as = await fetch(`${origin}/.well-known/oauth-authorization-server`, {
      headers: { Origin: 'http://localhost:6274' },
    });
    expect(as.headers.get('access-control-allow-origin')).toBe('*');
    expect(await as.json()).toMatchObject({
      issuer: origin,
      code_challenge_methods_supported: ['S256'],
      registration_endpoint: `${origin}/oauth/register`,
    });

    const { client, provider } = await connectedAs(ana);
    expect(provider.client?.client_id).toBeTruthy();
    expect(provider.saved).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'mcp' });
    expect(provider.saved!.access_token).toMatch(/^wgha_/);
    expect(await me(client)).toBe('ana');
    await client.close();

    const grants = await listGrants(hub, 'ana');
    expect(grants[0]).toMatchObject({
      client: { name: 'Test Assistant', verified: false },
      redirectHost: '127.0.0.1:47123',
      scope: 'mcp',
      revokedAt: null,
    });
    // bound to /mcp (RFC 8707): the REST API does not take it
    const rest = await fetch(`${origin}/api/me`, {
      headers: { Authorization: `Bearer ${provider.saved!.access_token}` },
    });
    expect(rest.status).toBe(401);
    expect((await rest.json()).detail).toContain('works only at /mcp');
    // API tokens still work at /mcp as before
    const apiToken = (await createToken(hub, SYSTEM, 'ana', { label: 'cli' })).token;
    const res = await fetch(mcp, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        Authorization: `Bearer ${apiToken}`,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(res.status).not.toBe(401);
  });

  it('acts with exactly that person’s permissions, never another’s', async () => {
    const { client } = await connectedAs(ana);
    const lena = (await client.callTool({ name: 'get_person', arguments: { handle: 'lena' } })) as {
      structuredContent: { can: { edit: { allowed: boolean } } };
    };
    expect(lena.structuredContent.can.edit.allowed).toBe(false);
    const refused = (await client.callTool({
      name: 'update_person',
      arguments: { handle: 'lena', name: 'Not Lena' },
    })) as { isError?: boolean };
    expect(refused.isError).toBe(true);
    const self = (await client.callTool({ name: 'update_person', arguments: { name: 'Ana Again' } })) as {
      isError?: boolean;
    };
    expect(self.isError).toBeFalsy();
    await client.close();
    // a moderator's grant may edit lena's record: the permissions follow the person, not the client
    const { client: asLena } = await connectedAs(await browserOf(hub, 'lena'));
    expect(await me(asLena)).toBe('lena');
    await asLena.close();
  });

  it('refreshes an expired access token, rotating the refresh token; a reused refresh token revokes the grant', async () => {
    const { client, provider } = await connectedAs(ana);
    const before = provider.saved!;
    hub.clock.advance(3601 * 1000);
    // the old access token is refused, naming why
    const expired = await fetch(mcp, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        Authorization: `Bearer ${before.access_token}`,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toMatch(
      /error="invalid_token", error_description="the access token expired at/,
    );
    // the SDK's client refreshes by itself on the 401 and goes on
    expect(await me(client)).toBe('ana');
    expect(provider.saved!.access_token).not.toBe(before.access_token);
    expect(provider.saved!.refresh_token).not.toBe(before.refresh_token);
    await client.close();
    // the old refresh token again at once: the client's own requests racing to refresh (its SSE
    // stream and a call both met the expired token), answered; a minute later it was copied
    const race = await tokenRequest(origin, {
      grant_type: 'refresh_token',
      refresh_token: before.refresh_token!,
      client_id: provider.client!.client_id,
    });
    expect(race.status).toBe(200);
    hub.clock.advance(31 * 1000);
    // the old refresh token again: refused, and the whole grant with it
    const replay = await tokenRequest(origin, {
      grant_type: 'refresh_token',
      refresh_token: before.refresh_token!,
      client_id: provider.client!.client_id,
    });
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
    const after = await tokenRequest(origin, {
      grant_type: 'refresh_token',
      refresh_token: provider.saved!.refresh_token!,
      client_id: provider.client!.client_id,
    });
    expect((await after.json()).error_description).toMatch(/the access was revoked at/);
  });

  it('a revoked grant stops working at once; only its person (or who manages their tokens) may revoke it', async () => {
    const { client, provider } = await connectedAs(ana);
    const grant = (await listGrants(hub, 'ana')).find((g) => !g.revokedAt)!;
    await person(hub, 'sam');
    await expect(revokeGrant(hub, await asActor(hub, 'sam'), grant.id)).rejects.toThrow(
      /manage this person's API tokens/,
    );
    await revokeGrant(hub, await asActor(hub, 'ana'), grant.id);
    const r = await fetch(mcp, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        Authorization: `Bearer ${provider.saved!.access_token}`,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toContain('the access was revoked at');
    await client.close().catch(() => {});
  });

  it('a token whose grant lacks the scope mcp is answered 403 insufficient_scope, naming the scope to ask for', async () => {
    const { client, provider } = await connectedAs(ana, new MemoryProvider('http://127.0.0.1:47126/cb', 'Narrow'));
    const grant = (await listGrants(hub, 'ana')).find((g) => g.client.name === 'Narrow')!;
    // a grant made for another scope (an older hub's, or one a future scope narrowed)
    await hub.store.db.updateTable('oauth_grants').set({ scope: 'profile' }).where('id', '=', grant.id).execute();
    const r = await fetch(mcp, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        Authorization: `Bearer ${provider.saved!.access_token}`,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(r.status).toBe(403);
    expect(r.headers.get('www-authenticate')).toBe(
      `Bearer realm="wghub", error="insufficient_scope", error_description="the access token was granted the scope 'profile'; /mcp needs 'mcp': authorize the client again", scope="mcp", resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"`,
    );
    expect((await r.json()).detail).toContain('/mcp needs "mcp"');
    // the SDK's client takes the challenge as a step-up: holding tokens granted for profile only (as
    // such a grant's token answer said), it sends the person to authorize again, asking for mcp
    provider.saved = { ...provider.saved!, scope: 'profile' };
    provider.authorizationUrl = undefined;
    await expect(client.callTool({ name: 'get_person', arguments: {} })).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.authorizationUrl!.searchParams.get('scope')?.split(' ')).toContain('mcp');
    await client.close().catch(() => {});
  });

  it('a native app registering its own scheme (RFC 8252 §7.1) is sent back there, the consent page naming the app', async () => {
    // Cursor's redirect URI, through the SDK's own flow (registration, consent, tokens, a tool)
    const cursor = 'cursor://anysphere.cursor-retrieval/oauth/user-mcp/callback';
    const shown = { page: '', policy: '' };
    const provider = new MemoryProvider(cursor, 'Cursor');
    const first = new Client({ name: 'oauth-test', version: '1' });
    await expect(
      first.connect(new StreamableHTTPClientTransport(new URL(mcp), { authProvider: provider })),
    ).rejects.toBeInstanceOf(UnauthorizedError);
    const page = await fetch(provider.authorizationUrl!, { headers: { cookie: ana.cookie } });
    shown.page = await page.text();
    shown.policy = page.headers.get('content-security-policy')!;
    expect(shown.page).toContain(
      'Sends you back to</dt><dd>an app on your computer: <strong>cursor://anysphere.cursor-retrieval/oauth/user-mcp/callback</strong>',
    );
    // the browser follows Allow's redirect to the app only if form-action names its scheme
    expect(shown.policy).toContain("form-action 'self' cursor:;");
    const { callback } = await consent(provider.authorizationUrl!, ana);
    expect(callback!.protocol).toBe('cursor:');
    expect(callback!.href.split('?')[0]).toBe(cursor);
    expect(callback!.searchParams.get('iss')).toBe(origin);
    await new StreamableHTTPClientTransport(new URL(mcp), { authProvider: provider }).finishAuth(
      callback!.searchParams,
    );
    const client = new Client({ name: 'oauth-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(mcp), { authProvider: provider }));
    expect(await me(client)).toBe('ana');
    await client.close();
    const grant = (await listGrants(hub, 'ana')).find((g) => g.client.name === 'Cursor')!;
    expect(grant.redirectHost).toBe(cursor);
    // a reverse-domain scheme without an authority (RFC 8252's own example) is taken as well
    const reverse = await fetch(`${origin}/oauth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ client_name: 'Example app', redirect_uris: ['com.example.app:/oauth2redirect/hub'] }),
    });
    expect(reverse.status).toBe(201);
  });

  it('listed and revoked where the person’s API tokens are: web settings, REST and the command line', async () => {
    const { client } = await connectedAs(ana, new MemoryProvider('http://localhost:47125/cb', 'Listed Assistant'));
    await client.close();
    const grant = (await listGrants(hub, 'ana')).find((g) => g.client.name === 'Listed Assistant')!;
    // web: the profile page's MCP clients section, with a revoke button per client
    const page = await (await fetch(`${origin}/people/ana/edit`, { headers: { cookie: ana.cookie } })).text();
    expect(page).toContain('<h2 id="mcp-clients">MCP clients</h2>');
    expect(page).toContain('Revoke Listed Assistant');
    // REST: the person's own API token lists them; someone else's is refused
    const apiToken = (await createToken(hub, SYSTEM, 'ana', { label: 'rest' })).token;
    const listed = await fetch(`${origin}/api/people/ana/mcp-clients`, {
      headers: { Authorization: `Bearer ${apiToken}` },
    });
    expect(listed.status).toBe(200);
    expect((await listed.json()).items).toContainEqual(
      expect.objectContaining({ id: grant.id, client: expect.objectContaining({ name: 'Listed Assistant' }) }),
    );
    await person(hub, 'noor');
    const other = (await createToken(hub, SYSTEM, 'noor', { label: 'rest' })).token;
    expect(
      (await fetch(`${origin}/api/people/ana/mcp-clients`, { headers: { Authorization: `Bearer ${other}` } })).status,
    ).toBe(403);
    // the command line, on the same database
    const env = { WGHUB_DATABASE_URL: (hub.store as unknown as { url: string }).url };
    const cli = await runCli(['token', 'clients', '--person', 'ana'], env);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain(`${grant.id}  Listed Assistant (unverified, back to localhost:47125)`);
    // revoked from the web form
    const revoked = await fetch(`${origin}/people/ana/mcp-clients/${grant.id}/revoke`, {
      method: 'POST',
      headers: { cookie: ana.cookie, 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin },
      body: new URLSearchParams({ _csrf: ana.csrf }),
      redirect: 'manual',
    });
    expect(revoked.status).toBe(303);
    expect((await listGrants(hub, 'ana')).find((g) => g.id === grant.id)!.revokedAt).not.toBeNull();
    const again = await runCli(['token', 'revoke-client', grant.id], env);
    expect(again.stdout).toContain(`revoked ${grant.id} (Listed Assistant for ana)`);
    const gone = await fetch(`${origin}/api/mcp-clients/${grant.id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${apiToken}` },
    });
    expect(gone.status).toBe(200);
  });

  describe('Client ID Metadata Documents', () => {
    /** Serves a document at a path of the site; returns its URL (the client_id). */
    const publish = (
      path: string,
      doc: Record<string, unknown> | ((url: string) => Record<string, unknown>),
      extra: { status?: number; headers?: Record<string, string>; delayMs?: number; body?: string } = {},
    ) => {
      const url = `${site.origin}${path}`;
      const body = extra.body ?? JSON.stringify(typeof doc === 'function' ? doc(url) : doc);
      site.serve.set(path, { body, ...extra });
      return url;
    };
    const asking = (clientId: string, redirect: string) => {
      const u = new URL(`${origin}/oauth/authorize`);
      u.search = new URLSearchParams({
        response_type: 'code',
        client_id: clientId,
        redirect_uri: redirect,
        code_challenge: pkce().challenge,
        code_challenge_method: 'S256',
        state: 'st',
        resource: mcp,
      }).toString();
      return u;
    };
    /** The page a signed-in person sees for the request: its status, text and any redirect. */
    const shown = async (u: URL) => {
      const r = await fetch(u, { headers: { cookie: ana.cookie }, redirect: 'manual' });
      return { status: r.status, page: await r.text(), location: r.headers.get('location') };
    };
    const fetches = (path: string) => site.asked.filter((p) => p === path).length;

    it('the SDK client names itself by its document’s URL: no registration, the page says where it is described, tokens work, the document is kept as long as it says', async () => {
      const as = await (await fetch(`${origin}/.well-known/oauth-authorization-server`)).json();
      expect(as.client_id_metadata_document_supported).toBe(true);
      const redirect = 'http://127.0.0.1:47130/cb';
      const url = publish(
        '/clients/assistant.json',
        (id) => ({ client_id: id, client_name: 'Doc Assistant', redirect_uris: [redirect] }),
        { headers: { 'Cache-Control': 'public, max-age=600' } },
      );
      const registered = async () =>
        (
          await hub.store.db
            .selectFrom('oauth_clients')
            .select('client_id')
            .where('source', '=', 'registration')
            .execute()
        ).length;
      const before = await registered();
      const provider = new MemoryProvider(redirect, 'Doc Assistant', url);
      const first = new Client({ name: 'oauth-test', version: '1' });
      await expect(
        first.connect(new StreamableHTTPClientTransport(new URL(mcp), { authProvider: provider })),
      ).rejects.toBeInstanceOf(UnauthorizedError);
      expect(provider.client?.client_id).toBe(url);
      expect(provider.authorizationUrl!.searchParams.get('client_id')).toBe(url);
      const { page, callback } = await consent(provider.authorizationUrl!, ana);
      expect(page).toContain('Allow Doc Assistant to act as you?');
      expect(page).toContain(
        `<dt>Described at</dt><dd><strong>${new URL(url).host}</strong> (its metadata document, ${url})</dd>`,
      );
      // its answer goes to a program on this computer, which the document's host cannot vouch for
      expect(page).toContain(
        `It is described at ${new URL(url).host} but sends you back to a program on your computer, which any program could claim to be`,
      );
      await new StreamableHTTPClientTransport(new URL(mcp), { authProvider: provider }).finishAuth(
        callback!.searchParams,
      );
      const client = new Client({ name: 'oauth-test', version: '1' });
      await client.connect(new StreamableHTTPClientTransport(new URL(mcp), { authProvider: provider }));
      expect(await me(client)).toBe('ana');
      await client.close();
      expect(await registered()).toBe(before);
      expect((await listGrants(hub, 'ana')).find((g) => g.client.id === url)?.client.name).toBe('Doc Assistant');
      // fetched once, then kept for the ten minutes its Cache-Control gives
      expect(fetches('/clients/assistant.json')).toBe(1);
      publish('/clients/assistant.json', (id) => ({
        client_id: id,
        client_name: 'Renamed Assistant',
        redirect_uris: [redirect],
      }));
      expect((await shown(asking(url, redirect))).page).toContain('Allow Doc Assistant to act as you?');
      expect(fetches('/clients/assistant.json')).toBe(1);
      hub.clock.advance(601 * 1000);
      ana = await browserOf(hub, 'ana');
      expect((await shown(asking(url, redirect))).page).toContain('Allow Renamed Assistant to act as you?');
      expect(fetches('/clients/assistant.json')).toBe(2);
    });

    it('a document that cannot be used is named on the page and never redirected to; inside the network only what the operator allows is fetched', async () => {
      const redirect = 'http://127.0.0.1:47131/cb';
      const good = (id: string) => ({ client_id: id, client_name: 'Some app', redirect_uris: [redirect] });
      const refusedFor = async (clientId: string, said: string, to = redirect) => {
        const { status, page, location } = await shown(asking(clientId, to));
        expect(location).toBeNull();
        expect(status).toBe(400);
        expect(page).toContain('This connection cannot go on');
        expect(page.replace(/&#39;/g, "'").replace(/&quot;/g, '"')).toContain(said);
      };
      await refusedFor(
        publish('/c/other-id.json', { ...good('x'), client_id: 'https://elsewhere.example/client.json' }),
        "its metadata document's client_id must be the document's own address",
      );
      await refusedFor(
        publish('/c/large.json', good, { body: JSON.stringify({ pad: 'x'.repeat(20_000) }) }),
        `its metadata document is larger than ${OAUTH.metadataDocumentBytes} bytes`,
      );
      await refusedFor(
        publish('/c/moved.json', good, { status: 302, headers: { Location: '/c/elsewhere.json' } }),
        'its metadata document answered with a redirect (302)',
      );
      await refusedFor(
        publish('/c/secret.json', (id) => ({ ...good(id), token_endpoint_auth_method: 'private_key_jwt' })),
        'this hub takes public clients only (none, with PKCE)',
      );
      await refusedFor(
        publish('/c/bad-redirect.json', (id) => ({ ...good(id), redirect_uris: ['javascript:alert(1)'] })),
        "its metadata document: redirect_uris[0]: javascript: is never a redirect (it is not an app's own scheme)",
      );
      await refusedFor(publish('/c/not-json.json', good, { body: '<html>' }), 'its metadata document is not JSON');
      await refusedFor(`${site.origin}/c/missing.json`, 'its metadata document could not be read (HTTP 404)');
      // a redirect URI the document does not list
      await refusedFor(
        publish('/c/fine.json', good),
        'asked to send you back to an address it did not register',
        'http://127.0.0.1:47131/other',
      );
      // slow: bounded in time (shortened here), and refused rather than waited for
      const settable = OAUTH as { metadataDocumentMs: number };
      const limit = settable.metadataDocumentMs;
      settable.metadataDocumentMs = 300;
      try {
        await refusedFor(publish('/c/slow.json', good, { delayMs: 3_000 }), 'did not arrive within 0.3 s');
      } finally {
        settable.metadataDocumentMs = limit;
      }
      // the loopback by address, a name only the LAN knows: refused before any connection
      const port = new URL(site.origin).port;
      site.asked.length = 0;
      // the page says why in general: what the hub's DNS answered is not for whoever asks
      const inside = 'its metadata document must be on a public address; an operator may allow a host';
      await refusedFor(`https://127.0.0.1:${port}/c/fine.json`, inside);
      await refusedFor('https://intranet/c/fine.json', inside);
      expect(site.asked).toEqual([]);
      const loopback = await shown(asking(`https://127.0.0.1:${port}/c/fine.json`, redirect));
      expect(loopback.page).not.toContain('is loopback');
      // signed out, nobody makes the hub read a document: they are sent to sign in first
      const anonymous = await fetch(asking(publish('/c/anonymous.json', good), redirect), { redirect: 'manual' });
      expect(anonymous.status).toBe(303);
      expect(anonymous.headers.get('location')).toMatch(/^\/sign-in\?next=%2Foauth%2Fauthorize/);
      expect(fetches('/c/anonymous.json')).toBe(0);
      // each document read spends a registration of the asking address: past its budget, refused unread
      // (the hour's budget, not the second's: three requests on a loaded machine may span a second)
      const limits = hub.governance.rateLimits;
      hub.governance.rateLimits = {
        ...limits,
        registrations: 2,
        windowSeconds: 3600,
        perSecond: { ...limits.perSecond, registrations: 100 },
      };
      try {
        const reads = [publish('/c/r1.json', good), publish('/c/r2.json', good), publish('/c/r3.json', good)];
        await shown(asking(reads[0]!, redirect));
        await shown(asking(reads[1]!, redirect));
        await refusedFor(
          reads[2]!,
          'this address has used its share (at most 2 registrations per 3600 s for one address)',
        );
        expect(fetches('/c/r3.json')).toBe(0);
      } finally {
        hub.governance.rateLimits = limits;
      }
      // a client_id that is no document URL at all
      await refusedFor(`${site.origin}/`, 'its client_id must have a path');
      // a web client sent back to a web address is not warned of as a program on this computer
      const web = publish('/c/web.json', (id) => ({ ...good(id), redirect_uris: ['https://app.example/cb'] }));
      const webPage = await shown(asking(web, 'https://app.example/cb'));
      expect(webPage.page).toContain('Allow Some app to act as you?');
      expect(webPage.page).not.toContain('sends you back to a program on your computer');
    });
  });

  describe('refusals', () => {
    let clientId: string;
    const redirect = 'http://127.0.0.1:47124/cb';
    beforeAll(async () => {
      const reg = await fetch(`${origin}/oauth/register`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ client_name: 'Raw client', redirect_uris: [redirect] }),
      });
      expect(reg.status).toBe(201);
      clientId = (await reg.json()).client_id;
    });

    const authorizeUrl = (over: Record<string, string | undefined> = {}, challenge = pkce().challenge) => {
      const u = new URL(`${origin}/oauth/authorize`);
      const params: Record<string, string | undefined> = {
        response_type: 'code',
        client_id: clientId,
        redirect_uri: redirect,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        state: 'xyz',
        resource: mcp,
        ...over,
      };
      for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
      return u;
    };
    const codeFor = async (challenge: string, over: Record<string, string> = {}) => {
      const { callback } = await consent(authorizeUrl(over, challenge), ana);
      return callback!.searchParams.get('code')!;
    };

    it('a wrong PKCE verifier, a reused code (which revokes what it made), a wrong redirect URI or resource', async () => {
      const p = pkce();
      const code = await codeFor(p.challenge);
      const base = { grant_type: 'authorization_code', code, client_id: clientId, redirect_uri: redirect };
      const wrong = await tokenRequest(origin, { ...base, code_verifier: pkce().verifier });
      expect(wrong.status).toBe(400);
      expect(await wrong.json()).toMatchObject({
        error: 'invalid_grant',
        error_description: 'code_verifier does not match the code_challenge (PKCE S256)',
      });
      // a wrong verifier does not spend the code (whoever sent it may not hold the client's verifier)
      const right = await tokenRequest(origin, { ...base, code_verifier: p.verifier });
      expect(right.status).toBe(200);

      const q = pkce();
      const code2 = await codeFor(q.challenge);
      const ok = await tokenRequest(origin, { ...base, code: code2, code_verifier: q.verifier });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('cache-control')).toBe('no-store');
      const tokens = await ok.json();
      const reused = await tokenRequest(origin, { ...base, code: code2, code_verifier: q.verifier });
      expect(await reused.json()).toMatchObject({ error: 'invalid_grant' });
      const refreshed = await tokenRequest(origin, {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
        client_id: clientId,
      });
      expect((await refreshed.json()).error_description).toMatch(/revoked/);

      // a client with one registered URI may leave redirect_uri out of both requests (RFC 6749 §4.1.3)
      const n = pkce();
      const bare = await consent(authorizeUrl({ redirect_uri: undefined }, n.challenge), ana);
      const { redirect_uri: _left, ...withoutRedirect } = base;
      const plain = await tokenRequest(origin, {
        ...withoutRedirect,
        code: bare.callback!.searchParams.get('code')!,
        code_verifier: n.verifier,
      });
      expect(plain.status).toBe(200);

      const r = pkce();
      const code3 = await codeFor(r.challenge);
      const elsewhere = await tokenRequest(origin, {
        ...base,
        code: code3,
        code_verifier: r.verifier,
        redirect_uri: 'http://127.0.0.1:47124/other',
      });
      expect(await elsewhere.json()).toMatchObject({
        error: 'invalid_grant',
        error_description: expect.stringMatching(/redirect_uri/),
      });

      const s = pkce();
      const code4 = await codeFor(s.challenge);
      const otherResource = await tokenRequest(origin, {
        ...base,
        code: code4,
        code_verifier: s.verifier,
        resource: 'https://elsewhere.example/mcp',
      });
      expect(await otherResource.json()).toMatchObject({ error: 'invalid_target' });
    });

    it('an expired code is refused', async () => {
      const p = pkce();
      const code = await codeFor(p.challenge);
      hub.clock.advance(121 * 1000);
      const late = await tokenRequest(origin, {
        grant_type: 'authorization_code',
        code,
        code_verifier: p.verifier,
        client_id: clientId,
        redirect_uri: redirect,
      });
      expect((await late.json()).error_description).toMatch(/^the authorization code expired at/);
    });

    it('the authorization request: plain or missing PKCE, another resource, and Deny go back to the client with state', async () => {
      // an error is shown to the person, with a link back to the client (never an automatic redirect)
      const back = async (u: URL) => {
        const { page, status, callback: none } = await consent(u, ana);
        expect(status).toBe(400);
        expect(none).toBeNull();
        const href = /<a href="([^"]+)">Tell the application, at 127\.0\.0\.1:47124<\/a>/.exec(page)![1]!;
        const callback = new URL(href.replace(/&amp;/g, '&'));
        expect(callback.origin + callback.pathname).toBe(redirect);
        expect(callback.searchParams.get('state')).toBe('xyz');
        expect(callback.searchParams.get('iss')).toBe(origin);
        return Object.fromEntries(callback.searchParams);
      };
      expect(await back(authorizeUrl({ code_challenge_method: 'plain' }))).toMatchObject({
        error: 'invalid_request',
        error_description: 'code_challenge_method must be S256; plain is not accepted',
      });
      expect(await back(authorizeUrl({ code_challenge: undefined }))).toMatchObject({
        error: 'invalid_request',
        error_description: 'code_challenge is required (PKCE with S256)',
      });
      expect(await back(authorizeUrl({ resource: 'https://elsewhere.example/mcp' }))).toMatchObject({
        error: 'invalid_target',
      });
      expect(await back(authorizeUrl({ response_type: 'token' }))).toMatchObject({
        error: 'unsupported_response_type',
      });
      const denied = await consent(authorizeUrl(), ana, 'deny');
      expect(Object.fromEntries(denied.callback!.searchParams)).toMatchObject({
        error: 'access_denied',
        state: 'xyz',
        iss: origin,
      });
    });

    it('an unknown client or an unregistered redirect URI is shown on the page, never redirected to', async () => {
      for (const u of [
        authorizeUrl({ client_id: 'nobody' }),
        authorizeUrl({ redirect_uri: 'https://attacker.example/cb' }),
        authorizeUrl({ client_id: undefined }),
      ]) {
        const r = await fetch(u, { headers: { cookie: ana.cookie }, redirect: 'manual' });
        expect(r.status).toBe(400);
        expect(r.headers.get('location')).toBeNull();
        expect(await r.text()).toContain('This connection cannot go on');
      }
      // a native client's loopback redirect URI may use any port (RFC 8252)
      const { callback } = await consent(authorizeUrl({ redirect_uri: 'http://127.0.0.1:59999/cb' }), ana);
      expect(callback!.port).toBe('59999');
      expect(callback!.searchParams.get('code')).toBeTruthy();
    });

    it('a visitor is sent to sign in and brought back; the consent form needs its CSRF token', async () => {
      const u = authorizeUrl();
      const visitor = await fetch(u, { redirect: 'manual' });
      expect(visitor.status).toBe(303);
      const to = new URL(visitor.headers.get('location')!, origin);
      expect(to.pathname).toBe('/sign-in');
      expect(to.searchParams.get('next')).toBe(u.pathname + u.search);
      // signed in, the same address shows the consent page
      const shown = await fetch(new URL(to.searchParams.get('next')!, origin), { headers: { cookie: ana.cookie } });
      expect(await shown.text()).toContain('Allow Raw client to act as you?');
      expect(shown.headers.get('content-security-policy')).toContain("form-action 'self' http://127.0.0.1:47124");
      // CSP cannot name an IPv6 literal (Chromium ignores http://[::1]:… and blocks the redirect):
      // an IPv6 loopback client's answer is let through by scheme and port
      const v6 = await fetch(`${origin}/oauth/register`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ client_name: 'IPv6 client', redirect_uris: ['http://[::1]:47125/cb'] }),
      });
      const v6Url = authorizeUrl({ client_id: (await v6.json()).client_id, redirect_uri: 'http://[::1]:47125/cb' });
      const v6Shown = await fetch(v6Url, { headers: { cookie: ana.cookie } });
      expect(await v6Shown.text()).toContain('Allow IPv6 client to act as you?');
      const v6Policy = v6Shown.headers.get('content-security-policy')!;
      expect(v6Policy).toContain("form-action 'self' http://*:47125;");
      expect(v6Policy).not.toContain('[::1]');
      const forged = await fetch(`${origin}/oauth/authorize`, {
        method: 'POST',
        headers: { cookie: ana.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...Object.fromEntries(u.searchParams), decision: 'allow' }),
        redirect: 'manual',
      });
      expect(forged.status).toBe(403);
      expect(forged.headers.get('location')).toBeNull();
    });

    it('registration takes https, loopback http or an app’s own scheme as redirect URIs, bounded, naming the field', async () => {
      const register = async (body: unknown) => {
        const r = await fetch(`${origin}/oauth/register`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
        return { status: r.status, body: await r.json() };
      };
      expect(await register({ redirect_uris: ['http://evil.example/cb'] })).toMatchObject({
        status: 400,
        body: {
          error: 'invalid_redirect_uri',
          error_description: expect.stringMatching(/^redirect_uris\[0\]: may be http only on localhost/),
        },
      });
      // schemes that run script, read files or are no app's own are refused, naming the scheme
      const never = (scheme: string) => `${scheme}: is never a redirect (it is not an app's own scheme)`;
      for (const [uri, said] of [
        ['javascript:alert(1)', never('javascript')],
        ['data:text/html,<script>alert(1)</script>', never('data')],
        ['file:///etc/passwd', never('file')],
        ['blob:https://ok.example/1', never('blob')],
        ['vbscript:msgbox', never('vbscript')],
        ['about:blank', never('about')],
        [
          'com.example.app:/a b',
          'must not contain spaces, line breaks, control or invisible characters (percent-encode them)',
        ],
      ])
        expect((await register({ redirect_uris: [uri] })).body).toMatchObject({
          error: 'invalid_redirect_uri',
          error_description: `redirect_uris[0]: ${said}`,
        });
      // a one-word scheme that is not a known app's could be one the system acts on itself
      expect((await register({ redirect_uris: ['myapp://callback'] })).body.error_description).toMatch(
        /^redirect_uris\[0\]: .* a reverse domain name such as com\.example\.app: \(RFC 8252 §7\.1\) or one of .*cursor.*vscode.*; myapp: is none of these$/,
      );
      // a host the consent page's CSP would read as the end of a directive
      expect((await register({ redirect_uris: ['https://a;script-src.example/cb'] })).body).toMatchObject({
        error: 'invalid_redirect_uri',
        error_description: expect.stringContaining('must name a host of letters, digits, hyphens and dots'),
      });
      // nor an https IPv6 address, which the consent page could name only as any host on its port
      expect((await register({ redirect_uris: ['https://[2001:db8::1]/cb'] })).body.error).toBe('invalid_redirect_uri');
      expect((await register({ redirect_uris: ['https://ok.example/cb#frag'] })).body.error).toBe(
        'invalid_redirect_uri',
      );
      expect((await register({})).body.error_description).toBe('redirect_uris: must be a list of at least one URI');
      expect(
        (await register({ redirect_uris: Array.from({ length: 11 }, (_, i) => `https://a.example/${i}`) })).body
          .error_description,
      ).toMatch(/at most 10/);
      expect(
        (await register({ redirect_uris: ['https://ok.example/cb'], client_name: 'x'.repeat(101) })).body
          .error_description,
      ).toBe('client_name: must be at most 100 characters');
      expect(
        (await register({ redirect_uris: ['https://ok.example/cb'], grant_types: ['client_credentials'] })).body.error,
      ).toBe('invalid_client_metadata');
      // the consent page names the client: nothing that reorders or hides what the person reads
      for (const [name, rule] of [
        ['\u202eppA laiciffO', 'must not contain control or invisible formatting characters (U+202E at character 1)'],
        ['Claude\u2066', 'must not contain control or invisible formatting characters (U+2066 at character 7)'],
        ['a\u0085b', 'must not contain control or invisible formatting characters (U+0085 at character 2)'],
        ['x\ud800', 'must not contain control or invisible formatting characters (U+D800 at character 2)'],
      ])
        expect((await register({ redirect_uris: ['https://ok.example/cb'], client_name: name })).body, name).toEqual({
          error: 'invalid_client_metadata',
          error_description: `client_name: ${rule}`,
        });
      // nor a redirect URI the URL parser would read as another (a line break it drops, an invisible character)
      for (const uri of ['https://ok.example/cb\n', 'https://ok.example/c b', 'https://ok.example/\u202ecb'])
        expect((await register({ redirect_uris: [uri] })).body, uri).toEqual({
          error: 'invalid_redirect_uri',
          error_description:
            'redirect_uris[0]: must not contain spaces, line breaks, control or invisible characters (percent-encode them)',
        });
      const ok = await register({
        redirect_uris: [
          'https://claude.example/api/mcp/auth_callback',
          'http://localhost/cb',
          'http://[::1]:8080/cb',
          'vscode://vscode.github-authentication/did-authenticate',
        ],
        // a zero-width space nobody can see is dropped, as from any one-line field
        client_name: 'Cla\u200bude',
        token_endpoint_auth_method: 'client_secret_post',
      });
      expect(ok).toMatchObject({ status: 201, body: { token_endpoint_auth_method: 'none', client_name: 'Claude' } });
      expect(ok.body.client_secret).toBeUndefined();
    });

    it('the token endpoint refuses what it does not offer, in OAuth words', async () => {
      expect(await (await tokenRequest(origin, { grant_type: 'password' })).json()).toMatchObject({
        error: 'unsupported_grant_type',
      });
      expect(await (await tokenRequest(origin, { grant_type: 'authorization_code' })).json()).toMatchObject({
        error: 'invalid_request',
        error_description: 'code is required',
      });
      const json = await fetch(`${origin}/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(await json.json()).toMatchObject({ error: 'invalid_request' });
    });
  });
});

describe('the SDK flow against a hub with a public URL', () => {
  it('names WGHUB_PUBLIC_URL in every metadata URL, the challenge and iss whatever the Host header, and binds tokens to its /mcp', async () => {
    const hub = await openTestHub(databases[0]!);
    try {
      const pub = 'https://hub.example.org';
      await person(hub, 'ana');
      const ana = await browserOf(hub, 'ana');
      const app = createHttpApp(hub, undefined, {
        web: { ...WEB, publicUrl: pub },
        mcp: { allowedHosts: ['hub.example.org'] },
      });
      // a request naming another host (a proxy passing the client's Host through, or a forged one)
      // still learns only the public URL: no URL in the documents comes from the Host header
      const urlsIn = (doc: unknown): string[] => JSON.stringify(doc).match(/https?:\/\/[^"]+/g) ?? [];
      for (const host of ['hub.example.org', 'attacker.example', '127.0.0.1:8787']) {
        const as = await (
          await app.request('/.well-known/oauth-authorization-server', { headers: { Host: host } })
        ).json();
        expect(as).toMatchObject({
          issuer: pub,
          authorization_endpoint: `${pub}/oauth/authorize`,
          token_endpoint: `${pub}/oauth/token`,
          registration_endpoint: `${pub}/oauth/register`,
          revocation_endpoint: `${pub}/oauth/revoke`,
        });
        for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']) {
          const prm = await (await app.request(path, { headers: { Host: host } })).json();
          expect(prm).toMatchObject({ resource: `${pub}/mcp`, authorization_servers: [pub] });
          expect(urlsIn(prm).every((u) => u.startsWith(`${pub}/`) || u === pub)).toBe(true);
        }
        expect(urlsIn(as).every((u) => u.startsWith(`${pub}/`) || u === pub)).toBe(true);
      }
      const r = await app.request('/mcp', {
        method: 'POST',
        headers: { Host: 'hub.example.org', 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(r.headers.get('www-authenticate')).toBe(
        `Bearer realm="wghub", scope="mcp", resource_metadata="${pub}/.well-known/oauth-protected-resource/mcp"`,
      );
      // the SDK's auth() runs the whole flow against the app (no network: the app answers)
      const local = async (u: string | URL, init?: RequestInit) => {
        const url = new URL(String(u));
        return app.request(url.pathname + url.search, {
          ...init,
          headers: { ...Object.fromEntries(new Headers(init?.headers)), Host: url.host },
        });
      };
      const provider = new MemoryProvider('https://client.example/cb');
      expect(await auth(provider, { serverUrl: `${pub}/mcp`, fetchFn: local })).toBe('REDIRECT');
      const asked = provider.authorizationUrl!;
      expect(asked.origin).toBe(pub);
      expect(asked.searchParams.get('resource')).toBe(`${pub}/mcp`);
      // the person's browser reaches the hub by another name (the proxy's inside address): iss is still the public URL
      const inside = { Host: '127.0.0.1:8787', cookie: ana.cookie };
      const page = await (await app.request(asked.pathname + asked.search, { headers: inside })).text();
      expect(page).toContain('Allow Test Assistant to act as you?');
      const answer = await app.request('/oauth/authorize', {
        method: 'POST',
        headers: { ...inside, 'Content-Type': 'application/x-www-form-urlencoded', Origin: pub },
        body: new URLSearchParams({ ...consentFields(page), decision: 'allow' }),
      });
      expect(answer.status).toBe(303);
      const back = new URL(answer.headers.get('location')!);
      expect(back.searchParams.get('iss')).toBe(pub);
      // the SDK checks iss against the issuer it discovered (RFC 9207), then redeems the code
      expect(
        await auth(provider, {
          serverUrl: `${pub}/mcp`,
          authorizationCode: back.searchParams.get('code')!,
          iss: back.searchParams.get('iss')!,
          fetchFn: local,
        }),
      ).toBe('AUTHORIZED');
      const ping = await app.request('/mcp', {
        method: 'POST',
        headers: {
          Host: 'hub.example.org',
          'Content-Type': 'application/json',
          Accept: 'application/json, text/event-stream',
          Authorization: `Bearer ${provider.saved!.access_token}`,
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'pub', version: '1' } },
        }),
      });
      expect(ping.status).toBe(200);
      const grant = await hub.store.db.selectFrom('oauth_grants').select('resource').executeTakeFirstOrThrow();
      expect(grant.resource).toBe(`${pub}/mcp`);
    } finally {
      await hub.close();
    }
  });
});
