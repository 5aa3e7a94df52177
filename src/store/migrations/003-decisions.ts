import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Voices in a discussion are weighed by organisation too, as of when each comment was written.
  await db.schema.alterTable('comments').addColumn('organisation', 'text').execute();

  await db.schema
    .createTable('decisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'integer', (c) => c.notNull().unique())
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id'))
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_ref', 'text')
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('significance', 'text', (c) => c.notNull())
    .addColumn('matter', 'text', (c) => c.notNull())
    .addColumn('opened_by', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('deadline', 'text', (c) => c.notNull())
    .addColumn('vote_requested_at', 'text')
    .addColumn('recorded_state', 'text')
    .execute();
  await db.schema.createIndex('decisions_group').on('decisions').columns(['group_id', 'deadline']).execute();

  await db.schema
    .createTable('decision_responses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('decision_id', 'text', (c) => c.notNull().references('decisions.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('alternative', 'text')
    .addColumn('resolution_criteria', 'text')
    .addColumn('amendment', 'text')
    .addColumn('organisation', 'text')
    .addColumn('eligible', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('decision_responses_decision')
    .on('decision_responses')
    .columns(['decision_id', 'at'])
    .execute();

  await db.schema
    .createTable('decision_votes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('decision_id', 'text', (c) => c.notNull().references('decisions.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('choice', 'text', (c) => c.notNull())
    .addColumn('rationale', 'text')
    .addColumn('organisation', 'text')
    .addColumn('eligible', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('decision_votes_decision').on('decision_votes').columns(['decision_id', 'at']).execute();

  await db.schema
    .createTable('decision_vote_requests')
    .addColumn('decision_id', 'text', (c) => c.notNull().references('decisions.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('decision_vote_requests_pk', ['decision_id', 'person_id'])
    .execute();

  await db.schema
    .createTable('decision_escalations')
    .addColumn('decision_id', 'text', (c) => c.primaryKey().references('decisions.id'))
    .addColumn('escalated_at', 'text', (c) => c.notNull())
    .addColumn('designee_id', 'text', (c) => c.references('people.id'))
    .addColumn('designated_by', 'text')
    .addColumn('guidance', 'text')
    .addColumn('guidance_kind', 'text')
    .addColumn('guidance_at', 'text')
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
