import {
  type DialectAdapter,
  Migrator,
  PostgresAdapter,
  sql,
  type Kysely,
  type Migration,
  type MigrationResult,
} from 'kysely';

/**
 * A migration whose module is loaded when it first runs: a start of an up-to-date database (every
 * start but the first after an upgrade) reads only the names, and loading the 56 modules was about
 * a twentieth of `serve`'s cold start.
 */
function lazy(load: () => Promise<Migration>): Migration {
  return {
    up: async (db) => (await load()).up(db),
    down: async (db) => {
      const m = await load();
      if (!m.down) throw new Error('this migration has no down');
      await m.down(db);
    },
  };
}

/** Every migration this build knows, in order. Names sort in the order they must run. */
export const MIGRATIONS: Record<string, Migration> = {
  '001-foundation': lazy(() => import('./migrations/001-foundation.ts')),
  '002-proposals': lazy(() => import('./migrations/002-proposals.ts')),
  '003-decisions': lazy(() => import('./migrations/003-decisions.ts')),
  '004-search': lazy(() => import('./migrations/004-search.ts')),
  '005-meetings': lazy(() => import('./migrations/005-meetings.ts')),
  '006-mcp-evidence': lazy(() => import('./migrations/006-mcp-evidence.ts')),
  '007-web': lazy(() => import('./migrations/007-web.ts')),
  '009-decision-electorate': lazy(() => import('./migrations/009-decision-electorate.ts')),
  '010-jobs': lazy(() => import('./migrations/010-jobs.ts')),
  '011-hardening': lazy(() => import('./migrations/011-hardening.ts')),
  '030-github': lazy(() => import('./migrations/030-github.ts')),
  '040-notifications': lazy(() => import('./migrations/040-notifications.ts')),
  '050-ops': lazy(() => import('./migrations/050-ops.ts')),
  '051-shared-rate-limits': lazy(() => import('./migrations/051-shared-rate-limits.ts')),
  '070-mail-replies': lazy(() => import('./migrations/070-mail-replies.ts')),
  '075-search-words': lazy(() => import('./migrations/075-search-words.ts')),
  '078-comment-moderation': lazy(() => import('./migrations/078-comment-moderation.ts')),
  '083-github-owners': lazy(() => import('./migrations/083-github-owners.ts')),
  '084-github-issues': lazy(() => import('./migrations/084-github-issues.ts')),
  '087-topic-subscription-keys': lazy(() => import('./migrations/087-topic-subscription-keys.ts')),
  '091-search-words-recount': lazy(() => import('./migrations/091-search-words-recount.ts')),
  '095-comment-pages': lazy(() => import('./migrations/095-comment-pages.ts')),
  '102-github-discussions': lazy(() => import('./migrations/102-github-discussions.ts')),
  '103-github-assignees': lazy(() => import('./migrations/103-github-assignees.ts')),
  '106-search-rank-index': lazy(() => import('./migrations/106-search-rank-index.ts')),
  '136-search-rank-vector': lazy(() => import('./migrations/136-search-rank-vector.ts')),
  '137-search-title-index': lazy(() => import('./migrations/137-search-title-index.ts')),
  '150-meeting-note-taker': lazy(() => import('./migrations/150-meeting-note-taker.ts')),
  '160-github-sync-lease': lazy(() => import('./migrations/160-github-sync-lease.ts')),
  '161-github-commits': lazy(() => import('./migrations/161-github-commits.ts')),
  '165-search-sep-dates': lazy(() => import('./migrations/165-search-sep-dates.ts')),
  '175-search-vectors-in-row': lazy(() => import('./migrations/175-search-vectors-in-row.ts')),
  '185-person-github-account': lazy(() => import('./migrations/185-person-github-account.ts')),
  '190-search-opening-index': lazy(() => import('./migrations/190-search-opening-index.ts')),
  '195-events-by-subject-and-kind': lazy(() => import('./migrations/195-events-by-subject-and-kind.ts')),
  '200-search-title-index': lazy(() => import('./migrations/200-search-title-index.ts')),
  '205-relations-by-target': lazy(() => import('./migrations/205-relations-by-target.ts')),
  '210-decision-withdrawal': lazy(() => import('./migrations/210-decision-withdrawal.ts')),
  '215-email-set-by-self': lazy(() => import('./migrations/215-email-set-by-self.ts')),
  '220-oauth': lazy(() => import('./migrations/220-oauth.ts')),
  '225-email-confirmation': lazy(() => import('./migrations/225-email-confirmation.ts')),
  '230-oauth-pruning': lazy(() => import('./migrations/230-oauth-pruning.ts')),
  '235-membership-requests': lazy(() => import('./migrations/235-membership-requests.ts')),
  '240-series-end': lazy(() => import('./migrations/240-series-end.ts')),
  '245-settled-membership-requests': lazy(() => import('./migrations/245-settled-membership-requests.ts')),
  '255-written-input-edits': lazy(() => import('./migrations/255-written-input-edits.ts')),
  '260-comments-rendered-anew': lazy(() => import('./migrations/260-comments-rendered-anew.ts')),
  '285-github-webhook-refusals': lazy(() => import('./migrations/285-github-webhook-refusals.ts')),
  '294-decisions-by-subject': lazy(() => import('./migrations/294-decisions-by-subject.ts')),
  '312-decision-extension': lazy(() => import('./migrations/312-decision-extension.ts')),
  '321-occurrence-slot': lazy(() => import('./migrations/321-occurrence-slot.ts')),
  '323-github-delivery-facts': lazy(() => import('./migrations/323-github-delivery-facts.ts')),
  '333-github-pull-state': lazy(() => import('./migrations/333-github-pull-state.ts')),
  '337-written-input-recorded-by': lazy(() => import('./migrations/337-written-input-recorded-by.ts')),
  '339-digest-sends': lazy(() => import('./migrations/339-digest-sends.ts')),
  '340-github-repo-identity': lazy(() => import('./migrations/340-github-repo-identity.ts')),
  '343-answers-membership-ended': lazy(() => import('./migrations/343-answers-membership-ended.ts')),
  '349-answers-of-past-members': lazy(() => import('./migrations/349-answers-of-past-members.ts')),
  '352-group-invitations': lazy(() => import('./migrations/352-group-invitations.ts')),
  '356-chat-deliveries': lazy(() => import('./migrations/356-chat-deliveries.ts')),
  '357-invitations-named-in-proposal': lazy(() => import('./migrations/357-invitations-named-in-proposal.ts')),
  '363-invitations-ended-why': lazy(() => import('./migrations/363-invitations-ended-why.ts')),
  '371-retention-indexes': lazy(() => import('./migrations/371-retention-indexes.ts')),
  '376-github-delivery-ids': lazy(() => import('./migrations/376-github-delivery-ids.ts')),
  '385-membership-requests-retired': lazy(() => import('./migrations/385-membership-requests-retired.ts')),
  '391-web-session-cookie-name': lazy(() => import('./migrations/391-web-session-cookie-name.ts')),
  '396-time-zones-as-iana-spells-them': lazy(() => import('./migrations/396-time-zones-as-iana-spells-them.ts')),
  '398-search-documents-nfc': lazy(() => import('./migrations/398-search-documents-nfc.ts')),
  '403-chat-withheld': lazy(() => import('./migrations/403-chat-withheld.ts')),
  '408-artifact-titles-a-line': lazy(() => import('./migrations/408-artifact-titles-a-line.ts')),
  '409-agenda-item-links': lazy(() => import('./migrations/409-agenda-item-links.ts')),
  '410-last-visits-and-told-titles': lazy(() => import('./migrations/410-last-visits-and-told-titles.ts')),
  '440-comments-addresses-no-mentions': lazy(() => import('./migrations/440-comments-addresses-no-mentions.ts')),
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
  // what this run applied, across attempts: on SQLite each migration commits on its own, so one a
  // SQLITE_BUSY retry no longer sees as pending was still applied by this run (before 2026-12-07 the
  // report listed only what the last attempt applied)
  const done: MigrationResult[] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      const results = await migrateOnce(db, MIGRATIONS, schema, done);
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
  /** SQLite: the migrations already committed by earlier attempts of this run, added to as each commits. */
  applied: MigrationResult[] = [],
): Promise<MigrationResult[]> {
  if (!isPostgres(db)) {
    // one migration per transaction, as Kysely ran them: another process's writes (an old release
    // serving during an upgrade) wait for one migration at a time, not for all of them past their
    // busy timeout
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
