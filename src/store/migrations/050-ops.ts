import type { Kysely } from 'kysely';

// Operations: the id of the HTTP request that recorded an event, so an operator can go from a log
// line to the event it wrote and back. It sits beside the hash chain, not in it: it says which
// request carried the change, not what changed, and events written before it stay verifiable.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('events').addColumn('request_id', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
