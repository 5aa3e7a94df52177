// The OpenID Connect round trip: /auth/login sends the browser to the provider, /auth/callback
// takes it back, links the account to a person (a new one for a newcomer) and starts a session.
import { noteFailure } from '../../../app/core/request-context.ts';
import { z } from 'zod';
import { html } from 'hono/html';
import type { Hono } from 'hono';
import { missingAgreements } from '../../../domain/people.ts';
import { claimedPerson, personForIdentity } from '../../../app/people/web-sessions.ts';
import { Forbidden } from '../../../domain/errors.ts';
import { hubOrigin, trustedHubOrigin, UntrustedHost } from '../../oauth.ts';
import type { WebContext, WebEnv } from '../context.ts';
import { finishOidcLogin, startOidcLogin } from '../oidc.ts';
import { render } from '../render.ts';
import { keepForSignIn, safeNext, signIn, takeKeptForSignIn, welcomeThen } from '../session.ts';

const LOGIN_COOKIE = 'wghub_oidc';

/**
 * The hub's origin for the addresses sign-in hands to a provider (its callback): WGHUB_PUBLIC_URL,
 * else the request's own, but only for a Host header the hub trusts, as for the OAuth addresses
 * (`hubOrigin`); throws UntrustedHost for any other.
 */
export function origin(c: WebContext): string {
  return hubOrigin(c.var.config.publicUrl, c.req.url, c.var.config.hosts);
}

/** The hub's origin, or null when the Host header names a host the hub does not trust. */
export function trustedOrigin(c: WebContext): string | null {
  return trustedHubOrigin(c.var.config.publicUrl, c.req.url, c.var.config.hosts);
}

/**
 * The hub's origin for a sign-in step, or its refusal: a Host header the hub does not trust is
 * answered 400 naming the rule, and no provider is handed an address naming that host.
 */
export function signInOrigin(c: WebContext): { at: string; refused?: never } | { refused: ReturnType<typeof failed> } {
  try {
    return { at: origin(c) };
  } catch (e) {
    if (e instanceof UntrustedHost) return { refused: failed(c, `${e.message}.`) };
    throw e;
  }
}

export function failed(c: WebContext, why: string, status: 400 | 403 | 502 = 400) {
  return render(c, {
    title: 'Sign-in failed',
    nav: 'sign-in',
    status,
    body: html`<h1>Sign-in failed</h1><p>${why}</p><p><a href="/sign-in">Try again</a></p>`,
  });
}

const Secret = z.string().min(1).max(499);
const LoginCookie = z.object({
  verifier: Secret,
  state: Secret,
  nonce: Secret,
  // the page to come back to: an MCP client's authorization request is up to 2,500 characters (OAUTH.authorizeQuery)
  next: z.string().min(1).max(2600),
  claim: Secret.optional(),
});
type LoginCookie = z.output<typeof LoginCookie>;

/** The secrets kept during a sign-in, or null when the cookie was tampered with or truncated. */
function loginCookie(raw: string): LoginCookie | null {
  try {
    const v = LoginCookie.safeParse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    return v.success ? v.data : null;
  } catch {
    return null;
  }
}

export const claimCode = (v: string | undefined) => (v && /^[A-Za-z0-9_-]{20,64}$/.test(v) ? v : undefined);

export function authRoutes(web: Hono<WebEnv>): void {
  // A claim link from a moderator: the next sign-in links to the person it names.
  web.get('/claim/:code', async (c) => {
    const code = claimCode(c.req.param('code'));
    const person = code ? await claimedPerson(c.var.hub, code) : null;
    const { oidc, github } = c.var.config;
    if (!person || !(oidc || github))
      return render(c, {
        title: 'Claim link not valid',
        status: 404,
        body: html`<h1>This claim link is not valid</h1><p>It is unknown, used or expired${oidc || github ? '' : ', or this hub has no sign-in provider'}. Ask a moderator for a new one.</p>`,
      });
    const ways = [
      ...(oidc ? [html`<a class="button" href="/auth/login?claim=${code}">Sign in to claim it</a>`] : []),
      ...(github
        ? [html`<a class="button" href="/auth/github/login?claim=${code}">Sign in with GitHub to claim it</a>`]
        : []),
    ];
    return render(c, {
      title: 'Claim your record',
      nav: 'sign-in',
      body: html`<h1>Claim your record</h1>
<p>This link lets you sign in as <strong>${person.name}</strong> (@${person.handle}) the first time. It works once.</p>
<p>${ways}</p>`,
    });
  });

  web.get('/auth/login', async (c) => {
    const o = c.var.config.oidc;
    if (!o) return c.redirect('/sign-in', 303);
    const hub = signInOrigin(c);
    if (hub.refused) return hub.refused;
    let login: Awaited<ReturnType<typeof startOidcLogin>>;
    try {
      login = await startOidcLogin(o, `${hub.at}/auth/callback`);
    } catch (e) {
      // the provider's failure is the operator's to see: logged with this request's 502 line
      if (!noteFailure(e)) console.error('OIDC discovery failed:', e);
      return failed(c, `The identity provider at ${o.issuer} did not answer; please try again later.`, 502);
    }
    const keep = JSON.stringify({
      verifier: login.verifier,
      state: login.state,
      nonce: login.nonce,
      next: safeNext(c.req.query('next')),
      ...(claimCode(c.req.query('claim')) ? { claim: c.req.query('claim') } : {}),
    });
    keepForSignIn(c, LOGIN_COOKIE, Buffer.from(keep).toString('base64url'));
    return c.redirect(login.url.href, 303);
  });

  web.get('/auth/callback', async (c) => {
    const o = c.var.config.oidc;
    if (!o) return c.redirect('/sign-in', 303);
    const hub = signInOrigin(c);
    if (hub.refused) return hub.refused;
    const raw = takeKeptForSignIn(c, LOGIN_COOKIE);
    if (!raw) return failed(c, 'This sign-in took too long or was started in another browser; please start again.');
    const login = loginCookie(raw);
    if (!login) return failed(c, 'This sign-in could not be read back; please start again.');
    const current = new URL(c.req.path + new URL(c.req.url).search, hub.at);
    let claims: Awaited<ReturnType<typeof finishOidcLogin>>;
    try {
      claims = await finishOidcLogin(o, current, login);
    } catch (e) {
      return failed(c, `The identity provider's answer was not accepted: ${(e as Error).message}`);
    }
    let linked: Awaited<ReturnType<typeof personForIdentity>>;
    try {
      linked = await personForIdentity(c.var.hub, claims, login.claim);
    } catch (e) {
      if (e instanceof Forbidden) return failed(c, e.message);
      throw e;
    }
    const { person, created } = linked;
    await signIn(c, person, 'oidc');
    const needsWelcome =
      created ||
      missingAgreements(c.var.hub.governance, { cocVersion: person.coc_version, termsVersion: person.terms_version })
        .length > 0;
    return c.redirect(needsWelcome ? welcomeThen(login.next) : safeNext(login.next), 303);
  });
}
