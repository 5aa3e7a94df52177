// Organisations people work for. Naming a new one adds it (the governance file's
// organisation.create); naming an existing one in a profile is editing that profile, so for one's
// own it is person.edit with `self`.
import type { Governance } from '../governance/schema.ts';
import { checkPermission } from './rules.ts';
import { refused, type Can } from './verdict.ts';
import type { Viewer } from './viewer.ts';

export const ORGANISATION_LIST_ACTIONS = ['add'] as const;
export type OrganisationListAction = (typeof ORGANISATION_LIST_ACTIONS)[number];
export const ORGANISATION_ACTIONS = ['affiliate'] as const;
export type OrganisationAction = (typeof ORGANISATION_ACTIONS)[number];

/** The list: whether naming an organisation nobody has named yet would add it. */
export function organisationListPolicy(g: Governance, viewer: Viewer): Can<OrganisationListAction> {
  return { add: checkPermission(g, 'organisation.create', viewer, {}) };
}

/** One organisation: whether the viewer may name it as their own affiliation. */
export function organisationPolicy(g: Governance, viewer: Viewer): Can<OrganisationAction> {
  return {
    // the operator has no affiliation of their own; a visitor is told to sign in by checkPermission
    affiliate:
      viewer.kind === 'operator'
        ? refused("An affiliation is a person's own: act as one with --as HANDLE")
        : checkPermission(g, 'person.edit', viewer, { relations: ['self'] }),
  };
}
