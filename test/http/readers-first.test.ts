// SQLite: a GET counts as a read in flight, and a write transaction waits for reads in flight
// (src/store/readers-first.ts). A GET that itself writes (a sign-in callback creates the person, links
// the identity, starts the session) must not wait for its own read: it waited up to READ_PRIORITY_MS
// per request, holding the write lock (and every other write) meanwhile.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/app/core/hub.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { Route } from '../../src/http/routes.ts';
import { sqliteDatabase } from '../support/databases.ts';
import { openTestHub, type TestHub } from '../support/hub.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a GET that writes, on SQLite', () => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await openTestHub(sqliteDatabase);
    await sql`create table visits (n integer)`.execute(hub.store.db);
  });
  afterEach(() => hub.close());

  it('is not held back by its own read', async () => {
    // reads count as in flight for a minute, and writes wait for them as long: only this request reads
    Object.assign(hub.store.readers!, { readMs: 60_000, writerWaitMs: 60_000 });
    const visit: Route = {
      method: 'get',
      path: '/api/test/visit',
      summary: 'a page that records a visit',
      tag: 'test',
      returns: 'the visit',
      handler: async () => {
        await inTransaction(hub, async (trx) => {
          await trx
            .insertInto('visits' as never)
            .values({ n: 1 } as never)
            .execute();
        });
        return { body: { ok: true } };
      },
    };
    const app = createHttpApp(hub, [visit]);
    const answer = await Promise.race([app.request('/api/test/visit'), sleep(2_000).then(() => null)]);
    expect(answer?.status, 'the GET still waited for its own read after 2 s').toBe(200);
    expect(hub.store.readers!.reading).toBe(0);
  });
});
