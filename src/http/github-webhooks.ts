// POST /github/webhooks: the signature is checked over the raw body before anything in it is
// read; a good delivery is stored with its job and answered 202 at once (the worker applies it).
import type { Hono } from 'hono';
import { type Secret, secret as secretOf } from '../app/github/config.ts';
import { receiveDelivery } from '../app/github/webhooks.ts';
import type { Hub } from '../app/core/hub.ts';
import { problemResponse } from './guards.ts';

export function mountGithubWebhooks(
  app: Hono,
  hub: Hub,
  // only the secret: the rest of the GitHub settings (an App's key) are the bridge's to check when it runs
  secret: Secret | null = process.env.WGHUB_GITHUB_WEBHOOK_SECRET
    ? secretOf(process.env.WGHUB_GITHUB_WEBHOOK_SECRET)
    : null,
): void {
  app.post('/github/webhooks', async (c) => {
    if (!secret)
      return problemResponse(
        404,
        'not-found',
        'GitHub webhooks are not set up',
        'set WGHUB_GITHUB_WEBHOOK_SECRET to the secret of the GitHub App or webhook (docs/github.md)',
      );
    // the bytes as they came: the signature is theirs, not that of text decoded from them
    const raw = new Uint8Array(await c.req.arrayBuffer());
    const r = await receiveDelivery(
      hub,
      secret,
      {
        delivery: c.req.header('x-github-delivery'),
        event: c.req.header('x-github-event'),
        signature: c.req.header('x-hub-signature-256'),
        contentType: c.req.header('content-type') ?? '',
      },
      raw,
    );
    if (r.status === 401) return problemResponse(401, 'bad-signature', 'Signature does not match', r.reason);
    if (r.status === 400) return problemResponse(400, 'bad-delivery', 'Bad delivery', r.reason);
    if (r.status === 415)
      return problemResponse(415, 'unsupported-media-type', 'The delivery is not sent as JSON', r.reason);
    return c.json({ delivery: r.delivery, duplicate: r.duplicate }, 202);
  });
}
