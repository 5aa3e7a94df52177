import type { z } from 'zod';
import type { Actor, Hub } from '../app/core/hub.ts';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export type RouteContext = {
  hub: Hub;
  actor: Actor | null;
  params: Record<string, string>;
  /** Each query parameter the route takes once, by name. */
  query: Record<string, string>;
  /** Each query parameter the route declares as a list (an array in its `query` schema) that was given: all its values, in order. */
  queryLists: Record<string, string[]>;
  body: unknown;
  ifMatch: number | undefined;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  /** The hub's address as clients reach it, for links in an answer; null when the Host header is not one it trusts. */
  origin: string | null;
  /** The actor, refusing with 401 when the request carries no token. */
  requireActor(): Actor;
};

export type RouteResult = { status?: number; body: unknown; version?: number; contentType?: string };

export type Route = {
  method: Method;
  /** OpenAPI-style path, e.g. /api/groups/{slug}. */
  path: string;
  summary: string;
  tag: string;
  /** Writes need a bearer token. */
  auth?: boolean;
  /** A read whose answer carries the record's ETag (`versioned`): it takes If-None-Match, 304 while it matches. */
  etag?: true;
  /** Updates need If-Match; 'optional': checked when sent (a write that cannot overwrite anyone's). */
  ifMatch?: boolean | 'optional';
  body?: z.ZodType;
  query?: z.ZodType;
  /** What a 2xx answer holds, in words. */
  returns: string;
  /** Its media type when it is not JSON: documented in OpenAPI, and the answer's Content-Type. */
  produces?: string;
  /** The success status (201 for a create): documented in OpenAPI, and answered unless the handler says otherwise. */
  status?: number;
  /** Other success answers the handler may give instead (status → what it means), documented in OpenAPI. */
  alsoAnswers?: Record<number, string>;
  handler(c: RouteContext): Promise<RouteResult>;
};

/** A record answered with its version as the ETag (the If-Match a later update sends back). */
export const versioned = <T extends { version: number }>(record: T): RouteResult => ({
  body: record,
  version: record.version,
});
