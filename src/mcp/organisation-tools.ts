// Organisations as tools: the list (how many people work at each now) and one organisation with
// its people and their dates. The same use cases as REST and the web, so the same policy
// (organisation.create for naming a new one, person.edit for naming one as one's own) answers.
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { Hub } from '../app/core/hub.ts';
import { getOrganisation, listOrganisationsPage } from '../app/people/organisations.ts';
import { ListQuery } from '../app/core/schemas.ts';
import { Slug } from '../domain/community.ts';
import { WORDING, whoMay } from '../domain/policies/index.ts';
import { CanOutput } from './outputs.ts';
import { READ, attempt, type McpCaller, ok } from './results.ts';

const Organisation = { slug: z.string(), name: z.string() };
const ListOutput = z.object({
  items: z.array(
    z.looseObject({
      ...Organisation,
      people: z.number().int().describe('how many people are affiliated with it now'),
      can: CanOutput.describe('whether you may name it as your own organisation (affiliate), and if not why'),
    }),
  ),
  can: CanOutput.describe('whether naming an organisation nobody has named yet would add it (add), and if not why'),
  nextCursor: z.string().nullable().describe('pass it as cursor for the next page; null: the last page'),
});
const PageOutput = z.looseObject({
  ...Organisation,
  people: z.array(
    z.looseObject({ handle: z.string(), name: z.string(), from: z.string().nullable(), to: z.string().nullable() }),
  ),
  can: CanOutput,
});
const ByOrganisation = z.object({ slug: Slug.describe('the organisation slug, from list_organisations') });

export function registerOrganisationTools(server: McpServer, hub: Hub, caller: McpCaller): void {
  // who may add one, in the governance file's words, so the description never states a stale rule
  const adders = whoMay(
    hub.governance,
    hub.governance.permissions['organisation.create'],
    WORDING['organisation.create'],
  );
  server.registerTool(
    'list_organisations',
    {
      title: 'List organisations',
      description: `The organisations people here work for, by slug, with how many are affiliated now; paginated (pass nextCursor back as cursor). \`can.add\` says whether naming one nobody has named yet (update_person's organisation) would add it: ${adders} may. Each carries \`can.affiliate\`: whether you may name it as your own.`,
      inputSchema: ListQuery,
      outputSchema: ListOutput,
      annotations: READ,
    },
    (args) => attempt(async () => ok(await listOrganisationsPage(hub, caller.actor, args))),
  );
  server.registerTool(
    'get_organisation',
    {
      title: 'Get an organisation',
      description:
        'One organisation and the people affiliated with it, with the dates they joined and left (to: null is now), and `can.affiliate`: whether you may name it as your own organisation (with update_person), and if not why.',
      inputSchema: ByOrganisation,
      outputSchema: PageOutput,
      annotations: READ,
    },
    ({ slug }) => attempt(async () => ok(await getOrganisation(hub, caller.actor, slug))),
  );
}
