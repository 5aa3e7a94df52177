// Sign-in with GitHub: /auth/github/login sends the browser to GitHub's authorize page with a
// random `state` kept in a cookie; /auth/github/callback takes it back, refuses a state that does
// not match (a forged or replayed callback), exchanges the code, and signs the account in as the
// person its login names (app/people/github-sign-in.ts).
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Hono } from 'hono';
import { missingAgreements } from '../../../domain/people.ts';
import { personForGithub } from '../../../app/people/github-sign-in.ts';
import { Forbidden } from '../../../domain/errors.ts';
import type { WebContext, WebEnv } from '../context.ts';
import {
  finishGithubLogin,
  GithubSignInRefused,
  GithubSignInUnavailable,
  githubWebRoot,
  startGithubLogin,
} from '../github-oauth.ts';
import { keepForSignIn, safeNext, signIn, takeKeptForSignIn, welcomeThen } from '../session.ts';
import { claimCode, failed, signInOrigin } from './auth.ts';
import { html } from 'hono/html';
import { render } from '../render.ts';

const COOKIE = 'wghub_github';

const Kept = z.object({
  state: z.string().min(20).max(100),
  // the page to come back to: an MCP client's authorization request is up to 2,500 characters (OAUTH.authorizeQuery)
  next: z.string().min(1).max(2600),
  claim: z.string().max(100).optional(),
});
type Kept = z.output<typeof Kept>;

function readKept(raw: string): Kept | null {
  try {
    const v = Kept.safeParse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    return v.success ? v.data : null;
  } catch {
    return null;
  }
}

function sameState(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** GitHub sign-in cannot run on this hub now: 503, saying nothing was changed and what else works. */
function unavailable(c: WebContext, kept: { next: string } | null) {
  c.header('Retry-After', '300');
  const next = safeNext(kept?.next ?? c.req.query('next'));
  return render(c, {
    title: 'Sign-in with GitHub is unavailable',
    nav: 'sign-in',
    status: 503,
    body: html`<h1>Sign-in with GitHub is unavailable</h1>
<p>This hub cannot reach its GitHub sign-in just now, so nobody was signed in. Nothing was lost or changed: what you wrote in the hub before stays as it was, and the page you came from is still there.</p>
<p>Try again in a few minutes. If it keeps happening, tell the hub's operators: their log says why.</p>
<p><a href="/sign-in?next=${encodeURIComponent(next)}">Back to sign-in</a> (another way to sign in may work) · <a href="${next}">Back to where you were</a></p>`,
  });
}

export function githubAuthRoutes(web: Hono<WebEnv>): void {
  web.get('/auth/github/login', async (c) => {
    const gh = c.var.config.github;
    if (!gh) return c.redirect('/sign-in', 303);
    const hub = signInOrigin(c);
    if (hub.refused) return hub.refused;
    let started: Awaited<ReturnType<typeof startGithubLogin>>;
    try {
      started = await startGithubLogin(gh, `${hub.at}/auth/github/callback`);
    } catch (e) {
      if (e instanceof GithubSignInUnavailable) return unavailable(c, null);
      throw e;
    }
    const { url, state } = started;
    const claim = claimCode(c.req.query('claim'));
    const kept: Kept = { state, next: safeNext(c.req.query('next')), ...(claim ? { claim } : {}) };
    keepForSignIn(c, COOKIE, Buffer.from(JSON.stringify(kept)).toString('base64url'));
    return c.redirect(url, 303);
  });

  web.get('/auth/github/callback', async (c) => {
    const gh = c.var.config.github;
    if (!gh) return c.redirect('/sign-in', 303);
    const hub = signInOrigin(c);
    if (hub.refused) return hub.refused;
    const raw = takeKeptForSignIn(c, COOKIE);
    if (!raw) return failed(c, 'This sign-in took too long or was started in another browser; please start again.');
    const kept = readKept(raw);
    if (!kept) return failed(c, 'This sign-in could not be read back; please start again.');
    const q = c.req.query();
    if (!q.state || !sameState(q.state, kept.state))
      return failed(
        c,
        'This answer from GitHub does not belong to the sign-in started in this browser (its state does not match), so nobody was signed in; please start again.',
      );
    if (q.error === 'access_denied')
      return failed(c, 'You did not authorise this hub on GitHub, so you are not signed in. Nothing was changed.', 403);
    if (q.error) return failed(c, `GitHub did not sign you in (${q.error.slice(0, 100)}); please start again.`);
    if (!q.code) return failed(c, 'GitHub sent no sign-in code back; please start again.');
    let account: Awaited<ReturnType<typeof finishGithubLogin>>;
    try {
      account = await finishGithubLogin(gh, q.code, `${hub.at}/auth/github/callback`);
    } catch (e) {
      if (e instanceof GithubSignInUnavailable) return unavailable(c, kept);
      if (!(e instanceof GithubSignInRefused)) throw e;
      console.warn(`GitHub sign-in refused: ${e.message}`);
      return failed(c, e.message, e.status);
    }
    let linked: Awaited<ReturnType<typeof personForGithub>>;
    try {
      linked = await personForGithub(c.var.hub, { issuer: githubWebRoot(gh), ...account }, kept.claim);
    } catch (e) {
      if (e instanceof Forbidden) return failed(c, e.message, 403);
      throw e;
    }
    const { person, created } = linked;
    await signIn(c, person, 'github');
    const needsWelcome =
      created ||
      missingAgreements(c.var.hub.governance, { cocVersion: person.coc_version, termsVersion: person.terms_version })
        .length > 0;
    return c.redirect(needsWelcome ? welcomeThen(kept.next) : safeNext(kept.next), 303);
  });
}
