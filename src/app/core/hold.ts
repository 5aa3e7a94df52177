// A bound checked by counting rows and then inserting one (a person's tokens, a meeting's action
// items) holds only if two requests cannot both count before either inserts. PostgreSQL runs them
// side by side at READ COMMITTED, so the row the bound belongs to is held until the transaction
// ends; SQLite's write transactions already take turns. NO KEY UPDATE, not UPDATE: rows that only
// refer to the held one (a comment's author, an event's actor) are still written meanwhile.
import { sql } from 'kysely';
import type { Hub, Tx } from './hub.ts';

export async function holdRow(
  trx: Tx,
  hub: Hub,
  table: 'people' | 'meetings' | 'groups' | 'proposals',
  id: string,
): Promise<void> {
  if (hub.store.kind !== 'postgres') return;
  await trx.selectFrom(table).select('id').where('id', '=', id).forNoKeyUpdate().execute();
}

/**
 * The same for a bound that belongs to no row (how many mails went to one address, whoever asked):
 * a transaction-level advisory lock on the key's hash, held until the transaction ends. Safe behind
 * PgBouncer in transaction mode, as the migrations' lock is.
 */
export async function holdKey(trx: Tx, hub: Hub, key: string): Promise<void> {
  if (hub.store.kind !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
}
