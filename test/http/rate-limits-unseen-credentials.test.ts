// On a real hub: a token or session this process has not seen sign anyone in is admitted on its
// address's budget; once that is spent, a made-up one is refused while a real one (a person whose
// request this process has not seen since it started) goes on under its own budget, as does the
// /metrics scraper's token and not an OAuth access token whose grant was revoked (review of round 31).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { setEnv } from '../support/env.ts';
import { openDemoHub, type TestHub } from '../support/hub.ts';

describe.each(databases)('credentials not yet seen, on a real hub on $name', (database) => {
  let hub: TestHub;
  let restore: () => void;
  beforeEach(async () => {
    restore = setEnv({ WGHUB_METRICS_TOKEN: 'scrape-secret-123' });
    hub = await openDemoHub(database);
    const rules = hub.governance.rateLimits;
    hub.governance.rateLimits = { ...rules, enabled: true, perSecond: { ...rules.perSecond, reads: 2 } };
  });
  afterEach(async () => {
    restore();
    await hub?.close();
  });

  it('a made-up token spends its address; a real one not seen yet, and the metrics token, go on when it is spent', async () => {
    const real = (await createToken(hub, SYSTEM, 'priya')).token;
    const app = createHttpApp(hub);
    const read = (token: string, path = '/api/proposals') =>
      app.request(path, { headers: { authorization: `Bearer ${token}` } });
    const made = [];
    for (const token of ['wgh_made1', 'wgh_made2', 'wgh_made3']) made.push((await read(token)).status);
    // two reads a second from the address: the third made-up token is refused before it is looked up further
    expect(made).toEqual([401, 401, 429]);
    expect((await read(real)).status).toBe(200);
    expect((await read('scrape-secret-123', '/metrics')).status).toBe(200);
    expect((await read('wgh_made4')).status).toBe(429);
  });
});
