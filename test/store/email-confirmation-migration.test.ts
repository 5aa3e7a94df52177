// Migration 220: an address on record before the hub asked for confirmation is treated as confirmed
// ('on-record'), so upgrading does not stop mailing a running community; a person without one stays
// without, and the confirmations table is there on both databases.
import { describe, expect, it } from 'vitest';
import { loadGovernance } from '../../src/app/core/governance-file.ts';
import { createHub } from '../../src/app/core/hub.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { openStore } from '../../src/store/connect.ts';
import { MIGRATIONS, migrateToLatest, migratorFor } from '../../src/store/migrate.ts';
import { databaseForProcess, databases } from '../support/databases.ts';
import { person } from '../support/hub.ts';

describe.each(databases)('migration 225 on $name', (database) => {
  it('treats the addresses already on record as confirmed, and leaves none where there was none', async () => {
    const target = await databaseForProcess(database);
    const store = openStore(target.url);
    try {
      const { '225-email-confirmation': _later, ...before } = MIGRATIONS;
      expect((await migratorFor(store.db, before, store.schema).migrateToLatest()).error).toBeUndefined();
      const hub = createHub(store, loadGovernance(), { clock: new ManualClock('2026-11-02T09:00:00Z') });
      await person(hub, 'priya');
      await person(hub, 'ravi');
      await store.db.updateTable('people').set({ email: 'Priya@Example.org' }).where('handle', '=', 'priya').execute();

      expect((await migrateToLatest(store.db, store.schema)).applied).toContain('225-email-confirmation');
      const rows = await store.db
        .selectFrom('people')
        .select(['handle', 'email', 'confirmed_email', 'email_confirmed_via', 'email_confirmed_at'])
        .where('handle', 'in', ['priya', 'ravi'])
        .orderBy('handle')
        .execute();
      expect(rows).toEqual([
        {
          handle: 'priya',
          email: 'Priya@Example.org',
          confirmed_email: 'priya@example.org',
          email_confirmed_via: 'on-record',
          email_confirmed_at: null,
        },
        { handle: 'ravi', email: null, confirmed_email: null, email_confirmed_via: null, email_confirmed_at: null },
      ]);
      expect(await store.db.selectFrom('email_confirmations').selectAll().execute()).toEqual([]);
    } finally {
      await store.close();
      target.cleanup();
    }
  });
});
