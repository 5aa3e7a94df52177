// /decisions: lazy consensus in the browser. Respond (consent; concern with a "yes, and"
// amendment; block with a reason and an alternative or resolution criteria), change or withdraw
// the response, ask for a vote and vote, with raw and organisation-weighted tallies, the deadline
// in the viewer's zone and in UTC, the timeline, and the outcome with why; whoever opened it or a
// group lead withdraws one opened by mistake, with a reason, or gives it more time while lazy
// consensus runs (a later deadline and why: the members are told).
import { pageQuery } from '../page-query.ts';
import { nameWithHandle } from '../../../domain/people.ts';
import {
  guidanceAnswerPlace,
  guidanceWords,
  notCountedWords,
  OUTCOME_WORDS,
  silenceInWords,
  whyConflicted,
} from '../../../domain/decisions/index.ts';
import { withoutTrailing } from '../../../domain/text.ts';
import {
  type Governance,
  inCommunityWords,
  levelName,
  levelsNamed,
  resolverName,
  withArticle,
} from '../../../domain/governance/index.ts';
import { html } from 'hono/html';
import type { Hono } from 'hono';
import {
  castVote,
  decisionRow,
  designateEscalation,
  extendDecision,
  decisionTimeline,
  getDecision,
  listDecisions,
  openDecision,
  questionAbout,
  recordGuidance,
  requestVote,
  respondToDecision,
  silenceFrom,
  voiceOn,
  voteRequestOpens,
  withdrawDecision,
  withdrawResponse,
  type DecisionTimelinePage,
  type DecisionView,
  type TimelineEarlier,
  type TimelineEvent,
} from '../../../app/decisions/decisions.ts';
import { OpenDecisionInput, RESPONSE_FIELD_KIND } from '../../../app/decisions/schemas.ts';
import type { PeopleTable } from '../../../store/schema.ts';
import { getGroupFor, listGroups } from '../../../app/groups/groups.ts';
import { groupName } from '../../../app/groups/group-directory.ts';
import { groupsAllowing } from '../../../app/groups/group-can.ts';
import type { WebContext, WebEnv } from '../context.ts';
import { csrfField } from '../csrf.ts';
import {
  errorSummary,
  listErrorSummary,
  field,
  formFields,
  formProblem,
  type FormProblem,
  formVersion,
  formVersionIfSent,
  versionField,
  requiredFields,
  requiredLegend,
} from '../forms.ts';
import { absolute, plural, systemWords, viewerZone, when, withMoments } from '../format.ts';
import { wallClockGap, wallClockToInstant } from '../../../domain/meetings/recurrence-words.ts';
import { LIMITS } from '../../../domain/limits.ts';
import type { Html } from '../layout.ts';
import { render } from '../render.ts';
import { actorFor, currentPerson, flash } from '../session.ts';
import { optional, postForm, type FormValues } from '../form-post.ts';
import {
  hints,
  markdown,
  noMoreOn,
  pager,
  personIn,
  personNamed,
  radios,
  select,
  tallyTable,
  noGroupYet,
  whyNot,
} from './widgets.ts';
import { subscriptionControl } from './notifications.ts';
import { markSubjectRead } from '../../../app/notifications/inbox.ts';

/** The fields the form marks required: those its use case cannot do without. */
const OPEN_DECISION = requiredFields(OpenDecisionInput);

const PHASES: Record<string, string> = {
  'lazy-consensus': 'lazy consensus (silence is consent)',
  vote: 'formal vote',
  closed: 'closed',
};

/**
 * What each phase means, as the decision pages (and the proposal page's open decisions) say it: an
 * escalation names who resolves it as the community calls them ("escalated to the core maintainers").
 */
export function phaseWords(g: Governance, phase: unknown): string {
  return phase === 'escalated' ? `escalated to the ${resolverName(g, true)}` : (PHASES[String(phase)] ?? String(phase));
}
export const OUTCOMES: Record<string, string> = OUTCOME_WORDS;
/** How an outcome's badge reads: pending waits, withdrawn is neither adopted nor failed. */
export const OUTCOME_BADGE: Record<string, string> = { pending: 'warn', withdrawn: '' };

/** A moment in the viewer's zone and in UTC, so nobody across zones misreads a deadline. */
export function bothZones(c: WebContext, iso: string): Html {
  // a viewer in UTC (and every visitor) already reads it in UTC
  if (viewerZone(c) === 'UTC') return when(c, iso);
  const utc = absolute(new Date(iso), 'UTC');
  return html`${when(c, iso)} <span class="muted">(${utc} UTC)</span>`;
}

async function listPage(c: WebContext): Promise<Response> {
  const me = currentPerson(c);
  const q = pageQuery(c);
  const filter = {
    // as asked, so a value the list does not take is refused naming it (it was dropped unseen, the list shown
    // unfiltered under "Open and closed"; attack round 32)
    open: q.open || undefined,
    group: q.group || undefined,
    needing: q.mine === '1' && me ? me.handle : undefined,
    // the decisions about one proposal (the proposal page links here when it lists only the first of them)
    subject: q.subject || undefined,
  };
  let problem: FormProblem | null = null;
  let page: Awaited<ReturnType<typeof listDecisions>> = { items: [], nextCursor: null };
  try {
    page = await listDecisions(c.var.hub, {
      ...Object.fromEntries(Object.entries(filter).filter(([, v]) => v)),
      ...(q.cursor ? { cursor: q.cursor } : {}),
      limit: LIMITS.webListPage,
    });
  } catch (e) {
    problem = formProblem(e, viewerZone(c), c.var.hub.governance);
  }
  const groups = await listGroups(c.var.hub, { limit: 200 });
  // offered only to one who may open a decision in some group (a lead or member), as the form's page decides
  const mayOpen = me ? (await groupsAllowing(c.var.hub, actorFor(c), 'openDecision')).groups.length > 0 : false;
  // the filters as asked, without the cursor or any other parameter the page does not read
  const kept = Object.fromEntries(
    Object.entries(q).filter(([k, v]) => v && ['open', 'group', 'mine', 'subject'].includes(k)),
  );
  const next = page.nextCursor ? `/decisions?${new URLSearchParams({ ...kept, cursor: page.nextCursor })}` : null;
  const first = q.cursor ? `/decisions${Object.keys(kept).length ? `?${new URLSearchParams(kept)}` : ''}` : null;
  const body = html`<h1>Decisions</h1>
<p>Decisions are made by lazy consensus: silence is consent, a block needs a reason and an alternative, and a standing block leads to a vote. ${mayOpen ? html`<a class="button" href="/decisions/new">Open a decision</a>` : ''}</p>
${listErrorSummary(problem, first ?? '/decisions')}
<form method="get" action="/decisions" class="filters" role="search" aria-label="Filter decisions">
<div class="row">
<div>${select({
    name: 'open',
    label: 'State',
    empty: 'Open and closed',
    value: q.open,
    problem,
    options: [
      { value: 'true', label: 'Open' },
      { value: 'false', label: 'Closed' },
    ],
  })}</div>
<div>${select({ name: 'group', label: 'Group', empty: 'Any group', value: q.group, options: groups.items.map((g) => ({ value: g.slug, label: g.name })), problem })}</div>
</div>
${me ? html`<div class="choice"><input type="checkbox" id="f-mine" name="mine" value="1"${q.mine === '1' ? html` checked` : ''}><label for="f-mine">Only those waiting for my response</label></div>` : ''}
<button type="submit">Filter</button> <a href="/decisions">Clear filters</a>
</form>
${
  page.items.length
    ? html`<div class="table-wrap"><table><caption>${page.items.length}${next ? '+' : ''} decision${page.items.length === 1 ? '' : 's'}</caption>
<thead><tr><th scope="col">Ref</th><th scope="col">Question</th><th scope="col">Group</th><th scope="col">State</th><th scope="col">Deadline</th></tr></thead>
<tbody>${page.items.map((d) => html`<tr><td><a href="/decisions/${d.ref}">${d.ref}</a></td><td><a href="/decisions/${d.ref}">${d.question}</a></td><td><a href="/groups/${d.group}">${groups.items.find((g) => g.slug === d.group)?.name ?? d.group}</a></td><td>${phaseWords(c.var.hub.governance, d.phase)}; ${OUTCOMES[d.outcome] ?? d.outcome}</td><td>${when(c, d.closesAt)}</td></tr>`)}</tbody></table></div>`
    : problem
      ? ''
      : first
        ? noMoreOn('decisions', first)
        : filter.needing
          ? html`<p id="none-waiting">No open decision waits for your response: one waits on the ${levelsNamed(c.var.hub.governance, c.var.hub.governance.decisions.eligibleLevels, 'and', true)} of its group who have not answered yet. <a href="/decisions?open=true">Every open decision</a> still takes your response, shown to its group as advisory where yours does not count.</p>`
          : html`<p>No decision matches. <a href="/decisions">Clear the filters</a>${mayOpen ? html`, or <a href="/decisions/new">open a decision</a> when your group needs to settle something` : ''}.</p>`
}
${pager('decisions', first, next)}`;
  return render(c, { title: 'Decisions', nav: 'decisions', status: problem?.status, body });
}

async function openPage(
  c: WebContext,
  values: Record<string, string> = {},
  problem: FormProblem | null = null,
): Promise<Response> {
  const { groups: allowed, refusal } = await groupsAllowing(c.var.hub, actorFor(c), 'openDecision');
  const q = pageQuery(c);
  // opened from a proposal, a fresh form starts with a question about it to edit ("Adopt P-3: its title?")
  const question = q.proposal && !Object.keys(values).length ? await questionAbout(c.var.hub, q.proposal) : null;
  const v: Record<string, string | undefined> = {
    group: q.group,
    subjectType: q.proposal ? 'proposal' : undefined,
    subjectRef: q.proposal,
    ...(question ? { question } : {}),
    ...values,
  };
  const days = c.var.hub.governance.decisions.minimumDays;
  const body = html`<nav aria-label="Breadcrumb"><p class="muted"><a href="/decisions">Decisions</a> › Open</p></nav>
<h1>Open a decision</h1>
<p>The group decides by lazy consensus: everyone has until the deadline to consent, raise a concern or block; silence is consent. The deadline is at least ${days.minor} days away for a minor item and ${days.significant} for a significant one.</p>
${
  !allowed.length && !refusal
    ? noGroupYet('a decision')
    : refusal
      ? html`${whyNot(c, refusal, '/decisions/new')}${refusal.allowed || refusal.remedy ? '' : html`<p>What you can do instead: raise the question in a comment on its proposal, or add it to the agenda of a <a href="/meetings">coming meeting</a>, and a member or lead of the group can open the decision. Once a decision is open, anyone may respond to it.</p>`}`
      : html`${errorSummary(problem)}
<form method="post" action="/decisions/new">${csrfField(c)}
${requiredLegend()}
${select({ name: 'group', required: OPEN_DECISION, label: 'Group', value: v.group, problem, options: allowed.map((g) => ({ value: g.slug, label: g.name })) })}
${field({ name: 'question', required: OPEN_DECISION, label: 'The question being decided', value: v.question, problem, hint: 'At least 10 characters, e.g. "Adopt the session-affinity guide as a working-group artifact?"' })}
${field({ name: 'description', required: OPEN_DECISION, label: 'Background (optional)', type: 'textarea', rows: 4, value: v.description, problem })}
${radios({
  name: 'subject.type',
  required: OPEN_DECISION,
  label: 'What it is about',
  value: v.subjectType ?? 'process',
  problem,
  options: [
    { value: 'proposal', label: 'A proposal' },
    { value: 'charter', label: 'The charter' },
    { value: 'process', label: 'How the group works' },
  ],
})}
${field({ name: 'subject.ref', required: OPEN_DECISION, label: 'The proposal (when it is about one)', value: v.subjectRef, problem, hint: inCommunityWords('A reference such as SEP-2575 or P-12.', c.var.hub.governance) })}
${radios({
  name: 'significance',
  required: OPEN_DECISION,
  label: 'Significance',
  value: v.significance ?? 'minor',
  problem,
  options: [
    { value: 'minor', label: `Minor (at least ${days.minor} days)` },
    { value: 'significant', label: `Significant (at least ${days.significant} days)` },
  ],
})}
${radios({
  name: 'matter',
  required: OPEN_DECISION,
  label: 'Kind of matter (sets the majority if it comes to a vote)',
  value: v.matter ?? 'routine',
  problem,
  options: [
    { value: 'routine', label: 'Routine' },
    { value: 'scope-change', label: 'Scope change' },
  ],
})}
${field({ name: 'deadline', required: OPEN_DECISION, type: 'datetime-local', label: 'Deadline (optional)', value: v.deadline, problem, hint: `Date and time in your time zone, ${currentPerson(c)?.time_zone ?? 'UTC'}. Leave empty for the earliest the rules allow.` })}
<button type="submit">Open the decision</button>
</form>`
}`;
  return render(c, { title: 'Open a decision', nav: 'decisions', body, status: problem?.status ?? 200 });
}

type Failure = {
  form: 'respond' | 'vote' | 'request' | 'withdraw' | 'designate' | 'guidance' | 'withdrawDecision' | 'extend';
  problem: FormProblem;
  values: Record<string, string>;
};

function respondForm(
  c: WebContext,
  d: DecisionView,
  mine: DecisionView['responses'][number] | undefined,
  failure: Failure | null,
): Html {
  const p = failure?.form === 'respond' ? failure.problem : null;
  const v =
    failure?.form === 'respond'
      ? failure.values
      : {
          kind: mine?.kind ?? '',
          reason: mine?.reason ?? '',
          amendment: mine?.amendment ?? '',
          alternative: mine?.alternative ?? '',
          resolutionCriteria: mine?.resolutionCriteria ?? '',
        };
  return html`<form method="post" action="/decisions/${d.ref}/respond">${csrfField(c)}
${radios({
  name: 'kind',
  label: mine ? 'Change your response' : 'Your response',
  value: v.kind,
  problem: p,
  form: 'respond',
  options: [
    { value: 'consent', label: 'Consent: I can live with this' },
    { value: 'concern', label: 'Concern: yes, and… (I consent, with an amendment)' },
    { value: 'block', label: 'Block: I object, with a reason and an alternative or resolution criteria' },
  ],
})}
${field({ name: 'reason', label: 'Reason', type: 'textarea', rows: 3, value: v.reason, problem: p, form: 'respond', hint: 'Needed for a block: the documented objection. Useful for a concern.' })}
${field({ name: 'amendment', label: '"Yes, and" amendment (for a concern)', type: 'textarea', rows: 3, value: v.amendment, problem: p, form: 'respond' })}
${field({ name: 'alternative', label: 'Alternative (for a block)', type: 'textarea', rows: 3, value: v.alternative, problem: p, form: 'respond', hint: 'A block must propose an alternative or clear criteria that would resolve it.' })}
${field({ name: 'resolutionCriteria', label: 'Resolution criteria (for a block, instead of an alternative)', type: 'textarea', rows: 3, value: v.resolutionCriteria, problem: p, form: 'respond' })}
<button type="submit">${mine ? 'Change my response' : 'Send my response'}</button>
</form>
${d.can.withdrawResponse.allowed ? html`<form method="post" action="/decisions/${d.ref}/response/withdraw">${csrfField(c)}<button type="submit" class="secondary">Withdraw my response</button></form>` : ''}`;
}

/**
 * To whoever runs the decision (its opener or a lead) while a block stands: what managing by objection
 * asks of them now. The page named the block and that a vote opens at the deadline, and no more: a
 * first-time facilitator was left to guess whether to close it, overrule it or wait.
 */
function workingThroughBlocks(d: DecisionView): Html {
  const many = d.state.standingBlocks.length > 1;
  return html`<div class="panel" role="note" aria-labelledby="blocks-next"><h3 id="blocks-next">Working through ${many ? 'the blocks' : 'the block'}</h3>
<ul><li>${many ? 'Each block gives' : 'The block gives'} its reason and an alternative, or what would resolve it, under <a href="#tally">Responses</a>: talk it over with ${d.state.standingBlocks.map((b, i) => html`${i ? ', ' : ''}${personNamed(b.handle, d.responses.find((r) => r.handle === b.handle)?.name ?? b.handle)}`)}, in the group's channels or at a meeting (add an agenda item about ${d.ref} to <a href="/groups/${d.group}#group-meetings">one of the group's next meetings</a>).</li>
<li>Once it is resolved, ${many ? 'each of them changes their' : 'they change their'} response here to consent or a concern, and the block no longer stands; the decision carries on to its deadline.</li>
${d.can.withdraw.allowed ? html`<li>If the alternative is the better question, <a href="#withdraw">withdraw this decision</a> and open a new one on it.</li>` : ''}
<li>${many ? 'A block' : 'The block'} still standing at the deadline opens a formal vote by itself: nobody has to close or overrule it.</li></ul></div>`;
}

/**
 * Asking for a formal vote. One whose request opens the vote (a lead, or the member who makes up the
 * number) reads so, and ticks a box first: the button said "Ask for a vote", yet a lead's click ended
 * lazy consensus at once, for good, with nothing to say it would.
 */
async function voteRequestPart(
  c: WebContext,
  d: DecisionView,
  me: PeopleTable,
  problem: FormProblem | null,
): Promise<Html> {
  const asked = d.voteRequests.length ? ` Asked so far: ${d.voteRequests.join(', ')}.` : '';
  const rule = `A lead opens a vote at once; ${c.var.hub.governance.decisions.vote.memberRequests} members asking together open one too.`;
  if (!d.can.requestVote.allowed)
    return html`<h3>Ask for a formal vote</h3><p>${rule}${asked}</p>${whyNot(c, d.can.requestVote, `/decisions/${d.ref}`)}`;
  if (!(await voteRequestOpens(c.var.hub, d.ref, { kind: 'person', person: me })))
    return html`<h3>Ask for a formal vote</h3><p>${rule}${asked}</p>
<form method="post" action="/decisions/${d.ref}/request-vote">${csrfField(c)}<button type="submit" class="secondary">Ask for a vote</button></form>`;
  const issue = problem?.issues.find((i) => i.field === 'confirm');
  return html`<h3>Open a formal vote</h3>
<p>${rule}${asked} Your request opens it now: lazy consensus ends, responses close, and only the votes cast count (silence is no longer consent). It cannot be undone.${d.state.standingBlocks.length ? ' A block still standing at the deadline opens a vote anyway.' : ''}</p>
<form method="post" action="/decisions/${d.ref}/request-vote">${csrfField(c)}
<div class="choice"><input type="checkbox" id="f-request-confirm" name="confirm" value="yes" required${issue ? html` aria-invalid="true" aria-describedby="f-request-confirm-error"` : ''}><label for="f-request-confirm">Yes, end lazy consensus and open the vote on ${d.ref} now</label></div>
${issue ? html`<p class="field-error" id="f-request-confirm-error">${issue.rule}</p>` : ''}
<button type="submit" class="secondary">Open the vote now</button></form>`;
}

/**
 * Whoever opened it or a group lead, while lazy consensus runs: more time and why, so that silence at
 * the close is informed. More time is how many hours later, or a new deadline typed on the viewer's
 * clock, as when opening; when members were not informed in time, the hours that would let them be
 * (`extendToInform`) are offered already filled in.
 */
function extendForm(c: WebContext, d: DecisionView, failure: Failure | null): Html {
  const mine = failure?.form === 'extend';
  const zone = currentPerson(c)?.time_zone ?? 'UTC';
  const advised = d.extendToInform?.hours ?? null;
  const v = mine ? failure.values : { hours: advised === null ? '' : String(advised), deadline: '', reason: '' };
  const problem = mine ? failure.problem : null;
  return html`<section aria-labelledby="extend"><h2 id="extend">Extend the deadline</h2>
<p>Members not reached yet, or the group asks for more time? Give it more time: how many hours later than the current deadline (${withMoments(c, d.deadline)}), or a new deadline, at most ${LIMITS.decisionExtensionDays} days from now. The members whose voice counts are told the new deadline and your reason, and the "closes soon" reminder moves with it.</p>
<form method="post" action="/decisions/${d.ref}/extend">${csrfField(c)}${versionField(
    // a stale copy refused (409) shows the decision as it is now: the form carries that version
    mine && failure.problem.status !== 409 ? Number(failure.values.version) || d.version : d.version,
  )}
${requiredLegend()}
${field({ name: 'hours', label: 'Extend by (hours)', type: 'number', value: v.hours, problem, form: 'extend', hint: advised !== null ? `Filled in with ${advised}, the fewest hours that let the members not informed in time be told in time. Or leave it empty and give a new deadline below.` : 'A whole number of hours later than the current deadline. Or leave it empty and give a new deadline below.' })}
${field({ name: 'deadline', label: 'New deadline', type: 'datetime-local', value: v.deadline, problem, form: 'extend', hint: `Instead of hours: a date and time in your time zone, ${zone}, later than the current deadline.` })}
${field({ name: 'reason', label: 'Why it needs more time', required: true, value: v.reason, problem, form: 'extend', hint: 'One line, e.g. "Half the group was not reached: mail bounced" or "Asked for at the meeting". The members are told it.' })}
<button type="submit">Extend the deadline</button></form></section>`;
}

/** Whoever opened it or a group lead: take back a decision opened by mistake, saying why. */
function withdrawForm(c: WebContext, d: DecisionView, failure: Failure | null): Html {
  const mine = failure?.form === 'withdrawDecision';
  return html`<section aria-labelledby="withdraw"><h2 id="withdraw">Withdraw this decision</h2>
<p>Opened by mistake (a duplicate, the wrong question)? Withdrawing it closes it at once as withdrawn: nobody can respond or vote on it any more, and the group's members are told, with your reason. It cannot be undone.</p>
<form method="post" action="/decisions/${d.ref}/withdraw">${csrfField(c)}${versionField(
    // a stale copy refused (409) shows the decision as it is now, the reason kept: the form carries that version
    mine && failure.problem.status !== 409 ? Number(failure.values.version) || d.version : d.version,
  )}
${requiredLegend()}
${field({ name: 'reason', label: 'Why it is withdrawn', required: true, value: mine ? failure.values.reason : '', problem: mine ? failure.problem : null, form: 'withdrawDecision', hint: 'One line, e.g. "A duplicate of D-3" or "The wrong question: see D-5". The group is told it.' })}
<button type="submit" class="secondary">Withdraw this decision</button></form></section>`;
}

/** Who did it: a person's link, or the hub's own work (closing at the deadline) in words, never a link to nobody's page. */
function actorOf(actor: string | null, names: Record<string, string>): Html | string {
  if (!actor) return 'the system';
  return actor.startsWith('system:') ? systemWords(actor) : personIn(names, actor);
}

/** A person's sentence used as one clause of a longer line: its closing stop would double the next separator. */
const clause = (v: unknown) => withoutTrailing(String(v).trim(), '.;,:');

/** An event in words; moments in the viewer's zone like the rest of the page (a visitor's, the browser's). */
function describeEvent(
  c: WebContext,
  e: DecisionView['timeline'][number],
  names: Record<string, string>,
): Html | string {
  const a = e.after ?? {};
  switch (e.kind) {
    case 'decision.opened':
      return html`opened the decision (${a.significance}, ${a.matter}; deadline ${withMoments(c, String(a.deadline))})`;
    case 'decision.responded':
      return `responded: ${a.kind}${a.reason ? `, saying “${clause(a.reason)}”` : ''}${a.amendment ? `; amendment: ${clause(a.amendment)}` : ''}${a.alternative ? `; alternative: ${clause(a.alternative)}` : ''}${a.resolutionCriteria ? `; resolved if: ${clause(a.resolutionCriteria)}` : ''}${a.counts === false ? ' (advisory: does not count)' : ''}`;
    case 'decision.response-withdrawn':
      return 'withdrew their response';
    case 'decision.vote-requested':
      return `asked for a vote${a.voteOpened ? ': the vote opened' : ` (${plural(Number(a.requests), 'request')} so far)`}`;
    case 'decision.voted':
      return `voted ${a.choice}${a.rationale ? `: ${a.rationale}` : ''}`;
    case 'decision.designee-named':
      // "Kai Tanaka (@kai-core) named Kai Tanaka (@kai-core)" read as two people
      return e.actor && e.actor.toLowerCase() === String(a.designee).toLowerCase()
        ? 'named themself to resolve the escalation'
        : `named ${nameWithHandle(String(a.designee), names[String(a.designee)], '@handle')} to resolve the escalation`;
    case 'decision.extended':
      return html`extended the deadline from ${withMoments(c, String(a.previousDeadline))} to ${withMoments(c, String(a.deadline))}: ${clause(a.reason)}`;
    case 'decision.guidance':
      return `gave guidance (${guidanceWords(c.var.hub.governance, String(a.kind))}): ${a.guidance}`;
    case 'decision.outcome':
      if (a.outcome === 'withdrawn') return `withdrew the decision: ${clause(a.reason)}`;
      return `recorded: ${phaseWords(c.var.hub.governance, a.phase)}, ${OUTCOMES[String(a.outcome)] ?? a.outcome}`;
    case 'decision.phase-changed':
      return `recorded: ${phaseWords(c.var.hub.governance, a.phase)}, ${OUTCOMES[String(a.outcome)] ?? a.outcome}`;
    default:
      return e.kind;
  }
}

/** A decision's events, oldest first, in words. */
const timelineList = (c: WebContext, events: readonly TimelineEvent[], names: Record<string, string>) =>
  html`<ol class="timeline">${events.map((e) => html`<li>${when(c, e.at)}: ${actorOf(e.actor, names)} ${describeEvent(c, e, names)}</li>`)}</ol>`;

/** How many events came before those listed, and the link to the latest of them (nothing when none did). */
const earlierLink = (ref: string, earlier: TimelineEarlier | null, lead: string) =>
  earlier
    ? html`<p>${lead}; ${plural(earlier.count, 'earlier event')} came before them: <a href="/decisions/${ref}/timeline?before=${earlier.before}">read the earlier events</a>.</p>`
    : '';

/** The signed-in person as the actor a view is read for, or null for a visitor. */
const viewerActor = (c: WebContext) => {
  const me = currentPerson(c);
  return me ? ({ kind: 'person', person: me } as const) : null;
};

/**
 * What the reader of a decision's history may do on it now (its `can`): respond or vote on its page,
 * each a link when they may, else why not (sign in, not a member of the group, closed…).
 */
const timelineNext = (c: WebContext, t: DecisionTimelinePage, here: string) =>
  html`<section aria-labelledby="timeline-next"><h2 id="timeline-next">What you can do</h2>
${t.can.respond.allowed ? html`<p><a href="/decisions/${t.ref}#respond">Respond to ${t.ref}</a>: consent, raise a concern or block it, on its page.</p>` : whyNot(c, t.can.respond, here, 'respond')}
${t.can.vote.allowed ? html`<p><a href="/decisions/${t.ref}#vote">Vote on ${t.ref}</a> on its page.</p>` : ''}</section>`;

/** Earlier events of a decision's timeline than its page shows, a page at a time (`decisionTimeline`). */
async function timelinePage(c: WebContext, ref: string): Promise<Response> {
  const before = c.req.query('before');
  const t = await decisionTimeline(c.var.hub, ref, before === undefined ? {} : { before }, viewerActor(c));
  return render(c, {
    title: `${t.ref}: earlier events`,
    nav: 'decisions',
    body: html`<nav aria-label="Breadcrumb"><p class="muted"><a href="/decisions">Decisions</a> › <a href="/decisions/${t.ref}">${t.ref}</a> › Earlier events</p></nav>
<h1>${t.ref}: earlier events</h1>
${earlierLink(t.ref, t.earlier, 'These are the latest before those you came from')}
${timelineList(c, t.items, t.names)}
${timelineNext(c, t, `/decisions/${t.ref}/timeline${before === undefined ? '' : `?before=${encodeURIComponent(before)}`}`)}
<p><a href="/decisions/${t.ref}#timeline">Back to ${t.ref}</a></p>`,
  });
}

/**
 * The designee's guidance in words; while it asks for more information, where the parties answer it:
 * the proposal's discussion, mentioning the designee so they are told, or where the group works.
 */
function guidancePart(c: WebContext, d: DecisionView): Html {
  const e = d.escalation!;
  const me = currentPerson(c);
  const g = c.var.hub.governance;
  const asking = d.state.phase === 'escalated' && e.guidanceKind === 'more-information';
  const who = e.designee ? (d.names[e.designee] ?? e.designee) : '';
  const place = guidanceAnswerPlace(d.subject, d.group);
  const answer = place.mentionTells
    ? html`Answer it <a href="${place.path}">${place.words}</a>, mentioning @${e.designee} so ${who} is told: responses and votes on ${d.ref} are closed.`
    : html`Answer ${who} <a href="${place.path}">${place.words}</a>: responses and votes on ${d.ref} are closed.`;
  return html`<p id="guidance"><strong>${e.guidanceKind === 'binding' ? 'Binding guidance' : `Guidance (${guidanceWords(g, e.guidanceKind)})`}:</strong> ${e.guidance}</p>
${asking && e.designee && me?.handle.toLowerCase() !== e.designee.toLowerCase() ? html`<p>${answer}</p>` : ''}`;
}

/** Who resolves an escalated decision (no shared organisation with the parties), and their guidance. */
function escalationPart(c: WebContext, d: DecisionView, failure: Failure | null): Html {
  const e = d.escalation!;
  const p = (f: Failure['form']) => (failure?.form === f ? failure.problem : null);
  const resolver = resolverName(c.var.hub.governance);
  return html`<h3>Escalation to the ${resolverName(c.var.hub.governance, true)}</h3>
<p>${e.designee ? html`Designated to resolve it: ${personIn(d.names, e.designee)}.` : `No ${resolver} designated yet.`} ${
    // due while it waits; once resolved it is not
    d.state.escalationDueAt && d.state.phase === 'escalated'
      ? html`Initial response due ${bothZones(c, d.state.escalationDueAt)}.`
      : ''
  }</p>
<p>Candidates sharing no organisation with the parties: ${e.candidates.length ? e.candidates.map((h, i) => html`${i ? ', ' : ''}${personIn(d.names, h)}`) : 'none'}${e.conflicted.length ? html`; not eligible: ${e.conflicted.map((x, i) => html`${i ? '; ' : ''}${personIn(d.names, x.handle, whyConflicted(x))}`)}` : ''}.</p>
${e.guidance ? guidancePart(c, d) : ''}
${
  d.can.designate.allowed && !e.designee
    ? html`<form method="post" action="/decisions/${d.ref}/designate">${csrfField(c)}${versionField(
        failure?.form === 'designate' && failure.problem.status !== 409
          ? Number(failure.values.version) || d.version
          : d.version,
      )}
${
  // radios, none ticked: a list that chose its first candidate designated whoever came first to one who pressed on
  radios({
    name: 'designee',
    label: `Designate the ${resolver} who resolves it`,
    form: 'designate',
    problem: p('designate'),
    value: failure?.form === 'designate' ? failure.values.designee : undefined,
    options: e.candidates.map((h) => ({ value: h, label: nameWithHandle(h, d.names[h]) })),
  })
}
<button type="submit">Designate</button></form>`
    : ''
}
${
  d.can.guide.allowed && d.state.phase === 'escalated'
    ? html`<form method="post" action="/decisions/${d.ref}/guidance">${csrfField(c)}
${radios({
  name: 'kind',
  label: 'Your guidance',
  form: 'guidance',
  problem: p('guidance'),
  value: failure?.form === 'guidance' ? failure.values.kind : undefined,
  options: [
    { value: 'binding', label: 'Binding: this resolves the decision' },
    { value: 'more-information', label: 'More information is needed' },
    { value: 'full-deliberation', label: `Needs full deliberation by the ${resolverName(c.var.hub.governance, true)}` },
  ],
})}
${field({ name: 'guidance', label: 'Guidance', type: 'textarea', rows: 3, form: 'guidance', problem: p('guidance'), value: failure?.form === 'guidance' ? failure.values.guidance : '' })}
<button type="submit">Record guidance</button></form>`
    : ''
}`;
}

/** What a notice about a decision told its reader, in words (the inbox's kinds are ids). */
const TOLD_ABOUT: Record<string, string> = {
  'decision-opened': 'it opened',
  'decision-closing': 'it closes soon',
  'decision-extended': 'its deadline was extended',
  'decision-blocked': 'a block',
  'vote-opened': 'the vote',
  'vote-closing': 'the vote closes soon',
  'decision-escalated': 'its escalation',
  'decision-outcome': 'its outcome',
};

/** What one row of "Who was told" was about: a block says whose ("Rui Costa's block"), so two blocks are two rows told apart. */
const toldAbout = (t: DecisionView['notified']['told'][number]): string =>
  t.by
    ? `${t.by.name}'s ${t.by.advisory ? 'objection (advisory, not counted)' : 'block'}`
    : (TOLD_ABOUT[t.kind] ?? t.kind.replace(/-/g, ' '));

const HOW: Record<string, string> = {
  queued: 'mail waiting to go',
  sent: 'mailed',
  failed: 'mail bounced',
  digest: 'waiting for the digest',
  'digest-sent': 'in a digest',
  unconfirmed: 'inbox only: not reachable by mail (their address was not confirmed)',
  'no-address': 'inbox only: not reachable by mail (no address on record)',
};

/**
 * Who of those whose answer counts has not answered yet (under lazy consensus) or not voted (in a
 * vote), for the facilitator chasing them before the close; when nobody is left, that said in words,
 * so an empty list never reads as one the page did not work out.
 */
function notYet(d: DecisionView, label: string, meaning: string, everyone: string) {
  const { silentPeople, notMailable, nobodyCounts } = d.notified;
  // nobody left to answer because no one's answer counts now is not "everyone has answered"
  if (!silentPeople.length) return html`<p class="silent">${nobodyCounts ?? everyone}</p>`;
  const { uncounted } = d.notified;
  const note = (h: string) =>
    [
      uncounted.some((u) => u.handle === h) ? 'not informed in time' : null,
      notMailable.some((u) => u.handle === h) ? 'not reachable by mail' : null,
    ]
      .filter(Boolean)
      .join(', ') || undefined;
  return html`<p class="silent"><strong>${label}</strong> ${meaning}: ${silentPeople.map((p, i) => html`${i ? ', ' : ''}${personNamed(p.handle, p.name, note(p.handle))}`)}. <a href="#told">Who was told</a></p>`;
}

/** Proof that silence was informed: who was told, when and how, who opened it, who was never reached. */
function toldPart(c: WebContext, d: DecisionView): Html {
  const { told, unreached, notMailable, uncounted } = d.notified;
  // once a vote opened, silence is no longer consent: those listed are the ones whose vote would count
  const inVote = Boolean(d.state.voteOpensAt);
  return html`<section aria-labelledby="told"><h2 id="told">Who was told</h2>
${
  told.length
    ? html`<div class="table-wrap"><table><caption>Notifications about ${d.ref}</caption>
<thead><tr><th scope="col">Person</th><th scope="col">About</th><th scope="col">Told</th><th scope="col">How</th><th scope="col">Opened</th></tr></thead>
<tbody>${told.map(
        (t) =>
          html`<tr><td>${personNamed(t.handle, t.name)}</td><td title="${t.title}">${toldAbout(t)}</td><td>${when(c, t.at)}${t.lastAt !== t.at ? html`, again ${when(c, t.lastAt)}` : ''}</td><td>${t.mail ? (HOW[t.mail] ?? t.mail) : 'inbox only'}${t.mailedAt ? html`, ${when(c, t.mailedAt)}` : ''}</td><td>${t.openedAt ? when(c, t.openedAt) : html`<span class="muted">not yet</span>`}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p>Nobody has been notified about ${d.ref}.</p>`
}
${
  unreached.length
    ? html`<h3>Not reached</h3><p>${inVote ? 'Members whose vote counts, who have not voted and whom the news has not reached:' : 'Members whose silence counts, who have neither answered nor had the news reach them:'}</p>
<ul class="unreached">${unreached.map((u) => html`<li>${personNamed(u.handle, u.name)}: ${u.why}</li>`)}</ul>`
    : ''
}
${
  uncounted.length
    ? html`<h3>Not informed in time</h3><p>Members whose answer counts, not told of ${d.ref} since their voice began at least ${c.var.hub.governance.decisions.noticeHours} hours before the deadline: their silence is not counted as consent.</p>
<ul class="not-in-time">${uncounted.map((u) => html`<li>${personNamed(u.handle, u.name)}: ${u.why}</li>`)}</ul>`
    : ''
}
${
  notMailable.length
    ? html`<h3>Not reachable by mail</h3><p>${inVote ? 'Members whose vote counts and who have not voted, whom no notice can be mailed to now, so they are not told of the vote by mail (only by the inbox, if they open it):' : 'Members whose silence counts and who have not answered, whom no notice can be mailed to now, so their silence is not informed by mail (only by the inbox, if they open it):'}</p>
<ul class="not-mailable">${notMailable.map((u) => html`<li>${personNamed(u.handle, u.name)}: ${u.why}</li>`)}</ul>`
    : ''
}
</section>`;
}

/** Before someone whose voice does not count responds: theirs will be advisory, and why. */
async function advisoryNote(c: WebContext, ref: string, group: string, me: PeopleTable): Promise<Html | string> {
  const voice = await voiceOn(c.var.hub, ref, { kind: 'person', person: me });
  if (voice.counts) return '';
  const g = c.var.hub.governance;
  const levels = levelsNamed(g, g.decisions.eligibleLevels, 'and', true);
  // the group by its name, as the page's heading line names it, not by the slug in its address
  const theirs = await getGroupFor(c.var.hub, group, actorFor(c));
  return html`<p class="warning" role="note">Your response will be shown as <strong>advisory</strong>, not counted: ${voice.level ? `you are ${withArticle(levelName(g, voice.level))} of` : 'you are not an active member of'} <a href="/groups/${group}">${theirs.name}</a>, and only its ${levels} count. ${askNextStep(c, theirs)}</p>`;
}

/**
 * How one whose voice does not count may come to hold the member level, as the group's
 * `can.askToBeMember` says for them now: the request form only when they may ask; their open
 * request when they asked already (sent to ask again, they found no form there); otherwise why not
 * (declined and waiting, emeritus, a retired group).
 */
function askNextStep(c: WebContext, theirs: Awaited<ReturnType<typeof getGroupFor>>): Html {
  const g = c.var.hub.governance;
  const member = levelName(g, 'member');
  const verdict = theirs.can.askToBeMember;
  if (verdict.allowed)
    return html`The group's leads grant the ${member} level: <a href="/groups/${theirs.slug}#ask-member">ask them from the group's page</a>.`;
  const mine = theirs.yourRequest;
  if (mine && !mine.answer)
    return html`You have asked to become ${withArticle(member)}; <a href="/groups/${theirs.slug}#your-request">your request</a> awaits ${mine.whoAnswers.byLeads ? "an answer from the group's leads" : `an answer from ${mine.whoAnswers.who} (the group has no active lead)`}.`;
  return verdict.reason
    ? html`The group's leads grant the ${member} level. ${withoutTrailing(verdict.reason, '.')}.`
    : html`The group's leads grant the ${member} level.`;
}

/**
 * For one signed in who may not vote for their level in the group: what they can do about it, as
 * `advisoryNote` says before a response (the refusal alone, "Only a group member or lead may vote",
 * left an observer with no next step).
 */
async function voteNextStep(c: WebContext, ref: string, group: string, me: PeopleTable): Promise<Html | string> {
  const voice = await voiceOn(c.var.hub, ref, { kind: 'person', person: me });
  if (voice.counts) return '';
  const g = c.var.hub.governance;
  const theirs = await getGroupFor(c.var.hub, group, actorFor(c));
  return html`<p>${voice.level ? `You are ${withArticle(levelName(g, voice.level))} of` : 'You are not an active member of'} <a href="/groups/${group}">${theirs.name}</a>. ${askNextStep(c, theirs)}</p>`;
}

async function decisionPage(c: WebContext, ref: string, failure: Failure | null = null): Promise<Response> {
  const me = currentPerson(c);
  // Opening the page is the proof this person opened it: mark first, so the page shows it.
  if (me)
    await markSubjectRead(
      c.var.hub,
      { kind: 'person', person: me },
      'decision',
      `D-${(await decisionRow(c.var.hub.store.db, ref)).number}`,
    );
  const d = await getDecision(c.var.hub, ref, undefined, me ? { kind: 'person', person: me } : null);
  const here = `/decisions/${d.ref}`;
  const s = d.state;
  const mine = me ? d.responses.find((r) => r.handle === me.handle) : undefined;
  const myVote = me ? d.votes.find((v) => v.handle === me.handle) : undefined;
  const open = s.phase === 'lazy-consensus';
  const problemOf = (f: Failure['form']) => (failure?.form === f ? failure.problem : null);
  const inGroup = await groupName(c.var.hub, d.group);
  const body = html`<nav aria-label="Breadcrumb"><p class="muted"><a href="/decisions">Decisions</a> › ${d.ref}</p></nav>
<h1>${d.ref}: ${d.question}</h1>
${failure ? errorSummary(failure.problem, failure.form) : ''}
<p><span class="badge">${phaseWords(c.var.hub.governance, s.phase)}</span> <span class="badge ${OUTCOME_BADGE[s.outcome] ?? 'ok'}">${OUTCOMES[s.outcome] ?? s.outcome}</span>
· in <a href="/groups/${d.group}">${inGroup}</a>${d.subject.type === 'proposal' && d.subject.ref ? html` · about <a href="/proposals/${d.subject.ref}">${d.subject.ref}</a>` : html` · about the ${d.subject.type}`} · ${d.significance}, ${d.matter} · opened by ${personIn(d.names, d.openedBy)} ${when(c, d.openedAt)}</p>
<p class="deadline"><strong>Deadline:</strong> ${bothZones(c, d.deadline)}${
    // once the vote has closed the decision did not "close with the vote" if it went on to an escalation
    s.voteClosesAt
      ? html` <span class="muted">(for lazy consensus; ${s.phase === 'vote' ? 'since the vote opened, the decision closes with the vote' : s.phase === 'escalated' ? `the vote did not settle it: it went to the ${resolverName(c.var.hub.governance, true)}` : 'a vote followed'})</span>`
      : ''
  }</p>
${s.voteClosesAt ? html`<p><strong>Vote:</strong> opened ${bothZones(c, s.voteOpensAt!)}, ${new Date(s.voteClosesAt).getTime() <= c.var.hub.clock.now().getTime() ? 'closed' : 'closes'} ${bothZones(c, s.voteClosesAt)}</p>` : ''}
${
  // the reader whose silence would count is told so first, with the way to answer
  open && me && d.notified.silent.includes(me.handle)
    ? html`<p class="warn" id="your-silence">Your voice counts and you have not answered: if you say nothing by the deadline, your silence counts as consent. <a href="#respond">Consent, raise a concern or block</a>.</p>`
    : ''
}
${d.description ? markdown(d.description, c.var.hub.governance) : ''}
${
  // after what the decision is about, as on every page that offers it: one meets the subject before being asked how to hear of it
  subscriptionControl(c, 'decision', d.ref)
}

<section aria-labelledby="outcome"><h2 id="outcome">Where it stands, and why</h2>
<ol>${s.why.map((w) => html`<li>${withMoments(c, w)}</li>`)}</ol>
${
  // a facilitator looks for a "Close" button: there is none, as the deadline closes it
  s.phase === 'lazy-consensus' || s.phase === 'vote'
    ? html`<p class="muted">Nobody closes it by hand: at ${s.phase === 'vote' ? "the vote's close" : 'the deadline'} the hub closes it, records the outcome here and tells the group's members.${d.can.extend.allowed ? html` Members need more time to hear of it or to answer? <a href="#extend">Extend the deadline</a>.` : ''}</p>`
    : ''
}
${s.standingBlocks.length ? html`<p><strong>Standing blocks:</strong> ${s.standingBlocks.map((b, i) => html`${i ? ', ' : ''}${personNamed(b.handle, d.responses.find((r) => r.handle === b.handle)?.name ?? b.handle)}`)}</p>` : ''}
${open && s.standingBlocks.length && (d.can.extend.allowed || d.can.withdraw.allowed) ? workingThroughBlocks(d) : ''}
${s.quorum ? html`<p>Quorum: ${plural(s.quorum.cast, 'vote')} cast, ${Math.ceil(s.quorum.needed)} needed: ${s.quorum.met ? html`<span class="badge ok">met</span>` : html`<span class="badge bad">not met</span>`}</p>` : ''}
${s.result ? html`<p>Votes: ${s.result.yes} yes, ${s.result.no} no, ${s.result.abstain} abstain; ${s.result.rule}</p>` : ''}
${d.escalation ? escalationPart(c, d, failure) : ''}
${d.notified.silenceWarning ? html`<p class="warning" role="note"><strong>Uninformed silence:</strong> ${d.notified.silenceWarning} See <a href="#told">who was told</a>${d.can.extend.allowed ? html`, or <a href="#extend">extend the deadline</a> so they can hear of it` : ''}.</p>` : ''}
${d.extendToInform ? html`<p class="warning" role="note"><strong>To count their silence:</strong> ${withMoments(c, d.extendToInform.advice)}${d.extendToInform.hours !== null ? html` <a href="#extend">Extend it by ${d.extendToInform.hours} hours</a>.` : ''}</p>` : ''}
</section>

<section aria-labelledby="tally"><h2 id="tally">Responses</h2>
${tallyTable(d.tally, 'Responses that count: people and weighted by organisation', ['consent', 'concern', 'block'])}
${d.advisory.length ? html`<p class="muted">Advisory (shown, not counted: given by someone who was not an active member or lead of the group when they responded): ${d.advisory.map((h, i) => html`${i ? ', ' : ''}${personNamed(h, d.responses.find((r) => r.handle === h)?.name ?? h)}`)}</p>` : ''}
${open ? notYet(d, 'Not answered yet', '(their silence counts as consent at the deadline)', 'Everyone whose answer counts has answered.') : ''}
${
  d.responses.length
    ? html`<ul class="responses">${d.responses.map(
        (
          r,
        ) => html`<li><strong>${r.kind}</strong> from ${personNamed(r.handle, r.name)}${r.organisation ? ` of ${r.organisation}` : ''}, ${when(c, r.at)}${r.counts ? '' : html` <span class="badge">${notCountedWords(r)}</span>`}
${r.reason ? html`<br>Reason: ${r.reason}` : ''}${r.amendment ? html`<br>Yes, and: ${r.amendment}` : ''}${r.alternative ? html`<br>Alternative: ${r.alternative}` : ''}${r.resolutionCriteria ? html`<br>Resolved if: ${r.resolutionCriteria}` : ''}
${r.handle === currentPerson(c)?.handle ? hints(r.flags, 'Hints on your response') : ''}</li>`,
      )}</ul>`
    : s.voteOpensAt
      ? html`<p>No responses came before the vote opened. In a vote, silence is not consent: only the votes cast count.</p>`
      : open
        ? html`<p>No responses yet. Silence counts as consent at the deadline.</p>`
        : s.outcome === 'withdrawn'
          ? html`<p>No responses came before it was withdrawn.</p>`
          : html`<p>No responses came by the deadline: ${silenceInWords(c.var.hub.governance, silenceFrom(d.notified))}.</p>`
}
${
  d.can.respond.allowed
    ? html`<h3 id="respond">Respond</h3>${mine ? html`<p>Your current response: <strong>${mine.kind}</strong>. Responding again replaces it; the earlier one stays in the timeline.</p>` : ''}
${me ? await advisoryNote(c, d.ref, d.group, me) : ''}
${respondForm(c, d, mine, failure)}`
    : whyNot(c, d.can.respond, here, 'respond')
}
${me && open ? await voteRequestPart(c, d, me, problemOf('request')) : ''}
</section>

${
  s.phase === 'vote' || d.votes.length
    ? html`<section aria-labelledby="vote"><h2 id="vote">Vote</h2>
${d.voteTally ? tallyTable(d.voteTally, 'Votes that count: people and weighted by organisation', ['yes', 'no', 'abstain']) : html`<p>No votes yet: members of the group vote on this page while the vote is open.</p>`}
${d.votes.length ? html`<ul>${d.votes.map((v) => html`<li>${personNamed(v.handle, v.name)}: <strong>${v.choice}</strong>${v.organisation ? ` (${v.organisation})` : ''}, ${when(c, v.at)}${v.counts ? '' : html` <span class="badge">${notCountedWords(v)}</span>`}</li>`)}</ul>` : ''}
${s.phase === 'vote' ? notYet(d, 'Not voted yet', '(in a vote silence is not consent: only the votes cast count)', 'Everyone whose vote counts has voted.') : ''}
${
  d.can.vote.allowed
    ? html`<form method="post" action="/decisions/${d.ref}/vote">${csrfField(c)}
${radios({
  name: 'choice',
  label: myVote ? `Change your vote (now: ${myVote.choice})` : 'Your vote',
  value: failure?.form === 'vote' ? failure.values.choice : myVote?.choice,
  problem: problemOf('vote'),
  form: 'vote',
  options: [
    { value: 'yes', label: 'Yes' },
    { value: 'no', label: 'No' },
    { value: 'abstain', label: 'Abstain' },
  ],
})}
${field({ name: 'rationale', label: 'Rationale (optional)', type: 'textarea', rows: 2, problem: problemOf('vote'), form: 'vote', value: failure?.form === 'vote' ? failure.values.rationale : '' })}
<button type="submit">Cast my vote</button></form>`
    : s.phase === 'vote'
      ? html`${whyNot(c, d.can.vote, here, 'vote')}${me && !d.can.vote.remedy ? await voteNextStep(c, d.ref, d.group, me) : ''}`
      : ''
}
</section>`
    : ''
}

${toldPart(c, d)}

<section aria-labelledby="timeline"><h2 id="timeline">Timeline</h2>
${earlierLink(d.ref, d.timelineEarlier, 'The latest events are shown')}
${timelineList(c, d.timeline, d.names)}
</section>
${
  // last on the page: a reader meets the question, where it stands and the responses before the way
  // to undo it all (it sat above the responses, the first form a facilitator met)
  d.can.extend.allowed ? extendForm(c, d, failure) : ''
}
${d.can.withdraw.allowed ? withdrawForm(c, d, failure) : ''}`;
  return render(c, {
    title: `${d.ref}: ${d.question}`,
    nav: 'decisions',
    body,
    status: failure?.problem.status ?? 200,
  });
}

/**
 * What the flash says once a response is in: an advisory one says so at once (a newcomer who blocked
 * read "recorded" and took the block to stand, while the page's tally went on without it), in the
 * governance file's words for the levels that count; and a block that counts says what it does at the
 * deadline.
 */
function responseRecorded(g: Governance, d: DecisionView, handle: string): string {
  const mine = d.responses.findLast((r) => r.handle === handle);
  if (mine && !mine.counts)
    return `Your ${mine.kind} is recorded as advisory: the group reads it, but it does not count${mine.kind === 'block' ? ' and does not stop the consensus' : ''}; only the responses of its ${levelsNamed(g, g.decisions.eligibleLevels, 'and', true)} count.`;
  // "Respond again" alone: once one has responded LIMITS.responsesPerPerson times, only withdrawing is left
  if (mine?.kind === 'block' && d.state.phase === 'lazy-consensus')
    return 'Your block is recorded and stands: if it still stands at the deadline, a formal vote opens. Respond again, or withdraw it, to change it.';
  return 'Your response is recorded.';
}

/** A form on the decision page: on a domain error the page is shown again with it in that form. */
function act<R>(
  c: WebContext,
  form: Failure['form'],
  run: (f: FormValues) => Promise<R>,
  done: string | ((f: FormValues, result: R) => string),
): Promise<Response> {
  const ref = c.req.param('ref')!;
  return postForm(c, {
    page: `/decisions/${encodeURIComponent(ref)}`,
    run,
    failed: (problem, values) => decisionPage(c, ref, { form, problem, values }),
    done,
  });
}

export function decisionRoutes(web: Hono<WebEnv>): void {
  web.get('/decisions', listPage);
  web.get('/decisions/new', (c) => openPage(c));
  web.post('/decisions/new', async (c) => {
    const f = formFields(await c.req.parseBody());
    let ref: string;
    try {
      const subjectRef = optional(f['subject.ref']);
      const gap = wallClockGap(optional(f.deadline) ?? '', actorFor(c).person.time_zone);
      ref = (
        await openDecision(
          c.var.hub,
          actorFor(c),
          {
            group: f.group ?? '',
            subject: {
              type: f['subject.type'],
              // sent whatever the subject: dropped, a proposal named under "How the group works" (the
              // default) opened a decision silently about the process instead; the refusal names the field
              ...(subjectRef ? { ref: subjectRef } : {}),
            },
            question: f.question ?? '',
            description: f.description ?? '',
            significance: f.significance,
            matter: f.matter,
            ...(optional(f.deadline)
              ? { deadline: wallClockToInstant(optional(f.deadline)!, actorFor(c).person.time_zone) }
              : {}),
          },
          gap ? [{ field: 'deadline', rule: gap }] : [],
        )
      ).ref;
    } catch (e) {
      return openPage(
        c,
        { ...f, subjectType: f['subject.type'] ?? '', subjectRef: f['subject.ref'] ?? '' },
        formProblem(e, actorFor(c).person.time_zone, c.var.hub.governance),
      );
    }
    flash(c, `${ref} is open. Members can respond until the deadline.`);
    return c.redirect(`/decisions/${ref}`, 303);
  });
  web.get('/decisions/:ref', (c) => decisionPage(c, c.req.param('ref')));
  web.get('/decisions/:ref/timeline', (c) => timelinePage(c, c.req.param('ref')));
  web.post('/decisions/:ref/respond', (c) =>
    act(
      c,
      'respond',
      (f) =>
        respondToDecision(c.var.hub, actorFor(c), c.req.param('ref'), {
          kind: f.kind ?? '',
          reason: optional(f.reason),
          // the form shows every kind's fields (filled with an earlier response): only the chosen kind's count
          ...Object.fromEntries(
            Object.entries(RESPONSE_FIELD_KIND)
              .filter(([, kind]) => kind === f.kind)
              .map(([field]) => [field, optional(f[field])]),
          ),
        }),
      (_f, d) => responseRecorded(c.var.hub.governance, d, actorFor(c).person.handle),
    ),
  );
  web.post('/decisions/:ref/response/withdraw', (c) =>
    act(
      c,
      'withdraw',
      () => withdrawResponse(c.var.hub, actorFor(c), c.req.param('ref')),
      'Your response is withdrawn.',
    ),
  );
  web.post('/decisions/:ref/withdraw', (c) =>
    act(
      c,
      'withdrawDecision',
      (f) =>
        withdrawDecision(c.var.hub, actorFor(c), c.req.param('ref'), { reason: f.reason ?? '' }, formVersionIfSent(f)),
      (_f, d) => `${d.ref} is withdrawn. The group's members are told why.`,
    ),
  );
  web.post('/decisions/:ref/extend', (c) =>
    act(
      c,
      'extend',
      (f) => {
        const zone = actorFor(c).person.time_zone;
        // hours later, or a new deadline: whichever is filled in (both, or neither, the use case names)
        const hours = optional(f.hours);
        const deadline = optional(f.deadline);
        const gap = deadline ? wallClockGap(deadline, zone) : null;
        return extendDecision(
          c.var.hub,
          actorFor(c),
          c.req.param('ref'),
          formVersion(f),
          {
            ...(hours ? { hours: /^-?\d{1,9}$/.test(hours) ? Number(hours) : hours } : {}),
            ...(deadline ? { deadline: wallClockToInstant(deadline, zone) } : {}),
            reason: f.reason ?? '',
          },
          gap ? [{ field: 'deadline', rule: gap }] : [],
        );
      },
      (_f, d) =>
        `${d.ref} now closes ${absolute(new Date(d.deadline), viewerZone(c))} (${viewerZone(c)}). The members whose voice counts are told, with your reason.`,
    ),
  );
  web.post('/decisions/:ref/request-vote', (c) =>
    act(
      c,
      'request',
      // the page asked for the box when this request opens the vote: a stray click opens nothing.
      // Judged by the use case under the decision's lock (a look here first left a gap in which
      // another member's request made this one open the vote without the box)
      (f) => requestVote(c.var.hub, actorFor(c), c.req.param('ref'), { confirmed: f.confirm === 'yes' }),
      // a lead's request (or the last one needed) opens the vote at once: say so, with its close in the
      // viewer's zone, named as every other time on the page (it gave the time alone, no zone)
      (_f, d) =>
        d.state.phase === 'vote'
          ? `The vote is open until ${absolute(new Date(d.state.voteClosesAt ?? d.deadline), viewerZone(c))} (${viewerZone(c)}): every counted member can vote yes, no or abstain below.`
          : `Your request for a vote is recorded (${plural(d.voteRequests.length, 'request')} so far; ${c.var.hub.governance.decisions.vote.memberRequests} open the vote, or one from a lead).`,
    ),
  );
  web.post('/decisions/:ref/designate', (c) =>
    act(
      c,
      'designate',
      (f) =>
        designateEscalation(
          c.var.hub,
          actorFor(c),
          c.req.param('ref'),
          f.designee ? { designee: f.designee } : {},
          formVersionIfSent(f),
        ),
      `The ${resolverName(c.var.hub.governance)} is designated.`,
    ),
  );
  web.post('/decisions/:ref/guidance', (c) =>
    act(
      c,
      'guidance',
      (f) =>
        recordGuidance(c.var.hub, actorFor(c), c.req.param('ref'), { kind: f.kind ?? '', guidance: f.guidance ?? '' }),
      'Your guidance is recorded.',
    ),
  );
  web.post('/decisions/:ref/vote', (c) =>
    act(
      c,
      'vote',
      (f) =>
        castVote(c.var.hub, actorFor(c), c.req.param('ref'), {
          choice: f.choice ?? '',
          rationale: optional(f.rationale),
        }),
      'Your vote is recorded.',
    ),
  );
}
