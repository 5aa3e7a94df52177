// The store and app tests run against every database wghub supports. PostgreSQL is expected at
// WGHUB_TEST_PG_URL (default: the local server CI starts); WGHUB_TEST_PG_URL=off runs SQLite only,
// and says so, rather than skipping quietly.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/connect.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { keepSchema, newSchemaName, refill, rememberSeed, schemaAsSql, takeKeptSchema } from './pg-recycle.ts';

export const PG_URL = process.env.WGHUB_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type TestDatabase = { name: 'sqlite' | 'postgres'; open(): Promise<Store & { url: string }> };

async function freshPgSchema(): Promise<string> {
  const schema = newSchemaName();
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

// Migrating is the slow part of opening a fresh database, and most tests open one or two. On
// SQLite each test process migrates one template file and copies it for every test; on PostgreSQL
// each test process keeps the schemas its tests closed and empties one for the next (pg-recycle.ts). The migrations themselves stay covered:
// the template is migrated by the same code, and the migration and CLI tests migrate fresh ones.

let sqliteTemplate: Promise<string> | undefined;

export function migratedSqliteTemplate(): Promise<string> {
  sqliteTemplate ??= (async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wghub-template-'));
    const file = path.join(dir, 'hub.sqlite');
    const store = openStore(`sqlite:${file}`);
    await migrateToLatest(store.db);
    await store.close(); // checkpoints the WAL: the one file is the whole database
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    return file;
  })();
  return sqliteTemplate;
}

export const sqliteDatabase: TestDatabase = {
  name: 'sqlite',
  async open() {
    const dir = mkdtempSync(path.join(tmpdir(), 'wghub-test-'));
    const file = path.join(dir, 'hub.sqlite');
    copyFileSync(await migratedSqliteTemplate(), file);
    const store = openStore(`sqlite:${file}`);
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
  open: () => openPg(),
};

/** A PostgreSQL schema of the test's own: one this process kept, holding `rows` (the migrations' seed if none), or a freshly migrated one. */
async function openPg(rows?: string): Promise<Store & { url: string }> {
  let schema = await takeKeptSchema(PG_URL, rows);
  if (!schema) {
    schema = await freshPgSchema();
    const store = openStore(schemaUrl(schema));
    try {
      await migrateToLatest(store.db, store.schema);
    } finally {
      await store.close();
    }
    await rememberSeed(PG_URL, schema);
    if (rows !== undefined) await refill(PG_URL, schema, rows);
  }
  const url = schemaUrl(schema);
  const store = openStore(url);
  const held = schema;
  // closed at most once: a second close (a test's own, then its afterEach's) would keep the schema
  // twice, and two later tests would share it
  let closing: Promise<void> | undefined;
  return {
    ...store,
    url,
    close: () => {
      closing ??= (async () => {
        await store.close();
        await keepSchema(PG_URL, held);
      })();
      return closing;
    },
  };
}

/**
 * A test's schema, on connections that do not wait for each commit to reach the disk: a test needs
 * no durability, and waiting on the write-ahead log's flush cost 2.5–3 ms a commit on this machine's
 * disk (0.3–0.5 ms without), thousands of times a file. What a commit makes visible, and when, is the
 * same (it is what the tests check).
 */
function schemaUrl(schema: string): string {
  return `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${schema}&options=${NO_COMMIT_FLUSH}`;
}

const NO_COMMIT_FLUSH = encodeURIComponent('-c synchronous_commit=off');

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
  return { url: schemaUrl(schema), cleanup: () => {} };
}

/**
 * What a database holds after `fill` ran on a fresh one, kept once per test process so that every
 * test needing the same start (the demo community, test/support/hub.ts openDemoHub) copies it
 * instead of writing it again: loading the demo took 0.3–0.6 s on SQLite and 2.5–4.5 s on
 * PostgreSQL per test. SQLite keeps the file; PostgreSQL keeps every row of every table as SQL
 * that puts it back (as pg-recycle.ts keeps what the migrations seed).
 */
export type Snapshot = { database: TestDatabase; sqliteFile?: string; pgRows?: string };

export async function snapshotOf(database: TestDatabase, fill: (store: Store) => Promise<void>): Promise<Snapshot> {
  if (database.name === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'wghub-snapshot-'));
    const file = path.join(dir, 'hub.sqlite');
    copyFileSync(await migratedSqliteTemplate(), file);
    const store = openStore(`sqlite:${file}`);
    try {
      await fill(store);
    } finally {
      await store.close(); // checkpoints the WAL: the one file is the whole database
    }
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    return { database, sqliteFile: file };
  }
  const store = await database.open();
  try {
    await fill(store);
    return { database, pgRows: await rowsAsSql(store.schema!) };
  } finally {
    await store.close();
  }
}

/** A database of its own holding what the snapshot holds. */
export async function openSnapshot(snapshot: Snapshot): Promise<Store & { url: string }> {
  if (snapshot.sqliteFile) {
    const dir = mkdtempSync(path.join(tmpdir(), 'wghub-test-'));
    const file = path.join(dir, 'hub.sqlite');
    copyFileSync(snapshot.sqliteFile, file);
    const store = openStore(`sqlite:${file}`);
    return {
      ...store,
      close: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  return openPg(snapshot.pgRows);
}

async function withPg<T>(run: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Every row of the schema's tables (generated columns left to compute) and its sequences' positions, as SQL. */
function rowsAsSql(schema: string): Promise<string> {
  return withPg((c) => schemaAsSql(c, schema));
}
