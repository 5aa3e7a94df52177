// A request naming a tool, a prompt or a resource this server does not have is the client's error,
// answered -32602 here, before the SDK: the SDK's own answer echoed the name whole ("Tool … not
// found"), so a 500,000-character name came back whole, bidirectional controls and all, into the
// client's log and an assistant's context (attack round 18). What is echoed is the first
// NAME_SHOWN characters with every character outside printable ASCII as its escape (the names and
// addresses the hub has are ASCII), and the answer says which list names what there is.
import type { JSONRPCRequest, ResourceTemplate } from '@modelcontextprotocol/server';
import { LIMITS } from '../domain/limits.ts';
import { characterCount, firstCharacters } from '../domain/text.ts';

// JSON-RPC's invalid params, as the SDK answers an unknown name (http.ts loads this module before the SDK)
const INVALID_PARAMS = -32602;

/** Characters of an unknown name or address shown back. */
export const NAME_SHOWN = 64;

/** What a server has: tools and prompts by name, resources by address and template. */
export class KnownNames {
  readonly tools = new Set<string>();
  readonly prompts = new Set<string>();
  readonly resources = new Set<string>();
  readonly templates: ResourceTemplate[] = [];
  /** Each prompt's arguments, by name, as its argument schema has them. */
  readonly promptArguments = new Map<string, string[]>();

  /** Whether a resources/read of `uri` reaches a resource, as the SDK looks it up (the URL's own spelling). */
  hasResource(uri: URL): boolean {
    const href = uri.toString();
    return this.resources.has(href) || this.templates.some((t) => t.uriTemplate.match(href) !== null);
  }
}

/**
 * A name as it is shown back: its first NAME_SHOWN characters, each outside printable ASCII as its
 * escape (a control, a bidirectional override, a directional mark: none can reorder or hide the
 * sentence around it), in quotes, with how many characters it had when it was cut.
 */
export function shownName(name: string): string {
  const cut = firstCharacters(name, NAME_SHOWN);
  const escaped = [...cut]
    .map((ch) => {
      const cp = ch.codePointAt(0)!;
      if (cp >= 0x20 && cp <= 0x7e && ch !== '"' && ch !== '\\') return ch;
      if (ch === '"' || ch === '\\') return `\\${ch}`;
      return cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, '0')}`;
    })
    .join('');
  return cut === name ? `"${escaped}"` : `"${escaped}…" (${characterCount(name).toLocaleString('en')} characters)`;
}

export type Refusal = { code: number; message: string; data?: { uri: string } };

const unknownTool = (name: string): Refusal => ({
  code: INVALID_PARAMS,
  message: `unknown tool ${shownName(name)}: this server has no tool of that name; tools/list names the tools it has`,
});
const unknownPrompt = (name: string): Refusal => ({
  code: INVALID_PARAMS,
  message: `unknown prompt ${shownName(name)}: this server has no prompt of that name; prompts/list names the prompts it has`,
});

/** A resource's address: at most LIMITS.param characters, a URL, one of the server's. */
function resourceRefusal(uri: string, known: KnownNames, field: string): Refusal | null {
  const length = characterCount(uri);
  if (length > LIMITS.param)
    return {
      code: INVALID_PARAMS,
      message: `${field}: must be at most ${LIMITS.param} characters (it has ${length.toLocaleString('en')}); no resource's address is longer`,
    };
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return {
      code: INVALID_PARAMS,
      message: `${field}: must be an absolute URI such as wghub://governance; ${shownName(uri)} is not one`,
    };
  }
  if (known.hasResource(url)) return null;
  const shown = shownName(uri);
  return {
    code: INVALID_PARAMS,
    message: `unknown resource ${shown}: this server has no resource at that address; resources/list and resources/templates/list name the resources it has`,
    // the SDK's client reads an answer carrying the address as "resource not found": sent when it is the address as sent
    ...(shown === `"${uri}"` ? { data: { uri } } : {}),
  };
}

/**
 * A completion of an argument the prompt or template does not take: answered -32602 naming the
 * arguments it takes, where the SDK answered an empty list, as if nothing began so (a client's typo,
 * `grop` for `group`, looked like a group no one had).
 */
function unknownArgument(argument: string, of: string, takes: readonly string[], list: string): Refusal | null {
  if (takes.includes(argument)) return null;
  const names = takes.map((a) => `"${a}"`);
  const which = !names.length
    ? 'it takes none'
    : names.length === 1
      ? `it takes ${names[0]}`
      : `it takes ${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return {
    code: INVALID_PARAMS,
    message: `argument.name: ${shownName(argument)} is no argument of ${of}: ${which} (${list} names them)`,
  };
}

/** The longest name a tool or prompt may have (MCP's bound on a tool's name). */
const NAME_MAX = 128;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * The refusal for a request whose tool or prompt name, or resource address, no server of the hub
 * has, whatever it registered: longer than a name or address may be, or holding a character outside
 * printable ASCII (the hub's names and addresses are ASCII). Asked where a request comes in over
 * HTTP in the 2026-07-28 era, before the SDK compares the name with the Mcp-Name header and, when
 * they disagree, echoes the body's name whole (twice); null for any other request.
 */
export function noSuchNameAnywhere(message: unknown): Refusal | null {
  if (!message || typeof message !== 'object' || Array.isArray(message)) return null;
  const { method, params } = message as { method?: unknown; params?: unknown };
  if (!params || typeof params !== 'object') return null;
  const { name, uri } = params as { name?: unknown; uri?: unknown };
  const impossible = (value: unknown, max: number) =>
    typeof value === 'string' && (characterCount(value) > max || !PRINTABLE_ASCII.test(value));
  if (
    ((method === 'tools/call' || method === 'prompts/get') && impossible(name, NAME_MAX)) ||
    (method === 'resources/read' && impossible(uri, LIMITS.param))
  )
    return unknownNameRefusal({ method, params: params as Record<string, unknown> }, new KnownNames());
  return null;
}

/** The refusal for a request naming what the server does not have, or null (left to the server). */
export function unknownNameRefusal(
  request: Pick<JSONRPCRequest, 'method' | 'params'>,
  known: KnownNames,
): Refusal | null {
  // params.ts has checked each request's params against its schema first: the names are strings
  const params = (request.params ?? {}) as Record<string, unknown>;
  switch (request.method) {
    case 'tools/call':
      return known.tools.has(String(params.name)) ? null : unknownTool(String(params.name));
    case 'prompts/get':
      return known.prompts.has(String(params.name)) ? null : unknownPrompt(String(params.name));
    case 'resources/read':
      return resourceRefusal(String(params.uri), known, 'uri');
    case 'completion/complete': {
      const ref = params.ref as { type: string; name?: string; uri?: string };
      const argument = String((params.argument as { name?: unknown } | undefined)?.name);
      if (ref.type === 'ref/prompt') {
        const name = String(ref.name);
        if (!known.prompts.has(name)) return unknownPrompt(name);
        return unknownArgument(argument, `the prompt "${name}"`, known.promptArguments.get(name) ?? [], 'prompts/list');
      }
      // a template's own address ({slug} and all) is what a completion names
      if (ref.type === 'ref/resource') {
        const uri = String(ref.uri);
        const template = known.templates.find((t) => t.uriTemplate.toString() === uri);
        if (!template && !known.resources.has(uri))
          return {
            code: INVALID_PARAMS,
            message: `unknown resource template ${shownName(uri)}: this server has no template of that address; resources/templates/list names the templates it has`,
          };
        // a fixed resource (wghub://governance) is read as it is: it takes no argument to complete
        if (!template)
          return {
            code: INVALID_PARAMS,
            message: `argument.name: ${shownName(argument)} is no argument of the resource "${uri}": a resource that is no template takes no arguments (resources/templates/list names those that do)`,
          };
        return unknownArgument(
          argument,
          `the resource template "${uri}"`,
          template.uriTemplate.variableNames,
          'resources/templates/list',
        );
      }
      return null;
    }
    default:
      return null;
  }
}
