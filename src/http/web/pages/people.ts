// /people and /organisations: who is in the community and where they work; a person's own
// profile (name, time zone, handles, organisation) and API tokens, edited by the same use cases as REST.
import type { Actor } from '../../../app/core/hub.ts';
import { html } from 'hono/html';
import type { Hono } from 'hono';
import { getOrganisation, listOrganisationsPage } from '../../../app/people/organisations.ts';
import { LIMITS } from '../../../domain/limits.ts';
import { getPerson, listPeople, setPersonRole, updatePerson, type PersonView } from '../../../app/people/people.ts';
import { COMMUNITY_ROLES } from '../../../domain/community.ts';
import { createToken, listTokens, revokeToken } from '../../../app/people/tokens.ts';
import { rolesGivenByActor } from '../../../app/people/access.ts';
import { listGrants, revokeGrant } from '../../../app/people/oauth.ts';
import { confirmEmail, resendConfirmation, type MailView } from '../../../app/people/email.ts';
import { DomainError } from '../../../domain/errors.ts';
import type { WebContext, WebEnv } from '../context.ts';
import type { Html } from '../layout.ts';
import { csrfField } from '../csrf.ts';
import {
  errorSummary,
  listErrorSummary,
  field,
  formFields,
  formProblem,
  formVersion,
  versionField,
  type FormProblem,
  requiredLegend,
} from '../forms.ts';
import { plural, when, viewerZone, withMoments } from '../format.ts';
import { render } from '../render.ts';
import { actorFor, currentPerson, viewerFor } from '../session.ts';
import { postForm } from '../form-post.ts';
import { zoneOptions, zoneShown } from './time-zones.ts';
import { withOrganisationNow } from '../../../domain/people.ts';
import { noMoreOn, pager, rolesGivenWords, select, whyNot } from './widgets.ts';
import { mayAddPeople } from './person-new.ts';
import { roleName, withArticle } from '../../../domain/governance/words.ts';

/** Everyone in the hub, a page at a time as the other long lists are (LIMITS.webListPage, a Next page link by cursor). */
async function peoplePage(c: WebContext): Promise<Response> {
  const cursor = c.req.query('cursor');
  let problem: FormProblem | null = null;
  let page: Awaited<ReturnType<typeof listPeople>> | null = null;
  try {
    page = await listPeople(c.var.hub, { limit: LIMITS.webListPage, ...(cursor ? { cursor } : {}) });
  } catch (e) {
    problem = formProblem(e, viewerZone(c), c.var.hub.governance);
  }
  const people = page?.items ?? [];
  const next = page?.nextCursor ? `/people?${new URLSearchParams({ cursor: page.nextCursor })}` : null;
  const me = currentPerson(c);
  const body = html`<h1>People</h1>
<p>Everyone with a record in this hub, with their community role and organisation. See also <a href="/organisations">organisations</a>.${me ? html` <a href="/people/${me.handle}/edit">Edit your profile and time zone</a>.` : ''}</p>
${mayAddPeople(c) ? html`<p><a class="button" href="/people/new">Add a person</a> <span class="muted">for someone who has not signed in yet</span></p>` : ''}
${listErrorSummary(problem, '/people')}
${
  people.length
    ? html`<div class="table-wrap"><table><caption>${next ? `${people.length}+ people` : plural(people.length, 'person', 'people')}</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Handle</th><th scope="col">Role</th><th scope="col">Organisation</th><th scope="col">Time zone</th></tr></thead>
<tbody>${people.map((p) => html`<tr><td><a href="/people/${p.handle}">${p.name}</a></td><td>@${p.handle}</td><td>${roleName(c.var.hub.governance, p.role)}</td><td>${currentOrgs(p).map((o, i) => html`${i ? ', ' : ''}<a href="/organisations/${o.slug}">${o.name}</a>`)}</td><td>${p.timeZone}</td></tr>`)}</tbody>
</table></div>`
    : problem
      ? ''
      : cursor
        ? noMoreOn('people', '/people')
        : html`<p>Nobody yet. People appear here when they sign in or are imported.</p>`
}
${pager('people', cursor ? '/people' : null, next)}`;
  return render(c, { title: 'People', nav: 'people', status: problem?.status, body });
}

function currentOrgs(p: PersonView) {
  return p.affiliations.filter((a) => !a.to).map((a) => a.organisation);
}

/**
 * A person's place on the contributor ladder, for whoever may change it (moderators and lead
 * maintainers by default): how a newcomer becomes someone who may lead a group or facilitate a topic area.
 */
function roleSection(
  c: WebContext,
  p: PersonView,
  failure: { problem: FormProblem; values: Record<string, string> } | null,
): Html {
  const min = c.var.hub.governance.groups.leadMinimumRole;
  // the roles this viewer may give, and the one held now (shown as it is, though they may not give it)
  const given = rolesGivenByActor(c.var.hub, actorFor(c));
  const roles = COMMUNITY_ROLES.filter((r) => r === p.role || given.includes(r));
  return html`<section aria-labelledby="role"><h2 id="role">Community role</h2>
${errorSummary(failure?.problem ?? null, 'role')}
<form method="post" action="/people/${p.handle}/role">${csrfField(c)}${versionField(failure ? Number(failure.values.version) || p.version : p.version)}
${select({ name: 'role', label: 'Role on the contributor ladder', form: 'role', value: failure?.values.role ?? p.role, problem: failure?.problem, hint: `${p.name} is ${withArticle(roleName(c.var.hub.governance, p.role))} now. A group's leads and a topic area's facilitators hold at least the ${roleName(c.var.hub.governance, min)} role. ${rolesGivenWords(given)}`, options: roles.map((r) => ({ value: r, label: roleName(c.var.hub.governance, r) })) })}
<button type="submit">Change the role</button></form></section>`;
}

async function profilePage(
  c: WebContext,
  handle: string,
  failure: {
    form: 'profile' | 'role' | 'token' | 'confirmation';
    problem: FormProblem;
    values: Record<string, string>;
  } | null = null,
  newToken: { label: string; token: string } | null = null,
): Promise<Response> {
  const me = currentPerson(c);
  const viewer: Actor | null = me ? { kind: 'person', person: me } : null;
  const p = await getPerson(c.var.hub, handle, viewer);
  const may = { profile: p.can.edit, tokens: p.can.manageTokens };
  const here = `/people/${p.handle}/edit`;
  // A stale form (409) comes back with what is stored now, so the person re-applies their change to it.
  const pf = failure?.form === 'profile' && failure.problem.status !== 409 ? failure : null;
  const conflict = failure?.form === 'profile' && failure.problem.status === 409 ? failure.problem : null;
  const tf = failure?.form === 'token' ? failure : null;
  const v = pf?.values ?? {
    name: p.name,
    timeZone: zoneShown(p.timeZone),
    github: p.github ?? '',
    discord: p.discord ?? '',
    organisation: currentOrgs(p)[0]?.name ?? '',
    email: me?.email ?? '',
  };
  // The mail address is never shown to anyone else, so only the person themselves sees and sets it here.
  const self = me?.handle === p.handle;
  const orgHint = p.can.addOrganisation.allowed
    ? 'Who you work for now, if anyone. Naming one nobody has named yet adds it to the organisations.'
    : `Who you work for now. ${p.can.addOrganisation.reason}: name one already on the organisations page.`;
  const tokens = may.tokens.allowed && viewer ? await listTokens(c.var.hub, p.handle, viewer) : [];
  const clients = may.tokens.allowed && viewer ? await listGrants(c.var.hub, p.handle, viewer) : [];
  const body = html`<nav aria-label="Breadcrumb"><p class="muted"><a href="/people">People</a> › <a href="/people/${p.handle}">${p.name}</a> › Edit</p></nav>
<h1>Profile and API tokens of ${p.name}</h1>
<section aria-labelledby="profile"><h2 id="profile">Profile</h2>
${
  may.profile.allowed
    ? html`${errorSummary(pf?.problem ?? conflict, 'profile')}
<form method="post" action="/people/${p.handle}/edit">${csrfField(c)}${versionField(pf ? Number(pf.values.version) || p.version : p.version)}
${requiredLegend()}
${field({ name: 'name', label: 'Name', form: 'profile', value: v.name, problem: pf?.problem, required: true })}
${select({ name: 'timeZone', label: 'Time zone', form: 'profile', value: v.timeZone, problem: pf?.problem, hint: 'Times on every page are shown in this zone.', options: zoneOptions(v.timeZone) })}
${field({ name: 'github', label: 'GitHub handle (optional)', form: 'profile', value: v.github, problem: pf?.problem })}
${field({ name: 'discord', label: 'Discord handle (optional)', form: 'profile', value: v.discord, problem: pf?.problem })}
${field({ name: 'organisation', label: 'Organisation (optional)', form: 'profile', value: v.organisation ?? '', problem: pf?.problem, hint: orgHint })}
${self ? field({ name: 'email', type: 'email', label: 'Mail address (optional)', form: 'profile', value: v.email ?? '', problem: pf?.problem, hint: 'Where your notifications and digests are mailed (what and when: Inbox › Choose what you are told and how). Never shown to anyone.' }) : ''}
<button type="submit">Save profile</button></form>
${p.mail ? mailPart(c, p.handle, p.mail, failure?.form === 'confirmation' ? failure.problem : null) : ''}`
    : whyNot(c, may.profile, here)
}
</section>
${p.can.setRole.allowed ? roleSection(c, p, failure?.form === 'role' ? failure : null) : ''}
<section aria-labelledby="tokens"><h2 id="tokens">API tokens</h2>
<p>A token lets a script, the command line or an AI assistant act as ${p.name} through the REST API or MCP. Revoke one you no longer use.</p>
${
  may.tokens.allowed
    ? html`${
        newToken
          ? html`<div class="result" role="status"><p><strong>Your new token "${newToken.label}"</strong>, shown only this once: copy it now.</p><p><code class="secret">${newToken.token}</code></p></div>`
          : ''
      }
${
  tokens.length
    ? html`<div class="table-wrap"><table><caption>${tokens.length} token${tokens.length === 1 ? '' : 's'}</caption>
<thead><tr><th scope="col">Label</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">State</th></tr></thead>
<tbody>${tokens.map(
        (t) =>
          html`<tr><td>${t.label}</td><td>${when(c, t.createdAt)}</td><td>${t.lastUsedAt ? when(c, t.lastUsedAt) : 'never'}</td><td>${
            t.revokedAt
              ? html`revoked ${when(c, t.revokedAt)}`
              : !t.can.revoke.allowed
                ? whyNot(c, t.can.revoke, here)
                : html`<form class="inline-form" method="post" action="/people/${p.handle}/tokens/${t.id}/revoke">${csrfField(c)}<button type="submit" class="secondary">Revoke ${t.label}</button></form>`
          }</td></tr>`,
      )}</tbody></table></div>`
    : html`<p>No tokens yet. Create one to use the REST API, the <code>wghub</code> command or an AI assistant as yourself.</p>`
}
${
  p.can.createToken.allowed
    ? html`${errorSummary(tf?.problem, 'token')}
<form method="post" action="/people/${p.handle}/tokens">${csrfField(c)}
${field({ name: 'label', label: 'What the new token is for', form: 'token', value: tf?.values.label ?? '', problem: tf?.problem, hint: 'A label to recognise it by, e.g. "laptop CLI" (at most 100 characters).' })}
<button type="submit">Create a token</button></form>`
    : whyNot(c, p.can.createToken, here)
}`
    : whyNot(c, may.tokens, here)
}
</section>
${
  may.tokens.allowed
    ? html`<section aria-labelledby="mcp-clients"><h2 id="mcp-clients">MCP clients</h2>
<p>AI assistants and other MCP clients that ${self ? 'you' : p.name} allowed, through this hub's sign-in, to act as ${self ? 'you' : p.name} through MCP. Their names are what they registered, not checked by this hub. Revoking one stops it at once; it must ask again.</p>
${
  clients.length
    ? html`<div class="table-wrap"><table><caption>${clients.length} MCP client${clients.length === 1 ? '' : 's'}</caption>
<thead><tr><th scope="col">Client (unverified)</th><th scope="col">Sends back to</th><th scope="col">Allowed</th><th scope="col">Last refreshed</th><th scope="col">State</th></tr></thead>
<tbody>${clients.map(
        (g) =>
          html`<tr><td>${g.client.name}</td><td>${g.redirectHost}</td><td>${when(c, g.createdAt)}</td><td>${g.lastUsedAt ? when(c, g.lastUsedAt) : 'never'}</td><td>${
            g.revokedAt
              ? html`revoked ${when(c, g.revokedAt)}`
              : !g.can.revoke.allowed
                ? whyNot(c, g.can.revoke, here)
                : html`<form class="inline-form" method="post" action="/people/${p.handle}/mcp-clients/${g.id}/revoke">${csrfField(c)}<button type="submit" class="secondary">Revoke ${g.client.name}</button></form>`
          }</td></tr>`,
      )}</tbody></table></div>`
    : html`<p>None yet. An MCP client connected to <code>/mcp</code> by its address alone asks ${self ? 'you' : p.name} here, in the browser, before it may act.</p>`
}
</section>`
    : ''
}`;
  const status = failure ? failure.problem.status : 200;
  return render(c, { title: `Edit ${p.name}`, nav: 'people', body, status });
}

/** The person's own address: whether it is confirmed, where mail goes meanwhile, and a new confirmation link. */
function mailPart(c: WebContext, handle: string, m: MailView, problem: FormProblem | null) {
  const sent = m.confirmation;
  return html`<section aria-labelledby="mail-status" class="mail-status"><h3 id="mail-status">Your mail address</h3>
${errorSummary(problem, 'confirmation')}
<p>${m.address ? html`<strong>${m.address}</strong>: ` : ''}${m.status}</p>
${
  m.address && !m.confirmed
    ? html`<p>${
        sent
          ? sent.refused
            ? html`The confirmation mail asked for ${when(c, sent.askedAt)} was refused by the mail server (${sent.refused}): check the address.`
            : sent.mailedAt
              ? html`A confirmation link was mailed to it ${when(c, sent.mailedAt)}; it works until ${when(c, sent.expiresAt)}.`
              : html`A confirmation link was asked for ${when(c, sent.askedAt)} and has not been mailed yet.`
          : 'No confirmation link for it is waiting.'
      }</p>
${
  m.resend.allowed
    ? html`<form method="post" action="/people/${handle}/email-confirmation">${csrfField(c)}<button type="submit" class="secondary">Send ${sent ? 'another' : 'a'} confirmation link</button></form>`
    : html`<p class="muted">${withMoments(c, m.resend.reason)}.</p>`
}`
    : ''
}
</section>`;
}

const orNull = (v: string | undefined) => (v?.trim() ? v.trim() : null);

export function peopleRoutes(web: Hono<WebEnv>): void {
  web.get('/people', peoplePage);
  web.get('/people/:handle/edit', (c) => profilePage(c, c.req.param('handle')));
  web.post('/people/:handle/edit', (c) => {
    const handle = c.req.param('handle');
    return postForm(c, {
      page: `/people/${encodeURIComponent(handle)}/edit`,
      run: async (values) => {
        const hub = c.var.hub;
        // the one organisation field: a new name ends today's affiliations and starts one
        const affiliations =
          values.organisation === undefined
            ? null
            : withOrganisationNow(
                (await getPerson(hub, handle)).affiliations.map((a) => ({ ...a, organisation: a.organisation.name })),
                values.organisation,
                hub.clock.now().toISOString().slice(0, 10),
              );
        return updatePerson(hub, actorFor(c), handle, formVersion(values), {
          name: values.name ?? '',
          timeZone: values.timeZone ?? '',
          github: orNull(values.github),
          discord: orNull(values.discord),
          // only the person's own form has the field; a moderator's save leaves the address alone
          ...(values.email === undefined ? {} : { email: orNull(values.email) }),
          ...(affiliations ? { affiliations } : {}),
        });
      },
      failed: (problem, values) => profilePage(c, handle, { form: 'profile', problem, values }),
      done: (_values, p) =>
        p.mail?.address && !p.mail.confirmed && p.mail.confirmation && !p.mail.confirmation.mailedAt
          ? c.var.hub.settings.mailsOut
            ? `Your profile is saved. A confirmation link is on its way to ${p.mail.address}: notices are mailed there once you open it.`
            : `Your profile is saved. No confirmation link was mailed to ${p.mail.address}: this hub sends no mail (WGHUB_SMTP_URL is not set).`
          : p.mail?.address && !p.mail.confirmed
            ? `Your profile is saved. ${p.mail.address} is not confirmed yet: ${p.mail.resend.allowed ? 'send a confirmation link below' : p.mail.resend.reason}.`
            : 'Your profile is saved.',
      // an address waiting for confirmation: back to the page that says so and can send a new link
      next: (p) =>
        p.mail?.address && !p.mail.confirmed
          ? `/people/${encodeURIComponent(handle)}/edit#mail-status`
          : `/people/${encodeURIComponent(handle)}`,
    });
  });
  web.post('/people/:handle/role', (c) => {
    const handle = c.req.param('handle');
    return postForm(c, {
      page: `/people/${encodeURIComponent(handle)}/edit`,
      run: (values) => setPersonRole(c.var.hub, actorFor(c), handle, formVersion(values), { role: values.role ?? '' }),
      failed: (problem, values) => profilePage(c, handle, { form: 'role', problem, values }),
      done: (_v, p) => `${p.name} is now ${withArticle(roleName(c.var.hub.governance, p.role))}.`,
      next: (p) => `/people/${encodeURIComponent(p.handle)}`,
    });
  });
  web.post('/people/:handle/email-confirmation', (c) => {
    const handle = c.req.param('handle');
    return postForm(c, {
      page: `/people/${encodeURIComponent(handle)}/edit`,
      run: () => resendConfirmation(c.var.hub, actorFor(c), handle),
      failed: (problem, values) => profilePage(c, handle, { form: 'confirmation', problem, values }),
      done: (_v, m) =>
        c.var.hub.settings.mailsOut
          ? `A new confirmation link is on its way to ${m.address}; it works once, for a limited time.`
          : 'No confirmation link was mailed: this hub sends no mail (WGHUB_SMTP_URL is not set).',
      next: `/people/${encodeURIComponent(handle)}/edit#mail-status`,
    });
  });
  // The link in a confirmation mail: it works signed out (the token is the proof), and confirms only
  // when the button is pressed, so a mail scanner that follows links confirms nothing. The token goes
  // back into the form's address %-escaped: read decoded from a link of anyone's making
  // (/confirm-email/..%2F..%2Fgroups%2Fhosting%2Fleave), it made the button post, with the signed-in
  // reader's security token, to any page of the hub (fuzz round 14).
  web.get('/confirm-email/:token', (c) =>
    render(c, {
      title: 'Confirm your mail address',
      body: html`<h1>Confirm your mail address</h1><p>Press the button to confirm that this address is yours. Notices are mailed to it from then on. No sign-in is needed.</p>
<form method="post" action="/confirm-email/${encodeURIComponent(c.req.param('token'))}">${csrfField(c)}<button type="submit">Confirm my address</button></form>`,
    }),
  );
  web.post('/confirm-email/:token', async (c) => {
    try {
      const done = await confirmEmail(c.var.hub, c.req.param('token'));
      return render(c, {
        title: 'Address confirmed',
        body: html`<h1>Address confirmed</h1><p>${done.address} is confirmed for @${done.handle}: notices are mailed to it from now on. You can choose what you are mailed, and when, on <a href="/me/notifications">your notification preferences</a>${currentPerson(c)?.handle === done.handle ? '' : ' (after signing in)'}.</p>`,
      });
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return render(c, {
        title: 'Link not valid',
        status: 404,
        body: html`<h1>This link does not work</h1><p>${e.message}.</p><p>Sign in and ask for a new confirmation link on your profile page.</p>`,
      });
    }
  });
  web.post('/people/:handle/tokens', async (c) => {
    const handle = c.req.param('handle');
    const values = formFields(await c.req.parseBody());
    let made: Awaited<ReturnType<typeof createToken>>;
    try {
      made = await createToken(c.var.hub, actorFor(c), handle, { label: values.label ?? '' });
    } catch (e) {
      return profilePage(c, handle, {
        form: 'token',
        problem: formProblem(e, viewerZone(c), c.var.hub.governance),
        values,
      });
    }
    // The secret is shown once, on this response, never stored or put in a redirect.
    c.header('Cache-Control', 'no-store');
    return profilePage(c, handle, null, { label: made.label, token: made.token });
  });
  web.post('/people/:handle/tokens/:id/revoke', (c) => {
    const handle = c.req.param('handle');
    return postForm(c, {
      page: `/people/${encodeURIComponent(handle)}/edit`,
      run: () => revokeToken(c.var.hub, actorFor(c), c.req.param('id')),
      failed: (problem) => profilePage(c, handle, { form: 'token', problem, values: {} }),
      done: 'The token is revoked: nothing can use it any more.',
    });
  });
  web.post('/people/:handle/mcp-clients/:id/revoke', (c) => {
    const handle = c.req.param('handle');
    return postForm(c, {
      page: `/people/${encodeURIComponent(handle)}/edit`,
      run: () => revokeGrant(c.var.hub, actorFor(c), c.req.param('id')),
      failed: (problem) => profilePage(c, handle, { form: 'token', problem, values: {} }),
      done: (_v, g) => `${g.client.name} can no longer act as ${g.person}: its access is revoked.`,
    });
  });
  web.get('/organisations', async (c) => {
    const cursor = c.req.query('cursor');
    let problem: FormProblem | null = null;
    let page: Awaited<ReturnType<typeof listOrganisationsPage>> | null = null;
    try {
      page = await listOrganisationsPage(c.var.hub, viewerFor(c), {
        limit: LIMITS.webListPage,
        ...(cursor ? { cursor } : {}),
      });
    } catch (e) {
      problem = formProblem(e, viewerZone(c), c.var.hub.governance);
    }
    const orgs = page?.items ?? [];
    const next = page?.nextCursor ? `/organisations?${new URLSearchParams({ cursor: page.nextCursor })}` : null;
    return render(c, {
      title: 'Organisations',
      nav: 'people',
      status: problem?.status,
      body: html`<h1>Organisations</h1>
<p>Where people work. Supporters and votes are also counted by organisation, so one company's many voices weigh less than several companies' single voices. See also <a href="/people">people</a>.</p>
${listErrorSummary(problem, '/organisations')}
${
  orgs.length
    ? html`<div class="table-wrap"><table><caption>${orgs.length}${next ? '+' : ''} organisation${orgs.length === 1 ? '' : 's'}</caption>
<thead><tr><th scope="col">Organisation</th><th scope="col">People now</th></tr></thead>
<tbody>${orgs.map((o) => html`<tr><td><a href="/organisations/${o.slug}">${o.name}</a></td><td>${o.people}</td></tr>`)}</tbody></table></div>`
    : problem
      ? ''
      : cursor
        ? noMoreOn('organisations', '/organisations')
        : html`<p>No organisation yet. One appears when a person names their affiliation in their profile.</p>`
}
${pager('organisations', cursor ? '/organisations' : null, next)}`,
    });
  });
  web.get('/organisations/:slug', async (c) => {
    const me = viewerFor(c);
    const o = await getOrganisation(c.var.hub, me, c.req.param('slug'));
    return render(c, {
      title: o.name,
      nav: 'people',
      body: html`<nav aria-label="Breadcrumb"><p class="muted"><a href="/organisations">Organisations</a> › ${o.name}</p></nav>
<h1>${o.name}</h1>
${
  o.people.length
    ? html`<ul>${o.people.map((p) => html`<li><a href="/people/${p.handle}">${p.name}</a> <span class="muted">@${p.handle}${p.from ? `, from ${p.from}` : ''}${p.to ? ` to ${p.to}` : ''}</span></li>`)}</ul>`
    : html`<p>Nobody is affiliated with ${o.name} yet.</p>`
}
${
  o.can.affiliate.allowed && me
    ? html`<p><a href="/people/${encodeURIComponent(me.person.handle)}/edit">Name ${o.name} as your affiliation in your profile</a></p>`
    : whyNot(c, o.can.affiliate, c.req.path, `name ${o.name} as your affiliation`)
}`,
    });
  });
}
