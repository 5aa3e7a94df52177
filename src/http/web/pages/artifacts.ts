// /artifacts: the documents the community keeps (guides, RFCs, research, meeting notes, its
// governance texts), grouped by kind, each linked to its page; ?group= narrows to one group.
import { pageParam } from '../page-query.ts';
import { html } from 'hono/html';
import type { Hono } from 'hono';
import { listArtifacts, type ArtifactSummary } from '../../../app/imports/artifacts.ts';
import type { WebEnv } from '../context.ts';
import { when } from '../format.ts';
import { render } from '../render.ts';
import { viewerFor } from '../session.ts';

const KIND_WORDS: Record<string, string> = {
  guide: 'Guides',
  rfc: 'RFCs',
  research: 'Research',
  'meeting-notes': 'Meeting notes',
  glossary: 'Glossaries',
  vision: 'Vision',
  'governance-doc': 'Governance documents',
};

export function artifactHref(path: string): string {
  return `/artifacts/${path.split('/').map(encodeURIComponent).join('/')}`;
}

export function artifactRoutes(web: Hono<WebEnv>): void {
  web.get('/artifacts', async (c) => {
    const group = pageParam(c, 'group')?.trim() || undefined;
    const items = await listArtifacts(c.var.hub, viewerFor(c), group ? { group } : {});
    const byKind = new Map<string, ArtifactSummary[]>();
    for (const a of items) byKind.set(a.kind, [...(byKind.get(a.kind) ?? []), a]);
    return render(c, {
      title: 'Documents',
      nav: 'search',
      body: html`<h1>Documents${group ? html` of <a href="/groups/${group}">${group}</a>` : ''}</h1>
<p>Guides, RFCs, research and notes the community keeps, as imported from its repository.${group ? html` <a href="/artifacts">All documents</a>.` : ''}</p>
${
  items.length
    ? [...byKind].map(
        ([kind, list]) => html`<section><h2>${KIND_WORDS[kind] ?? kind} (${list.length})</h2>
<ul>${list.map((a) => html`<li><a href="${artifactHref(a.path)}">${a.title}</a> <span class="muted">${a.group && !group ? html`· <a href="/groups/${a.group}">${a.group}</a> ` : ''}· updated ${when(c, a.updatedAt, { dateOnly: true })}</span></li>`)}</ul></section>`,
      )
    : html`<p>No documents yet. An operator brings them in with <code>wghub import corpus</code>.</p>`
}`,
    });
  });
}
