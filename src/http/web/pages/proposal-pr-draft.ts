// /proposals/:ref/pull-request-draft: the guide's last step opens a pull request "explaining the
// collaboration that has occurred to date". The page gives that description drafted from the hub's
// record (to copy, or to download as a file) and, first, what the route still lacks.
import { html } from 'hono/html';
import type { Hono } from 'hono';
import { draftPullRequest } from '../../../app/proposals/collaboration.ts';
import { getProposal } from '../../../app/proposals/proposals.ts';
import type { WebContext, WebEnv } from '../context.ts';
import { render } from '../render.ts';
import { currentPerson } from '../session.ts';
import { trustedOrigin } from './auth.ts';
import { safeLink } from './widgets.ts';

async function draftOf(c: WebContext, ref: string) {
  const me = currentPerson(c);
  const viewer = me ? ({ kind: 'person', person: me } as const) : null;
  return draftPullRequest(c.var.hub, ref, viewer, trustedOrigin(c));
}

async function draftPage(c: WebContext, ref: string): Promise<Response> {
  const draft = await draftOf(c, ref);
  const me = currentPerson(c);
  const p = await getProposal(c.var.hub, draft.proposal, me ? { kind: 'person', person: me } : null);
  // the route's links the gaps name (the tracker item, a forum thread): the edit form opens at the
  // first one missing and, once saved, comes back here so the author sees the draft with it
  const noThread = !p.links.discussion && !p.links.forum;
  const missing = !p.links.tracker ? 'tracker' : noThread ? 'discussion' : null;
  const links = !p.links.tracker && noThread ? 'links' : 'link';
  const body = html`<nav aria-label="Breadcrumb"><p class="muted"><a href="/proposals">Proposals</a> › <a href="/proposals/${p.ref}">${p.ref}</a> › Pull request description</p></nav>
<h1>Pull request description for ${p.ref}: ${p.title}</h1>
<p>The guide's last step opens a pull request on the relevant official ${c.var.hub.governance.community.protocol} repository${draft.facts.pullRequestsAt ? html` (for a ${p.layerTitle.toLowerCase()}: ${safeLink(draft.facts.pullRequestsAt, draft.facts.pullRequestsAt.replace(/^https:\/\//, ''))})` : ''}, explaining the collaboration that has occurred to date. This description is drafted from what this hub recorded: the problem, the barrier to change, the route walked, the discussion, meetings and decisions, support and evidence.${
    p.can.edit.allowed
      ? ' Paste it into the pull request on GitHub and edit it there.'
      : html` The proposal's authors open the pull request; this is what the record says so far.`
  }</p>
${
  draft.gaps.length
    ? html`<section aria-labelledby="gaps" class="panel"><h2 id="gaps">Before you open it</h2>
<ul>${draft.gaps.map((g) => html`<li>${g}</li>`)}</ul>
${p.can.edit.allowed && missing ? html`<p><a href="/proposals/${p.ref}/edit?back=pull-request-draft#f-links-${missing}">Add the missing ${links}</a> to the proposal; saving brings you back here.</p>` : ''}</section>`
    : html`<p class="ok">Nothing the route asks for is missing from the record.</p>`
}
${trustedOrigin(c) ? '' : html`<p class="hint">Links to this hub's pages are left out: the hub does not know its public address (its operator sets WGHUB_PUBLIC_URL).</p>`}
<section aria-labelledby="draft-heading"><h2 id="draft-heading">The description, in markdown</h2>
<label for="draft">Pull request description for ${p.ref}</label>
<p class="hint" id="draft-hint">Select it all and copy it into the pull request's description on GitHub.</p>
<textarea id="draft" class="draft" rows="28" readonly spellcheck="false" aria-describedby="draft-hint" data-copy="Copy the description">${draft.markdown}</textarea>
<p><a href="/proposals/${p.ref}/pull-request-draft.md" download="${p.ref}-pull-request.md">Download it as a file</a> (${p.ref}-pull-request.md)</p>
</section>
${
  p.links.pullRequest
    ? html`<p>Its pull request: ${safeLink(p.links.pullRequest, p.links.pullRequest)}</p>`
    : p.can.edit.allowed
      ? html`<p>Once the pull request is open, <a href="/proposals/${p.ref}/edit?back=pull-request-draft#f-links-pullRequest">put its address on the proposal</a> so everyone can follow it.</p>`
      : ''
}`;
  return render(c, { title: `Pull request description for ${p.ref}`, nav: 'proposals', body });
}

export function proposalPullRequestDraftRoutes(web: Hono<WebEnv>): void {
  web.get('/proposals/:ref/pull-request-draft', (c) => draftPage(c, c.req.param('ref')));
  web.get('/proposals/:ref/pull-request-draft.md', async (c) => {
    const draft = await draftOf(c, c.req.param('ref'));
    return c.body(draft.markdown, 200, {
      'Content-Type': 'text/markdown; charset=utf-8',
      'Content-Disposition': `attachment; filename="${draft.proposal}-pull-request.md"`,
    });
  });
}
