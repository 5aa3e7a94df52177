import { describe, expect, it } from 'vitest';
import { createHub } from '../../src/app/core/hub.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { openStore } from '../../src/store/connect.ts';
import { databases } from '../support/databases.ts';
import { openTestHub } from '../support/hub.ts';

describe.skipIf(!databases.some((d) => d.name === 'postgres'))('rate limits across processes on PostgreSQL', () => {
  it('one address gets one budget however its requests are spread over hub processes', async () => {
    const a = await openTestHub(databases.find((d) => d.name === 'postgres')!);
    const storeB = openStore(a.store.url);
    const rules = { ...a.governance.rateLimits, enabled: true, reads: 6, windowSeconds: 60 };
    const governance = { ...a.governance, rateLimits: rules };
    const hubA = { ...a, governance };
    const hubB = createHub(storeB, governance, { clock: a.clock });
    try {
      const appA = createHttpApp(hubA);
      const appB = createHttpApp(hubB);
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        const app = i % 2 ? appB : appA;
        statuses.push((await app.request('/api/groups', { headers: { 'X-Forwarded-For': '203.0.113.9' } })).status);
      }
      // 6 reads in all, not 6 per process
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
      const refused = await appA.request('/api/groups');
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      // the budget spent for every process does not take them out of the load balancer: its
      // health checks (here from the same address) are still answered, by both
      for (const app of [appA, appB])
        for (const check of ['/healthz', '/readyz'])
          expect((await app.request(check, { headers: { 'X-Forwarded-For': '203.0.113.9' } })).status).toBe(200);
    } finally {
      await storeB.close();
      await a.close();
    }
  });

  it('one address gets one per-second budget of searches however many it sends at once to several hub processes', async () => {
    const a = await openTestHub(databases.find((d) => d.name === 'postgres')!);
    const stores = [openStore(a.store.url), openStore(a.store.url), openStore(a.store.url)];
    const rules = {
      ...a.governance.rateLimits,
      enabled: true,
      searches: 1000,
      windowSeconds: 60,
      inFlight: 100,
      perSecond: { ...a.governance.rateLimits.perSecond, searches: 4 },
    };
    const governance = { ...a.governance, rateLimits: rules };
    const apps = [{ ...a, governance }, ...stores.map((s) => createHub(s, governance, { clock: a.clock }))].map((h) =>
      createHttpApp(h),
    );
    try {
      // four processes, one address sending 16 searches at once, 4 to each process
      const started = Date.now();
      const statuses = await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          Promise.resolve(apps[i % apps.length]!.request('/api/search?q=retry')).then((r) => r.status),
        ),
      );
      // 4 a second in all, not 4 per process (16); the rest 429 (a loaded machine may take more than a
      // second for the sixteen: 4 for each second begun)
      const seconds = Math.ceil((Date.now() - started) / 1000);
      const admitted = statuses.filter((s) => s === 200).length;
      expect(admitted).toBeGreaterThanOrEqual(4);
      expect(admitted).toBeLessThanOrEqual(4 * seconds);
      expect(statuses.filter((s) => s !== 200).every((s) => s === 429)).toBe(true);
    } finally {
      for (const s of stores) await s.close();
      await a.close();
    }
  });
});
