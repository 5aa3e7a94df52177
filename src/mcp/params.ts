// Protocol requests whose params break the MCP schema (a number for resources/read's uri, no name
// for prompts/get, an array for tools/call's arguments), or send back a cursor a one-page list never
// issued, are the client's error: JSON-RPC -32602
// with each param and its rule in the hub's words ("uri: must be a string"). The SDK checks them
// itself, but answers most with -32603 (internal error) and a dump of zod's issues. The hub checks
// them first, against the SDK's own request schemas, where a message leaves the transport, so
// Streamable HTTP and stdio answer alike; a request that fits goes on to the SDK untouched.
import {
  isJSONRPCRequest,
  type JSONRPCMessage,
  type JSONRPCRequest,
  ProtocolErrorCode,
  type ProtocolEra,
  specTypeSchemas,
  type Transport,
} from '@modelcontextprotocol/server';
import type { z } from 'zod';
import { InvalidInput } from '../domain/errors.ts';
import { LIMITS } from '../domain/limits.ts';
import { characterCount } from '../domain/text.ts';
import { fieldOf, ruleOf } from '../domain/rule-wording.ts';
import { type KnownNames, type Refusal, unknownNameRefusal } from './unknown-names.ts';

/** The requests wghub's server answers, with the SDK's schema for each. */
const REQUESTS: Record<string, (typeof specTypeSchemas)[keyof typeof specTypeSchemas]> = {
  initialize: specTypeSchemas.InitializeRequest,
  ping: specTypeSchemas.PingRequest,
  'tools/list': specTypeSchemas.ListToolsRequest,
  'tools/call': specTypeSchemas.CallToolRequest,
  'resources/list': specTypeSchemas.ListResourcesRequest,
  'resources/templates/list': specTypeSchemas.ListResourceTemplatesRequest,
  'resources/read': specTypeSchemas.ReadResourceRequest,
  'prompts/list': specTypeSchemas.ListPromptsRequest,
  'prompts/get': specTypeSchemas.GetPromptRequest,
  'completion/complete': specTypeSchemas.CompleteRequest,
  'logging/setLevel': specTypeSchemas.SetLevelRequest,
};
/**
 * Lists the SDK answers on one page, ignoring any cursor: one sent back names no page of theirs
 * (a stale or made-up one), so it is refused as resources/list refuses a cursor it did not issue,
 * rather than answered with the first page again as if it were the next.
 */
const ONE_PAGE = new Set(['tools/list', 'prompts/list', 'resources/templates/list']);
/** Requests the 2026-07-28 era no longer has: the SDK answers them there with -32601 (method not found). */
const LEGACY_ONLY = new Set(['initialize', 'ping', 'logging/setLevel']);

type Issue = z.core.$ZodIssue;

/** The one-line refusal for a request whose params break its schema, or null when they fit. */
export function paramsRefusal(
  request: Pick<JSONRPCRequest, 'method' | 'params'>,
  era: ProtocolEra | undefined,
): string | null {
  // own keys only: a method named toString or constructor is none of these, left to the SDK (-32601)
  const schema = Object.hasOwn(REQUESTS, request.method) ? REQUESTS[request.method] : undefined;
  if (!schema || (era === 'modern' && LEGACY_ONLY.has(request.method))) return null;
  const checked = schema['~standard'].validate({ method: request.method, params: request.params });
  if (!checked.issues && request.method === 'initialize') return clientInfoRefusal(request.params);
  if (!checked.issues)
    // an empty cursor, as some clients send for the first page, is none (resources/list takes it so too)
    return ONE_PAGE.has(request.method) && request.params?.cursor !== undefined && request.params.cursor !== ''
      ? new InvalidInput([
          {
            field: 'cursor',
            rule: `must be the nextCursor of a previous ${request.method}, and ${request.method} answers on one page, with none`,
          },
        ]).message
      : null;
  // the SDK's schemas are zod's: their issues are zod issues
  return new InvalidInput((checked.issues as readonly Issue[]).flatMap((i) => described(i, []))).message;
}

/**
 * An initialize whose clientInfo names the client at a length no client is named (500 KB was taken,
 * kept with the session and written to the log): each of name, title and version is bounded.
 */
function clientInfoRefusal(params: JSONRPCRequest['params']): string | null {
  const info = (params as { clientInfo?: Record<string, unknown> } | undefined)?.clientInfo ?? {};
  const issues = (['name', 'title', 'version'] as const).flatMap((key) => {
    const value = info[key];
    return typeof value === 'string' && characterCount(value) > LIMITS.mcpClientInfoChars
      ? [{ field: `clientInfo.${key}`, rule: `must be at most ${LIMITS.mcpClientInfoChars} characters` }]
      : [];
  });
  return issues.length ? new InvalidInput(issues).message : null;
}

/** A field's name as the client wrote it: the path below params (`ref.type`, `arguments.idea`). */
const paramOf = (path: readonly PropertyKey[]): string =>
  fieldOf(path[0] === 'params' ? path.slice(1) : path, 'params');

function described(
  issue: Issue,
  at: readonly PropertyKey[],
  named: (path: readonly PropertyKey[]) => string = paramOf,
): { field: string; rule: string }[] {
  const path = [...at, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length) {
    // a field every branch refuses for its value is the one that decides (ref.type: ref/prompt or
    // ref/resource); otherwise the branch the params came closest to says what is missing
    const branches = issue.errors;
    // a value of the wrong type for a field of several ("a string or a number"): each form named
    if (branches.every((b) => b.length === 1 && b[0]!.path.length === 0 && b[0]!.code === 'invalid_type'))
      return [{ field: named(path), rule: ruleOf(issue) }];
    const key = (i: Issue) => i.path.join('.');
    const deciding = branches[0]!.filter(
      (i) =>
        i.code === 'invalid_value' &&
        branches.every((b) => b.some((j) => j.code === 'invalid_value' && key(j) === key(i))),
    );
    if (deciding.length) {
      const values = branches.flatMap((b) =>
        b.flatMap((j) => (j.code === 'invalid_value' && key(j) === key(deciding[0]!) ? j.values : [])),
      );
      return [
        { field: named([...path, ...deciding[0]!.path]), rule: `must be one of: ${values.map(String).join(', ')}` },
      ];
    }
    const closest = branches.reduce((a, b) => (b.length < a.length ? b : a));
    return closest.flatMap((i) => described(i, path, named));
  }
  if (issue.code === 'invalid_type' && issue.expected === 'record')
    return [{ field: named(path), rule: 'must be an object' }];
  return [{ field: named(path), rule: ruleOf(issue) }];
}

// JSON numbers are read as doubles: an id past 2^53 - 1 is read as another number (9007199254740993 as
// ...992), which the SDK refuses and which, echoed, would name another request of the client's
// (attack round 21: the rule said "a whole number" of one that was)
const ID_RULE =
  'must be a string or a whole number from -9007199254740991 to 9007199254740991 (send a larger one as a string; MCP takes no null id)';
const ID_TOO_LONG = `must be at most ${LIMITS.mcpIdChars} characters when a string (each answer echoes it)`;
const TOKEN_TOO_LONG = `must be at most ${LIMITS.mcpIdChars} characters when a string (each progress notification echoes it)`;

/**
 * A request's id as an answer may echo it: a string within its bound or a whole number JSON reads
 * exactly; anything else (an id past its bound, 1.5, past 2^53 - 1) is answered with id null.
 */
export function echoableId(id: unknown): string | number | null {
  if (typeof id === 'string') return characterCount(id) <= LIMITS.mcpIdChars ? id : null;
  return typeof id === 'number' && Number.isSafeInteger(id) ? id : null;
}
const NO_MESSAGE =
  'must be a JSON-RPC 2.0 message: an object with "jsonrpc": "2.0" and a "method" (with an "id" for a request)';

/** Whether a message's `params._meta.progressToken` is a string past LIMITS.mcpIdChars (every progress notification echoes it). */
export function progressTokenTooLong(message: unknown): boolean {
  const token = (message as { params?: { _meta?: { progressToken?: unknown } } } | null)?.params?._meta?.progressToken;
  return typeof token === 'string' && characterCount(token) > LIMITS.mcpIdChars;
}

/**
 * Why a body is no JSON-RPC message, naming the part and its rule ("params._meta.progressToken: must
 * be a string or a number", "[1].jsonrpc: must be one of: 2.0"), or null when every message is one or
 * is a response (the SDK takes those). The SDK answered each such body "the request body is not a
 * valid JSON-RPC message", naming nothing (attack round 19): params sent as an array, a progress
 * token that was an object, an id of 1.5 or null. A message with an id is read as a request, one
 * without as a notification, each against the SDK's own schema, so what fits goes on untouched.
 */
export function messageRefusal(body: unknown): string | null {
  const messages = Array.isArray(body) ? body : [body];
  for (const [i, message] of messages.entries()) {
    const at = Array.isArray(body) ? [i] : [];
    const where = (path: readonly PropertyKey[]) => fieldOf([...at, ...path], '(message)');
    if (message === null || typeof message !== 'object' || Array.isArray(message)) return `${where([])}: ${NO_MESSAGE}`;
    if ('result' in message || 'error' in message) continue;
    const request = 'id' in message;
    if (request && typeof message.id === 'string' && characterCount(message.id) > LIMITS.mcpIdChars)
      return `${where(['id'])}: ${ID_TOO_LONG}`;
    // a progress token is echoed in every progress notification, as an id in every answer (attack
    // round 29: a token of 900 KB made a prior-work check's answer 3.6 MB)
    if (progressTokenTooLong(message)) return `${where(['params', '_meta', 'progressToken'])}: ${TOKEN_TOO_LONG}`;
    const schema = request ? specTypeSchemas.JSONRPCRequest : specTypeSchemas.JSONRPCNotification;
    const checked = schema['~standard'].validate(message);
    if (!checked.issues) continue;
    const parts = (checked.issues as readonly Issue[]).flatMap((issue) =>
      request && issue.path.length === 1 && issue.path[0] === 'id'
        ? [{ field: where(['id']), rule: ID_RULE }]
        : described(issue, [], where),
    );
    return parts.map((p) => `${p.field}: ${p.rule}`).join('; ');
  }
  return null;
}

/**
 * Why a batch's requests may not be read together: two of them share an id, or null. A response is
 * matched to its request by id, so the SDK's HTTP transport kept one answer per id and the other
 * request went unanswered (its work done all the same): a batch of `ping` and `tools/list` both
 * numbered 1 was answered `[{"result":{},"id":1}]`, and a client waited for the list for ever.
 * 2025-03-26 says an id "MUST NOT have been previously used by the requestor within the same
 * session"; the batch is refused whole, before any of it runs, naming both places. 1 and "1" are
 * two ids (JSON-RPC keeps their types apart).
 */
export function batchIdReused(body: unknown): string | null {
  if (!Array.isArray(body)) return null;
  const seen = new Map<string, number>();
  for (const [i, m] of body.entries()) {
    if (m === null || typeof m !== 'object' || typeof (m as { method?: unknown }).method !== 'string') continue;
    const id = (m as { id?: unknown }).id;
    if (typeof id !== 'string' && typeof id !== 'number') continue;
    const key = `${typeof id}:${id}`;
    const first = seen.get(key);
    if (first !== undefined)
      return `${fieldOf([i, 'id'])}: is the id of ${fieldOf([first])} too; each request of a batch needs an id of its own, as each answer is matched to its request by id (nothing in the batch was done)`;
    seen.set(key, i);
  }
  return null;
}

/** The protocol revision that removed JSON-RPC batches (its changelog): 2025-03-26 and older read them. */
export const BATCHES_REMOVED_IN = '2025-06-18';

/**
 * Why a JSON-RPC batch may not be read at the protocol revision a client speaks, or null when that
 * revision reads batches. From 2025-06-18 a message is sent alone ("the body of the POST request MUST
 * be a single JSON-RPC request, notification, or response"); the hub read a batch whatever revision
 * the client had negotiated, so a client held to that revision was answered as no such server is.
 * `each` says how to send them instead on the transport at hand.
 */
export function batchesRemoved(version: string, each: string): string | null {
  if (version < BATCHES_REMOVED_IN) return null;
  return `Invalid Request: JSON-RPC batches were removed in MCP ${BATCHES_REMOVED_IN}, and this connection speaks ${version}: send each message ${each} (a batch is read at 2025-03-26 and older)`;
}

/**
 * Answers a request whose params break its schema, or that names a tool, prompt or resource the
 * server does not have (unknown-names.ts), with -32602 on the transport, and passes every other
 * message on to the server. Called once the server is connected (connecting sets onmessage).
 */
export function refuseMalformedParams(transport: Transport, era: ProtocolEra | undefined, known: KnownNames): void {
  const deliver = transport.onmessage;
  if (!deliver) return;
  transport.onmessage = (sent: JSONRPCMessage, extra) => {
    const message = withoutNullCursor(sent);
    const refusal = isJSONRPCRequest(message) ? refusalOf(message, era, known) : null;
    if (refusal === null || !isJSONRPCRequest(message)) return deliver(message, extra);
    // answered after this delivery returns, as the SDK answers from a handler
    void Promise.resolve()
      .then(() =>
        transport.send({
          jsonrpc: '2.0',
          id: message.id,
          error: refusal,
        }),
      )
      .catch((e: unknown) => transport.onerror?.(e instanceof Error ? e : new Error(String(e))));
  };
}

/**
 * A message's `"params": null` is params omitted. JSON-RPC 2.0 says params "MAY be omitted" and, when
 * present, is structured; the SDK's schema takes an object or nothing, so `null` was refused "params: must
 * be an object" (-32600) and a client that writes an absent field as null (an Emacs client's `nil`, Python
 * models dumped with their `None`s, as some SDKs' clients once sent every parameterless request) could list
 * nothing. Robust servers read it as omitted (the Kotlin SDK does since 2025); so does the hub, on both
 * transports. Any other value that is not an object is still refused, naming params. Undefined when no
 * message of the body sends `"params": null`, so the text the client sent goes on untouched.
 */
export function nullParamsOmitted(body: unknown): unknown {
  const omitted = (m: unknown) => {
    if (m === null || typeof m !== 'object' || Array.isArray(m) || !('params' in m) || m.params !== null) return m;
    const { params: _none, ...rest } = m as Record<string, unknown>;
    return rest;
  };
  if (Array.isArray(body)) {
    const each = body.map(omitted);
    return each.some((m, i) => m !== body[i]) ? each : undefined;
  }
  const one = omitted(body);
  return one !== body ? one : undefined;
}

/** The list requests, which take a cursor. */
const LISTS = new Set([...ONE_PAGE, 'resources/list']);
/**
 * A list request's `"cursor": null` is no cursor, the first page, as an empty one is: clients whose JSON
 * writes an absent optional field as null (Rust structs with an `Option` not skipped when `None`, Python
 * models dumped with their `None`s) send it for the first page, and were refused `cursor: must be a string`,
 * so they could list nothing. Any other value that is not a string is still refused.
 */
function withoutNullCursor(message: JSONRPCMessage): JSONRPCMessage {
  if (!isJSONRPCRequest(message) || !LISTS.has(message.method) || message.params?.cursor !== null) return message;
  const { cursor: _none, ...params } = message.params;
  return { ...message, params };
}

/** The notifications a client sends (the spec's ClientNotification), each a message without an id. */
const CLIENT_NOTIFICATIONS = new Set([
  'notifications/initialized',
  'notifications/cancelled',
  'notifications/progress',
  'notifications/roots/list_changed',
]);

function refusalOf(request: JSONRPCRequest, era: ProtocolEra | undefined, known: KnownNames): Refusal | null {
  // a notification sent with an id (a hand-written client's `notifications/initialized`) waits for an
  // answer no notification has: it was told "Method not found" of a method the spec names
  if (CLIENT_NOTIFICATIONS.has(request.method))
    return {
      code: ProtocolErrorCode.MethodNotFound,
      message: `Method not found: ${request.method} is a notification, not a request; send it without an "id" (a notification is answered by nothing, over HTTP by 202 with no body)`,
    };
  const malformed = paramsRefusal(request, era);
  return malformed === null
    ? unknownNameRefusal(request, known)
    : { code: ProtocolErrorCode.InvalidParams, message: malformed };
}
