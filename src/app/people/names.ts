// Views name people by handle in many places (who opened a decision, who acted on its timeline, who
// added evidence); pages and CLI show "Name (@handle)", so a view carries the names beside them.
import type { Tx } from '../core/hub.ts';

/**
 * The name of each person among `handles`, keyed by the handle as given. Handles of nobody (the
 * operator, who acts as `operator`; `system:…` actors; a handle since removed) are left out: callers
 * show those as they always did.
 */
export async function namesOf(db: Tx, handles: Iterable<string | null | undefined>): Promise<Record<string, string>> {
  const wanted = [
    ...new Set(
      [...handles].filter((h): h is string => !!h && h !== 'operator' && !h.includes(':') && !h.includes('\u0000')),
    ),
  ];
  if (!wanted.length) return {};
  const byLower = new Map(wanted.map((h) => [h.toLowerCase(), h]));
  const rows = await db
    .selectFrom('people')
    .select(['handle', 'name'])
    .where((eb) => eb(eb.fn('lower', ['handle']), 'in', [...byLower.keys()]))
    .execute();
  const names: Record<string, string> = {};
  for (const r of rows) {
    const asGiven = byLower.get(r.handle.toLowerCase());
    if (asGiven !== undefined) names[asGiven] = r.name;
  }
  return names;
}
