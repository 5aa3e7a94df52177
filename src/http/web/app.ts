// The web UI: server-rendered pages at /, beside REST (/api) and MCP (/mcp) on the same port.
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { html } from 'hono/html';
import { secureHeaders } from 'hono/secure-headers';
import type { Hub } from '../../app/core/hub.ts';
import { DomainError, invalid } from '../../domain/errors.ts';
import { DATA_EXCEPTION, isDataException } from '../../store/errors.ts';
import { ASSETS, serveAsset } from './assets.ts';
import { webConfigFromEnv, type WebConfig } from './config.ts';
import type { WebContext, WebEnv } from './context.ts';
import { csrfProtection } from './csrf.ts';
import { formProblem } from './forms.ts';
import { render } from './render.ts';
import { sessionMiddleware } from './session.ts';
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
import { artifactRoutes } from './pages/artifacts.ts';
import { proposalEditRoutes } from './pages/proposal-edit.ts';
import { notificationRoutes } from './pages/notifications.ts';
import { githubRoutes } from './pages/github.ts';
import { githubMirrorRoutes } from './pages/github-mirror.ts';
import { developerRoutes, type ApiEndpoint } from './pages/developers.ts';
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
  const p = formProblem(e, viewerZone(c));
  if (p.status === 401) return c.redirect(`/sign-in?next=${encodeURIComponent(c.req.path)}`, 303);
  return render(c, {
    title: TITLES[p.status] ?? 'Error',
    status: p.status,
    body: html`<h1>${TITLES[p.status] ?? 'Error'}</h1><p>${p.message}</p><p><a href="/">Back to the start</a></p>`,
  });
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
  });
  web.onError((e, c) => {
    if (e instanceof DomainError) return errorPage(c as WebContext, e);
    if (isDataException(e)) return errorPage(c as WebContext, invalid('input', DATA_EXCEPTION));
    console.error(e);
    return c.html(
      '<!doctype html><title>Error · wghub</title><h1>The server failed</h1><p>The error is in its log.</p>',
      500,
    );
  });
  signInRoutes(web);
  authRoutes(web);
  githubAuthRoutes(web);
  homeRoutes(web);
  welcomeRoutes(web);
  groupRoutes(web);
  artifactRoutes(web); // before /artifacts/*, so the list is not a document
  readingRoutes(web);
  proposalNewRoutes(web); // before /proposals/:ref, so /proposals/new is not a ref
  liveHintsRoutes(web);
  proposalEditRoutes(web);
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
 * The page one segment up from a POST-only form action, when a page answers there; else null (a 404).
 * `raw` is the same path still percent-encoded, for the Location; it is always a path on this site.
 */
function formPageOf(web: Hono<WebEnv>, path: string, raw: string): string | null {
  if (isWebRoute(web, 'GET', path) || !isWebRoute(web, 'POST', path)) return null;
  const parent = path.slice(0, path.lastIndexOf('/')) || '/';
  const location = raw.slice(0, raw.lastIndexOf('/')) || '/';
  // "//host" or "/\host" would be another site to a browser
  if (!/^\/(?![/\\])/.test(location) || !isWebRoute(web, 'GET', parent)) return null;
  return location;
}

const routeMatchers = new WeakMap<Hono<WebEnv>, { method: string; re: RegExp }[]>();

/** Whether a page (not just middleware) answers this method and path. */
function isWebRoute(web: Hono<WebEnv>, method: string, path: string): boolean {
  let matchers = routeMatchers.get(web);
  if (!matchers) {
    matchers = web.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => ({
        method: r.method,
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
  return matchers.some((m) => m.method === method && m.re.test(path));
}

/** The HTML 404 for paths no edge serves, when a browser asked for a page. */
export function wantsHtml(accept: string | undefined, path: string): boolean {
  return !NOT_WEB.test(path) && /text\/html/.test(accept ?? '');
}
