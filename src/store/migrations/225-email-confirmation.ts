import { sql, type Kysely } from 'kysely';

// Mail goes only to an address its owner confirmed. `people.email` stays the address on record (the
// latest one set, which a verified sign-in may link to, migration 215); `confirmed_email` is the one
// notices are mailed to: equal to `email` once that is confirmed, the previous confirmed address
// while a new one waits, null when none is. `email_confirmed_via` says how: 'link' (the owner opened
// the confirmation mail's link), 'provider' (a sign-in provider reported it verified) or 'on-record'
// (it was on record before the hub asked for confirmation, set here).
//
// An address already on record is treated as confirmed ('on-record'): members have been mailed at
// it and decisions running now count their silence on those mails, so leaving every address
// unconfirmed at the upgrade would stop mailing the whole community at once and make every member's
// silence uninformed by mail. A wrong address among them is fixed as before (the person or a
// moderator gives the right one, which is then confirmed by mail).
//
// email_confirmations: one row per confirmation mail asked for, holding the SHA-256 of its link's
// token (never the token), for whom and which address, when it expires and when it was used; it is
// also what limits how often such mail is sent, to a person and to an address.
export async function up(db: Kysely<any>): Promise<void> {
  // one column per statement: SQLite adds a single column at a time
  await db.schema.alterTable('people').addColumn('confirmed_email', 'text').execute();
  await db.schema.alterTable('people').addColumn('email_confirmed_at', 'text').execute();
  await db.schema.alterTable('people').addColumn('email_confirmed_via', 'text').execute();
  await sql`
    UPDATE people SET confirmed_email = lower(email), email_confirmed_via = 'on-record'
    WHERE email IS NOT NULL`.execute(db);
  await db.schema
    .createTable('email_confirmations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('mailed_at', 'text')
    .addColumn('failed_reason', 'text')
    .addColumn('used_at', 'text')
    .execute();
  await db.schema
    .createIndex('email_confirmations_by_person')
    .on('email_confirmations')
    .columns(['person_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('email_confirmations_by_address')
    .on('email_confirmations')
    .columns(['address', 'created_at'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
