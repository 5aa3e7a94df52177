// A group's chat webhooks in the browser (/groups/:slug/webhooks): whoever may edit the charter
// lists, adds and removes them, the same rule as the REST route (the use case checks it). Only a
// webhook's origin is ever shown: the rest of a Discord or Slack URL is its credential.
import { html } from 'hono/html';
import type { Hono } from 'hono';
import { getGroupFor } from '../../../app/groups/groups.ts';
import { addWebhook, listWebhooks, removeWebhook } from '../../../app/notifications/chat.ts';
import { CHAT_FORMATS } from '../../../domain/notifications/chat.ts';
import type { WebContext, WebEnv } from '../context.ts';
import { csrfField } from '../csrf.ts';
import { errorSummary, field, type FormProblem, requiredLegend } from '../forms.ts';
import { render } from '../render.ts';
import { when } from '../format.ts';
import { actorFor } from '../session.ts';
import { postForm } from '../form-post.ts';
import { personIn, select, whyNot } from './widgets.ts';

const FORMAT_WORDS: Record<(typeof CHAT_FORMATS)[number], string> = {
  discord: 'Discord',
  slack: 'Slack',
  json: 'Generic JSON, signed with HMAC-SHA256',
};

async function webhooksPage(
  c: WebContext,
  slug: string,
  problem: FormProblem | null = null,
  values: Record<string, string> = {},
): Promise<Response> {
  const actor = actorFor(c);
  const g = await getGroupFor(c.var.hub, slug, actor);
  const title = `Chat webhooks of ${g.name}`;
  if (!g.can.manageWebhooks.allowed)
    return render(c, {
      title,
      nav: 'groups',
      status: 403,
      body: html`<h1>${title}</h1>${whyNot(c, g.can.manageWebhooks, c.req.path)}<p><a href="/groups/${slug}">Back to the group</a></p>`,
    });
  const { items: hooks, names, withheld, can } = await listWebhooks(c.var.hub, actor, slug);
  return render(c, {
    title,
    nav: 'groups',
    status: problem?.status,
    body: html`<h1>${title}</h1>
${
  g.status === 'retired'
    ? html`<p>The group is retired: nothing more is posted to its webhooks. They may still be removed. <a href="/groups/${slug}">Back to the group</a></p>`
    : html`<p>Each webhook hears of decisions opened, closing and decided, meeting notes published, a weekly summary of the group, and the group's retirement. <a href="/groups/${slug}">Back to the group</a></p>`
}
<section aria-labelledby="current"><h2 id="current">Current webhooks</h2>
${
  hooks.length
    ? html`<ul class="cards">${hooks.map(
        (
          h,
        ) => html`<li class="card"><p><strong>${FORMAT_WORDS[h.format]}</strong> to ${h.target}${h.signed ? ' (signed)' : ''}</p>
<p class="muted">Added by ${personIn(names, h.createdBy)}, ${when(c, h.createdAt)}</p>
${
  h.can.remove.allowed
    ? html`<form method="post" action="/groups/${slug}/webhooks/${h.id}/remove">${csrfField(c)}<button type="submit" class="secondary">Remove the ${h.format} webhook to ${h.target}</button></form>`
    : whyNot(c, h.can.remove, c.req.path)
}</li>`,
      )}</ul>`
    : html`<p>No chat webhooks yet.</p>`
}</section>
${
  withheld.length
    ? html`<section aria-labelledby="withheld"><h2 id="withheld">Not posted while the group was retired</h2>
<p>These were not sent to the group's chat because the group was retired, and are not sent later: what they told of has passed. Each links to where it stands now.</p>
<ul>${withheld.map((w) => html`<li><a href="${w.url}">${w.title}</a> <span class="muted">(${when(c, w.at)})</span></li>`)}</ul></section>`
    : ''
}
<section aria-labelledby="add"><h2 id="add">Add a webhook</h2>
${
  can.add.allowed
    ? html`${errorSummary(problem)}
<form method="post" action="/groups/${slug}/webhooks">${csrfField(c)}
${requiredLegend()}
${select({ name: 'format', label: 'Format', problem, value: values.format ?? 'discord', options: CHAT_FORMATS.map((f) => ({ value: f, label: FORMAT_WORDS[f] })) })}
${field({ name: 'url', label: 'Webhook URL', problem, value: values.url, required: true, hint: 'The incoming-webhook address Discord or Slack gives you. It is a credential: after saving, only its origin is shown.' })}
${field({ name: 'secret', label: 'Signing secret (generic JSON only)', problem, value: '', hint: 'At least 16 characters; the receiver checks X-Wghub-Signature-256 with it.' })}
<button type="submit">Add the webhook</button></form>`
    : whyNot(c, can.add, c.req.path)
}</section>`,
  });
}

export function groupWebhookRoutes(web: Hono<WebEnv>): void {
  web.get('/groups/:slug/webhooks', (c) => webhooksPage(c, c.req.param('slug')));
  web.post('/groups/:slug/webhooks', (c) => {
    const slug = c.req.param('slug');
    return postForm(c, {
      page: `/groups/${slug}/webhooks`,
      run: (f) =>
        addWebhook(c.var.hub, actorFor(c), slug, {
          format: f.format,
          url: f.url ?? '',
          ...(f.secret ? { secret: f.secret } : {}),
        }),
      // the URL is kept so it can be corrected; the secret is not echoed back into the page
      failed: (problem, { secret: _, ...typed }) => webhooksPage(c, slug, problem, typed),
      done: 'The webhook is added: the group hears of its decisions and meetings there.',
    });
  });
  web.post('/groups/:slug/webhooks/:id/remove', (c) => {
    const slug = c.req.param('slug');
    return postForm(c, {
      page: `/groups/${slug}/webhooks`,
      run: () => removeWebhook(c.var.hub, actorFor(c), slug, c.req.param('id')),
      failed: (problem) => webhooksPage(c, slug, problem),
      done: 'The webhook is removed.',
    });
  });
}
