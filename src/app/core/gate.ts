// The one gate: every use case asks it first. `authorize` throws the policy's refusal as
// Forbidden (403, its reason in the community's words); `verdicts` answers without throwing, for
// the `can` every view carries.
import { alreadyAsAsked, Forbidden } from '../../domain/errors.ts';
import { missingAgreements } from '../../domain/people.ts';
import { type Can, notAPerson, type Refusal, type Verdict, type Viewer } from '../../domain/policies/index.ts';
import { isAlreadySo } from '../../domain/policies/verdict.ts';
import type { Actor, Hub } from './hub.ts';
import { takeHeldRefusal } from './request-context.ts';

/** The actor as policies see them; null is a visitor who has not signed in. */
export function viewerOf(hub: Hub, actor: Actor | null | undefined): Viewer {
  if (!actor) return { kind: 'visitor' };
  if (actor.kind === 'system') return { kind: 'operator' };
  const p = actor.person;
  return {
    kind: 'person',
    handle: p.handle,
    role: p.role,
    agreed:
      missingAgreements(hub.governance, { cocVersion: p.coc_version, termsVersion: p.terms_version }).length === 0,
  };
}

/**
 * Throws unless the verdict allows; the refusal's reason is the message a person reads. Once it
 * allows, a refusal of the request's input held until the actor's permission was known (a body sent
 * to a REST write that takes none, request-context.ts `holdRefusal`) is thrown here, before the use
 * case does anything (spends a budget, connects out, writes); the commit in `inTransaction` and the
 * REST edge after the handler remain the backstop for a use case that asks no gate. A refusal that
 * stands only on the thing being already as asked (`alreadySo`, policies/verdict.ts) is a conflict with
 * nothing to do (409, rule `already-as-asked`), not a 403: nothing is recorded again.
 */
export function authorize<A extends string>(can: Can<A>, action: A): void {
  const v: Verdict = can[action];
  if (!v.allowed) throw isAlreadySo(v) ? alreadyAsAsked(v.reason, { action }) : refusal(v, action);
  const held = takeHeldRefusal();
  if (held) throw held;
}

/**
 * Reads the input of a use case whose input picks the action (edit or cancel, hide or lock), which is
 * then authorized as usual: a mistake in it is told only to one who may do at least one of `actions`;
 * one who may do none is refused with the first one's reason instead, so they are told 403 whatever
 * they send, never whether it would have passed (test/http/forbidden-before-invalid.test.ts).
 */
export function readInputFor<A extends string, T>(can: Can<A>, actions: readonly [A, ...A[]], read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (!actions.some((a) => can[a].allowed)) authorize(can, actions[0]);
    throw e;
  }
}

// the remedy lets a client link to the fix (sign in, or read and accept the agreements)
const refusal = (v: Refusal, action: string) =>
  new Forbidden(v.reason, { action, ...(v.remedy ? { remedy: v.remedy } : {}) });

/** An actor who is a person: the one who votes, comments, sponsors, joins. */
export type PersonActor = Extract<Actor, { kind: 'person' }>;

/**
 * `authorize` for what a person does as themself (their vote, comment, sponsorship, membership,
 * inbox): the policy decides, and the person acting comes back for the use case to act as.
 */
export function authorizeAsPerson<A extends string>(can: Can<A>, action: A, actor: Actor): PersonActor {
  authorize(can, action);
  return personActing(actor, action);
}

/**
 * The person a room's frame has just let through the gate for `action`. The policy already
 * refuses anyone who is not a person these actions; should one ever let them through, they are
 * refused here in the policy's words rather than acted for.
 */
export function personActing(actor: Actor, action: string): PersonActor {
  if (actor.kind === 'person') return actor;
  // an actor who is not a person is the operator (a visitor has no actor)
  throw refusal(notAPerson({ kind: 'operator' }), action);
}
