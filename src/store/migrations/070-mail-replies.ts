import type { Kysely } from 'kysely';

// Reply by mail: each mail's reply address is its own token, tied to the notification it came
// with (so a reply lands under the comment that caused it) and used once: the comment it becomes
// and the token's use are written together, so a second reply, a forwarded copy or a redelivery
// is refused rather than posted twice.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mail_tokens').addColumn('notification_id', 'text').execute();
  await db.schema.alterTable('mail_tokens').addColumn('used_at', 'text').execute();
  await db.schema.alterTable('mail_tokens').addColumn('used_message_id', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const c of ['used_message_id', 'used_at', 'notification_id'])
    await db.schema.alterTable('mail_tokens').dropColumn(c).execute();
}
