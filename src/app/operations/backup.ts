// Backups an operator can take while the hub runs, and restore. SQLite: the online backup API
// (pages copied while writers go on; the copy is one consistent moment). PostgreSQL: pg_dump in its
// custom format (one snapshot, compressed, restored selectively by pg_restore). After a restore
// the event log's hash chain is walked end to end, so a damaged or partial backup is found then,
// not on the day someone relies on the log.
import { spawn } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import type SQLiteDatabase from 'better-sqlite3';
import { openStore, type Store } from '../../store/connect.ts';
import { verifyEvents } from '../../store/events.ts';
import { installRum } from '../../search/rank-index.ts';
import type { ChainBreak } from '../../domain/event-chain.ts';

const require = createRequire(import.meta.url);

/**
 * The server's URL without wghub's own ?schema= parameter, which libpq tools do not know. The rest is
 * written back percent-encoded: URLSearchParams writes a space as `+`, which libpq reads as a `+`
 * (`options=-c%20statement_timeout%3D5000` reached pg_dump as the setting "+statement_timeout").
 */
function libpqUrl(url: string): string {
  const u = new URL(url);
  u.search = [...u.searchParams]
    .filter(([key]) => key !== 'schema')
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
  return u.toString();
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) =>
      reject(
        new Error(
          `${cmd} could not be started (${e.message}): install the PostgreSQL client tools (Debian: postgresql-client)`,
        ),
      ),
    );
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} failed (${code}): ${err.trim()}`))));
  });
}

export type BackupResult = { file: string; bytes: number; ms: number };

/** How often a SQLite backup that met a busy database starts again (100 ms apart). */
const BUSY_RETRIES = 50;

export async function backupDatabase(store: Store, file: string): Promise<BackupResult> {
  const started = performance.now();
  if (existsSync(file)) throw new Error(`${file} exists: a backup never overwrites a file; name a new one`);
  if (store.kind === 'sqlite') {
    // better-sqlite3 reports a step that met a busy database (another connection's checkpoint,
    // under writes) as the end of the backup and then deletes the unfinished file: try again
    for (let attempt = 1; ; attempt++) {
      await store.sqlite!.backup(file);
      if (existsSync(file)) break;
      if (attempt === BUSY_RETRIES)
        throw new Error(`the backup to ${file} could not finish: the database stayed busy; try again`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } else {
    await run('pg_dump', [
      '--format=custom',
      '--no-owner',
      '--no-privileges',
      `--file=${file}`,
      ...(store.schema ? [`--schema=${store.schema}`] : []),
      libpqUrl(store.url),
    ]);
  }
  return { file, bytes: statSync(file).size, ms: Math.round(performance.now() - started) };
}

export type RestoreResult = {
  ms: number;
  events: number;
  chain: { ok: boolean; firstBroken: ChainBreak | null };
};

async function isEmpty(store: Store): Promise<boolean> {
  try {
    const r = await store.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return Number(r?.n ?? 0) === 0;
  } catch {
    return true; // no tables yet
  }
}

/**
 * Restores `file` into the database at `url`, which must be empty (or `force`: replaced), then
 * walks the event log. Stop every hub process on that database first.
 */
export async function restoreDatabase(
  url: string,
  file: string,
  opts: { force?: boolean } = {},
): Promise<RestoreResult> {
  const started = performance.now();
  if (!existsSync(file)) throw new Error(`${file}: no such backup file`);
  const target = openStore(url);
  try {
    if (!opts.force && !(await isEmpty(target))) {
      throw new Error(
        'the database to restore into already holds a hub: restore into an empty one, or pass --force to replace it',
      );
    }
  } finally {
    await target.close();
  }
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
    const SQLite = require('better-sqlite3') as typeof SQLiteDatabase;
    const source = new SQLite(file, { readonly: true, fileMustExist: true });
    try {
      await source.backup(path);
    } finally {
      source.close();
    }
  } else {
    // a backup of a hub with the RUM search index needs the extension where it is restored
    const db = openStore(url);
    try {
      await db.db.transaction().execute((trx) => installRum(trx));
    } finally {
      await db.close();
    }
    await run('pg_restore', [
      '--no-owner',
      '--no-privileges',
      '--exit-on-error',
      ...(opts.force ? ['--clean', '--if-exists'] : []),
      '--single-transaction',
      `--dbname=${libpqUrl(url)}`,
      file,
    ]);
  }
  const restored = openStore(url);
  try {
    const r = await verifyEvents(restored.db);
    return {
      ms: Math.round(performance.now() - started),
      events: r.checked,
      chain: { ok: r.break === null, firstBroken: r.break },
    };
  } finally {
    await restored.close();
  }
}
