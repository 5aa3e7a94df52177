// Pages of what the GitHub bridge mirrors and has no hub object of its own: a Discussion (meeting
// notes, agendas, quarterly updates, or any other category) with its comments and replies, and a
// plain issue with its state, labels, assignees and comments. Each
// links to its GitHub original; a Discussion attached to a meeting links to it. Text deleted on
// GitHub shows as the note that replaced it.
import type { Hono } from 'hono';
import { html } from 'hono/html';
import { getMirroredDiscussion } from '../../../app/github/discussions.ts';
import { getMirroredIssue } from '../../../app/github/issues.ts';
import { NotFound } from '../../../domain/errors.ts';
import { refNumber } from '../../../domain/limits.ts';
import type { WebEnv } from '../context.ts';
import { when } from '../format.ts';
import { render } from '../render.ts';
import { markdown, personLink } from './widgets.ts';

const KIND_WORDS: Record<string, string> = {
  notes: 'Meeting notes',
  agendas: 'Meeting agenda',
  quarterly: 'Quarterly update',
};

export function githubMirrorRoutes(web: Hono<WebEnv>): void {
  web.get('/github/:owner/:name/discussions/:number', async (c) => {
    const repo = `${c.req.param('owner')}/${c.req.param('name')}`;
    // as references are read: digits within the column (Number() took 0x10 for #16, and PostgreSQL
    // refused 2147483648 as a value out of range, where no such Discussion is the answer)
    const number = refNumber(c.req.param('number'));
    const d = number !== null ? await getMirroredDiscussion(c.var.hub, repo, number) : null;
    if (!d) throw new NotFound('Discussion', `${repo}#${c.req.param('number')}`);
    const top = d.comments.filter((x) => x.parent_github_id === null);
    const replies = (id: string) => d.comments.filter((x) => x.parent_github_id === id);
    const comment = (x: (typeof d.comments)[number]) =>
      html`<article class="comment" id="discussioncomment-${x.github_id}"><p class="muted">${x.author ? personLink(x.author) : 'someone'} · ${when(c, x.created_at)}${x.deleted_at ? '' : html` · <a href="${x.url}">on GitHub</a>`}</p>${markdown(x.body, c.var.hub.governance)}`;
    return render(c, {
      title: `${d.title} (${d.repo} Discussion #${d.number})`,
      body: html`<nav aria-label="Breadcrumb"><p class="muted">${d.repo} › Discussions › #${d.number}</p></nav>
<h1>${d.title}</h1>
<p><span class="badge">${(d.kind && KIND_WORDS[d.kind]) || d.category}</span>${d.deleted_at ? html` <span class="badge bad">deleted on GitHub</span>` : ''} · ${d.author ? personLink(d.author) : 'someone'} · ${when(c, d.created_at)} · <a href="${d.url}">on GitHub</a></p>
${d.meeting ? html`<p>The ${d.kind === 'agendas' ? 'agenda' : 'notes'} of <a href="/meetings/${d.meeting.ref}">${d.meeting.ref}: ${d.meeting.title}</a>.</p>` : ''}
${markdown(d.body, c.var.hub.governance)}
<section aria-labelledby="comments"><h2 id="comments">Comments (${d.comments.length})</h2>
${top.length ? top.map((x) => html`${comment(x)}${replies(x.github_id).map((r) => html`<div class="reply">${comment(r)}</article></div>`)}</article>`) : html`<p>No comments.</p>`}
</section>`,
    });
  });
  web.get('/github/:owner/:name/issues/:number', async (c) => {
    const repo = `${c.req.param('owner')}/${c.req.param('name')}`;
    const number = refNumber(c.req.param('number'));
    const i = number !== null ? await getMirroredIssue(c.var.hub, repo, number) : null;
    if (!i) throw new NotFound('issue', `${repo}#${c.req.param('number')}`);
    return render(c, {
      title: `${i.title} (${i.repo} #${i.number})`,
      body: html`<nav aria-label="Breadcrumb"><p class="muted">${i.repo} › Issues › #${i.number}</p></nav>
<h1>${i.title}</h1>
<p><span class="badge${i.state === 'open' ? ' ok' : ''}">${i.state}</span>${i.deleted_at ? html` <span class="badge bad">deleted on GitHub</span>` : ''} · opened by ${i.author ? personLink(i.author) : 'someone'} · ${when(c, i.created_at)} · <a href="${i.url}">on GitHub</a></p>
<p><strong>Assigned to:</strong> ${i.assignees.length ? i.assignees.map((a, n) => html`${n ? ', ' : ''}@${a}`) : 'nobody'}${i.labels.length ? html` · <strong>Labels:</strong> ${i.labels.map((l) => html`<span class="badge">${l}</span> `)}` : ''}</p>
${markdown(i.body, c.var.hub.governance)}
<section aria-labelledby="comments"><h2 id="comments">Comments (${i.comments.length})</h2>
${i.comments.length ? i.comments.map((x) => html`<article class="comment" id="issuecomment-${x.github_id}"><p class="muted">${x.author ? personLink(x.author) : 'someone'} · ${when(c, x.created_at)}${x.deleted_at ? '' : html` · <a href="${x.url}">on GitHub</a>`}</p>${markdown(x.body, c.var.hub.governance)}</article>`) : html`<p>No comments.</p>`}
</section>`,
    });
  });
}
