// Signing in and out. Demo mode lists the demo community to pick from, and lets a newcomer make
// themselves a person; with OpenID Connect or GitHub configured, the buttons go to the provider.
import { html } from 'hono/html';
import type { Hono } from 'hono';
import { DEMO_HANDLES } from '../../../app/demo/demo.ts';
import { findPersonRow, getPerson, listPeople, type PersonView, signUp } from '../../../app/people/people.ts';
import { invalid } from '../../../domain/errors.ts';
import type { WebContext, WebEnv } from '../context.ts';
import { csrfField } from '../csrf.ts';
import { errorSummary, field, formFields, formProblem, type FormProblem, requiredLegend } from '../forms.ts';
import { render } from '../render.ts';
import { safeNext, signIn, signOut, welcomeThen } from '../session.ts';
import { zoneOptions } from './time-zones.ts';
import { select } from './widgets.ts';
import { viewerZone } from '../format.ts';
import { hasSignInProvider } from '../config.ts';
import { roleName } from '../../../domain/governance/words.ts';

async function signInPage(c: WebContext, problem: FormProblem | null = null, values: Record<string, string> = {}) {
  const next = safeNext(c.req.query('next') ?? values.next);
  const { oidc, github } = c.var.config;
  if (oidc || github) {
    const providers = [oidc ? new URL(oidc.issuer).host : null, github ? 'GitHub' : null].filter(Boolean).join(' or ');
    return render(c, {
      title: 'Sign in',
      nav: 'sign-in',
      status: problem?.status,
      body: html`<h1>Sign in</h1>
${errorSummary(problem)}
<p>This hub signs people in with ${providers}. The first time, a person is made for you here${github ? ' (or, if the hub already knows your GitHub login from a charter or from GitHub, you become that person, with what you wrote there)' : ''}; you then accept the Code of Conduct and contribution terms on the welcome page.</p>
<p>${oidc ? html`<a class="button" href="/auth/login?next=${encodeURIComponent(next)}">Sign in with ${new URL(oidc.issuer).host}</a> ` : ''}${github ? html`<a class="button" href="/auth/github/login?next=${encodeURIComponent(next)}">Sign in with GitHub</a>` : ''}</p>`,
    });
  }
  // The demo community first, in the order that shows the most (a lead maintainer, a group lead, a
  // member, contributors); everyone else (people an import brought in, newcomers) after them, folded, so they do not bury it.
  const demo = (await Promise.all(DEMO_HANDLES.map((h) => getPerson(c.var.hub, h).catch(() => undefined)))).filter(
    (p): p is PersonView => p !== undefined,
  );
  const listed = await listPeople(c.var.hub, { limit: 200 });
  const others = listed.items.filter((p) => !DEMO_HANDLES.includes(p.handle));
  const card = (p: PersonView) => html`<li class="card"><form method="post" action="/sign-in/demo">${csrfField(c)}
<input type="hidden" name="handle" value="${p.handle}"><input type="hidden" name="next" value="${next}">
<h3>${p.name}</h3><p class="muted">@${p.handle} · ${roleName(c.var.hub.governance, p.role)}${p.affiliations[0] ? ` · ${p.affiliations[0].organisation.name}` : ''}</p>
<button type="submit">Sign in as ${p.name}</button></form></li>`;
  const demoList = demo.length ? demo : others;
  const rest = demo.length ? others : [];
  return render(c, {
    title: 'Sign in',
    nav: 'sign-in',
    status: problem?.status,
    body: html`<h1>Sign in</h1>
<p>This hub runs in <strong>demo mode</strong>: there is no password; pick who you want to be. (Set <code>WGHUB_OIDC_ISSUER</code> to sign people in with your identity provider, or <code>WGHUB_GITHUB_CLIENT_ID</code> and <code>WGHUB_GITHUB_CLIENT_SECRET</code> to sign them in with GitHub.)</p>
${errorSummary(problem)}
${
  demoList.length
    ? html`<h2 id="demo-people">${demo.length ? 'Be one of the demo community' : 'Be someone in this hub'}</h2>
<ul class="cards" aria-labelledby="demo-people">
${demoList.map(card)}
</ul>`
    : html`<h2>Nobody is in this hub yet</h2>
<p>Running this hub for your community? Add yourself first from the command line, with a role that may propose and sponsor groups, then reload this page and sign in as yourself:</p>
<pre class="command"><code>wghub person add --handle you --name "Your Name" --role lead-maintainer</code></pre>
<p>Everyone else makes themselves a person below.</p>`
}
${
  rest.length
    ? html`<details><summary>Or someone else in this hub (${rest.length}${listed.nextCursor ? '+' : ''})</summary>
<ul class="cards" aria-label="Everyone else in this hub">
${rest.map(card)}
</ul></details>`
    : ''
}
<h2>New here?</h2>
<p>Make yourself a person; the welcome page then walks you through the Code of Conduct, the contribution terms and joining a group.</p>
<form method="post" action="/sign-in/newcomer">${csrfField(c)}<input type="hidden" name="next" value="${next}">
${requiredLegend()}
${field({ name: 'handle', label: 'Handle', hint: 'Your GitHub login or one like it: letters, digits and single hyphens, e.g. ada-l', value: values.handle, problem, required: true })}
${field({ name: 'name', label: 'Name', value: values.name, problem, required: true })}
${select({ name: 'timeZone', label: 'Time zone', hint: 'Meetings and deadlines are shown in it; your browser picks its own zone, change it if that is wrong', value: values.timeZone ?? 'UTC', problem, options: zoneOptions(values.timeZone ?? 'UTC'), browserZone: values.timeZone === undefined })}
<p><button type="submit">Join as a newcomer</button></p>
</form>`,
  });
}

export function signInRoutes(web: Hono<WebEnv>): void {
  web.get('/sign-in', (c) => signInPage(c));

  web.post('/sign-in/demo', async (c) => {
    if (hasSignInProvider(c.var.config))
      return c.text('demo sign-in is off: this hub signs people in with a provider', 404);
    const f = formFields(await c.req.parseBody());
    const person = f.handle ? await findPersonRow(c.var.hub.store.db, f.handle) : undefined;
    if (!person)
      return signInPage(
        c,
        formProblem(invalid('handle', `must be one of the people listed; '${f.handle ?? ''}' is not`)),
        f,
      );
    await signIn(c, person, 'demo');
    return c.redirect(safeNext(f.next), 303);
  });

  web.post('/sign-in/newcomer', async (c) => {
    if (hasSignInProvider(c.var.config))
      return c.text('demo sign-in is off: this hub signs people in with a provider', 404);
    const f = formFields(await c.req.parseBody());
    try {
      // the newcomer signs themselves up: the log credits them, not the operator
      await signUp(c.var.hub, { handle: f.handle ?? '', name: f.name ?? '', timeZone: f.timeZone ?? '' });
    } catch (e) {
      return signInPage(c, formProblem(e, viewerZone(c), c.var.hub.governance), f);
    }
    await signIn(c, (await findPersonRow(c.var.hub.store.db, f.handle!))!, 'demo');
    return c.redirect(welcomeThen(f.next), 303);
  });

  web.post('/sign-out', async (c) => {
    await signOut(c);
    return c.redirect('/', 303);
  });
}
