// Tests that start from the demo community copy it from one loaded per test process
// (test/support/hub.ts, openDemoHub): the copy must hold what loading it gives, row for row, with the
// clock where loading left it and the ids going on from the last one it gave.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { SYSTEM } from '../../../src/app/core/hub.ts';
import { loadDemoCommunity } from '../../../src/app/demo/demo.ts';
import { createPerson } from '../../../src/app/people/people.ts';
import { databases } from '../../support/databases.ts';
import { openDemoHub, openTestHub, type TestHub } from '../../support/hub.ts';

/** Every row of every table, each table's rows in one order. */
async function contents(hub: TestHub): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  // this store's own tables (introspecting every schema of the server races other tests renaming theirs)
  const { rows: tables } = hub.store.schema
    ? await sql<{ name: string }>`select table_name as name from information_schema.tables
        where table_schema = ${hub.store.schema} and table_type = 'BASE TABLE'`.execute(hub.store.db)
    : await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(hub.store.db);
  for (const { name } of tables) {
    if (name.startsWith('kysely_')) continue;
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(hub.store.db);
    out[name] = rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).sort();
  }
  return out;
}

describe.each(databases)('the demo community copied for tests on $name', (database) => {
  it.each([false, true])('holds what loading it gives (work: %s), and goes on from there', async (work) => {
    const loaded = await openTestHub(database);
    await loadDemoCommunity(loaded, { work });
    const first = await openDemoHub(database, { work });
    const copied = await openDemoHub(database, { work }); // from the snapshot the first one made
    try {
      const expected = await contents(loaded);
      expect(Object.values(expected).flat().length).toBeGreaterThan(50);
      expect(await contents(first)).toEqual(expected);
      expect(await contents(copied)).toEqual(expected);
      expect(copied.clock.now()).toEqual(loaded.clock.now());
      for (const hub of [loaded, copied])
        await createPerson(hub, SYSTEM, { handle: 'newcomer', name: 'Newcomer', timeZone: 'UTC', role: 'contributor' });
      expect(await contents(copied)).toEqual(await contents(loaded));
    } finally {
      for (const hub of [loaded, first, copied]) await hub.close();
    }
  });
});
