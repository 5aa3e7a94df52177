// Progress of a long tool call (notifications/progress), sent only when the request asked for it with
// `_meta.progressToken`, as the spec says, and always related to that request: over HTTP its answer
// then becomes an SSE stream carrying the progress before the result.

/** Reports a step: how far (`progress` of `total`) and what is happening, in a sentence. */
export type Report = (progress: number, message: string) => void;

type Ctx = {
  mcpReq?: {
    _meta?: { progressToken?: unknown };
    signal?: AbortSignal;
    notify?: (n: { method: string; params: Record<string, unknown> }) => Promise<void>;
  };
};

/**
 * The reporter for a tool call with `total` steps, or one that does nothing when the client gave no
 * progress token. Progress only goes up, and nothing is sent once the call is cancelled.
 */
export function progressOf(ctx: unknown, total: number): Report {
  const req = (ctx as Ctx | undefined)?.mcpReq;
  const token = req?._meta?.progressToken;
  const notify = req?.notify;
  if ((typeof token !== 'string' && typeof token !== 'number') || !notify) return () => {};
  let last = -1;
  return (progress, message) => {
    if (progress <= last || req?.signal?.aborted) return;
    last = progress;
    void notify({
      method: 'notifications/progress',
      params: { progressToken: token, progress, total, message },
    }).catch(() => {});
  };
}
