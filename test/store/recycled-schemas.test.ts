// Every test opens a database of its own; on PostgreSQL a test process hands a schema a test closed
// to the next test, emptied (test/support/pg-recycle.ts). What a test sees must not depend on it:
// no two open stores share a schema, and a reopened one looks like a fresh one, estimates included.
import { sql } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import { documentCountEstimate, plannerDocumentEstimates } from '../../src/search/engine.ts';
import type { Store } from '../../src/store/connect.ts';
import { databases, openSnapshot } from '../support/databases.ts';

const where = (store: Store & { url: string }) => store.schema ?? store.url;

async function addDocuments(store: Store, n: number): Promise<void> {
  await sql`with recursive s(i) as (select 1 union all select i + 1 from s where i < ${n})
    insert into search_documents (id, ref, kind, title, body, date)
    select 'doc-' || i, 'SEP-' || i, 'proposal', 'Transport ' || i, 'streamable transport resumption ' || i, '2026-01-01'
    from s`.execute(store.db);
}

describe.each(databases)('recycled databases on $name', (database) => {
  it('a store closed twice is handed to one later store only: two stores opened after it are each their own', async () => {
    const first = await database.open();
    await first.close();
    await first.close(); // a test's own close, then its afterEach's
    const a = await database.open();
    const b = await database.open();
    try {
      expect(where(a)).not.toBe(where(b));
      await addDocuments(a, 1);
      expect(await documentCountEstimate(b)).toBe(0);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('a reopened database estimates its documents as a fresh one does, not as the last test left them', async () => {
    const first = await database.open();
    await addDocuments(first, 400);
    if (database.name === 'postgres') await sql`analyze search_documents`.execute(first.db);
    expect(await documentCountEstimate(first)).toBe(400);
    await first.close();
    const again = await database.open();
    try {
      expect(await documentCountEstimate(again)).toBe(0);
      if (database.name === 'postgres') {
        // no statistics yet (pg-recycle.ts can delete them only as a superuser, as the default test server's)
        const su = await sql<{ su: boolean }>`select rolsuper as su from pg_roles where rolname = current_user`.execute(
          again.db,
        );
        if (su.rows[0]?.su) expect(await plannerDocumentEstimates(again, ['transport'])).toBeNull();
        const r = await sql<{ n: number }>`select reltuples::int as n from pg_class
          where oid = 'search_documents'::regclass`.execute(again.db);
        expect(r.rows[0]?.n).toBe(-1); // never analysed, as in a freshly migrated schema
      }
    } finally {
      await again.close();
    }
  });

  if (database.name === 'postgres')
    it('a kept schema that cannot be refilled gives way to a freshly migrated one, with a warning', async () => {
      const first = await database.open();
      const broken = first.schema!;
      // every row put into its search_documents is now refused
      await sql`alter table search_documents add constraint refuses_all check (false) not valid`.execute(first.db);
      await first.close();
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      const rows = `insert into search_documents (id, ref, kind, title, body, date)
        values ('doc-1', 'SEP-1', 'proposal', 'Transport', 'streamable', '2026-01-01');`;
      try {
        const store = await openSnapshot({ database, pgRows: rows });
        try {
          expect(store.schema).not.toBe(broken);
          expect(await documentCountEstimate(store)).toBe(1);
        } finally {
          await store.close();
        }
        expect(warn.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(
          new RegExp(`${broken}.*could not be refilled.*freshly migrated`),
        );
      } finally {
        warn.mockRestore();
      }
    });
});
