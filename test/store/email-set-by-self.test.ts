// Migration 215: an address already on record counts as set by its holder (so it links no identity
// provider's sign-in to them) when they ever edited their own record, since PATCH /api/people/{handle}
// let anyone give themselves any address before; an address only the operator or a moderator wrote
// keeps vouching for its holder.
import { describe, expect, it } from 'vitest';
import { loadGovernance } from '../../src/app/core/governance-file.ts';
import { createHub } from '../../src/app/core/hub.ts';
import { getPerson, updatePerson } from '../../src/app/people/people.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { openStore } from '../../src/store/connect.ts';
import { MIGRATIONS, migrateToLatest, migratorFor } from '../../src/store/migrate.ts';
import { databaseForProcess, databases } from '../support/databases.ts';
import { person } from '../support/hub.ts';

describe.each(databases)('migration 215 on $name', (database) => {
  it('marks the addresses of people who edited their own record as self-set', async () => {
    const target = await databaseForProcess(database);
    const store = openStore(target.url);
    try {
      const { '215-email-set-by-self': _later, ...before } = MIGRATIONS;
      expect((await migratorFor(store.db, before, store.schema).migrateToLatest()).error).toBeUndefined();
      const hub = createHub(store, loadGovernance(), { clock: new ManualClock('2026-11-02T09:00:00Z') });
      const mallory = await person(hub, 'mallory');
      await person(hub, 'priya');
      await person(hub, 'ravi');
      // Mallory edits her own record (her name; the log does not say which field), Ravi never does
      await updatePerson(hub, mallory, 'mallory', (await getPerson(hub, 'mallory')).version, { name: 'Mal' });
      for (const [handle, email] of [
        ['mallory', 'priya@example.org'],
        ['ravi', 'ravi@example.org'],
      ] as const)
        await store.db.updateTable('people').set({ email }).where('handle', '=', handle).execute();

      expect((await migrateToLatest(store.db, store.schema)).applied).toContain('215-email-set-by-self');
      const rows = await store.db
        .selectFrom('people')
        .select(['handle', 'email_set_by_self'])
        .where('handle', 'in', ['mallory', 'priya', 'ravi'])
        .orderBy('handle')
        .execute();
      expect(rows.map((r) => [r.handle, Number(r.email_set_by_self)])).toEqual([
        ['mallory', 1],
        ['priya', 0],
        ['ravi', 0],
      ]);
    } finally {
      await store.close();
      target.cleanup();
    }
  });
});
