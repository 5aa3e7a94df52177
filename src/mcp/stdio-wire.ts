// The line-delimited JSON-RPC of `wghub mcp` as clients that are not the official SDK write it.
// The SDK's stdio transport reads one message per line and drops anything else without a word:
// a line that is not JSON, or a JSON-RPC batch (an array, which 2025-03-26 lets a client send and
// says a server MUST accept), so the client waits for an answer that never comes. Here a batch is
// handed on message by message and its responses go back as one array, as JSON-RPC 2.0 says; a
// line that is not JSON is answered -32700, and one that is not a JSON-RPC message -32600. Batches
// are read at the revisions that have them (2025-03-26 and older): once initialize agrees 2025-06-18
// or later, a batch is refused, each request in it by its id.
import { PassThrough, Transform } from 'node:stream';
import { prototypeKey, prototypeKeyRule, repeatedKey } from '../domain/json.ts';
import { fieldOf } from '../domain/rule-wording.ts';
import { batchesRemoved, echoableId, messageRefusal, nullParamsOmitted, progressTokenTooLong } from './params.ts';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { DEFAULT_MAX_REQUEST_BODY_SIZE, type JSONRPCMessage, parseJSONRPCMessage } from '@modelcontextprotocol/server';

type Id = string | number;

/** The longest line read, in bytes: the limit of an HTTP request's body, so both edges take the same. */
export const MAX_LINE_BYTES = DEFAULT_MAX_REQUEST_BODY_SIZE;
/** The most messages one batch may hold: the SDK's HTTP transport refuses more (its MAX_BATCH_SIZE, not exported). */
export const MAX_BATCH = 100;
const TOO_LONG = `Payload Too Large: a line (one JSON-RPC message or batch) must not exceed ${MAX_LINE_BYTES} bytes`;
type Batch = { waiting: Set<Id>; responses: unknown[] };
/** How long requests still being worked on when stdin ends may take to be answered before the connection closes. */
export const ANSWER_GRACE_MS = 60_000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isMessage = (v: unknown) =>
  isObject(v) && v.jsonrpc === '2.0' && (typeof v.method === 'string' || 'result' in v || 'error' in v);
/**
 * Why a message the SDK would drop without a word is refused (its schema), naming each part and its
 * rule as /mcp over HTTP does (params.ts), or undefined if it is read.
 */
const wrongShape = (v: unknown): string | undefined => {
  // the SDK's schema bounds neither an id nor a progress token: a string past LIMITS.mcpIdChars is
  // refused as over HTTP (a 900 KB token was echoed in every progress notification)
  if (
    isMessage(v) &&
    (!isObject(v) || typeof v.id !== 'string' || echoableId(v.id) !== null) &&
    !progressTokenTooLong(v)
  )
    try {
      parseJSONRPCMessage(v);
      return undefined;
    } catch {
      // named below
    }
  return `Invalid Request: ${messageRefusal(v) ?? 'not a JSON-RPC 2.0 message MCP reads (an error an object with code and message)'}`;
};
/**
 * Why a batch may not be served at all: 2025-03-26 says initialize is never batched, and 2026-07-28
 * (a request whose _meta claims a protocol version) has no batches.
 */
const batchRefusal = (batch: unknown[]): string | undefined => {
  for (const m of batch) {
    if (!isObject(m)) continue;
    if (m.method === 'initialize')
      return 'Invalid Request: initialize must be sent on its own, not in a JSON-RPC batch (MCP 2025-03-26, lifecycle)';
    if (isObject(m.params) && isObject(m.params._meta) && 'io.modelcontextprotocol/protocolVersion' in m.params._meta)
      return 'Bad Request: JSON-RPC batches may not contain requests for protocol revision 2026-07-28 or later';
  }
  return undefined;
};
/** The request a notifications/cancelled names, if any. */
const cancelled = (v: unknown): Id | undefined => {
  if (!isObject(v) || v.method !== 'notifications/cancelled' || !isObject(v.params)) return undefined;
  const id = v.params.requestId;
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
};
const refusal = (id: unknown, code: number, message: string) => ({
  jsonrpc: '2.0' as const,
  // a number as read (a batch's client matches 1.5 to its request); a string past its bound is not echoed
  id: typeof id === 'number' ? id : echoableId(id),
  error: { code, message },
});

const PARSE = 'a line is one JSON-RPC message (or a batch) as JSON';
/** A header of the Language Server Protocol's framing, which some clients written for LSP send. */
const FRAMED = /^\s*content-(length|type)\s*:/i;
/**
 * What a client framing its messages as LSP does is told: MCP's stdio has no headers, and its
 * `Content-Length: 120` line, then the message run on into the next header, was told only that a
 * line is JSON.
 */
const FRAMING = `${PARSE}, with no headers: MCP's stdio transport is newline-delimited (each message on one line, ended by \\n), not framed with Content-Length headers as the Language Server Protocol is`;

/** stdin to stdout, one JSON-RPC exchange per line, with batches and malformed lines answered. */
export class LenientStdioTransport extends StdioServerTransport {
  /** the batch each outstanding request of a batch belongs to */
  private readonly batches = new Map<Id, Batch>();
  /** requests handed on to the SDK and not yet answered (a cancelled one is owed nothing) */
  private readonly owed = new Set<Id>();
  private inputDone = false;
  /** the id of the initialize request read, and the protocol revision its answer agreed */
  private initializeId: Id | undefined;
  private negotiated: string | undefined;
  private grace: NodeJS.Timeout | undefined;
  private whenAnswered: (() => void) | undefined;
  /**
   * Resolves once stdin has ended and every request read from it is answered: a client that pipes
   * its requests in and closes stdin (a script, `printf … | wghub mcp`) gets every answer before the
   * process exits, including the last line's when it has no newline.
   */
  readonly answered: Promise<void> = new Promise((resolve) => {
    this.whenAnswered = resolve;
  });

  constructor(stdin: NodeJS.ReadableStream = process.stdin, stdout: NodeJS.WritableStream = process.stdout) {
    const self: { transport?: LenientStdioTransport } = {};
    const accept = (line: string) => self.transport!.accept(line).join('');
    // the line being read, as bytes: a character split between two chunks is decoded whole, and
    // the line is measured in bytes against the limit (a newline byte is never part of another character)
    let parts: Buffer[] = [];
    let size = 0;
    let skipping = false;
    const lineOf = () => {
      // a byte order mark before a line's JSON is dropped, as HTTP's body decoding drops it (and RFC
      // 8259 lets a reader ignore it): a client writing through a UTF-8 encoder that adds one (.NET's
      // and PowerShell's do, at the start of the stream) had its initialize answered -32700 with id
      // null, and waited for its answer for ever
      const line = Buffer.concat(parts, size)
        .toString('utf8')
        .replace(/\r$/, '')
        .replace(/^\uFEFF/, '');
      parts = [];
      size = 0;
      return line;
    };
    const lines = new Transform({
      transform: (chunk: Buffer, _enc, done) => {
        let out = '';
        for (let from = 0; from <= chunk.length; ) {
          const nl = chunk.indexOf(10, from);
          const end = nl === -1 ? chunk.length : nl;
          if (!skipping && size + end - from > MAX_LINE_BYTES) {
            // too long to read: refused now, and the rest of it dropped up to its newline
            skipping = true;
            parts = [];
            size = 0;
            self.transport!.reply(refusal(null, -32000, TOO_LONG));
          } else if (!skipping && end > from) {
            parts.push(chunk.subarray(from, end));
            size += end - from;
          }
          if (nl === -1) break;
          if (skipping) skipping = false;
          else out += accept(lineOf());
          from = nl + 1;
        }
        done(null, out);
      },
      flush: (done) => done(null, skipping ? '' : accept(lineOf())),
    });
    // The SDK closes its transport when its input ends, and refuses to write after: an answer still
    // being worked out when stdin ends would be lost. Its input ends only once every request read
    // is answered (its data events come before this stream's end, so all requests are counted).
    const toSdk = new PassThrough();
    lines.pipe(toSdk, { end: false });
    lines.once('end', () => self.transport!.inputEnded());
    stdin.pipe(lines);
    // each chunk handed on is whole lines of at most MAX_LINE_BYTES read (a batch's messages written
    // out again), so the SDK's own buffer limit, which closes the connection, is not the one that applies
    super(toSdk, stdout as never, { maxBufferSize: Number.MAX_SAFE_INTEGER });
    self.transport = this;
    void this.answered.then(() => toSdk.end());
  }

  /** What of one line goes on to the SDK (lines of single messages); refusals are answered here. */
  private accept(line: string): string[] {
    if (!line.trim()) return [];
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.reply(refusal(null, -32700, `Parse error: ${FRAMED.test(line) ? FRAMING : PARSE}`));
      return [];
    }
    // as over HTTP: a key given twice is refused, not read as the last of them (fuzz round 14); the
    // JSON is valid, so each request on the line is answered by its id, or its client waits for it
    const twice = repeatedKey(line);
    const proto = twice ? null : prototypeKey(line);
    if (twice || proto) {
      const message = twice
        ? `Invalid Request: the line names ${fieldOf(twice)} twice in one object; each key is given once`
        : `Invalid Request: the line names ${fieldOf(proto!)}, which ${prototypeKeyRule}`;
      if (!Array.isArray(value)) {
        this.reply(refusal(isObject(value) ? value.id : null, -32600, message));
        return [];
      }
      // a batch is answered as a batch, one refusal for each request in it (a notification has none)
      // requests only: a response's id is the server's own request's, and a notification waits for nothing
      const ids = value
        .map((m) => (isObject(m) && typeof m.method === 'string' ? m.id : undefined))
        .filter((id) => id !== undefined);
      this.reply(ids.length ? ids.map((id) => refusal(id, -32600, message)) : refusal(null, -32600, message));
      return [];
    }
    // `"params": null` is params omitted, as over HTTP (params.ts): the line goes on without it
    const omitted = nullParamsOmitted(value);
    if (omitted !== undefined) value = omitted;
    const sent = omitted === undefined ? line : JSON.stringify(omitted);
    if (!Array.isArray(value)) {
      const wrong = wrongShape(value);
      if (wrong) {
        this.reply(refusal(isObject(value) ? value.id : null, -32600, wrong));
        return [];
      }
      const busy = this.idInUse(value);
      if (busy) {
        this.reply(refusal((value as { id?: unknown }).id, -32600, busy));
        return [];
      }
      this.release(cancelled(value));
      this.owe(value);
      if (
        isObject(value) &&
        value.method === 'initialize' &&
        (typeof value.id === 'string' || typeof value.id === 'number')
      )
        this.initializeId = value.id;
      return [`${sent}\n`];
    }
    // once the connection speaks a revision without batches (2025-06-18 on), a batch is refused,
    // each request in it by its id (a client waits for each of its ids)
    const removed = this.negotiated ? batchesRemoved(this.negotiated, 'on a line of its own') : null;
    if (removed) {
      // requests only: a response's id is the server's own request's, and a notification waits for nothing
      const ids = value
        .map((m) => (isObject(m) && typeof m.method === 'string' ? m.id : undefined))
        .filter((id) => id !== undefined);
      this.reply(ids.length ? ids.map((id) => refusal(id, -32600, removed)) : refusal(null, -32600, removed));
      return [];
    }
    if (value.length === 0) {
      this.reply(refusal(null, -32600, 'Invalid Request: empty JSON-RPC batch'));
      return [];
    }
    if (value.length > MAX_BATCH) {
      this.reply(refusal(null, -32600, `Invalid Request: Batch must not exceed ${MAX_BATCH} messages`));
      return [];
    }
    // what the lifecycle forbids in a batch is refused whole, with the words /mcp over HTTP uses
    const forbidden = batchRefusal(value);
    if (forbidden) {
      this.reply(refusal(null, -32600, forbidden));
      return [];
    }
    const batch: Batch = { waiting: new Set(), responses: [] };
    const forward: string[] = [];
    const cancels: (Id | undefined)[] = [];
    for (const m of value) {
      const wrong = wrongShape(m);
      if (wrong) {
        batch.responses.push(refusal(isObject(m) ? m.id : null, -32600, wrong));
        continue;
      }
      const busy = this.idInUse(m);
      if (busy) {
        batch.responses.push(refusal((m as { id?: unknown }).id, -32600, busy));
        continue;
      }
      const id = (m as { id?: unknown }).id;
      if (
        typeof (m as { method?: unknown }).method === 'string' &&
        (typeof id === 'string' || typeof id === 'number')
      ) {
        batch.waiting.add(id);
        this.batches.set(id, batch);
      }
      cancels.push(cancelled(m));
      this.owe(m);
      forward.push(`${JSON.stringify(m)}\n`);
    }
    for (const id of cancels) this.release(id, batch);
    if (batch.waiting.size === 0 && batch.responses.length) this.reply(batch.responses);
    return forward;
  }

  /**
   * Why a request may not be read now: its id is that of a request not yet answered (in this batch,
   * an earlier one, or alone), whose response it would take: a batch would wait for ever, and the
   * first request's answer would be lost.
   */
  private idInUse(m: unknown): string | undefined {
    if (!isObject(m) || typeof m.method !== 'string') return undefined;
    const id = m.id;
    if ((typeof id !== 'string' && typeof id !== 'number') || !this.owed.has(id)) return undefined;
    return `Invalid Request: id ${JSON.stringify(id)} is that of a request not yet answered; an id is used once at a time`;
  }

  /**
   * A cancelled request of a batch is not answered (the SDK drops its response), so the batch stops
   * waiting for it; one whose other responses are all in goes out now. `building` is the batch being
   * read, which goes out when its line is done.
   */
  private release(id: Id | undefined, building?: Batch): void {
    if (id !== undefined) this.paid(id);
    const batch = id === undefined ? undefined : this.batches.get(id);
    if (!batch || id === undefined) return;
    this.batches.delete(id);
    batch.waiting.delete(id);
    if (batch !== building && batch.waiting.size === 0 && batch.responses.length) this.reply(batch.responses);
  }

  private reply(message: unknown): void {
    super.send(message as JSONRPCMessage).catch((e: Error) => this.onerror?.(e));
  }

  /** A request read is owed an answer (a notification or a client's response is not). */
  private owe(m: unknown): void {
    // a subscription stream is answered only when the connection closes: nothing to wait for
    if (!isObject(m) || typeof m.method !== 'string' || m.method === 'subscriptions/listen') return;
    if (typeof m.id === 'string' || typeof m.id === 'number') this.owed.add(m.id);
  }

  /** Once written (or cancelled), an answer is no longer owed; the last one after stdin's end settles `answered`. */
  private paid(id: Id): void {
    this.owed.delete(id);
    if (this.inputDone && this.owed.size === 0) {
      clearTimeout(this.grace);
      this.whenAnswered?.();
    }
  }

  private inputEnded(): void {
    this.inputDone = true;
    if (this.owed.size === 0) this.whenAnswered?.();
    // an answer that cannot come (a tool waiting on the client, who has gone) does not hold the process for ever
    // (held, not unref'd: the connection and the store are then closed in order, not cut off)
    else this.grace = setTimeout(() => this.whenAnswered?.(), ANSWER_GRACE_MS);
  }

  /** A response to a request of a batch waits for the rest, and goes out with them as one array. */
  override async send(message: JSONRPCMessage): Promise<void> {
    const id = 'id' in message && ('result' in message || 'error' in message) ? (message.id as Id) : undefined;
    const batch = id === undefined ? undefined : this.batches.get(id);
    if (id !== undefined && id === this.initializeId && 'result' in message) {
      const version = (message.result as { protocolVersion?: unknown }).protocolVersion;
      if (typeof version === 'string') this.negotiated = version;
    }
    try {
      if (!batch || id === undefined) return await super.send(message);
      this.batches.delete(id);
      batch.waiting.delete(id);
      batch.responses.push(message);
      if (batch.waiting.size > 0) return;
      return await super.send(batch.responses as unknown as JSONRPCMessage);
    } finally {
      if (id !== undefined) this.paid(id);
    }
  }
}
