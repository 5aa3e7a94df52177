// A list filtered by a group or topic area that does not exist is refused naming it, as
// listProposals does: answered with an empty list, a misspelt slug ("hostng") read as "this group
// has no meetings", to a person and to an assistant alike.
import { NotFound } from '../../domain/errors.ts';
import type { Tx } from '../core/hub.ts';
import { groupRow } from './groups.ts';

export async function knownFilter(db: Tx, filter: { group?: string | undefined; topic?: string | undefined }) {
  const group = filter.group ? await groupRow(db, filter.group) : null;
  if (!filter.topic) return;
  let q = db.selectFrom('topic_areas').select('id').where('slug', '=', filter.topic);
  if (group) q = q.where('group_id', '=', group.id);
  if (!(await q.executeTakeFirst()))
    throw new NotFound('topic area', group ? `${group.slug}/${filter.topic}` : filter.topic);
}
