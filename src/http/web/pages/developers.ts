// "Scripts and assistants": what a person needs to use the hub from the REST API, the command line
// or an AI assistant over MCP, with every REST endpoint listed from the same route table that
// serves them (so the page cannot drift from the API). Browsers asking for /api land here.
import { html } from 'hono/html';
import type { Hono } from 'hono';
import { inCommunityWords } from '../../../domain/governance/index.ts';
import type { WebEnv } from '../context.ts';
import { render } from '../render.ts';
import { currentPerson } from '../session.ts';
import { trustedOrigin } from './auth.ts';

/** What the page says about one REST endpoint: from the route table. */
export type ApiEndpoint = {
  method: string;
  path: string;
  summary: string;
  tag: string;
  auth?: boolean;
  ifMatch?: boolean | 'optional';
};

const byTag = (endpoints: ApiEndpoint[]) => {
  const tags = new Map<string, ApiEndpoint[]>();
  for (const e of endpoints) tags.set(e.tag, [...(tags.get(e.tag) ?? []), e]);
  return [...tags.entries()].sort(([a], [b]) => a.localeCompare(b));
};

/** A summary's `code` spans as code, the rest as text (escaped). */
const withCode = (summary: string) =>
  summary.split('`').map((part, i) => (i % 2 ? html`<code>${part}</code>` : html`${part}`));

const slug = (tag: string) => `api-${tag.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;

export function developerRoutes(web: Hono<WebEnv>, endpoints: ApiEndpoint[]) {
  const tags = byTag(endpoints);
  web.get('/developers', (c) => {
    const me = currentPerson(c);
    // the address people reach the hub at (WGHUB_PUBLIC_URL behind a proxy), as sign-in uses; a
    // Host header the hub does not trust is not repeated back (a cache could keep it for everyone)
    const origin = trustedOrigin(c) ?? 'https://HUB-ADDRESS';
    const tokenStep = me
      ? html`<p>Create a token on <a href="/people/${me.handle}#tokens">your profile</a>: it acts as you, with your permissions, until you revoke it.</p>`
      : html`<p><a href="/sign-in?next=/developers">Sign in</a>, then create a token on your profile: it acts as you, with your permissions, until you revoke it. Reading needs no token.</p>`;
    const mcpConfig = JSON.stringify(
      {
        mcpServers: { wghub: { type: 'http', url: `${origin}/mcp`, headers: { Authorization: 'Bearer YOUR_TOKEN' } } },
      },
      null,
      2,
    );
    return render(c, {
      title: 'Scripts and assistants',
      body: html`<h1>Scripts and assistants</h1>
<p>Everything you can do in these pages you can also do from a script (the REST API), the <code>wghub</code> command, or an AI assistant (MCP), with the same rules and permissions.</p>
<section aria-labelledby="token"><h2 id="token">1. Your API token</h2>${tokenStep}</section>
<section aria-labelledby="rest"><h2 id="rest">2. The REST API</h2>
<p>JSON under <code>${origin}/api</code>; the machine-readable description is the <a href="/api/openapi.json">OpenAPI document</a>. Writes send <code>Authorization: Bearer YOUR_TOKEN</code>, and a body as <code>Content-Type: application/json</code> (any other type is refused, 415). An answer about one thing carries an <code>ETag</code>; to change it, send that value back as <code>If-Match</code>, so nobody overwrites someone else's change unseen (409 with the current version if they did). Errors are <code>application/problem+json</code> and name each field and the rule it broke. Lists are paged: follow <code>nextCursor</code>.</p>
<pre><code>curl ${origin}/api/groups
curl -H "Authorization: Bearer YOUR_TOKEN" ${origin}/api/me
curl -H "Authorization: Bearer YOUR_TOKEN" -H "Content-Type: application/json" -d '{"body":"Thanks, this helps."}' ${origin}/api/proposals/P-1/comments</code></pre>
<nav aria-label="Endpoints by subject"><ul>${tags.map(([tag, list]) => html`<li><a href="#${slug(tag)}">${tag}</a> (${list.length})</li>`)}</ul></nav>
${tags.map(
  ([tag, list]) => html`<div class="table-wrap"><table><caption id="${slug(tag)}">${tag}</caption>
<thead><tr><th scope="col">Endpoint</th><th scope="col">What it does</th><th scope="col">Needs</th></tr></thead>
<tbody>${list.map(
    (e) =>
      html`<tr><td><code>${e.method.toUpperCase()} ${e.path}</code></td><td>${withCode(inCommunityWords(e.summary, c.var.hub.governance))}</td><td>${[e.auth ? 'a token' : '', e.ifMatch === true ? 'If-Match' : e.ifMatch ? 'If-Match (optional)' : ''].filter(Boolean).join(', ') || 'nothing'}</td></tr>`,
  )}</tbody></table></div>`,
)}
</section>
<section aria-labelledby="mcp"><h2 id="mcp">3. An AI assistant (MCP)</h2>
<p>The hub is an MCP server at <code>${origin}/mcp</code> (Streamable HTTP). Give your assistant the address and your token, for example:</p>
<pre><code>${mcpConfig}</code></pre>
<p>Or let the assistant start <code>wghub mcp</code> on this machine, with <code>WGHUB_TOKEN</code> set. It offers tools (search, the prior-work check, proposals, decisions, meetings, running a group), resources (<code>wghub://governance</code>: how this community works) and prompts (drafting a proposal, preparing an agenda, summarising a discussion).</p></section>
<section aria-labelledby="cli"><h2 id="cli">4. The command line</h2>
<p><code>wghub --help</code> lists every command; for example <code>wghub search stateless sessions</code>, <code>wghub prior-work --title "…" --text-file draft.md</code> or <code>wghub hints --text "…"</code>.</p></section>`,
    });
  });
}
