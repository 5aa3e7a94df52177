import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('meetings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'integer', (c) => c.notNull().unique())
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id'))
    .addColumn('topic_area_id', 'text', (c) => c.references('topic_areas.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('duration_minutes', 'integer', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('rrule', 'text')
    // an occurrence of a series given its own agenda and notes (RFC 5545 RECURRENCE-ID)
    .addColumn('series_id', 'text', (c) => c.references('meetings.id'))
    .addColumn('location', 'text')
    .addColumn('organiser_id', 'text', (c) => c.references('people.id'))
    .addColumn('listed_at', 'text', (c) => c.notNull())
    .addColumn('agenda_published_at', 'text')
    .addColumn('notes', 'text')
    .addColumn('notes_published_at', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('meetings_group_start').on('meetings').columns(['group_id', 'starts_at']).execute();
  await db.schema
    .createIndex('meetings_notes_due')
    .on('meetings')
    .columns(['notes_published_at', 'starts_at'])
    .execute();

  await db.schema
    .createTable('meeting_agenda_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('link_type', 'text')
    .addColumn('link_ref', 'text')
    .addColumn('added_by', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('added_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('meeting_agenda_items_meeting')
    .on('meeting_agenda_items')
    .columns(['meeting_id', 'position'])
    .execute();

  await db.schema
    .createTable('meeting_written_inputs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('item_id', 'text', (c) => c.notNull().references('meeting_agenda_items.id'))
    .addColumn('author_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    // null until the meeting says; 1 presented, 0 not presented (with a reason)
    .addColumn('presented', 'integer')
    .addColumn('presented_note', 'text')
    .execute();
  await db.schema
    .createIndex('meeting_written_inputs_meeting')
    .on('meeting_written_inputs')
    .columns(['meeting_id', 'item_id'])
    .execute();

  await db.schema
    .createTable('meeting_attendance')
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('meeting_attendance_pk', ['meeting_id', 'person_id'])
    .execute();

  await db.schema
    .createTable('meeting_decisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('decision_ref', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('meeting_decisions_meeting').on('meeting_decisions').column('meeting_id').execute();

  await db.schema
    .createTable('meeting_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('owner_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('meeting_actions_meeting').on('meeting_actions').column('meeting_id').execute();
  await db.schema
    .createIndex('meeting_actions_owner')
    .on('meeting_actions')
    .columns(['owner_id', 'due_date'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
