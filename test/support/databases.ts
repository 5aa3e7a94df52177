// The store and app tests run against every database wghub supports. PostgreSQL is expected at
// WGHUB_TEST_PG_URL (default: the local server CI starts); WGHUB_TEST_PG_URL=off runs SQLite only,
// and says so, rather than skipping quietly.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/connect.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';

export const PG_URL = process.env.WGHUB_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type TestDatabase = { name: 'sqlite' | 'postgres'; open(): Promise<Store & { url: string }> };

async function freshPgSchema(): Promise<string> {
  const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const client = new pg.Client({ connectionString: PG_URL });
  try {
    await client.connect();
  } catch (e) {
    throw new Error(
      `PostgreSQL is not reachable at ${PG_URL} (${(e as Error).message}). Start it, point WGHUB_TEST_PG_URL at one, or set WGHUB_TEST_PG_URL=off to test SQLite only.`,
    );
  }
  await client.query(`create schema ${schema}`);
  await client.end();
  return schema;
}

export const sqliteDatabase: TestDatabase = {
  name: 'sqlite',
  async open() {
    const dir = mkdtempSync(path.join(tmpdir(), 'wghub-test-'));
    const store = openStore(`sqlite:${path.join(dir, 'hub.sqlite')}`);
    await migrateToLatest(store.db);
    return {
      ...store,
      close: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export const postgresDatabase: TestDatabase = {
  name: 'postgres',
  async open() {
    const schema = await freshPgSchema();
    const url = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${schema}`;
    const store = openStore(url);
    await migrateToLatest(store.db, store.schema);
    // the schema is dropped after the run (see pg-global.ts), not here
    return { ...store, url, close: () => store.close() };
  },
};

export const databases: TestDatabase[] = PG_URL === 'off' ? [sqliteDatabase] : [sqliteDatabase, postgresDatabase];

/**
 * A fresh, empty database for a wghub process the test starts itself (server, CLI): a SQLite file
 * in a temporary folder, or a PostgreSQL schema of its own.
 */
export async function databaseForProcess(database: TestDatabase): Promise<{ url: string; cleanup(): void }> {
  if (database.name === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'wghub-proc-'));
    return {
      url: `sqlite:${path.join(dir, 'hub.sqlite')}`,
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = await freshPgSchema();
  return { url: `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${schema}`, cleanup: () => {} };
}
