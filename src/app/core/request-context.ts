// The request a piece of work is done for, carried through async calls without threading it through
// every use case: the HTTP edge opens it, `record()` writes its id beside the event, and the logs
// name it, so one line in the log and one event can be tied to the request that caused them.
import { AsyncLocalStorage } from 'node:async_hooks';

export type RequestContext = { requestId: string; failure?: unknown; held?: unknown };

const storage = new AsyncLocalStorage<RequestContext>();

export function withRequest<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

/** The id of the request being served, or null outside one (CLI, jobs). */
export function currentRequestId(): string | null {
  return storage.getStore()?.requestId ?? null;
}

/**
 * Keeps the error that failed the request being served, so its log line (one JSON line, with the
 * request id) carries it; outside a request, or where nothing logs requests, it goes to stderr.
 * Returns whether a request took it.
 */
export function noteFailure(e: unknown): boolean {
  const ctx = storage.getStore();
  if (!ctx) return false;
  ctx.failure = e;
  return true;
}

/** The error noted for the request being served, if any. */
export function requestFailure(): unknown {
  return storage.getStore()?.failure;
}

/**
 * Holds a refusal of the request's input (a body sent to a write that takes none) until the use case
 * has had its say on who may act: it is thrown by the first transaction about to commit
 * (`inTransaction`), or once the use case returns, whichever comes first, so one who may not act is
 * refused 403 whatever they sent and nothing is stored for one who may. False outside a request:
 * the caller throws it at once. A second refusal held while one is is dropped: the first is told.
 */
export function holdRefusal(e: unknown): boolean {
  const ctx = storage.getStore();
  if (!ctx) return false;
  // the first is told: the body is read before the query and If-Match
  if (ctx.held === undefined) ctx.held = e;
  return true;
}

/** The refusal held for the request being served, now taken (it is thrown once), or undefined. */
export function takeHeldRefusal(): unknown {
  const ctx = storage.getStore();
  const held = ctx?.held;
  if (ctx) ctx.held = undefined;
  return held;
}
