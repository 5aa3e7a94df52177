// POST /github/webhooks: the signature is checked over the raw body before anything in it is
// read; a good delivery is stored with its job and answered 202 at once (the worker applies it).
import type { Context, Hono } from 'hono';
import { type Secret, secret as secretOf } from '../app/github/config.ts';
import { deliverySigner, type Receipt, receiveDelivery } from '../app/github/webhooks.ts';
import { admitBig, BigDeliveryNotReadNow } from '../app/github/big-deliveries.ts';
import { LIMITS } from '../domain/limits.ts';
import type { Hub } from '../app/core/hub.ts';
import { problemResponse } from './guards.ts';
import { clientAddress } from './rate-limits.ts';

export const GITHUB_WEBHOOKS_PATH = '/github/webhooks';

export function mountGithubWebhooks(
  app: Hono,
  hub: Hub,
  // only the secret: the rest of the GitHub settings (an App's key) are the bridge's to check when it runs
  secret: Secret | null = process.env.WGHUB_GITHUB_WEBHOOK_SECRET
    ? secretOf(process.env.WGHUB_GITHUB_WEBHOOK_SECRET)
    : null,
  trustProxy = process.env.WGHUB_TRUST_PROXY === '1',
  // how long a big body may take to come whole once it holds a place (WGHUB_GITHUB_BIG_BODY_MS in `wghub serve`)
  bigBodyMs: number = LIMITS.github.bigBodyMs,
): void {
  app.post(GITHUB_WEBHOOKS_PATH, async (c) => {
    if (!secret)
      return problemResponse(
        404,
        'not-found',
        'GitHub webhooks are not set up',
        'set WGHUB_GITHUB_WEBHOOK_SECRET to the secret of the GitHub App or webhook (docs/github.md)',
      );
    const headers = {
      delivery: c.req.header('x-github-delivery'),
      event: c.req.header('x-github-event'),
      signature: c.req.header('x-hub-signature-256'),
      contentType: c.req.header('content-type') ?? '',
    };
    // unsigned: refused (and counted) before a byte of the body is read
    if (!headers.signature) return answer(c, await receiveDelivery(hub, secret, headers, new Uint8Array()));
    // the bytes as they came (the signature is theirs, not that of text decoded from them), read as
    // they stream in with the HMAC computed on the way; past the 1 MiB of other requests only while
    // few big ones are in memory at once (LIMITS.github.bigAtOnce), up to GitHub's own cap
    const signer = deliverySigner(secret);
    const chunks: Uint8Array[] = [];
    let size = 0;
    let release: (() => void) | null = null;
    // a big body must have come whole within bigBodyMs (LIMITS.github.bigBodyMs by default) of taking its place (GitHub gives
    // up waiting for the answer after 10 s): a sender trickling it in does not hold the place longer
    let late: NodeJS.Timeout | null = null;
    let tooSlow: Promise<'late'> | null = null;
    // A refusal mid-body leaves the stream as it is, never cancels it: cancelling destroys the request
    // (and its socket) before the answer is written, and the server's clean-up then found no socket:
    // a TypeError that ended the process (attack: a forged `X-Hub-Signature-256: x` was enough).
    // node-server.ts answers `Connection: close` (413, or a body over the limit or not all in) and
    // reads the rest of the body, bounded, before it closes.
    try {
      const reader = c.req.raw.body?.getReader();
      for (;;) {
        let chunk: Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>;
        if (!reader) chunk = { done: true, value: undefined };
        else if (!tooSlow) chunk = await reader.read();
        else {
          const read = reader.read();
          // the read left waiting when the time is up ends with the request (or never): nobody awaits it
          read.catch(() => {});
          const first = await Promise.race([read, tooSlow]);
          if (first === 'late')
            return problemResponse(
              408,
              'too-slow',
              'The delivery came too slowly',
              `a delivery over ${LIMITS.requestBodyBytes} bytes must arrive whole within ${bigBodyMs} ms; nothing was stored: send it again from GitHub's delivery log`,
            );
          chunk = first;
        }
        if (chunk.done) break;
        size += chunk.value.length;
        if (size > LIMITS.github.payloadBytes) return tooLarge();
        if (size > LIMITS.requestBodyBytes && !release) {
          const place = admitBig(senderAddress(c, trustProxy));
          if (typeof place === 'function') {
            release = place;
            tooSlow = new Promise((resolve) => {
              late = setTimeout(() => resolve('late'), bigBodyMs);
              late.unref();
            });
          } else {
            return problemResponse(
              503,
              'busy',
              'Too many big deliveries at once',
              place === 'full'
                ? `${LIMITS.github.bigAtOnce} deliveries over ${LIMITS.requestBodyBytes} bytes are being read; nothing was stored: send it again from GitHub's delivery log`
                : `a delivery over ${LIMITS.requestBodyBytes} bytes from this address is being read, and one address may send ${LIMITS.github.bigPerAddress} at a time; nothing was stored: send it again from GitHub's delivery log`,
              { 'Retry-After': '5' },
            );
          }
        }
        signer.update(chunk.value);
        chunks.push(chunk.value);
      }
      const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      chunks.length = 0;
      return answer(c, await receiveDelivery(hub, secret, headers, { bytes, signedWith: signer.signedWith }), size);
    } catch (e) {
      if (!(e instanceof BigDeliveryNotReadNow)) throw e;
      return problemResponse(
        503,
        'busy',
        'The delivery could not be read now',
        `${e.message}; nothing was stored: send it again from GitHub's delivery log`,
        { 'Retry-After': '5' },
      );
    } finally {
      if (late) clearTimeout(late);
      release?.();
    }
  });
}

/** The sender's address as the rate limits take it: the socket's, or behind a trusted proxy the last X-Forwarded-For entry. */
function senderAddress(c: Context, trustProxy: boolean): string {
  const socket = (c.env as { incoming?: { socket?: { remoteAddress?: string } | null } } | undefined)?.incoming?.socket;
  return clientAddress(c.req.header('x-forwarded-for'), socket?.remoteAddress, trustProxy);
}

/** 413 for a delivery past GitHub's own cap (the body limit in server.ts says the same when Content-Length does). */
export function tooLarge(): Response {
  return problemResponse(
    413,
    'too-large',
    'Delivery too large',
    `a GitHub delivery may be at most ${LIMITS.github.payloadBytes} bytes (GitHub sends none larger)`,
  );
}

function answer(c: Context, r: Receipt, size = 0): Response {
  if (r.status === 401) return problemResponse(401, 'bad-signature', 'Signature does not match', r.reason);
  if (r.status === 400) return problemResponse(400, 'bad-delivery', 'Bad delivery', r.reason);
  if (r.status === 415)
    return problemResponse(415, 'unsupported-media-type', 'The delivery is not sent as JSON', r.reason);
  // GitHub's delivery log shows this answer: a big delivery says so there
  const big =
    size > LIMITS.requestBodyBytes
      ? {
          big: `${size} bytes, over the ${LIMITS.requestBodyBytes} of other requests: taken, read in a thread of its own`,
        }
      : {};
  return c.json({ delivery: r.delivery, duplicate: r.duplicate, ...big }, 202);
}
