// /people/new: whoever the governance file lets add people (moderators and lead maintainers by
// default) records someone who has not signed in yet, as `wghub person add` and REST do; others are
// told who may. Their first sign-in becomes this person when their provider verifies the address given.
import { html } from 'hono/html';
import type { Hono } from 'hono';
import { communityCan, rolesGivenByActor } from '../../../app/people/access.ts';
import { createPerson } from '../../../app/people/people.ts';
import { CreatePersonInput } from '../../../app/people/schemas.ts';
import type { WebContext, WebEnv } from '../context.ts';
import { csrfField } from '../csrf.ts';
import { errorSummary, field, type FormProblem, requiredFields, requiredLegend } from '../forms.ts';
import { optional, postForm } from '../form-post.ts';
import { render } from '../render.ts';
import { actorFor, currentPerson } from '../session.ts';
import { zoneOptions } from './time-zones.ts';
import { rolesGivenWords, select, whyNot } from './widgets.ts';
import { roleName, withArticle } from '../../../domain/governance/words.ts';

const REQUIRED = requiredFields(CreatePersonInput);

function newPersonPage(
  c: WebContext,
  failure: { problem: FormProblem; values: Record<string, string> } | null = null,
): Response | Promise<Response> {
  const may = communityCan(c.var.hub, actorFor(c)).addPerson;
  const v = failure?.values ?? {};
  const min = c.var.hub.governance.groups.leadMinimumRole;
  const body = may.allowed
    ? html`<h1>Add a person</h1>
<p>For someone who has not signed in yet: a group's lead to be, a facilitator, a member named in a charter. People who sign in make themselves a person; this adds one ahead of that.</p>
${errorSummary(failure?.problem ?? null)}
<form method="post" action="/people/new">${csrfField(c)}
${requiredLegend()}
${field({ name: 'handle', label: 'Handle', required: REQUIRED, value: v.handle, problem: failure?.problem, hint: 'Usually their GitHub login: letters, digits and hyphens.' })}
${field({ name: 'name', label: 'Name', required: REQUIRED, value: v.name, problem: failure?.problem, hint: 'As they write it.' })}
${select({ name: 'timeZone', label: 'Time zone', value: v.timeZone ?? 'UTC', problem: failure?.problem, hint: 'Where they are: meetings and deadlines show in it.', options: zoneOptions(v.timeZone ?? 'UTC') })}
${select({ name: 'role', label: 'Role on the contributor ladder', value: v.role ?? 'contributor', problem: failure?.problem, hint: `A group's leads and a topic area's facilitators hold at least the ${roleName(c.var.hub.governance, min)} role. They are told if you change it later. ${rolesGivenWords(rolesGivenByActor(c.var.hub, actorFor(c)))}`, options: rolesGivenByActor(c.var.hub, actorFor(c)).map((r) => ({ value: r, label: roleName(c.var.hub.governance, r) })) })}
${field({ name: 'organisation', field: 'affiliations[0].organisation', label: 'Organisation (optional)', value: v.organisation, problem: failure?.problem, hint: 'Who they work for now: voices from one organisation weigh together.' })}
${field({ name: 'email', label: 'Mail address (optional)', type: 'email', value: v.email, problem: failure?.problem, hint: c.var.hub.settings.mailsOut ? 'Never shown. It is mailed an invitation: who added them, how to sign in, and a link confirming the address. A sign-in whose provider verifies this address becomes this person.' : 'Never shown. This hub sends no mail (WGHUB_SMTP_URL is not set), so no invitation goes: tell them how to sign in yourself. A sign-in whose provider verifies this address becomes this person.' })}
${field({ name: 'github', label: 'GitHub login (optional)', value: v.github, problem: failure?.problem })}
<button type="submit">Add the person</button></form>`
    : html`<h1>Add a person</h1>${whyNot(c, may, '/people/new')}<p>People who sign in make themselves a person; <a href="/people">everyone on record</a>.</p>`;
  return render(c, { title: 'Add a person', nav: 'people', body, status: failure ? failure.problem.status : 200 });
}

export function personNewRoutes(web: Hono<WebEnv>): void {
  web.get('/people/new', (c) => newPersonPage(c));
  web.post('/people/new', (c) =>
    postForm(c, {
      page: '/people/new',
      run: (values) => {
        const organisation = optional(values.organisation);
        const today = c.var.hub.clock.now().toISOString().slice(0, 10);
        return createPerson(c.var.hub, actorFor(c), {
          handle: values.handle?.trim() ?? '',
          name: values.name ?? '',
          timeZone: values.timeZone ?? 'UTC',
          role: values.role ?? 'contributor',
          ...(optional(values.email) ? { email: optional(values.email) } : {}),
          ...(optional(values.github) ? { github: optional(values.github) } : {}),
          affiliations: organisation ? [{ organisation, from: today }] : [],
        });
      },
      failed: async (problem, values) => newPersonPage(c, { problem, values }),
      done: (_values, p) => `${p.name} (@${p.handle}) is added.${p.invitation ? ` ${p.invitation.status}` : ''}`,
      next: (p) => `/people/${encodeURIComponent(p.handle)}`,
    }),
  );
}

/** Whether the people page offers "Add a person" to this viewer. */
export const mayAddPeople = (c: WebContext): boolean =>
  currentPerson(c) !== null && communityCan(c.var.hub, actorFor(c)).addPerson.allowed;
