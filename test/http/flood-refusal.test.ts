// A flood from one token is refused before the app does anything for it (src/http/rate-limits.ts,
// guardFetch): no body read, no token looked up, no log line per request, yet every refusal is
// counted and the operator is told, once, who is being refused. Figures: bench/flood.ts.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';

describe.each(databases)('a flood refused before the app on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  let lines: Record<string, unknown>[];
  let flooder: string;
  let reader: string;

  beforeEach(async () => {
    hub = await openTestHub(database);
    hub.governance.rateLimits = {
      ...hub.governance.rateLimits,
      searches: 3,
      perSecond: { ...hub.governance.rateLimits.perSecond, searches: 3 },
    };
    lines = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        done();
      },
    });
    app = createHttpApp(hub, undefined, { log: pino({ level: 'info' }, sink) });
    await person(hub, 'priya', { role: 'member' });
    await person(hub, 'sam', { role: 'member' });
    flooder = (await createToken(hub, SYSTEM, 'priya')).token;
    reader = (await createToken(hub, SYSTEM, 'sam')).token;
  });
  afterEach(async () => hub?.close());

  const as = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

  it('refuses past the budget with 429, nosniff and Retry-After, logs one line for the client, counts every refusal', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await app.request('/api/search?q=session', as(flooder))).status);
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.slice(3).every((s) => s === 429)).toBe(true);
    const refused = await app.request('/api/search?q=session', as(flooder));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/at most 3 searches per (second|60 s)/);
    // another token's reads and searches are untouched
    expect((await app.request('/api/search?q=session', as(reader))).status).toBe(200);
    expect((await app.request('/api/groups', as(reader))).status).toBe(200);

    const requestLines = lines.filter((l) => l.msg === 'request' && String(l.path).startsWith('/api/search'));
    expect(requestLines).toHaveLength(4); // the three searches let through and the reader's: no line per refusal
    const refusalLines = lines.filter((l) => l.msg === 'rate limited');
    expect(refusalLines).toHaveLength(1);
    expect(refusalLines[0]).toMatchObject({ budget: 'searches', status: 429 });
    expect(String(refusalLines[0]!.client)).toMatch(/^token:/);
    expect(JSON.stringify(lines)).not.toContain(flooder); // never the token itself

    const metrics = await (await app.request('/metrics')).text();
    expect(metrics).toMatch(/wghub_http_requests_refused_total\{budget="searches"\} 38/);
  });

  it('a path spelled with escapes spends the same budget as the plain one', async () => {
    for (let i = 0; i < 3; i++) expect((await app.request('/api/search?q=x', as(flooder))).status).toBe(200);
    expect((await app.request('/api/%73earch?q=x', as(flooder))).status).toBe(429);
    expect((await app.request('/api/s%65arch?q=x', as(flooder))).status).toBe(429);
  });

  it('refuses a write past the budget before looking at its body: an oversized one gets 429, not 413', async () => {
    hub.governance.rateLimits = {
      ...hub.governance.rateLimits,
      writes: 1,
      perSecond: { ...hub.governance.rateLimits.perSecond, writes: 1 },
    };
    const write = (body: string) =>
      app.request('/api/groups/nowhere/members', {
        method: 'POST',
        headers: { authorization: `Bearer ${flooder}`, 'content-type': 'application/json' },
        body,
      });
    expect((await write('{}')).status).toBe(404);
    expect((await write('x'.repeat(2 * 1024 * 1024))).status).toBe(429);
    // within budget, the same body is refused for its size
    expect(
      (
        await app.request('/api/groups/nowhere/members', {
          method: 'POST',
          headers: { authorization: `Bearer ${reader}`, 'content-type': 'application/json' },
          body: 'x'.repeat(2 * 1024 * 1024),
        })
      ).status,
    ).toBe(413);
  });
});
