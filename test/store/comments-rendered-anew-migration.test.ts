// Migration 260: comments stored with a rendering made by older rules are rendered once by the rules
// now (D-n and M-n linked), so reading a thread renders nothing; a rendering already by these rules
// is left as it is. On both databases.
import { describe, expect, it } from 'vitest';
import { loadGovernance } from '../../src/app/core/governance-file.ts';
import { createHub } from '../../src/app/core/hub.ts';
import { loadDemoCommunity } from '../../src/app/demo/demo.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { RENDERING_RULES, type StoredRendering } from '../../src/domain/comment-rendering.ts';
import { openStore } from '../../src/store/connect.ts';
import { MIGRATIONS, migrateToLatest, migratorFor } from '../../src/store/migrate.ts';
import { readJson, writeJson } from '../../src/store/schema.ts';
import { databaseForProcess, databases } from '../support/databases.ts';

describe.each(databases)('migration 260 on $name', (database) => {
  it('renders anew each comment rendered by older rules, once, and leaves those rendered by these', async () => {
    const target = await databaseForProcess(database);
    const store = openStore(target.url);
    try {
      const { '260-comments-rendered-anew': _later, ...before } = MIGRATIONS;
      expect((await migratorFor(store.db, before, store.schema).migrateToLatest()).error).toBeUndefined();
      const hub = createHub(store, loadGovernance(), { clock: new ManualClock('2026-11-02T09:00:00Z') });
      await loadDemoCommunity(hub, { work: true });
      // the demo's comment, and copies of it: a thread of four
      const one = await store.db.selectFrom('comments').selectAll().executeTakeFirstOrThrow();
      for (const n of [1, 2, 3])
        await store.db
          .insertInto('comments')
          .values({ ...one, id: `${one.id}-${n}` })
          .execute();
      const comments = await store.db.selectFrom('comments').select(['id', 'body', 'version']).orderBy('id').execute();
      expect(comments.length).toBeGreaterThan(2);
      const [kept, linked, ...rest] = comments;
      // as a hub running the rules before stored them: no links to decisions or meetings
      const stale = (v: number): StoredRendering => ({
        v,
        r: RENDERING_RULES - 1,
        html: '<p>stale</p>',
        mentions: { people: [], items: [] },
        flags: [],
      });
      await store.db
        .updateTable('comments')
        .set({ body: 'Settled in D-1 at M-1.', rendered: writeJson(stale(Number(linked!.version))) })
        .where('id', '=', linked!.id)
        .execute();
      for (const c of rest)
        await store.db
          .updateTable('comments')
          .set({ rendered: writeJson(stale(Number(c.version))) })
          .where('id', '=', c.id)
          .execute();
      await store.db
        .updateTable('comments')
        .set({ rendered: writeJson({ ...stale(Number(kept!.version)), r: RENDERING_RULES, html: '<p>kept</p>' }) })
        .where('id', '=', kept!.id)
        .execute();

      expect((await migrateToLatest(store.db, store.schema)).applied).toContain('260-comments-rendered-anew');
      const after = new Map(
        (await store.db.selectFrom('comments').select(['id', 'rendered']).execute()).map((r) => [
          r.id,
          readJson(r.rendered ?? null),
        ]),
      );
      expect(after.get(kept!.id)?.html).toBe('<p>kept</p>');
      expect(after.get(linked!.id)).toMatchObject({ r: RENDERING_RULES, v: Number(linked!.version) });
      expect(after.get(linked!.id)?.html).toContain('<a href="/decisions/D-1">D-1</a>');
      expect(after.get(linked!.id)?.html).toContain('<a href="/meetings/M-1">M-1</a>');
      for (const c of rest) {
        expect(after.get(c.id)?.r).toBe(RENDERING_RULES);
        expect(after.get(c.id)?.html).not.toBe('<p>stale</p>');
      }
    } finally {
      await store.close();
    }
  });
});
