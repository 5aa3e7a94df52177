// The one resolver of a group's or topic area's short name as someone names it (no imports: the CLI
// reads its arguments through it before loading anything else).

/**
 * A short name as stored (group and topic area slugs are lowercase ASCII), from one a person typed with
 * capitals (`Hosting`): ASCII letters only are folded, so a lookalike (the Kelvin sign, which
 * `toLowerCase` reads as k) names nothing rather than another group.
 */
export function slugAsStored(typed: string): string {
  return typed.replace(/[A-Z]/g, (c) => c.toLowerCase());
}
