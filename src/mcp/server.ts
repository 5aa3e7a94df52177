// The MCP server definition, built once per serving unit (an HTTP request, a stdio connection)
// for the person calling, so nothing about a caller outlives its request.
import { registerWebhookTools } from './webhook-tools.ts';
import { registerPeopleTools } from './people-tools.ts';
import { registerOrganisationTools } from './organisation-tools.ts';
import { registerSubscriptionTools } from './subscription-tools.ts';
import { registerDocumentTools } from './document-tools.ts';
import { McpServer } from '@modelcontextprotocol/server';
import type { z } from 'zod';
import { parseInput } from '../app/core/validate.ts';
import type { Hub } from '../app/core/hub.ts';
import { VERSION } from '../version.ts';
import { registerPrompts } from './prompts.ts';
import { registerResources } from './resources.ts';
import { type McpCaller, toolError } from './results.ts';
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
  checkArgumentsInHubWords(server);
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

type Callback = (args: unknown, ctx: unknown) => unknown;

/**
 * A tool's arguments are checked by the hub rather than the SDK, so arguments that do not fit the
 * schema read like every other invalid input: each field with its rule in the hub's words, and
 * what to do ("invalid input: ref: is required (string) … Fix the named fields …"), not the SDK's
 * "Input validation error: … expected string, received undefined". The JSON Schema clients see is
 * the same; only where it is checked moves.
 */
function checkArgumentsInHubWords(server: McpServer): void {
  const register = server.registerTool.bind(server) as unknown as (
    name: string,
    config: { inputSchema?: unknown },
    cb: Callback,
  ) => unknown;
  const checked = (name: string, config: { inputSchema?: z.ZodType }, cb: Callback) => {
    const schema = config.inputSchema;
    if (!schema) return register(name, config, cb);
    return register(name, { ...config, inputSchema: publishedOnly(schema) }, (args, ctx) => {
      let parsed: unknown;
      try {
        parsed = parseInput(schema, args ?? {});
      } catch (e) {
        return toolError(e);
      }
      return cb(parsed, ctx);
    });
  };
  (server as unknown as { registerTool: typeof checked }).registerTool = checked;
}

// one published form per schema, kept across the per-request servers
const published = new WeakMap<z.ZodType, object>();
function publishedOnly(schema: z.ZodType): object {
  let p = published.get(schema);
  if (!p) {
    const std = schema['~standard'];
    p = {
      '~standard': {
        version: 1,
        vendor: 'wghub',
        validate: (value: unknown) => ({ value }),
        jsonSchema: std.jsonSchema,
      },
    };
    published.set(schema, p);
  }
  return p;
}
