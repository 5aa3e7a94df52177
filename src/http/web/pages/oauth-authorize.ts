// The authorization endpoint of the hub's OAuth server for MCP clients (RFC 6749 §4.1 with PKCE;
// the metadata and token endpoints are in src/http/oauth.ts): a visitor is sent to sign in and
// brought back; a signed-in person sees which client asks (its registered name, unverified, and
// where it sends them back) and what it could do as them, and allows or denies with a plain form
// (CSRF-protected by the web's middleware; no script). Errors go to the client's redirect URI
// only once it is known to be the client's; before that they are shown here.
import { html } from 'hono/html';
import type { Hono } from 'hono';
import {
  allowAuthorization,
  checkAuthorization,
  denyAuthorization,
  type AuthorizationCheck,
  type AuthorizationParams,
  type OAuthClient,
  type AuthorizationRequest,
} from '../../../app/people/oauth.ts';
import { formActionSource, isPrivateUseRedirect, OAUTH, redirectHost } from '../../../domain/oauth.ts';
import { clientDocuments, type ClientDocuments } from '../../../app/people/client-metadata.ts';
import { hubOrigin, mcpResource, UntrustedHost } from '../../oauth.ts';
import type { WebConfig } from '../config.ts';
import type { WebContext, WebEnv } from '../context.ts';
import { csrfField } from '../csrf.ts';
import { formFields } from '../forms.ts';
import { render } from '../render.ts';
import { actorFor, currentPerson } from '../session.ts';

/** The parameters of an authorization request, as the query or the consent form sends them. */
const PARAMS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'code_challenge',
  'code_challenge_method',
  'state',
  'resource',
  'scope',
] as const;

function paramsOf(source: Record<string, string | undefined>): AuthorizationParams {
  return Object.fromEntries(PARAMS.map((k) => [k, source[k]]).filter(([, v]) => v !== undefined));
}

function cannot(c: WebContext, why: string, back?: string) {
  return render(c, {
    title: 'This connection cannot go on',
    status: 400,
    body: html`<h1>This connection cannot go on</h1>
<p>An application asked to act as you in this hub, but the request is not one this hub can answer:</p>
<p class="warning">${why}</p>
<p>Nothing was allowed. ${
      back
        ? html`<a href="${back}">Tell the application, at ${isPrivateUseRedirect(back) ? 'an app on your computer: ' : ''}${redirectHost(back)}</a> (the address it registered; it is not checked by this hub), or <a href="/">go to the start</a>.`
        : html`Go back to the application and connect again, or <a href="/">go to the start</a>.`
    }</p>`,
  });
}

/**
 * A refused authorization request. An error for the client is not sent to its redirect URI by
 * itself: anyone may register a client with any URI, and a crafted request would make the hub a
 * redirector to it (RFC 9700 §4.11.2). The person reads it and may follow a link there.
 */
function refused(c: WebContext, check: Exclude<AuthorizationCheck, { ok: true }>) {
  if ('show' in check) return cannot(c, check.show);
  return cannot(c, `${check.description} (${check.error}).`, check.redirect);
}

function consentPage(c: WebContext, client: OAuthClient, request: AuthorizationRequest) {
  const me = currentPerson(c)!;
  const host = redirectHost(request.redirectUri);
  // an app's own scheme (cursor://…) opens that app, which the person may not recognise by its scheme
  const backTo = isPrivateUseRedirect(request.redirectUri)
    ? html`an app on your computer: <strong>${host}</strong> (your browser may ask whether to open it)`
    : html`<strong>${host}</strong>`;
  // a client named by its metadata document: where it is described, and whether its answer stays on
  // this computer, where the document's host vouches for nothing (the CIMD draft's localhost warning)
  const described = client.source === 'metadata-document' ? new URL(client.clientId).host : null;
  const toThisComputer = isPrivateUseRedirect(request.redirectUri) || new URL(request.redirectUri).protocol === 'http:';
  const hidden = (name: string, value: string | undefined) =>
    value === undefined ? '' : html`<input type="hidden" name="${name}" value="${value}">`;
  const q = new URL(c.req.url).searchParams;
  return render(c, {
    title: `Allow ${client.clientName}?`,
    body: html`<h1>Allow ${client.clientName} to act as you?</h1>
<p class="warning"><strong>Unverified application.</strong> Anyone can register an application under any name; this hub has not checked who runs “${client.clientName}”. Allow it only if you started connecting it just now, and it sends you back to the address you expect.</p>
<dl class="meta">
<dt>Application</dt><dd>${client.clientName} <span class="badge warn">unverified</span></dd>
${described ? html`<dt>Described at</dt><dd><strong>${described}</strong> (its metadata document, ${client.clientId})</dd>` : ''}
<dt>Sends you back to</dt><dd>${backTo}</dd>
<dt>Acting as</dt><dd>${me.name} (@${me.handle}). Not you? <form class="inline-form" method="post" action="/sign-out">${csrfField(c)}<button type="submit" class="secondary">Sign out</button></form></dd>
</dl>
${
  described && toThisComputer
    ? html`<p class="warning">It is described at ${described} but sends you back to a program on your computer, which any program could claim to be: allow it only if you started connecting ${client.clientName} on this computer just now.</p>`
    : ''
}
<h2>What it will be able to do</h2>
<ul>
<li>Use this hub through MCP (its tools, resources and prompts) <strong>as you</strong>, with exactly your permissions: read what you can read, and do what you may do here, such as drafting proposals, commenting, responding to decisions and adding agenda items.</li>
<li>Keep doing so, refreshing its access, until you revoke it under <a href="/people/${me.handle}/edit#mcp-clients">MCP clients</a> on your profile page, or it goes ${OAUTH.refreshDays} days without connecting.</li>
<li>It does not learn how you sign in, and cannot use the REST API or the web pages as you.</li>
</ul>
<form method="post" action="/oauth/authorize">${csrfField(c)}
${PARAMS.map((k) => hidden(k, q.get(k) ?? undefined))}
${request.redirectUri !== q.get('redirect_uri') ? hidden('redirect_uri', request.redirectUri) : ''}
<p><button type="submit" name="decision" value="allow">Allow</button> <button type="submit" name="decision" value="deny" class="secondary">Deny</button></p>
</form>`,
  });
}

/** The fetch for clients' metadata documents, one per web configuration (its connections are kept). */
const fetchers = new WeakMap<WebConfig, ClientDocuments>();
function documentsFor(config: WebConfig): ClientDocuments {
  let docs = fetchers.get(config);
  if (!docs) {
    const ca = config.clientMetadata?.ca;
    docs = clientDocuments(config.clientMetadata?.allowedHosts ?? [], ca ? { ca } : {});
    fetchers.set(config, docs);
  }
  return docs;
}

export function oauthAuthorizeRoutes(web: Hono<WebEnv>): void {
  const ours = (c: WebContext) => {
    const origin = hubOrigin(c.var.config.publicUrl, c.req.url, c.var.config.hosts);
    const admit = c.var.admitRegistration;
    return {
      resource: mcpResource(origin),
      issuer: origin,
      documents: { ...documentsFor(c.var.config), ...(admit ? { admit } : {}) },
    };
  };

  // the Host header is checked before anything else: no page, sign-in redirect or iss is built from a forged one;
  // only for the page's own methods (HEAD is a GET): another method is no page here, so the web's
  // setup (config, session) never ran for it and it is the 404 every other path gives
  web.on(['GET', 'POST'], '/oauth/authorize', async (c, next) => {
    try {
      hubOrigin(c.var.config.publicUrl, c.req.url, c.var.config.hosts);
    } catch (e) {
      if (e instanceof UntrustedHost) return cannot(c, `${e.message}.`);
      throw e;
    }
    return next();
  });

  web.get('/oauth/authorize', async (c) => {
    const url = new URL(c.req.url);
    if (url.search.length > OAUTH.authorizeQuery)
      return cannot(
        c,
        `The request is ${url.search.length} characters long; this hub takes at most ${OAUTH.authorizeQuery}.`,
      );
    const q: Record<string, string | undefined> = {};
    for (const k of PARAMS) {
      const all = url.searchParams.getAll(k);
      if (all.length > 1) return cannot(c, `The request sends ${k} more than once.`);
      q[k] = all[0];
    }
    // the same request comes back here once they are signed in; a client named by a metadata
    // document is read only then, so nobody signed out can make the hub fetch addresses for them
    const signIn = () => c.redirect(`/sign-in?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
    if (!currentPerson(c) && /^https:/i.test(q.client_id ?? '')) return signIn();
    const check = await checkAuthorization(c.var.hub, paramsOf(q), ours(c));
    if (!check.ok) return refused(c, check);
    if (!currentPerson(c)) return signIn();
    // the answer's redirect (a form post) goes to the client: the page's content policy must allow it
    c.set('formActionAlso', formActionSource(check.request.redirectUri));
    return consentPage(c, check.client, check.request);
  });

  web.post('/oauth/authorize', async (c) => {
    const f = formFields(await c.req.parseBody());
    const params = paramsOf(f);
    if (!currentPerson(c)) {
      const again = new URLSearchParams(params as Record<string, string>);
      return c.redirect(`/sign-in?next=${encodeURIComponent(`/oauth/authorize?${again}`)}`, 303);
    }
    const check = await checkAuthorization(c.var.hub, params, ours(c));
    if (!check.ok) return refused(c, check);
    const { issuer } = ours(c);
    if (f.decision !== 'allow') return c.redirect(denyAuthorization(check.request, issuer), 303);
    return c.redirect(await allowAuthorization(c.var.hub, actorFor(c), check.request, issuer), 303);
  });
}
