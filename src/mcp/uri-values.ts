import { invalid } from '../domain/errors.ts';
import { controlCharacterProblem, decodeComponent } from '../domain/text.ts';

/**
 * A resource template's variable as the use case reads it, under the rule REST's path parameters
 * follow (Hono's `c.req.param()`): %-escapes decoded once, never twice (`%2540` reads `%40`), and a
 * malformed one (a lone `%`) kept as typed; then the use case validates it as it does a REST path's,
 * so `wghub://groups/%68osting/charter` is Hosting's charter as /api/groups/%68osting is its group.
 * Every resource template reads its variables through this (before 2026-12-07 the charter's slug was
 * not decoded while a proposal's and an agenda's ref were). A control or invisible character,
 * written or %-escaped, is refused naming the variable, as REST refuses one in a path before any
 * lookup: `wghub://groups/%00/charter` was an internal error on PostgreSQL, which cannot compare a
 * U+0000, and "does not exist" on SQLite (attack round 32).
 */
export function uriValue(value: string | string[] | undefined, name: string): string {
  const typed = Array.isArray(value) ? value.join(',') : (value ?? '');
  const said = decodeComponent(typed) ?? typed;
  const problem = controlCharacterProblem(said, false);
  if (problem) throw invalid(name, problem);
  return said;
}
