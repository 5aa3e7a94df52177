// The MCP server definition, built once per serving unit (an HTTP request, a stdio connection)
// for the person calling, so nothing about a caller outlives its request.
import { registerWebhookTools } from './webhook-tools.ts';
import { registerMembershipTools } from './membership-tools.ts';
import { registerInvitationTools } from './invitation-tools.ts';
import { registerPeopleTools } from './people-tools.ts';
import { registerOrganisationTools } from './organisation-tools.ts';
import { registerSubscriptionTools } from './subscription-tools.ts';
import { registerDocumentTools } from './document-tools.ts';
import { registerParticipationTools } from './participation-tools.ts';
import { registerDecisionTools } from './decision-tools.ts';
import {
  type CallToolResult,
  McpServer,
  type McpServerOptions,
  ProtocolError,
  ProtocolErrorCode,
  type ProtocolEra,
  ResourceTemplate,
  type Transport,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import { DomainError, InvalidInput, Unauthenticated } from '../domain/errors.ts';
import {
  type Governance,
  inCommunityWords,
  schemaInCommunityWords,
  shownRefsOutsideQuotes,
  speaksDefaultWords,
} from '../domain/governance/index.ts';
import { numbersSentAsText, parseInput } from '../app/core/validate.ts';
import { fieldOf, keysNamed } from '../domain/rule-wording.ts';
import type { Hub } from '../app/core/hub.ts';
import { VERSION } from '../version.ts';
import { registerPrompts } from './prompts.ts';
import { registerResources } from './resources.ts';
import { type McpCaller, toolError, withVersionSent } from './results.ts';
import { registerTools } from './tools.ts';
import { registerGroupTools } from './facilitator-tools.ts';
import { registerMeetingOutcomeTools } from './meeting-outcome-tools.ts';
import { registerMeetingPrompts, registerMeetingResources, registerMeetingTools } from './meetings.ts';
import { refuseMalformedParams } from './params.ts';
import { KnownNames } from './unknown-names.ts';
import { cancellableFromElsewhere } from './cancel.ts';
import { answeredInNegotiatedVersion } from './negotiated.ts';
import { groupMeantFor, withGroupMeant, withPersonMeant, withProposalMeant } from './group-meant.ts';

const INSTRUCTIONS = [
  'wghub is where this protocol community runs its working groups: charters, proposals on the contribution route and the SEP lifecycle, decisions by consensus, meetings and prior-work search.',
  'Before proposing anything, run check_prior_work (step 1 of the route). Write problems as interests, not positions.',
  'Tools act as the connected person with their permissions; a refused call says what to fix.',
  'Lazy consensus counts silence as consent: what_needs_me lists what waits on the connected person (decisions with their deadlines, escalations, requests to join, notes and action items owed), so tell them of it.',
  'The rules in force are the resource wghub://governance.',
].join(' ');

/**
 * The SDK's server, answering malformed protocol params, and requests naming a tool, prompt or
 * resource it does not have, on each transport it is connected to (params.ts, unknown-names.ts).
 */
class WghubMcpServer extends McpServer {
  readonly #era: ProtocolEra | undefined;
  readonly #sender: string | undefined;
  readonly known = new KnownNames();
  constructor(
    info: ConstructorParameters<typeof McpServer>[0],
    options: McpServerOptions,
    era?: ProtocolEra,
    sender?: string,
  ) {
    super(info, options);
    this.#era = era;
    this.#sender = sender;
    namesKnown(this, this.known);
  }
  override async connect(transport: Transport): Promise<void> {
    await super.connect(transport);
    refuseMalformedParams(transport, this.#era, this.known);
    // a 2025-03-26 client is sent no outputSchema or structuredContent, which its version lacks (negotiated.ts)
    answeredInNegotiatedVersion(transport, () => this.server.getNegotiatedProtocolVersion());
    // over HTTP, a cancellation posted apart from its request reaches it here (cancel.ts)
    if (this.#sender !== undefined) cancellableFromElsewhere(transport, this.#sender, () => this.close());
  }
}

/** Keeps the name of each tool and prompt, and the address or template of each resource, as it is registered. */
function namesKnown(server: McpServer, known: KnownNames): void {
  const target = server as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const [method, names] of [
    ['registerTool', known.tools],
    ['registerPrompt', known.prompts],
  ] as const) {
    const register = target[method]!.bind(server);
    target[method] = (...args: unknown[]) => {
      names.add(String(args[0]));
      // a prompt's arguments, for a completion naming one it does not take (unknown-names.ts)
      const schema = (args[1] as { argsSchema?: unknown } | undefined)?.argsSchema;
      if (method === 'registerPrompt')
        known.promptArguments.set(
          String(args[0]),
          schema && typeof schema === 'object' && 'shape' in schema ? Object.keys(schema.shape as object) : [],
        );
      return register(...args);
    };
  }
  const registerResource = target.registerResource!.bind(server);
  target.registerResource = (...args: unknown[]) => {
    const at = args[1];
    if (at instanceof ResourceTemplate) known.templates.push(at);
    else known.resources.add(String(at));
    return registerResource(...args);
  };
}

/**
 * The server for one caller. `era` is the protocol era the serving entry builds it for (its
 * factory is told): a request the era does not have is left to the SDK, which answers -32601.
 */
export function createWghubMcpServer(hub: Hub, caller: McpCaller, era?: ProtocolEra): McpServer {
  const server = new WghubMcpServer(
    { name: 'wghub', title: 'wghub — community working groups hub', version: VERSION },
    {
      // listChanged: false, said outright (the SDK advertises true unless told): the lists are
      // fixed for a server's life, and /mcp keeps none beyond one request, so nothing would send them
      capabilities: {
        tools: { listChanged: false },
        resources: { listChanged: false },
        prompts: { listChanged: false },
        completions: {},
        logging: {},
      },
      // the contribution terms' note from the governance file: what an assistant adds is contributed under them
      instructions: `${inCommunityWords(INSTRUCTIONS, hub.governance)} ${hub.governance.agreements.contributionTerms.note}`,
    },
    era,
    caller.sender,
  );
  titledForEveryEra(server);
  describedInCommunityWords(server, hub);
  checkArgumentsInHubWords(server, caller, hub);
  toolCallsSpendBudgets(server, caller);
  versionSentKnown(server);
  promptRefusalsAreInvalidParams(server, hub);
  registerTools(server, hub, caller);
  registerParticipationTools(server, hub, caller);
  registerDecisionTools(server, hub, caller);
  registerMeetingTools(server, hub, caller);
  registerMeetingOutcomeTools(server, hub, caller);
  registerGroupTools(server, hub, caller);
  registerWebhookTools(server, hub, caller);
  registerMembershipTools(server, hub, caller);
  registerInvitationTools(server, hub, caller);
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
 * the same, except that it says no other fields are taken: a misspelt one (groups for group) is
 * named and refused, rather than dropped so that the call answers something else than was asked.
 */
function checkArgumentsInHubWords(server: McpServer, caller: McpCaller, hub: Hub): void {
  const register = server.registerTool.bind(server) as unknown as (
    name: string,
    config: { inputSchema?: unknown },
    cb: Callback,
  ) => unknown;
  // a refusal's examples and the references it names, as this community cites them (RFC-2575)
  const worded = (r: unknown): unknown => {
    const result = r as { isError?: boolean; content?: { type: string; text?: string }[] } | null;
    if (!result?.isError || !Array.isArray(result.content)) return r;
    return {
      ...result,
      content: result.content.map((c) =>
        c.type === 'text' && typeof c.text === 'string'
          ? { ...c, text: shownRefsOutsideQuotes(hub.governance, c.text) }
          : c,
      ),
    };
  };
  const checked = (
    name: string,
    config: { inputSchema?: z.ZodType; outputSchema?: z.ZodType; annotations?: { readOnlyHint?: boolean } },
    cb: Callback,
  ) => {
    const schema = config.inputSchema;
    const output = config.outputSchema ? { outputSchema: listedOnce(config.outputSchema) } : {};
    if (!schema)
      return register(name, { ...config, ...output }, (args, ctx) => Promise.resolve(cb(args, ctx)).then(worded));
    const known = fieldsOf(schema);
    // a write keeps refusing null: there it may mean "clear it" (a description) or "all" (ids), and is not guessed
    const unsaidWhenNull = config.annotations?.readOnlyHint ? nullMeansUnsaid(schema) : new Set<string>();
    const asAPerson = !config.annotations?.readOnlyHint && !ANYONE_MAY.has(name);
    return register(name, { ...config, ...output, inputSchema: publishedOnly(schema) }, (sent, ctx) => {
      let parsed: unknown;
      const args = withoutNulls(sent, unsaidWhenNull);
      try {
        if (asAPerson && !caller.actor)
          throw new Unauthenticated(`${name} acts as a person, and this connection has no API token`);
        const extra = fieldsNotIn(args, known);
        if (extra.length) {
          const { named, rest } = keysNamed(extra);
          const offered = offeredFieldsOf(schema);
          const fields = offered.length ? `the fields are ${offered.join(', ')}` : 'this tool takes none';
          throw new InvalidInput(
            named.map((key, i) => ({
              field: fieldOf([key]),
              // the tool's fields said once, and how many keys more were sent (fuzz round 15)
              rule: `is not a field here${i === 0 ? `; ${fields}` : ''}${rest && i === named.length - 1 ? `; ${rest}` : ''}`,
            })),
          );
        }
        // JSON has numbers: "limit": "5" is refused naming it, with the schema's other mistakes
        const asText = numbersSentAsText(schema, args ?? {});
        try {
          parsed = parseInput(schema, args ?? {});
        } catch (e) {
          if (!(e instanceof InvalidInput) || !asText.length) throw e;
          throw new InvalidInput([...asText, ...e.issues.filter((i) => !asText.some((t) => t.field === i.field))]);
        }
        if (asText.length) throw new InvalidInput(asText);
      } catch (e) {
        return withGroupMeant(hub, sent, toolError(e))
          .then((r) => withPersonMeant(hub, name, sent, r))
          .then(worded);
      }
      if (cancelled(ctx)) return CANCELLED;
      return Promise.resolve(cb(parsed, ctx))
        .then((r) => withGroupMeant(hub, sent, r as CallToolResult))
        .then((r) => withPersonMeant(hub, name, sent, r))
        .then((r) => withProposalMeant(hub, sent, r))
        .then(worded);
    });
  };
  (server as unknown as { registerTool: typeof checked }).registerTool = checked;
}

/** Whether the client cancelled the request a tool is called for (its own connection closed, or cancel.ts). */
const cancelled = (ctx: unknown): boolean =>
  (ctx as { mcpReq?: { signal?: AbortSignal } } | undefined)?.mcpReq?.signal?.aborted === true;
/** What a tool cancelled before it began returns; the SDK sends no answer to a cancelled request. */
const CANCELLED = {
  isError: true,
  content: [{ type: 'text', text: 'cancelled: the client cancelled this call before it began; nothing was done' }],
};

/**
 * Writes nobody signs in for: the token a mail address was sent is the proof. Every other write acts
 * as a person, so a client with no token (`--mcp-anonymous-reads`) is told so before its arguments
 * are read, not sent to fix them first only to be told it may not write at all (as REST answers 401
 * before a body's mistakes).
 */
const ANYONE_MAY = new Set(['confirm_email']);

/** Tools that search the index: they spend the searches budget, as GET /api/search and /api/prior-work do. */
const SEARCH_TOOLS = new Set(['search', 'check_prior_work']);
/** Tools that connect to another server: the probes budget, as POST …/evidence/{id}/verify. */
const PROBE_TOOLS = new Set(['verify_evidence']);

/**
 * Each tool's handler runs knowing whether its call sent a `version` (results.ts): a conflict met by
 * the hub's own compare-and-set, in a call that sent none, is not told its version is stale.
 */
function versionSentKnown(server: McpServer): void {
  const register = server.registerTool.bind(server) as unknown as (
    name: string,
    config: unknown,
    cb: Callback,
  ) => unknown;
  const knowing = (name: string, config: unknown, cb: Callback) =>
    register(name, config, (args, ctx) => withVersionSent(args, () => cb(args, ctx)));
  (server as unknown as { registerTool: typeof knowing }).registerTool = knowing;
}

/**
 * A tool call over /mcp spends what the same act over REST spends: every /mcp request counts as a
 * read at the door (most are), so a tool that writes, searches or probes takes one more unit of
 * that budget for the caller's token, with REST's per-second, per-window and at-a-time limits;
 * refused, it answers a tool error with the rule and when to try again, and nothing is done.
 */
function toolCallsSpendBudgets(server: McpServer, caller: McpCaller): void {
  const spend = caller.spend;
  if (!spend) return;
  const register = server.registerTool.bind(server) as unknown as (
    name: string,
    config: { annotations?: { readOnlyHint?: boolean } },
    cb: Callback,
  ) => unknown;
  const budgeted = (name: string, config: { annotations?: { readOnlyHint?: boolean } }, cb: Callback) => {
    const budget = PROBE_TOOLS.has(name)
      ? 'probes'
      : SEARCH_TOOLS.has(name)
        ? 'searches'
        : config.annotations?.readOnlyHint
          ? null
          : 'writes';
    if (!budget) return register(name, config, cb);
    return register(name, config, async (args, ctx) => {
      const admitted = await spend(budget);
      if (typeof admitted !== 'function')
        return {
          isError: true,
          content: [
            {
              type: 'text',
              text: `too many requests: ${admitted.rule}; try again in ${admitted.retryAfter} s. Nothing was done.`,
            },
          ],
        };
      try {
        // cancelled while it waited for its turn: none of its work is done (the SDK sends no answer)
        if (cancelled(ctx)) return CANCELLED;
        return await cb(args, ctx);
      } finally {
        admitted();
      }
    });
  };
  (server as unknown as { registerTool: typeof budgeted }).registerTool = budgeted;
}

/**
 * The optional fields that take no null: a model fills every argument it was shown, `"cursor": null`
 * on a first page (as `nextCursor: null` ends the last) or `"group": null` for "any group", and was
 * refused `group: must be a string`. In a read, null there says nothing was given, as leaving it out
 * does; a field where null means something keeps it.
 */
function nullMeansUnsaid(schema: z.ZodType): ReadonlySet<string> {
  if (!(schema instanceof z.ZodObject)) return new Set();
  const shape = schema.shape as Record<string, z.ZodType>;
  return new Set(
    Object.keys(shape).filter((k) => shape[k]!.safeParse(undefined).success && !shape[k]!.safeParse(null).success),
  );
}
function withoutNulls(args: unknown, unsaid: ReadonlySet<string>): unknown {
  if (!unsaid.size || !args || typeof args !== 'object' || Array.isArray(args)) return args;
  const entries = Object.entries(args);
  if (!entries.some(([k, v]) => v === null && unsaid.has(k))) return args;
  return Object.fromEntries(entries.filter(([k, v]) => !(v === null && unsaid.has(k))));
}

/** The fields an object schema takes, or null for any other schema. */
const fieldsOf = (schema: z.ZodType): string[] | null =>
  schema instanceof z.ZodObject ? Object.keys(schema.shape) : null;

/** A field no value fits (search's `offset`): taken only to be refused in its own words, and not offered (offeredOnly). */
const fitsNothing = (field: unknown): boolean =>
  field instanceof z.ZodNever || (field instanceof z.ZodOptional && fitsNothing(field.unwrap()));

/** The fields a tool offers, as its published input schema lists them: those some value fits. */
const offeredFieldsOf = (schema: z.ZodType): string[] =>
  schema instanceof z.ZodObject ? Object.keys(schema.shape).filter((k) => !fitsNothing(schema.shape[k])) : [];

type JsonSchemaOf = z.ZodType['~standard']['jsonSchema']['input'];

/**
 * A schema's JSON Schema, converted once for each target and kept: the SDK converts every tool's
 * input and output schemas on every tools/list (about 11 ms a list, 124 KB), so a JSON-RPC batch of
 * 99 lists, one request at the door, held the process for a second and answered 12 MB. Frozen, as
 * every list and request shares it.
 */
function once(convert: JsonSchemaOf): JsonSchemaOf {
  const made = new Map<string, ReturnType<JsonSchemaOf>>();
  return (o) => {
    const key = String(o?.target);
    let json = made.get(key);
    if (!json) {
      json = deepFrozen(convert(o));
      made.set(key, json);
    }
    return json;
  };
}
function deepFrozen<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFrozen(v);
  }
  return value;
}

/**
 * A field no value fits (search's `offset`, kept so one sending it is told to send `cursor`) is no
 * argument to offer: published, it was `{"not": {}}` with `deprecated`, keywords a model provider's
 * schema subset may refuse (Gemini's function declarations answer 400 to a keyword they lack), and
 * `additionalProperties: false` already says it is not taken.
 */
function offeredOnly(schema: Record<string, unknown>): Record<string, unknown> {
  const props = schema.properties as Record<string, unknown> | undefined;
  if (!props) return schema;
  const never = Object.keys(props).filter((k) => {
    const p = props[k] as { not?: unknown };
    return p && typeof p === 'object' && p.not && typeof p.not === 'object' && !Object.keys(p.not).length;
  });
  if (!never.length) return schema;
  return {
    ...schema,
    properties: Object.fromEntries(Object.entries(props).filter(([k]) => !never.includes(k))),
    ...(Array.isArray(schema.required) ? { required: schema.required.filter((k) => !never.includes(k)) } : {}),
  };
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
        jsonSchema: fieldsOf(schema)
          ? {
              input: once((o) => offeredOnly({ ...std.jsonSchema.input(o), additionalProperties: false })),
              output: once(std.jsonSchema.output),
            }
          : { input: once(std.jsonSchema.input), output: once(std.jsonSchema.output) },
      },
    };
    published.set(schema, p);
  }
  return p;
}

// an output schema as the SDK sees it: checked by the schema itself, listed from one conversion
const listed = new WeakMap<z.ZodType, object>();
function listedOnce(schema: z.ZodType): object {
  let l = listed.get(schema);
  if (!l) {
    const std = schema['~standard'];
    l = {
      '~standard': {
        version: std.version,
        vendor: std.vendor,
        validate: std.validate,
        jsonSchema: { input: once(std.jsonSchema.input), output: once(std.jsonSchema.output) },
      },
    };
    listed.set(schema, l);
  }
  return l;
}

/** The names in `args` that are none of `known` (a tool's fields, a prompt's arguments). */
function fieldsNotIn(args: unknown, known: string[] | null): string[] {
  return known && args && typeof args === 'object' ? Object.keys(args).filter((k) => !known.includes(k)) : [];
}

/**
 * A prompt's arguments read as a tool's do: a missing or malformed one named with its rule in the
 * hub's words ("idea: is required (string)", not zod's "expected string, received undefined"), and
 * one the prompt does not take named and refused rather than dropped (`grop` for `group` drafted
 * with no group at all). The SDK lists the arguments and completes them from the same schema; it
 * is handed one that lets every value through to this check. An argument that names nothing that
 * exists, or breaks a rule, is the client's error (-32602 with the hub's sentence), not an internal
 * one (-32603): for every prompt, here.
 */
function promptRefusalsAreInvalidParams(server: McpServer, hub: Hub): void {
  const register = server.registerPrompt.bind(server) as unknown as (
    name: string,
    config: { argsSchema?: unknown },
    cb: Callback,
  ) => unknown;
  const refusing = (name: string, config: { argsSchema?: z.ZodType }, cb: Callback) => {
    const schema = config.argsSchema;
    const known = schema ? fieldsOf(schema) : null;
    return register(name, schema ? { ...config, argsSchema: checkedHere(schema) } : config, async (args, ctx) => {
      try {
        if (!schema) return await cb(args, ctx);
        const extra = fieldsNotIn(args, known);
        if (extra.length) {
          const { named, rest } = keysNamed(extra);
          throw new InvalidInput(
            named.map((key, i) => ({
              field: fieldOf([key]),
              rule: `is not an argument of ${name}${i === 0 ? `; its arguments are ${known!.join(', ')}` : ''}${rest && i === named.length - 1 ? `; ${rest}` : ''}`,
            })),
          );
        }
        return await cb(parseInput(schema, args ?? {}), ctx);
      } catch (e) {
        // a group named as people say it ("Hosting WG") is told the slug meant (group-meant.ts)
        const meant = await groupMeantFor(hub, args, e);
        const also = meant ? `; ${meant}` : '';
        if (e instanceof InvalidInput)
          throw new ProtocolError(
            ProtocolErrorCode.InvalidParams,
            `Invalid arguments for prompt ${name}: ${e.message}${also}`,
          );
        if (e instanceof DomainError) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `${e.message}${also}`);
        throw e;
      }
    });
  };
  (server as unknown as { registerPrompt: typeof refusing }).registerPrompt = refusing;
}

/**
 * A tool's title said where each protocol version reads it: 2025-03-26 has no `title` on a tool,
 * only `annotations.title`, so a client of that version (the SDKs of early 2025, which many
 * assistants still ship) showed every tool by its bare name. Later versions read `title` first and
 * `annotations.title` after it, so both carry the same words. Installed before the community's
 * words (an inner wrapper), it is handed the title already in them.
 */
function titledForEveryEra(server: McpServer): void {
  const register = server.registerTool.bind(server) as unknown as (
    name: string,
    config: { title?: string; annotations?: object },
    cb: Callback,
  ) => unknown;
  const titled = (name: string, config: { title?: string; annotations?: object }, cb: Callback) =>
    register(
      name,
      config.title ? { ...config, annotations: { ...config.annotations, title: config.title } } : config,
      cb,
    );
  (server as unknown as { registerTool: typeof titled }).registerTool = titled;
}

/**
 * Tools, resources and prompts are described in the default community's words ("a proposal or
 * SEP"); a hub whose governance names its document route otherwise (its `shortName`, its title)
 * lists them in its own. Names, URIs and arguments stay as they are.
 */
function describedInCommunityWords(server: McpServer, hub: Hub): void {
  type Described = { title?: unknown; description?: unknown; inputSchema?: unknown };
  const reworded = (config: Described): Described => ({
    ...config,
    ...(config.inputSchema && !speaksDefaultWords(hub.governance)
      ? { inputSchema: argumentsInWords(config.inputSchema, hub) }
      : {}),
    ...(typeof config.title === 'string' ? { title: inCommunityWords(config.title, hub.governance) } : {}),
    ...(typeof config.description === 'string'
      ? { description: inCommunityWords(config.description, hub.governance) }
      : {}),
  });
  // where each registration takes its config: registerTool(name, config, cb), registerPrompt(name,
  // config, cb), registerResource(name, uri, config, cb)
  for (const [method, at] of [
    ['registerTool', 1],
    ['registerPrompt', 1],
    ['registerResource', 2],
  ] as const) {
    const target = server as unknown as Record<string, (...args: unknown[]) => unknown>;
    const register = target[method]!.bind(server);
    target[method] = (...args: unknown[]) =>
      register(...args.map((a, i) => (i === at && a && typeof a === 'object' ? reworded(a as Described) : a)));
  }
}

/**
 * A tool's arguments as the SDK lists them, each described in the community's words; checked as
 * before. Kept for each schema and governance, so a list converts them once, not once per request.
 */
const worded = new WeakMap<object, WeakMap<Governance, object>>();
function argumentsInWords(schema: unknown, hub: Hub): unknown {
  const std = (schema as { '~standard'?: { jsonSchema?: { input: JsonSchemaOf } } })['~standard'];
  if (!std?.jsonSchema) return schema;
  const byGovernance = worded.get(schema as object) ?? new WeakMap<Governance, object>();
  worded.set(schema as object, byGovernance);
  let out = byGovernance.get(hub.governance);
  if (!out) {
    const { jsonSchema } = std;
    const g = hub.governance;
    out = {
      ...(schema as object),
      '~standard': {
        ...std,
        jsonSchema: { ...jsonSchema, input: once((o) => schemaInCommunityWords(jsonSchema.input(o), g)) },
      },
    };
    byGovernance.set(g, out);
  }
  return out;
}

// a prompt's argument schema as the SDK sees it: listed and completed from its shape, every value let through
const passing = new WeakMap<z.ZodType, object>();
function checkedHere(schema: z.ZodType): object {
  let p = passing.get(schema);
  if (!p) {
    const std = schema['~standard'];
    p = {
      shape: schema instanceof z.ZodObject ? schema.shape : undefined,
      '~standard': {
        version: 1,
        vendor: 'wghub',
        validate: (value: unknown) => ({ value }),
        jsonSchema: { input: once(std.jsonSchema.input), output: once(std.jsonSchema.output) },
      },
    };
    passing.set(schema, p);
  }
  return p;
}
