import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('proposals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'integer', (c) => c.notNull().unique())
    .addColumn('sep_number', 'integer', (c) => c.unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('problem', 'text', (c) => c.notNull())
    .addColumn('examples', 'text', (c) => c.notNull())
    .addColumn('interests', 'text', (c) => c.notNull())
    .addColumn('layer', 'text', (c) => c.notNull())
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('stage_changed_at', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.references('groups.id'))
    .addColumn('topic_area_id', 'text', (c) => c.references('topic_areas.id'))
    .addColumn('links', 'text', (c) => c.notNull())
    .addColumn('sponsor_id', 'text', (c) => c.references('people.id'))
    .addColumn('source', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('proposals_stage')
    .on('proposals')
    .columns(['route', 'stage', 'stage_changed_at'])
    .execute();
  await db.schema.createIndex('proposals_group').on('proposals').column('group_id').execute();

  await db.schema
    .createTable('proposal_authors')
    .addColumn('proposal_id', 'text', (c) => c.notNull().references('proposals.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('proposal_authors_pk', ['proposal_id', 'person_id'])
    .execute();

  await db.schema
    .createTable('proposal_supporters')
    .addColumn('proposal_id', 'text', (c) => c.notNull().references('proposals.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('organisation', 'text')
    .addColumn('supported_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('proposal_supporters_pk', ['proposal_id', 'person_id'])
    .execute();

  await db.schema
    .createTable('proposal_evidence')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('proposal_id', 'text', (c) => c.notNull().references('proposals.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('organisation', 'text')
    .addColumn('sdk', 'text')
    .addColumn('added_by', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('added_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('proposal_evidence_proposal').on('proposal_evidence').column('proposal_id').execute();

  await db.schema
    .createTable('proposal_relations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('from_id', 'text', (c) => c.notNull().references('proposals.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('to_id', 'text', (c) => c.notNull().references('proposals.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('confirmed_by', 'text')
    .addUniqueConstraint('proposal_relations_unique', ['from_id', 'kind', 'to_id'])
    .execute();

  await db.schema
    .createTable('comments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('proposal_id', 'text', (c) => c.notNull().references('proposals.id'))
    .addColumn('parent_id', 'text', (c) => c.references('comments.id'))
    .addColumn('author_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('comments_proposal').on('comments').columns(['proposal_id', 'created_at']).execute();

  await db.schema
    .createTable('comment_revisions')
    .addColumn('comment_id', 'text', (c) => c.notNull().references('comments.id'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('edited_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('comment_revisions_pk', ['comment_id', 'revision'])
    .execute();

  await db.schema
    .createTable('follow_ups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('proposal_id', 'text', (c) => c.notNull().references('proposals.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .addColumn('done_by', 'text')
    .addUniqueConstraint('follow_ups_unique', ['proposal_id', 'kind', 'target'])
    .execute();

  await db.schema
    .createTable('reminders')
    .addColumn('proposal_id', 'text', (c) => c.notNull().references('proposals.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('stage_changed_at', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('reminders_pk', ['proposal_id', 'kind', 'stage_changed_at'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
