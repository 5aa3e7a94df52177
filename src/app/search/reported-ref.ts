// How prior work names an item, the fixed form scripts rely on: SEP-n, proposal:P-n,
// artifact:PATH, charter:SLUG (a proposal's index ref alone would not say what it is).
export const reportedRef = (item: { kind: string; ref: string }): string =>
  item.kind === 'proposal' ? `proposal:${item.ref}` : item.ref;
