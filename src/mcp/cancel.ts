// Cancellation across /mcp's per-request servers. Over HTTP each POST is served by a server of its
// own, so a 2025-era client's `notifications/cancelled`, which comes in a POST of its own, reached a
// server that was running nothing, and the call it named ran on to its end (a probe to its deadline,
// a check recorded). Here every request a server is handed is kept, in this process, by who sent it
// and its JSON-RPC id; a cancellation from the same sender is handed to the server running that id,
// as if it had come on that request's own connection: the SDK aborts the handler's signal (which the
// tools pass to the app, verify_evidence's probe among them) and sends no answer, and the request's
// HTTP answer ends. A closed connection (how a 2026-07-28 client cancels) already closes the server.
import { isJSONRPCRequest, isJSONRPCResponse, type JSONRPCMessage, type Transport } from '@modelcontextprotocol/server';

type RequestId = string | number;
type Cancel = (reason: string | undefined) => void;

/** The requests this process is serving over /mcp, by sender and JSON-RPC id. */
class CallsInFlight {
  readonly #calls = new Map<string, Set<Cancel>>();

  static key(sender: string, id: RequestId): string {
    // 1 and "1" are different JSON-RPC ids
    return `${sender}\u0000${typeof id}\u0000${id}`;
  }

  /**
   * Cancellations that named no running request, kept a little while: over HTTP each message is a
   * POST of its own, and a client that cancels at once can have its cancellation served before the
   * request it names has reached its server (a busy hub, a slow token lookup).
   */
  readonly #early = new Map<string, { reason: string | undefined; until: number }>();

  /** Keeps a request being served; the function returned forgets it. */
  add(sender: string, id: RequestId, cancel: Cancel): () => void {
    const key = CallsInFlight.key(sender, id);
    const early = this.#early.get(key);
    if (early) {
      this.#early.delete(key);
      if (early.until > Date.now()) {
        queueMicrotask(() => cancel(early.reason));
      }
    }
    const set = this.#calls.get(key) ?? new Set<Cancel>();
    this.#calls.set(key, set);
    set.add(cancel);
    return () => {
      set.delete(cancel);
      if (!set.size && this.#calls.get(key) === set) this.#calls.delete(key);
      this.#keep(this.#finished, key, undefined);
    };
  }

  /**
   * Requests answered (or cancelled) a little while ago: a cancellation naming one came late (a
   * client's timeout racing its answer, which the spec allows) and is dropped. Kept as an early one,
   * it stopped the next request of that id from any client sharing the token: an SDK client numbers
   * its requests from 0, so two assistants of one person meet the same ids at once.
   */
  readonly #finished = new Map<string, { reason: string | undefined; until: number }>();

  /**
   * Cancels what this sender has running under that id (the spec makes an id unique within a session;
   * with no session, the sender's token stands for it). Nothing when the request has been answered,
   * or runs in another process: then the notification "may arrive after the request has already
   * completed", which the spec allows.
   */
  cancel(sender: string, id: RequestId, reason: string | undefined): number {
    const key = CallsInFlight.key(sender, id);
    const set = this.#calls.get(key);
    if (!set) {
      const late = this.#finished.get(key);
      if (!late || late.until <= Date.now()) this.#keep(this.#early, key, reason);
      return 0;
    }
    const all = [...set];
    for (const c of all) c(reason);
    return all.length;
  }

  #keep(
    kept: Map<string, { reason: string | undefined; until: number }>,
    key: string,
    reason: string | undefined,
  ): void {
    // a string id or a reason may run to the body's megabyte: a thousand of them kept would be a gigabyte
    if (key.length > KEPT_KEY_CHARS) return;
    const now = Date.now();
    // kept in the order they came, each as long: the expired ones are first
    for (const [k, e] of kept) {
      if (e.until > now) break;
      kept.delete(k);
    }
    // bounded: the oldest is dropped first (a Map keeps insertion order)
    while (kept.size >= EARLY_CANCELS) kept.delete(kept.keys().next().value!);
    kept.delete(key); // set again at the end, so the order stays that of their times
    kept.set(key, { reason: reason?.slice(0, KEPT_REASON_CHARS), until: now + EARLY_CANCEL_MS });
  }

  /** How many requests are being served (for tests and the curious). */
  get size(): number {
    let n = 0;
    for (const s of this.#calls.values()) n += s.size;
    return n;
  }
}

/** How long, and how many, cancellations that came before their request are kept. */
const EARLY_CANCEL_MS = 5_000;
const EARLY_CANCELS = 1_000;
/** Kept only while its sender and id are this short, with a reason cut to the other bound. */
const KEPT_KEY_CHARS = 512;
const KEPT_REASON_CHARS = 500;

export const callsInFlight = new CallsInFlight();

const isId = (v: unknown): v is RequestId => typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v));

const idKey = (id: RequestId) => `${typeof id}:${id}`;
const isRequestWithId = (m: unknown): m is { id: RequestId } =>
  !!m &&
  typeof m === 'object' &&
  typeof (m as { method?: unknown }).method === 'string' &&
  isId((m as { id?: unknown }).id);

/**
 * The requests a POST's body cancels (`notifications/cancelled`, alone or in a 2025-03-26 batch),
 * handed to the servers running them for this sender. The body then goes on to the SDK as before.
 */
export function cancelNamed(body: unknown, sender: string, sameBodyOnly = false): void {
  const messages: unknown[] = Array.isArray(body) ? body : [body];
  // an anonymous caller's cancellation reaches only a request of its own body (a 2025-03-26 batch):
  // nothing tells two anonymous callers apart (behind a proxy they share its address), and kept as an
  // early cancellation it would wait for another caller's request of that id
  const own = sameBodyOnly ? new Set(messages.flatMap((m) => (isRequestWithId(m) ? [idKey(m.id)] : []))) : null;
  for (const m of messages) {
    if (!m || typeof m !== 'object' || (m as { method?: unknown }).method !== 'notifications/cancelled') continue;
    const params = (m as { params?: unknown }).params;
    if (!params || typeof params !== 'object') continue;
    const { requestId, reason } = params as { requestId?: unknown; reason?: unknown };
    if (isId(requestId) && (!own || own.has(idKey(requestId))))
      callsInFlight.cancel(sender, requestId, typeof reason === 'string' ? reason : undefined);
  }
}

/**
 * Makes the requests a per-request server's transport is handed cancellable from another request of
 * the same sender. A cancelled request is told to the SDK as a `notifications/cancelled` on this
 * transport (its handler's signal aborts, its answer is never sent); when nothing else is left
 * running here the server is closed, which ends the HTTP answer. In a batch (2025-03-26) whose other
 * requests still run, the cancelled one is answered with an error instead, so the batch's answer
 * can end when theirs are sent.
 */
export function cancellableFromElsewhere(transport: Transport, sender: string, close: () => Promise<void>): void {
  const deliver = transport.onmessage;
  if (!deliver) return;
  const send = transport.send.bind(transport);
  const running = new Map<RequestId, () => void>();
  const forget = (id: RequestId) => {
    running.get(id)?.();
    running.delete(id);
  };
  transport.onmessage = (message: JSONRPCMessage, extra) => {
    if (isJSONRPCRequest(message) && message.method !== 'initialize' && !running.has(message.id)) {
      const { id } = message;
      running.set(
        id,
        callsInFlight.add(sender, id, (reason) => {
          if (!running.has(id)) return;
          forget(id);
          deliver(
            {
              jsonrpc: '2.0',
              method: 'notifications/cancelled',
              params: { requestId: id, ...(reason ? { reason } : {}) },
            },
            extra,
          );
          if (running.size === 0) void close().catch(() => {});
          else
            void send({
              jsonrpc: '2.0',
              id,
              error: {
                code: REQUEST_CANCELLED,
                message: 'Request cancelled: the client cancelled it; nothing more was done',
              },
            }).catch(() => {});
        }),
      );
    }
    return deliver(message, extra);
  };
  transport.send = (message, options) => {
    if (isJSONRPCResponse(message) && isId(message.id)) forget(message.id);
    return send(message, options);
  };
  const closed = transport.onclose;
  transport.onclose = () => {
    for (const id of [...running.keys()]) forget(id);
    closed?.();
  };
}

/** The JSON-RPC error a cancelled request of a batch is answered with (LSP's RequestCancelled; MCP names none). */
export const REQUEST_CANCELLED = -32800;
