import { decodeComponent } from '../domain/text.ts';

/**
 * A resource template's variable as the use case reads it, under the rule REST's path parameters
 * follow (Hono's `c.req.param()`): %-escapes decoded once, never twice (`%2540` reads `%40`), and a
 * malformed one (a lone `%`) kept as typed; then the use case validates it as it does a REST path's,
 * so `wghub://groups/%68osting/charter` is Hosting's charter as /api/groups/%68osting is its group.
 * Every resource template reads its variables through this (before 2026-12-07 the charter's slug was
 * not decoded while a proposal's and an agenda's ref were).
 */
export function uriValue(value: string | string[] | undefined): string {
  const typed = Array.isArray(value) ? value.join(',') : (value ?? '');
  return decodeComponent(typed) ?? typed;
}
