import type { Kysely } from 'kysely';

// Each person's digest for one period (the slot the hub keyed it by: daily or weekly, at their hour in
// their zone), claimed before it is mailed: its Message-ID and the items (each notice and how many
// events it held) it carries. A retry after the mail server failed, or after the process was killed
// between sending and recording, sends the same items under the same Message-ID (the receiver
// recognises the repeat), and once it is recorded sent no process mails that period again. The
// latest period on record is where the next digest's slot is counted from, whatever a process's
// clock says, so two processes whose clocks differ by a few seconds never give one period two digests.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('digest_sends')
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    // JSON: [{ id, events }] of the notices it carries
    .addColumn('items', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addPrimaryKeyConstraint('digest_sends_pk', ['person_id', 'period'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
