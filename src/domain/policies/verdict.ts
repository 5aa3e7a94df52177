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

/** The refusals that stand only on the thing being already as asked (see `alreadySo`). */
const ALREADY_SO = new WeakSet<Refusal>();

/**
 * A refusal that stands only on the thing being already in the state asked for (a decision already
 * withdrawn, a vote already asked for by this person): there is nothing left to do, and someone (maybe
 * the asker, a click before) did it first. The gate tells it as a conflict of its own (409,
 * `already-as-asked`, `authorize` in app/core/gate.ts), not as a matter of who may; a policy puts it
 * after the permission, so one who may not act is told that whatever the thing's state. Its reason
 * names what is so, and by whom and when where the policy knows. Views carry it as any refusal.
 */
export function alreadySo(reason: string): Refusal {
  const r = refused(reason);
  ALREADY_SO.add(r);
  return r;
}

/** Whether a verdict is a refusal made by `alreadySo`. */
export function isAlreadySo(v: Verdict): boolean {
  return !v.allowed && ALREADY_SO.has(v);
}

/** The first refusal, in the order given (the most useful reason first), or allowed. */
export function firstRefusal(...verdicts: (Verdict | (() => Verdict))[]): Verdict {
  for (const v of verdicts) {
    const verdict = typeof v === 'function' ? v() : v;
    if (!verdict.allowed) return verdict;
  }
  return ALLOWED;
}
