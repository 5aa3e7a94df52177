import type { Kysely } from 'kysely';

// A lead who made someone a member directly left that person's open request to become one in the
// leads' list (app/groups/membership-request-reads.ts settleOpenRequest closes it from now on): the
// requests already open from people who hold the member or lead level are closed as accepted, by
// nobody named (the hub), at the time of the upgrade.
export async function up(db: Kysely<any>): Promise<void> {
  await db
    .updateTable('membership_requests')
    .set({ answer: 'accepted', answered_at: new Date().toISOString() })
    .where('answered_at', 'is', null)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('group_members as m')
          .select('m.person_id')
          .whereRef('m.group_id', '=', 'membership_requests.group_id')
          .whereRef('m.person_id', '=', 'membership_requests.person_id')
          .where('m.level', 'in', ['member', 'lead']),
      ),
    )
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
