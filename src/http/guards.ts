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
  for (const [where, raw] of [
    ['path', u.pathname],
    ['query', u.search],
  ] as const) {
    const decoded = decodeComponent(raw.replace(/\+/g, ' '));
    if (decoded === null) return `the ${where} has a malformed %-escape`;
    if (CONTROL.test(decoded)) return `the ${where} must not contain control characters`;
  }
  return null;
}
