import { randomBytes } from 'node:crypto';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { MiddlewareHandler } from 'hono';
import type { PeopleTable } from '../../store/schema.ts';
import type { Actor } from '../../app/core/hub.ts';
import { Unauthenticated } from '../../domain/errors.ts';
import { endWebSession, startWebSession, webSession } from '../../app/people/web-sessions.ts';
import type { WebContext, WebEnv } from './context.ts';
import { decodeComponent } from '../../domain/text.ts';

export const SESSION_COOKIE = 'wghub_session';
export const VISITOR_CSRF_COOKIE = 'wghub_csrf';
const FLASH_COOKIE = 'wghub_flash';

function cookieOptions(c: WebContext, maxAgeSeconds?: number) {
  return {
    path: '/',
    httpOnly: true,
    secure: c.var.config.secureCookies,
    sameSite: 'Lax' as const,
    ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}),
  };
}

/** Loads the session (if any), the CSRF token forms must carry, and a pending flash message. */
export function sessionMiddleware(): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const secret = getCookie(c, SESSION_COOKIE);
    const session = secret ? await webSession(c.var.hub, secret) : null;
    if (secret && !session) deleteCookie(c, SESSION_COOKIE, { path: '/' });
    c.set('session', session);
    let csrf = session?.csrfToken ?? getCookie(c, VISITOR_CSRF_COOKIE);
    if (!csrf) {
      // A visitor's forms (sign-in) are protected by a double-submit cookie until a session exists.
      csrf = randomBytes(24).toString('base64url');
      setCookie(c, VISITOR_CSRF_COOKIE, csrf, { ...cookieOptions(c), sameSite: 'Strict' });
    }
    c.set('csrfToken', csrf);
    const flash = getCookie(c, FLASH_COOKIE);
    // a malformed cookie (%E0%A4%A) is dropped, not an error on every page
    c.set('flash', flash ? (decodeComponent(flash)?.slice(0, 500) ?? null) : null);
    if (flash) deleteCookie(c, FLASH_COOKIE, { path: '/' });
    await next();
  };
}

/** The signed-in person, or null for a visitor. */
export function currentPerson(c: WebContext): PeopleTable | null {
  return c.var.session?.person ?? null;
}

/** Starts a session for a person and sets the cookie; the caller redirects. */
export async function signIn(c: WebContext, person: PeopleTable, via: 'demo' | 'oidc' | 'github'): Promise<void> {
  const old = getCookie(c, SESSION_COOKIE);
  if (old) await endWebSession(c.var.hub, old);
  const s = await startWebSession(c.var.hub, person.id, via, c.var.config.sessionHours);
  setCookie(c, SESSION_COOKIE, s.secret, cookieOptions(c, c.var.config.sessionHours * 3600));
}

export async function signOut(c: WebContext): Promise<void> {
  const secret = getCookie(c, SESSION_COOKIE);
  if (secret) await endWebSession(c.var.hub, secret);
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: c.var.config.secureCookies });
}

/** A message shown once on the next page (after a POST-redirect-GET). */
export function flash(c: WebContext, message: string): void {
  setCookie(c, FLASH_COOKIE, encodeURIComponent(message), { ...cookieOptions(c), maxAge: 60 });
}

/**
 * Only same-site relative paths are followed after sign-in, never another origin. No control
 * characters either: a browser drops a tab or line break inside a URL, so '/<tab>/evil.example'
 * would arrive as '//evil.example' (and a line break cannot go in a Location header at all).
 */
export function safeNext(next: string | undefined | null): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
  if (!next || !/^\/(?!\/)[^\\\x00-\x1f\x7f]*$/.test(next) || !next.isWellFormed()) return '/';
  // a Location header carries bytes, not characters: /é went out as one Latin-1 byte, and the browser
  // landed elsewhere; escaped as UTF-8 it is the page meant (a % already there is left as written)
  return next.replace(/[^\x21-\x7e]+/g, encodeURIComponent);
}

/**
 * Where a person goes after their first sign-in (or while they still owe the agreements): the
 * welcome page, carrying the page they were on their way to, which it offers to go on to and goes
 * to once they accept (an MCP client's consent page, whose authorization would otherwise restart).
 */
export function welcomeThen(next: string | undefined | null): string {
  const to = safeNext(next);
  return to === '/' || to.startsWith('/welcome') ? '/welcome' : `/welcome?next=${encodeURIComponent(to)}`;
}

/** The signed-in person as the actor of a use case; a visitor is sent to sign in (via the error page). */
export function actorFor(c: WebContext): Actor & { kind: 'person' } {
  const person = currentPerson(c);
  if (!person) throw new Unauthenticated('sign in first');
  return { kind: 'person', person };
}

/** The signed-in person as an actor, or null for a visitor: for views whose `can` a visitor reads too. */
export function viewerFor(c: WebContext): (Actor & { kind: 'person' }) | null {
  const person = currentPerson(c);
  return person ? { kind: 'person', person } : null;
}
