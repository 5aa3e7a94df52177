// How one process hears that another wrote, on PostgreSQL: every transaction that appends an event
// also sends NOTIFY on the hub's channel (delivered only if it commits), and each process LISTENs on a
// connection of its own (never one from the pool: a pooled connection is shared, and behind PgBouncer
// in transaction mode LISTEN does not work at all, so point WGHUB_LISTEN_URL at the server directly).
// When that connection drops, the listener says so, so readers fall back to polling the event log's
// head until it is back.
import { createRequire } from 'node:module';
import { sql, type Kysely } from 'kysely';
import type pgTypes from 'pg';
import type { Store } from './connect.ts';
import type { Database } from './schema.ts';

const require = createRequire(import.meta.url);

/** One channel per schema: several hubs (and test runs) may share one database. */
export function changeChannel(store: Pick<Store, 'schema'>): string {
  return `wghub_changes_${store.schema ?? 'public'}`.slice(0, 63);
}

/** Inside a writing transaction: tells every listening process once the transaction commits. */
export async function announceChange(
  trx: Kysely<Database>,
  store: Pick<Store, 'kind' | 'schema'>,
  payload: string,
): Promise<void> {
  if (store.kind !== 'postgres') return;
  // The payload says what changed (read-cache.ts: the events' numbers and scopes; '' for "anything").
  // Identical notifications in one transaction are sent once.
  await sql`select pg_notify(${changeChannel(store)}, ${payload})`.execute(trx);
}

export type ChangeFeed = { close(): Promise<void> };

export type ChangeFeedEvents = {
  /** Another process (or this one) committed a write; the payload says what it changed (none: anything). */
  onChange(payload?: string): void;
  /** The listener is connected (true) or lost and reconnecting (false). */
  onState(listening: boolean, error?: Error): void;
};

/** LISTENs on a dedicated connection, reconnecting with backoff (0.5 s … 10 s) when it drops. */
export function listenForChanges(store: Store, events: ChangeFeedEvents): ChangeFeed {
  if (store.kind !== 'postgres') throw new Error('the change feed needs PostgreSQL');
  const pg = require('pg') as typeof pgTypes;
  const u = new URL(process.env.WGHUB_LISTEN_URL ?? store.url);
  u.searchParams.delete('schema');
  const channel = changeChannel(store);
  let client: pgTypes.Client | null = null;
  let closed = false;
  let retryMs = 500;
  let timer: NodeJS.Timeout | null = null;

  const lost = (e: Error) => {
    if (closed) return;
    const c = client;
    client = null;
    c?.removeAllListeners();
    c?.on('error', () => {});
    void c?.end().catch(() => {});
    events.onState(false, e);
    timer = setTimeout(connect, retryMs);
    timer.unref();
    retryMs = Math.min(retryMs * 2, 10_000);
  };

  async function connect(): Promise<void> {
    if (closed) return;
    const c = new pg.Client({ connectionString: u.toString(), keepAlive: true });
    client = c;
    c.on('error', lost);
    c.on('end', () => lost(new Error('the listening connection ended')));
    c.on('notification', (n) => {
      if (n.channel === channel) events.onChange(n.payload);
    });
    try {
      await c.connect();
      await c.query(`LISTEN "${channel}"`);
      retryMs = 500;
      events.onState(true);
      // anything written while we were not listening
      events.onChange();
    } catch (e) {
      if (client === c) lost(e as Error);
    }
  }

  void connect();
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = null;
      c?.removeAllListeners();
      c?.on('error', () => {});
      await c?.end().catch(() => {});
    },
  };
}
