import { noteFailure } from '../app/core/request-context.ts';
import { Conflict, DomainError, InvalidInput } from '../domain/errors.ts';
import { describeFailure, detailOn, TITLE } from '../domain/failure.ts';
import { charsetsNamed } from '../domain/json.ts';
import type { Governance } from '../domain/governance/schema.ts';
import { LIMITS } from '../domain/limits.ts';
import { keysNamed } from '../domain/rule-wording.ts';
import { firstCharacters, printable } from '../domain/text.ts';
import { DATA_EXCEPTION, isDataException } from '../store/errors.ts';
import { IDENTITY_ONLY } from './guards.ts';

export type Problem = { status: number; body: Record<string, unknown>; headers: Record<string, string> };

/**
 * The one place domain errors become HTTP answers (RFC 9457 problem details), from the shared mapping.
 * `request.ifMatch`: whether the request carried an If-Match header (a 409 names it only then).
 */
export function toProblem(
  e: unknown,
  g?: Pick<Governance, 'proposals'>,
  request: { ifMatch: boolean } = { ifMatch: false },
): Problem {
  if (e instanceof DomainError) {
    const f = describeFailure(e, g);
    const body: Record<string, unknown> = {
      type: `urn:wghub:problem:${f.kind.replace(/_/g, '-')}`,
      title: f.title,
      status: f.status,
      detail: detailOn(f, 'rest'),
    };
    if (f.issues) body.errors = f.issues;
    Object.assign(body, f.extra);
    const headers: Record<string, string> = {};
    if (e.kind === 'unauthenticated') headers['WWW-Authenticate'] = 'Bearer realm="wghub"';
    if (e.kind === 'rate_limited' && typeof e.details.retryAt === 'string')
      headers['Retry-After'] = String(
        Math.max(1, Math.ceil((new Date(e.details.retryAt).getTime() - Date.now()) / 1000)),
      );
    if (e.kind === 'conflict' && typeof e.details.currentVersion === 'number') {
      const now = e.details.currentVersion;
      headers.ETag = etag(now);
      // the header that was stale, named as a field is (the use case speaks of "the version you read");
      // a request that sent none met the hub's own check of the version it read itself (two sponsors
      // at once): nothing the client sent is wrong, and the same request again is the remedy
      if (!body.errors)
        body.errors = [
          request.ifMatch
            ? {
                field: 'If-Match',
                rule: `is stale: it is now version ${now} (ETag ${etag(now)}); read it again, reapply your change and send that`,
              }
            : {
                field: 'version',
                rule: `changed meanwhile: another change made it version ${now} while this request was carried out, and nothing of this one was stored; send the same request again`,
              },
        ];
    }
    return { status: f.status, body, headers };
  }
  if (e instanceof IfMatchNeverHolds)
    return {
      status: 412,
      body: {
        type: 'urn:wghub:problem:precondition-failed',
        title: 'The If-Match condition does not hold',
        status: 412,
        detail: e.message,
        errors: [{ field: 'If-Match', rule: e.rule }],
      },
      headers: {},
    };
  if (e instanceof UnsupportedMediaType && e.header === 'Content-Encoding')
    return {
      status: 415,
      body: {
        type: 'urn:wghub:problem:unsupported-content-encoding',
        title: 'Unsupported Content-Encoding',
        status: 415,
        detail: `Content-Encoding: ${e.rule}`,
        errors: [{ field: 'Content-Encoding', rule: e.rule }],
      },
      headers: { ...IDENTITY_ONLY },
    };
  if (e instanceof UnsupportedMediaType)
    return {
      status: 415,
      body: {
        type: 'urn:wghub:problem:unsupported-media-type',
        title: 'The body is not sent as JSON',
        status: 415,
        detail: `Content-Type: ${e.rule}`,
        errors: [{ field: 'Content-Type', rule: e.rule }],
      },
      // RFC 5789 §2.2 (and its POST counterpart): the one type taken
      headers: e.method === 'PATCH' ? { 'Accept-Patch': JSON_TYPE } : { 'Accept-Post': JSON_TYPE },
    };
  if (e instanceof UnknownQueryParameter)
    return {
      status: 400,
      body: {
        type: 'urn:wghub:problem:unknown-query-parameter',
        title: 'A query parameter is not taken here',
        status: 400,
        detail: e.message,
        errors: e.issues,
        accepted: e.accepted,
      },
      headers: {},
    };
  if (e instanceof RepeatedQueryParameter)
    return {
      status: 400,
      body: {
        type: 'urn:wghub:problem:repeated-query-parameter',
        title: 'A query parameter is given more than once',
        status: 400,
        detail: e.message,
        errors: e.issues,
      },
      headers: {},
    };
  const db = databaseRefusal(e);
  if (db) return db;
  // logged with its request's line (observability.ts), or to stderr outside a request
  if (!noteFailure(e)) console.error(e);
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

const JSON_TYPE = 'application/json';

/**
 * A query parameter the route does not take (400), named with those it does: a misspelt filter
 * (`?stat=open`) was dropped without a word, and the caller read an unfiltered list as filtered.
 */
export class UnknownQueryParameter extends Error {
  readonly issues: { field: string; rule: string }[];
  readonly accepted: string[];
  constructor(route: string, unknown: readonly string[], accepted: readonly string[]) {
    const { named, rest } = keysNamed(unknown);
    const taken = accepted.length ? `${route} takes ${accepted.join(', ')}` : `${route} takes no query parameters`;
    const issues = named.map((name, i) => ({
      field: printable(firstCharacters(name, LIMITS.param)),
      // what the route takes said once, and how many names more were sent
      rule: `is not a query parameter here${i === 0 ? `; ${taken}` : ''}${rest && i === named.length - 1 ? `; ${rest.replace('key', 'name').replace('no field', 'no query parameter')}` : ''}`,
    }));
    super(issues.map((i) => `${i.field}: ${i.rule}`).join('; '));
    this.issues = issues;
    this.accepted = [...accepted];
  }
}

/**
 * A query parameter given more than once (400) where the route takes it once: the first was read and
 * the others dropped without a word (`?limit=5&limit=500`), and a proxy reading the last saw another
 * request than the hub served. A parameter the route declares as a list may be given more than once.
 */
export class RepeatedQueryParameter extends Error {
  readonly issues: { field: string; rule: string }[];
  constructor(route: string, repeated: readonly (readonly [string, number])[], lists: readonly string[]) {
    const once = lists.length
      ? `${route} takes each query parameter once, but ${lists.join(', ')} as a list`
      : `${route} takes each query parameter once (none as a list)`;
    const issues = repeated.map(([name, times]) => ({
      field: name,
      rule: `is given more than once (${times} times); ${once}`,
    }));
    super(issues.map((i) => `${i.field}: ${i.rule}`).join('; '));
    this.issues = issues;
  }
}

/** A REST request whose body is not sent as `application/json` (415). */
export class UnsupportedMediaType extends Error {
  readonly rule: string;
  readonly method: string;
  /** The header refused: the body's type, or its coding (a compressed body: attack round 29). */
  readonly header: 'Content-Type' | 'Content-Encoding';
  constructor(rule: string, method: string, header: 'Content-Type' | 'Content-Encoding' = 'Content-Type') {
    super(`${header}: ${rule}`);
    this.rule = rule;
    this.method = method.toUpperCase();
    this.header = header;
  }
}

/**
 * Why a REST body's Content-Type is not JSON's, or null when it is: `application/json`, in any case,
 * with no charset or UTF-8's (RFC 8259: JSON is UTF-8, and the hub reads it so). Every other type is
 * refused rather than read as JSON whatever it says: text/plain and forms are what a page of any
 * site may post without asking, `+json` types (merge-patch) say rules the hub does not follow, and a
 * Latin-1 charset would be read as UTF-8. What was sent is named when it is a plain type/subtype.
 */
export function jsonContentTypeRule(header: string | undefined): string | null {
  const type = (header ?? '').split(';')[0] ?? '';
  // a charset named twice is refused: the hub read the first, where a proxy or a log may read the last
  const charsets = charsetsNamed(header);
  const charset = charsets[0];
  const media = type.trim().toLowerCase();
  if (media === JSON_TYPE && charsets.length <= 1 && (charset === undefined || charset === 'utf-8')) return null;
  // the header sent twice reaches here joined ("application/json, application/json" or with a charset
  // on one of them): it was told "another was sent" or a charset's count, though JSON's was sent, twice
  // (attack round 30; no media type nor charset holds a comma)
  const sent = !header?.trim()
    ? 'none was sent'
    : header.includes(',')
      ? 'more than one was sent (the header twice, or a list of types): send it once, naming one type'
      : media === JSON_TYPE
        ? charsets.length > 1
          ? `charset was named ${charsets.length} times`
          : `charset=${/^[\w.:-]{1,40}$/.test(charset ?? '') ? charset : '…'} was sent`
        : /^[\w.+-]{1,60}\/[\w.+-]{1,60}$/.test(media)
          ? `${media} was sent`
          : 'another was sent';
  return `must be application/json (UTF-8) for a request with a body; ${sent}`;
}

/**
 * The ETag of a record at a version: `"v3"`, or `"v3-<digest>"` for an answer whose bytes it names
 * (a GET's), so a conditional GET (If-None-Match) answers 304 only when what the caller holds is
 * what they would read now: the same version, and the same `can`, computed state and names, which
 * change without it. If-Match reads the version alone.
 */
export function etag(version: number, digest?: string): string {
  return digest === undefined ? `"v${version}"` : `"v${version}-${digest}"`;
}

/**
 * Whether an If-None-Match header names the answer's ETag (RFC 9110 §13.1.2): `*`, or a list of
 * entity tags, any one equal to it under weak comparison (W/ ignored, opaque tags equal). A header
 * past its bound in characters, or not such a list, matches nothing: the caller gets the full answer.
 */
export function ifNoneMatchHolds(header: string | undefined, tag: string): boolean {
  if (header === undefined || header.length > LIMITS.ifNoneMatchChars) return false;
  if (header.trim() === '*') return true;
  const wanted = tag.replace(/^W\//, '');
  for (const element of header.split(',')) {
    const item = element.trim();
    if (item === '') continue;
    const m = ENTITY_TAG.exec(item);
    if (!m) return false;
    if (`"${m[2]}"` === wanted) return true;
  }
  return false;
}

/**
 * An If-Match that cannot hold, whatever the stored version: every tag in it is weak, and If-Match
 * compares strongly (RFC 9110 §13.1.1), so a weak tag never matches. Answered 412.
 */
export class IfMatchNeverHolds extends Error {
  readonly rule: string;
  constructor(rule: string) {
    super(`If-Match: ${rule}`);
    this.rule = rule;
  }
}

const IF_MATCH_RULE = 'must be the ETag from the last GET, e.g. "v3"';
/** One element of an If-Match list: an entity tag, weak or strong (RFC 9110 §8.8.3); etagc excludes the quote. */
const ENTITY_TAG = /^(W\/)?"([^"]*)"$/;

/**
 * Reads the versions out of an If-Match header we issued, highest first; empty when absent. The
 * header is a list of entity tags (or `*`): weak tags never match (strong comparison), so they are
 * passed over; the condition holds when any version left is the stored one (RFC 9110 §13.1.1), which
 * the write weighs (server.ts tries the highest, then the stored one if the list names it). A list is
 * bounded (`LIMITS.ifMatchTags`).
 */
export function versionsFromIfMatch(header: string | undefined): number[] {
  if (header === undefined) return [];
  const invalid = (rule: string) => new InvalidInput([{ field: 'If-Match', rule }]);
  if (header.trim() === '*')
    throw invalid(
      `* matches any version, so it would overwrite someone else's change unseen; ${IF_MATCH_RULE.replace('must be', 'send')}`,
    );
  const versions = new Set<number>();
  let weak = 0;
  let tags = 0;
  // an element is a quoted tag with optional W/ before it; etagc has no comma, so splitting on them is exact
  for (const element of header.split(',')) {
    const item = element.trim();
    if (item === '') continue; // RFC 9110 §5.6.1: empty list elements are ignored
    if (++tags > LIMITS.ifMatchTags)
      throw invalid(`lists at most ${LIMITS.ifMatchTags} entity tags; send the ETag from the last GET, e.g. "v3"`);
    const tag = ENTITY_TAG.exec(item);
    if (!tag) throw invalid(IF_MATCH_RULE);
    if (tag[1]) {
      weak++;
      continue;
    }
    // as the hub writes them: "v03" is another tag than "v3" under strong comparison, so not ours
    // an answer's digest after the version (`"v3-…"`, see `etag`) is passed over: If-Match weighs the version
    const m = /^v(0|[1-9]\d{0,9})(?:-[0-9a-f]{16})?$/.exec(tag[2]!);
    if (!m || Number(m[1]) > LIMITS.maxNumber) throw invalid(IF_MATCH_RULE);
    versions.add(Number(m[1]));
  }
  if (versions.size === 0 && weak > 0)
    throw new IfMatchNeverHolds(
      'a weak validator (W/"…") never matches: If-Match compares strongly (RFC 9110 §13.1.1), and the hub\'s ETags are strong; send the ETag as given, e.g. "v3" (a proxy that compresses answers may have weakened it: send the version without W/)',
    );
  if (versions.size === 0) throw invalid(IF_MATCH_RULE);
  return [...versions].sort((a, b) => b - a);
}

/**
 * The version to write at again when a write tried at one listed version was stale: the stored one,
 * if the If-Match list names it too (the condition holds then), else undefined (the 409 stands).
 */
export function listedCurrentVersion(
  e: unknown,
  listed: readonly number[],
  tried: number | undefined,
): number | undefined {
  if (!(e instanceof Conflict) || listed.length < 2) return undefined;
  const current = e.details.currentVersion;
  return typeof current === 'number' && current !== tried && listed.includes(current) ? current : undefined;
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
