import type { Kysely } from 'kysely';

// Bounded OAuth storage (src/app/people/oauth.ts, pruneOAuth): when someone first allowed a client
// on the consent page (a registration nobody ever allowed is dropped after a week, or sooner when too many are
// waiting; one that was allowed is kept), and the indexes the pruning reads by.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('oauth_clients').addColumn('granted_at', 'text').execute();
  // clients allowed before this migration: when their first code was made (codes are kept)
  await db
    .updateTable('oauth_clients')
    .set((eb: any) => ({
      granted_at: eb
        .selectFrom('oauth_codes')
        .select((k: any) => k.fn.min('created_at').as('first'))
        .whereRef('oauth_codes.client_id', '=', 'oauth_clients.client_id'),
    }))
    .execute();
  await db.schema
    .createIndex('oauth_clients_waiting')
    .on('oauth_clients')
    .columns(['granted_at', 'registered_at'])
    .execute();
  await db.schema.createIndex('oauth_codes_by_expiry').on('oauth_codes').column('expires_at').execute();
  await db.schema.createIndex('oauth_codes_by_client').on('oauth_codes').column('client_id').execute();
  await db.schema.createIndex('oauth_tokens_by_expiry').on('oauth_tokens').column('expires_at').execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
