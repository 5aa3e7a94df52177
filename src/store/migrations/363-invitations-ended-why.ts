import type { Kysely } from 'kysely';

// An invitation that ended without its invitee's answer or its inviter's withdrawal (the person left
// or was removed, a lead set their level, a charter imported again placed them, they joined by
// themselves at the level offered or above, the group was retired) says why, in words, so whoever
// sent it sees why it ended (app/groups/invitations.ts closeOpenInvitations). Null for every other
// answer, and for rows closed before this migration (their reason was not kept).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('group_invitations').addColumn('ended_why', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
