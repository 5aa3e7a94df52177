// A person's record and the community as a whole, through their policies: the use cases
// authorise with these and the views carry them as `can`.
import {
  communityPolicy,
  ownPolicy,
  type OwnAction,
  personPolicy,
  tokenPolicy,
  type TokenAction,
  type Can,
  type CommunityAction,
  type PersonAction,
} from '../../domain/policies/index.ts';
import { authorize, authorizeAsPerson, viewerOf } from '../core/gate.ts';
import type { PeopleTable } from '../../store/schema.ts';
import type { Actor, Hub } from '../core/hub.ts';

/** What this actor (null: a visitor) may do with the record of the person whose id is given. */
export function personCan(hub: Hub, actor: Actor | null, personId: string): Can<PersonAction> {
  const self = actor?.kind === 'person' && actor.person.id === personId;
  return personPolicy(hub.governance, viewerOf(hub, actor), { relations: self ? ['self'] : [] });
}

/** What this actor may do with one API token of the person whose id is given. */
export function tokenCan(hub: Hub, actor: Actor | null, personId: string, revokedAt: string | null): Can<TokenAction> {
  return tokenPolicy(personCan(hub, actor, personId), { revoked: revokedAt !== null });
}

export function authorizePerson(hub: Hub, actor: Actor, personId: string, action: PersonAction): void {
  authorize(personCan(hub, actor, personId), action);
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
