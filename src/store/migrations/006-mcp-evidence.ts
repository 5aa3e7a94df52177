import type { Kysely } from 'kysely';

// What wghub saw when it connected to an MCP implementation named in a proposal's evidence.
// Every attempt is kept (a server can pass today and fail next month); the newest one is shown.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('evidence_checks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('evidence_id', 'text', (c) => c.notNull().references('proposal_evidence.id'))
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('server_name', 'text')
    .addColumn('server_version', 'text')
    .addColumn('protocol_version', 'text')
    .addColumn('capabilities', 'text')
    .addColumn('extensions', 'text')
    .addColumn('tool_names', 'text')
    .addColumn('checked_by', 'text')
    .addColumn('checked_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('evidence_checks_evidence')
    .on('evidence_checks')
    .columns(['evidence_id', 'checked_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('evidence_checks').execute();
}
