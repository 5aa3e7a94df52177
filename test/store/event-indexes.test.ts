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
      // a near-empty table is read whole by choice; with that ruled out the plan shows the index
      const plan = await store.db.connection().execute(async (c) => {
        await sql`set enable_seqscan = off`.execute(c);
        const rows = await c.executeQuery<{ 'QUERY PLAN': string }>(
          CompiledQuery.raw(`explain ${q.sql}`, [...q.parameters]),
        );
        await sql`reset enable_seqscan`.execute(c);
        return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
      });
      expect(plan).toMatch(/events_subject_kind/);
      expect(plan).not.toMatch(/Sort/);
    }
  });
});
