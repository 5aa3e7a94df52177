import { safeNext } from '../../src/http/web/session.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../src/http/server.ts';
import { webConfigFromEnv } from '../../src/http/web/config.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';
import { WebClient } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };

describe.each(databases)('web sessions and CSRF on $name', (database) => {
  let hub: TestHub;
  let web: WebClient;

  beforeEach(async () => {
    hub = await openTestHub(database);
    await person(hub, 'priya', { role: 'member', org: 'Nebula Tools' });
    web = new WebClient(createHttpApp(hub, undefined, { web: demo }));
  });
  afterEach(async () => hub?.close());

  it('signs in a demo person with a secure http-only cookie, and signing out ends the session', async () => {
    await web.get('/sign-in');
    const res = await web.post('/sign-in/demo', { handle: 'priya', next: '/' });
    expect(res.status).toBe(303);
    expect(web.cookie('__Host-wghub_session')).toBeTruthy();
    const secret = web.cookie('__Host-wghub_session')!;
    const home = await web.get('/');
    expect(home.html).toContain('Signed in as');
    expect(home.html).toContain('Priya');

    await web.post('/sign-out', {});
    expect(web.cookie('__Host-wghub_session')).toBeUndefined();
    // the old cookie no longer signs anyone in, even if replayed
    const replay = new WebClient(createHttpApp(hub, undefined, { web: demo }));
    replay.setCookie('__Host-wghub_session', secret);
    expect((await replay.get('/welcome')).html).not.toContain('Signed in as');
  });

  it('sets Secure, HttpOnly and SameSite on the session cookie', async () => {
    const app = createHttpApp(hub, undefined, { web: demo });
    const page = await app.request('http://localhost/sign-in', { headers: { Accept: 'text/html' } });
    const visitor = page.headers.getSetCookie().find((c) => c.startsWith('__Host-wghub_csrf='))!;
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    const res = await app.request('http://localhost/sign-in/demo', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Cookie: visitor.split(';')[0]!,
        Origin: 'http://localhost',
      },
      body: new URLSearchParams({ handle: 'priya', _csrf: token }).toString(),
    });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-wghub_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it('refuses a form without the CSRF token, with a wrong one, or from another origin, and changes nothing', async () => {
    await web.get('/sign-in');
    expect((await web.post('/sign-in/demo', { handle: 'priya' }, { csrf: null })).status).toBe(403);
    expect((await web.post('/sign-in/demo', { handle: 'priya' }, { csrf: 'forged' })).status).toBe(403);
    const cross = await web.post('/sign-in/demo', { handle: 'priya' }, { origin: 'https://evil.example' });
    expect(cross.status).toBe(403);
    expect(cross.html).toContain('not from this hub');
    expect(web.cookie('__Host-wghub_session')).toBeUndefined();
    const count = await hub.store.db
      .selectFrom('web_sessions')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('a demo newcomer keeps the page they were on their way to through the welcome page', async () => {
    const next = '/proposals/new?group=registry';
    const page = await web.get(`/sign-in?next=${encodeURIComponent(next)}`);
    expect(page.html).toContain(`<input type="hidden" name="next" value="/proposals/new?group=registry">`);
    const joined = await web.post('/sign-in/newcomer', { handle: 'nia', name: 'Nia', timeZone: 'UTC', next });
    expect(joined.location).toBe(`/welcome?next=${encodeURIComponent(next)}`);
    expect((await web.get(joined.location!)).html).toContain('continue where you were going');
  });

  it('a newcomer with a bad time zone is told which field and rule, and keeps what they typed', async () => {
    await web.get('/sign-in');
    const res = await web.post('/sign-in/newcomer', { handle: 'ada-l', name: 'Ada L', timeZone: 'Mars/Olympus' });
    expect(res.status).toBe(422);
    expect(res.html).toContain('There is a problem');
    expect(res.html).toContain('Time zone: must be an IANA time zone');
    expect(res.html).toContain('aria-invalid="true"');
    expect(res.html).toContain('value="ada-l"');
    expect(web.cookie('__Host-wghub_session')).toBeUndefined();
    // the zone is a choice among the IANA zones, not free text
    const form = (await web.get('/sign-in')).html;
    expect(form).toMatch(/<select id="f-timeZone" name="timeZone" data-browser-zone/);
    expect(form).toContain('<option value="Asia/Kolkata">Asia/Kolkata</option>');
  });

  it('pages forbid inline script, framing and content sniffing; REST answers are left alone', async () => {
    const app = createHttpApp(hub, undefined, { web: demo });
    const page = await app.request('http://localhost/welcome', { headers: { Accept: 'text/html' } });
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).not.toMatch(/<script>|style="/);
    const api = await app.request('http://localhost/api/groups');
    expect(api.headers.get('content-security-policy')).toBeNull();
  });

  it('a session ends when its lifetime is over, and finished sessions are pruned at the next sign-in', async () => {
    await web.get('/sign-in');
    await web.post('/sign-in/demo', { handle: 'priya' });
    expect((await web.get('/')).html).toContain('What needs you');
    hub.clock.set('2026-11-03T10:00:00Z'); // 25 hours after sign-in; sessions last 24 here
    const after = await web.get('/');
    expect(after.status).toBe(303);
    expect(after.location).toBe('/welcome');
    for (let i = 0; i < 3; i++) {
      const w = new WebClient(createHttpApp(hub, undefined, { web: demo }));
      await w.get('/sign-in');
      await w.post('/sign-in/demo', { handle: 'priya' });
      await w.get('/'); // the signed-in page carries the session's CSRF token
      expect((await w.post('/sign-out', {})).status).toBe(303);
    }
    const rows = await hub.store.db.selectFrom('web_sessions').select('id_hash').execute();
    // the newest, signed out since: the ones before it were pruned at each sign-in ("since your last
    // visit" is kept in home_visits, not read from the sessions, since 2026-12-08)
    expect(rows.length).toBe(1);
  });

  it('only follows same-site paths after sign-in', async () => {
    await web.get('/sign-in');
    const res = await web.post('/sign-in/demo', { handle: 'priya', next: '//evil.example/x' });
    expect(res.location).toBe('/');
  });

  // a browser drops a tab or line break inside a URL, so '/<tab>/evil.example' becomes '//evil.example'
  it.each(['/\t/evil.example/x', '/\n/evil.example/x', '/\r\n/evil.example/x', '/\\evil.example/x'])(
    'does not follow %j after sign-in (another site once the browser reads it)',
    async (next) => {
      const w = new WebClient(createHttpApp(hub, undefined, { web: demo }));
      await w.get('/sign-in');
      const res = await w.post('/sign-in/demo', { handle: 'priya', next });
      expect(res.status).toBe(303);
      expect(res.location).toBe('/');
    },
  );

  it.each([
    ['/search?q=café', '/search?q=caf%C3%A9'],
    ['/people/日本', '/people/%E6%97%A5%E6%9C%AC'],
    ['/a\u0085b c', '/a%C2%85b%20c'],
    ['/search?q=caf%C3%A9', '/search?q=caf%C3%A9'],
  ])('follows %j after sign-in as the page it names, escaped for the Location header', async (next, location) => {
    const w = new WebClient(createHttpApp(hub, undefined, { web: demo }));
    await w.get('/sign-in');
    const res = await w.post('/sign-in/demo', { handle: 'priya', next });
    expect(res.status).toBe(303);
    expect(res.location).toBe(location);
  });

  it('a next that is not well-formed text goes home rather than failing to escape', () => {
    // a form's body cannot carry a lone surrogate, but a query string read by other code may
    expect(safeNext('/x\uD800')).toBe('/');
  });

  it('REST answers stay JSON, and unknown pages are HTML for browsers', async () => {
    const api = await web.get('/api/groups/nope');
    expect(api.status).toBe(404);
    expect(api.html).toContain('urn:wghub:problem:not-found');
    const page = await web.get('/no-such-page');
    expect(page.status).toBe(404);
    expect(page.html).toContain('<h1>Not found</h1>');
  });
});

describe('web sign-in configuration', () => {
  it('demo mode without an issuer; OIDC needs a client id; https public URLs make cookies Secure', () => {
    expect(webConfigFromEnv({})).toMatchObject({ oidc: null, secureCookies: false });
    expect(() => webConfigFromEnv({ WGHUB_OIDC_ISSUER: 'https://id.example.org' })).toThrow(
      /WGHUB_OIDC_CLIENT_ID must be set/,
    );
    const c = webConfigFromEnv({
      WGHUB_OIDC_ISSUER: 'https://id.example.org',
      WGHUB_OIDC_CLIENT_ID: 'hub',
      WGHUB_PUBLIC_URL: 'https://hub.example.org/',
    });
    expect(c).toMatchObject({
      oidc: { issuer: 'https://id.example.org', clientId: 'hub', handleClaim: 'preferred_username' },
      publicUrl: 'https://hub.example.org',
      secureCookies: true,
    });
    expect(() => webConfigFromEnv({ WGHUB_SESSION_HOURS: 'soon' })).toThrow(/WGHUB_SESSION_HOURS/);
  });
});
