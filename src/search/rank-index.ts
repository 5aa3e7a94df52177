// PostgreSQL search ranked inside the index: the RUM extension (Debian's postgresql-15-rum) keeps
// each lexeme's positions in the index, so `ORDER BY tsv <=> query` ranks the matches without
// reading their rows. Without it, search ranks at most a few thousand GIN candidates with
// ts_rank_cd, which reads every candidate's vector from the table (slow above ~100,000 documents).
import { sql, SqliteAdapter, type Kysely } from 'kysely';
import type { Store } from '../store/connect.ts';
import type { Database } from '../store/schema.ts';

export const RANK_INDEX = 'search_documents_rum';

/** The schema the RUM extension lives in, or null when it is not installed in this database. */
async function rumExtensionSchema(db: Kysely<Database>): Promise<string | null> {
  const r = await sql<{ schema: string | null }>`
    select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace
    where e.extname = 'rum'`.execute(db);
  return r.rows[0]?.schema ?? null;
}

/**
 * Installs the RUM extension when the server has it and the role may, in `public` (dropping one
 * hub's schema must not take it from the other hubs on the server); returns the schema it is in,
 * or null. `db` must be a transaction: a refused CREATE EXTENSION is rolled back to a savepoint.
 */
export async function installRum(db: Kysely<Database>): Promise<string | null> {
  const schema = await rumExtensionSchema(db);
  if (schema) return schema;
  const available = await sql<{ ok: boolean }>`
    select exists (select 1 from pg_available_extensions where name = 'rum')
       and exists (select 1 from pg_namespace where nspname = 'public') as ok`.execute(db);
  if (!available.rows[0]?.ok) return null;
  await sql`savepoint wghub_rum`.execute(db);
  try {
    await sql`create extension if not exists rum schema public`.execute(db);
    await sql`release savepoint wghub_rum`.execute(db);
  } catch {
    // not allowed to (not a superuser), or another hub created it at the same moment
    await sql`rollback to savepoint wghub_rum`.execute(db);
  }
  return rumExtensionSchema(db);
}

/**
 * Indexes search_documents with RUM when the extension is (or can be) installed. `db` must be a
 * transaction. Idempotent; on SQLite, or without RUM, it does nothing and says so.
 */
export async function createRankIndex(db: Kysely<Database>): Promise<'built' | 'present' | 'unavailable'> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return 'unavailable';
  const schema = await installRum(db);
  if (!schema) return 'unavailable';
  if (await hasRankIndex(db)) return 'present';
  // the build sorts every posting once: more memory, fewer passes (this transaction only)
  await sql`set local maintenance_work_mem = '256MB'`.execute(db);
  await sql`create index ${sql.id(RANK_INDEX)} on search_documents using rum (tsv ${sql.id(schema)}.rum_tsvector_ops)`.execute(
    db,
  );
  return 'built';
}

async function hasRankIndex(db: Kysely<Database>): Promise<boolean> {
  const r = await sql<{ ok: boolean }>`
    select exists (
      select 1 from pg_index i join pg_class c on c.oid = i.indexrelid join pg_am a on a.oid = c.relam
      where i.indrelid = 'search_documents'::regclass and a.amname = 'rum') as ok`.execute(db);
  return r.rows[0]?.ok === true;
}

/** What each store was found to have (exported so a test that drops the index can forget it). */
export const rankIndexKnown = new WeakMap<Store, Promise<string | null>>();
const known = rankIndexKnown;

/**
 * PostgreSQL: the schema of RUM's operators when search_documents has the RUM index (search ranks
 * inside it), null otherwise (SQLite, or the fallback plan). Asked once per store.
 */
export function rankIndexSchema(store: Store): Promise<string | null> {
  if (store.kind === 'sqlite') return Promise.resolve(null);
  let found = known.get(store);
  if (!found) {
    found = (async () => ((await hasRankIndex(store.db)) ? rumExtensionSchema(store.db) : null))();
    // a failed look-up (the server away for a moment) is asked again next time
    found.catch(() => known.delete(store));
    known.set(store, found);
  }
  return found;
}
