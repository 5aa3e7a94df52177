// Migrations written on parallel branches: a database that already ran a later-numbered one still
// takes an earlier one it lacks, instead of refusing to start.
import { sql } from 'kysely';
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

  it('takes the retention indexes an operator built before upgrading (on PostgreSQL concurrently, not holding back the queue)', async () => {
    const target = await databaseForProcess(database);
    const store = openStore(target.url);
    try {
      const { '371-retention-indexes': _371, '376-github-delivery-ids': _376, ...before } = MIGRATIONS;
      expect((await migratorFor(store.db, before, store.schema).migrateToLatest()).error).toBeUndefined();
      // docs/operations.md, "Upgrade": a large queue's indexes built first, by the same names
      const concurrently = database.name === 'postgres' ? sql.raw('concurrently') : sql.raw('');
      await sql`create index ${concurrently} jobs_done_at on jobs (done_at) where done_at is not null`.execute(
        store.db,
      );
      await sql`create index ${concurrently} jobs_failed_at on jobs (failed_at) where failed_at is not null`.execute(
        store.db,
      );
      const r = await migrateToLatest(store.db, store.schema);
      expect(r.applied).toEqual(['371-retention-indexes', '376-github-delivery-ids']);
      expect(await pendingMigrations(store.db, store.schema)).toEqual([]);
    } finally {
      await store.close();
      target.cleanup();
    }
  });
});
