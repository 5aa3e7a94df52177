// "May this person do this?" for pages whose view does not carry `can` yet: the same permission
// rule the use case enforces, answered as a verdict in words (never the permission's id), so a
// page shows a form only when the use case would accept it, and otherwise says what would allow it.
import { describeRule, permits } from '../../domain/governance/permissions.ts';
import type { PermissionName } from '../../domain/governance/schema.ts';
import { ALLOWED, refused, type Verdict } from '../../domain/policies/index.ts';
import { missingAgreements } from '../../domain/people.ts';
import type { Actor, Hub } from '../core/hub.ts';

export type MayContext = { groupLevel?: string | null; isSelf?: boolean; needsAgreements?: boolean };

/**
 * `doing` is the action in the community's words, as it follows "to": "edit this profile".
 * A visitor is told to sign in; a member who has not accepted the agreements, to accept them
 * (when the use case needs them).
 */
export function mayDo(
  hub: Hub,
  actor: Actor | null,
  name: PermissionName,
  doing: string,
  context: MayContext = {},
): Verdict {
  if (!actor) return refused(`Sign in to ${doing}`, 'sign-in');
  if (actor.kind === 'system') return ALLOWED;
  const p = actor.person;
  if (
    context.needsAgreements &&
    missingAgreements(hub.governance, { cocVersion: p.coc_version, termsVersion: p.terms_version }).length
  )
    return refused(`Accept the Code of Conduct and the contribution terms to ${doing}`, 'accept-agreements');
  const facts = {
    handle: p.handle,
    role: p.role as never,
    groupLevel: (context.groupLevel ?? null) as never,
    isSelf: context.isSelf ?? false,
  };
  if (permits(hub.governance, name, facts)) return ALLOWED;
  return refused(`Only ${describeRule(hub.governance.permissions[name])} may ${doing}`);
}
