// Migration 440: a comment stored by rendering rules 3 with an @ in it is rendered anew (an address
// written after an @ is no mention); one with no @ keeps its copy by rules 3, untouched (rules 4 change
// nothing for it, so it is read as it is rather than every comment rewritten at start-up).
import { describe, expect, it } from 'vitest';
import { loadGovernance } from '../../src/app/core/governance-file.ts';
import { createHub } from '../../src/app/core/hub.ts';
import { loadDemoCommunity } from '../../src/app/demo/demo.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { RENDERING_RULES, renderedOf, type StoredRendering } from '../../src/domain/comment-rendering.ts';
import { openStore } from '../../src/store/connect.ts';
import { MIGRATIONS, migrateToLatest, migratorFor } from '../../src/store/migrate.ts';
import { readJson, writeJson } from '../../src/store/schema.ts';
import { databaseForProcess, databases } from '../support/databases.ts';

describe.each(databases)('migration 440 on $name', (database) => {
  it('renders anew a comment with an @ rendered by rules 3; one without keeps its copy', async () => {
    const target = await databaseForProcess(database);
    const store = openStore(target.url);
    try {
      const { '440-comments-addresses-no-mentions': _later, ...before } = MIGRATIONS;
      expect((await migratorFor(store.db, before, store.schema).migrateToLatest()).error).toBeUndefined();
      const hub = createHub(store, loadGovernance(), { clock: new ManualClock('2026-11-02T09:00:00Z') });
      await loadDemoCommunity(hub, { work: true });
      const one = await store.db.selectFrom('comments').selectAll().executeTakeFirstOrThrow();
      await store.db
        .insertInto('comments')
        .values({ ...one, id: `${one.id}-plain` })
        .execute();
      // as a hub on rules 3 stored them: the address's handle linked and counted a mention
      const old = (html: string): StoredRendering => ({
        v: Number(one.version),
        r: 3,
        html,
        mentions: { people: ['sam-lead'], items: [] },
        flags: [],
      });
      await store.db
        .updateTable('comments')
        .set({
          body: 'Write to @sam-lead@example.com.',
          rendered: writeJson(old('<p>Write to <a href="/people/sam-lead">@sam-lead</a>@example.com.</p>')),
        })
        .where('id', '=', one.id)
        .execute();
      await store.db
        .updateTable('comments')
        .set({ body: 'No address here.', rendered: writeJson(old('<p>kept</p>')) })
        .where('id', '=', `${one.id}-plain`)
        .execute();

      expect((await migrateToLatest(store.db, store.schema)).applied).toEqual(['440-comments-addresses-no-mentions']);
      const after = new Map(
        (await store.db.selectFrom('comments').select(['id', 'rendered']).execute()).map((r) => [
          r.id,
          readJson<StoredRendering>(r.rendered ?? null),
        ]),
      );
      expect(RENDERING_RULES).toBe(4);
      expect(after.get(one.id)).toMatchObject({
        r: RENDERING_RULES,
        html: '<p>Write to @sam-lead@example.com.</p>\n',
        mentions: { people: [], items: [] },
      });
      const plain = after.get(`${one.id}-plain`)!;
      expect(plain).toMatchObject({ r: 3, html: '<p>kept</p>' });
      expect(renderedOf(plain, 'No address here.', Number(one.version)).html).toBe('<p>kept</p>');
      // a copy by rules 3 of text with an @ is not taken: it is rendered now
      expect(renderedOf(old('<p>stale</p>'), 'Ask @sam-lead.', Number(one.version)).html).not.toBe('<p>stale</p>');
    } finally {
      await store.close();
    }
  });
});
