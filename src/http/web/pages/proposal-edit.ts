// /proposals/:ref/edit: its authors, sponsor, the group's leads or a moderator change the title,
// problem, examples, interests, layer and where it lives elsewhere (the route's steps outside the
// hub: its tracker item, forum thread, pull request), through the same use case as REST's PATCH; the form
// carries the version it was loaded with, so a stale edit is refused and shows what is stored now.
import { html } from 'hono/html';
import type { Hono } from 'hono';
import { getProposal, updateProposal } from '../../../app/proposals/proposals.ts';
import { CreateProposalInput } from '../../../app/proposals/schemas.ts';
import type { WebContext, WebEnv } from '../context.ts';
import { csrfField } from '../csrf.ts';
import {
  errorSummary,
  field,
  formVersion,
  versionField,
  type FormProblem,
  requiredFields,
  requiredLegend,
} from '../forms.ts';
import { render } from '../render.ts';
import { actorFor, currentPerson } from '../session.ts';
import { postForm } from '../form-post.ts';
import { contributionNote, select, whyNot } from './widgets.ts';
import { contributionAdvisers } from '../../../app/people/advisers.ts';
import { LINK_LABELS } from './proposals.ts';

/**
 * What an edit keeps required: what a new proposal needs (a title, the problem, a layer), marked as
 * on the new proposal's form, with no browser check that would stop at the title before the hub
 * could name every mistake at once.
 */
const REQUIRED = requiredFields(CreateProposalInput);

/**
 * Where the form returns once saved or cancelled: the proposal, or the page that sent the author
 * here to add a link (the pull request description's gaps). Only these names, never an address.
 */
const BACK = { 'pull-request-draft': '/pull-request-draft' } as const;
const backOf = (name: string | undefined): keyof typeof BACK | null =>
  name !== undefined && Object.hasOwn(BACK, name) ? (name as keyof typeof BACK) : null;

async function editPage(
  c: WebContext,
  ref: string,
  failure: { problem: FormProblem; values: Record<string, string> } | null = null,
): Promise<Response> {
  const hub = c.var.hub;
  const me = currentPerson(c);
  const p = await getProposal(hub, ref, me ? { kind: 'person', person: me } : null);
  const may = p.can.edit;
  // a stale form (409) comes back with what is stored now; any other problem keeps what was typed
  const typed = failure && failure.problem.status !== 409 ? failure.values : null;
  const back = backOf(failure ? failure.values.back : c.req.query('back'));
  const returnTo = `/proposals/${p.ref}${back ? BACK[back] : ''}`;
  const v = typed ?? {
    title: p.title,
    problem: p.problem,
    examples: p.examples.join('\n'),
    interests: p.interests ?? '',
    layer: p.layer,
    ...Object.fromEntries(LINK_LABELS.map(([k]) => [k, p.links[k] ?? ''])),
    version: String(p.version),
  };
  const body = html`<nav aria-label="Breadcrumb"><p class="muted"><a href="/proposals">Proposals</a> › <a href="/proposals/${p.ref}">${p.ref}</a> › Edit</p></nav>
<h1>Edit ${p.ref}: ${p.title}</h1>
${
  may.allowed
    ? html`${errorSummary(failure?.problem)}
<form method="post" action="/proposals/${p.ref}/edit">${csrfField(c)}${versionField(Number(v.version) || p.version)}${back ? html`<input type="hidden" name="back" value="${back}">` : ''}
${requiredLegend()}
${field({ name: 'title', label: 'Title', value: v.title, problem: failure?.problem, required: REQUIRED })}
${field({ name: 'problem', label: 'The problem it solves', required: REQUIRED, type: 'textarea', rows: 8, value: v.problem, problem: failure?.problem, hint: 'At least 20 characters. Markdown is fine. Changing it runs the prior-work check again.' })}
${field({ name: 'examples', label: 'Real-world examples (one per line)', required: REQUIRED, type: 'textarea', rows: 4, value: v.examples, problem: failure?.problem })}
${field({ name: 'interests', label: 'Interests: the needs behind it', required: REQUIRED, type: 'textarea', rows: 3, value: v.interests, problem: failure?.problem })}
${select({ name: 'layer', label: 'Target layer', required: REQUIRED, value: v.layer, problem: failure?.problem, options: hub.governance.proposals.layers.map((l) => ({ value: l.id, label: l.title })) })}
<fieldset><legend>Where it lives elsewhere</legend>
<p class="muted">The route's steps outside this hub: the project tracker, the official forum, the pull request. Leave a box empty for none.</p>
${LINK_LABELS.map(([k, label]) => field({ name: k, field: `links.${k}`, label, value: v[k] ?? '', problem: failure?.problem }))}
</fieldset>
${contributionNote(hub.governance, await contributionAdvisers(hub, p.group))}
<button type="submit">Save changes</button> <a href="${returnTo}">Cancel</a></form>`
    : whyNot(c, may, `/proposals/${p.ref}/edit`)
}`;
  return render(c, { title: `Edit ${p.ref}`, nav: 'proposals', body, status: failure?.problem.status ?? 200 });
}

export function proposalEditRoutes(web: Hono<WebEnv>): void {
  web.get('/proposals/:ref/edit', (c) => editPage(c, c.req.param('ref')));
  web.post('/proposals/:ref/edit', (c) => {
    const ref = c.req.param('ref');
    return postForm(c, {
      page: `/proposals/${encodeURIComponent(ref)}/edit`,
      run: (values) =>
        updateProposal(c.var.hub, actorFor(c), ref, formVersion(values), {
          title: values.title ?? '',
          problem: values.problem ?? '',
          examples: (values.examples ?? '')
            .split('\n')
            .map((s) => s.trim())
            .filter(Boolean),
          interests: values.interests ?? '',
          layer: values.layer,
          // a box left empty clears that link; a form without the box leaves it as it is
          links: Object.fromEntries(
            LINK_LABELS.filter(([k]) => values[k] !== undefined).map(([k]) => [k, values[k]!.trim() || null]),
          ),
        }),
      failed: (problem, values) => editPage(c, ref, { problem, values }),
      done: 'Your changes are saved.',
      next: (_, values) => {
        const back = backOf(values.back);
        return `/proposals/${encodeURIComponent(ref)}${back ? BACK[back] : ''}`;
      },
    });
  });
}
