import type { MoverKind } from '../governance/index.ts';

/** A move along the route as a viewer sees it: who may make it, and whether they may now. */
type SeenMove = { to: string; by: MoverKind[]; can: { allowed: boolean } };

/** What a proposal's route asks of one of its authors, beside what they may do. */
export type AuthorsPart = {
  /**
   * Moves forward (an open stage, or the route's first end: landed, final) the author may make only
   * as a lead of its group or a facilitator of its topic area, not as its author nor by their
   * community role. The guide asks a facilitator with strong views on an outcome to keep neutral,
   * so another lead, facilitator or a moderator may be asked to make them. Ending it otherwise
   * (declined) is no one's gain, so it is not named.
   */
  movesAsLead: string[];
  /**
   * Its next step forward, to any open stage, is someone else's: ask for review instead. A step the
   * author takes as its author (or by their community role) is theirs even while a condition holds
   * it back (no real-world example yet): the move's own line says what it lacks.
   */
  nextStepIsOthers: boolean;
};

export function authorsPart(closed: readonly string[], moves: readonly SeenMove[], role: string): AuthorsPart {
  const ends = new Set(closed);
  const forward = moves.filter((m) => !ends.has(m.to));
  return {
    movesAsLead: moves
      .filter(
        (m) =>
          m.can.allowed &&
          (!ends.has(m.to) || m.to === closed[0]) &&
          m.by.includes('group-lead') &&
          !m.by.includes('author') &&
          !m.by.includes(role as MoverKind),
      )
      .map((m) => m.to),
    nextStepIsOthers:
      forward.length > 0 &&
      !forward.some((m) => m.can.allowed || m.by.includes('author') || m.by.includes(role as MoverKind)),
  };
}
