import type { Kysely } from 'kysely';
import { RENDERING_RULES, renderedColumn } from '../../domain/comment-rendering.ts';
import { loadShippedModel } from '../../domain/hints/shipped.ts';

// Rendering rules 3 link decisions (D-4) and meetings (M-7) and count a text's headings from its own
// highest: a stored rendering by older rules is rendered anew on every read until it is replaced,
// so each comment is rendered here once, a batch at a time, as migration 095 first did.
export async function up(db: Kysely<any>): Promise<void> {
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('comments')
      .select(['id', 'body', 'version', 'rendered'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(200)
      .execute();
    if (!rows.length) break;
    await loadShippedModel(); // the hints stored with each comment (loaded once, only when there are comments)
    for (const r of rows) {
      const stored = r.rendered ? (JSON.parse(r.rendered) as { r?: number }) : null;
      if (stored?.r === RENDERING_RULES) continue;
      await db
        .updateTable('comments')
        .set({ rendered: renderedColumn(r.body, Number(r.version)) })
        .where('id', '=', r.id)
        .execute();
    }
    after = rows.at(-1)!.id;
  }
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
