// The prior-work check's answer: existing items that may cover the same ground as a proposal.

export type PriorWorkMatch = {
  ref: string;
  kind: string;
  title: string;
  score: number;
  reasons: string[];
  /** Docs pages that restate this SEP, folded into it rather than shown in their own place. */
  pages?: { ref: string; title: string }[];
};

/** The last check kept on a proposal: when it ran and what it found. */
export type PriorWorkCheck = { checkedAt: string; matches: PriorWorkMatch[] };
