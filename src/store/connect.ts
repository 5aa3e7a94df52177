import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type SQLiteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type pgTypes from 'pg';
import type { Database } from './schema.ts';
import { SplitSqliteDialect } from './sqlite-split.ts';
import { ReadersFirst } from './readers-first.ts';
import { SettingError, withoutPassword } from '../domain/errors.ts';

export type DatabaseKind = 'sqlite' | 'postgres';
/** `schema` is the PostgreSQL schema the tables live in, when the URL names one (?schema=…). */
export type Store = {
  db: Kysely<Database>;
  kind: DatabaseKind;
  url: string;
  schema?: string;
  close(): Promise<void>;
  /** Connections of a PostgreSQL pool (for /metrics); SQLite has one connection and no pool. */
  pool?: () => PoolStats;
  /** The pg pool itself, for libraries that speak to PostgreSQL directly (shared rate limits). */
  pgPool?: pgTypes.Pool;
  /** The SQLite connection itself, for its online backup API. */
  sqlite?: SQLiteDatabase.Database;
  /** SQLite file: reads in flight, which a write waits for before its next piece (readers-first.ts). */
  readers?: ReadersFirst;
};
export type PoolStats = { total: number; idle: number; waiting: number; max: number };

// Each driver is loaded only when its kind of database is opened: a SQLite hub never pays for pg.
const require = createRequire(import.meta.url);

export const DEFAULT_DATABASE_URL = 'sqlite:./data/wghub.sqlite';

/** PostgreSQL connections per process (WGHUB_DATABASE_POOL, 1–500, default 10). */
export function poolSize(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.WGHUB_DATABASE_POOL ?? '10';
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 500) {
    throw new SettingError(`WGHUB_DATABASE_POOL '${raw}' must be a whole number of connections from 1 to 500`);
  }
  return n;
}

function openReader(SQLite: typeof SQLiteDatabase, file: string): SQLiteDatabase.Database {
  const reader = new SQLite(file);
  reader.pragma('query_only = ON');
  reader.pragma('busy_timeout = 5000');
  reader.pragma('cache_size = -65536');
  reader.pragma('mmap_size = 1073741824');
  return reader;
}

/** Opens `sqlite:PATH` (WAL, foreign keys on) or `postgres://…`. */
export function openStore(url: string = DEFAULT_DATABASE_URL): Store {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (!file)
      throw new SettingError(
        `WGHUB_DATABASE_URL '${url}' names no file: use sqlite:PATH, e.g. ${DEFAULT_DATABASE_URL}`,
      );
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const SQLite = require('better-sqlite3') as typeof SQLiteDatabase;
    const sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    // NORMAL in WAL mode loses nothing on a process crash (kill -9); only a power cut can drop the last commits.
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // A search index of a million documents is about a gigabyte: a larger page cache and
    // memory-mapped reads spare a system call per page on every query.
    sqlite.pragma('cache_size = -65536');
    sqlite.pragma('mmap_size = 1073741824');
    // A file gets a second connection for reads, which in WAL mode never wait for a write
    // transaction (sqlite-split.ts); an in-memory database is one connection's own.
    const readers = file === ':memory:' ? undefined : new ReadersFirst();
    const dialect = readers
      ? new SplitSqliteDialect(sqlite, openReader(SQLite, file), readers)
      : new SqliteDialect({ database: sqlite });
    const db = new Kysely<Database>({ dialect });
    return { db, kind: 'sqlite', url, sqlite, ...(readers ? { readers } : {}), close: () => db.destroy() };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const u = new URL(url);
    const schema = u.searchParams.get('schema');
    u.searchParams.delete('schema');
    // The URL's own `options` (libpq's: `-c statement_timeout=5000`, a provider's `endpoint=…`) are
    // sent beside the schema's search_path: node-postgres reads them from the URL over any given here,
    // so with both, the schema was dropped and the hub wrote to the server's default schema.
    const given = u.searchParams.get('options');
    u.searchParams.delete('options');
    const options = [given, schema ? `-c search_path=${schema}` : null].filter(Boolean).join(' ');
    const pg = require('pg') as typeof pgTypes;
    const pool = new pg.Pool({
      connectionString: u.toString(),
      // connections per process: processes × this must stay under the server's max_connections
      max: poolSize(),
      ...(options ? { options } : {}),
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const max = pool.options.max ?? 10;
    return {
      db,
      kind: 'postgres',
      url,
      ...(schema ? { schema } : {}),
      close: () => db.destroy(),
      pgPool: pool,
      pool: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max }),
    };
  }
  throw new SettingError(
    `WGHUB_DATABASE_URL '${withoutPassword(url)}' is not understood: use sqlite:PATH or postgres://USER@HOST:PORT/DB`,
  );
}
