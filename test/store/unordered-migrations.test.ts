import { Migrator } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { openStore } from '../../src/store/connect.ts';
import { MIGRATIONS, migrateToLatest, pendingMigrations } from '../../src/store/migrate.ts';

// Branches each add a numbered migration; a database from one branch may have run 006 before
// another branch's 005 exists. Migrating must add the missing one, not refuse the database.
it('a database that ran a later-numbered migration first gets the missing earlier one', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wghub-unordered-'));
  const store = openStore(`sqlite:${path.join(dir, 'hub.sqlite')}`);
  try {
    const without005 = Object.fromEntries(Object.entries(MIGRATIONS).filter(([n]) => n !== '005-meetings'));
    const r = await new Migrator({ db: store.db, provider: { getMigrations: async () => without005 } }).migrateToLatest();
    expect(r.error).toBeUndefined();
    expect(await pendingMigrations(store.db)).toEqual(['005-meetings']);
    expect((await migrateToLatest(store.db)).applied).toEqual(['005-meetings']);
    expect(await pendingMigrations(store.db)).toEqual([]);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
