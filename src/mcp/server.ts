// The MCP server definition, built once per serving unit (an HTTP request, a stdio connection)
// for the person calling, so nothing about a caller outlives its request.
import { registerWebhookTools } from './webhook-tools.ts';
import { registerPeopleTools } from './people-tools.ts';
import { registerOrganisationTools } from './organisation-tools.ts';
import { registerSubscriptionTools } from './subscription-tools.ts';
import { registerDocumentTools } from './document-tools.ts';
import { McpServer } from '@modelcontextprotocol/server';
import type { Hub } from '../app/core/hub.ts';
import { VERSION } from '../version.ts';
import { registerPrompts } from './prompts.ts';
import { registerResources } from './resources.ts';
import type { McpCaller } from './results.ts';
import { registerTools } from './tools.ts';
import { registerGroupTools } from './facilitator-tools.ts';
import { registerMeetingPrompts, registerMeetingResources, registerMeetingTools } from './meetings.ts';

const INSTRUCTIONS = [
  'wghub is where this protocol community runs its working groups: charters, proposals on the contribution route and the SEP lifecycle, decisions by consensus, meetings and prior-work search.',
  'Before proposing anything, run check_prior_work (step 1 of the route). Write problems as interests, not positions.',
  'Tools act as the connected person with their permissions; a refused call says what to fix.',
  'The rules in force are the resource wghub://governance.',
].join(' ');

export function createWghubMcpServer(hub: Hub, caller: McpCaller): McpServer {
  const server = new McpServer(
    { name: 'wghub', title: 'wghub — community working groups hub', version: VERSION },
    {
      capabilities: { tools: {}, resources: {}, prompts: {}, completions: {}, logging: {} },
      instructions: INSTRUCTIONS,
    },
  );
  registerTools(server, hub, caller);
  registerMeetingTools(server, hub, caller);
  registerGroupTools(server, hub, caller);
  registerWebhookTools(server, hub, caller);
  registerPeopleTools(server, hub, caller);
  registerOrganisationTools(server, hub, caller);
  registerSubscriptionTools(server, hub, caller);
  registerDocumentTools(server, hub, caller);
  registerResources(server, hub);
  registerMeetingResources(server, hub);
  registerPrompts(server, hub);
  registerMeetingPrompts(server, hub);
  return server;
}
