import type { Kysely } from 'kysely';

// Notifications: the inbox row a person is told through (written in the event's transaction), how
// far its mail got, what each person watches or muted, how they want to be told, whether their
// address bounces, the secret tokens in their mail (reply, unsubscribe), and each group's chat hooks.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_ref', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('immediate', 'integer', (c) => c.notNull())
    .addColumn('events', 'integer', (c) => c.notNull())
    .addColumn('last_event_seq', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    // null: inbox only; queued | sent | failed | digest (folded into the next digest) | digest-sent
    .addColumn('mail_state', 'text')
    .addColumn('mailed_at', 'text')
    .addColumn('message_id', 'text')
    .execute();
  await db.schema.createIndex('notifications_inbox').on('notifications').columns(['person_id', 'read_at']).execute();
  await db.schema
    .createIndex('notifications_subject')
    .on('notifications')
    .columns(['subject_type', 'subject_ref'])
    .execute();
  await db.schema
    .createIndex('notifications_recent')
    .on('notifications')
    .columns(['person_id', 'created_at'])
    .execute();
  await db.schema
    .createTable('notification_subscriptions')
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_ref', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_subscriptions_pk', ['person_id', 'subject_type', 'subject_ref'])
    .execute();
  await db.schema
    .createIndex('notification_subscriptions_subject')
    .on('notification_subscriptions')
    .columns(['subject_type', 'subject_ref'])
    .execute();
  await db.schema
    .createTable('notification_preferences')
    .addColumn('person_id', 'text', (c) => c.primaryKey())
    .addColumn('immediate', 'integer', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('digest_hour', 'integer', (c) => c.notNull())
    .addColumn('digest_weekday', 'integer', (c) => c.notNull())
    .addColumn('quiet_start', 'text')
    .addColumn('quiet_end', 'text')
    .addColumn('reply_epoch', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('mail_addresses')
    .addColumn('address', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('mail_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_ref', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema
    .createTable('group_webhooks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('removed_at', 'text')
    .execute();
  await db.schema
    .createTable('hub_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'hub_secrets',
    'group_webhooks',
    'mail_tokens',
    'mail_addresses',
    'notification_preferences',
    'notification_subscriptions',
    'notifications',
  ])
    await db.schema.dropTable(t).execute();
}
