import type { Kysely } from 'kysely';
import { RENDERING_RULES, storedRendering } from '../../domain/comment-rendering.ts';
import { loadShippedModel } from '../../domain/hints/shipped.ts';

// Rendering rules 4 read a mail address written after an @ (`@sam-lead@example.com`) as an address, not a
// mention of @sam-lead: a stored rendering by older rules is rendered anew on every read until it is
// replaced. Only a comment with an @ in it can render otherwise, so only those are read and rendered
// here (by the prefix each was stored with); every other one keeps its copy by rules 3, which
// stillRendersSo takes as good (rewriting every comment to mark it was a write per comment at start-up).
export async function up(db: Kysely<any>): Promise<void> {
  let after = '';
  let modelLoaded = false;
  for (;;) {
    const rows = await db
      .selectFrom('comments')
      .select(['id', 'body', 'version', 'rendered'])
      .where('id', '>', after)
      .where('body', 'like', '%@%')
      .orderBy('id')
      .limit(200)
      .execute();
    if (!rows.length) break;
    for (const r of rows) {
      const stored = r.rendered ? (JSON.parse(r.rendered) as { r?: number; v?: number; p?: string }) : null;
      if (!stored || stored.r === RENDERING_RULES) continue;
      if (!modelLoaded) await loadShippedModel(); // the hints stored with each comment, loaded once
      modelLoaded = true;
      const rendered = storedRendering(r.body, Number(r.version), stored.p ?? 'SEP');
      await db
        .updateTable('comments')
        .set({ rendered: JSON.stringify(rendered) })
        .where('id', '=', r.id)
        .execute();
    }
    after = rows.at(-1)!.id;
  }
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
