// The web UI: server-rendered pages at /, beside REST (/api) and MCP (/mcp) on the same port.
import { noteFailure } from '../../app/core/request-context.ts';
import { slugAsStored } from '../../domain/community.ts';
import { type Context, Hono } from 'hono';
import { compress } from 'hono/compress';
import { html, raw } from 'hono/html';
import { secureHeaders } from 'hono/secure-headers';
import type { Hub } from '../../app/core/hub.ts';
import { DomainError, invalid } from '../../domain/errors.ts';
import { DATA_EXCEPTION, isDataException } from '../../store/errors.ts';
import { ASSETS, serveAsset } from './assets.ts';
import { webConfigFromEnv, type WebConfig } from './config.ts';
import type { WebContext, WebEnv } from './context.ts';
import { csrfProtection, ExpiredForm } from './csrf.ts';
import { formProblem } from './forms.ts';
import { render } from './render.ts';
import { currentPerson, sessionMiddleware } from './session.ts';
import { homeRoutes } from './pages/home.ts';
import { signInRoutes } from './pages/sign-in.ts';
import { authRoutes } from './pages/auth.ts';
import { githubAuthRoutes } from './pages/github-auth.ts';
import { welcomeRoutes } from './pages/welcome.ts';
import { groupRoutes } from './pages/groups.ts';
import { readingRoutes } from './pages/reading.ts';
import { proposalNewRoutes } from './pages/proposal-new.ts';
import { liveHintsRoutes } from './pages/hints-live.ts';
import { proposalRoutes } from './pages/proposals.ts';
import { decisionRoutes } from './pages/decisions.ts';
import { meetingRoutes } from './pages/meetings.ts';
import { peopleRoutes } from './pages/people.ts';
import { personNewRoutes } from './pages/person-new.ts';
import { artifactRoutes } from './pages/artifacts.ts';
import { proposalEditRoutes } from './pages/proposal-edit.ts';
import { proposalPullRequestDraftRoutes } from './pages/proposal-pr-draft.ts';
import { notificationRoutes } from './pages/notifications.ts';
import { githubRoutes } from './pages/github.ts';
import { githubMirrorRoutes } from './pages/github-mirror.ts';
import { developerRoutes, type ApiEndpoint } from './pages/developers.ts';
import { oauthAuthorizeRoutes } from './pages/oauth-authorize.ts';
import { viewerZone } from './format.ts';

/** Paths that belong to other edges; the web middleware leaves them alone. */
const NOT_WEB = /^\/(api|mcp|healthz|readyz|metrics|\.well-known)(\/|$)/;

const TITLES: Record<number, string> = {
  401: 'Please sign in',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Someone else changed this first',
  422: 'That did not work',
  428: 'That did not work',
};

/** An error page for a request that failed outside a form (a missing group, a forbidden page). */
export async function errorPage(c: WebContext, e: unknown): Promise<Response> {
  const p = formProblem(e, viewerZone(c), c.var.hub.governance);
  if (p.status === 401) {
    // back to the page asked for as it was asked (a new proposal opened from a group keeps ?group=)
    const asked = new URL(c.req.url);
    const back = c.req.method === 'GET' ? `${asked.pathname}${asked.search}` : c.req.path;
    return c.redirect(`/sign-in?next=${encodeURIComponent(back)}`, 303);
  }
  return render(c, {
    title: TITLES[p.status] ?? 'Error',
    status: p.status,
    body: html`<h1>${TITLES[p.status] ?? 'Error'}</h1><p>${p.message}</p>${e instanceof ExpiredForm ? keptText(c, e) : ''}${p.status === 403 ? insteadOf(c.req.path) : ''}<p><a href="/">Back to the start</a></p>`,
  });
}

/**
 * A refused page reached by its address (a bookmark, a link shared by a lead) said only who may, and
 * led back to the start: the page of the thing it belongs to says what is the viewer's to do there.
 */
function insteadOf(path: string) {
  const owner = /^\/(groups|proposals|decisions|meetings|people|artifacts)\/[^/]+/.exec(path)?.[0];
  return html`<p>${owner && owner !== path ? html`<a href="${owner}">Back to its page</a>: it shows what is yours to do there. ` : ''}<a href="/how-we-work#who-may-do-what">Who may do what</a> lists every permission.</p>`;
}

/**
 * What a form refused for its token carried, to copy back into the form once it is loaded again:
 * notes or a comment typed over an hour were lost when the session ended in another tab.
 */
function keptText(c: WebContext, e: ExpiredForm) {
  if (!e.typed.length) return '';
  const signedOut = !currentPerson(c);
  return html`<section aria-labelledby="kept"><h2 id="kept">What you typed</h2>
<p>Nothing was saved${signedOut ? html`, and you are signed out (in another tab, or your session ended)` : ''}. Copy your text from here, ${signedOut ? html`<a href="/sign-in">sign in</a>, ` : ''}load the form again and paste it back.</p>
${e.typed.map((f, i) => html`<label for="kept-${i}">${f.name}</label><textarea id="kept-${i}" readonly rows="${Math.min(12, f.value.split('\n').length + 1)}">${f.value}</textarea>`)}</section>`;
}

/**
 * A page with no layout around it, under the community's name as every page is: for a failure of
 * the server (the layout itself may be what fails) and a path no page answers outside the web's pages.
 */
function barePage(hub: Hub, title: string, body: string): string {
  return String(
    html`<!doctype html><html lang="en"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · ${hub.governance.community.name}</title><main>${raw(body)}</main></html>`,
  );
}

/**
 * The page for a path no page answers: inside the layout (the community's name, its navigation and
 * sign-in) where the web's middleware ran for it, else bare under the community's name.
 */
export function notFoundPage(c: Context, hub: Hub): Response | Promise<Response> {
  const body = '<h1>Not found</h1><p>No page here. <a href="/">Back to the start</a></p>';
  const web = c as unknown as WebContext;
  if (web.var.hub && web.var.config) return render(web, { title: 'Not found', status: 404, body: raw(body) });
  return c.html(barePage(hub, 'Not found', body), 404);
}

/** `endpoints`: the REST routes, listed on the page for scripts and assistants. */
export function webApp(hub: Hub, config: WebConfig = webConfigFromEnv(), endpoints: ApiEndpoint[] = []): Hono<WebEnv> {
  const web = new Hono<WebEnv>();
  // No inline script or style anywhere, so the policy can forbid them; pages may not be framed;
  // forms post only here (and on to the identity provider, where sign-in redirects); images come
  // only from the hub itself (markdown shows other sites' images as links), so no comment can
  // make every reader's browser call a tracker.
  const pageHeaders = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      formAction: ["'self'", ...(config.oidc ? [new URL(config.oidc.issuer).origin] : [])],
      styleSrc: ["'self'"],
      scriptSrc: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      objectSrc: ["'none'"],
    },
  });
  web.use('/assets/*', compress());
  serveAsset(web, ASSETS.css);
  serveAsset(web, ASSETS.js);
  const compressPages = compress();
  const sessions = sessionMiddleware();
  const csrf = csrfProtection();
  // a group's or topic area's short name in an address is read as it is stored (`slugAsStored`, the one
  // resolver every edge reads names through): /groups/Hosting is the hosting group's page, reached at
  // its own address (301; a form posted there, 308, posts again to it)
  web.use('/groups/*', async (c, next) => {
    const url = new URL(c.req.url);
    const canonical = groupPathAsStored(url.pathname);
    if (canonical === url.pathname) return next();
    return c.redirect(`${canonical}${url.search}`, c.req.method === 'GET' || c.req.method === 'HEAD' ? 301 : 308);
  });
  web.use('*', async (c, next) => {
    if (NOT_WEB.test(c.req.path)) return next();
    // a POST to no page (an OAuth client trying /register) is a 404, not a CSRF refusal
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && !isWebRoute(web, c.req.method, c.req.path)) return next();
    c.set('hub', hub);
    c.set('config', config);
    await pageHeaders(c, async () => {
      await compressPages(c, async () => {
        await sessions(c, async () => {
          await csrf(c, next);
        });
      });
    });
    const also = c.get('formActionAlso');
    const policy = c.res.headers.get('Content-Security-Policy');
    if (also && policy)
      c.res.headers.set('Content-Security-Policy', policy.replace("form-action 'self'", `form-action 'self' ${also}`));
  });
  web.onError((e, c) => {
    if (e instanceof DomainError) return errorPage(c as WebContext, e);
    if (isDataException(e)) return errorPage(c as WebContext, invalid('input', DATA_EXCEPTION));
    if (!noteFailure(e)) console.error(e);
    return c.html(barePage(hub, 'Error', '<h1>The server failed</h1><p>The error is in its log.</p>'), 500);
  });
  signInRoutes(web);
  authRoutes(web);
  githubAuthRoutes(web);
  oauthAuthorizeRoutes(web);
  homeRoutes(web);
  welcomeRoutes(web);
  groupRoutes(web);
  artifactRoutes(web); // before /artifacts/*, so the list is not a document
  personNewRoutes(web); // before /people/:handle, so /people/new is not a handle
  readingRoutes(web);
  proposalNewRoutes(web); // before /proposals/:ref, so /proposals/new is not a ref
  liveHintsRoutes(web);
  proposalEditRoutes(web);
  proposalPullRequestDraftRoutes(web);
  proposalRoutes(web);
  decisionRoutes(web);
  meetingRoutes(web);
  peopleRoutes(web);
  notificationRoutes(web);
  githubRoutes(web);
  githubMirrorRoutes(web);
  developerRoutes(web, endpoints);
  // Last, so only a GET no page answered reaches it. A form that fails is shown again at its action,
  // a POST-only path: reloading or sharing that address would then find nothing there.
  web.use('*', async (c, next) => {
    if ((c.req.method !== 'GET' && c.req.method !== 'HEAD') || NOT_WEB.test(c.req.path)) return next();
    const page = formPageOf(web, c.req.path, new URL(c.req.url).pathname);
    return page ? c.redirect(page, 303) : next();
  });
  return web;
}

/**
 * A /groups/… path with its group's (and topic area's) short name as stored. Only a segment that could
 * be a short name (ASCII letters, digits, hyphens) is folded: one with a percent-escape names no group,
 * and its escape's hex is left as written (/groups/caf%C3%A9 is not sent to /groups/caf%c3%a9).
 */
export function groupPathAsStored(path: string): string {
  const seg = path.split('/');
  if (seg[1] !== 'groups' || !seg[2]) return path;
  const fold = (s: string) => (SLUG_LIKE.test(s) ? slugAsStored(s) : s);
  seg[2] = fold(seg[2]);
  if (seg[3] === 'topics' && seg[4]) seg[4] = fold(seg[4]);
  return seg.join('/');
}
const SLUG_LIKE = /^[A-Za-z0-9-]+$/;

/**
 * POST-only actions whose form is on a page that is not up their own path: that page's route, with
 * the action's path parameters. Every other action's form is on the nearest page up its path.
 */
const FORM_PAGES: Readonly<Record<string, string>> = {
  '/groups/:slug/charter': '/groups/:slug/charter/edit',
  // "Mark as seen" is on the home
  '/home/seen': '/',
  '/me/reply-addresses/revoke': '/me/notifications',
  '/people/:handle/tokens': '/people/:handle/edit',
  '/people/:handle/tokens/:id/revoke': '/people/:handle/edit',
  '/people/:handle/mcp-clients/:id/revoke': '/people/:handle/edit',
  '/people/:handle/email-confirmation': '/people/:handle/edit',
  '/people/:handle/role': '/people/:handle/edit',
};

/**
 * The page a POST-only form action's form is on, for a GET of the action (a reload of a refused
 * form); null when the path is a page or no form's action (a 404). The page is the one `FORM_PAGES`
 * names, else the nearest route up the action's route, with the same path parameters, that answers
 * GET there; the site's root only for a one-segment action (sign-out, a subscription), whose form is
 * on every page. `raw` is the same path still percent-encoded, for the Location, which is always a
 * path on this site.
 */
export function formPageOf(web: Hono<WebEnv>, path: string, raw: string): string | null {
  const routes = webRoutes(web);
  const answering = (method: string, p: string) => routes.find((r) => r.method === method && r.re.test(p));
  const action = answering('GET', path) ? undefined : answering('POST', path);
  if (!action) return null;
  const pattern = action.path.split('/');
  const [decoded, encoded] = [path.split('/'), raw.split('/')];
  // a parameter is one whole segment, so route and path line up ('*' may span several: none is a form's)
  if (pattern.includes('*') || decoded.length !== pattern.length || encoded.length !== pattern.length) return null;
  const fill = (route: string, segments: string[]) =>
    route
      .split('/')
      .map((seg) => (seg.startsWith(':') ? segments[pattern.indexOf(seg)] : seg))
      .join('/') || '/';
  const up = pattern.slice(1).map((_, n) => pattern.slice(0, pattern.length - 1 - n).join('/') || '/');
  const declared = FORM_PAGES[action.path];
  for (const page of declared ? [declared] : up.filter((p) => p !== '/' || pattern.length === 2)) {
    const location = fill(page, encoded);
    // "//host" or "/\host" would be another site to a browser
    if (!/^\/(?![/\\])/.test(location)) return null;
    // the page must be this route, not another that the same path also fits (/proposals/new)
    if (answering('GET', fill(page, decoded))?.path === page) return location;
  }
  return null;
}

const routeMatchers = new WeakMap<Hono<WebEnv>, { method: string; path: string; re: RegExp }[]>();

/** The pages' routes (not middleware), in the order they were added, which is the order they answer. */
function webRoutes(web: Hono<WebEnv>): { method: string; path: string; re: RegExp }[] {
  let matchers = routeMatchers.get(web);
  if (!matchers) {
    matchers = web.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => ({
        method: r.method,
        path: r.path,
        re: new RegExp(
          `^${r.path
            .split('/')
            .map((seg) =>
              seg.startsWith(':') ? '[^/]+' : seg === '*' ? '.*' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
            )
            .join('/')}$`,
        ),
      }));
    routeMatchers.set(web, matchers);
  }
  return matchers;
}

/** Whether a page (not just middleware) answers this method and path. */
function isWebRoute(web: Hono<WebEnv>, method: string, path: string): boolean {
  return webRoutes(web).some((m) => m.method === method && m.re.test(path));
}

/** The HTML 404 for paths no edge serves, when a browser asked for a page. */
export function wantsHtml(accept: string | undefined, path: string): boolean {
  return !NOT_WEB.test(path) && /text\/html/.test(accept ?? '');
}
