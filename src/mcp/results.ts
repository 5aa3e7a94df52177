import { AsyncLocalStorage } from 'node:async_hooks';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { DomainError, Unauthenticated } from '../domain/errors.ts';
import { describeFailure } from '../domain/failure.ts';
import { DATA_EXCEPTION, isDataException } from '../store/errors.ts';
import type { Actor, Hub } from '../app/core/hub.ts';
import type { PermissionName } from '../domain/governance/schema.ts';
import { WORDING, whoMay } from '../domain/policies/index.ts';

/** A successful tool answer: the structured value, and the same as text for clients that only read text. */
export function ok(value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
}

/**
 * A tool answer whose heart is a document (a charter, a drafted description): its markdown as the
 * first text, to read or edit as it is, and everything else the structured value holds as JSON in a
 * second, so a client that hands its model only `content` (a 2025-03-26 one, and opencode, Open
 * WebUI or LangChain's adapters today) still sees what the next call needs: get_charter's
 * `group.version`, which edit_charter asks for, its `can` and topic areas; draft_pull_request's
 * `gaps`. The text was the markdown alone, and they were lost to such a client.
 */
export function okDocument(value: Record<string, unknown> & { markdown: string }): CallToolResult {
  const { markdown, ...rest } = value;
  return {
    content: [
      { type: 'text', text: markdown },
      { type: 'text', text: JSON.stringify(rest) },
    ],
    structuredContent: value,
  };
}

/**
 * The one place typed domain errors become MCP tool errors. A tool error (isError) reaches the
 * model, which can correct itself; a protocol error would not. Unknown failures are logged and
 * reported without internals.
 */
export function toolError(e: unknown): CallToolResult {
  if (e instanceof DomainError) {
    const f = describeFailure(e);
    // one problem is said once, in the first line; several are counted there and listed below it.
    // The first line joined them all and the list repeated each ("group: must be at most 64
    // characters" twice for one mistake, attack round 30)
    const several = f.issues && f.issues.length > 1 ? f.issues : null;
    const lines = [`${f.kind.replace(/_/g, ' ')}: ${several ? `${several.length} problems:` : f.detail}`];
    if (several) lines.push(...several.map((i) => `  - ${i.field}: ${i.rule}`));
    // the use case speaks of "the version you last read" for every edge; here it is the argument
    // `version` (each tool that checks one calls it so), named as a field is
    const version = versionIssue(e);
    if (version) lines.push(`  - version: ${version}`);
    lines.push(f.remedy);
    return { isError: true, content: [{ type: 'text', text: lines.join('\n') }] };
  }
  if (isDataException(e))
    return {
      isError: true,
      content: [{ type: 'text', text: `invalid input: ${DATA_EXCEPTION}. Fix the arguments and call the tool again.` }],
    };
  console.error('wghub mcp: tool failed:', e);
  return {
    isError: true,
    content: [
      {
        type: 'text',
        text: 'internal error: the hub failed to carry this out; the error is in its log. Try again later.',
      },
    ],
  };
}

/**
 * Whether the tool call running sent a `version` argument (set around each tool's handler by the
 * server, `versionSentTo`); unknown (undefined) outside a tool call.
 */
const call = new AsyncLocalStorage<{ versionSent: boolean }>();

/** Runs a tool's handler knowing whether its arguments carried a `version`. */
export function withVersionSent<T>(args: unknown, run: () => T): T {
  const sent = typeof args === 'object' && args !== null && (args as { version?: unknown }).version !== undefined;
  return call.run({ versionSent: sent }, run);
}

/** What a missing or stale version asks of the `version` argument; null for any other failure. */
function versionIssue(e: DomainError): string | null {
  if (e.kind === 'precondition_required') return 'needed: the version you last read (the item as read shows it)';
  const now = e.details.currentVersion;
  if (e.kind === 'conflict' && typeof now === 'number')
    // a call that sent no version met the hub's own check of the version it read itself (two
    // sponsors at once): nothing it sent is stale, and the same call again is the remedy
    return call.getStore()?.versionSent === false
      ? `changed meanwhile: another change made it version ${now} while this call was carried out, and nothing of this one was stored; call the tool again`
      : `stale: it is now ${now}; read the item again, reapply your change and send that version`;
  return null;
}

/** Runs a tool body, turning typed failures into tool errors that say what to fix. */
export async function attempt(fn: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await fn();
  } catch (e) {
    return toolError(e);
  }
}

/** Who is calling: a person (token or --as), or nobody on an endpoint that allows anonymous reads. */
export type McpCaller = {
  actor: Actor | null;
  /** The hub's address as this caller reaches it, for links in what a tool answers; null or absent: none known. */
  origin?: string | null;
  /**
   * Spends one of the caller's budgets (writes, searches, probes) for a tool call, counted with its
   * token's REST requests; the HTTP edge gives one for a caller with a token. Over stdio a person
   * runs their own process, and the hub's rate limits are not theirs to meet.
   */
  spend?: (budget: 'writes' | 'searches' | 'probes') => Promise<{ rule: string; retryAfter: number } | (() => void)>;
  /**
   * Who sent the request, as a `notifications/cancelled` from them is matched to the requests they
   * have running (their token, or with none their address); over HTTP only, where each request has
   * a server of its own (cancel.ts). Over stdio one server hears both, and the SDK matches them.
   */
  sender?: string;
};

export function requireCaller(c: McpCaller, what: string): Actor {
  if (!c.actor) throw new Unauthenticated(`${what} acts as a person, and this connection has no API token`);
  return c.actor;
}

/**
 * Who may use a tool, in the governance file's words, for the end of its description: an assistant
 * knows before calling, and the description never states a rule the file has since changed.
 */
export function whoMayUse(hub: Hub, permission: PermissionName): string {
  return `Who may: ${whoMay(hub.governance, hub.governance.permissions[permission], WORDING[permission])}.`;
}

/** What a tool does, for the client (MCP's annotation hints), named once for every tool module. */
export const READ = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;
/** A write that has the same effect when repeated (set, edit, move, mark). */
export const UPDATE = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
} as const;
/**
 * A write that replaces what was there, and so may take something away: a lead set back to
 * observer, an attendance or facilitator list that leaves someone out, notes written over. MCP's
 * destructiveHint false promises only additive updates, so a client would run these unasked.
 */
export const REPLACE = { ...UPDATE, destructiveHint: true } as const;
/** A write that adds something each time it is made. */
export const ADD = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: false,
} as const;
