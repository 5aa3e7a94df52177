// Over https the session and CSRF cookies are __Host- cookies, which a sibling subdomain cannot
// plant or overwrite; over plain http on the loopback they keep their bare names. A session handed
// out under the bare name before the upgrade is not carried over (a sibling could plant one of its
// own under that name, and the hub cannot tell them apart): its person signs in once again.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWebSession, webSession } from '../../src/app/people/web-sessions.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { personRow } from '../../src/app/people/people.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';
import { WebClient } from '../support/web-client.ts';

const overHttps: WebConfig = {
  oidc: null,
  publicUrl: 'https://hub.example.org',
  secureCookies: true,
  sessionHours: 24,
};
const overHttp: WebConfig = { oidc: null, publicUrl: null, secureCookies: false, sessionHours: 24 };

/** The Set-Cookie line for a cookie name, or undefined. */
function setCookieOf(res: Response, name: string): string | undefined {
  return res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
}

async function page(app: ReturnType<typeof createHttpApp>, cookie: string): Promise<Response> {
  return app.request('http://localhost/', { headers: { Accept: 'text/html', Cookie: cookie } });
}

describe.each(databases)('__Host- cookies on $name', (database) => {
  let hub: TestHub;

  beforeEach(async () => {
    hub = await openTestHub(database);
    await person(hub, 'priya', { role: 'member', org: 'Nebula Tools' });
    await person(hub, 'mallory', { role: 'member', org: 'Elsewhere' });
  });
  afterEach(async () => hub?.close());

  it('over https the session and CSRF cookies are __Host- cookies: Secure, Path=/, no Domain', async () => {
    const app = createHttpApp(hub, undefined, { web: overHttps });
    const web = new WebClient(app, 'https://hub.example.org');
    const form = await app.request('http://localhost/sign-in', { headers: { Accept: 'text/html' } });
    const csrf = setCookieOf(form, '__Host-wghub_csrf')!;
    expect(csrf).toMatch(/; Path=\/(;|$)/);
    expect(csrf).toMatch(/; Secure/);
    expect(csrf).not.toMatch(/Domain=/i);
    expect(setCookieOf(form, 'wghub_csrf')).toBeUndefined();

    await web.get('/sign-in');
    await web.post('/sign-in/demo', { handle: 'priya', next: '/' });
    expect(web.cookie('__Host-wghub_session')).toBeTruthy();
    expect(web.cookie('wghub_session')).toBeUndefined();
    expect((await web.get('/')).html).toContain('Signed in as');
    await web.post('/sign-out', {});
    expect(web.cookie('__Host-wghub_session')).toBeUndefined();
  });

  it('over plain http (development on the loopback) the cookies keep their bare names', async () => {
    const app = createHttpApp(hub, undefined, { web: overHttp });
    const form = await app.request('http://localhost/sign-in', { headers: { Accept: 'text/html' } });
    expect(setCookieOf(form, 'wghub_csrf')).not.toMatch(/Secure/);
    expect(form.headers.getSetCookie().join('\n')).not.toContain('__Host-');
    const web = new WebClient(app);
    await web.get('/sign-in');
    await web.post('/sign-in/demo', { handle: 'priya', next: '/' });
    expect(web.cookie('wghub_session')).toBeTruthy();
    expect(web.cookie('__Host-wghub_session')).toBeUndefined();
    expect((await web.get('/')).html).toContain('Signed in as');
  });

  it('over https a session under the old name signs nobody in and its cookie is cleared: its person signs in again', async () => {
    // signed in while the hub handed out bare names
    const before = await startWebSession(hub, (await personRow(hub.store.db, 'priya')).id, 'demo', 24);
    hub.clock.advance(60_000);
    const app = createHttpApp(hub, undefined, { web: overHttps });
    const first = await page(app, `wghub_session=${before.secret}`);
    expect(first.status).toBe(303); // a visitor, sent to the welcome page
    expect(setCookieOf(first, '__Host-wghub_session')).toBeUndefined();
    expect(setCookieOf(first, 'wghub_session')).toMatch(/Max-Age=0/); // the old one cleared
  });

  it("a victim without a __Host- cookie, sent a planted old-name cookie of another person's session, is not signed in as them", async () => {
    // mallory signed in before the upgrade (or on a plain-http process on the same database) and
    // plants her secret with Domain=.example.org from a sibling subdomain; priya has no session yet
    const mallory = await startWebSession(hub, (await personRow(hub.store.db, 'mallory')).id, 'demo', 24);
    const app = createHttpApp(hub, undefined, { web: overHttps });
    const victim = new WebClient(app, 'https://hub.example.org');
    for (const path of ['/', '/sign-in']) {
      victim.setCookie('wghub_session', mallory.secret);
      const r = await victim.get(path);
      expect(r.html).not.toContain('Signed in as');
      expect(victim.cookie('__Host-wghub_session')).toBeUndefined();
    }
    // and her signing in is her own session, not mallory's
    victim.setCookie('wghub_session', mallory.secret);
    await victim.post('/sign-in/demo', { handle: 'priya', next: '/' });
    expect(victim.cookie('__Host-wghub_session')).not.toBe(mallory.secret);
    const home = (await victim.get('/')).html;
    expect(home).toContain('Priya');
    expect(home).not.toContain('Mallory');
  });

  it('signing out ends the session signed in with, over https and plain http, and a leftover old-name one', async () => {
    for (const [config, name, origin] of [
      [overHttps, '__Host-wghub_session', 'https://hub.example.org'],
      [overHttp, 'wghub_session', 'http://localhost'],
    ] as const) {
      const app = createHttpApp(hub, undefined, { web: config });
      const web = new WebClient(app, origin);
      await web.get('/sign-in');
      await web.post('/sign-in/demo', { handle: 'priya', next: '/' });
      const secret = web.cookie(name)!;
      await web.get('/');
      expect((await web.post('/sign-out', {})).status).toBe(303);
      expect(await webSession(hub, secret)).toBeNull();
    }
    // a browser still holding a session from before the upgrade signs out over https: that one ends too
    const before = await startWebSession(hub, (await personRow(hub.store.db, 'priya')).id, 'demo', 24);
    const app = createHttpApp(hub, undefined, { web: overHttps });
    const web = new WebClient(app, 'https://hub.example.org');
    await web.get('/sign-in');
    web.setCookie('wghub_session', before.secret);
    expect((await web.post('/sign-out', {})).status).toBe(303);
    expect(await webSession(hub, before.secret)).toBeNull();
  });

  it('a cookie planted under the old name (Domain=.example.org) is not preferred over the __Host- one', async () => {
    const app = createHttpApp(hub, undefined, { web: overHttps });
    const priya = new WebClient(app, 'https://hub.example.org');
    await priya.get('/sign-in');
    await priya.post('/sign-in/demo', { handle: 'priya', next: '/' });
    const own = priya.cookie('__Host-wghub_session')!;
    // mallory's session from before the upgrade, planted by a sibling subdomain: the browser sends
    // the Domain cookie too, and the server cannot tell the attributes apart, only the names
    const planted = await startWebSession(hub, (await personRow(hub.store.db, 'mallory')).id, 'demo', 24);
    const both = await page(app, `wghub_session=${planted.secret}; __Host-wghub_session=${own}`);
    const html = await both.text();
    expect(html).toContain('Priya');
    expect(html).not.toContain('Mallory');
    expect(setCookieOf(both, '__Host-wghub_session')).toBeUndefined(); // priya's cookie left as it is

    // and a secret handed out under the new name cannot be planted under the old one on its own
    const mallory = new WebClient(app, 'https://hub.example.org');
    await mallory.get('/sign-in');
    await mallory.post('/sign-in/demo', { handle: 'mallory', next: '/' });
    const fresh = mallory.cookie('__Host-wghub_session')!;
    const fixed = await page(app, `wghub_session=${fresh}`);
    expect(fixed.status).toBe(303); // a visitor, sent to the welcome page
    expect(setCookieOf(fixed, '__Host-wghub_session')).toBeUndefined();
  });

  it('over https a CSRF cookie under the old name is not the token forms are checked against', async () => {
    const app = createHttpApp(hub, undefined, { web: overHttps });
    const known = 'planted-by-a-sibling-subdomain-0123';
    const res = await app.request('https://hub.example.org/sign-in/demo', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Cookie: `wghub_csrf=${known}`,
        Origin: 'https://hub.example.org',
      },
      body: new URLSearchParams({ handle: 'mallory', _csrf: known }).toString(),
    });
    expect(res.status).toBe(403);
    expect(setCookieOf(res, '__Host-wghub_session')).toBeUndefined();
  });
});
