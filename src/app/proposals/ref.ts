import type { ProposalsTable } from '../../store/schema.ts';

/** How a proposal is named everywhere: SEP-n once it has a SEP number, P-n before. */
export type ProposalRef = string;

export function refOf(p: Pick<ProposalsTable, 'number' | 'sep_number'>): ProposalRef {
  return p.sep_number !== null ? `SEP-${p.sep_number}` : `P-${p.number}`;
}
