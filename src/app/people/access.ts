// A person's record and the community as a whole, through their policies: the use cases
// authorise with these and the views carry them as `can`.
import {
  communityPolicy,
  ownPolicy,
  type OwnAction,
  giveRole,
  personPolicy,
  rolesGivenBy,
  tokenPolicy,
  type TokenAction,
  type Can,
  type CommunityAction,
  type PersonAction,
} from '../../domain/policies/index.ts';
import { authorize, authorizeAsPerson, viewerOf } from '../core/gate.ts';
import type { PeopleTable } from '../../store/schema.ts';
import type { CommunityRole } from '../../domain/community.ts';
import type { Actor, Hub } from '../core/hub.ts';

/** The person a record is: their id, and their role (what is done to it is for those above them). */
export type PersonRecord = Pick<PeopleTable, 'id' | 'role'>;

/** What this actor (null: a visitor) may do with this person's record. */
export function personCan(hub: Hub, actor: Actor | null, p: PersonRecord): Can<PersonAction> {
  const self = actor?.kind === 'person' && actor.person.id === p.id;
  return personPolicy(hub.governance, viewerOf(hub, actor), { relations: self ? ['self'] : [] }, { role: p.role });
}

/** What this actor may do with one API token of this person. */
export function tokenCan(hub: Hub, actor: Actor | null, p: PersonRecord, revokedAt: string | null): Can<TokenAction> {
  return tokenPolicy(personCan(hub, actor, p), { revoked: revokedAt !== null });
}

export function authorizePerson(hub: Hub, actor: Actor, p: PersonRecord, action: PersonAction): void {
  authorize(personCan(hub, actor, p), action);
}

/** The roles this actor may give a person (adding them, or changing their role), in the ladder's order. */
export function rolesGivenByActor(hub: Hub, actor: Actor | null): CommunityRole[] {
  return rolesGivenBy(hub.governance, viewerOf(hub, actor));
}

/** Refuses a role this actor may not give (`giveRole`), once the role asked for is known. */
export function authorizeGivingRole(hub: Hub, actor: Actor, role: CommunityRole): void {
  authorize({ give: giveRole(hub.governance, viewerOf(hub, actor), role) }, 'give');
}

/** What this actor may start in the community: add people, propose a group, make a proposal… */
export function communityCan(hub: Hub, actor: Actor | null): Can<CommunityAction> {
  return communityPolicy(hub.governance, viewerOf(hub, actor));
}

export function authorizeCommunity(hub: Hub, actor: Actor, action: CommunityAction): void {
  authorize(communityCan(hub, actor), action);
}

/** A person's own things (inbox, subscriptions, reply addresses): returns that person, or refuses the operator. */
export function authorizeOwn(hub: Hub, actor: Actor, action: OwnAction): PeopleTable {
  return authorizeAsPerson(ownPolicy(viewerOf(hub, actor)), action, actor).person;
}
