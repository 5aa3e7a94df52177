import { randomBytes } from 'node:crypto';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { MiddlewareHandler } from 'hono';
import type { PeopleTable } from '../../store/schema.ts';
import type { Actor } from '../../app/core/hub.ts';
import { Unauthenticated } from '../../domain/errors.ts';
import { endWebSession, startWebSession, type WebSession, webSession } from '../../app/people/web-sessions.ts';
import type { WebContext, WebEnv } from './context.ts';
import { decodeComponent } from '../../domain/text.ts';
import { credentialSignsIn } from '../known-credentials.ts';

export const SESSION_COOKIE = 'wghub_session';
export const VISITOR_CSRF_COOKIE = 'wghub_csrf';
const FLASH_COOKIE = 'wghub_flash';
/**
 * Over https (secure cookies) the cookies are named with this prefix: a browser keeps such a cookie
 * only when it is Secure, has Path=/ and no Domain, so a sibling subdomain (evil.example.org beside
 * hub.example.org) can neither plant nor overwrite it. Over plain http on the loopback a browser
 * refuses the prefix, so the names stay bare there.
 */
const HOST_PREFIX = '__Host-';

/** A cookie's name as this hub hands it out: `__Host-` before it when served over https. */
export function cookieName(c: WebContext, name: string): string {
  return c.var.config.secureCookies ? HOST_PREFIX + name : name;
}

function cookieOptions(c: WebContext, maxAgeSeconds?: number) {
  return {
    path: '/',
    httpOnly: true,
    secure: c.var.config.secureCookies,
    sameSite: 'Lax' as const,
    ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}),
  };
}

function dropCookie(c: WebContext, name: string): void {
  deleteCookie(c, name, { path: '/', secure: c.var.config.secureCookies });
}

/**
 * The session of the request: its __Host- cookie's over https, else its bare cookie's. Over https a
 * cookie under the bare name signs nobody in, whatever session it names, and is cleared: a sibling
 * subdomain can plant one (`Domain=.example.org`), and no check here could tell a session the
 * browser was handed before the upgrade from one an attacker planted there (their own, to have the
 * victim act as them), so a session from before the upgrade is not carried over: its person signs in
 * once again.
 */
async function sessionOf(c: WebContext): Promise<{ secret: string; session: WebSession } | null> {
  const name = cookieName(c, SESSION_COOKIE);
  const secret = getCookie(c, name);
  const session = secret ? await webSession(c.var.hub, secret) : null;
  if (secret && !session) dropCookie(c, name);
  if (secret && session) credentialSignsIn(c.var.hub, 'session', secret);
  if (c.var.config.secureCookies && getCookie(c, SESSION_COOKIE) !== undefined) dropCookie(c, SESSION_COOKIE);
  return secret && session ? { secret, session } : null;
}

/**
 * Keeps what a sign-in round trip needs back (its state, PKCE verifier and nonce, the page to return
 * to) for ten minutes, under a name as the session's: over https a __Host- cookie, so a sibling
 * subdomain cannot plant its own round trip (its state and verifier, to sign the victim in as the
 * attacker when the provider sends them back). Lax, not Strict: the provider's redirect back is a
 * cross-site top-level navigation. Path=/ because the prefix requires it.
 */
export function keepForSignIn(c: WebContext, name: string, value: string): void {
  setCookie(c, cookieName(c, name), value, cookieOptions(c, 600));
}

/** What keepForSignIn kept, read once: the cookie is cleared whatever it held. */
export function takeKeptForSignIn(c: WebContext, name: string): string | undefined {
  const named = cookieName(c, name);
  const value = getCookie(c, named);
  if (value !== undefined) dropCookie(c, named);
  return value;
}

/** Loads the session (if any), the CSRF token forms must carry, and a pending flash message. */
export function sessionMiddleware(): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const found = await sessionOf(c);
    const session = found?.session ?? null;
    c.set('session', session);
    c.set('sessionSecret', found?.secret ?? null);
    const csrfName = cookieName(c, VISITOR_CSRF_COOKIE);
    // the bare name is not read over https: a sibling subdomain could plant it and know the token
    let csrf = session?.csrfToken ?? getCookie(c, csrfName);
    if (!csrf) {
      // A visitor's forms (sign-in) are protected by a double-submit cookie until a session exists.
      csrf = randomBytes(24).toString('base64url');
      setCookie(c, csrfName, csrf, { ...cookieOptions(c), sameSite: 'Strict' });
    }
    c.set('csrfToken', csrf);
    const flashName = cookieName(c, FLASH_COOKIE);
    const flash = getCookie(c, flashName);
    // a malformed cookie (%E0%A4%A) is dropped, not an error on every page
    c.set('flash', flash ? (decodeComponent(flash)?.slice(0, 500) ?? null) : null);
    if (flash) dropCookie(c, flashName);
    await next();
  };
}

/** The signed-in person, or null for a visitor. */
export function currentPerson(c: WebContext): PeopleTable | null {
  return c.var.session?.person ?? null;
}

/** Starts a session for a person and sets the cookie; the caller redirects. */
export async function signIn(c: WebContext, person: PeopleTable, via: 'demo' | 'oidc' | 'github'): Promise<void> {
  // the session this request was signed in with (under whichever name) ends: one person at a time
  const own = c.var.sessionSecret;
  if (own) await endWebSession(c.var.hub, own);
  const secure = c.var.config.secureCookies;
  const s = await startWebSession(c.var.hub, person.id, via, c.var.config.sessionHours, secure);
  setCookie(c, cookieName(c, SESSION_COOKIE), s.secret, cookieOptions(c, c.var.config.sessionHours * 3600));
}

export async function signOut(c: WebContext): Promise<void> {
  await endSessionsOf(c);
  dropCookie(c, cookieName(c, SESSION_COOKIE));
}

/**
 * Ends the session the request was signed in with (as the session middleware found it, under
 * whichever name), and over https one still named by a bare cookie from before the upgrade (which
 * signs nobody in there, but is the browser's own and would sign in again were the hub served over
 * plain http from the same database).
 */
async function endSessionsOf(c: WebContext): Promise<void> {
  const own = c.var.sessionSecret;
  if (own) await endWebSession(c.var.hub, own);
  const old = c.var.config.secureCookies ? getCookie(c, SESSION_COOKIE) : undefined;
  if (old && old !== own) await endWebSession(c.var.hub, old);
}

/** A message shown once on the next page (after a POST-redirect-GET). */
export function flash(c: WebContext, message: string): void {
  setCookie(c, cookieName(c, FLASH_COOKIE), encodeURIComponent(message), { ...cookieOptions(c), maxAge: 60 });
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
