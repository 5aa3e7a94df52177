import { DomainError, InvalidInput } from '../domain/errors.ts';
import { describeFailure, TITLE } from '../domain/failure.ts';
import { LIMITS } from '../domain/limits.ts';
import { DATA_EXCEPTION, isDataException } from '../store/errors.ts';

export type Problem = { status: number; body: Record<string, unknown>; headers: Record<string, string> };

/** The one place domain errors become HTTP answers (RFC 9457 problem details), from the shared mapping. */
export function toProblem(e: unknown): Problem {
  if (e instanceof DomainError) {
    const f = describeFailure(e);
    const body: Record<string, unknown> = {
      type: `urn:wghub:problem:${f.kind.replace(/_/g, '-')}`,
      title: f.title,
      status: f.status,
      detail: f.detail,
    };
    if (f.issues) body.errors = f.issues;
    Object.assign(body, f.extra);
    const headers: Record<string, string> = {};
    if (e.kind === 'unauthenticated') headers['WWW-Authenticate'] = 'Bearer realm="wghub"';
    if (e.kind === 'conflict' && typeof e.details.currentVersion === 'number')
      headers.ETag = etag(e.details.currentVersion);
    return { status: f.status, body, headers };
  }
  const db = databaseRefusal(e);
  if (db) return db;
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
  const m = /^(?:W\/)?"v(\d{1,10})"$/.exec(header.trim());
  if (!m || Number(m[1]) > LIMITS.maxNumber)
    throw new InvalidInput([{ field: 'If-Match', rule: 'must be the ETag from the last GET, e.g. "v3"' }]);
  return Number(m[1]);
}

/**
 * A database refusing a value or a duplicate is the client's problem, not a server failure: a
 * safety net behind validation (which names the field first) and the idempotent writes.
 */
function databaseRefusal(e: unknown): Problem | null {
  const code = (e as { code?: unknown }).code;
  if (typeof code !== 'string') return null;
  const problem = (status: number, kind: string, title: string, detail: string): Problem => ({
    status,
    body: { type: `urn:wghub:problem:${kind}`, title, status, detail },
    headers: {},
  });
  if (isDataException(e)) return problem(422, 'invalid-input', TITLE.invalid_input, DATA_EXCEPTION);
  if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
    return problem(
      409,
      'conflict',
      TITLE.conflict,
      'someone else made the same change at the same moment; reload and try again',
    );
  return null;
}
