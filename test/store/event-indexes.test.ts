// A proposal's last request for review is read on every comment and every view of it; it must be
// one index look-up, not a walk of every event of the proposal (which grows with its thread).
import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastReviewRequestQuery } from '../../src/app/proposals/access.ts';
import type { Store } from '../../src/store/connect.ts';
import { databases } from '../support/databases.ts';

describe.each(databases)('the last event of a kind about a proposal ($name)', (database) => {
  let store: Store;
  beforeAll(async () => {
    store = await database.open();
  });
  afterAll(() => store.close());

  it('is read through the index on subject and kind', async () => {
    const q = lastReviewRequestQuery(store.db, 'P-1').compile();
    if (store.kind === 'sqlite') {
      const plan = store.sqlite!.prepare(`explain query plan ${q.sql}`).all(...(q.parameters as unknown[]));
      const detail = plan.map((r) => (r as { detail: string }).detail).join('\n');
      expect(detail).toMatch(/USING INDEX events_subject_kind \(subject_type=\? AND subject_id=\? AND kind=\?\)/);
      expect(detail).not.toMatch(/TEMP B-TREE/); // ordered by the index, not sorted
    } else {
      // A near-empty table is read whole by choice, and on it the index on the subject alone costs
      // the same as the one on subject and kind, so the planner's pick between them follows whatever
      // statistics this (recycled) schema last had: a CI run once got the subject-only index. With
      // both ruled out, in a transaction rolled back, the plan must show the index on subject and kind.
      const plan = await store.db.connection().execute(async (c) => {
        await sql`begin`.execute(c);
        try {
          await sql`set local enable_seqscan = off`.execute(c);
          await sql`drop index events_subject`.execute(c);
          const rows = await c.executeQuery<{ 'QUERY PLAN': string }>(
            CompiledQuery.raw(`explain ${q.sql}`, [...q.parameters]),
          );
          return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
        } finally {
          await sql`rollback`.execute(c);
        }
      });
      expect(plan).toMatch(/events_subject_kind/);
      expect(plan).not.toMatch(/Sort/);
    }
  });
});
