// The tables a hub holds, as the database itself lists them, so a backup check, an export or an
// import covers tables that features add later without a list to keep up to date here.
import { sql, type RawBuilder } from 'kysely';
import type { Store } from '../../store/connect.ts';

/** Kept out of exports and comparisons: migration bookkeeping, the SQLite search index's own
 * tables (rebuilt from search_documents by triggers), and counters that only matter for a minute. */
const NOT_DATA = [/^kysely_/, /^search_fts/, /^sqlite_/, /^rate_limits$/];

export type TableInfo = { name: string; columns: string[]; key: string[] };

/** Every data table with its stored columns (generated ones, like the tsvector, left out) and primary key. */
export async function dataTables(store: Store): Promise<TableInfo[]> {
  const out: TableInfo[] = [];
  if (store.kind === 'sqlite') {
    const tables = await sql<{ name: string }>`
      select name from sqlite_master where type = 'table' order by name`.execute(store.db);
    for (const { name } of tables.rows) {
      if (NOT_DATA.some((re) => re.test(name))) continue;
      const cols = await sql<{ name: string; pk: number; hidden: number }>`
        select name, pk, hidden from pragma_table_xinfo(${name})`.execute(store.db);
      const stored = cols.rows.filter((c) => c.hidden === 0);
      out.push({
        name,
        columns: stored.map((c) => c.name),
        key: stored
          .filter((c) => c.pk > 0)
          .sort((a, b) => a.pk - b.pk)
          .map((c) => c.name),
      });
    }
    return out;
  }
  const cols = await sql<{ table_name: string; column_name: string }>`
    select c.table_name, c.column_name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema() and t.table_type = 'BASE TABLE' and c.is_generated = 'NEVER'
    order by c.table_name, c.ordinal_position`.execute(store.db);
  const keys = await sql<{ table_name: string; column_name: string }>`
    select k.table_name, k.column_name from information_schema.table_constraints tc
    join information_schema.key_column_usage k
      on k.constraint_schema = tc.constraint_schema and k.constraint_name = tc.constraint_name
    where tc.table_schema = current_schema() and tc.constraint_type = 'PRIMARY KEY'
    order by k.table_name, k.ordinal_position`.execute(store.db);
  const byName = new Map<string, TableInfo>();
  for (const r of cols.rows) {
    if (NOT_DATA.some((re) => re.test(r.table_name))) continue;
    const t = byName.get(r.table_name) ?? { name: r.table_name, columns: [], key: [] };
    t.columns.push(r.column_name);
    byName.set(r.table_name, t);
  }
  for (const r of keys.rows) byName.get(r.table_name)?.key.push(r.column_name);
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

/**
 * Reads a table in pages in a stable order (its primary key, else every column), calling `page`
 * with each batch of rows.
 */
export async function readTable(
  db: Store['db'],
  table: TableInfo,
  page: (rows: Record<string, unknown>[]) => Promise<void> | void,
  size = 2000,
): Promise<number> {
  const order = table.key.length ? table.key : table.columns;
  const cols = sql.join(table.columns.map((c) => sql.ref(c)));
  const orderBy = sql.join(order.map((c) => sql.ref(c)));
  let total = 0;
  let last: unknown[] | null = null;
  for (;;) {
    // keyset paging on the primary key: every page is an index range scan, however far in
    const after: RawBuilder<unknown> =
      last && table.key.length ? sql`where (${orderBy}) > (${sql.join(last.map((v) => sql`${v}`))})` : sql``;
    const offset: RawBuilder<unknown> = last && !table.key.length ? sql`offset ${total}` : sql``;
    const rows: Record<string, unknown>[] = (
      await sql<
        Record<string, unknown>
      >`select ${cols} from ${sql.table(table.name)} ${after} order by ${orderBy} limit ${size} ${offset}`.execute(db)
    ).rows;
    if (!rows.length) return total;
    await page(rows);
    total += rows.length;
    const end: Record<string, unknown> = rows.at(-1)!;
    last = order.map((c) => end[c]);
    if (rows.length < size) return total;
  }
}
