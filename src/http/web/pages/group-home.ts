// The group page as the group's home: what needs the facilitator's attention (for those who run
// the group), then its proposals, open decisions, meetings, documents and calendar.
import { html } from 'hono/html';
import { attentionOf, type GroupHome } from '../../../app/groups/group-home.ts';
import type { GroupView } from '../../../app/groups/groups.ts';
import { sponsorshipInWords } from '../../../domain/governance/describe.ts';
import type { Governance } from '../../../domain/governance/index.ts';
import { isolatedName } from '../../../domain/people.ts';
import type { Can, GroupAction } from '../../../domain/policies/index.ts';
import type { WebContext } from '../context.ts';
import { titleHtml, when } from '../format.ts';
import { OUTCOME_BADGE, OUTCOMES, phaseWords } from './decisions.ts';
import { stageLabel } from './proposals.ts';
import type { Html } from '../layout.ts';

/**
 * What a proposed group still waits for before it may move to active, in words (empty when nothing,
 * or when it is not proposed): its sponsorship while not met, and a lead while nobody leads it (those
 * named as lead and invited must accept first). Said where it is proposed, sponsored, and run.
 */
export function proposedWaitsFor(g: GroupView, governance: Governance): string[] {
  if (g.status !== 'proposed') return [];
  const out: string[] = [];
  if (!g.sponsorship.met)
    out.push(
      `sponsors (${sponsorshipInWords(governance)}; ${g.sponsors.length ? `so far ${g.sponsors.map((s) => `${isolatedName(s.name)} (@${s.handle})`).join(', ')}` : 'none yet'})`,
    );
  if (g.allowedMoves.some((m) => m.to === 'active' && m.needsLead)) {
    const invited = g.invitedLeads.map((l) => `${isolatedName(l.name)} (@${l.handle})`);
    out.push(
      invited.length
        ? `a lead: ${invited.join(', ')} ${invited.length === 1 ? 'is' : 'are'} invited as lead and ${invited.length === 1 ? 'leads' : 'one leads'} once they accept`
        : 'a lead: nobody leads it or is invited to; invite one by setting their level to lead',
    );
  }
  return out;
}

/**
 * Those who may set levels run the group: they see what waits on them. A topic area's facilitator
 * (`facilitates`: the slugs of the group's topic areas that are theirs) sees what its meetings need.
 */
export function attentionSection(
  c: WebContext,
  g: GroupView,
  can: Can<GroupAction>,
  home: GroupHome,
  facilitates: readonly string[] = [],
): Html | '' {
  const runs = can.setMemberLevel.allowed;
  const items = attentionOf(home, runs, facilitates);
  if (!items) return '';
  // a proposed group is not waiting on nothing: it waits on its sponsors, or on a lead accepting
  const waits = runs ? proposedWaitsFor(g, c.var.hub.governance) : [];
  // nothing left but the move: the viewer's own to make (say where), or another's (say whose)
  const move = g.allowedMoves.find((m) => m.to === 'active');
  const ready =
    runs && g.status === 'proposed' && !waits.length && move
      ? html`<p id="waits-for"><strong>Proposed, ready to move to active</strong>: its sponsorship is met and it has a lead; ${
          can.move.allowed
            ? html`you may move it: choose active under <a href="#move-group">Move the group</a>.`
            : html`${move.by} moves it.`
        }</p>`
      : '';
  return html`<section aria-labelledby="attention"><h2 id="attention">Needs your attention</h2>
${waits.length ? html`<p id="waits-for"><strong>Proposed, not active yet</strong>: ${g.name} becomes active once it has ${waits.join(', and ')}. <a href="#members">Members</a> says who may sponsor it and who is invited to lead.</p>` : ready}
${
  items.length
    ? html`<ul>${items.map((a) => html`<li><strong>${a.what}</strong>: <a href="${a.href}">${a.ref}</a> — ${a.why}${a.at ? html` ${a.at.word} ${when(c, a.at.iso)}` : ''}${a.note ?? ''}</li>`)}</ul>`
    : waits.length || ready
      ? ''
      : runs
        ? html`<p>Nothing is waiting: notes are on time, agendas are out, evidence is checked.</p>`
        : html`<p>Nothing is waiting for the meetings of your topic ${facilitates.length === 1 ? 'area' : 'areas'}: notes are on time, agendas are out.</p>`
}
${runs && g.kind === 'working' ? html`<p><a href="/groups/${g.slug}/quarterly">Draft the quarterly update</a></p>` : ''}</section>`;
}

/**
 * `can` (the policies' verdicts) decides who is offered another meeting or decision here, and
 * `propose` (the community's proposal.create for this viewer) who is offered a proposal: an empty
 * list says so without offering what its viewer may not do.
 */
export function homeSections(
  c: WebContext,
  g: GroupView,
  can: Can<GroupAction>,
  home: GroupHome,
  propose: boolean,
): Html {
  return html`<section aria-labelledby="work"><h2 id="work">Proposals</h2>
${
  home.proposals.length
    ? html`<ul>${home.proposals.map((p) => html`<li><a href="/proposals/${p.ref}">${p.ref}: ${titleHtml(p.title)}</a> <span class="badge">${stageLabel(p.stage)}</span></li>`)}</ul>`
    : html`<p>No open proposals.${propose ? html` <a href="/proposals/new?group=${g.slug}">File the first proposal</a>.` : ''}</p>`
}
<p><a href="/proposals?group=${g.slug}">Every proposal of ${g.name}</a>${home.proposals.length && propose ? html` · <a href="/proposals/new?group=${g.slug}">Propose something in ${g.name}</a>` : ''}</p></section>
<section aria-labelledby="open-decisions"><h2 id="open-decisions">Open decisions</h2>
${
  home.decisions.length
    ? html`<ul>${home.decisions.map((d) => html`<li><a href="/decisions/${d.ref}">${d.ref}: ${d.question}</a> <span class="muted">${phaseWords(c.var.hub.governance, d.phase)}, closes ${when(c, d.deadline)}</span></li>`)}</ul>`
    : can.openDecision.allowed
      ? html`<p>No decision is open. A decision starts from a proposal's page, or <a href="/decisions/new?group=${g.slug}">open one here</a>.</p>`
      : html`<p>No decision is open.</p>`
}
${home.decisions.length && can.openDecision.allowed ? html`<p><a href="/decisions/new?group=${g.slug}">Open a decision</a></p>` : ''}
${
  home.decided.length
    ? html`<h3>Recently decided</h3><ul>${home.decided.map((d) => html`<li><a href="/decisions/${d.ref}">${d.ref}: ${d.question}</a> <span class="badge ${OUTCOME_BADGE[d.outcome] ?? 'ok'}">${OUTCOMES[d.outcome] ?? d.outcome}</span> <span class="muted">deadline ${when(c, d.deadline)}</span></li>`)}</ul>`
    : ''
}<p><a href="/decisions?group=${g.slug}">Every decision of ${g.name}</a></p></section>
<section aria-labelledby="group-meetings"><h2 id="group-meetings">Meetings</h2>
<h3>Next</h3>
${home.meetings.upcoming.length ? html`<ul>${home.meetings.upcoming.map((m) => html`<li><a href="/meetings/${m.ref}${m.laterInSeries ? '#series' : ''}">${m.ref}: ${m.title}</a>, ${when(c, m.startsAt)}${m.laterInSeries ? html` <span class="muted">(a coming meeting of the series: no agenda of its own yet)</span>` : ''}</li>`)}</ul>` : html`<p>None scheduled.${can.scheduleMeeting.allowed ? html` <a href="/meetings/new?group=${g.slug}">Schedule the ${home.meetings.recent.length ? 'next' : 'first'} meeting</a>.` : ''}</p>`}
${home.meetings.upcoming.length && can.scheduleMeeting.allowed ? html`<p><a href="/meetings/new?group=${g.slug}">Schedule a meeting</a></p>` : ''}
<h3>Recent</h3>
${home.meetings.recent.length ? html`<ul>${home.meetings.recent.map((m) => html`<li><a href="/meetings/${m.ref}">${m.ref}: ${m.title}</a>, ${when(c, m.startsAt)}${m.cancelled ? html` <span class="badge bad">cancelled</span>` : ''}</li>`)}</ul>` : html`<p>None yet.</p>`}
<p><a href="/meetings?group=${g.slug}#calendars">Subscribe to ${g.name}'s calendar</a> · <a href="/meetings?group=${g.slug}">All of its meetings</a></p></section>
<section aria-labelledby="documents"><h2 id="documents">Documents</h2>
${home.documents.length ? html`<ul>${home.documents.map((d) => html`<li><a href="/artifacts/${d.path}">${d.title}</a> <span class="muted">${d.kind}</span></li>`)}</ul><p><a href="/artifacts?group=${g.slug}">All of ${g.name}'s documents</a> · <a href="/artifacts">Every group's documents</a></p>` : html`<p>No documents yet. <a href="/artifacts">Every group's documents</a></p>`}</section>`;
}
