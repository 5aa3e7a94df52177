import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendEvent, tailEvents, verifyEvents } from '../../src/store/events.ts';
import { migrateToLatest, pendingMigrations } from '../../src/store/migrate.ts';
import type { Store } from '../../src/store/connect.ts';
import { writeJson } from '../../src/store/schema.ts';
import { databases, PG_URL, postgresDatabase } from '../support/databases.ts';
import { openStore } from '../../src/store/connect.ts';

describe.each(databases)('store on $name', (database) => {
  let store: Store;
  beforeEach(async () => {
    store = await database.open();
  });
  afterEach(async () => store.close());

  const ev = (i: number) => ({
    at: `2026-11-0${(i % 9) + 1}T00:00:00.000Z`,
    actor: 'alice',
    kind: 'test.happened',
    subjectType: 'thing',
    subjectId: `t${i}`,
    before: null,
    after: { i },
  });

  it('migrations are applied once and a second run applies nothing', async () => {
    expect(await pendingMigrations(store.db)).toEqual([]);
    expect((await migrateToLatest(store.db)).applied).toEqual([]);
  });

  it('an older wghub refuses a database migrated by a newer one, and changes nothing', async () => {
    await sql`insert into kysely_migration (name, timestamp) values ('999-from-the-future', '2030-01-01')`.execute(
      store.db,
    );
    await expect(migrateToLatest(store.db)).rejects.toThrow(
      /migrated by a newer wghub \(it has migration 999-from-the-future; this wghub knows up to \d{3}-[a-z-]+\)/,
    );
    // `migrate --check` too: such a database is not "up to date"
    await expect(pendingMigrations(store.db)).rejects.toThrow(/migrated by a newer wghub/);
  });

  it('the event chain holds across appends, and concurrent appends never fork it', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.db.transaction().execute((trx) => appendEvent(trx, ev(i)))),
    );
    const r = await verifyEvents(store.db);
    expect(r).toEqual({ checked: 20, break: null });
    const seqs = (await tailEvents(store.db, 50)).map((e) => e.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('verify names the first edited, removed or truncated event', async () => {
    for (let i = 0; i < 5; i++) await store.db.transaction().execute((trx) => appendEvent(trx, ev(i)));
    await store.db
      .updateTable('events')
      .set({ after: writeJson({ i: 99 }) })
      .where('seq', '=', 3)
      .execute();
    expect((await verifyEvents(store.db)).break).toEqual({
      seq: 3,
      reason: 'its content does not match its hash: this event was edited',
    });
    await store.db.deleteFrom('events').where('seq', '=', 3).execute();
    expect((await verifyEvents(store.db)).break?.seq).toBe(4);
  });

  it('verify notices events cut from the end', async () => {
    for (let i = 0; i < 4; i++) await store.db.transaction().execute((trx) => appendEvent(trx, ev(i)));
    await store.db.deleteFrom('events').where('seq', '=', 4).execute();
    expect((await verifyEvents(store.db)).break).toMatchObject({
      seq: 4,
      reason: expect.stringContaining('events were removed from the end'),
    });
  });

  it('a failed transaction leaves no event behind', async () => {
    await expect(
      store.db.transaction().execute(async (trx) => {
        await appendEvent(trx, ev(1));
        throw new Error('use case failed');
      }),
    ).rejects.toThrow('use case failed');
    expect(await tailEvents(store.db, 10)).toEqual([]);
    expect((await verifyEvents(store.db)).break).toBeNull();
  });
});

describe('a PostgreSQL URL with options of its own', () => {
  if (PG_URL !== 'off')
    it('keeps the schema the URL names beside them', async () => {
      const store = await postgresDatabase.open();
      const named = openStore(
        `${PG_URL}?schema=${store.schema}&options=${encodeURIComponent('-c statement_timeout=4321')}`,
      );
      try {
        const { rows } = await sql<{ path: string; timeout: string }>`
          select current_setting('search_path') as path, current_setting('statement_timeout') as timeout`.execute(
          named.db,
        );
        expect(rows[0]).toEqual({ path: store.schema, timeout: '4321ms' });
        // the hub's own tables, not the server's default schema
        expect(await pendingMigrations(named.db)).toEqual([]);
      } finally {
        await named.close();
        await store.close();
      }
    });
});
