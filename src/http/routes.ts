import type { z } from 'zod';
import type { Actor, Hub } from '../app/core/hub.ts';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export type RouteContext = {
  hub: Hub;
  actor: Actor | null;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  ifMatch: number | undefined;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
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
  /** Updates need If-Match. */
  ifMatch?: boolean;
  body?: z.ZodType;
  query?: z.ZodType;
  /** What a 2xx answer holds, in words (and its media type when it is not JSON). */
  returns: string;
  produces?: string;
  status?: number;
  handler(c: RouteContext): Promise<RouteResult>;
};
