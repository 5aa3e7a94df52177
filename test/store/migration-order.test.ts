// Migrations written on parallel branches: a database that already ran a later-numbered one still
// takes an earlier one it lacks, instead of refusing to start.
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/connect.ts';
import { MIGRATIONS, migrateToLatest, migratorFor, pendingMigrations } from '../../src/store/migrate.ts';
import { databaseForProcess, databases } from '../support/databases.ts';

describe.each(databases)('migration order on $name', (database) => {
  it('applies a missing earlier migration after a later one already ran', async () => {
    const target = await databaseForProcess(database);
    const store = openStore(target.url);
    try {
      // a build from a branch that had every migration but 285 (no later migration touches its table;
      // 010's jobs now has 371's indexes)
      const { '285-github-webhook-refusals': _skipped, ...without } = MIGRATIONS;
      const early = migratorFor(store.db, without, store.schema);
      expect((await early.migrateToLatest()).error).toBeUndefined();
      expect(await pendingMigrations(store.db, store.schema)).toEqual(['285-github-webhook-refusals']);

      expect((await migrateToLatest(store.db, store.schema)).applied).toEqual(['285-github-webhook-refusals']);
      expect(await pendingMigrations(store.db, store.schema)).toEqual([]);
      expect(await store.db.selectFrom('github_webhook_refusals').select('reason').execute()).toEqual([]);
    } finally {
      await store.close();
      target.cleanup();
    }
  });
});
