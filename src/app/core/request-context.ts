// The request a piece of work is done for, carried through async calls without threading it through
// every use case: the HTTP edge opens it, `record()` writes its id beside the event, and the logs
// name it, so one line in the log and one event can be tied to the request that caused them.
import { AsyncLocalStorage } from 'node:async_hooks';

export type RequestContext = { requestId: string };

const storage = new AsyncLocalStorage<RequestContext>();

export function withRequest<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

/** The id of the request being served, or null outside one (CLI, jobs). */
export function currentRequestId(): string | null {
  return storage.getStore()?.requestId ?? null;
}
