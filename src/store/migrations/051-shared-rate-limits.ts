import type { Kysely } from 'kysely';

// Rate-limit counters shared by every hub process on one PostgreSQL database, in the shape
// rate-limiter-flexible's RateLimiterPostgres reads and writes (created here, not by the library at
// run time, so the schema stays in migrations). A SQLite hub is one process and counts in memory;
// the table is there too, empty, so both databases have the same tables.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('points', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expire', 'bigint')
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
