import type { Kysely } from 'kysely';
import { LIMITS } from '../../domain/limits.ts';
import { firstCharacters } from '../../domain/text.ts';

// A document's title is at most a line since 2026-12-07 (src/app/imports/artifacts.ts `titleOf`): its
// documents list's cursor carries the last title, and a cursor is bounded (LIMITS.cursor). A title
// imported before from a long front matter or heading line is cut the same way here, as the next
// import would cut it. Run again, it changes no row.
export async function up(db: Kysely<any>): Promise<void> {
  let after = '';
  for (;;) {
    const rows: { id: string; title: string }[] = await db
      .selectFrom('artifacts')
      .select(['id', 'title'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(500)
      .execute();
    if (!rows.length) break;
    for (const r of rows) {
      const title = firstCharacters(r.title, LIMITS.line);
      if (title !== r.title) await db.updateTable('artifacts').set({ title }).where('id', '=', r.id).execute();
    }
    after = rows.at(-1)!.id;
  }
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
