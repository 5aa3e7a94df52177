// `wghub migrate` on SQLite runs each migration in a transaction of its own and, when another process
// holds the file's write lock past the busy timeout (SQLITE_BUSY), waits and looks again. What it
// applied before the lock was met stays applied, and the run reports it: before 2026-12-07 the
// report (`applied`, printed by `wghub migrate` and `serve`) named only what the last attempt applied.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { Migration } from 'kysely';
import { openStore } from '../../src/store/connect.ts';
import { MIGRATIONS, migrateToLatest, migratorFor } from '../../src/store/migrate.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'wghub-migrate-busy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a SQLite migration run that met another process holding the write lock reports every migration it applied', async () => {
  const store = openStore(`sqlite:${path.join(dir, 'hub.sqlite')}`);
  const names = Object.keys(MIGRATIONS);
  const [first, last] = names.slice(-2) as [string, string];
  const original = MIGRATIONS[last]!;
  try {
    const before = Object.fromEntries(names.slice(0, -2).map((n) => [n, MIGRATIONS[n]!]));
    expect((await migratorFor(store.db, before).migrateToLatest()).error).toBeUndefined();
    // the last migration finds the file locked once, after the one before it committed
    let locked = false;
    MIGRATIONS[last] = {
      up: async (db) => {
        if (!locked) {
          locked = true;
          throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
        }
        await original.up(db);
      },
    } satisfies Migration;
    const { applied } = await migrateToLatest(store.db);
    expect(locked).toBe(true);
    expect(applied).toEqual([first, last]);
  } finally {
    MIGRATIONS[last] = original;
    await store.close();
  }
});
