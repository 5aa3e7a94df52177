import type { Kysely } from 'kysely';

// A decision's deadline may be extended while lazy consensus runs (app/decisions/extension.ts). Two
// facilitators extending it at once must not silently overwrite each other: the decision carries a
// version, moved by each change to its own terms (an extension, a withdrawal, a vote opened on request),
// and an extension names the version it read (If-Match), a stale one refused (409). Decisions stored
// before start at version 1.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('decisions')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
