// How one proposal or SEP stands to another, in words people read.

/** Each relation as a verb between two items ("this builds on P-3"), never its id. */
const RELATION_VERBS: Record<string, string> = {
  'builds-on': 'builds on',
  related: 'is related to',
  'duplicate-of': 'duplicates',
  supersedes: 'supersedes',
  'promoted-from': 'was promoted from',
};

export const relationVerb = (kind: string): string => RELATION_VERBS[kind] ?? kind.replace(/-/g, ' ');
