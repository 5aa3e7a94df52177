// The one gate: every use case asks it first. `authorize` throws the policy's refusal as
// Forbidden (403, its reason in the community's words); `verdicts` answers without throwing, for
// the `can` every view carries.
import { Forbidden } from '../../domain/errors.ts';
import { missingAgreements } from '../../domain/people.ts';
import type { Can, Verdict, Viewer } from '../../domain/policies/index.ts';
import type { Actor, Hub } from './hub.ts';

/** The actor as policies see them; null is a visitor who has not signed in. */
export function viewerOf(hub: Hub, actor: Actor | null | undefined): Viewer {
  if (!actor) return { kind: 'visitor' };
  if (actor.kind === 'system') return { kind: 'operator' };
  const p = actor.person;
  return {
    kind: 'person',
    handle: p.handle,
    role: p.role as never,
    agreed:
      missingAgreements(hub.governance, { cocVersion: p.coc_version, termsVersion: p.terms_version }).length === 0,
  };
}

/** Throws unless the verdict allows; the refusal's reason is the message a person reads. */
export function authorize<A extends string>(can: Can<A>, action: A): void {
  const v: Verdict = can[action];
  // the remedy lets a client link to the fix (sign in, or read and accept the agreements)
  if (!v.allowed) throw new Forbidden(v.reason, { action, ...(v.remedy ? { remedy: v.remedy } : {}) });
}
