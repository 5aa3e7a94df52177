// The rate limits' two guards against one client crowding out the rest: a per-second budget (a
// window's allowance cannot be spent in one burst) and a cap on searches and writes in flight.
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Hub } from '../../src/app/core/hub.ts';
import { GovernanceSchema, type RateLimits } from '../../src/domain/governance/schema.ts';
import { credentialSignsIn } from '../../src/http/known-credentials.ts';
import { rateLimiter, rateLimiting } from '../../src/http/rate-limits.ts';

function appWith(rules: Partial<RateLimits>, opts: { trustProxy?: boolean; secureCookies?: boolean } = {}) {
  const defaults = GovernanceSchema.shape.rateLimits.parse(undefined);
  const hub = { governance: { rateLimits: { ...defaults, ...rules } }, store: {} } as unknown as Hub;
  const waiting: (() => void)[] = [];
  const app = new Hono();
  app.use(rateLimiting(hub, opts));
  app.post('/api/slow', async (c) => {
    await new Promise<void>((resolve) => waiting.push(resolve));
    return c.json({ ok: true });
  });
  app.post('/api/fast', (c) => c.json({ ok: true }));
  app.get('/api/read', (c) => c.json({ ok: true }));
  app.get('/meetings/fair-times', (c) => c.json({ ok: true }));
  // a token that signs someone in, as the hub has seen it do (bearer.ts tells the limits)
  const as = (token: string, method = 'POST') => {
    credentialSignsIn(hub, 'token', token);
    return { method, headers: { authorization: `Bearer ${token}` } };
  };
  return {
    app,
    hub,
    as,
    release: () => {
      for (const r of waiting.splice(0)) r();
    },
    waiting,
  };
}

describe('rate limits against one client crowding out the rest', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['Date'] }));
  afterEach(() => vi.useRealTimers());

  it('behind a trusted proxy, counts the address the proxy saw, whatever the client wrote into X-Forwarded-For', async () => {
    const { app } = appWith(
      { perSecond: { ...GovernanceSchema.shape.rateLimits.parse(undefined).perSecond, writes: 2 } },
      {
        trustProxy: true,
      },
    );
    // the proxy appends what it saw (203.0.113.9) after whatever the client sent
    const post = (client: string) =>
      app.request('/api/fast', { method: 'POST', headers: { 'X-Forwarded-For': `${client}, 203.0.113.9` } });
    expect([(await post('10.0.0.1')).status, (await post('10.0.0.2')).status, (await post('10.0.0.3')).status]).toEqual(
      [200, 200, 429],
    );
    // another address behind the same proxy has its own budget
    const other = await app.request('/api/fast', { method: 'POST', headers: { 'X-Forwarded-For': '198.51.100.4' } });
    expect(other.status).toBe(200);
  });

  it('counts an IPv6 client by its /64, which one host holds whole, and an IPv4-mapped address as its IPv4', async () => {
    const { app } = appWith(
      { perSecond: { ...GovernanceSchema.shape.rateLimits.parse(undefined).perSecond, writes: 2 } },
      { trustProxy: true },
    );
    const post = (seen: string) => app.request('/api/fast', { method: 'POST', headers: { 'X-Forwarded-For': seen } });
    // three addresses of one /64: one budget (each was a fresh one)
    expect([
      (await post('2001:db8:7:1::a')).status,
      (await post('2001:db8:7:1:ffff::b')).status,
      (await post('2001:DB8:7:1::c')).status,
    ]).toEqual([200, 200, 429]);
    expect((await post('2001:db8:7:2::a')).status).toBe(200);
    expect([
      (await post('192.0.2.7')).status,
      (await post('::ffff:192.0.2.7')).status,
      (await post('192.0.2.7')).status,
    ]).toEqual([200, 200, 429]);
  });

  it('counts a browser by its session cookie (__Host-wghub_session over https), not by the address it shares', async () => {
    const { app, hub } = appWith(
      { perSecond: { ...GovernanceSchema.shape.rateLimits.parse(undefined).perSecond, writes: 2 } },
      { secureCookies: true },
    );
    const post = (cookie: string) => app.request('/api/fast', { method: 'POST', headers: { cookie } });
    // three people behind one address, each with a budget of their own (sessions seen signing them in)
    for (const secret of ['a', 'b', 'c']) credentialSignsIn(hub, 'session', secret);
    const people = ['__Host-wghub_session=a', '__Host-wghub_session=b', 'theme=dark; __Host-wghub_session=c'];
    const statuses = [];
    for (const cookie of people) statuses.push((await post(cookie)).status);
    expect(statuses).toEqual([200, 200, 200]);
    // one person's session spends its own budget
    expect([(await post('__Host-wghub_session=a')).status, (await post('__Host-wghub_session=a')).status]).toEqual([
      200, 429,
    ]);
    // a bare wghub_session signs nobody in over https, and a sibling subdomain can plant one in every
    // browser: it is no budget of its own (made-up values are one address, past its budget of 2), and one
    // planted ahead of a browser's own __Host- cookie does not stand for it
    const bare = [];
    for (const cookie of ['wghub_session=d', 'wghub_session=e', 'wghub_session=f'])
      bare.push((await post(cookie)).status);
    expect(bare).toEqual([200, 200, 429]);
    expect((await post('wghub_session=d; __Host-wghub_session=b')).status).toBe(200);
  });

  it('over plain http counts a browser by its bare wghub_session cookie, the one that signs it in there', async () => {
    const { app, hub } = appWith(
      { perSecond: { ...GovernanceSchema.shape.rateLimits.parse(undefined).perSecond, writes: 2 } },
      { secureCookies: false },
    );
    const post = (cookie: string) => app.request('/api/fast', { method: 'POST', headers: { cookie } });
    for (const secret of ['d', 'e', 'f']) credentialSignsIn(hub, 'session', secret);
    const bare = [];
    for (const cookie of ['wghub_session=d', 'wghub_session=e', 'wghub_session=f'])
      bare.push((await post(cookie)).status);
    expect(bare).toEqual([200, 200, 200]);
    expect([(await post('wghub_session=d')).status, (await post('wghub_session=d')).status]).toEqual([200, 429]);
  });

  it('charges a session cookie no session was seen to sign in with to its address: a made-up one each time was a fresh budget (attack round 31)', async () => {
    const { app, hub } = appWith(
      { perSecond: { ...GovernanceSchema.shape.rateLimits.parse(undefined).perSecond, writes: 2 } },
      { secureCookies: false },
    );
    const post = (cookie: string) => app.request('/api/fast', { method: 'POST', headers: { cookie } });
    const made = [];
    for (const cookie of ['wghub_session=x1', 'wghub_session=x2', 'wghub_session=x3', 'wghub_session=x4'])
      made.push((await post(cookie)).status);
    // each is admitted on the address's budget: the third is past its 2 a second (and signs nobody in)
    expect(made).toEqual([200, 200, 429, 429]);
    // once its session is seen signing someone in, a cookie is a budget of its own
    credentialSignsIn(hub, 'session', 'x5');
    expect((await post('wghub_session=x5')).status).toBe(200);
  });

  it('charges a token no request was seen to sign in with to its address: a made-up one each time was a fresh budget (attack round 31)', async () => {
    const { app, as } = appWith({
      perSecond: { ...GovernanceSchema.shape.rateLimits.parse(undefined).perSecond, writes: 2 },
    });
    const post = (token: string) =>
      app.request('/api/fast', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    const made = [];
    for (const token of ['wgh_made1', 'wgh_made2', 'wgh_made3', 'wgh_made4']) made.push((await post(token)).status);
    expect(made).toEqual([200, 200, 429, 429]);
    // a token seen signing someone in keeps a budget of its own
    expect((await app.request('/api/fast', as('wgh_real'))).status).toBe(200);
  });

  it('a made-up session cookie takes its address’s place in flight before it runs: two held, a third is refused (review of round 31)', async () => {
    const { app, release, waiting } = appWith({}, { secureCookies: false });
    const post = (path: string, cookie: string) => app.request(path, { method: 'POST', headers: { cookie } });
    // charged to the address only once answered, a burst of made-up cookies all ran at once, and none
    // was charged while the address had requests in flight
    const held = [post('/api/slow', 'wghub_session=h1'), post('/api/slow', 'wghub_session=h2')];
    await vi.waitFor(() => expect(waiting).toHaveLength(2));
    expect((await post('/api/fast', 'wghub_session=h3')).status).toBe(429);
    release();
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200]);
    expect((await post('/api/fast', 'wghub_session=h4')).status).toBe(200);
  });

  it('a token not yet seen and over its own budget spends none of its address’s: the visitors behind it still pass (review of round 31)', async () => {
    const { app } = appWith(
      { perSecond: { ...GovernanceSchema.shape.rateLimits.parse(undefined).perSecond, writes: 1 } },
      { trustProxy: true },
    );
    const post = (from: string, token?: string) =>
      app.request('/api/fast', {
        method: 'POST',
        headers: { 'X-Forwarded-For': from, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      });
    // its one write a second spent from one address (as on another process, the window shared)
    expect((await post('198.51.100.1', 'wgh_busy')).status).toBe(200);
    // from a second address it is refused on its own budget, before the address's is touched
    expect((await post('198.51.100.2', 'wgh_busy')).status).toBe(429);
    expect((await post('198.51.100.2')).status).toBe(200);
  });

  it('what a request spends again (a batch’s messages, a tool’s searches) with a made-up cookie is charged to its address too (last read of round 31)', async () => {
    const defaults = GovernanceSchema.shape.rateLimits.parse(undefined);
    const hub = {
      governance: { rateLimits: { ...defaults, perSecond: { ...defaults.perSecond, searches: 2 } } },
      store: {},
    } as unknown as Hub;
    const limiter = rateLimiter(hub, { secureCookies: false });
    const spend = (cookie: string) =>
      limiter.admitAlso(
        { method: 'POST', path: '/mcp', header: (n) => (n === 'cookie' ? cookie : undefined), address: '198.51.100.7' },
        'searches',
      );
    const answers = [];
    for (const cookie of ['wghub_session=m1', 'wghub_session=m2', 'wghub_session=m3']) {
      const r = await spend(cookie);
      answers.push(typeof r === 'function' ? 'spent' : 'refused');
      if (typeof r === 'function') r();
    }
    expect(answers).toEqual(['spent', 'spent', 'refused']);
  });

  it('refuses a third write at once while two of the same token are still being handled', async () => {
    const { app, as, release, waiting } = appWith({ inFlight: 2 });
    const first = app.request('/api/slow', as('a'));
    const second = app.request('/api/slow', as('a'));
    await vi.waitFor(() => expect(waiting.length).toBe(2));
    const third = await app.request('/api/fast', as('a'));
    expect(third.status).toBe(429);
    expect((await third.json()).detail).toContain('at most 2 searches or writes at a time');
    // another token, and reads of the same token, are not held up
    expect((await app.request('/api/fast', as('b'))).status).toBe(200);
    expect((await app.request('/api/read', as('a', 'GET'))).status).toBe(200);
    release();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    expect((await app.request('/api/fast', as('a'))).status).toBe(200);
  });

  it('spreads a window over its seconds: a burst past the per-second budget waits a second', async () => {
    const { app, as } = appWith({
      writes: 100,
      perSecond: { reads: 100, searches: 10, writes: 2, probes: 1, registrations: 1 },
    });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await app.request('/api/fast', as('a'))).status);
    expect(statuses).toEqual([200, 200, 429]);
    const refused = await app.request('/api/fast', as('a'));
    expect(refused.headers.get('retry-after')).toBe('1');
    expect((await refused.json()).detail).toContain('at most 2 writes per second');
    vi.setSystemTime(Date.now() + 1100);
    expect((await app.request('/api/fast', as('a'))).status).toBe(200);
  });

  // fuzz round 8: the fair-time finder costs up to a quarter of a second for the largest input, and
  // its web page is a GET: as a read, one address could ask for it 500 times a second
  it('counts the fair-time finder as a search, its web page too', async () => {
    const { app, as } = appWith({ perSecond: { reads: 100, searches: 2, writes: 100, probes: 1, registrations: 1 } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await app.request('/meetings/fair-times', as('a', 'GET'))).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect((await app.request('/api/read', as('a', 'GET'))).status).toBe(200);
  });
});
