// Migrating a fresh PostgreSQL schema is about a hundred DDL statements: from a few hundred
// milliseconds to several seconds on a loaded machine, paid by every test that opens a store.
// So a schema a test has closed is kept by its test process and handed to the next test that
// opens a store there, emptied and given back the rows the migrations seed (or a snapshot's rows)
// in one statement on one connection the process keeps open. The migrations stay covered: kept
// schemas were migrated by the same code, and the migration and CLI tests migrate fresh ones.
//
// Why one kept connection and schemas kept in the process (2026-12-07): emptying a schema's 72
// tables on a new connection cost 30–120 ms (each new server process reads every table's catalog
// entries again), taking a schema from a list shared between processes and renaming it another
// connection and three statements, and a snapshot's rows were put back after the seed's, so a
// test on PostgreSQL paid 100–300 ms and two full emptyings for its database. On the kept
// connection the same schemas come back, their catalog entries already read: one emptying, a few
// milliseconds.
//
// Schemas are named t_<pid>_… after the process that holds them; pg-global.ts drops those of
// ended processes, and this run's at its end.
import type { Socket } from 'node:net';
import pg from 'pg';
import { MIGRATIONS } from '../../src/store/migrate.ts';

export function newSchemaName(pid = process.pid): string {
  return `t_${pid}_${Math.random().toString(36).slice(2, 10)}`;
}

let kept: Promise<pg.Client> | undefined;

/** Runs `run` on this process's one kept connection (opened on first use; it does not hold the process open). */
async function onKeptConnection<T>(url: string, run: (c: pg.Client) => Promise<T>): Promise<T> {
  kept ??= (async () => {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => {
      kept = undefined; // a server restart: the next use connects again
    });
    await client.connect();
    (client as unknown as { connection?: { stream?: Socket } }).connection?.stream?.unref?.();
    return client;
  })();
  const client = kept;
  client.catch(() => {
    if (kept === client) kept = undefined;
  });
  return run(await client);
}

/** Schemas a test of this process closed, whose rows are put back when the next test takes one. */
const closed: string[] = [];
/** What a freshly migrated schema holds (the rows the migrations seed, the sequences' positions), as SQL. */
let seed: string | undefined;

/**
 * A schema this process kept, emptied and holding `rows` (SQL from `schemaAsSql`; the migrations'
 * seed if none); undefined when none is kept, or when the one kept could not be refilled (a test
 * changed it past what emptying puts right): it is dropped, a warning says so, and the caller
 * migrates a fresh one, so one test's leftovers never fail the next.
 */
export async function takeKeptSchema(url: string, rows?: string): Promise<string | undefined> {
  const schema = closed.pop();
  if (!schema) return undefined;
  try {
    await refill(url, schema, rows ?? seed ?? '');
    return schema;
  } catch (e) {
    console.warn(
      `pg-recycle: kept schema ${schema} could not be refilled (${(e as Error).message}); a freshly migrated one is used instead`,
    );
    await onKeptConnection(url, (c) => c.query(`drop schema if exists ${pg.escapeIdentifier(schema)} cascade`)).catch(
      () => {},
    );
    return undefined;
  }
}

/** Notes what a freshly migrated, never used schema holds, once per process. */
export async function rememberSeed(url: string, schema: string): Promise<void> {
  seed ??= await onKeptConnection(url, (c) => schemaAsSql(c, schema));
}

/**
 * Keeps a schema a test has closed for the next test of this process. A schema whose migrations a
 * test changed (one that recorded a migration of its own, or lost one) is not kept; pg-global.ts
 * drops it after the run.
 */
export async function keepSchema(url: string, schema: string): Promise<void> {
  if (seed === undefined || closed.includes(schema)) return; // kept once, or two tests would share it
  try {
    const applied = await onKeptConnection(url, (c) =>
      c.query<{ name: string }>(`select name from ${pg.escapeIdentifier(schema)}.kysely_migration`),
    );
    const names = applied.rows.map((r) => r.name).sort();
    if (names.join() === Object.keys(MIGRATIONS).sort().join()) closed.push(schema);
  } catch {
    /* left as it is */
  }
}

/**
 * Empties the schema's own tables and inserts `rows`, in one transaction and one round trip. Replica
 * mode skips foreign-key checks and triggers, so the tables empty and fill in any order.
 *
 * The schema must estimate as a fresh one does: the app reads the planner's figures (search's
 * document count is `pg_class.reltuples`, its common words `pg_stats`), and a DELETE leaves
 * whatever the last test's ANALYZE (or autovacuum) counted. So a table analysed or vacuumed since
 * it was migrated (reltuples ≥ 0; a fresh one's is -1) is emptied by TRUNCATE, which resets its
 * count, and the others by DELETE; the statistics ANALYZE gathered are deleted too where the
 * connection may (a superuser's, as the default test server's). Measured on 2026-12-08 (load 7-9,
 * two cores, 60 opens of a kept schema each): nothing analysed, 19-27 ms per open (median) with
 * DELETE alone and 21-33 ms with this, no difference past the noise; search_documents (seven
 * indexes) analysed every third open, 19-21 ms before (and the wrong count), 26-31 ms with this;
 * TRUNCATE of every table instead, 630-960 ms.
 */
export async function refill(url: string, schema: string, rows: string): Promise<void> {
  const quoted = pg.escapeIdentifier(schema);
  const name = pg.escapeLiteral(schema);
  await onKeptConnection(url, async (c) => {
    try {
      await c.query(
        `begin; set local search_path = ${quoted}; set local session_replication_role = replica;
         do $$ declare t text; counted boolean; truncated text[] := '{}'; begin
           for t, counted in select relname, reltuples >= 0 from pg_class
               where relnamespace = ${name}::regnamespace and relkind in ('r', 'p') and relname not like 'kysely\\_%' loop
             if counted then truncated := truncated || format('%I.%I', ${name}, t);
             else execute format('delete from %I.%I', ${name}, t);
             end if;
           end loop;
           if cardinality(truncated) > 0 then
             execute 'truncate ' || array_to_string(truncated, ', ') || ' cascade';
           end if;
           if (select rolsuper from pg_roles where rolname = current_user) then
             delete from pg_statistic where starelid in (select oid from pg_class where relnamespace = ${name}::regnamespace);
           end if;
         end $$;
         ${rows}
         commit;`,
      );
    } catch (e) {
      await c.query('rollback').catch(() => {});
      throw e;
    }
  });
}

/**
 * Every row of the schema's tables (generated columns left to compute) and its sequences' positions,
 * as SQL that puts them back into a schema migrated alike.
 */
export async function schemaAsSql(c: pg.Client, schema: string): Promise<string> {
  const tables = await c.query<{ table_name: string; columns: string[] }>(
    `select table_name, array_agg(quote_ident(column_name::text) order by ordinal_position)::text[] as columns
       from information_schema.columns where table_schema = $1 and is_generated = 'NEVER'
       and table_name not like 'kysely\\_%'
       and table_name in (select table_name from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE')
       group by table_name order by table_name`,
    [schema],
  );
  let sql = '';
  for (const t of tables.rows) {
    const table = pg.escapeIdentifier(t.table_name);
    const { rows } = await c.query<{ rows: unknown }>(
      `select json_agg(t) as rows from ${pg.escapeIdentifier(schema)}.${table} t`,
    );
    if (!rows[0]?.rows) continue;
    const cols = t.columns.join(', ');
    sql += `insert into ${table} (${cols}) select ${cols} from json_populate_recordset(null::${table}, ${pg.escapeLiteral(JSON.stringify(rows[0].rows))});\n`;
  }
  // sequences go back to where they were left
  const sequences = await c.query<{ sequencename: string; last_value: string | null }>(
    'select sequencename, last_value from pg_sequences where schemaname = $1',
    [schema],
  );
  for (const q of sequences.rows) {
    const name = pg.escapeIdentifier(q.sequencename);
    sql +=
      q.last_value === null
        ? `alter sequence ${name} restart;\n`
        : `select setval('${name}', ${q.last_value}, true);\n`;
  }
  return sql;
}
