import { timingSafeEqual } from 'node:crypto';
import { html } from 'hono/html';
import type { MiddlewareHandler } from 'hono';
import { Forbidden, invalid } from '../../domain/errors.ts';
import type { WebContext, WebEnv } from './context.ts';

export const CSRF_FIELD = '_csrf';

/** The hidden field every form that changes something must include. */
export function csrfField(c: WebContext) {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${c.var.csrfToken}">`;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The form a request sent, read once (pages read it again from Hono's cache). A body its
 * Content-Type says is multipart but that is not (no boundary, cut short) is the sender's
 * mistake, said as a refused JSON body is on REST, never a failure of the server.
 */
async function formBody(c: WebContext): Promise<Record<string, unknown>> {
  // a %-escape of bytes that are not UTF-8 (a form sent as Latin-1: caf%E9) would be read as U+FFFD
  // and stored so, the text typed lost without a word: refused as REST and MCP refuse such bodies
  if (/^application\/x-www-form-urlencoded\b/i.test(c.req.header('content-type') ?? '')) {
    const raw = await c.req.raw.clone().text();
    for (const pair of raw.split('&')) {
      try {
        decodeURIComponent(pair.replace(/\+/g, ' '));
      } catch {
        throw invalid(
          '(body)',
          'must be UTF-8 text: a field holds %-escaped bytes that are not (was the form sent in another encoding?)',
        );
      }
    }
  }
  try {
    return await c.req.parseBody();
  } catch (e) {
    const why = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
    throw invalid('(body)', `must be a form as its Content-Type says (multipart/form-data with its boundary)${why}`);
  }
}

/**
 * Every unsafe request must carry the session's token (or, before sign-in, the visitor cookie's)
 * in the form body, and must not come from another origin.
 */
export function csrfProtection(): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    // One-click unsubscribe (RFC 8058): a mail provider posts without cookies or a form token; the
    // secret in the path is the proof, and all it can do is stop mail.
    if (c.req.method === 'POST' && /^\/unsubscribe\/[^/]+$/.test(c.req.path)) return next();
    const origin = c.req.header('origin');
    const expectedOrigin = c.var.config.publicUrl ? new URL(c.var.config.publicUrl).origin : new URL(c.req.url).origin;
    if (origin && origin !== 'null' && origin !== expectedOrigin)
      throw new Forbidden(`this form was sent from ${origin}, not from this hub (${expectedOrigin})`);
    const body = await formBody(c);
    const field = body[CSRF_FIELD];
    const sent = typeof field === 'string' ? field : '';
    if (!sent || !same(sent, c.var.csrfToken)) {
      throw new Forbidden(
        'this form has expired or was not sent from this hub (its security token does not match your session); reload the page and send it again',
      );
    }
    await next();
  };
}
