// What a policy answers: allowed, or refused with a reason a person can act on, in the
// community's words (never a permission id, a route or a command the person cannot run).

export type Verdict = { allowed: true } | Refusal;
export type Refusal = { allowed: false; reason: string; remedy?: Remedy };

/** What the person can do about a refusal themself, so an edge can link to it. */
export type Remedy = 'sign-in' | 'accept-agreements';

/** What this viewer may do here now: one verdict per action. Views carry it as `can`. */
export type Can<A extends string> = Record<A, Verdict>;

export const ALLOWED: Verdict = Object.freeze({ allowed: true });

export function refused(reason: string, remedy?: Remedy): Refusal {
  return remedy ? { allowed: false, reason, remedy } : { allowed: false, reason };
}

/** The first refusal, in the order given (the most useful reason first), or allowed. */
export function firstRefusal(...verdicts: (Verdict | (() => Verdict))[]): Verdict {
  for (const v of verdicts) {
    const verdict = typeof v === 'function' ? v() : v;
    if (!verdict.allowed) return verdict;
  }
  return ALLOWED;
}
