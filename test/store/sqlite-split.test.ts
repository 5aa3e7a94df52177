// SQLite answers synchronously, so a long write transaction would hold the one event loop from
// BEGIN to COMMIT and a reader's request that arrived meanwhile would wait for all of it. The
// writer lets the loop turn between two statements once it has held it WRITER_SLICE_MS: what was
// waiting runs in the middle of the transaction, and a read made then sees only committed rows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportAll } from '../../src/app/operations/export-all.ts';
import { openStore, type Store } from '../../src/store/connect.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { WRITER_SLICE_MS } from '../../src/store/sqlite-split.ts';

const busyFor = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

describe('a long SQLite write transaction and the event loop', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'wghub-split-'));
    store = openStore(`sqlite:${path.join(dir, 'hub.sqlite')}`);
    await sql`create table notes (n integer)`.execute(store.db);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets work that was waiting run mid-transaction, and that work reads only what was committed', async () => {
    let written = 0;
    const seen: { writtenThen: number; rowsRead: number }[] = [];
    const writing = store.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 20; i++) {
        busyFor(WRITER_SLICE_MS / 2); // markdown, hints: work between two statements
        await trx
          .insertInto('notes' as never)
          .values({ n: i } as never)
          .execute();
        written++;
        // a reader's request arrives once the transaction has written its first row
        if (i === 0)
          setImmediate(async () => {
            const writtenThen = written;
            const rows = await store.db
              .selectFrom('notes' as never)
              .selectAll()
              .execute();
            seen.push({ writtenThen, rowsRead: rows.length });
          });
      }
    });
    await writing;
    expect(seen).toHaveLength(1);
    // it ran while the transaction was under way (without the slices, only after its COMMIT: 20)
    expect(seen[0]!.writtenThen).toBeGreaterThan(0);
    expect(seen[0]!.writtenThen).toBeLessThan(20);
    expect(seen[0]!.rowsRead).toBe(0);
    const after = await store.db
      .selectFrom('notes' as never)
      .selectAll()
      .execute();
    expect(after).toHaveLength(20);
  });

  it('waits before its next statement while a read is in flight, and goes on when the read ends', async () => {
    const end = store.readers!.read(); // a reader's page, its gzip stream under way
    const order: string[] = [];
    setTimeout(() => {
      order.push('read ended');
      end();
    }, 5);
    await store.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 3; i++) {
        await trx
          .insertInto('notes' as never)
          .values({ n: i } as never)
          .execute();
        order.push(`row ${i}`);
      }
    });
    // no statement of the transaction ran while the read was in flight
    expect(order).toEqual(['read ended', 'row 0', 'row 1', 'row 2']);
  });

  it('waits for reads only so long in all, so a long transaction under a steady stream of reads still ends', async () => {
    // a read always in flight: a new one every 10 ms, each counted for up to READ_PRIORITY_MS
    const reads = setInterval(() => store.readers!.read(), 10);
    store.readers!.read();
    // each wait for readers is counted, not timed: WRITER_WAIT_MS (20 ms) at least apiece
    const readers = store.readers!;
    const turn = readers.writersTurn.bind(readers);
    let waits = 0;
    readers.writersTurn = () => {
      if (readers.reading) waits++;
      return turn();
    };
    try {
      await store.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 100; i++)
          await trx
            .insertInto('notes' as never)
            .values({ n: i } as never)
            .execute();
      });
    } finally {
      clearInterval(reads);
      readers.writersTurn = turn;
    }
    // it waited for readers before each of its 100 statements once (2 s); it waits READERS_BUDGET_MS
    // (100 ms) in all, five waits or six, then hands the loop over only between slices
    expect(waits).toBeGreaterThan(0);
    expect(waits).toBeLessThanOrEqual(10);
    expect(
      await store.db
        .selectFrom('notes' as never)
        .selectAll()
        .execute(),
    ).toHaveLength(100);
  });
});

// A second process on the same file: a second `wghub serve` during an upgrade, or a CLI command
// (`wghub export all`, `wghub token create`) while the hub serves.
describe('a SQLite file another process writes too', () => {
  let dir: string;
  let file: string;
  let store: Store;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'wghub-split-two-'));
    file = path.join(dir, 'hub.sqlite');
    store = openStore(`sqlite:${file}`);
    await sql`create table notes (n integer)`.execute(store.db);
    // fail in a second, not five, when the hub cannot write
    store.sqlite!.pragma('busy_timeout = 1000');
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // Another process holds the write lock and commits a moment later: here only if this process's loop
  // turns meanwhile (before, BEGIN IMMEDIATE and a lone write waited busy_timeout in one synchronous
  // call, every request stalled, and the release was never seen).
  it.each([
    [
      'in a transaction',
      (db: Store['db']) =>
        db.transaction().execute(async (trx) => {
          await trx
            .insertInto('notes' as never)
            .values({ n: 1 } as never)
            .execute();
        }),
    ],
    [
      'outside a transaction (a job claimed, a session)',
      (db: Store['db']) =>
        db
          .insertInto('notes' as never)
          .values({ n: 1 } as never)
          .execute(),
    ],
  ])('waits for the write lock another process holds with the event loop free, then writes: %s', async (_, write) => {
    const other = new SQLite(file);
    let commit: NodeJS.Timeout | undefined;
    try {
      other.prepare('begin immediate').run();
      commit = setTimeout(() => other.prepare('commit').run(), 20);
      await write(store.db);
      expect(
        await store.db
          .selectFrom('notes' as never)
          .selectAll()
          .execute(),
      ).toHaveLength(1);
    } finally {
      clearTimeout(commit);
      other.close();
    }
  });

  it('goes on writing while `wghub export all` reads its snapshot of the same file', async () => {
    await migrateToLatest(store.db);
    const exporting = openStore(`sqlite:${file}`);
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const lines: string[] = [];
    // an export whose reader (a pipe, a slow disk) has not taken its first lines yet
    const out = new Writable({
      highWaterMark: 1,
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        void released.then(() => done());
      },
    });
    const exported = exportAll(exporting, out);
    try {
      while (!lines.length) await new Promise((r) => setTimeout(r, 5));
      await store.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('notes' as never)
          .values({ n: 1 } as never)
          .execute();
      });
    } finally {
      release();
      await exported;
      await exporting.close();
    }
    expect(lines.at(-1)).toContain('"end":true');
  });
});
