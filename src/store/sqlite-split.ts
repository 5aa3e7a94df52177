import type SQLiteDatabase from 'better-sqlite3';
import { Turns } from './turns.ts';
import type { ReadersFirst } from './readers-first.ts';
import {
  type CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/**
 * SQLite with two connections to one WAL file: a writer, taken by one transaction (or one write) at
 * a time, and a reader for every read-only statement made outside a transaction.
 *
 * Kysely's own SQLite driver has one connection behind a mutex, held from BEGIN to COMMIT. A write
 * transaction spans several turns of the event loop (each statement's promise), so every read made
 * meanwhile, even one answered from a single index look-up, queued behind it and behind every
 * transaction queued before it: with 8 writers commenting, a reader's p50 went from 7 ms to 1.2 s
 * (docs/performance.md). In WAL mode a reader never waits for the writer; it sees the last commit.
 *
 * A statement outside a transaction is tried on the reader first: better-sqlite3 tells whether it
 * is read-only. A write outside a transaction takes the writer for the rest of that connection's
 * use (one statement for `db.insertInto(…).execute()`, the whole callback for `db.connection()`).
 * Inside a transaction everything runs on the writer, so a transaction reads its own writes.
 */
export class SplitSqliteDialect implements Dialect {
  readonly #writer: SQLiteDatabase.Database;
  readonly #reader: SQLiteDatabase.Database;
  readonly #readers: ReadersFirst | null;
  constructor(writer: SQLiteDatabase.Database, reader: SQLiteDatabase.Database, readers: ReadersFirst | null = null) {
    this.#writer = writer;
    this.#reader = reader;
    this.#readers = readers;
  }
  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }
  createDriver(): Driver {
    return new SplitSqliteDriver(this.#writer, this.#reader, this.#readers);
  }
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

/**
 * How long a write transaction may hold the event loop before it lets the loop turn once. better-
 * sqlite3 answers synchronously, so a transaction (a comment: its checks, markdown, search index,
 * notices and event, ≈ 10 ms idle and 50 ms on a loaded machine) ran as one unbroken stretch, and a
 * read that arrived meanwhile (its request, its gzip callback) waited for all of it, then for the next
 * write: 8 writers took a reader's p50 to 6.6× idle (docs/performance.md). Between two statements of
 * a transaction older than this, the writer waits for one turn of the loop, so what arrived meanwhile
 * runs; the writer connection stays held, so no other write comes between, and readers use their own
 * connection, which sees only committed data.
 */
// 1 ms, not 4: a reader arriving mid-slice waits for the rest of it; at 4 ms a reader's p50 under 8
// writers was 2.9–3.8× idle, at 1 ms 1.9–2.1× (bench/processes.ts, docs/performance.md).
export const WRITER_SLICE_MS = 1;

/** How long one write transaction waits for reads in flight at most, in all (readers-first.ts). */
export const READERS_BUDGET_MS = 100;

// Taken now, so a test faking timers cannot stop the hand-over (as in turns.ts).
const nextTurn = globalThis.setImmediate;
const later = globalThis.setTimeout;

/** Write transactions waiting for the writer at most; one more fails at once (TurnsFull), before it begins. */
export const WRITES_WAITING = 10_000;

/** Prepared statements by their SQL, so a query seen before is not parsed and planned again. */
class Statements {
  readonly #db: SQLiteDatabase.Database;
  readonly #cache = new Map<string, SQLiteDatabase.Statement>();
  constructor(db: SQLiteDatabase.Database) {
    this.#db = db;
  }
  get(sql: string): SQLiteDatabase.Statement {
    let stmt = this.#cache.get(sql);
    if (stmt) return stmt;
    stmt = this.#db.prepare(sql);
    if (this.#cache.size >= 1000) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(sql, stmt);
    return stmt;
  }
}

function run(stmt: SQLiteDatabase.Statement, q: CompiledQuery): QueryResult<unknown> {
  if (stmt.reader) return { rows: stmt.all(q.parameters as unknown[]) };
  const { changes, lastInsertRowid } = stmt.run(q.parameters as unknown[]);
  return {
    numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
    insertId: lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
    rows: [],
  };
}

class RoutedConnection implements DatabaseConnection {
  /** Holds the writer: in a transaction, or after a write made on this connection. */
  holdsWriter = false;
  readonly driver: SplitSqliteDriver;
  constructor(driver: SplitSqliteDriver) {
    this.driver = driver;
  }

  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    const { writes, reads } = this.driver;
    if (!this.holdsWriter) {
      let stmt: SQLiteDatabase.Statement | undefined;
      try {
        stmt = reads.get(q.sql);
      } catch {
        // not preparable on the reader (a table this process is creating, say): the writer decides
      }
      if (stmt?.readonly) return run(stmt, q) as QueryResult<R>;
      await this.driver.takeWriter(this);
    }
    const d = this.driver;
    // a read in flight (src/store/readers-first.ts) goes first, whatever is left of the slice, until
    // this transaction has waited READERS_BUDGET_MS for readers: then only the slices hand the loop
    // over, so a long transaction under a steady stream of reads is slowed by that much at most
    const readersFirst = d.readers && d.waitedForReaders < READERS_BUDGET_MS ? d.readers : null;
    if (d.inTransaction && (performance.now() - d.sliceStart > WRITER_SLICE_MS || readersFirst?.reading)) {
      const t = performance.now();
      await (readersFirst ? readersFirst.writersTurn() : new Promise((r) => nextTurn(r)));
      d.sliceStart = performance.now();
      if (readersFirst) d.waitedForReaders += d.sliceStart - t;
    }
    // a write outside a transaction (a job's claim, a session) waits for another process's lock as BEGIN does
    if (!d.inTransaction) return d.waitingForLock(() => run(writes.get(q.sql), q)) as Promise<QueryResult<R>>;
    return run(writes.get(q.sql), q) as QueryResult<R>;
  }

  async *streamQuery<R>(q: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    for (const row of (await this.executeQuery<R>(q)).rows) yield { rows: [row] };
  }
}

class SplitSqliteDriver implements Driver {
  // The writer, first come first served, handed to the next waiter on the next turn of the event
  // loop: better-sqlite3 answers synchronously, so a write transaction runs from BEGIN to COMMIT in
  // one turn, and without this hand-over the queued writes would run back to back in that same turn
  // while every request that arrived meanwhile (a reader's too) waited for all of them.
  readonly #queue = new Turns({ max: WRITES_WAITING });
  readonly writer: SQLiteDatabase.Database;
  readonly reader: SQLiteDatabase.Database;
  readonly writes: Statements;
  readonly reads: Statements;
  readonly readers: ReadersFirst | null;
  /** A transaction is open on the writer, and since when it has run without letting the loop turn. */
  inTransaction = false;
  sliceStart = 0;
  /** How long the open transaction has waited for reads in flight, in ms. */
  waitedForReaders = 0;
  constructor(writer: SQLiteDatabase.Database, reader: SQLiteDatabase.Database, readers: ReadersFirst | null) {
    this.writer = writer;
    this.reader = reader;
    this.readers = readers;
    this.writes = new Statements(writer);
    this.reads = new Statements(reader);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new RoutedConnection(this);
  }

  async takeWriter(c: RoutedConnection): Promise<void> {
    if (c.holdsWriter) return;
    // a GET that writes (a sign-in callback) is a writer from here: other writes stop waiting for
    // its read, and so does its own (readers-first.ts)
    this.readers?.writing();
    await this.#queue.take();
    c.holdsWriter = true;
  }

  async beginTransaction(c: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await this.takeWriter(c as RoutedConnection);
    // IMMEDIATE: the write lock is taken at BEGIN, waiting up to busy_timeout for another process
    // (a second `wghub serve` or a CLI command on the same file). A deferred BEGIN read first and then
    // could not upgrade to a writer once another process had committed (SQLITE_BUSY_SNAPSHOT, which no
    // waiting cures): two processes on one file answered some writes 500. In this process the
    // writer is already one transaction at a time, so nothing waits longer for it.
    // A transaction that only reads (`setAccessMode('read only')`: `export all`'s snapshot) takes no
    // write lock: IMMEDIATE, it held every other process's writes back for the whole export.
    if (settings.accessMode === 'read only') this.writes.get('begin').run();
    else await this.waitingForLock(() => this.writes.get('begin immediate').run());
    this.inTransaction = true;
    this.sliceStart = performance.now();
    this.waitedForReaders = 0;
  }
  /**
   * Runs `take` (BEGIN IMMEDIATE, or a write outside a transaction), waiting for another process's
   * write lock up to the connection's busy_timeout with the event loop free. better-sqlite3 is
   * synchronous: SQLite's own busy wait held the whole process (every read, /healthz) for as long as
   * the other process wrote, up to busy_timeout. A statement refused SQLITE_BUSY changed nothing.
   */
  async waitingForLock<T>(take: () => T): Promise<T> {
    const busyMs = this.writes.get('pragma busy_timeout').pluck().get() as number;
    this.writes.get('pragma busy_timeout = 0').run();
    try {
      const deadline = performance.now() + busyMs;
      for (let pause = 1; ; pause = Math.min(pause * 2, 16)) {
        try {
          return take();
        } catch (e) {
          if ((e as { code?: string }).code !== 'SQLITE_BUSY' || performance.now() >= deadline) throw e;
        }
        await new Promise((r) => later(r, pause));
      }
    } finally {
      this.writes.get(`pragma busy_timeout = ${busyMs}`).run();
    }
  }
  async commitTransaction(): Promise<void> {
    this.inTransaction = false;
    this.writes.get('commit').run();
  }
  async rollbackTransaction(): Promise<void> {
    this.inTransaction = false;
    this.writes.get('rollback').run();
  }
  async savepoint(_c: DatabaseConnection, name: string): Promise<void> {
    this.writer.prepare(`savepoint "${name.replaceAll('"', '""')}"`).run();
  }
  async rollbackToSavepoint(_c: DatabaseConnection, name: string): Promise<void> {
    this.writer.prepare(`rollback to "${name.replaceAll('"', '""')}"`).run();
  }
  async releaseSavepoint(_c: DatabaseConnection, name: string): Promise<void> {
    this.writer.prepare(`release "${name.replaceAll('"', '""')}"`).run();
  }

  async releaseConnection(c: DatabaseConnection): Promise<void> {
    const routed = c as RoutedConnection;
    if (!routed.holdsWriter) return;
    routed.holdsWriter = false;
    this.#queue.giveNextTurn();
  }

  async destroy(): Promise<void> {
    this.reader.close();
    this.writer.close();
  }
}
