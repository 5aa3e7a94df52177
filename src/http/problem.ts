import { DomainError, InvalidInput } from '../domain/errors.ts';

/** The HTTP status of each kind of domain error: one table for REST and the web pages. */
export const STATUS: Record<DomainError['kind'], number> = {
  invalid_input: 422,
  not_found: 404,
  forbidden: 403,
  unauthenticated: 401,
  conflict: 409,
  gate_failed: 422,
  precondition_required: 428,
};

const TITLE: Record<DomainError['kind'], string> = {
  invalid_input: 'The input is not valid',
  not_found: 'Not found',
  forbidden: 'Not allowed',
  unauthenticated: 'An API token is needed',
  conflict: 'Someone else changed this first',
  gate_failed: 'A gate condition does not hold',
  precondition_required: 'If-Match is required',
};

export type Problem = { status: number; body: Record<string, unknown>; headers: Record<string, string> };

/** The one place domain errors become HTTP answers (RFC 9457 problem details). */
export function toProblem(e: unknown): Problem {
  if (e instanceof DomainError) {
    const status = STATUS[e.kind];
    const body: Record<string, unknown> = {
      type: `urn:wghub:problem:${e.kind.replace(/_/g, '-')}`,
      title: TITLE[e.kind],
      status,
      detail: e.message,
    };
    if (e instanceof InvalidInput) body.errors = e.issues;
    for (const [k, v] of Object.entries(e.details)) if (k !== 'issues') body[k] = v;
    const headers: Record<string, string> = {};
    if (e.kind === 'unauthenticated') headers['WWW-Authenticate'] = 'Bearer realm="wghub"';
    if (e.kind === 'conflict' && typeof e.details.currentVersion === 'number')
      headers.ETag = etag(e.details.currentVersion);
    return { status, body, headers };
  }
  console.error(e);
  return {
    status: 500,
    body: {
      type: 'urn:wghub:problem:internal',
      title: 'Internal error',
      status: 500,
      detail: 'the server failed; the error is in its log',
    },
    headers: {},
  };
}

export function etag(version: number): string {
  return `"v${version}"`;
}

/** Reads the version out of an If-Match header we issued; undefined when absent. */
export function versionFromIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const m = /^(?:W\/)?"v(\d+)"$/.exec(header.trim());
  if (!m) throw new InvalidInput([{ field: 'If-Match', rule: 'must be the ETag from the last GET, e.g. "v3"' }]);
  return Number(m[1]);
}
