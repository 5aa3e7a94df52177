// Groups: the list, a group's page (charter with every section, members by level and
// organisation, topic areas with goals, deliverables, change history) and the charter editor.
import { createHash } from 'node:crypto';
import { sponsorshipInWords } from '../../../domain/governance/describe.ts';
import type { Governance } from '../../../domain/governance/index.ts';
import { html, raw } from 'hono/html';
import type { Hono } from 'hono';
import { getCharterPage, type CharterPage } from '../../../app/groups/charter-history.ts';
import { sectionMarkdown } from '../../../domain/charter-edit.ts';
import { getGroupFor, updateCharter, type GroupView, type MemberView } from '../../../app/groups/groups.ts';
import type { GroupAction } from '../../../domain/policies/group.ts';
import type { Can } from '../../../domain/policies/verdict.ts';
import type { Html } from '../layout.ts';
import { authorize } from '../../../app/core/gate.ts';
import { getTopicArea, listTopicAreas } from '../../../app/groups/topic-areas.ts';
import { groupsCan } from '../../../app/groups/group-can.ts';
import { communityCan } from '../../../app/people/access.ts';
import { groupHome } from '../../../app/groups/group-home.ts';
import { whatLeavingEnds } from '../../../app/groups/leaving.ts';
import { takingPart } from '../../../app/groups/taking-part.ts';
import { attentionSection, homeSections } from './group-home.ts';
import { groupAdminRoutes, manageSection, runsGroup, type GroupFailure } from './group-admin.ts';
import { groupWebhookRoutes } from './group-webhooks.ts';
import { askControl, membershipRequestRoutes, requestsSection } from './membership-requests.ts';
import { invitationRoutes, invitationSections } from './invitations.ts';
import { listGroupInvitations, type InvitationView } from '../../../app/groups/invitations.ts';
import { renderBlock, type CharterDocument, unpaddedBlock } from '../../../domain/charter-doc/index.ts';
import { missingTemplateSections } from '../../../domain/charter-edit.ts';
import { Conflict } from '../../../domain/errors.ts';
import { renderMarkdown } from '../../../domain/markdown.ts';
import type { WebContext, WebEnv } from '../context.ts';
import { csrfField } from '../csrf.ts';
import {
  errorSummary,
  field,
  fieldId,
  formFields,
  formProblem,
  formVersion,
  versionField,
  type FormProblem,
  requiredLegend,
} from '../forms.ts';
import { plural, summary, systemWords, when, viewerZone } from '../format.ts';
import { markdown, noMoreOn, pager, personIn, personNamed, whyNot } from './widgets.ts';
import { render } from '../render.ts';
import { actorFor, currentPerson, flash } from '../session.ts';
import { groupDirectoryPage, type DirectoryEntry } from '../../../app/groups/group-directory.ts';
import type { Page } from '../../../app/core/hub.ts';
import { LIMITS } from '../../../domain/limits.ts';
import { listErrorSummary } from '../forms.ts';
import { subscriptionControl } from './notifications.ts';
import { groupKindTitle, levelName, roleName, withArticle } from '../../../domain/governance/words.ts';

const capitalised = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

/**
 * Rendered charter HTML by the SHA-256 digest of the charter's sections (not the sections' text:
 * that kept a large charter's text alive beside its HTML): markdown rendering is the costly part of
 * the page. Not by slug and version: another hub in the same process (a test worker runs file after
 * file) can have a group of that slug at that version with a different text. Least recently viewed
 * dropped first, within LIMITS.markdown.charterCacheChars of HTML (charterHtml).
 */
const rendered = new Map<string, string>();
let renderedChars = 0;
let renders = 0;

/**
 * What the page keeps rendered: `chars` of charter HTML (at most LIMITS.markdown.charterCacheChars)
 * and how many times a charter was rendered because none was kept (`renders`).
 */
export function renderedCharters(): { chars: number; renders: number } {
  return { chars: renderedChars, renders };
}

/**
 * Joining, decided by `can.join` alone: the form with the levels the view offers (`joinAs`), coming
 * back for an emeritus member, what a member is, or why not (sign in, accept the agreements…).
 */
type GroupPageView = Awaited<ReturnType<typeof getGroupFor>>;

function joinControl(
  c: WebContext,
  g: GroupPageView,
  member: MemberView | undefined,
  invitation: InvitationView | null,
) {
  const here = `/groups/${g.slug}`;
  // the viewer's open invitation, shown below: joining lower keeps it, and accepting it gives its level
  const offered = invitation
    ? html` <span class="muted" id="join-invitation-note">You are invited as ${withArticle(levelName(c.var.hub.governance, invitation.level))} (below): accepting the invitation makes you ${withArticle(levelName(c.var.hub.governance, invitation.level))}${member && !member.emeritus ? '' : ', and joining at a lower level first keeps it open'}.</span>`
    : '';
  if (member && !member.emeritus)
    return html`<p class="ok">You are ${withArticle(levelName(c.var.hub.governance, member.level))} of this group.${offered}</p>`;
  if (!g.can.join.allowed) return whyNot(c, g.can.join, here, 'join this group');
  if (member)
    return html`<form method="post" action="${here}/join">${csrfField(c)}<p>You are an emeritus ${levelName(c.var.hub.governance, member.level)} of this group: taking part again brings you back.</p><input type="hidden" name="level" value="observer"><input type="hidden" name="back" value="1"><button type="submit">Come back to ${g.name}</button></form>`;
  return html`<form method="post" action="${here}/join">${csrfField(c)}<label for="join-level">Join as</label>
<select id="join-level" name="level">${g.joinAs.map((l) => html`<option value="${l}"${l === 'participant' ? ' selected' : ''}>${levelName(c.var.hub.governance, l)}</option>`)}</select> <button type="submit">Join ${g.name}</button>${offered}</form>`;
}

// Kept by the sections' digest and bounded in characters, least recently viewed dropped first: the
// sections' text as the key, 500 entries at a time, kept up to 500 charters of up to 500,000 characters
// alive twice over (text and HTML; attack round 25: a member amending a large charter and viewing it
// grew the process 400 MB in 150 amendments); dropping the oldest first dropped a charter viewed all
// along as soon as amendments viewed elsewhere filled the bound
function charterHtml(page: CharterPage): string {
  const key = createHash('sha256').update(JSON.stringify(page.document.sections)).digest('base64');
  let out = rendered.get(key);
  if (out !== undefined) {
    // viewed now: moved to the end of the map's order, the last to be dropped
    rendered.delete(key);
    rendered.set(key, out);
  } else {
    renders++;
    out = page.document.sections
      .map((s) => {
        const level = Math.min(6, Math.max(3, s.level + 1));
        const id = `charter-${s.heading.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
        return `<h${level} id="${id}">${escapeText(s.heading)}</h${level}><div class="markdown">${renderMarkdown(s.blocks.map(renderBlock).join('\n\n'))}</div>`;
      })
      .join('\n');
    if (out.length <= LIMITS.markdown.charterCacheChars) {
      rendered.set(key, out);
      renderedChars += out.length;
      while (renderedChars > LIMITS.markdown.charterCacheChars) {
        const [oldest, html] = rendered.entries().next().value!;
        rendered.delete(oldest);
        renderedChars -= html.length;
      }
    }
  }
  return out;
}

/** The charter and its history from the log, until a write that may change them (a comment does not). */
function cachedCharterPage(c: WebContext, slug: string): Promise<CharterPage> {
  return c.var.hub.reads.get(c.var.hub, `web:charter:${slug}`, async () => ({
    value: await getCharterPage(c.var.hub, slug),
    tags: [`charter:${slug}`],
  }));
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Sponsorship matters while a group is proposed. An active group without recorded sponsors was
 * chartered before the rule (or imported): it is not "not met yet", it is simply not recorded.
 */
function sponsorshipNote(g: GroupView, governance: Governance) {
  if (g.status === 'proposed') {
    const ask = g.sponsorship.whoMay;
    const leads = g.members.filter((m) => m.level === 'lead' && !m.emeritus);
    return html`<p class="muted">Sponsorship: ${g.sponsorship.met ? 'met' : 'not met yet'} (${sponsorshipInWords(governance)}${g.sponsors.length ? '' : '; no sponsors yet'}).</p>
${leads.length ? '' : html`<p class="muted" id="needs-a-lead">No lead yet: the group becomes active only once someone leads it${g.invitedLeads.length ? ', so one named as lead must accept their invitation first' : ''}.</p>`}
${invitedLeadsNote(g)}
${ask.length ? html`<p>Who may sponsor it: ${ask.map((p, i) => html`${i ? ', ' : ''}${personNamed(p.handle, p.name, roleName(governance, p.role))}`)}. Ask them to read the charter and sponsor the group from its page.</p>` : ''}`;
  }
  if (!g.sponsors.length && g.status === 'active')
    return html`<p class="muted">No sponsors are recorded here: the group was chartered before this hub recorded sponsorship.</p>`;
  return '';
}

/** Those named as lead in the proposal, invited and not yet accepted: they lead once they accept. */
function invitedLeadsNote(g: GroupView) {
  if (!g.invitedLeads.length) return '';
  return html`<p class="muted" id="invited-leads">Named as lead, invited, not yet accepted: ${g.invitedLeads.map((l, i) => html`${i ? ', ' : ''}${personNamed(l.handle, l.name)}`)}. They lead once they accept.</p>`;
}

/**
 * Where the charter's Leadership table and the leads recorded here disagree: the table is the
 * charter's text, which naming a lead here does not rewrite. Everyone sees it (the charter is public);
 * whoever may amend the charter gets the link to its Leadership section.
 */
function leadershipNote(g: GroupView & { can: Can<GroupAction> }, page: CharterPage) {
  const drift = g.leadershipDrift;
  if (!drift) return '';
  const heading = page.document.sections.find((s) => /^leadership$/i.test(s.heading.trim()))?.heading;
  const names = (xs: Html[]) => xs.map((x, i) => html`${i ? (i === xs.length - 1 ? ' and ' : ', ') : ''}${x}`);
  return html`<p class="warning" role="note" id="leadership-drift"><strong>The charter's Leadership table is out of date.</strong>
${drift.leadsOnly.length ? html`${names(drift.leadsOnly.map((l) => personNamed(l.handle, l.name)))} ${drift.leadsOnly.length === 1 ? 'leads' : 'lead'} the group here but ${drift.leadsOnly.length === 1 ? 'is' : 'are'} not in it.` : ''}
${drift.inCharterOnly.length ? html`It names ${names(drift.inCharterOnly.map((r) => html`${r.name}`))}, who ${drift.inCharterOnly.length === 1 ? 'is' : 'are'} not ${drift.inCharterOnly.length === 1 ? 'a lead' : 'leads'} here.` : ''}
${
  g.can.editCharter.allowed
    ? html`<a href="/groups/${g.slug}/charter/edit${heading ? html`?section=${encodeURIComponent(heading)}` : ''}">Amend the charter's Leadership section</a> so the two agree.`
    : 'A group lead amends the charter so the two agree.'
}</p>`;
}

function membersByLevel(c: WebContext, members: MemberView[]) {
  const levels = [...c.var.hub.governance.membership.levels].reverse();
  const active = members.filter((m) => !m.emeritus);
  const emeritus = members.filter((m) => m.emeritus);
  const orgs = new Map<string, number>();
  for (const m of active)
    orgs.set(m.organisation ?? 'No affiliation', (orgs.get(m.organisation ?? 'No affiliation') ?? 0) + 1);
  return html`${levels.map((l) => {
    const at = active.filter((m) => m.level === l);
    return at.length
      ? html`<h3>${capitalised(levelName(c.var.hub.governance, l))}s (${at.length})</h3><ul>${at.map((m) => html`<li><a href="/people/${m.handle}">${m.name}</a> <span class="muted">@${m.handle}${m.organisation ? ` · ${m.organisation}` : ''}</span></li>`)}</ul>`
      : '';
  })}
${emeritus.length ? html`<h3>Emeritus (${emeritus.length})</h3><ul>${emeritus.map((m) => html`<li>${m.name} <span class="muted">${m.organisation ?? ''}</span></li>`)}</ul>` : ''}
${
  // a group nobody has joined yet (a proposal naming others as leads) says so, not an empty table
  orgs.size
    ? html`<h3>By organisation</h3>
<div class="table-wrap"><table><thead><tr><th scope="col">Organisation</th><th scope="col">Active members</th></tr></thead><tbody>
${[...orgs].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([o, n]) => html`<tr><td>${o}</td><td>${n}</td></tr>`)}
</tbody></table></div>`
    : html`<p id="no-members">Nobody is in the group yet.</p>`
}`;
}

/**
 * Where the deliverables come from, for whoever may edit the charter: a section of the template the
 * charter lacks is added; one it has but whose table lists nothing (a bullet list, say, which the
 * page cannot read as deliverables) is named, with the table it needs.
 */
function deliverablesHint(slug: string, doc: CharterDocument): Html {
  const edit = (heading: string) =>
    `/groups/${slug}/charter/edit?section=${encodeURIComponent(heading)}#${SECTION_TEXT}`;
  if (missingTemplateSections(doc).some((m) => /deliverables/i.test(m.heading)))
    return html` <a href="${edit('Deliverables & Success Metrics')}">Add them to the charter</a>: its active work items and success criteria.`;
  const section = doc.sections.find((s) => /deliverables/i.test(s.heading));
  if (!section) return html``;
  return html` They are read from a table with the columns Item, Status, Target Date and Champion in its section “${section.heading}”: <a href="${edit(section.heading)}">edit that section</a> to list them.`;
}

async function groupPage(c: WebContext, slug: string, failure: GroupFailure | null = null) {
  const me = currentPerson(c);
  const actor = me ? ({ kind: 'person', person: me } as const) : null;
  const [g, page, topicList, home] = await Promise.all([
    getGroupFor(c.var.hub, slug, actor),
    cachedCharterPage(c, slug),
    listTopicAreas(c.var.hub, slug),
    groupHome(c.var.hub, slug),
  ]);
  const topics = await Promise.all(
    topicList.map(async (t) => ({ ...t, can: (await getTopicArea(c.var.hub, slug, t.slug, actor)).can })),
  );
  const member = me ? g.members.find((m) => m.handle === me.handle) : undefined;
  // what a signed-in viewer may do to take part, for the "Run this group" of those who do not run it
  const part = actor && !runsGroup(g.can) ? await takingPart(c.var.hub, actor, g.can, home, slug) : null;
  // what leaving would end for one who may leave, said beside the button before they press it
  const leaving = actor && member && g.can.leave.allowed ? await whatLeavingEnds(c.var.hub, actor, slug) : null;
  const d = g.charter.deliverables;
  return render(c, {
    title: g.name,
    nav: 'groups',
    status: failure?.problem.status,
    body: html`<h1>${g.name}</h1>
<p><span class="badge">${groupKindTitle(c.var.hub.governance, g.kind)}</span> <span class="badge">${g.status}</span> ${plural(g.members.filter((m) => !m.emeritus).length, 'active member')}</p>
${markdown(g.mission, c.var.hub.governance)}
${
  // after the mission, as on every page that offers it: one meets what the group is before how to hear of it
  subscriptionControl(c, 'group', g.slug)
}
${joinControl(c, g, member, actor ? (await listGroupInvitations(c.var.hub, actor, slug)).yourInvitation : null)}
${await invitationSections(c, g.slug, failure, g.whoAnswersRequests)}
${await askControl(c, g, failure)}
${attentionSection(
  c,
  g,
  g.can,
  home,
  // the topic areas this viewer facilitates: what their meetings need is theirs to see
  me ? topicList.filter((t) => t.facilitators.some((f) => f.handle === me.handle)).map((t) => t.slug) : [],
)}
${await requestsSection(c, g, failure)}
${manageSection(
  c,
  g,
  g.can,
  failure,
  part,
  topics.flatMap((t) => t.facilitators),
  leaving,
)}
<nav aria-label="On this page"><p><a href="#work">Proposals</a> · <a href="#open-decisions">Decisions</a> · <a href="#group-meetings">Meetings</a> · <a href="#documents">Documents</a> · <a href="#topics">Topic areas</a> · <a href="#members">Members</a> · <a href="#deliverables">Deliverables</a> · <a href="#charter">Charter</a> · <a href="#history">Change history</a></p></nav>
${homeSections(c, g, g.can, home, actor !== null && communityCan(c.var.hub, actor).createProposal.allowed)}
<section aria-labelledby="topics"><h2 id="topics">Topic areas</h2>
${topics.some((t) => t.facilitators.length) ? html`<p class="muted">Facilitators give time to summarizing and organizing, welcome new members, keep participation fair and stay neutral where they hold strong views: <a href="/how-we-work#the-ideal-topic-facilitator">the ideal topic facilitator</a>.</p>` : ''}
${
  topics.length
    ? html`<ul class="cards">${topics.map(
        (
          t,
        ) => html`<li class="card" id="topic-${t.slug}"><h3>${summary(t.name, 120)}</h3><p><strong>Goal:</strong> ${t.goalDescription}</p>${markdown(t.description, c.var.hub.governance)}
${t.cadence ? html`<p class="muted">${t.cadence}</p>` : ''}${t.facilitators.length ? html`<p>Facilitators: ${t.facilitators.map((f, i) => html`${i ? ', ' : ''}${personNamed(f.handle, f.name)}`)}</p>` : ''}
${subscriptionControl(c, 'topic', `${g.slug}/${t.slug}`, `Notifications about ${summary(t.name, 60)}`)}
${t.can.edit.allowed ? html`<p><a href="/groups/${g.slug}/topics/${t.slug}/edit">Edit ${summary(t.name, 60)}</a></p>` : ''}</li>`,
      )}</ul>`
    : html`<p>No topic areas yet.${g.can.addTopicArea.allowed ? html` <a href="/groups/${g.slug}/topics/new">Add the first topic area</a>.` : ''}</p>`
}${
  // a member with a challenge to focus on found no word here of how a topic area starts
  member && !member.emeritus && !g.can.addTopicArea.allowed && g.status !== 'retired'
    ? html`<p>A topic area forms when members focus on one challenge. To start one, bring it to the group (an item on a coming meeting's agenda, or a proposal) and ask its leads to add it.</p>${whyNot(c, g.can.addTopicArea, `/groups/${g.slug}#topics`)}`
    : ''
}</section>
<section aria-labelledby="members"><h2 id="members">Members</h2>${membersByLevel(c, g.members)}
${g.sponsors.length ? html`<p>Sponsored by ${g.sponsors.map((s, i) => html`${i ? '; ' : ''}${personNamed(s.handle, s.name, roleName(c.var.hub.governance, s.role))}`)}.</p>` : ''}
${sponsorshipNote(g, c.var.hub.governance)}
${leadershipNote(g, page)}${g.status === 'proposed' ? '' : invitedLeadsNote(g)}</section>
<section aria-labelledby="deliverables"><h2 id="deliverables">Deliverables</h2>
${
  d.length
    ? html`<div class="table-wrap"><table><thead><tr><th scope="col">Deliverable</th><th scope="col">Status</th><th scope="col">Target date</th><th scope="col">Champion</th></tr></thead><tbody>
${d.map((x) => html`<tr><td>${x.item}</td><td>${x.status}</td><td>${x.targetDate}</td><td>${x.champion}</td></tr>`)}</tbody></table></div>`
    : html`<p>The charter lists no deliverables.${g.can.editCharter.allowed ? deliverablesHint(g.slug, page.document) : ''}</p>`
}</section>
<section aria-labelledby="charter"><h2 id="charter">Charter</h2>
${g.can.editCharter.allowed ? html`<p><a class="button" href="/groups/${g.slug}/charter/edit">Edit the charter</a></p>` : ''}
${raw(charterHtml(page))}
</section>
<section aria-labelledby="history"><h2 id="history">Change history</h2>
<ol reversed start="${page.history.length + page.historyEarlier}">${page.history.map(
      (h) =>
        html`<li>${when(c, h.at, { dateOnly: true })}: ${h.kind === 'group.charter-amended' ? 'amended' : h.kind === 'group.charter-imported' ? 're-imported from its file' : h.kind === 'group.imported' ? 'imported' : 'proposed'} by ${!h.actor || h.actor.startsWith('system:') ? systemWords(h.actor) : personIn(page.names, h.actor)}${h.sections.length ? html` — sections: ${h.sections.join(', ')}` : ''}${h.note ? html` — “${h.note}”` : ''}</li>`,
    )}</ol>
<p class="muted">Charter version ${page.version}.${page.historyEarlier ? ` ${page.historyEarlier === 1 ? 'One earlier change is' : `${page.historyEarlier.toLocaleString('en')} earlier changes are`} not listed here.` : ''} Every change is in the <a href="/log">event log</a>.</p></section>`,
  });
}

/** The charter editor's text area: a section loaded (by the picker or a link naming it) lands there, focused. */
const SECTION_TEXT = fieldId('sections[0].markdown');

type EditValues = { heading?: string; markdown?: string; changelog?: string; version?: string };

async function editPage(
  c: WebContext,
  slug: string,
  problem: FormProblem | null = null,
  values: EditValues = {},
  theirs: string | null = null,
) {
  const page = await getCharterPage(c.var.hub, slug);
  const headings = page.document.sections.map((s) => s.heading).filter((h) => h !== 'Changelog');
  // sections of the charter template it lacks (deliverables, decision rights): a lead adds one by writing it
  const missing = missingTemplateSections(page.document);
  const offered = [...headings, ...missing.map((m) => m.heading)];
  // a subsection is offered under its section's name ("Scope › In Scope"): loading "Scope" shows it too
  const within = new Map<string, string>();
  const path: { heading: string; level: number }[] = [];
  for (const s of page.document.sections) {
    while (path.length && path.at(-1)!.level >= s.level) path.pop();
    if (path.length) within.set(s.heading, [...path.map((p) => p.heading), s.heading].join(' › '));
    path.push(s);
  }
  const heading =
    values.heading && offered.includes(values.heading) ? values.heading : (c.req.query('section') ?? headings[0] ?? '');
  const adding = missing.find((m) => m.heading === heading);
  // the Changelog is shown as the server measures it (changelogChars: cells and separators, unpadded):
  // padded to its longest line, a Changelog within the bound showed past it and was refused saved as shown
  const changelog = heading.trim().toLowerCase() === 'changelog';
  const text =
    values.markdown ??
    sectionMarkdown(page.document, heading, changelog ? unpaddedBlock : renderBlock) ??
    adding?.starter ??
    '';
  const sectionHint = changelog
    ? `Its lines as the server counts them: ${text.length.toLocaleString('en')} of the ${LIMITS.document.toLocaleString('en')} characters the Changelog holds. Each amendment adds a line at the top.`
    : 'Tables stay markdown tables; deeper headings (###) start subsections.';
  return render(c, {
    title: `Edit the ${page.name} charter`,
    nav: 'groups',
    status: problem?.status,
    body: html`<h1>Edit the ${page.name} charter</h1>
<p><a href="/groups/${slug}#charter">Back to the group</a></p>
${errorSummary(problem)}
${
  theirs !== null
    ? html`<section aria-labelledby="theirs"><h2 id="theirs">The section as it is now</h2><p>Someone changed the charter while you were editing. Their version of “${heading}” is below; your text is kept in the form. Merge the two, then save again.</p><pre>${theirs}</pre></section>`
    : ''
}
<form method="get" action="/groups/${slug}/charter/edit#${SECTION_TEXT}">
<label for="pick-section">Section to edit</label>
<select id="pick-section" name="section" data-loads="${SECTION_TEXT}">${headings.map((h) => html`<option value="${h}"${h === heading ? ' selected' : ''}>${within.get(h) ?? h}</option>`)}${missing.map((m) => html`<option value="${m.heading}"${m.heading === heading ? ' selected' : ''}>${m.heading} (not in the charter yet: add it)</option>`)}</select>
<button type="submit" class="secondary">Load this section</button></form>
${adding ? html`<p>“${heading}” is a section of the community's charter template that this charter does not have yet. Saving adds it, before ${adding.before}, starting from the template's text below: replace the examples with the group's own.</p>` : ''}
<form method="post" action="/groups/${slug}/charter">${csrfField(c)}
${requiredLegend()}
<input type="hidden" name="heading" value="${heading}">
${versionField(theirs !== null ? page.version : Number(values.version ?? page.version))}
${field({ name: 'markdown', field: 'sections[0].markdown', label: `Text of “${heading}” (markdown)`, type: 'textarea', rows: 16, value: text, problem, hint: sectionHint })}
${field({ name: 'changelog', label: 'What changed, for the changelog', value: values.changelog, problem, required: true, hint: 'One line, e.g. "Added the scaling topic area to the scope".' })}
<p><button type="submit">Save “${heading}”</button></p></form>`,
  });
}

export function groupRoutes(web: Hono<WebEnv>): void {
  web.get('/groups', async (c) => {
    // a page at a time, as the other long lists: REST's page and cursor, a cursor it did not give named (422)
    const cursor = c.req.query('cursor');
    let problem: FormProblem | null = null;
    let page: Page<DirectoryEntry> = { items: [], nextCursor: null };
    try {
      page = await groupDirectoryPage(c.var.hub, { limit: LIMITS.webListPage, ...(cursor ? { cursor } : {}) });
    } catch (e) {
      problem = formProblem(e, viewerZone(c), c.var.hub.governance);
    }
    const groups = page.items;
    const first = cursor ? '/groups' : null;
    const next = page.nextCursor ? `/groups?${new URLSearchParams({ cursor: page.nextCursor })}` : null;
    const section = (kind: string, title: string) => {
      const list = groups.filter((g) => g.kind === kind);
      return list.length
        ? html`<h2>${title}</h2><ul class="cards">${list.map(
            (
              g,
            ) => html`<li class="card"><h3><a href="/groups/${g.slug}">${g.name}</a></h3><p class="muted">${g.status}</p><p>${summary(g.mission, 240)}</p>
${g.topics.length ? html`<p>${plural(g.topics.length, 'topic area')}: ${g.topics.map((t, i) => html`${i ? ', ' : ''}<a href="/groups/${g.slug}#topic-${t.slug}">${summary(t.name, 120)}</a>`)}</p>` : ''}</li>`,
          )}</ul>`
        : '';
    };
    const propose = groupsCan(
      c.var.hub,
      currentPerson(c) ? { kind: 'person', person: currentPerson(c)! } : null,
    ).propose;
    // a new hub has no group yet: say so, and how the first one comes, not an empty page
    const none = groups.length
      ? ''
      : problem
        ? ''
        : first
          ? noMoreOn('groups', first)
          : html`<p>No groups yet. A group starts when someone proposes it; it then appears here for people to join.</p>${propose.allowed ? '' : whyNot(c, propose, '/groups', 'propose a group')}`;
    return render(c, {
      title: 'Groups',
      nav: 'groups',
      status: problem?.status,
      body: html`<h1>Groups</h1>${listErrorSummary(problem, '/groups')}${none}${groups.length ? html`<p id="groups-intro">Each group's page has its charter (mission, scope and leadership), who leads it and who facilitates each of its topic areas, its meetings and open decisions, and the way to join it.</p>` : ''}${propose.allowed ? html`<p><a href="/groups/new">${groups.length ? 'Propose a group' : 'Propose the first group'}</a></p>` : groups.length ? whyNot(c, propose, '/groups', 'propose a group') : ''}${section('working', `${groupKindTitle(c.var.hub.governance, 'working')}s`)}${section('interest', `${groupKindTitle(c.var.hub.governance, 'interest')}s`)}${pager('groups', first, next)}`,
    });
  });

  groupAdminRoutes(web, groupPage);
  membershipRequestRoutes(web, groupPage);
  invitationRoutes(web, groupPage);
  groupWebhookRoutes(web);
  web.get('/groups/:slug', (c) => groupPage(c, c.req.param('slug')));

  web.get('/groups/:slug/charter/edit', async (c) => {
    const slug = c.req.param('slug');
    authorize((await getGroupFor(c.var.hub, slug, actorFor(c))).can, 'editCharter');
    return editPage(c, slug);
  });

  web.post('/groups/:slug/charter', async (c) => {
    const slug = c.req.param('slug');
    const actor = actorFor(c);
    const f = formFields(await c.req.parseBody());
    let unchanged = false;
    try {
      const sent = formVersion(f);
      const saved = await updateCharter(c.var.hub, actor, slug, sent, {
        sections: [{ heading: f.heading ?? '', markdown: f.markdown ?? '' }],
        changelog: f.changelog ?? '',
      });
      unchanged = saved.version === sent;
    } catch (e) {
      const p = formProblem(e, viewerZone(c), c.var.hub.governance);
      if (e instanceof Conflict) {
        const now = await getCharterPage(c.var.hub, slug);
        return editPage(c, slug, p, f, sectionMarkdown(now.document, f.heading ?? '') ?? '');
      }
      return editPage(c, slug, p, f);
    }
    // a section saved as it stood changes nothing, its changelog line included: said, not dropped unseen
    flash(
      c,
      unchanged
        ? `Nothing changed: the charter section “${f.heading}” was saved as it stood, so no new version and no changelog line were added.`
        : `The charter section “${f.heading}” is saved.`,
    );
    return c.redirect(`/groups/${slug}#history`, 303);
  });
}
