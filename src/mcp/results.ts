import type { CallToolResult } from '@modelcontextprotocol/server';
import { DomainError, InvalidInput, Unauthenticated } from '../domain/errors.ts';
import type { Actor } from '../app/core/hub.ts';

/** A successful tool answer: the structured value, and the same as text for clients that only read text. */
export function ok(value: Record<string, unknown>, text?: string): CallToolResult {
  return { content: [{ type: 'text', text: text ?? JSON.stringify(value) }], structuredContent: value };
}

// What to do next, per kind of failure: the message says what is wrong, this says how to fix it.
const NEXT: Record<DomainError['kind'], string> = {
  invalid_input: 'Fix the named fields and call the tool again.',
  not_found: 'Check the reference: list_proposals, search or the wghub:// resources show what exists.',
  forbidden: 'This needs another role or group level; ask a group lead or a moderator, or act as someone who holds it.',
  unauthenticated:
    'Connect with an API token (`wghub token create --person HANDLE`, sent as "Authorization: Bearer TOKEN"), or run `wghub mcp --as HANDLE`.',
  conflict: 'Read the item again, reapply your change and call the tool again.',
  gate_failed: 'Provide what the failing conditions ask for (check_gates lists them), then try the move again.',
  precondition_required: 'Read the item first and pass the version you read.',
};

/**
 * The one place typed domain errors become MCP tool errors. A tool error (isError) reaches the
 * model, which can correct itself; a protocol error would not. Unknown failures are logged and
 * reported without internals.
 */
export function toolError(e: unknown): CallToolResult {
  if (e instanceof DomainError) {
    const lines = [`${e.kind.replace(/_/g, ' ')}: ${e.message}`];
    if (e instanceof InvalidInput) lines.push(...e.issues.map((i) => `  - ${i.field}: ${i.rule}`));
    lines.push(NEXT[e.kind]);
    return { isError: true, content: [{ type: 'text', text: lines.join('\n') }] };
  }
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

/** Runs a tool body, turning typed failures into tool errors that say what to fix. */
export async function attempt(fn: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await fn();
  } catch (e) {
    return toolError(e);
  }
}

/** Who is calling: a person (token or --as), or nobody on an endpoint that allows anonymous reads. */
export type McpCaller = { actor: Actor | null };

export function requireCaller(c: McpCaller, what: string): Actor {
  if (!c.actor) throw new Unauthenticated(`${what} acts as a person, and this connection has no API token`);
  return c.actor;
}
