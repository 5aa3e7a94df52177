import { timingSafeEqual } from 'node:crypto';
import { html } from 'hono/html';
import type { MiddlewareHandler } from 'hono';
import { Forbidden, InvalidInput, invalid } from '../../domain/errors.ts';
import { wrongFormFields } from './forms.ts';
import type { WebContext, WebEnv } from './context.ts';
import { LIMITS } from '../../domain/limits.ts';
import { NOT_UTF8, utf8Text } from '../../domain/text.ts';

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
  const type = c.req.header('content-type') ?? '';
  const urlencoded = /^application\/x-www-form-urlencoded\b/i.test(type);
  const boundary = /^multipart\/form-data\b/i.test(type) ? /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(type) : null;
  if (urlencoded || boundary) {
    // bytes that are not UTF-8 (a form sent as Latin-1, a part's raw bytes) were read as U+FFFD and
    // stored so, the text typed lost (attack round 21): refused as REST and MCP refuse such bodies
    const raw = utf8Text(await c.req.raw.clone().arrayBuffer());
    if (raw === null) throw invalid('(body)', NOT_UTF8);
    // counted before anything parses it: parsing a 1 MiB form of tiny fields stalled the event loop
    const problem = urlencoded ? urlencodedProblem(raw) : multipartProblem(raw, boundary![1] ?? boundary![2]!);
    if (problem) throw invalid('(body)', problem);
  }
  // a body of another type (JSON, text/plain) was read as no form at all and told its token had
  // expired, which it had not (attack round 29): the type it was sent as is named
  // and so was a body sent with no Content-Type at all: refused naming that none was sent (a body-less
  // post, a button's, is read as before, and told of its token)
  else if (
    type.trim() ? !/^multipart\/form-data\b/i.test(type) : (await c.req.raw.clone().arrayBuffer()).byteLength > 0
  )
    throw invalid(
      '(body)',
      `must be a form, sent as application/x-www-form-urlencoded or multipart/form-data (${type.trim() ? (/^[\w.+-]+\/[\w.+-]+/.exec(type)?.[0]?.toLowerCase() ?? 'another type') + ' was sent' : 'none was sent'})`,
    );
  try {
    return await c.req.parseBody();
  } catch (e) {
    const why = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
    throw invalid('(body)', `must be a form as its Content-Type says (multipart/form-data with its boundary)${why}`);
  }
}

/** Occurrences of `needle` in `text`, counting stopped once past `max`. */
function occurrences(text: string, needle: string, max: number): number {
  let n = 0;
  for (let at = text.indexOf(needle); at !== -1 && n <= max; at = text.indexOf(needle, at + needle.length)) n++;
  return n;
}

const TOO_MANY_FIELDS = `must have at most ${LIMITS.form.fields} fields (no form on this hub has nearly so many)`;

function urlencodedProblem(raw: string): string | null {
  if (occurrences(raw, '&', LIMITS.form.fields) + 1 > LIMITS.form.fields) return TOO_MANY_FIELDS;
  // a %-escape of bytes that are not UTF-8 (a form sent as Latin-1: caf%E9) would be read as U+FFFD
  // and stored so, the text typed lost without a word: refused as REST and MCP refuse such bodies
  for (const pair of raw.split('&')) {
    try {
      decodeURIComponent(pair.replace(/\+/g, ' '));
    } catch {
      return 'must be UTF-8 text: a field holds %-escaped bytes that are not (was the form sent in another encoding?)';
    }
  }
  return null;
}

function multipartProblem(raw: string, boundary: string): string | null {
  const delimiter = `--${boundary}`;
  // the last delimiter closes the form, every other opens a part
  if (occurrences(raw, delimiter, LIMITS.form.fields + 1) - 1 > LIMITS.form.fields) return TOO_MANY_FIELDS;
  for (let at = raw.indexOf(delimiter); at !== -1; at = raw.indexOf(delimiter, at + delimiter.length)) {
    const from = at + delimiter.length;
    if (raw.startsWith('--', from)) break; // the form's end
    // a part's headers end at its blank line, looked for no further than the bound
    const headers = raw.slice(from, from + LIMITS.form.partHeaderChars);
    if (headers.length === LIMITS.form.partHeaderChars && !headers.includes('\r\n\r\n') && !headers.includes(delimiter))
      return `must have at most ${LIMITS.form.partHeaderChars} characters in the headers of one part`;
  }
  return null;
}

/** Fields a form carries for the hub, not typed by the person: never shown back. */
const NOT_TYPED = new Set([CSRF_FIELD, 'version', 'next']);

/** The text fields of a refused form that hold something, as typed. */
function typedIn(body: Record<string, unknown>): { name: string; value: string }[] {
  return Object.entries(body)
    .filter(([name, value]) => !NOT_TYPED.has(name) && typeof value === 'string' && value.trim() !== '')
    .map(([name, value]) => ({ name, value: value as string }));
}

/**
 * A form refused for its token: the session it was loaded in has ended (signed out in another tab,
 * or past its hours). `typed` is what it carried, shown back on the refusal so no text is lost.
 */
export class ExpiredForm extends Forbidden {
  readonly typed: { name: string; value: string }[];
  constructor(message: string, typed: { name: string; value: string }[]) {
    super(message);
    this.typed = typed;
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
      throw new ExpiredForm(
        'this form has expired or was not sent from this hub (its security token does not match your session); reload the page and send it again',
        // what was typed is shown back only to a form this hub's own page sent (the session ended in
        // another tab, or with time): never text another site posted, to be shown under this hub's name.
        // The pages send no referrer, so a browser's Origin is "null": its Sec-Fetch-Site says whence
        origin === expectedOrigin || c.req.header('sec-fetch-site') === 'same-origin' ? typedIn(body) : [],
      );
    }
    // a field sent twice (title=a&title=b) is named, never read as its last (Hono keeps the parsed form),
    // and so is one sent as a file
    const all = await c.req.parseBody({ all: true });
    const wrong = wrongFormFields(all, c.req.path);
    if (wrong.length) throw new InvalidInput(wrong);
    await next();
  };
}
