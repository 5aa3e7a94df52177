// Migrating a fresh PostgreSQL schema is about a hundred DDL statements: from a few hundred
// milliseconds to several seconds on a loaded machine, paid by every test that opens a store.
// So a schema a test has closed is emptied (every row deleted, the rows the migrations seed put
// back) and listed as free; the next test, in any test process of any run with the same
// migrations, takes it instead of migrating a new one. The migrations stay covered: free schemas
// were migrated by the same code, and the migration and CLI tests migrate fresh ones.
//
// Schemas are named t_<pid>_… after the process that holds them (pg-global.ts drops those of ended
// processes); a free one is named after the test run's main process, and renamed when taken.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { MIGRATIONS } from '../../src/store/migrate.ts';

const FREE = 'public.wghub_test_free_schemas';
const SEEDS = 'public.wghub_test_schema_seeds';

/** Which migrations built a schema: their names and their text, so an edited migration never reuses one. */
export const MIGRATIONS_FINGERPRINT = (() => {
  const dir = path.resolve(import.meta.dirname, '../../src/store/migrations');
  // the seed's form is part of it: a seed remembered by an older form of this file is not used
  const hash = createHash('sha256').update('seed-form-2').update(Object.keys(MIGRATIONS).join('\n'));
  for (const f of readdirSync(dir).sort()) hash.update(f).update(readFileSync(path.join(dir, f)));
  return hash.digest('hex').slice(0, 16);
})();

export function newSchemaName(pid = process.pid): string {
  return `t_${pid}_${Math.random().toString(36).slice(2, 10)}`;
}

/** The two bookkeeping tables; created once per run, by the run's global set-up. */
export async function createRecycleTables(c: pg.Client): Promise<void> {
  await c.query(`create table if not exists ${FREE} (schema text primary key, fingerprint text not null)`);
  await c.query(`create table if not exists ${SEEDS} (fingerprint text primary key, seed text not null)`);
  // a free schema dropped by another run's clean-up is no longer free
  await c.query(`delete from ${FREE} f where not exists (select 1 from pg_namespace n where n.nspname = f.schema)`);
}

async function withClient<T>(url: string, run: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Takes a free, emptied schema built by these migrations and names it after this process; undefined when none is free. */
export async function takeFreeSchema(url: string): Promise<string | undefined> {
  try {
    return await withClient(url, async (c) => {
      for (;;) {
        const { rows } = await c.query<{ schema: string }>(
          `delete from ${FREE} f where f.schema = (select schema from ${FREE} where fingerprint = $1 limit 1 for update skip locked)
           returning f.schema`,
          [MIGRATIONS_FINGERPRINT],
        );
        if (!rows[0]) return undefined;
        const schema = newSchemaName();
        try {
          await c.query(`alter schema ${pg.escapeIdentifier(rows[0].schema)} rename to ${pg.escapeIdentifier(schema)}`);
          return schema;
        } catch {
          /* dropped meanwhile by another run's clean-up: try the next */
        }
      }
    });
  } catch {
    return undefined; // no bookkeeping tables (a run without pg-global.ts): migrate a fresh one
  }
}

/** Remembers what a freshly migrated, never used schema holds (rows, sequence positions), as SQL that puts it back. */
export async function rememberSeed(url: string, schema: string): Promise<void> {
  await withClient(url, async (c) => {
    const known = await c.query(`select 1 from ${SEEDS} where fingerprint = $1`, [MIGRATIONS_FINGERPRINT]);
    if (known.rows.length) return;
    const seed = await schemaAsSql(c, schema);
    await c.query(`insert into ${SEEDS} (fingerprint, seed) values ($1, $2) on conflict do nothing`, [
      MIGRATIONS_FINGERPRINT,
      seed,
    ]);
  });
}

/**
 * Empties a schema a test has closed and lists it as free. A schema whose migrations a test
 * changed (one that recorded a migration of its own) is not reused, nor is any schema when the
 * emptying fails (it needs a superuser, as CI's is).
 */
export async function recycleSchema(url: string, schema: string): Promise<void> {
  try {
    await withClient(url, async (c) => {
      const seed = await c.query<{ seed: string }>(`select seed from ${SEEDS} where fingerprint = $1`, [
        MIGRATIONS_FINGERPRINT,
      ]);
      if (!seed.rows[0]) return;
      const quoted = pg.escapeIdentifier(schema);
      const applied = await c.query<{ name: string }>(`select name from ${quoted}.kysely_migration`);
      if (
        applied.rows
          .map((r) => r.name)
          .sort()
          .join() !== Object.keys(MIGRATIONS).sort().join()
      )
        return;
      const tables = await c.query<{ table_name: string }>(
        `select table_name from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE'
           and table_name not like 'kysely\\_%'`,
        [schema],
      );
      const free = newSchemaName(process.ppid);
      // replica mode skips foreign-key checks, so the tables empty in any order
      await c.query(
        `begin; set local search_path = ${quoted}; set local session_replication_role = replica;
         ${tables.rows.map((t) => `delete from ${pg.escapeIdentifier(t.table_name)};`).join('\n')}
         ${seed.rows[0].seed}
         alter schema ${quoted} rename to ${pg.escapeIdentifier(free)};
         insert into ${FREE} (schema, fingerprint) values (${pg.escapeLiteral(free)}, ${pg.escapeLiteral(MIGRATIONS_FINGERPRINT)});
         commit;`,
      );
    });
  } catch {
    /* left as it is; pg-global.ts drops it after the run */
  }
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
