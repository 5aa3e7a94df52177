// Whom an author can ask to sponsor a proposal: the people whose role on the contributor ladder may
// sponsor (the governance file's `proposals.sponsorRoles`) and have accepted the current agreements,
// as the policy's `can.sponsor` asks, those in the proposal's group first. An
// author with no sponsor found no word on the page of who could be one. One use case for every edge:
// the proposal's web page, GET /api/proposals/{ref}/sponsors, MCP list_possible_sponsors and
// `wghub proposal sponsors`. The list never names the one reading it: whether they may sponsor it
// themselves is the view's `can.sponsor`, in the policy's words.
import { LIMITS } from '../../domain/limits.ts';
import type { Can } from '../../domain/policies/index.ts';
import { sponsorWho } from '../../domain/policies/proposal.ts';
import type { Actor, Hub } from '../core/hub.ts';
import { getProposal, type ProposalView } from './proposals.ts';

/** How many the list names at most (`LIMITS.possibleSponsors`, which help and descriptions quote). */
export const POSSIBLE_SPONSORS = LIMITS.possibleSponsors;

export type PossibleSponsors = { handle: string; name: string; role: string; inGroup: boolean }[];

export type SponsorsView = {
  ref: string;
  /** Its sponsor now, or null. */
  sponsor: { handle: string; name: string } | null;
  /** Whether it waits for a sponsor: none yet, and not at an end stage of its route. */
  wanted: boolean;
  /** Who may sponsor a proposal, in the community's words ("a core maintainer or a lead maintainer"). */
  who: string;
  /**
   * While it is wanted, people who may sponsor it (at most POSSIBLE_SPONSORS), its group's own first;
   * never the reader, whose own answer is `can.sponsor`. Empty once it has a sponsor or has ended.
   */
  people: PossibleSponsors;
  /** Whether the reader may sponsor it now, and why not. */
  can: Can<'sponsor'>;
};

/** Who may sponsor the proposal `ref`, as `viewer` reads it (null: a visitor). */
export async function proposalSponsors(hub: Hub, ref: string, viewer: Actor | null = null): Promise<SponsorsView> {
  return sponsorsOf(hub, await getProposal(hub, ref, viewer), viewer);
}

/** Who may sponsor a proposal already read for `viewer` (its page has the view: no second read of it). */
export async function sponsorsOf(
  hub: Hub,
  p: Pick<ProposalView, 'ref' | 'sponsor' | 'route' | 'stage' | 'group' | 'can'>,
  viewer: Actor | null,
): Promise<SponsorsView> {
  const wanted = !p.sponsor && !hub.governance.proposals.routes[p.route].closed.includes(p.stage);
  const reader = viewer?.kind === 'person' ? viewer.person.id : null;
  return {
    ref: p.ref,
    sponsor: p.sponsor,
    wanted,
    who: sponsorWho(hub.governance),
    people: wanted ? await possibleSponsors(hub, p.group, reader) : [],
    can: { sponsor: p.can.sponsor },
  };
}

/**
 * People who may sponsor, as the policy's `can.sponsor` has it: a role in `proposals.sponsorRoles` and
 * the current agreements accepted (`viewerOf`'s `agreed`). Those in `groupSlug` first, leaving out the
 * person `except` (by id).
 */
export async function possibleSponsors(
  hub: Hub,
  groupSlug: string | null,
  except: string | null = null,
): Promise<PossibleSponsors> {
  const db = hub.store.db;
  const roles = hub.governance.proposals.sponsorRoles;
  // one who has not accepted the current agreements is refused (`accept-agreements`) until they do
  const { codeOfConduct, contributionTerms } = hub.governance.agreements;
  const group = groupSlug
    ? await db.selectFrom('groups').select('id').where('slug', '=', groupSlug).executeTakeFirst()
    : undefined;
  const inGroup = group
    ? await db
        .selectFrom('group_members as m')
        .innerJoin('people as p', 'p.id', 'm.person_id')
        .select(['p.handle', 'p.name', 'p.role'])
        .where('m.group_id', '=', group.id)
        // one who stepped back from the group (emeritus) is not named first as one of its own
        .where('m.emeritus', '=', 0)
        .where('p.role', 'in', roles)
        .where('p.coc_version', '=', codeOfConduct.version)
        .where('p.terms_version', '=', contributionTerms.version)
        .$if(except !== null, (q) => q.where('p.id', '!=', except!))
        .orderBy('p.name')
        .limit(POSSIBLE_SPONSORS)
        .execute()
    : [];
  const others = await db
    .selectFrom('people')
    .select(['handle', 'name', 'role'])
    .where('role', 'in', roles)
    .where('coc_version', '=', codeOfConduct.version)
    .where('terms_version', '=', contributionTerms.version)
    .where(
      'handle',
      'not in',
      // a list that is never empty, so the query stays valid on both databases
      ['', ...inGroup.map((p) => p.handle)],
    )
    .$if(except !== null, (q) => q.where('id', '!=', except!))
    .orderBy('name')
    .limit(POSSIBLE_SPONSORS - inGroup.length)
    .execute();
  return [
    ...inGroup.map((p) => ({ ...p, inGroup: true })),
    ...(inGroup.length < POSSIBLE_SPONSORS ? others.map((p) => ({ ...p, inGroup: false })) : []),
  ];
}
