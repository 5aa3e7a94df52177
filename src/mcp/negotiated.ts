// What the server answers, in the protocol version the client speaks. The SDK lists every tool with
// the fields of the newest revisions (outputSchema, title, icons, execution) and returns
// structuredContent from tools/call whatever version was negotiated, so a 2025-03-26 client, whose
// schema defines none of them, was sent them all: 231 KB of output schemas in a tools/list it cannot
// use, and every result twice (JSON text and structuredContent). Here each answer to a 2025-era
// request leaves out what its version does not define. The 2026-07-28 era is left as the SDK shapes it.
import {
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  PROTOCOL_VERSION_META_KEY,
  type JSONRPCMessage,
  type Transport,
} from '@modelcontextprotocol/server';

/** The revisions in order; a field is known from the one that added it on. */
const REVISIONS = ['2024-10-07', '2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25', '2026-07-28'];
const since = (version: string, added: string): boolean => {
  const v = REVISIONS.indexOf(version);
  // a version the hub does not know is answered as the SDK answers it
  return v === -1 || v >= REVISIONS.indexOf(added);
};

/** The fields of a listed tool, prompt or resource each revision added (MCP's schema.ts per revision). */
const TOOL_FIELDS: [string, string][] = [
  ['annotations', '2025-03-26'],
  ['title', '2025-06-18'],
  ['outputSchema', '2025-06-18'],
  ['_meta', '2025-06-18'],
  ['icons', '2025-11-25'],
  ['execution', '2025-11-25'],
];
const LISTED_FIELDS: [string, string][] = [
  ['title', '2025-06-18'],
  ['_meta', '2025-06-18'],
  ['icons', '2025-11-25'],
];
const IMPLEMENTATION_FIELDS: [string, string][] = [
  ['title', '2025-06-18'],
  ['icons', '2025-11-25'],
  ['websiteUrl', '2025-11-25'],
  ['description', '2025-11-25'],
];

function without(item: unknown, fields: [string, string][], version: string): unknown {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return item;
  const unknown = fields.filter(([, added]) => !since(version, added)).map(([f]) => f);
  if (!unknown.some((f) => f in item)) return item;
  return Object.fromEntries(Object.entries(item).filter(([k]) => !unknown.includes(k)));
}

const eachIn = (result: Record<string, unknown>, key: string, fields: [string, string][], version: string) =>
  Array.isArray(result[key]) ? { ...result, [key]: result[key].map((i) => without(i, fields, version)) } : result;

/** A result for `method` as `version` defines it. */
export function inVersion(method: string, result: Record<string, unknown>, version: string): Record<string, unknown> {
  switch (method) {
    case 'initialize':
      return result.serverInfo
        ? { ...result, serverInfo: without(result.serverInfo, IMPLEMENTATION_FIELDS, version) }
        : result;
    case 'tools/list':
      return eachIn(result, 'tools', TOOL_FIELDS, version);
    case 'tools/call':
      // the same value is in the text content, JSON, where such a client reads it
      if (since(version, '2025-06-18') || !('structuredContent' in result)) return result;
      return Object.fromEntries(Object.entries(result).filter(([k]) => k !== 'structuredContent'));
    case 'prompts/list':
      return eachIn(result, 'prompts', LISTED_FIELDS, version);
    case 'resources/list':
      return eachIn(result, 'resources', LISTED_FIELDS, version);
    case 'resources/templates/list':
      return eachIn(result, 'resourceTemplates', LISTED_FIELDS, version);
    default:
      return result;
  }
}

/** The revision a request claims in its `_meta` envelope, if any. */
function metaVersion(params: unknown): string | undefined {
  const meta = params && typeof params === 'object' ? (params as { _meta?: unknown })._meta : undefined;
  const v = meta && typeof meta === 'object' ? (meta as Record<string, unknown>)[PROTOCOL_VERSION_META_KEY] : undefined;
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/**
 * Answers each request on this transport in its protocol version: the one its `_meta` envelope claims
 * (the 2026-07-28 era, whose MCP-Protocol-Version header may be left out), else over HTTP the one its
 * `MCP-Protocol-Version` header names (2025-03-26 when it names none, as the spec says), over stdio
 * the one `initialize` agreed (`negotiated`); an `initialize` itself in the version it answers with.
 */
export function answeredInNegotiatedVersion(transport: Transport, negotiated: () => string | undefined): void {
  const deliver = transport.onmessage;
  if (!deliver) return;
  const send = transport.send.bind(transport);
  const asked = new Map<string | number, { method: string; version: string | undefined }>();
  transport.onmessage = (message: JSONRPCMessage, extra) => {
    if (isJSONRPCRequest(message)) {
      const request = (extra as { request?: Request } | undefined)?.request;
      const header = request?.headers.get('mcp-protocol-version')?.trim();
      // a 2026-07-28-era request names its revision in its own _meta envelope, and may leave the header
      // out: answered as 2025-03-26, it lost its output schemas, titles and structuredContent
      const claimed = metaVersion(message.params);
      const version = request ? claimed || header || '2025-03-26' : claimed || negotiated();
      asked.set(message.id, { method: message.method, version });
    }
    return deliver(message, extra);
  };
  transport.send = (message, options) => {
    if (isJSONRPCResultResponse(message) && asked.has(message.id)) {
      const { method, version } = asked.get(message.id)!;
      asked.delete(message.id);
      const answered =
        method === 'initialize' ? (message.result as { protocolVersion?: unknown }).protocolVersion : version;
      if (typeof answered === 'string' && !since(answered, '2026-07-28'))
        return send({ ...message, result: inVersion(method, message.result, answered) }, options);
    } else if (
      message &&
      typeof message === 'object' &&
      'id' in message &&
      (message.id === null || typeof message.id !== 'object')
    )
      asked.delete(message.id as string | number);
    return send(message, options);
  };
}
