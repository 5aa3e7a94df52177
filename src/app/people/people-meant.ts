// Whom someone meant by a text that is no person's handle, read from the store: the rule is
// domain/meant.ts (`peopleMeantAmong`), pure; this reads the people it chooses among. Names and
// handles are public (GET /api/people lists them to anyone).
import { LONGEST_MEANT, type PersonMeant, peopleMeantAmong } from '../../domain/meant.ts';
import type { Hub } from '../core/hub.ts';

/** The most people read to look for the one meant (a refusal's path only). */
const READ_AT_MOST = 20_000;

/** The people `said` may mean (peopleMeantAmong), read from the store. */
export async function peopleMeant(hub: Hub, said: string): Promise<PersonMeant[]> {
  if (said.trim().length > LONGEST_MEANT) return [];
  const people = await hub.store.db
    .selectFrom('people')
    .select(['handle', 'name'])
    .orderBy('handle')
    .limit(READ_AT_MOST)
    .execute();
  return peopleMeantAmong(said, people);
}
