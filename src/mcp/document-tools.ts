// The documents a community keeps (guides, RFCs, research, meeting notes, glossaries, its
// governance texts) as tools: a group's list, and one with its revisions. They are mirrored from
// the working group's repository, so each carries `can` saying why nobody edits it here.
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { Line } from '../app/core/schemas.ts';
import type { Hub } from '../app/core/hub.ts';
import { getArtifact, ListArtifactsQuery, listArtifactsPage } from '../app/imports/artifacts.ts';
import { CanOutput } from './outputs.ts';
import { READ, attempt, type McpCaller, ok } from './results.ts';

const Summary = {
  path: z.string().describe('where it lives in the repository; pass to get_document'),
  title: z.string(),
  kind: z.string(),
  group: z.string().nullable(),
  updatedAt: z.string(),
  can: CanOutput.describe('whether you may edit it here (nobody: it is kept in the repository) or import it'),
};
const ListInput = ListArtifactsQuery;
const ListOutput = z.object({
  group: z.string().nullable(),
  items: z.array(z.looseObject(Summary)),
  nextCursor: z.string().nullable().describe('pass it as cursor for the next page; null: the last page'),
});
const DocumentOutput = z.looseObject({
  ...Summary,
  body: z.string().describe('the document as markdown'),
  version: z.number().int(),
  revisions: z.array(z.looseObject({ revision: z.number().int(), at: z.string() })),
});
const ByPath = z.object({ path: Line(1000).min(1).describe('from list_documents or search') });

export function registerDocumentTools(server: McpServer, hub: Hub, caller: McpCaller): void {
  server.registerTool(
    'list_documents',
    {
      title: "A group's documents",
      description:
        "The documents a group keeps (guides, RFCs, research, meeting notes, glossaries, its vision), by kind then title, as imported from the working group's repository; without a group, the whole community's; paginated (pass nextCursor back as cursor). Each carries `can`: they are changed in the repository, not here.",
      inputSchema: ListInput,
      outputSchema: ListOutput,
      annotations: READ,
    },
    (args) =>
      attempt(async () => ok({ group: args.group ?? null, ...(await listArtifactsPage(hub, caller.actor, args)) })),
  );
  server.registerTool(
    'get_document',
    {
      title: 'Read a document',
      description:
        'One document: its text as markdown, kind, group, when it was last imported and its revisions, and `can` saying where to change it.',
      inputSchema: ByPath,
      outputSchema: DocumentOutput,
      annotations: READ,
    },
    ({ path }) => attempt(async () => ok(await getArtifact(hub, caller.actor, path))),
  );
}
