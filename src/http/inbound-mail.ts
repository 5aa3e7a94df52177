// POST /inbound/mail: a mail provider's inbound webhook (JSON, form or multipart). The signature
// over the raw body is checked before any of it is parsed; the body is bounded. Answers: 200 with
// what became of each reply (refusals included, so the provider does not retry them), 401 for a bad
// signature, 422 for a mail that names no reply address (400 for one that cannot be read), 413 past the size limit, 503 while too many mails wait to be read, 5xx when the hub
// itself failed (the provider tries again later).
import type { Hono } from 'hono';
import type { Hub } from '../app/core/hub.ts';
import {
  InboundFields,
  type InboundWebhookConfig,
  inboundWebhookConfigFromEnv,
  receiveInboundMail,
  SIGNATURE_HEADER,
  signatureMatches,
} from '../app/notifications/inbound-webhook.ts';
import { MailNotReadNow } from '../app/notifications/parse-mail.ts';
import { problemResponse } from './guards.ts';
import { toProblem } from './problem.ts';

/** The body's bytes, or null past `max` (what lies past it is not kept). */
async function boundedBody(req: Request, max: number): Promise<Uint8Array | null> {
  if (Number(req.headers.get('content-length') ?? 0) > max) return null;
  if (!req.body) return new Uint8Array();
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req.body as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > max) return null;
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

async function fieldsOf(req: Request, body: Uint8Array): Promise<InboundFields> {
  const type = (req.headers.get('content-type') ?? '').toLowerCase();
  if (type.includes('json')) return InboundFields.parse(JSON.parse(Buffer.from(body).toString('utf8')));
  if (type.includes('multipart/form-data') || type.includes('application/x-www-form-urlencoded')) {
    const form = await new Request('http://inbound.invalid/', {
      method: 'POST',
      headers: { 'content-type': type },
      body,
    }).formData();
    const out: InboundFields = {};
    for (const [k, v] of form.entries()) if (typeof v === 'string' && !(k in out)) out[k] = v;
    return out;
  }
  throw new Error('unsupported content type');
}

export function mountInboundMail(
  app: Hono,
  hub: Hub,
  config: InboundWebhookConfig | null = inboundWebhookConfigFromEnv(),
): void {
  app.post('/inbound/mail', async (c) => {
    if (!config)
      return problemResponse(
        404,
        'not-found',
        'Inbound mail webhook is not set up',
        'set WGHUB_INBOUND_WEBHOOK_SECRET and WGHUB_REPLY_DOMAIN (docs/notifications.md#reply-by-mail)',
      );
    const body = await boundedBody(c.req.raw, config.maxBytes);
    if (!body)
      return problemResponse(413, 'too-large', 'Mail too large', `a mail may be at most ${config.maxBytes} bytes`);
    if (!signatureMatches(config.secret, body, c.req.header(SIGNATURE_HEADER)))
      return problemResponse(
        401,
        'bad-signature',
        'Signature does not match',
        `${SIGNATURE_HEADER} must be sha256=HMAC-SHA256(WGHUB_INBOUND_WEBHOOK_SECRET, raw body) in hex`,
      );
    let fields: InboundFields;
    try {
      fields = await fieldsOf(c.req.raw, body);
    } catch {
      return problemResponse(
        400,
        'bad-request',
        'Unreadable mail',
        'send the mail as JSON, a form or multipart, with from, to and text (or the raw message as raw)',
      );
    }
    try {
      const replies = await receiveInboundMail(hub, config, fields);
      return c.json({ replies });
    } catch (e) {
      // too many mails waiting to be read: the provider tries again later
      if (e instanceof MailNotReadNow)
        return problemResponse(503, 'busy', 'Mail not read now', e.message, { 'Retry-After': '60' });
      const p = toProblem(e, hub.governance);
      return c.body(JSON.stringify(p.body), p.status as 400, {
        ...p.headers,
        'Content-Type': 'application/problem+json',
      });
    }
  });
}
