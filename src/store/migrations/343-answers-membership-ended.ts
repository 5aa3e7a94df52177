import type { Kysely } from 'kysely';

// When the membership of the decision's group ended, for an answer (a response or a vote) given before
// it: the person left or was removed while the decision was open. The answer stays in the record and is
// shown, but no longer counts toward the outcome from then on (a block stops standing, a vote stops
// counting), as the answer of anyone outside the group does not. Null: the membership has not ended
// since the answer (every row from before, as they were counted).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('decision_responses').addColumn('membership_ended_at', 'text').execute();
  await db.schema.alterTable('decision_votes').addColumn('membership_ended_at', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
