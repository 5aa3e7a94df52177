// Migration 396: time zones stored before they were kept as IANA spells them (attack round 26) are
// rewritten so ('europe/berlin' is Europe/Berlin); one no zone names is left as it is; run again, it
// changes nothing. On both databases, through the migration runner.
import { describe, expect, it } from 'vitest';
import { loadGovernance } from '../../src/app/core/governance-file.ts';
import { createHub } from '../../src/app/core/hub.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { openStore } from '../../src/store/connect.ts';
import { MIGRATIONS, migrateToLatest, migratorFor } from '../../src/store/migrate.ts';
import { up } from '../../src/store/migrations/396-time-zones-as-iana-spells-them.ts';
import { databaseForProcess, databases } from '../support/databases.ts';
import { person } from '../support/hub.ts';

describe.each(databases)('migration 396 on $name', (database) => {
  it('rewrites stored zones as IANA names them, leaves what names none, and is idempotent', async () => {
    const target = await databaseForProcess(database);
    const store = openStore(target.url);
    try {
      const { '396-time-zones-as-iana-spells-them': _later, ...before } = MIGRATIONS;
      expect((await migratorFor(store.db, before, store.schema).migrateToLatest()).error).toBeUndefined();
      const hub = createHub(store, loadGovernance(), { clock: new ManualClock('2026-11-02T09:00:00Z') });
      for (const [handle, zone] of [
        ['ada', 'europe/berlin'],
        ['bo', 'Asia/Kolkata'],
        ['cy', 'Not/AZone'],
      ] as const) {
        await person(hub, handle);
        await store.db.updateTable('people').set({ time_zone: zone }).where('handle', '=', handle).execute();
      }
      expect((await migrateToLatest(store.db, store.schema)).applied).toContain('396-time-zones-as-iana-spells-them');
      const zones = async () =>
        (await store.db.selectFrom('people').select(['handle', 'time_zone']).orderBy('handle').execute()).filter((p) =>
          ['ada', 'bo', 'cy'].includes(p.handle),
        );
      const after = [
        { handle: 'ada', time_zone: 'Europe/Berlin' },
        { handle: 'bo', time_zone: 'Asia/Kolkata' },
        { handle: 'cy', time_zone: 'Not/AZone' },
      ];
      expect(await zones()).toEqual(after);
      await up(store.db);
      expect(await zones()).toEqual(after);
    } finally {
      await store.close();
    }
  });
});
