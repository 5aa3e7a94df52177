// Checks every request passes before any edge (REST, web, MCP) sees it, and the one shape their
// refusals take (RFC 9457 problem details).
import { decodeComponent } from '../domain/text.ts';

export function problemResponse(
  status: number,
  type: string,
  title: string,
  detail: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify({ type: `urn:wghub:problem:${type}`, title, status, detail }), {
    status,
    headers: { 'Content-Type': 'application/problem+json', ...headers },
  });
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const MAY_HIDE_CONTROL = /[%\u0000-\u001f\u007f]/;

/** Why a request's path or query cannot be right (a control character, a broken escape), or null. */
export function controlCharacterInRequest(url: string): string | null {
  // with no escape and no control character in it, nothing below can find one (the URL parser only
  // adds escapes of other characters): most requests, spared parsing their URL again
  if (!MAY_HIDE_CONTROL.test(url)) return null;
  const u = new URL(url);
  const path = decodeComponent(u.pathname);
  if (path === null) return 'the path has a malformed %-escape';
  if (CONTROL.test(path)) return 'the path must not contain control characters';
  // each query parameter named (attack round 29: "the query must not contain control characters" named
  // none, so a client sending several could not tell which)
  for (const pair of u.search.slice(1).split('&')) {
    const at = pair.indexOf('=');
    const rawName = at === -1 ? pair : pair.slice(0, at);
    const name = decodeComponent(rawName.replace(/\+/g, ' '));
    const value = at === -1 ? '' : decodeComponent(pair.slice(at + 1).replace(/\+/g, ' '));
    // quoted always: an empty name shown bare read "the query parameter  must not…" (`?=%00`)
    const shown = JSON.stringify((name === null || CONTROL.test(name) ? rawName : name).slice(0, 60));
    if (name === null || value === null) return `the query parameter ${shown} has a malformed %-escape`;
    if (CONTROL.test(name)) return `the query parameter name ${shown} must not contain control characters`;
    if (CONTROL.test(value)) return `the query parameter ${shown} must not contain control characters`;
  }
  return null;
}

/**
 * Why a request body's Content-Encoding cannot be read, or null: the hub reads a body as it was sent, so a
 * compressed one was read as its compressed bytes and refused as "not UTF-8 (sent in another encoding?)",
 * naming neither the header nor what to do (attack round 29). RFC 9110 §15.5.16: 415 for a content coding
 * the server does not take, with `Accept-Encoding: identity` (§12.5.3, `IDENTITY_ONLY`). `identity` (no
 * coding) is taken. Each edge asks only when a body was sent, in its own 415 and order (REST and /mcp after
 * the token; `hasBody`).
 */
export function codingRule(header: string | undefined): string | null {
  if (header === undefined) return null;
  const codings = header
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c && c !== 'identity');
  if (!codings.length) return null;
  const shown = JSON.stringify(codings.join(', ').slice(0, 60));
  return `the hub reads a body as sent, uncompressed (${shown} was sent); send it without a Content-Encoding`;
}

/** `codingRule` as a sentence naming the header. */
export function codingRefused(header: string | undefined): string | null {
  const rule = codingRule(header);
  return rule ? `Content-Encoding: ${rule}` : null;
}

/** The header a 415 for a content coding carries: the one coding the hub reads (RFC 9110 §12.5.3). */
export const IDENTITY_ONLY = { 'Accept-Encoding': 'identity' } as const;

/** Whether a request says it carries a body (a Content-Length past 0, or a Transfer-Encoding). */
export function hasBody(headers: { get(name: string): string | null }): boolean {
  return Number(headers.get('content-length') ?? 0) > 0 || headers.get('transfer-encoding') !== null;
}
