// The people a group's news reaches, read by the plans of every kind of notice (recipients.ts,
// people-events.ts), so who counts as a group's member for a notice is said once.
import type { Tx } from '../core/hub.ts';

/** A slice of people by id, for a notice fanned out in parts. */
export type PersonRange = { after: string; until?: string };

/** The group's members who hear of its news: above observer, not emeritus. */
export async function memberIds(trx: Tx, groupId: string, range?: PersonRange): Promise<string[]> {
  let query = trx
    .selectFrom('group_members')
    .select('person_id')
    .where('group_id', '=', groupId)
    .where('emeritus', '=', 0)
    .where('level', '!=', 'observer');
  if (range) query = query.where('person_id', '>', range.after);
  if (range?.until !== undefined) query = query.where('person_id', '<=', range.until);
  const rows = await query.execute();
  return rows.map((r) => r.person_id);
}
