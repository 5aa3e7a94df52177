import type { Kysely } from 'kysely';

// A group proposed naming leads other than its proposer no longer places them: each is invited as a
// lead (app/groups/groups.ts proposeGroup), and only the proposer who names themself leads at once.
// Such an invitation is the community's record (the charter the proposal writes names them), not a
// lead's offer: it may be accepted though its sender sets no levels in the group, as an invitation
// from a lead may not once that lead lost the right. 1: sent with the group's proposal; 0: every
// other (and every row from before).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('group_invitations')
    .addColumn('named_in_proposal', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
