import {
  type DialectAdapter,
  Migrator,
  PostgresAdapter,
  sql,
  type Kysely,
  type Migration,
  type MigrationResult,
} from 'kysely';
import * as m001 from './migrations/001-foundation.ts';
import * as m002 from './migrations/002-proposals.ts';
import * as m003 from './migrations/003-decisions.ts';
import * as m004 from './migrations/004-search.ts';
import * as m005 from './migrations/005-meetings.ts';
import * as m006 from './migrations/006-mcp-evidence.ts';
import * as m007 from './migrations/007-web.ts';
import * as m009 from './migrations/009-decision-electorate.ts';
import * as m010 from './migrations/010-jobs.ts';
import * as m011 from './migrations/011-hardening.ts';
import * as m030 from './migrations/030-github.ts';
import * as m040 from './migrations/040-notifications.ts';
import * as m050 from './migrations/050-ops.ts';
import * as m051 from './migrations/051-shared-rate-limits.ts';
import * as m070 from './migrations/070-mail-replies.ts';
import * as m075 from './migrations/075-search-words.ts';
import * as m078 from './migrations/078-comment-moderation.ts';
import * as m083 from './migrations/083-github-owners.ts';
import * as m084 from './migrations/084-github-issues.ts';
import * as m087 from './migrations/087-topic-subscription-keys.ts';
import * as m091 from './migrations/091-search-words-recount.ts';
import * as m095 from './migrations/095-comment-pages.ts';
import * as m102 from './migrations/102-github-discussions.ts';
import * as m103 from './migrations/103-github-assignees.ts';
import * as m106 from './migrations/106-search-rank-index.ts';
import * as m136 from './migrations/136-search-rank-vector.ts';
import * as m137 from './migrations/137-search-title-index.ts';
import * as m150 from './migrations/150-meeting-note-taker.ts';
import * as m160 from './migrations/160-github-sync-lease.ts';
import * as m161 from './migrations/161-github-commits.ts';
import * as m165 from './migrations/165-search-sep-dates.ts';
import * as m175 from './migrations/175-search-vectors-in-row.ts';
import * as m185 from './migrations/185-person-github-account.ts';
import * as m190 from './migrations/190-search-opening-index.ts';
import * as m195 from './migrations/195-events-by-subject-and-kind.ts';
import * as m200 from './migrations/200-search-title-index.ts';
import * as m205 from './migrations/205-relations-by-target.ts';
import * as m210 from './migrations/210-decision-withdrawal.ts';
import * as m215 from './migrations/215-email-set-by-self.ts';
import * as m220 from './migrations/220-oauth.ts';
import * as m225 from './migrations/225-email-confirmation.ts';
import * as m230 from './migrations/230-oauth-pruning.ts';
import * as m235 from './migrations/235-membership-requests.ts';
import * as m240 from './migrations/240-series-end.ts';
import * as m245 from './migrations/245-settled-membership-requests.ts';
import * as m255 from './migrations/255-written-input-edits.ts';
import * as m260 from './migrations/260-comments-rendered-anew.ts';
import * as m285 from './migrations/285-github-webhook-refusals.ts';
import * as m294 from './migrations/294-decisions-by-subject.ts';
import * as m312 from './migrations/312-decision-extension.ts';
import * as m321 from './migrations/321-occurrence-slot.ts';
import * as m323 from './migrations/323-github-delivery-facts.ts';
import * as m333 from './migrations/333-github-pull-state.ts';
import * as m337 from './migrations/337-written-input-recorded-by.ts';
import * as m339 from './migrations/339-digest-sends.ts';
import * as m340 from './migrations/340-github-repo-identity.ts';
import * as m343 from './migrations/343-answers-membership-ended.ts';

/** Every migration this build knows, in order. Names sort in the order they must run. */
export const MIGRATIONS: Record<string, Migration> = {
  '001-foundation': m001,
  '002-proposals': m002,
  '003-decisions': m003,
  '004-search': m004,
  '005-meetings': m005,
  '006-mcp-evidence': m006,
  '007-web': m007,
  '009-decision-electorate': m009,
  '010-jobs': m010,
  '011-hardening': m011,
  '030-github': m030,
  '040-notifications': m040,
  '050-ops': m050,
  '051-shared-rate-limits': m051,
  '070-mail-replies': m070,
  '075-search-words': m075,
  '078-comment-moderation': m078,
  '083-github-owners': m083,
  '084-github-issues': m084,
  '087-topic-subscription-keys': m087,
  '091-search-words-recount': m091,
  '095-comment-pages': m095,
  '102-github-discussions': m102,
  '103-github-assignees': m103,
  '106-search-rank-index': m106,
  '136-search-rank-vector': m136,
  '137-search-title-index': m137,
  '150-meeting-note-taker': m150,
  '160-github-sync-lease': m160,
  '161-github-commits': m161,
  '165-search-sep-dates': m165,
  '175-search-vectors-in-row': m175,
  '185-person-github-account': m185,
  '190-search-opening-index': m190,
  '195-events-by-subject-and-kind': m195,
  '200-search-title-index': m200,
  '205-relations-by-target': m205,
  '210-decision-withdrawal': m210,
  '215-email-set-by-self': m215,
  '220-oauth': m220,
  '225-email-confirmation': m225,
  '230-oauth-pruning': m230,
  '235-membership-requests': m235,
  '240-series-end': m240,
  '245-settled-membership-requests': m245,
  '255-written-input-edits': m255,
  '260-comments-rendered-anew': m260,
  '285-github-webhook-refusals': m285,
  '294-decisions-by-subject': m294,
  '312-decision-extension': m312,
  '321-occurrence-slot': m321,
  '323-github-delivery-facts': m323,
  '333-github-pull-state': m333,
  '337-written-input-recorded-by': m337,
  '339-digest-sends': m339,
  '340-github-repo-identity': m340,
  '343-answers-membership-ended': m343,
};

export class DatabaseTooNew extends Error {}

async function appliedMigrations(db: Kysely<any>, schema?: string): Promise<string[]> {
  try {
    const table = schema ? sql.table(`${schema}.kysely_migration`) : sql.table('kysely_migration');
    const rows = await sql<{ name: string }>`select name from ${table} order by name`.execute(db);
    return rows.rows.map((r) => r.name);
  } catch {
    return []; // a fresh database has no migration table yet
  }
}

/**
 * Brings the schema up to date. Refuses, before touching anything, when the database was
 * migrated by a newer wghub: an old binary writing a newer schema could corrupt it.
 */
export async function migrateToLatest(db: Kysely<any>, schema?: string): Promise<{ applied: string[] }> {
  if (schema && isPostgres(db)) await checkSearchPath(db, schema);
  const known = new Set(Object.keys(MIGRATIONS));
  const applied = await appliedMigrations(db, schema);
  refuseNewer(applied);
  // Features land on parallel branches, each with its own numbered migration, so a database may
  // have run a later-numbered one first (006 before 005); they are independent, so run what is missing.
  // An up-to-date database (every start but the first after an upgrade) needs no migrator at all.
  if (applied.length === known.size) return { applied: [] };
  for (let attempt = 1; ; attempt++) {
    try {
      const results = await migrateOnce(db, MIGRATIONS, schema);
      return { applied: results.filter((r) => r.status === 'Success').map((r) => r.migrationName) };
    } catch (error) {
      // Kysely's migrator reads the server's catalogue; a table created or dropped in another schema
      // during that read (another wghub sharing the server) can fail it. The migration itself ran in
      // a rolled-back transaction or not at all, so trying again is safe.
      // SQLite: another process held the write lock past the busy timeout (5 s) while it migrated;
      // its migrations are committed or rolled back whole, so wait on (up to 10 minutes) and look again
      if (isSqliteBusy(error) && attempt < 120) continue;
      if (attempt >= 5 || !isCatalogueRace(error)) throw error;
    }
    await new Promise((r) => setTimeout(r, 50 * attempt));
  }
}

/** Kysely's migration lock: an older wghub (which takes it as a session lock) and this one exclude each other. */
const MIGRATION_LOCK_ID = BigInt('3853314791062309107');

/**
 * Applies what is missing of `migrations`, one process at a time. On PostgreSQL all of it is one
 * transaction that first takes a transaction-level advisory lock. Kysely's own lock is a session
 * lock, taken and released by statements outside its transaction: behind PgBouncer in transaction
 * mode each of those may run on another server connection, so the release can miss and leave the
 * lock held by a pooled server connection, for the next process that migrates to wait on.
 * On SQLite each migration is a transaction begun IMMEDIATE (the file's write lock, which another
 * process's transaction waits for) that reads what is applied before it runs the next one: Kysely's
 * SQLite lock is a no-op, so two processes started at once on a new file both found nothing applied
 * and the later one stopped at its first CREATE TABLE ("table people already exists").
 */
async function migrateOnce(
  db: Kysely<any>,
  migrations: Record<string, Migration>,
  schema?: string,
): Promise<MigrationResult[]> {
  if (!isPostgres(db)) {
    // one migration per transaction, as Kysely ran them: another process's writes (an old release
    // serving during an upgrade) wait for one migration at a time, not for all of them past their
    // busy timeout
    const applied: MigrationResult[] = [];
    for (;;) {
      const step = await db.transaction().execute(async (trx) => {
        const { error, results } = await migratorFor(trx, migrations, schema, {
          inLockedTransaction: true,
        }).migrateUp();
        if (error) throw error; // the transaction rolls back: nothing of it stays
        return (results ?? []).filter((r) => r.status === 'Success');
      });
      if (!step.length) return applied;
      applied.push(...step);
    }
  }
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${sql.lit(MIGRATION_LOCK_ID)})`.execute(trx);
    const { error, results } = await migratorFor(trx, migrations, schema, {
      inLockedTransaction: true,
    }).migrateToLatest();
    if (error) throw error; // the transaction rolls back: nothing of it stays
    return [...(results ?? [])];
  });
}

/**
 * The tables are created and read where the connection's search_path points. `?schema=` sets it
 * with a startup option, which PgBouncer refuses or ignores (`ignore_startup_parameters`); then the
 * pooler must set it on its server connections, and a start where it did not stops here, before
 * migrating into another schema.
 */
async function checkSearchPath(db: Kysely<any>, schema: string): Promise<void> {
  const { rows } = await sql<{ path: string }>`select current_setting('search_path') as path`.execute(db);
  const path = rows[0]?.path ?? '';
  const first = path
    .split(',')[0]
    ?.trim()
    .replace(/^"(.*)"$/, '$1');
  if (first === schema) return;
  throw new Error(
    `WGHUB_DATABASE_URL names schema ${schema}, but the database connection's search_path is '${path}'. ` +
      `Behind PgBouncer set it on the server connections (connect_query='SET search_path TO ${schema}' ` +
      `in the database's entry, or ALTER ROLE … SET search_path TO ${schema}). Nothing was changed.`,
  );
}

/**
 * Kysely's migrator over `migrations`. Naming the schema keeps it from mistaking another schema's
 * migration tables for ours; migrations are additive and may be written on parallel branches, so a
 * database that already has a later-numbered one still takes an earlier one it lacks.
 */
export function migratorFor(
  db: Kysely<any>,
  migrations: Record<string, Migration>,
  schema?: string,
  opts: { inLockedTransaction?: boolean } = {},
): Migrator {
  return new Migrator({
    db: withNarrowIntrospection(db, schema, opts.inLockedTransaction ?? false),
    provider: { getMigrations: async () => migrations },
    allowUnorderedMigrations: true,
    // in a transaction that holds the lock (migrateOnce): no transaction or lock of the migrator's own
    ...(opts.inLockedTransaction ? { disableTransactions: true } : {}),
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

/**
 * The migrator asks whether its two tables exist by listing every column of every table in every
 * schema on the server (with a description and a sequence look-up per column). On a PostgreSQL
 * server holding many schemas (other hubs, a test run) that takes seconds per start, so on
 * PostgreSQL it is answered from our own schema's table names alone; SQLite's listing is one file.
 */
function withNarrowIntrospection(
  db: Kysely<any>,
  schema: string | undefined,
  inLockedTransaction: boolean,
): Kysely<any> {
  if (!isPostgres(db) && !inLockedTransaction) return db;
  // SQLite's listing is one file: its own introspection is kept
  const introspection = !isPostgres(db)
    ? db.introspection
    : {
        getSchemas: () => db.introspection.getSchemas(),
        getMetadata: () => db.introspection.getMetadata(),
        async getTables() {
          const rows = await sql<{ name: string; schema: string }>`
        select table_name as name, table_schema as schema from information_schema.tables
        where table_schema = coalesce(${schema ?? null}::text, current_schema())`.execute(db);
          return rows.rows.map((r) => ({ ...r, isView: false, columns: [] }));
        },
      };
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'introspection') return introspection;
      // `db` is a transaction holding the lock: the migrator runs in it, taking no lock of its own
      if (inLockedTransaction && prop === 'connection') return () => ({ execute: (run: any) => run(target) });
      if (inLockedTransaction && prop === 'getExecutor') return () => withoutLock(target.getExecutor());
      const value = Reflect.get(target, prop, target);
      // Kysely's methods read private fields, so they must run on the real instance
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The executor with an adapter whose migration lock is a no-op (the caller holds one). */
function withoutLock<E extends { adapter: DialectAdapter }>(executor: E): E {
  const adapter: DialectAdapter = Object.create(executor.adapter, {
    acquireMigrationLock: { value: async () => {} },
    releaseMigrationLock: { value: async () => {} },
  });
  return new Proxy(executor, {
    get(target, prop) {
      if (prop === 'adapter') return adapter;
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

function isSqliteBusy(e: unknown): boolean {
  return (e as { code?: string }).code === 'SQLITE_BUSY';
}

function isCatalogueRace(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  // undefined column, table or schema; cache lookup failed
  return code === '42703' || code === '42P01' || code === '3F000' || code === 'XX000';
}

/** The migrations this wghub would apply; a database migrated by a newer wghub is refused, as `migrateToLatest` refuses it. */
export async function pendingMigrations(db: Kysely<any>, schema?: string): Promise<string[]> {
  const applied = await appliedMigrations(db, schema);
  refuseNewer(applied);
  const done = new Set(applied);
  return Object.keys(MIGRATIONS).filter((n) => !done.has(n));
}

function refuseNewer(applied: string[]): void {
  const unknown = applied.filter((n) => !Object.hasOwn(MIGRATIONS, n));
  if (!unknown.length) return;
  const latest = Object.keys(MIGRATIONS).at(-1);
  throw new DatabaseTooNew(
    `this database was migrated by a newer wghub (it has migration ${unknown.join(', ')}; this wghub knows up to ${latest}). ` +
      'Start the newer wghub, or restore a backup made before the upgrade. Nothing was changed.',
  );
}
