// "Ask my sponsor for review": an author tells the proposal's sponsor that it waits for them (with no
// sponsor yet, its group's leads, who take it on or find someone who will). The request is an
// event; the sponsor hears of it as `proposal-waiting` (inbox, and mail as they chose), written in
// the same transaction. Who may and how often is the proposal policy's `requestReview`.
import { inTransaction, record, type Actor, type Hub } from '../core/hub.ts';
import { authorizeProposal, leadsOf, REVIEW_REQUESTED } from './access.ts';
import { getProposal, proposalRow, refOf, type ProposalView } from './proposals.ts';

/** Asks for review; answers with the proposal, whose `reviewRequest` says whom it reached. */
export async function requestReview(hub: Hub, actor: Actor, ref: string): Promise<ProposalView> {
  const proposal = await inTransaction(hub, async (trx) => {
    const p = await proposalRow(trx, ref, hub.governance);
    await authorizeProposal(trx, hub, actor, p, 'requestReview');
    const me = actor.kind === 'person' ? actor.person.id : null;
    // the policy allowed it, so there is a sponsor other than the asker, or a lead other than them
    const ids = p.sponsor_id ? [p.sponsor_id] : (await leadsOf(trx, p.group_id!)).filter((id) => id !== me);
    const to = (await trx.selectFrom('people').select('handle').where('id', 'in', ids).orderBy('handle').execute()).map(
      (r) => r.handle,
    );
    await record(
      trx,
      hub,
      actor,
      REVIEW_REQUESTED,
      { type: 'proposal', id: refOf(p) },
      null,
      { to, as: p.sponsor_id ? 'sponsor' : 'leads' },
      [`proposal:${refOf(p)}`],
    );
    return refOf(p);
  });
  return getProposal(hub, proposal, actor);
}
