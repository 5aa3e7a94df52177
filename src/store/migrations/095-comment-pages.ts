import type { Kysely } from 'kysely';
import { renderedColumn } from '../../domain/comment-rendering.ts';
import { loadShippedModel } from '../../domain/hints/shipped.ts';

// Long threads at a flat cost: a comment's HTML, mentions and hints are stored when it is written
// (`rendered`, JSON tagged with the version it was rendered for), and threads are read a page at a
// time in (created_at, id) order, which this index serves. Existing comments are rendered here.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('comments').addColumn('rendered', 'text').execute();
  await db.schema
    .createIndex('comments_proposal_page')
    .on('comments')
    .columns(['proposal_id', 'created_at', 'id'])
    .execute();
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('comments')
      .select(['id', 'body', 'version'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(200)
      .execute();
    if (!rows.length) break;
    await loadShippedModel(); // the hints stored with each comment (loaded once, only when there are comments)
    for (const r of rows)
      await db
        .updateTable('comments')
        .set({ rendered: renderedColumn(r.body, Number(r.version)) })
        .where('id', '=', r.id)
        .execute();
    after = rows.at(-1)!.id;
  }
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
