// The one gate: every use case asks it first. `authorize` throws the policy's refusal as
// Forbidden (403, its reason in the community's words); `verdicts` answers without throwing, for
// the `can` every view carries.
import { Forbidden } from '../../domain/errors.ts';
import { missingAgreements } from '../../domain/people.ts';
import type { ParticipationLevel } from '../../domain/community.ts';
import type { PermissionName, Relation } from '../../domain/governance/index.ts';
import { checkPermission, type Can, type Verdict, type Viewer } from '../../domain/policies/index.ts';
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
  if (!v.allowed) throw new Forbidden(v.reason, { action });
}

/**
 * For actions whose object has no policy file yet: the governance file's rule alone, refused in
 * the same words (the operator at the command line always may, as before).
 */
export function requirePermission(
  hub: Hub,
  actor: Actor,
  name: PermissionName,
  context: { groupLevel?: string | null; isSelf?: boolean; relations?: readonly Relation[] } = {},
): void {
  const v = checkPermission(hub.governance, name, viewerOf(hub, actor), {
    groupLevel: (context.groupLevel ?? null) as ParticipationLevel | null,
    relations: [...(context.relations ?? []), ...(context.isSelf ? (['self'] as const) : [])],
  });
  if (!v.allowed) throw new Forbidden(v.reason, { permission: name });
}
