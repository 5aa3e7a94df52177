// The whole hub as JSON Lines: a header, then one line per row of every data table (the event log
// included), then a trailer with each table's count. It is the community's open data export and the
// way to move a hub between databases: `import all` reads it into an empty hub of either kind, so a
// community can start on SQLite and move to PostgreSQL. Read in one snapshot (a repeatable-read
// transaction), so a hub that keeps serving meanwhile still exports one consistent moment.
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { sql } from 'kysely';
import { z } from 'zod';
import { VERSION } from '../../version.ts';
import type { Store } from '../../store/connect.ts';
import { verifyEvents } from '../../store/events.ts';
import { migrateToLatest, pendingMigrations, MIGRATIONS } from '../../store/migrate.ts';
import { dataTables, readTable } from './tables.ts';

export const EXPORT_FORMAT = 'wghub-export/1';

/** Tables holding credentials (hashed tokens, claim codes, secrets): left out of a public export. */
export const CREDENTIAL_TABLES = new Set([
  'api_tokens',
  'person_claims',
  'email_confirmations',
  'person_identities',
  'web_sessions',
  'hub_secrets',
  'mail_tokens',
  'oauth_clients',
  'oauth_codes',
  'oauth_grants',
  'oauth_tokens',
]);

/**
 * What a public export (the community's open data) leaves out besides credentials: what is private
 * to a person or to the operator. A chat webhook's URL is itself its secret (Slack's and Discord's
 * carry the token in the path); inboxes say who was told what and when they read it; rate-limit keys
 * hold addresses and token ids; queued jobs hold who is mailed and what failed.
 */
export const PRIVATE_TABLES = new Set([
  'group_webhooks',
  'notifications',
  'notification_subscriptions',
  'notification_preferences',
  'mail_addresses',
  'rate_limits',
  'jobs',
  // whose digest went when, and what it carried
  'digest_sends',
  // which chat posts went (a webhook's id, as in the jobs)
  'chat_deliveries',
  // chat posts a retired group's chat did not get: listed only to those who manage its hooks
  'chat_withheld',
  // what someone wrote to a group's leads asking to be a member, and why a lead declined
  'membership_requests',
  // when each person last looked at their home ("since your last visit", app/home/last-visit.ts)
  'home_visits',
  // what a lead wrote to the person they invited into a group, and whether they said yes
  'group_invitations',
]);

/** Columns of a public export's rows that are emptied: a person's mail addresses ("never shown"). */
export const PRIVATE_COLUMNS: Record<string, Record<string, null | number>> = {
  people: {
    email: null,
    email_set_by_self: 0,
    confirmed_email: null,
    email_confirmed_at: null,
    email_confirmed_via: null,
  },
};

/**
 * A row as the community's open data carries it: a person's mail addresses emptied, and the text of
 * a comment a moderator hid (its body, rendering and every revision) left out, as its page leaves it
 * out for readers; the comment keeps its place, with who hid it and why.
 */
const publicRow = (table: string, row: Record<string, unknown>, hidden: ReadonlySet<string>) => {
  if (table === 'comments' && row.hidden_at) return { ...row, body: '', rendered: null };
  if (table === 'comment_revisions' && hidden.has(String(row.comment_id))) return { ...row, body: '' };
  const blank = PRIVATE_COLUMNS[table];
  if (!blank) return row;
  const out = { ...row };
  for (const [column, value] of Object.entries(blank)) if (column in out) out[column] = value;
  return out;
};

// An export's lines, read back through these shapes: a file that is not one says which line.
const Header = z.object({
  format: z.string(),
  wghub: z.string(),
  database: z.string(),
  migrations: z.array(z.string()),
  public: z.boolean(),
});
type Header = z.output<typeof Header>;
const Line = z.union([
  z.object({ t: z.string(), r: z.record(z.string(), z.unknown()) }),
  z.object({ end: z.literal(true), tables: z.record(z.string(), z.number()) }),
]);

async function write(out: Writable, line: string): Promise<void> {
  if (!out.write(`${line}\n`)) await new Promise((r) => out.once('drain', r));
}

export async function exportAll(
  store: Store,
  out: Writable,
  opts: { public?: boolean } = {},
): Promise<{ tables: Record<string, number> }> {
  const counts: Record<string, number> = {};
  const run = async (db: Store['db']) => {
    const applied = Object.keys(MIGRATIONS);
    const pending = new Set(await pendingMigrations(db, store.schema));
    const header: Header = {
      format: EXPORT_FORMAT,
      wghub: VERSION,
      database: store.kind,
      migrations: applied.filter((m) => !pending.has(m)),
      public: Boolean(opts.public),
    };
    await write(out, JSON.stringify(header));
    const hidden = new Set(
      opts.public
        ? (await db.selectFrom('comments').select('id').where('hidden_at', 'is not', null).execute()).map((c) => c.id)
        : [],
    );
    for (const table of await dataTables({ ...store, db })) {
      if (opts.public && (CREDENTIAL_TABLES.has(table.name) || PRIVATE_TABLES.has(table.name))) continue;
      counts[table.name] = await readTable(db, table, async (rows) => {
        for (const row of rows)
          await write(
            out,
            JSON.stringify({ t: table.name, r: opts.public ? publicRow(table.name, row, hidden) : row }),
          );
      });
    }
    await write(out, JSON.stringify({ end: true, tables: counts }));
  };
  if (store.kind === 'postgres') {
    await store.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute((trx) => run(trx));
  } else {
    // read only: a snapshot that holds no write lock, so the hub serving the file goes on writing
    await store.db
      .transaction()
      .setAccessMode('read only')
      .execute((trx) => run(trx));
  }
  return { tables: counts };
}

/**
 * What a migration filled in a hub's own rows and an export made before it left empty (a column it
 * lacked is read as null), filled the same way here. Migration 321: a series' meeting of its own
 * stands for the start it was opened at (series_start), which is its own start when never moved;
 * lookups match series_start alone, so without it such a meeting was lost to its id and its series.
 */
async function filledAfterImport(trx: Store['db']): Promise<void> {
  await trx
    .updateTable('meetings')
    .set((eb) => ({ series_start: eb.ref('starts_at') }))
    .where('series_id', 'is not', null)
    .where('series_start', 'is', null)
    .execute();
}

export type ImportResult = { tables: Record<string, number>; events: number; chainOk: boolean };

/**
 * Reads an export into an empty hub (migrated here first). Refuses a hub that already holds anything
 * and an export from a newer wghub; checks every count against the trailer and the event chain after.
 */
export async function importAll(store: Store, input: Readable): Promise<ImportResult> {
  await migrateToLatest(store.db, store.schema);
  const have = await store.db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  if (Number(have?.n ?? 0) > 0) {
    throw new Error('import all needs an empty hub: this database already has events. Nothing was changed.');
  }
  const tables = new Map((await dataTables(store)).map((t) => [t.name, t]));
  const counts: Record<string, number> = {};
  let header: Header | null = null;
  let trailer: Record<string, number> | null = null;
  const pending = new Map<string, Record<string, unknown>[]>();

  const flush = async (trx: Store['db'], name: string) => {
    const rows = pending.get(name);
    if (!rows?.length) return;
    pending.set(name, []);
    const cols = tables.get(name)!.columns;
    const values = rows.map((r) => sql`(${sql.join(cols.map((c) => sql`${r[c] ?? null}`))})`);
    await sql`insert into ${sql.table(name)} (${sql.join(cols.map((c) => sql.ref(c)))}) values ${sql.join(values)}`.execute(
      trx,
    );
  };

  const load = async (trx: Store['db']) => {
    // Rows arrive table by table in name order, not in the order foreign keys need; they are checked
    // once everything is in on SQLite (foreign_key_check); PostgreSQL skips them for this transaction
    // (replication role: the importing role must be a superuser) and the event chain is walked after.
    if (store.kind === 'postgres') await sql`set local session_replication_role = replica`.execute(trx);
    const cleared = new Set<string>();
    // made here, where it is read at once: lines a readline emits before iteration starts are lost
    const lines = createInterface({ input, crlfDelay: Infinity });
    let n = 0;
    for await (const line of lines) {
      n++;
      if (!line.trim()) continue;
      let obj: unknown;
      try {
        obj = JSON.parse(line);
      } catch {
        throw new Error(`line ${n} is not JSON: is this a wghub export?`);
      }
      if (!header) {
        const h = Header.safeParse(obj);
        if (!h.success || h.data.format !== EXPORT_FORMAT)
          throw new Error(`line 1 does not start a ${EXPORT_FORMAT} file`);
        header = h.data;
        const unknown = header.migrations.filter((m) => !(m in MIGRATIONS));
        if (unknown.length) {
          throw new Error(
            `the export was made by a newer wghub (migrations ${unknown.join(', ')}): import it with that version`,
          );
        }
        continue;
      }
      const read = Line.safeParse(obj);
      if (!read.success) throw new Error(`line ${n} is neither a row nor the trailer of a ${EXPORT_FORMAT} file`);
      const item = read.data;
      if ('end' in item) {
        trailer = item.tables;
        break;
      }
      const name = item.t;
      const table = tables.get(name);
      if (!table) throw new Error(`line ${n}: this hub has no table '${name}'`);
      if (!cleared.has(name)) {
        // rows a migration put in an empty hub (the chain head, number counters) give way to the export's
        await sql`delete from ${sql.table(name)}`.execute(trx);
        cleared.add(name);
      }
      const list = pending.get(name) ?? [];
      list.push(item.r);
      pending.set(name, list);
      counts[name] = (counts[name] ?? 0) + 1;
      if (list.length >= 200) await flush(trx, name);
    }
    for (const name of pending.keys()) await flush(trx, name);
    if (!trailer) throw new Error('the export ends early (no trailer line): it was cut off; nothing was imported');
    for (const [name, expected] of Object.entries(trailer)) {
      if ((counts[name] ?? 0) !== expected) {
        throw new Error(`table ${name}: the export says ${expected} rows, ${counts[name] ?? 0} were read`);
      }
    }
    await filledAfterImport(trx);
  };

  if (store.kind === 'sqlite') {
    // on the connection that writes: through the Kysely handle this read-only-looking statement
    // would go to the reader connection (sqlite-split.ts), and the writer's keys stay on
    store.sqlite!.pragma('foreign_keys = OFF');
    try {
      await store.db.transaction().execute(async (trx) => {
        await load(trx);
        const broken = await sql<{ table: string }>`select * from pragma_foreign_key_check`.execute(trx);
        if (broken.rows.length) {
          throw new Error(
            `the export's rows do not hold together: a row of ${broken.rows[0]!.table} points at nothing`,
          );
        }
      });
    } finally {
      store.sqlite!.pragma('foreign_keys = ON');
    }
  } else {
    await store.db.transaction().execute((trx) => load(trx));
  }
  const chain = await verifyEvents(store.db);
  return { tables: counts, events: chain.checked, chainOk: chain.break === null };
}
