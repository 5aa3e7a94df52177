// Which proposal someone meant by a title given where a reference goes (get_proposal's `ref`): the rule
// is domain/meant.ts (`proposalsMeantAmong`), pure; this reads the proposals it chooses among, each by
// the reference the community shows (RFC-12 shown, SEP-12 stored). Proposals are public (a visitor
// reads each one and lists them all).
import { shownRef } from '../../domain/governance/words.ts';
import { mayBeTitle, type ProposalMeant, proposalsMeantAmong } from '../../domain/meant.ts';
import type { Hub } from '../core/hub.ts';
import { refOf } from './ref.ts';

/** The most proposals read to look for the one meant, newest first (a refusal's path only). */
const READ_AT_MOST = 5_000;

/** The proposals `said` may mean (proposalsMeantAmong), read from the store. */
export async function proposalsMeant(hub: Hub, said: string): Promise<ProposalMeant[]> {
  // a reference not found (P-99999, SEP-9999) is no title: nothing to read for it
  if (!mayBeTitle(said)) return [];
  const rows = await hub.store.db
    .selectFrom('proposals')
    .select(['number', 'sep_number', 'title'])
    .orderBy('number', 'desc')
    .limit(READ_AT_MOST)
    .execute();
  return proposalsMeantAmong(
    said,
    rows.map((p) => ({ ref: shownRef(hub.governance, refOf(p)), title: p.title })),
  );
}
