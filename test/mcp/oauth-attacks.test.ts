// The hub's OAuth server for /mcp as an attacker meets it: a client anyone may register (open
// registration), a code or refresh token that leaked, two requests racing on one secret, and a
// person's browser sent to crafted authorization requests. Each test goes through the edge the
// attacker uses (the authorization page, the token endpoint, /mcp), on both databases.
import type { ServerType } from '@hono/node-server';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchangeCode, personForAccessToken, pruneOAuth } from '../../src/app/people/oauth.ts';
import { OAUTH } from '../../src/domain/oauth.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';
import { browserOf, consent, listen, tokenRequest } from './oauth-support.ts';

const WEB = { oidc: null, github: null, publicUrl: null, secureCookies: false, sessionHours: 24 };

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

describe.each(databases)('the OAuth server of /mcp under attack on $name', (database) => {
  let hub: TestHub;
  let origin: string;
  let server: ServerType;
  let ana: { cookie: string; csrf: string };
  let mcp: string;

  beforeAll(async () => {
    hub = await openTestHub(database);
    const limits = hub.governance.rateLimits;
    hub.governance.rateLimits = {
      ...limits,
      writes: 10_000,
      registrations: 10_000,
      perSecond: { ...limits.perSecond, writes: 10_000, registrations: 10_000 },
    };
    await person(hub, 'ana');
    const app = createHttpApp(hub, undefined, { web: WEB });
    ({ origin, server } = await listen(app.fetch));
    mcp = `${origin}/mcp`;
    ana = await browserOf(hub, 'ana');
  });
  afterAll(async () => {
    server?.close();
    await hub?.close();
  });

  async function register(redirect: string, name = 'Some client'): Promise<string> {
    const reg = await fetch(`${origin}/oauth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ client_name: name, redirect_uris: [redirect] }),
    });
    expect(reg.status).toBe(201);
    return (await reg.json()).client_id;
  }

  it('refuses a registration naming a key twice, as REST and /mcp do, and registers nothing (review of round 14)', async () => {
    const reg = await fetch(`${origin}/oauth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"client_name":"Twice","redirect_uris":["http://127.0.0.1:47301/cb"],"redirect_uris":["https://evil.example/cb"]}',
    });
    expect(reg.status).toBe(400);
    expect(await reg.json()).toEqual({
      error: 'invalid_client_metadata',
      error_description: 'the body names redirect_uris twice in one object; each key is given once',
    });
  });

  it('refuses a registration not sent as JSON in UTF-8, naming the rule, and registers nothing (attack round 21)', async () => {
    const before = await hub.store.db.selectFrom('oauth_clients').select('client_id').execute();
    const json = JSON.stringify({ client_name: 'Caf\u00e9 client', redirect_uris: ['http://127.0.0.1:47301/cb'] });
    for (const [type, body, rule] of [
      [
        'text/plain',
        json,
        'Content-Type must be application/json (UTF-8) for a request with a body; text/plain was sent',
      ],
      [
        'application/json; charset=iso-8859-1',
        Buffer.from(json, 'latin1'),
        'Content-Type must be application/json (UTF-8) for a request with a body; charset=iso-8859-1 was sent',
      ],
      // "Café" in Latin-1 sent as if UTF-8: it reached the consent page as "Caf\ufffd"
      [
        'application/json',
        Buffer.from(json, 'latin1'),
        'the body must be UTF-8 text: it holds bytes that are not (sent in another encoding?)',
      ],
    ] as const) {
      const reg = await fetch(`${origin}/oauth/register`, { method: 'POST', headers: { 'Content-Type': type }, body });
      expect(reg.status, type).toBe(400);
      expect(await reg.json(), type).toEqual({ error: 'invalid_client_metadata', error_description: rule });
    }
    expect(await hub.store.db.selectFrom('oauth_clients').select('client_id').execute()).toEqual(before);
  });

  const authorizeUrl = (clientId: string, redirect: string, challenge: string, over: Record<string, string> = {}) => {
    const u = new URL(`${origin}/oauth/authorize`);
    const params: Record<string, string> = {
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirect,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'st',
      resource: mcp,
      ...over,
    };
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    return u;
  };

  /** A client allowed by ana: its code, verifier and id. */
  async function allowed(redirect = 'http://127.0.0.1:47200/cb') {
    const clientId = await register(redirect);
    const p = pkce();
    // a fresh session: tests move the clock by days
    ana = await browserOf(hub, 'ana');
    const { callback } = await consent(authorizeUrl(clientId, redirect, p.challenge), ana);
    const code = callback!.searchParams.get('code')!;
    expect(code).toMatch(/^wghc_/);
    return {
      clientId,
      redirect,
      verifier: p.verifier,
      code,
      exchange: (over: Record<string, string> = {}) =>
        tokenRequest(origin, {
          grant_type: 'authorization_code',
          code,
          code_verifier: p.verifier,
          client_id: clientId,
          redirect_uri: redirect,
          ...over,
        }),
    };
  }

  const ping = (token: string) =>
    fetch(mcp, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        Authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });

  const refresh = (clientId: string, token: string) =>
    tokenRequest(origin, { grant_type: 'refresh_token', refresh_token: token, client_id: clientId });

  describe('the authorization endpoint is no open redirector (RFC 9700 §4.11.2)', () => {
    it('a crafted request from a client anyone registered never sends a browser to it by itself, signed in or not', async () => {
      const phish = 'https://phish.example/landing';
      const clientId = await register(phish, 'Totally the hub');
      const crafted = [
        authorizeUrl(clientId, phish, pkce().challenge, { response_type: 'token' }),
        authorizeUrl(clientId, phish, pkce().challenge, { code_challenge_method: 'plain' }),
        authorizeUrl(clientId, phish, pkce().challenge, { resource: 'https://elsewhere.example/mcp' }),
      ];
      for (const u of crafted)
        for (const headers of [{}, { cookie: ana.cookie }]) {
          const r = await fetch(u, { headers, redirect: 'manual' });
          expect(r.headers.get('location') ?? '').not.toContain('phish.example');
          expect(r.status).toBe(400);
          const page = await r.text();
          expect(page).toContain('This connection cannot go on');
          // the person may take the error back to the client, knowingly: a link naming its host
          expect(page).toContain('phish.example');
          expect(page).toMatch(/<a [^>]*href="https:\/\/phish\.example\/landing\?error=/);
        }
    });
  });

  describe('authorization codes', () => {
    it('one used by two token requests at once gives tokens once, and revokes what it gave', async () => {
      const a = await allowed();
      const answers = await Promise.all([a.exchange(), a.exchange()]);
      const ok = answers.filter((r) => r.status === 200);
      expect(ok).toHaveLength(1);
      expect(answers.map((r) => r.status).sort()).toEqual([200, 400]);
      const tokens = await ok[0]!.json();
      // whichever request won, the code was used twice: its tokens no longer work
      expect((await ping(tokens.access_token)).status).toBe(401);
      expect((await (await refresh(a.clientId, tokens.refresh_token)).json()).error).toBe('invalid_grant');
    });

    it('two redemptions interleaved in one process: the loser finds the winner’s grant and revokes it', async () => {
      // the HTTP race above rarely interleaves on a loopback; the use case called twice at once does
      const a = await allowed();
      const form = { code: a.code, code_verifier: a.verifier, client_id: a.clientId, redirect_uri: a.redirect };
      const settled = await Promise.allSettled([exchangeCode(hub, form), exchangeCode(hub, form)]);
      expect(settled.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const won = settled.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ access_token: string }>;
      await expect(personForAccessToken(hub, won.value.access_token, mcp)).rejects.toThrow(/revoked/);
    });

    it('someone holding a leaked code but not its verifier can neither spend it nor revoke its tokens', async () => {
      const a = await allowed();
      // before the client: refused, and the code still works for its client
      const thief = await a.exchange({ code_verifier: pkce().verifier });
      expect(await thief.json()).toMatchObject({ error: 'invalid_grant', error_description: /code_verifier/ });
      const otherClient = await a.exchange({ client_id: await register('https://thief.example/cb') });
      expect((await otherClient.json()).error).toBe('invalid_grant');
      const good = await a.exchange();
      expect(good.status).toBe(200);
      const tokens = await good.json();
      // after the client: refused, and the client's tokens keep working
      const late = await a.exchange({ code_verifier: pkce().verifier });
      expect((await late.json()).error).toBe('invalid_grant');
      expect((await ping(tokens.access_token)).status).toBe(200);
    });
  });

  describe('open registration stays bounded', () => {
    it('registrations have their own budget per address: a made-up token is no new budget, and writes are untouched', async () => {
      const before = hub.governance.rateLimits;
      hub.governance.rateLimits = {
        ...before,
        registrations: 3,
        writes: 5,
        perSecond: { ...before.perSecond, registrations: 100, writes: 100 },
      };
      try {
        const send = (headers: Record<string, string> = {}) =>
          fetch(`${origin}/oauth/register`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', ...headers },
            body: JSON.stringify({ client_name: 'Bounded', redirect_uris: ['http://127.0.0.1:47300/cb'] }),
          });
        const statuses = [];
        for (let i = 0; i < 3; i++) statuses.push((await send()).status);
        expect(statuses).toEqual([201, 201, 201]);
        const refused = await send();
        expect(refused.status).toBe(429);
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
        expect((await refused.json()).detail).toMatch(
          /^at most 3 registrations per 60 s for one address; try again in/,
        );
        // a bearer token or session cookie of any value does not open a fresh budget
        expect((await send({ Authorization: 'Bearer made-up-1' })).status).toBe(429);
        expect((await send({ cookie: 'wghub_session=made-up' })).status).toBe(429);
        // the address's writes are a budget of their own: a token request is still answered
        const token = await tokenRequest(origin, { grant_type: 'password' });
        expect(token.status).toBe(400);
      } finally {
        hub.governance.rateLimits = before;
        // the next test counts the registrations waiting
        await hub.store.db.deleteFrom('oauth_clients').where('client_name', '=', 'Bounded').execute();
      }
    });

    it('a flood of registrations nobody allows keeps only the newest waiting, never an allowed client', async () => {
      const settable = OAUTH as { waitingClients: number };
      const cap = settable.waitingClients;
      const a = await allowed();
      const waiting = () =>
        hub.store.db.selectFrom('oauth_clients').select('client_id').where('granted_at', 'is', null).execute();
      settable.waitingClients = (await waiting()).length + 3;
      try {
        const flood: string[] = [];
        for (let i = 0; i < 8; i++) {
          hub.clock.advance(1000);
          flood.push(await register(`https://flood.example/${i}`));
        }
        const left = (await waiting()).map((r) => r.client_id);
        expect(left).toHaveLength(settable.waitingClients);
        expect(left).toEqual(expect.arrayContaining(flood.slice(-3)));
        expect(left).not.toContain(flood[0]);
        // the client someone allowed is still there: its tokens work, and it may ask again
        expect((await a.exchange()).status).toBe(200);
        const again = await fetch(authorizeUrl(a.clientId, a.redirect, pkce().challenge), {
          headers: { cookie: ana.cookie },
        });
        const text = await again.text();
        expect(text, /<p class="warning">([^<]*)/.exec(text)?.[1]).toContain('Allow Some client to act as you?');
        // a dropped one is told to register anew
        const dropped = await fetch(authorizeUrl(flood[0]!, 'https://flood.example/0', pkce().challenge), {
          headers: { cookie: ana.cookie },
        });
        expect(await dropped.text()).toContain('add it again, so that it registers anew');
      } finally {
        settable.waitingClients = cap;
      }
    });

    it('the hourly pruning drops expired codes and tokens, long-revoked or dead grants and week-old registrations nobody allowed', async () => {
      const kept = await allowed('http://127.0.0.1:47210/cb');
      const tokens = await (await kept.exchange()).json();
      const stale = await register('https://never-allowed.example/cb');
      // allowed on the page, its code never redeemed: someone allowed it, so it is kept
      const neverRedeemed = await allowed('http://127.0.0.1:47211/cb');
      const count = async (table: 'oauth_codes' | 'oauth_tokens' | 'oauth_grants' | 'oauth_clients') =>
        Number(
          (
            await hub.store.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      hub.clock.advance(8 * 86_400_000);
      // the client refreshed within the week: its grant lives on
      const fresh = await (await refresh(kept.clientId, tokens.refresh_token)).json();
      const before = { codes: await count('oauth_codes'), tokens: await count('oauth_tokens') };
      const pruned = await pruneOAuth(hub);
      expect(pruned.codes).toBeGreaterThanOrEqual(2);
      expect(pruned.tokens).toBeGreaterThanOrEqual(1);
      expect(await count('oauth_codes')).toBe(before.codes - pruned.codes);
      expect(pruned.clients).toBeGreaterThanOrEqual(1);
      const ids = (await hub.store.db.selectFrom('oauth_clients').select('client_id').execute()).map(
        (r) => r.client_id,
      );
      expect(ids).not.toContain(stale);
      expect(ids).toContain(kept.clientId);
      expect(ids).toContain(neverRedeemed.clientId);
      expect((await ping(fresh.access_token)).status).toBe(200);
      // 31 days without connecting: nothing of the grant works, and it goes; the client stays
      hub.clock.advance(31 * 86_400_000);
      const later = await pruneOAuth(hub);
      expect(later.grants).toBeGreaterThanOrEqual(1);
      expect(
        await hub.store.db.selectFrom('oauth_grants').select('id').where('client_id', '=', kept.clientId).execute(),
      ).toEqual([]);
      expect(
        (await hub.store.db.selectFrom('oauth_clients').select('client_id').execute()).map((r) => r.client_id),
      ).toContain(kept.clientId);
    });
  });

  describe('refresh tokens', () => {
    it('a refresh token copied and used within the reuse grace cannot fork the grant into a second lasting chain', async () => {
      const a = await allowed();
      const first = await (await a.exchange()).json();
      expect(first.refresh_token, JSON.stringify(first)).toMatch(/^wghr_/);
      // the client refreshes
      const client1 = await (await refresh(a.clientId, first.refresh_token)).json();
      expect(client1.refresh_token).toMatch(/^wghr_/);
      // a thief replays the same refresh token within the grace: answered (it looks like the client's race)
      hub.clock.advance(5_000);
      const thief1 = await (await refresh(a.clientId, first.refresh_token)).json();
      expect(thief1.refresh_token).toMatch(/^wghr_/);
      // an hour on, the client refreshes with what it holds; then the thief with what it holds
      hub.clock.advance(3_600_000);
      const client2 = await refresh(a.clientId, client1.refresh_token);
      expect(client2.status).toBe(200);
      const clientTokens = await client2.json();
      hub.clock.advance(60_000);
      const thief2 = await refresh(a.clientId, thief1.refresh_token);
      expect(thief2.status).toBe(400);
      expect((await thief2.json()).error).toBe('invalid_grant');
      // two chains of one grant met: it ends, for both (RFC 9700 §4.14.2)
      expect((await ping(clientTokens.access_token)).status).toBe(401);
    });

    it('a client whose own requests raced to refresh goes on with whichever answer it kept', async () => {
      for (const keep of [0, 1]) {
        const a = await allowed();
        const first = await (await a.exchange()).json();
        const raced = await Promise.all([
          refresh(a.clientId, first.refresh_token),
          refresh(a.clientId, first.refresh_token),
        ]);
        expect(raced.map((r) => r.status)).toEqual([200, 200]);
        const kept = await raced[keep]!.json();
        hub.clock.advance(3_600_000);
        const next = await refresh(a.clientId, kept.refresh_token);
        expect(next.status).toBe(200);
        const tokens = await next.json();
        expect((await ping(tokens.access_token)).status).toBe(200);
        hub.clock.advance(3_600_000);
        expect((await refresh(a.clientId, tokens.refresh_token)).status).toBe(200);
      }
    });
  });
});
