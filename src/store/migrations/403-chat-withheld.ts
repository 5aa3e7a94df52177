import type { Kysely } from 'kysely';

// A chat post not made because its group was retired (app/notifications/chat.ts `withhold`): queued
// before the retirement and unsent as it came, or asked for while the group was retired (a decision whose
// window closed before the retirement recorded after it, notes published late). Nothing of it is resent
// should the group come back (what it told of has passed); it is listed with the group's webhooks so its
// leads see what the chat missed, and the post saying the group is back counts those not yet told of
// (`told_at`). One row per post (`post_key`), however many hooks it was for; at most
// LIMITS.chatWithheldPerGroup per group, the oldest dropped.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('chat_withheld')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('post_key', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('withheld_at', 'text', (c) => c.notNull())
    .addColumn('told_at', 'text')
    .execute();
  await db.schema
    .createIndex('chat_withheld_post')
    .on('chat_withheld')
    .columns(['group_id', 'post_key'])
    .unique()
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
