// With WGHUB_PUBLIC_URL unset, the OAuth metadata documents and the consent page build the issuer
// and every endpoint from the request's Host header: only a host the operator trusts (the loopback
// names, the listen address, WGHUB_ALLOWED_HOSTS) may name them; a forged one is a 400 naming the rule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkServeSettings } from '../../src/cli/serve-settings.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { allowedHostsFromEnv, type WebConfig } from '../../src/http/web/config.ts';
import { allowedHostsFor } from '../../src/mcp/http.ts';
import { secret } from '../../src/app/github/config.ts';
import { databases } from '../support/databases.ts';
import { proposeGroup } from '../../src/app/groups/groups.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';

const WEB: WebConfig = { oidc: null, github: null, publicUrl: null, secureCookies: false, sessionHours: 24 };
const METADATA = [
  '/.well-known/oauth-authorization-server',
  '/.well-known/oauth-protected-resource',
  '/.well-known/oauth-protected-resource/mcp',
];

describe.each(databases)('OAuth addresses from the Host header on $name', (database) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await openTestHub(database);
  });
  afterAll(async () => hub?.close());

  it('answers the loopback names as npm start serves them, and refuses a forged host with the rule', async () => {
    const app = createHttpApp(hub, undefined, { web: WEB });
    for (const origin of ['http://localhost:8787', 'http://127.0.0.1:8787', 'http://[::1]:8787']) {
      const as = await (await app.request(`${origin}/.well-known/oauth-authorization-server`)).json();
      expect(as).toMatchObject({ issuer: origin, authorization_endpoint: `${origin}/oauth/authorize` });
    }
    for (const path of METADATA) {
      const r = await app.request(`http://attacker.example${path}`);
      expect(r.status).toBe(400);
      const body = await r.text();
      expect(body).toContain('attacker.example');
      expect(body).toContain('WGHUB_ALLOWED_HOSTS');
      expect(body).toContain('WGHUB_PUBLIC_URL');
    }
    const page = await app.request('http://attacker.example/oauth/authorize?client_id=x&response_type=code');
    expect(page.status).toBe(400);
    const text = await page.text();
    expect(text).toContain('WGHUB_ALLOWED_HOSTS');
    expect(text).not.toContain('not registered with this hub');
  });

  it('builds sign-in callbacks (GitHub, OpenID Connect) from trusted hosts only, and from WGHUB_PUBLIC_URL whatever the Host', async () => {
    const github = { clientId: 'Iv23test', clientSecret: secret('not-a-secret'), apiUrl: 'http://127.0.0.1:9' };
    const oidc = {
      issuer: 'http://127.0.0.1:9',
      clientId: 'hub',
      clientSecret: undefined,
      handleClaim: 'preferred_username',
      scope: 'openid',
      allowHttpIssuer: true,
    };
    const app = createHttpApp(hub, undefined, { web: { ...WEB, github, oidc, hosts: ['hub.lan'] } });
    const redirectOf = async (url: string) =>
      new URL((await app.request(url)).headers.get('location')!).searchParams.get('redirect_uri');
    expect(await redirectOf('http://localhost:8787/auth/github/login')).toBe(
      'http://localhost:8787/auth/github/callback',
    );
    expect(await redirectOf('http://hub.lan/auth/github/login')).toBe('http://hub.lan/auth/github/callback');
    // a forged Host is never handed to the provider as where to send the browser back (nor its code)
    for (const path of [
      '/auth/github/login',
      '/auth/github/callback?code=x&state=y',
      '/auth/login',
      '/auth/callback',
    ]) {
      const r = await app.request(`http://attacker.example${path}`);
      expect(r.status, path).toBe(400);
      expect(r.headers.get('location')).toBeNull();
      const text = await r.text();
      expect(text).toContain('attacker.example');
      expect(text).toContain('WGHUB_PUBLIC_URL');
    }
    // the page for scripts does not repeat an untrusted host back either
    const dev = await (await app.request('http://attacker.example/developers')).text();
    expect(dev).not.toContain('attacker.example');
    expect(dev).toContain('https://HUB-ADDRESS/mcp');
    // nor do the calendar feeds offered to subscribe to
    await proposeGroup(hub, await person(hub, 'lead', { role: 'member' }), {
      slug: 'hosting',
      name: 'Hosting',
      kind: 'working',
      mission: 'Share practices for hosting MCP servers at scale.',
      scopeIn: ['Scaling'],
      leads: ['lead'],
    });
    const meetings = await (await app.request('http://attacker.example/meetings')).text();
    expect(meetings).not.toContain('attacker.example');
    // no address to subscribe to, not a made-up one: the feed downloads from here, and the page says why
    expect(meetings).not.toContain('webcal:');
    expect(meetings).toContain('<a href="/api/groups/hosting/calendar.ics" download>Download');
    expect(meetings).toContain("the hub's operator sets it with WGHUB_PUBLIC_URL");
    expect(await (await app.request('http://hub.lan/meetings')).text()).toContain('webcal://hub.lan/api/groups/');
    // with WGHUB_PUBLIC_URL set, every Host gets the public address
    const behind = createHttpApp(hub, undefined, { web: { ...WEB, github, publicUrl: 'https://hub.example.org' } });
    for (const host of ['attacker.example', 'localhost'])
      expect(
        new URL((await behind.request(`http://${host}/auth/github/login`)).headers.get('location')!).searchParams.get(
          'redirect_uri',
        ),
      ).toBe('https://hub.example.org/auth/github/callback');
  });

  it('trusts the hosts the operator lists, and the address /mcp answers to', async () => {
    const app = createHttpApp(hub, undefined, {
      web: { ...WEB, hosts: ['hub.lan'] },
      mcp: { allowedHosts: ['10.0.0.5'] },
    });
    for (const origin of ['http://hub.lan:8787', 'http://10.0.0.5:8787', 'http://localhost:8787']) {
      const prm = await (await app.request(`${origin}/.well-known/oauth-protected-resource/mcp`)).json();
      // a client's consent screen names the resource: the community's name, as every page's title does
      expect(prm).toMatchObject({
        resource: `${origin}/mcp`,
        authorization_servers: [origin],
        resource_name: hub.governance.community.name,
      });
    }
    // the consent page goes on to its own checks (here: a client it does not know)
    const page = await app.request('http://hub.lan/oauth/authorize?client_id=x&response_type=code');
    expect(await page.text()).toContain('not registered with this hub');
    expect((await app.request('http://hub.example/.well-known/oauth-authorization-server')).status).toBe(400);
    // /mcp answers to the listed host as well (its Host check, then the challenge naming that origin)
    const mcp = await app.request('http://hub.lan/mcp', {
      method: 'POST',
      headers: { Host: 'hub.lan', 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(mcp.status).toBe(401);
    expect(mcp.headers.get('www-authenticate')).toContain('resource_metadata="http://hub.lan/.well-known/');
  });
  it('trusts an IPv6 listen address and listed hosts however the IPv6 address is written; a wildcard bind names none of its own', async () => {
    const app = createHttpApp(hub, undefined, {
      web: { ...WEB, hosts: allowedHostsFromEnv({ WGHUB_ALLOWED_HOSTS: '[FD00:0::6]' }) },
      mcp: { allowedHosts: allowedHostsFor('fd00::5', ['FD00:0:0::7']) },
    });
    for (const origin of ['http://[fd00::5]:8787', 'http://[fd00::6]:8787', 'http://[fd00::7]:8787']) {
      const prm = await (await app.request(`${origin}/.well-known/oauth-protected-resource/mcp`)).json();
      expect(prm).toMatchObject({ resource: `${origin}/mcp`, authorization_servers: [origin] });
      const mcp = await app.request(`${origin}/mcp`, {
        method: 'POST',
        headers: { Host: new URL(origin).host, 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(mcp.status).toBe(401);
    }
    // a wildcard bind names no host of its own; the loopback names stay, so a client on the hub's own
    // machine reaches /mcp at localhost whatever the bind
    const local = ['localhost', '127.0.0.1', '[::1]'];
    expect(allowedHostsFor('0.0.0.0')).toEqual(local);
    expect(allowedHostsFor('::', ['hub.lan'])).toEqual([...local, 'hub.lan']);
    expect(allowedHostsFor('0.0.0.0', [], 'https://hub.example.org')).toEqual([...local, 'hub.example.org']);
    expect(allowedHostsFor('192.168.1.5')).toEqual([...local, '192.168.1.5']);
  });
});

describe.each(databases)('private-use redirect schemes on $name', (database) => {
  it('registers a client at a scheme the operator added, and refuses it on a hub that did not add it', async () => {
    const hub = await openTestHub(database);
    try {
      const app = createHttpApp(hub, undefined, { web: WEB });
      const register = () =>
        app.request('/oauth/register', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ client_name: 'Lab App', redirect_uris: ['labapp://oauth/callback'] }),
        });
      const refused = await register();
      expect(refused.status).toBe(400);
      expect((await refused.json()).error_description).toMatch(/labapp: is none of these$/);
      hub.settings = { ...hub.settings, appSchemes: ['labapp'] };
      const made = await register();
      expect(made.status).toBe(201);
      expect((await made.json()).redirect_uris).toEqual(['labapp://oauth/callback']);
    } finally {
      await hub.close();
    }
  });
});

describe('WGHUB_ALLOWED_HOSTS', () => {
  it('takes host names and stops the start naming the setting for anything else', () => {
    expect(() => checkServeSettings({ WGHUB_ALLOWED_HOSTS: 'hub.lan, 10.0.0.5,[fd00::5]' })).not.toThrow();
    // compared as a Host header's URL.hostname reads it
    expect(allowedHostsFromEnv({ WGHUB_ALLOWED_HOSTS: 'Hub.LAN, [fd00:0::5],[FD00::5]' })).toEqual([
      'hub.lan',
      '[fd00::5]',
    ]);
    for (const bad of ['https://hub.lan', 'hub.lan:8787', 'hub.lan/x', 'hub lan', '[fd00::5::6]'])
      expect(() => checkServeSettings({ WGHUB_ALLOWED_HOSTS: bad })).toThrow(
        /WGHUB_ALLOWED_HOSTS must be .*host names/,
      );
  });
});
