// Views name people by handle in many places (who opened a decision, who acted on its timeline, who
// added evidence); pages and CLI show "Name (@handle)", so a view carries the names beside them.
import type { Tx } from '../core/hub.ts';

/**
 * The name of each person among `handles`, keyed by each spelling given (handles match whatever their
 * case). Handles of nobody (`system:…` actors, a handle since removed) are left out: callers show
 * those as they always did. Columns that store the operator as `operator` leave it out themselves
 * (`personOrNull`): a person recorded as `operator` before that handle was reserved still holds it.
 */
export async function namesOf(db: Tx, handles: Iterable<string | null | undefined>): Promise<Record<string, string>> {
  const wanted = [
    ...new Set([...handles].filter((h): h is string => !!h && !h.includes(':') && !h.includes('\u0000'))),
  ];
  if (!wanted.length) return {};
  const byLower = new Map<string, string[]>();
  for (const h of wanted) byLower.set(h.toLowerCase(), [...(byLower.get(h.toLowerCase()) ?? []), h]);
  const rows = await db
    .selectFrom('people')
    .select(['handle', 'name'])
    .where((eb) => eb(eb.fn('lower', ['handle']), 'in', [...byLower.keys()]))
    .execute();
  const names: Record<string, string> = {};
  for (const r of rows) {
    // an empty name (a charter row with a GitHub cell and no name) names nobody: a link to nothing
    if (r.name.trim()) for (const asGiven of byLower.get(r.handle.toLowerCase()) ?? []) names[asGiven] = r.name;
  }
  return names;
}

/** A column that stores the hub's operator as `operator` (who opened a decision, who recorded a meeting's decision): null for the operator. */
export const personOrNull = (storedBy: string): string | null => (storedBy === 'operator' ? null : storedBy);
