import type { CommunityRole, ParticipationLevel } from '../community.ts';
import type { Relation } from '../governance/schema.ts';

/**
 * Who is asking, as policies see them: a visitor who has not signed in, the operator at the
 * command line, or a person with their role on the contributor ladder and whether they have
 * accepted the current Code of Conduct and contribution terms.
 */
export type Viewer =
  | { kind: 'visitor' }
  | { kind: 'operator' }
  | { kind: 'person'; handle: string; role: CommunityRole; agreed: boolean };

/** The viewer's place in the thing acted on: their active level in its group, and the parts they play. */
export type Standing = {
  groupLevel?: ParticipationLevel | null;
  relations?: readonly Relation[];
  /** They facilitate the topic area the thing belongs to (a proposal's): the route counts them as its group's leads do. */
  facilitates?: boolean;
};
