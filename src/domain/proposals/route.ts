// One engine for both stage vocabularies: the guide's contribution route and the SEP lifecycle,
// each defined in the governance file as stages and transitions with who may make them.
import type { Governance, MoverKind, RouteId } from '../governance/index.ts';
import { roleName } from '../governance/words.ts';

export type AllowedStageMove = {
  to: string;
  by: MoverKind[];
  gate: boolean;
  requiresExamples: boolean;
  /** The move needs the proposal's pull request link (given with it, or already on the proposal). */
  requiresPullRequest: boolean;
};

export function routeOf(g: Governance, route: RouteId) {
  return g.proposals.routes[route];
}

/** What the community expects of a proposal at this stage (the governance file's `guidance`), or null. */
export function stageGuidance(g: Governance, route: RouteId, stage: string): string | null {
  return routeOf(g, route).guidance?.[stage] ?? null;
}

export function allowedStageMoves(g: Governance, route: RouteId, from: string): AllowedStageMove[] {
  return routeOf(g, route)
    .transitions.filter((t) => t.from.includes(from))
    .map((t) => ({
      to: t.to,
      by: t.by,
      gate: t.gate ?? false,
      requiresExamples: t.requiresExamples ?? false,
      requiresPullRequest: t.requiresPullRequest ?? false,
    }));
}

/**
 * Whether the route leads from `stage`, through any of its moves, back to an open stage (one not
 * closed). In the default SEP lifecycle a dormant proposal does (to awaiting-sponsor); a final one
 * does not (final → superseded is an end too), nor does anything withdrawn, declined or landed.
 */
export function comesBack(g: Governance, route: RouteId, stage: string): boolean {
  const closed = new Set(routeOf(g, route).closed);
  const seen = new Set([stage]);
  const next = [stage];
  while (next.length) {
    for (const m of allowedStageMoves(g, route, next.pop()!)) {
      if (!closed.has(m.to)) return true;
      if (!seen.has(m.to)) {
        seen.add(m.to);
        next.push(m.to);
      }
    }
  }
  return false;
}

/**
 * Whether a proposal at `stage` waits for its sponsor: its next step forward (to a stage that is not
 * closed) is one only the sponsor may take (the governance file's transitions; the dormancy job
 * aside). In the default SEP lifecycle: a draft (to in-review) and a proposal in review (to accepted).
 */
export function waitsForSponsor(g: Governance, route: RouteId, stage: string): boolean {
  const closed = new Set(routeOf(g, route).closed);
  return allowedStageMoves(g, route, stage).some(
    (m) => !closed.has(m.to) && m.by.includes('sponsor') && m.by.every((b) => b === 'sponsor' || b === 'system'),
  );
}

/** Who may make a move, in words: a role in the governance file's `roleNames`. */
export function describeMovers(g: Governance, by: MoverKind[]): string {
  const names = by.map((b) =>
    b === 'group-lead'
      ? 'a lead of the group or a facilitator of its topic area'
      : b === 'system'
        ? 'the dormancy job'
        : `the ${roleName(g, b)}`,
  );
  // "the author or a lead of the group or a facilitator of its topic area or the moderator" read as one chain of "or"s:
  // commas keep each who apart wherever there are three, or one of them holds an "or" itself
  if (names.length < 3 && !names.some((n) => n.includes(' or '))) return names.join(' or ');
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')}, or ${names.at(-1)}`;
}

export function describeMoves(g: Governance, moves: AllowedStageMove[]): string {
  return moves.length
    ? moves.map((m) => `${m.to} (by ${describeMovers(g, m.by)}${m.gate ? ', after the gate check' : ''})`).join('; ')
    : 'none: this stage is closed';
}

export type StageMoveVerdict =
  | { ok: true; gate: boolean; requiresPullRequest: boolean }
  | { ok: false; kind: 'illegal' | 'forbidden' | 'needs-examples'; message: string; allowed: AllowedStageMove[] };

/**
 * Checks a stage move. `parts` is what the actor is in this proposal (author, sponsor,
 * group-lead, system) plus their community role.
 */
export function checkStageMove(
  g: Governance,
  route: RouteId,
  from: string,
  to: string,
  parts: Set<MoverKind>,
  examples: number,
): StageMoveVerdict {
  const allowed = allowedStageMoves(g, route, from);
  const move = allowed.find((m) => m.to === to);
  if (!move) {
    const known = routeOf(g, route).stages.includes(to);
    return {
      ok: false,
      kind: 'illegal',
      message: `${known ? `a proposal cannot move from ${from} to ${to}` : `'${to}' is not a stage of ${routeOf(g, route).title} (stages: ${routeOf(g, route).stages.join(', ')})`}; from ${from} it may move to: ${describeMoves(g, allowed)}`,
      allowed,
    };
  }
  if (!move.by.some((b) => parts.has(b))) {
    return {
      ok: false,
      kind: 'forbidden',
      message: `moving from ${from} to ${to} is for ${describeMovers(g, move.by)}`,
      allowed,
    };
  }
  if (move.requiresExamples && examples < 1) {
    return {
      ok: false,
      kind: 'needs-examples',
      message: `a proposal leaves ${from} only with at least one real-world example of the problem`,
      allowed,
    };
  }
  return { ok: true, gate: move.gate, requiresPullRequest: move.requiresPullRequest };
}

/** Stages at which a proposal was given up or left (not landed, final or superseded): no longer anyone's way forward. */
export const ABANDONED_STAGES = ['declined', 'withdrawn', 'rejected', 'dormant'];
