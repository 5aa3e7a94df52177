// The operators' page of the GitHub bridge (/github): each repository with its last sync, where
// an unfinished one resumes, its last error; webhook deliveries; the GitHub queues with their
// depth and failures with the reason; and "sync now" for those the policy lets (the button is
// replaced by the reason for everyone else). Sync itself runs on the worker, never in the request.
import type { Hono } from 'hono';
import { html } from 'hono/html';
import { type GithubStatusView, githubStatusFor, requestSync } from '../../../app/github/operate.ts';
import type { WebContext, WebEnv } from '../context.ts';
import { csrfField } from '../csrf.ts';
import { plural, when, viewerZone } from '../format.ts';
import { errorSummary, formFields, formProblem, type FormProblem } from '../forms.ts';
import { render } from '../render.ts';
import { actorFor, flash } from '../session.ts';

/** What the last finished sync brought: what changed on GitHub, not what it listed (most of a second run is unchanged). */
function lastRun(s: NonNullable<GithubStatusView['repositories'][number]['lastSummary']>): string {
  const changed = s.seps.created + s.seps.updated + s.comments.added + s.comments.edited;
  return changed
    ? `in sync (last run: ${plural(s.seps.created, 'SEP')} new, ${s.seps.updated} updated; ${plural(s.comments.added, 'comment')} new, ${s.comments.edited} edited)`
    : 'in sync (last run: nothing new on GitHub)';
}

async function githubPage(c: WebContext, problem: FormProblem | null = null) {
  const s = await githubStatusFor(c.var.hub, actorFor(c));
  const sync = s.can.syncNow;
  // a row's button reads "Sync now" and is named for its repository to a screen reader
  const syncForm = (repo: string | null) =>
    html`<form method="post" action="/github/sync" class="inline">${csrfField(c)}${repo ? html`<input type="hidden" name="repo" value="${repo}">` : ''}<button type="submit">${repo ? html`Sync<span class="visually-hidden"> ${repo}</span> now` : 'Sync every repository now'}</button></form>`;
  return render(c, {
    title: 'GitHub bridge',
    nav: 'github',
    status: problem?.status ?? 200,
    body: html`<h1>GitHub bridge</h1>
${errorSummary(problem)}
<p>GitHub stays the source of truth for what lives there; the hub mirrors the repositories the governance file names and, where write-back is on, writes its state back. A reconcile runs every ${plural(c.var.hub.governance.github?.reconcileEveryMinutes ?? 60, 'minute')}.</p>
${sync.allowed ? syncForm(null) : html`<p class="muted" id="sync-refused">Sync now: ${sync.reason}.</p>`}
<h2>Repositories</h2>
${
  s.repositories.length
    ? html`<div class="table-wrap"><table><caption>Mirrored repositories</caption>
<thead><tr><th scope="col">Repository</th><th scope="col">Write-back</th><th scope="col">Pull requests</th><th scope="col">Issues</th><th scope="col">Discussions</th><th scope="col">Last sync</th><th scope="col">State</th>${sync.allowed ? html`<th scope="col"><span class="visually-hidden">Actions</span></th>` : ''}</tr></thead>
<tbody>${s.repositories.map(
        (
          r,
        ) => html`<tr><th scope="row"><a href="${c.var.hub.governance.github?.webUrl ?? 'https://github.com'}/${r.nameOnGithub}">${r.nameOnGithub}</a>${r.nameOnGithub === r.name ? '' : html` <small>(mirrored as ${r.name}, as the governance file names it)</small>`}${r.onGithub ? html` <strong>${r.onGithub.says}</strong>` : ''}</th>
<td>${r.writeBack ? 'on' : 'off'}</td>
<td>${r.pulls.count}, ${plural(r.pulls.comments, 'comment')} and reviews</td>
<td>${r.issues.open} open, ${r.issues.closed} closed, ${plural(r.issues.comments, 'comment')}</td>
<td>${r.discussions.count}, ${plural(r.discussions.comments, 'comment')}${r.discussions.meetings ? `, ${r.discussions.meetings} attached to meetings` : ''}</td>
<td>${r.lastSyncFinishedAt ? when(c, r.lastSyncFinishedAt) : 'never finished'}</td>
<td>${r.lastError ? html`<strong>failed</strong>${r.lastSyncStartedAt ? html` (the run ${when(c, r.lastSyncStartedAt)})` : ''}: ${r.lastError}` : r.resumesAtPage ? `resumes at page ${r.resumesAtPage}` : r.lastSummary ? lastRun(r.lastSummary) : 'not synced yet'}</td>
${sync.allowed ? html`<td>${syncForm(r.name)}</td>` : ''}</tr>`,
      )}</tbody></table></div>`
    : html`<p>No repository is named in the governance file's <code>github.repositories</code> yet (see docs/github.md).</p>`
}
<h2>Webhook deliveries</h2>
<p>${s.deliveries.received} received (${s.deliveries.pending} waiting to be applied, ${s.deliveries.applied} applied, ${s.deliveries.ignored} ignored, ${s.deliveries.failed} failed)${s.deliveries.lastReceivedAt ? html`; the last ${when(c, s.deliveries.lastReceivedAt)}` : ''}.</p>
${
  s.deliveries.refused
    ? html`<p id="refused-deliveries">Refused for their signature: ${s.deliveries.refused.count} in all (the last ${when(c, s.deliveries.refused.lastAt)}: ${s.deliveries.refused.lastReason}).${s.deliveries.refused.secretMismatch ? html` <strong>None has been taken in since the last refusal.</strong> If GitHub sent them, <code>WGHUB_GITHUB_WEBHOOK_SECRET</code> is not the App's (or webhook's) secret: set the same one on both sides; GitHub's delivery log can send them again.` : ''}</p>`
    : ''
}
${
  s.deliveries.unnamedRepositories.length
    ? html`<p id="unnamed-repositories">Ignored, for repositories the governance file's <code>github.repositories</code> does not name (name one there to mirror it):</p>
<ul>${s.deliveries.unnamedRepositories.map((u) => html`<li>${u.repo ?? html`a repository (its name: <code>wghub github status</code>)`}: ${plural(u.count, 'delivery', 'deliveries')}, the last ${when(c, u.lastReceivedAt)}</li>`)}</ul>`
    : ''
}
<h2>Queues</h2>
${
  s.queues.length
    ? html`<div class="table-wrap"><table><caption>GitHub work waiting for the worker</caption>
<thead><tr><th scope="col">Queue</th><th scope="col">Waiting</th><th scope="col">Running</th><th scope="col">Failed</th><th scope="col">Oldest waiting since</th></tr></thead>
<tbody>${s.queues.map((q) => html`<tr><th scope="row">${q.queue}</th><td>${q.pending}</td><td>${q.running}</td><td>${q.failed}</td><td>${q.oldestPendingAt ? when(c, q.oldestPendingAt) : '–'}</td></tr>`)}</tbody></table></div>`
    : html`<p>Nothing is waiting.</p>`
}
<h2>Failures</h2>
${
  s.failures.length
    ? html`<ul>${s.failures.map((f) => html`<li><strong>${f.queue}</strong> ${f.key ?? f.id}: ${f.error ?? 'no reason recorded'} <span class="muted">(after ${plural(f.attempts, 'attempt')}, ${when(c, f.failedAt)})</span></li>`)}</ul>`
    : html`<p>None.</p>`
}`,
  });
}

export function githubRoutes(web: Hono<WebEnv>): void {
  web.get('/github', (c) => githubPage(c));
  web.post('/github/sync', async (c) => {
    const f = formFields(await c.req.parseBody());
    let r: Awaited<ReturnType<typeof requestSync>>;
    try {
      r = await requestSync(c.var.hub, actorFor(c), f.repo ? { repo: f.repo } : {});
    } catch (e) {
      return githubPage(c, formProblem(e, viewerZone(c), c.var.hub.governance));
    }
    flash(
      c,
      [
        r.queued.length ? `Sync queued for ${r.queued.join(', ')}; the worker runs it shortly.` : '',
        r.alreadyWaiting.length ? `Already waiting: ${r.alreadyWaiting.join(', ')}.` : '',
      ]
        .filter(Boolean)
        .join(' '),
    );
    return c.redirect('/github', 303);
  });
}
