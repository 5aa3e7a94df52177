// /proposals: the list with filters, and one proposal with its route as a stepper, gate checks,
// stage moves and who may make them, supporters by organisation, evidence, relations and
// lineage, the which-layer questionnaire and the discussion. Every rule is the use cases'.
import { meetingsOnProposal } from '../../../app/proposals/collaboration.ts';
import { pageQuery } from '../page-query.ts';
import { LIMITS } from '../../../domain/limits.ts';
import { html } from 'hono/html';
import type { Hono } from 'hono';
import { commentHistory, commentWindow, discussionVoices } from '../../../app/proposals/comments.ts';
import { getGroup, listGroups } from '../../../app/groups/groups.ts';
import {
  addEvidence,
  checkProposalGates,
  completeFollowUp,
  getProposal,
  listProposals,
  moveProposal,
  promoteProposal,
  endSponsorship,
  recommendProposalLayer,
  relateProposal,
  sponsorProposal,
  supportProposal,
  withdrawSupport,
  type ProposalView,
} from '../../../app/proposals/proposals.ts';
import {
  type DocumentWords,
  documentWords,
  type Governance,
  ROUTE_IDS,
  type RouteId,
  withArticle,
} from '../../../domain/governance/index.ts';
import { sepSource } from '../../../app/imports/seps.ts';
import { sepBody, sepContents, sepHeader, sepSections } from './sep-text.ts';
import { describeMovers, relationVerb } from '../../../domain/proposals/index.ts';
import type { Actor } from '../../../app/core/hub.ts';
import { sentence } from '../../../domain/sentence.ts';
import { hrefFor } from './reading.ts';
import { viewerOf } from '../../../app/core/gate.ts';
import { type Probe, verifyEvidence } from '../../../app/evidence/evidence-checks.ts';
import { evidencePolicy, refused } from '../../../domain/policies/index.ts';
import type { WebContext, WebEnv } from '../context.ts';
import { csrfField } from '../csrf.ts';
import { errorSummary, field, formProblem, listErrorSummary, type FormProblem } from '../forms.ts';
import { titleHtml, titleText, when, viewerZone } from '../format.ts';
import type { ConditionResult } from '../../../domain/proposals/gates.ts';
import { OUTCOME_WORDS } from '../../../domain/decisions/outcome.ts';
import { decidedOn, type DecidedOn } from '../../../app/decisions/decisions.ts';
import type { Html } from '../layout.ts';
import { render } from '../render.ts';
import { actorFor, currentPerson } from '../session.ts';
import { optional, postForm, type FormValues } from '../form-post.ts';
import { commentFieldId, discussionRoutes, discussionSection, type CommentFailure } from './proposal-discussion.ts';
import {
  contributionNote,
  hints,
  markdown,
  passFail,
  personIn,
  personNamed,
  radios,
  safeLink,
  select,
  unavailable,
  whyNotWords,
  noMoreOn,
  pager,
} from './widgets.ts';
import { contributionAdvisers } from '../../../app/people/advisers.ts';
import { type PossibleSponsors, sponsorsOf } from '../../../app/proposals/sponsors.ts';
import { sponsorWho } from '../../../domain/policies/proposal.ts';
import { subscriptionControl } from './notifications.ts';
import { reviewRequestBlock } from './proposal-review.ts';
import { requestReview } from '../../../app/proposals/review-request.ts';
import { inCommunityWords, isProposalRef, roleName } from '../../../domain/governance/words.ts';
import { bothZones, phaseWords } from './decisions.ts';

const RELATION_KINDS = ['builds-on', 'related', 'duplicate-of', 'supersedes', 'promoted-from'];
const relationWords = relationVerb;
/** The kinds of evidence, each with what a contributor reads on the form (the value stays the API's). */
const EVIDENCE_KINDS = [
  { value: 'implementation', label: 'An implementation' },
  { value: 'interoperability', label: 'Interoperability between implementations' },
  { value: 'community-use', label: 'Use in the community' },
  { value: 'implementer-validation', label: 'Validation by implementers' },
  { value: 'other', label: 'Other' },
];
const LAYER_QUESTIONS = [
  { name: 'changesWire', label: 'Does it change what goes over the wire (messages, fields, methods)?' },
  { name: 'allSdksMustChange', label: 'Must every reference SDK change for implementations to interoperate?' },
  { name: 'oneLanguageOnly', label: "Is it about one language's SDK only?" },
  { name: 'guidanceOnly', label: 'Is it documentation, guidance, tooling or examples only?' },
] as const;

/** Which form on the proposal page failed, with what the person typed. */
type Failure =
  | {
      form:
        | 'stage'
        | 'support'
        | 'sponsor'
        | 'end-sponsorship'
        | 'review'
        | 'evidence'
        | 'relation'
        | 'promote'
        | 'follow-up';
      problem: FormProblem;
      values: Record<string, string>;
    }
  | { form: 'comment'; comment: CommentFailure };

/** Evidence as the view gives it, with its newest verification. */
type EvidenceItem = ProposalView['evidence'][number];

/** Whether a gated move is still ahead of this stage (gates are for moves not yet made). */
function gateStillAhead(r: Governance['proposals']['routes'][RouteId], stage: string): boolean {
  if (r.closed.includes(stage)) return false;
  const at = r.stages.indexOf(stage);
  return r.transitions.some((t) => t.gate && t.from.some((f) => r.stages.indexOf(f) >= at));
}

/** A pull request's state on GitHub, as the proposal's page says it beside the link (open says nothing). */
const githubStateText = {
  open: 'open',
  draft: 'draft',
  merged: 'merged',
  closed: 'closed without merging',
} as const;

export function stageLabel(s: string): string {
  return s.replace(/-/g, ' ');
}

/** What each of a proposal's links is, in the route's words (the edit form labels them the same). */
export const LINK_LABELS: [key: 'tracker' | 'discussion' | 'forum' | 'pullRequest', label: string][] = [
  ['tracker', 'Project tracker item'],
  ['discussion', 'Forum discussion (or issue)'],
  ['forum', 'Chat or other thread'],
  ['pullRequest', 'Pull request'],
];

/**
 * The pull request's link, beside the moves when one of them asks for it (into the pull request stage):
 * required unless the proposal has one already, which then stands when it is left empty.
 */
function pullRequestField(
  p: ProposalView,
  moves: ProposalView['allowedMoves'],
  problem: FormProblem | null,
  value: string | undefined,
): Html | '' {
  const asking = moves.filter((m) => m.requiresPullRequest);
  if (!asking.length) return '';
  const to = asking.map((m) => stageLabel(m.to)).join(' or ');
  // what to give is said in the label: a hint in the Move form reads as an explanation of its button
  return field({
    name: 'pullRequest',
    label: p.pullRequest
      ? `Pull request link (empty keeps ${p.pullRequest.url})`
      : `Pull request link, https (needed to move to ${to}; open it first: the hub drafts its description)`,
    form: 'stage',
    problem,
    value: value ?? '',
  });
}

/** Where the proposal lives outside the hub (its tracker item, forum thread), when it says; its pull request has a line of its own. */
function elsewhere(links: Record<string, string | null>, pr: ProposalView['pullRequest']): Html | string {
  const set = LINK_LABELS.filter(([k]) => links[k] && !(k === 'pullRequest' && pr));
  return html`${
    set.length
      ? html`<p id="links">Elsewhere: ${set.map(([k, label], i) => html`${i ? ' · ' : ''}${safeLink(links[k], label)}`)}</p>`
      : ''
  }${pr ? pullRequestLine(pr) : ''}`;
}

/**
 * The guide's route asks for its steps outside the hub on the proposal (its tracker item, its forum
 * thread), yet a lead who moved it to tracked was told neither that its link was missing nor where it
 * goes: one who may edit it reads which are missing, a link away from their boxes. SEPs live in their files.
 */
function routeLinksMissing(p: ProposalView, mayEdit: boolean): Html | '' {
  if (!mayEdit || p.route === 'sep') return '';
  // what collaborationGaps asks before the pull request: a tracker item, and a thread (the forum's, or another)
  const missing = LINK_LABELS.filter(
    ([k]) => (k === 'tracker' && !p.links.tracker) || (k === 'discussion' && !p.links.discussion && !p.links.forum),
  );
  if (!missing.length) return '';
  const [first] = missing[0]!;
  return html`<p id="links-missing">The route's steps outside this hub go on the proposal as links as they happen; it has none yet for: ${missing.map(([, label]) => label.toLowerCase()).join(', ')}. <a href="/proposals/${p.ref}/edit#f-links-${first}">Add its links</a>.</p>`;
}

const PULL_STATE_WORDS: Record<string, string> = {
  open: 'open',
  draft: 'a draft',
  merged: 'merged',
  closed: 'closed without merging',
};

/**
 * Its pull request (asked for on the move into the pull request stage): a GitHub one named by its
 * repository and number, with what the hub's mirror holds of it (its state; the proposal it is
 * mirrored as, a SEP, linked here); any other by its address.
 */
function pullRequestLine(pr: NonNullable<ProposalView['pullRequest']>): Html {
  if (!pr.github) return html`<p id="pull-request">Pull request: ${safeLink(pr.url, pr.url)}</p>`;
  const m = pr.mirrored;
  return html`<p id="pull-request">Pull request: ${safeLink(pr.url, `${pr.github.repo}#${pr.github.number}`)}${
    m
      ? html`${m.state ? ` (${PULL_STATE_WORDS[m.state] ?? m.state} on GitHub)` : ''}${m.proposal ? html` · mirrored here as <a href="/proposals/${m.proposal}">${m.proposal}</a>` : ''}`
      : ' (not mirrored by this hub)'
  }</p>`;
}

/** The route as a stepper: the stages in order with the current one marked, then the route's end states. */
export function stepper(c: WebContext, route: RouteId, current: string | null, title: string): Html {
  const r = c.var.hub.governance.proposals.routes[route];
  const path = r.stages.filter((s) => !r.closed.includes(s));
  // at an end state, the steps it can only be reached after stay done (the earliest it can follow)
  const reachedFrom = r.transitions
    .filter((t) => t.to === current)
    .flatMap((t) => t.from.map((f) => path.indexOf(f)))
    .filter((i) => i >= 0);
  const at = !current
    ? -1
    : r.closed.includes(current)
      ? reachedFrom.length
        ? Math.min(...reachedFrom) + 1
        : -1
      : path.indexOf(current);
  const ends = r.stages.filter((s) => r.closed.includes(s));
  return html`<ol class="stepper" aria-label="${title}">${path.map((s, i) => {
    const state = s === current ? 'current' : at >= 0 && i < at ? 'done' : 'todo';
    return html`<li class="${state}"${state === 'current' ? html` aria-current="step"` : ''}><span class="n" aria-hidden="true">${i + 1}</span> ${stageLabel(s)}${state === 'done' ? html`<span class="visually-hidden"> (done)</span>` : state === 'current' ? html`<span class="visually-hidden"> (current stage)</span>` : ''}</li>`;
  })}</ol>
<p class="muted">End states: ${ends.map((s, i) => html`${i ? ', ' : ''}${s === current ? html`<strong aria-current="step">${stageLabel(s)} (current)</strong>` : stageLabel(s)}`)}</p>`;
}

async function groupOptions(c: WebContext) {
  const groups = await listGroups(c.var.hub, { limit: 200 });
  return groups.items.map((g) => ({ value: g.slug, label: g.name }));
}

async function listPage(c: WebContext): Promise<Response> {
  const q = pageQuery(c);
  const filters: Record<string, string> = {};
  for (const [k, v] of Object.entries({
    route: q.route,
    stage: q.stage,
    layer: q.layer,
    group: q.group,
    cursor: q.cursor,
  }))
    if (v) filters[k] = v;
  let problem: FormProblem | null = null;
  let page: Awaited<ReturnType<typeof listProposals>> = { items: [], nextCursor: null };
  try {
    page = await listProposals(c.var.hub, { ...filters, limit: LIMITS.webListPage });
  } catch (e) {
    problem = formProblem(e, viewerZone(c), c.var.hub.governance);
  }
  const g = c.var.hub.governance.proposals;
  const words = documentWords(c.var.hub.governance);
  const stages = [...new Set(Object.values(g.routes).flatMap((r) => r.stages))];
  const next = page.nextCursor ? `/proposals?${new URLSearchParams({ ...filters, cursor: page.nextCursor })}` : null;
  // past the first page (or on a cursor refused), the first page with the same filters
  const kept = Object.fromEntries(Object.entries(filters).filter(([k]) => k !== 'cursor'));
  const first = filters.cursor ? `/proposals${Object.keys(kept).length ? `?${new URLSearchParams(kept)}` : ''}` : null;
  const groups = await groupOptions(c);
  const groupName = (slug: string) => groups.find((o) => o.value === slug)?.label ?? slug;
  const body = html`<h1>Proposals</h1>
<p>Contributions on the guide's route and ${words.many} on ${words.route.replace(/^The\b/, 'the')}. ${currentPerson(c) ? html`<a class="button" href="/proposals/new${q.group ? `?group=${encodeURIComponent(q.group)}` : ''}">New proposal</a>` : html`<a href="/sign-in?next=/proposals/new">Sign in</a> to propose something.`}</p>
${listErrorSummary(problem, first ?? '/proposals')}
<form method="get" action="/proposals" class="filters" role="search" aria-label="Filter proposals">
<div class="row">
<div>${select({ name: 'route', label: 'Route', empty: 'Any route', value: q.route, options: Object.entries(g.routes).map(([id, r]) => ({ value: id, label: r.title })), problem })}</div>
<div>${select({ name: 'stage', label: 'Stage', empty: 'Any stage', value: q.stage, options: stages.map((s) => ({ value: s, label: stageLabel(s) })), problem })}</div>
<div>${select({ name: 'layer', label: 'Layer', empty: 'Any layer', value: q.layer, options: g.layers.map((l) => ({ value: l.id, label: l.title })), problem })}</div>
<div>${select({ name: 'group', label: 'Group', empty: 'Any group', value: q.group, options: groups, problem })}</div>
</div>
<button type="submit">Filter</button> <a href="/proposals">Clear filters</a>
</form>
${
  page.items.length
    ? html`<div class="table-wrap"><table><caption>${page.items.length}${next ? '+' : ''} proposal${page.items.length === 1 ? '' : 's'}</caption>
<thead><tr><th scope="col">Ref</th><th scope="col">Title</th><th scope="col">Layer</th><th scope="col">Stage</th><th scope="col">Group</th><th scope="col">Date</th></tr></thead>
<tbody>${page.items.map((p) => html`<tr><td><a href="/proposals/${p.ref}">${p.ref}</a></td><td><a href="/proposals/${p.ref}">${titleHtml(p.title)}</a></td><td>${g.layers.find((l) => l.id === p.layer)?.title ?? p.layer}</td><td>${stageLabel(p.stage)} <span class="muted">(${p.route === 'sep' ? words.one : 'route'})</span></td><td>${p.group ? html`<a href="/groups/${p.group}">${groupName(p.group)}</a>` : '—'}</td><td>${p.route === 'sep' ? html`created ${when(c, p.createdAt, { dateOnly: true })}` : html`updated ${when(c, p.updatedAt, { dateOnly: true })}`}</td></tr>`)}</tbody>
</table></div>`
    : problem
      ? ''
      : first
        ? noMoreOn('proposals', first)
        : html`<p>No proposal matches these filters. <a href="/proposals">Clear the filters</a>, or <a href="/proposals/new">file the first proposal</a>.</p>`
}
${pager('proposals', first, next)}`;
  return render(c, { title: 'Proposals', nav: 'proposals', status: problem?.status, body });
}

function layerQuestionnaire(
  c: WebContext,
  p: ProposalView,
  answered: Awaited<ReturnType<typeof recommendProposalLayer>> | null,
  answers: Record<string, string>,
): Html {
  return html`<section aria-labelledby="layer"><h2 id="layer">Which layer?</h2>
<p>Four questions from the guide's "When to Update Different Artifacts". The answer is advice: it does not change the proposal.</p>
<form method="get" action="/proposals/${p.ref}#layer">
<input type="hidden" name="questionnaire" value="1">
${LAYER_QUESTIONS.map((q) => html`<div class="choice"><input type="checkbox" id="q-${q.name}" name="${q.name}" value="yes"${answers[q.name] === 'yes' ? html` checked` : ''}><label for="q-${q.name}">${q.label}</label></div>`)}
<button type="submit" class="secondary">Recommend a layer</button>
</form>
${
  answered
    ? html`<div class="result" role="status"><p><strong>Recommended layer: ${c.var.hub.governance.proposals.layers.find((l) => l.id === answered.layer)?.title ?? answered.layer}</strong></p>
<ul>${answered.reasoning.map((r) => html`<li>${r}</li>`)}</ul>
${answered.warnings.map((w) => html`<p class="warning">${w}</p>`)}</div>`
    : ''
}
</section>`;
}

/**
 * Everything the page shows about a proposal, from memory while nothing has been written (the
 * read cache follows the event log's head). Nothing here depends on the clock.
 */
async function proposalData(hub: WebContext['var']['hub'], ref: string) {
  return hub.reads.get(hub, `web:proposal:${ref.trim().toUpperCase()}`, async () => {
    const p = await getProposal(hub, ref);
    const [gates, discussion, voices, source] = await Promise.all([
      checkProposalGates(hub, p.ref),
      discussionFor(hub, p.ref, null, {}),
      discussionVoices(hub, p.ref),
      sepSource(hub, p.ref),
    ]);
    // a comment on this proposal drops it; one on another proposal does not (read-cache.ts)
    return { value: { p, gates, ...discussion, voices, source }, tags: [`proposal:${p.ref}`] };
  });
}

type ThreadQuery = { before?: string | undefined; upto?: string | undefined };

/**
 * The window of the thread this page shows, as this viewer sees it (a moderator reads hidden text),
 * with the edit history of what they may read: a bounded number of comments however long the thread.
 */
async function discussionFor(hub: WebContext['var']['hub'], ref: string, viewer: Actor | null, q: ThreadQuery) {
  const thread = await commentWindow(hub, ref, viewer, q);
  const comments = thread.comments;
  const edited: string[] = [];
  const walk = (vs: typeof comments): void => {
    for (const v of vs) {
      if (v.edited && (!v.hidden || v.can.readHidden.allowed)) edited.push(v.id);
      walk(v.replies);
    }
  };
  walk(comments);
  const histories = new Map(
    await Promise.all(edited.map(async (id) => [id, await commentHistory(hub, id, viewer)] as const)),
  );
  return { thread, histories };
}

/**
 * Leaving the route's first stage (the guide's "make sure there is no existing work") while the
 * prior-work check lists items and none is related yet: the list sits far below the Move button, and
 * an author moved on past a proposal on the same subject without reading it.
 */
function priorWorkUnread(
  g: Governance,
  p: ProposalView,
  route: { initial: string; closed: readonly string[] },
  moves: { to: string }[],
): Html | '' {
  // the proposals and SEPs it lists: what a relation can name
  const relatable = (p.priorWork?.matches ?? [])
    .map((m) => ({ ref: m.ref.replace(/^proposal:/, ''), title: m.title }))
    .filter((m) => isProposalRef(g, m.ref) && m.ref !== p.ref);
  // only where the viewer may move it forward (not only end it)
  if (p.stage !== route.initial || !relatable.length || moves.every((m) => route.closed.includes(m.to))) return '';
  if (relatable.some((m) => p.relations.some((r) => r.ref === m.ref))) return '';
  const shown = relatable.slice(0, 3);
  return html`<p class="warning" role="note" id="prior-work-unread">Before it moves on: the prior-work check lists ${relatable.length === 1 ? 'a proposal' : `${relatable.length} proposals`} that may cover the same ground (${shown.map((m, i) => html`${i ? '; ' : ''}<a href="${hrefFor(m.ref)}">${m.ref}: ${m.title}</a>`)}${relatable.length > shown.length ? '; …' : ''}) and none is related to it yet. <a href="#prior-work">Read each</a>: relate the ones it builds on or duplicates, or withdraw it if one already covers it.</p>`;
}

/**
 * A proposal with no sponsor, for one who may not sponsor it: who may, by name (those in its group
 * first), so an author looking for a sponsor knows whom to ask.
 */
function sponsorWanted(c: WebContext, p: ProposalView, people: PossibleSponsors): Html {
  const named = (list: PossibleSponsors) =>
    list.map((s, i) => html`${i ? ', ' : ''}${personNamed(s.handle, s.name, roleName(c.var.hub.governance, s.role))}`);
  const inGroup = people.filter((s) => s.inGroup);
  const others = people.filter((s) => !s.inGroup);
  return html`<p id="sponsor-wanted">It has no sponsor yet. A sponsor carries it: ${sponsorWho(c.var.hub.governance)} may sponsor a proposal${
    people.length
      ? html`, such as ${inGroup.length ? html`${named(inGroup)} in its group${others.length ? '; ' : ''}` : ''}${others.length ? html`${named(others)}${inGroup.length ? ' elsewhere' : ''}` : ''}`
      : ''
  }.${p.asAuthor ? ` Ask one of them in its discussion (an @mention tells them)${p.group ? ", or ask the group's leads for review below" : ''}.` : ''}</p>`;
}

async function proposalPage(c: WebContext, ref: string, failure: Failure | null = null): Promise<Response> {
  const hub = c.var.hub;
  const data = await proposalData(hub, ref);
  const { gates, voices, source } = data;
  const words = documentWords(hub.governance);
  const me = currentPerson(c);
  // the cached page data is a visitor's view; a signed-in viewer's verdicts (and their comments' `can`) are worked out now
  const viewer = me ? ({ kind: 'person', person: me } as const) : null;
  const q0 = c.req.query();
  const slice = { before: q0.before, upto: q0.upto };
  // the default window is in the cached data; another window (older comments) is read for this request.
  // The viewer's verdicts and their window are read side by side: on PostgreSQL each is a few round trips.
  const [p, { thread, histories }, decided, meetings] = await Promise.all([
    viewer ? getProposal(hub, data.p.ref, viewer) : data.p,
    viewer || slice.before || slice.upto ? discussionFor(hub, data.p.ref, viewer, slice) : data,
    // read now, not cached with the page's data: a decision's outcome comes with the clock
    decidedOn(hub, data.p),
    // and whether a meeting about it is still to come
    meetingsOnProposal(hub, data.p),
  ]);
  const can = p.can;
  const myMoves = p.allowedMoves.filter((m) => m.can.allowed);
  // to one who may make none of the moves, why not is said once under the Move button: what signing
  // in or the agreements would open, else one line for all, since each move's line names who makes it
  // (the first move's "Only …" there, and again on every line, was a list of what the viewer may not do)
  const moveRefused =
    myMoves.length || can.move.allowed
      ? null
      : can.move.remedy
        ? can.move
        : p.allowedMoves.every((m) => !m.can.allowed && m.can.reason === onlyByReason(hub.governance, p, m))
          ? refused('None of these moves is yours: each line above names who makes it')
          : can.move;
  // what the route asks of an author (the view's asAuthor): an author who may only withdraw is not left
  // guessing how it goes on, and one who leads its group is asked to keep neutral
  const endStages = new Set(hub.governance.proposals.routes[p.route].closed);
  const forward = p.allowedMoves.filter((m) => !endStages.has(m.to));
  const ownAsLead = p.asAuthor?.movesAsLead ?? [];
  const waitsOnOthers = p.asAuthor?.nextStepIsOthers ?? false;
  const sections = source ? sepSections(source.document.body) : [];
  const gateAhead = gateStillAhead(hub.governance.proposals.routes[p.route], p.stage);
  // where the barrier to change is checked (the route's gated moves), and layers by their names
  const gateMoves = [
    ...new Set(hub.governance.proposals.routes[p.route].transitions.filter((t) => t.gate).map((t) => t.to)),
  ];
  const layerTitle = (id: string) => hub.governance.proposals.layers.find((l) => l.id === id)?.title ?? id;
  const q = pageQuery(c);
  const answered = q.questionnaire
    ? await recommendProposalLayer(
        hub,
        Object.fromEntries(LAYER_QUESTIONS.map((x) => [x.name, q[x.name] === 'yes'])),
        p.ref,
      )
    : null;
  const problem = failure && failure.form !== 'comment' ? failure.problem : null;
  const values = failure && failure.form !== 'comment' ? failure.values : {};
  const problemFor = (form: Failure['form']) => (failure?.form === form ? problem : null);
  const other = ROUTE_IDS.filter((r) => r !== p.route);
  const evidence = p.evidence;
  const summary =
    failure?.form === 'comment'
      ? errorSummaryForComment(failure.comment)
      : problem
        ? errorSummary(problem, failure!.form)
        : '';

  const groupView = p.group ? await getGroup(c.var.hub, p.group).catch(() => null) : null;
  const groupName = p.group ? (groupView?.name ?? p.group) : null;
  // the topic area by its name, as the group's and the meetings' pages say it, not the slug in its address
  const topicName = p.topicArea
    ? (groupView?.topicAreas.find((t) => t.slug === p.topicArea)?.name ?? p.topicArea)
    : null;
  // the contribution terms beside the forms that add content (evidence, a comment), naming whom to ask
  const note =
    can.addEvidence.allowed || can.comment.allowed
      ? contributionNote(c.var.hub.governance, await contributionAdvisers(c.var.hub, p.group))
      : '';
  const body = html`<nav aria-label="Breadcrumb"><p class="muted"><a href="/proposals">Proposals</a> › ${p.ref}</p></nav>
<h1>${p.ref}: ${titleHtml(p.title)}</h1>
${summary}
<p><span class="badge">${p.layerTitle}</span> <span class="badge">${p.routeTitle}</span> <span class="badge">stage: ${stageLabel(p.stage)}</span>
${p.group ? html` · in <a href="/groups/${p.group}">${groupName}</a>${topicName ? html` / ${topicName}` : ''}` : ''}</p>
<p>By ${p.authors.map((a, i) => html`${i ? ', ' : ''}${personNamed(a.handle, a.name)}`)}${p.sponsor ? html` · sponsor ${personNamed(p.sponsor.handle, p.sponsor.name)}` : p.stage === 'awaiting-sponsor' ? html` · <strong>awaiting a sponsor</strong>` : p.route === 'sep' ? ' · no sponsor recorded' : ''} · ${source ? `imported from its ${words.one} file` : html`in this stage since ${when(c, p.stageChangedAt)}`}${
    p.github
      ? html` · <a href="${p.github}" class="github-original">on GitHub: ${p.github
          .replace(/^https:\/\/[^/]+\//, '')
          .replace('/pull/', ' #')
          .replace(
            '/issues/',
            ' #',
          )}</a>${p.githubState && p.githubState !== 'open' ? html` <span class="badge github-state">${githubStateText[p.githubState]}</span>` : ''}${p.githubAssignees.length ? html` (assigned to ${p.githubAssignees.map((a, i) => html`${i ? ', ' : ''}@${a}`)})` : ''}`
      : ''
  }</p>
${can.edit.allowed ? html`<p><a href="/proposals/${p.ref}/edit">Edit this proposal</a></p>` : unavailable(c, can.edit, { id: 'edit', label: 'Edit this proposal', here: `/proposals/${p.ref}`, doing: 'edit this proposal', secondary: true })}
${
  // at the end of the header, as on every page that offers it: one meets what the proposal is before how to hear of it
  subscriptionControl(c, 'proposal', p.ref)
}
${openDecisionsPart(c, p)}
${decidedPart(c, p, decided)}
${meetingsPart(c, meetings)}
${
  source
    ? html`<nav aria-label="Contents" class="toc"><h2 id="contents">Contents</h2>${sepContents(sections)}
<p><a href="#route">Where it stands</a> · <a href="#supporters">Supporters</a> · <a href="#evidence">Evidence</a> · <a href="#relations">Relations</a> · <a href="#discussion">Discussion</a></p></nav>`
    : ''
}

<section aria-labelledby="route"><h2 id="route">${p.routeTitle}</h2>
${stepper(c, p.route, p.stage, p.routeTitle)}
${p.stageGuidance ? html`<div class="panel" id="stage-guidance"><h3>At ${stageLabel(p.stage)}</h3>${markdown(p.stageGuidance, c.var.hub.governance)}</div>` : ''}
${elsewhere(p.links, p.pullRequest)}
${routeLinksMissing(p, can.edit.allowed && !endStages.has(p.stage))}
<p id="pull-request-draft"><a href="/proposals/${p.ref}/pull-request-draft">Draft its pull request description</a> from the collaboration recorded here, as the guide's last step asks, with what the route still lacks.</p>
${source ? html`<p>The ${words.one} file records its status as <strong>${source.document.header.find((f) => f.key.toLowerCase() === 'status')?.value ?? p.stage}</strong>${source.document.header.some((f) => f.key.toLowerCase() === 'created') ? html`, created ${source.document.header.find((f) => f.key.toLowerCase() === 'created')!.value}` : ''}.</p>` : ''}
${other.map((r) => html`<details><summary>Compare with ${hub.governance.proposals.routes[r].title.replace(/^The /, 'the ')}</summary>${stepper(c, r, null, hub.governance.proposals.routes[r].title)}</details>`)}
</section>

${
  source
    ? html`<section aria-labelledby="sep-text"><h2 id="sep-text">The ${words.one}</h2>
${sepHeader(source)}
${sepBody(sections, source)}
</section>`
    : ''
}
${
  source
    ? ''
    : html`<section aria-labelledby="problem"><h2 id="problem">The problem</h2>
${markdown(p.problem, c.var.hub.governance)}
<h3>Real-world examples</h3>
${p.examples.length ? html`<ul>${p.examples.map((e) => html`<li>${e}</li>`)}</ul>` : html`<p>None yet. The route asks for at least one before the prior-work step.</p>`}
${p.interests ? html`<h3>Interests (the needs behind it)</h3>${markdown(p.interests, c.var.hub.governance)}` : ''}
${p.can.edit.allowed ? hints(p.flags) : ''}
</section>`
}

${
  gateAhead
    ? html`<section aria-labelledby="gate"><h2 id="gate">Barrier to change: ${p.layerTitle}</h2>
<p>${gates.passed ? html`<span class="badge ok">it clears the barrier</span>` : html`<span class="badge bad">it does not clear the barrier yet</span>`} ${gates.supportedLayer ? html`The evidence so far supports the <strong>${layerTitle(gates.supportedLayer)}</strong> layer.` : 'The evidence so far supports no layer yet.'}</p>
${gateMoves.length ? html`<p>The barrier to change is checked when it moves to ${gateMoves.map((s, i) => html`${i ? ' or ' : ''}<strong>${stageLabel(s)}</strong>`)}; until then this shows what it still needs. The higher the layer, the higher the bar: <a href="/how-we-work#contributions">how we work</a>.</p>` : ''}
<div class="table-wrap"><table><caption>Conditions of the ${p.layerTitle} barrier to change</caption>
<thead><tr><th scope="col">Condition</th><th scope="col">Result</th><th scope="col">Why</th></tr></thead>
<tbody>${gates.conditions.map((x) => html`<tr><td>${x.condition}</td><td>${passFail(x.passed)}</td><td>${x.reason}${x.passed ? '' : html`<br>${howToMeet(p, x.check)}`}</td></tr>`)}</tbody></table></div>
</section>`
    : ''
}

<section aria-labelledby="moves"><h2 id="moves">${
    // one who may make none of its moves reads where it goes next and who takes it there, not a call to act
    myMoves.length ? 'Move along the route' : 'Where it goes next'
  }</h2>
${
  p.allowedMoves.length
    ? html`<p>From <strong>${stageLabel(p.stage)}</strong> this proposal may move to:</p>
<ul>${p.allowedMoves.map((m) => html`<li><strong>${stageLabel(m.to)}</strong>, by ${describeMovers(c.var.hub.governance, m.by)}${m.gate ? ' (once it clears the barrier to change above)' : ''}${moveWhyNot(c, p, m, moveRefused)}</li>`)}</ul>
${waitsOnOthers ? html`<p id="way-forward">Its next step forward, to ${forward.map((m, i) => html`${i ? ' or ' : ''}<strong>${stageLabel(m.to)}</strong>`)}, is not yours to take${p.can.requestReview.allowed ? html`: <a href="#review-request">ask ${p.sponsor ? 'your sponsor' : "the group's leads"} for review</a> when it is ready.` : '.'}</p>` : ''}
${ownAsLead.length ? html`<p class="warning" role="note" id="own-proposal">You are its author: a move to ${ownAsLead.map((to, i) => html`${i ? ' or ' : ''}<strong>${stageLabel(to)}</strong>`)} is yours only as a lead of its group or a facilitator of its topic area. A facilitator with strong views on an outcome keeps neutral: consider asking another lead, facilitator or a moderator to make it (<a href="/how-we-work#the-ideal-topic-facilitator">the ideal topic facilitator</a>).</p>` : ''}
${
  myMoves.length
    ? html`${priorWorkUnread(hub.governance, p, hub.governance.proposals.routes[p.route], myMoves)}<form class="action" method="post" action="/proposals/${p.ref}/stage">${csrfField(c)}
${radios({ name: 'to', label: 'Move to', form: 'stage', problem: problemFor('stage'), value: values.to, options: myMoves.map((m) => ({ value: m.to, label: `${stageLabel(m.to)} (by ${describeMovers(c.var.hub.governance, m.by)})` })) })}
${pullRequestField(p, myMoves, problemFor('stage'), values.pullRequest)}
<button type="submit">Move</button></form>`
    : unavailable(c, moveRefused ?? can.move, {
        id: 'move',
        label: 'Move',
        here: `/proposals/${p.ref}`,
        doing: 'move it along the route',
      })
}`
    : html`<p>${stageLabel(p.stage)} is an end state: no further moves.</p>`
}
${
  can.sponsor.allowed
    ? html`<form class="action" method="post" action="/proposals/${p.ref}/sponsor">${csrfField(c)}<button type="submit">Sponsor this ${p.route === 'sep' ? words.one : 'proposal'}</button></form>`
    : await (async () => {
        // whether a sponsor is still wanted is the use case's rule (no sponsor, not in an end stage)
        const sponsors = await sponsorsOf(hub, p, viewer);
        return sponsors.wanted ? sponsorWanted(c, p, sponsors.people) : '';
      })()
}
${
  can.endSponsorship.allowed
    ? html`<form class="action" method="post" action="/proposals/${p.ref}/sponsor/end">${csrfField(c)}
${field({ name: 'reason', label: p.sponsor && me?.handle === p.sponsor.handle ? 'Step down as its sponsor: why?' : `End ${p.sponsor?.name ?? 'its sponsor'}'s sponsorship: why?`, form: 'end-sponsorship', problem: problemFor('end-sponsorship'), value: values.reason, type: 'textarea', rows: 2, hint: 'Its authors are told it needs a sponsor, with this reason; the log keeps it.' })}
<button type="submit" class="secondary">End the sponsorship</button></form>`
    : ''
}
${reviewRequestBlock(c, p, me?.handle ?? null)}
${can.openDecision.allowed ? html`<p><a href="/decisions/new?group=${p.group ?? ''}&amp;proposal=${p.ref}">Open a decision on this proposal</a></p>` : ''}
</section>

<section aria-labelledby="supporters"><h2 id="supporters">Supporters (${p.supporters.length})</h2>
<p class="hint">Many voices from one organisation weigh less than single voices from several.</p>
${
  p.supportersByOrganisation.length
    ? html`<ul class="orgs">${p.supportersByOrganisation.map((o) => html`<li><strong>${o.organisation}</strong> (${o.handles.length}): ${o.handles.map((h, i) => html`${i ? ', ' : ''}${personIn(p.names, h)}`)}</li>`)}</ul>`
    : html`<p>No supporters yet. Members who need this too add their support here.</p>`
}
${
  me && p.supporters.some((s) => s.handle === me.handle)
    ? can.withdrawSupport.allowed
      ? html`<form class="action" method="post" action="/proposals/${p.ref}/support/withdraw">${csrfField(c)}<button type="submit" class="secondary">Withdraw my support</button></form>`
      : unavailable(c, can.withdrawSupport, {
          id: 'withdraw-support',
          label: 'Withdraw my support',
          here: `/proposals/${p.ref}`,
          doing: 'withdraw your support',
          secondary: true,
        })
    : can.support.allowed
      ? html`<form class="action" method="post" action="/proposals/${p.ref}/support">${csrfField(c)}<button type="submit">Support this proposal</button></form>`
      : unavailable(c, can.support, {
          id: 'support',
          label: 'Support this proposal',
          here: `/proposals/${p.ref}`,
          doing: 'add your support',
        })
}
</section>

<section aria-labelledby="evidence"><h2 id="evidence">Evidence (${evidence.length})</h2>
${
  evidence.length
    ? html`<div class="table-wrap"><table><caption>Implementations, interoperability, community use and validation</caption>
<thead><tr><th scope="col">Kind</th><th scope="col">What it shows</th><th scope="col">Organisation / SDK</th><th scope="col">Verified</th><th scope="col">Added</th></tr></thead>
<tbody>${evidence.map((e) => html`<tr><td>${EVIDENCE_KINDS.find((k) => k.value === e.kind)?.label ?? e.kind}</td><td>${safeLink(e.url, e.description)}</td><td>${e.organisation ?? '—'}${e.sdk ? html` / ${e.sdk}` : ''}</td><td>${verification(c, e)}${verifyButton(c, p.ref, e)}</td><td>${personIn(p.names, e.addedBy)}, ${when(c, e.addedAt, { dateOnly: true })}</td></tr>`)}</tbody></table></div>`
    : html`<p>No evidence yet. Implementations, interoperability tests and community use are added here as they appear.</p>`
}
${
  can.addEvidence.allowed
    ? html`<details${failure?.form === 'evidence' ? html` open` : ''}><summary>Add evidence</summary>
<form method="post" action="/proposals/${p.ref}/evidence">${csrfField(c)}
${select({ name: 'kind', label: 'Kind of evidence', form: 'evidence', problem: problemFor('evidence'), value: values.kind, options: EVIDENCE_KINDS })}
${field({ name: 'description', label: 'What it shows', form: 'evidence', problem: problemFor('evidence'), value: values.description, type: 'textarea', rows: 3 })}
${field({ name: 'url', label: 'Link (optional)', form: 'evidence', problem: problemFor('evidence'), value: values.url })}
${field({ name: 'organisation', label: 'Organisation (optional)', form: 'evidence', problem: problemFor('evidence'), value: values.organisation })}
${field({ name: 'sdk', label: 'SDK (optional)', form: 'evidence', problem: problemFor('evidence'), value: values.sdk, hint: 'For interoperability evidence: which SDK, e.g. typescript.' })}
${note}
<button type="submit">Add evidence</button></form></details>`
    : unavailable(c, can.addEvidence, {
        id: 'add-evidence',
        label: 'Add evidence',
        here: `/proposals/${p.ref}`,
        doing: 'add evidence',
      })
}
</section>

<section aria-labelledby="relations"><h2 id="relations">Relations and lineage</h2>
${
  p.relations.length
    ? html`<ul>${p.relations.map(
        (
          r,
        ) => html`<li>${r.direction === 'outgoing' ? html`This <strong>${relationWords(r.kind)}</strong> <a href="/proposals/${r.ref}">${r.ref}: ${titleHtml(r.title)}</a>` : html`<a href="/proposals/${r.ref}">${r.ref}: ${titleHtml(r.title)}</a> <strong>${relationWords(r.kind)}</strong> this`}
${r.status === 'suggested' ? html` <span class="badge warn">suggested, not confirmed</span>${can.relate.allowed && r.direction === 'outgoing' ? html` <form class="inline-form" method="post" action="/proposals/${p.ref}/relations">${csrfField(c)}<input type="hidden" name="kind" value="${r.kind}"><input type="hidden" name="to" value="${r.ref}"><button type="submit" class="secondary">Confirm: this ${relationWords(r.kind)} ${r.ref}</button></form>` : ''}` : ''}</li>`,
      )}</ul>`
    : html`<p>No relations yet. Link related proposals and ${words.many} so readers find the earlier work.</p>`
}
${
  p.priorWork
    ? html`<h3 id="prior-work">Prior work found (checked ${when(c, p.priorWork.checkedAt)})</h3>
${p.priorWork.matches.length ? html`<ul>${p.priorWork.matches.map((m) => html`<li>${priorWorkMatch(m, words)}${matchPages(m.pages)}</li>`)}</ul>` : html`<p>No existing item seemed to cover the same ground.</p>`}`
    : ''
}
${
  can.relate.allowed
    ? html`<details${failure?.form === 'relation' ? html` open` : ''}><summary>Relate to another item</summary>
<form method="post" action="/proposals/${p.ref}/relations">${csrfField(c)}
${select({ name: 'kind', label: 'How this proposal relates', form: 'relation', problem: problemFor('relation'), value: values.kind, options: RELATION_KINDS.map((k) => ({ value: k, label: relationWords(k) })) })}
${field({ name: 'to', label: 'The other item', form: 'relation', problem: problemFor('relation'), value: values.to, hint: inCommunityWords('A reference such as SEP-2575, P-12 or #12.', c.var.hub.governance) })}
<button type="submit">Add relation</button></form></details>`
    : unavailable(c, can.relate, {
        id: 'relate',
        label: 'Relate to another item',
        here: `/proposals/${p.ref}`,
        doing: 'relate it to another item',
      })
}
${can.promote.allowed ? html`<form class="action" method="post" action="/proposals/${p.ref}/promote">${csrfField(c)}<button type="submit" class="secondary">Promote to the next layer up</button></form>` : ''}
${
  p.followUps.length
    ? html`<h3>Cascade follow-ups</h3><ul>${p.followUps.map((f) => html`<li>${f.kind} <strong>${f.target}</strong>: ${f.status}${f.doneAt ? html` (${when(c, f.doneAt, { dateOnly: true })})` : ''}${can.completeFollowUp.allowed && f.status !== 'done' ? html` <form class="inline-form" method="post" action="/proposals/${p.ref}/follow-ups/${f.id}/done">${csrfField(c)}<button type="submit" class="secondary">Mark ${f.target} done</button></form>` : ''}</li>`)}</ul>`
    : ''
}
</section>

${layerQuestionnaire(c, p, answered, q)}

${await discussionSection(c, p.ref, thread, voices, failure?.form === 'comment' ? failure.comment : null, histories, can.comment, note)}
<p class="muted">${p.route === 'sep' ? html`<a href="/api/proposals/${p.ref}/sep.md">This ${words.one} as ${withArticle(words.one)} file (markdown)</a> · ` : ''}<a href="/api/proposals/${p.ref}">This proposal as JSON</a></p>`;
  const status = failure ? (failure.form === 'comment' ? failure.comment.problem.status : failure.problem.status) : 200;
  return render(c, { title: `${p.ref}: ${titleText(p.title)}`, nav: 'proposals', body, status });
}

/**
 * The decisions open on the proposal, first after its header (one comes from a notice about one):
 * each with where it stands, when it closes, and what the viewer may do on it now (respond, vote, or
 * why not), linking to the decision where that is done.
 */
function openDecisionsPart(c: WebContext, p: ProposalView): Html | string {
  if (!p.openDecisions.length) return '';
  return html`<section aria-labelledby="open-decisions"><h2 id="open-decisions">Open ${p.openDecisions.length === 1 ? 'decision' : 'decisions'} on it</h2>
<ul class="open-decisions">${p.openDecisions.map((d) => {
    const here = `/decisions/${d.ref}`;
    const r = d.responses;
    const standing = d.votes
      ? `Votes that count so far: ${d.votes.yes} yes, ${d.votes.no} no, ${d.votes.abstain} abstain.`
      : `Responses that count so far: consent ${r.consent}, concern ${r.concern}, block ${r.block}.`;
    const yours = d.can.vote.allowed
      ? html`${d.yours ? html`You voted <strong>${d.yours}</strong>. ` : ''}<a href="${here}#vote">${d.yours ? 'Change your vote' : 'Vote'}</a>: in a vote, silence is not consent.`
      : d.can.respond.allowed
        ? d.yours
          ? html`Your response: <strong>${d.yours}</strong>. <a href="${here}#respond">Change it</a> while responses are open.`
          : html`<a href="${here}#respond">Respond</a>: consent, raise a concern or block. Silence counts as consent at the deadline.`
        : // words in the line, not a p.why-not: that explains the button above it, and here there is none
          d.phase === 'vote'
          ? whyNotWords(c, d.can.vote, here, 'vote')
          : whyNotWords(c, d.can.respond, here, 'respond');
    return html`<li><a href="${here}">${d.ref}: ${d.question}</a><br>
<span class="badge">${phaseWords(c.var.hub.governance, d.phase)}</span> ${d.phase === 'escalated' ? 'Resolution due' : 'Closes'} ${bothZones(c, d.closesAt)}. ${standing}
<div class="yours">${yours}</div></li>`;
  })}</ul>
${p.openDecisionsMore ? html`<p><a href="/decisions?open=true&amp;subject=${p.ref}">Every decision open on it</a></p>` : ''}
</section>`;
}

/**
 * The decisions on the proposal that have an outcome, newest first: how the group decided, and that a
 * decision does not move the proposal along its route (one adopted left its author reading "idea" with
 * no word of it).
 */
function decidedPart(
  c: WebContext,
  p: ProposalView,
  { items: decided, more }: { items: DecidedOn[]; more: boolean },
): Html | string {
  if (!decided.length) return '';
  return html`<section aria-labelledby="decided"><h2 id="decided">Decided on it</h2>
<ul>${decided.map((d) => html`<li><a href="/decisions/${d.ref}">${d.ref}: ${d.question}</a><br>Outcome: <strong>${OUTCOME_WORDS[d.outcome]}</strong>, closed ${when(c, d.closedAt)}.</li>`)}</ul>
${more ? html`<p>The ${decided.length} latest are shown: <a href="/decisions?open=false&amp;subject=${p.ref}">every closed decision on it</a>.</p>` : ''}
${p.allowedMoves.length ? html`<p>A decision records what the group agreed; it does not move the proposal. It stays at <strong>${stageLabel(p.stage)}</strong> until it is moved along its route: <a href="#moves">where it goes next</a>.</p>` : ''}
</section>`;
}

/**
 * The meetings whose agenda takes the proposal up, latest first: one still to come says where to send
 * written input before it starts (the guide's facilitators present it for those who cannot attend), one
 * held where its notes are. A reader of the proposal learned of neither.
 */
function meetingsPart(
  c: WebContext,
  { listed, earlier }: Awaited<ReturnType<typeof meetingsOnProposal>>,
): Html | string {
  if (!listed.length) return '';
  const now = c.var.hub.clock.now().toISOString();
  return html`<section aria-labelledby="in-meetings"><h2 id="in-meetings">In meetings</h2>
<ul>${[...listed].reverse().map((m) => {
    const coming = m.startsAt > now;
    const inputs = m.writtenInputs ? ` ${m.writtenInputs} written input${m.writtenInputs === 1 ? '' : 's'} on it.` : '';
    return html`<li><a href="/meetings/${m.ref}">${m.ref}: ${m.title}</a> <span class="muted">(${m.kind} meeting)</span>, ${coming ? 'meets' : 'met'} ${when(c, m.startsAt)}.<br>On its agenda: ${m.items.join('; ')}${m.moreItems ? ` and ${m.moreItems} more` : ''}.${inputs}
${
  coming
    ? html` Cannot attend? <a href="/meetings/${m.ref}#written-input">Send written input</a> before it starts: the facilitators present it at the meeting.`
    : m.notes
      ? html` <a href="/meetings/${m.ref}#notes">Its notes</a> say what was said and decided.`
      : ' Its notes are not published yet.'
}</li>`;
  })}</ul>
${earlier ? html`<p class="muted">And ${earlier} earlier ${earlier === 1 ? 'meeting' : 'meetings'} not listed.</p>` : ''}</section>`;
}

/**
 * Where on this page a condition of the barrier to change not met yet is worked on: the proposal's own
 * text (for whoever may edit it), its supporters, its evidence or its relations. Each section says
 * there who may act.
 */
function howToMeet(p: ProposalView, check: ConditionResult['check']): Html {
  switch (check) {
    case 'problem-stated':
    case 'problem-validated':
      return p.can.edit.allowed
        ? html`To meet it: <a href="/proposals/${p.ref}/edit">edit this proposal</a> to say the problem and its real-world examples.`
        : html`To meet it: its author edits the proposal to say the problem and its real-world examples.`;
    case 'supporters-from-organisations':
      return html`To meet it: people from other organisations who need it too add their support, under <a href="#supporters">Supporters</a>; ask for it in the <a href="#discussion">discussion</a>.`;
    case 'evidence':
      return html`To meet it: add each one under <a href="#evidence">Evidence</a>, naming its organisation or SDK.`;
    case 'prior-artifact':
      return html`To meet it: relate it to the working-group artifact it builds on, under <a href="#relations">Relations and lineage</a>.`;
  }
}

/** The refusal of a move that only restates who makes it ("Only the author may move it from idea to withdrawn"). */
function onlyByReason(g: Governance, p: ProposalView, m: ProposalView['allowedMoves'][number]): string {
  return `Only ${describeMovers(g, m.by)} may move it from ${p.stage.replace(/-/g, ' ')} to ${m.to.replace(/-/g, ' ')}`;
}

/**
 * Why the viewer may not make this listed move now, in the route's words (e.g. a lead whose
 * proposal lacks its real-world example), with a link when they can fix it here. Nothing when
 * the move is theirs, or when the refusal is the one said once under the list (`shared`: a
 * visitor's "sign in first" would otherwise repeat on every line).
 */
function moveWhyNot(
  c: WebContext,
  p: ProposalView,
  m: ProposalView['allowedMoves'][number],
  shared: ProposalView['can']['move'] | null,
): Html | string {
  if (m.can.allowed || (shared && !shared.allowed && shared.reason === m.can.reason)) return '';
  // "by the author" on the line already says who: "Not now: Only the author may move it…" said it twice
  if (m.can.reason === onlyByReason(c.var.hub.governance, p, m)) return '';
  const t = c.var.hub.governance.proposals.routes[p.route].transitions.find(
    (x) => x.to === m.to && x.from.includes(p.stage),
  );
  const addExample = t?.requiresExamples && p.examples.length === 0 && p.can.edit.allowed;
  return html`<br><span class="why-not">Not now: ${sentence(m.can.reason)}${addExample ? html` <a href="/proposals/${p.ref}/edit#f-examples">Add an example</a>.` : ''}</span>`;
}

function errorSummaryForComment(f: CommentFailure): Html {
  return html`<div class="error-summary" role="alert" tabindex="-1"><h2>There is a problem</h2>
<ul>${f.problem.issues.length ? f.problem.issues.map((i) => html`<li><a href="#${commentFieldId(f.form)}">${i.field}: ${i.rule}</a></li>`) : html`<li>${f.problem.message}</li>`}</ul></div>`;
}

/** What a prior-work match is, in the community's words (the check's `kind`); a proposal on the `sep` route by its short name. */
const MATCH_KINDS: Record<string, string> = {
  proposal: 'a proposal',
  charter: 'a group charter',
  artifact: 'a working-group document',
  'meeting-notes': 'meeting notes',
  comment: 'a comment',
  'github-issue': 'a GitHub issue',
  'github-discussion': 'a GitHub Discussion',
};

/**
 * A prior-work match as a reader takes it: its title, linked to where it lives (proposals and SEPs
 * with their number), what kind of item it is and why it matched. The check's score and internal
 * reference (`charter:hosting`) stay in REST, MCP and the CLI, where scripts read them.
 */
export function priorWorkMatch(
  m: { ref: string; kind: string; title: string; reasons: string[] },
  words: DocumentWords,
): Html {
  const r = m.ref.replace(/^proposal:/, '');
  const numbered = /^(SEP|P|M|D)-\d+$/.test(r) ? `${r}: ` : '';
  const title = html`<strong>${numbered}${m.title}</strong>`;
  // proposals and SEPs, charters, artifacts, meeting notes, GitHub threads: each where it lives
  const linked = /^((SEP|P|M|D)-\d+|(charter|artifact|github):.+)$/.test(r)
    ? html`<a href="${hrefFor(r)}">${title}</a>`
    : title;
  return html`${linked} <span class="muted">(${m.kind === 'sep' ? withArticle(words.one) : (MATCH_KINDS[m.kind] ?? m.kind)})</span>${m.reasons.length ? html`<br><span class="muted">${m.reasons.join('; ')}</span>` : ''}`;
}

/**
 * The docs pages that restate a SEP, folded into that SEP's match by the prior-work check: small
 * links under it, so the reader still finds the page without it taking a place of its own.
 */
export function matchPages(pages: { ref: string; title: string }[] | undefined): Html | string {
  if (!pages?.length) return '';
  return html`<br><small class="also">also documented at: ${pages.map((d, i) => html`${i ? ', ' : ''}<a href="${hrefFor(d.ref)}">${d.title === d.ref ? d.ref.replace(/^artifact:/, '') : d.title}</a>`)}</small>`;
}

/** "Verify now" where the viewer may start a check (the policy says who; visitors see nothing). */
function verifyButton(c: WebContext, ref: string, e: EvidenceItem): Html | string {
  const me = currentPerson(c);
  if (!me || !e.url) return '';
  const can = evidencePolicy(c.var.hub.governance, viewerOf(c.var.hub, { kind: 'person', person: me }), {
    hasAddress: true,
  });
  if (!can.verify.allowed) return '';
  return html`<form class="inline-form" method="post" action="/proposals/${ref}/evidence/${e.id}/verify">${csrfField(c)}<button type="submit" class="secondary">${e.verification ? 'Verify again' : 'Verify now'}</button></form>`;
}

function verification(c: WebContext, e: EvidenceItem): Html | string {
  const v = e.verification;
  if (!v) return e.kind === 'implementation' ? html`<span class="muted">not verified</span>` : '—';
  const ok = v.status === 'verified';
  return html`<span class="badge ${ok ? 'ok' : 'bad'}">${ok ? '✓ verified' : 'verification failed'}</span>
${v.server ? html`<br>${v.server.name} ${v.server.version}` : ''}${v.protocolVersion ? html`, protocol ${v.protocolVersion}` : ''}${v.toolNames?.length ? html`<br>tools: ${v.toolNames.join(', ')}` : ''}${v.reason ? html`<br>${v.reason}` : ''}
<br><span class="muted">checked ${when(c, v.checkedAt)}</span>`;
}

/** A form on the proposal page: on a domain error the page is shown again with it in that form. */
function act<R>(
  c: WebContext,
  form: Exclude<Failure['form'], 'comment'>,
  run: (values: FormValues) => Promise<R>,
  done: string | ((values: FormValues, result: R) => string),
  next?: (result: R) => string,
): Promise<Response> {
  const ref = c.req.param('ref')!;
  return postForm(c, {
    page: `/proposals/${encodeURIComponent(ref)}`,
    run,
    failed: (problem, values) => proposalPage(c, ref, { form, problem, values }),
    done,
    ...(next ? { next } : {}),
  });
}

export function proposalRoutes(web: Hono<WebEnv>): void {
  web.get('/proposals', listPage);
  web.get('/proposals/:ref', (c) => proposalPage(c, c.req.param('ref')));
  web.post('/proposals/:ref/stage', (c) =>
    act(
      c,
      'stage',
      // no stage ticked is no stage sent: the radios then say to choose one of them (not "must name")
      async (f) => {
        // the link box sits beside every move: one typed and then a move chosen that takes none (to
        // withdrawn) is not sent, so the move is made, not refused; REST and MCP still refuse it
        const asks =
          f.to !== undefined &&
          (await getProposal(c.var.hub, c.req.param('ref'))).allowedMoves.some(
            (m) => m.to === f.to && m.requiresPullRequest,
          );
        return moveProposal(c.var.hub, actorFor(c), c.req.param('ref'), {
          ...(f.to ? { to: f.to } : {}),
          // left empty, the link the proposal has (if any) stands
          ...(asks && f.pullRequest?.trim() ? { pullRequest: f.pullRequest.trim() } : {}),
        });
      },
      (_, p) => `The proposal moved to ${stageLabel(p.stage)}.`,
    ),
  );
  web.post('/proposals/:ref/sponsor', (c) =>
    act(c, 'sponsor', () => sponsorProposal(c.var.hub, actorFor(c), c.req.param('ref')), 'You are now the sponsor.'),
  );
  web.post('/proposals/:ref/sponsor/end', (c) =>
    act(
      c,
      'end-sponsorship',
      (f) => endSponsorship(c.var.hub, actorFor(c), c.req.param('ref'), { reason: f.reason ?? '' }),
      'The sponsorship has ended; its authors are told it needs a sponsor.',
    ),
  );
  web.post('/proposals/:ref/review-request', (c) =>
    act(
      c,
      'review',
      () => requestReview(c.var.hub, actorFor(c), c.req.param('ref')),
      'Asked: they are told it waits for their review.',
    ),
  );
  web.post('/proposals/:ref/support', (c) =>
    act(
      c,
      'support',
      () => supportProposal(c.var.hub, actorFor(c), c.req.param('ref'), {}),
      'Your support is recorded, with your organisation.',
    ),
  );
  web.post('/proposals/:ref/support/withdraw', (c) =>
    act(c, 'support', () => withdrawSupport(c.var.hub, actorFor(c), c.req.param('ref')), 'Your support is withdrawn.'),
  );
  web.post('/proposals/:ref/evidence/:id/verify', (c) =>
    act(
      c,
      'evidence',
      async () => {
        // the MCP client loads only when a check runs
        const probe: Probe = async (target, ms, o) =>
          (await import('../../../mcp/probe.ts')).probeMcpServer(target, ms, o);
        const check = await verifyEvidence(c.var.hub, actorFor(c), c.req.param('ref'), c.req.param('id'), probe, {
          signal: c.req.raw.signal,
        });
        return check;
      },
      'The evidence was checked: its result is in the table.',
    ),
  );
  web.post('/proposals/:ref/evidence', (c) =>
    act(
      c,
      'evidence',
      (f) =>
        addEvidence(c.var.hub, actorFor(c), c.req.param('ref'), {
          kind: f.kind,
          description: f.description ?? '',
          url: optional(f.url),
          organisation: optional(f.organisation),
          sdk: optional(f.sdk),
        }),
      'The evidence is added.',
    ),
  );
  web.post('/proposals/:ref/relations', (c) =>
    act(
      c,
      'relation',
      (f) => relateProposal(c.var.hub, actorFor(c), c.req.param('ref'), { kind: f.kind, to: (f.to ?? '').trim() }),
      'The relation is recorded.',
    ),
  );
  web.post('/proposals/:ref/promote', (c) =>
    act(
      c,
      'promote',
      () => promoteProposal(c.var.hub, actorFor(c), c.req.param('ref')),
      'Promoted: this is the new proposal, one layer up, linked to the one it came from.',
      (r) => `/proposals/${r.ref}`,
    ),
  );
  web.post('/proposals/:ref/follow-ups/:id/done', (c) =>
    act(
      c,
      'follow-up',
      () => completeFollowUp(c.var.hub, actorFor(c), c.req.param('ref'), c.req.param('id')),
      'The follow-up is marked done.',
    ),
  );
  discussionRoutes(web, (c, ref, comment) => proposalPage(c, ref, { form: 'comment', comment }));
}
