// Which group someone meant by a text that is no group's slug, read from the store: the rule is
// domain/meant.ts (`groupsMeantAmong`), pure; this reads the groups it chooses among.
import { type GroupMeant, groupsMeantAmong, LONGEST_MEANT } from '../../domain/meant.ts';
import type { Hub } from '../core/hub.ts';

/** The groups `said` may mean (groupsMeantAmong), read from the store; every group is public. */
export async function groupsMeant(hub: Hub, said: string): Promise<GroupMeant[]> {
  if (said.length > LONGEST_MEANT) return [];
  const groups = await hub.store.db.selectFrom('groups').select(['slug', 'name']).orderBy('slug').limit(1000).execute();
  return groupsMeantAmong(said, groups);
}
