// "/": a member's home, what needs them; a visitor goes to the welcome page. Sections are a list
// so other areas (meetings, action items) add theirs without touching this file's logic.
import { plural } from '../../../domain/sentence.ts';
import { groupKindName, levelName, levelsNamed, resolverName, withArticle } from '../../../domain/governance/words.ts';
import { html } from 'hono/html';
import type { Hono } from 'hono';
import { soonestOpenDecisions } from '../../../app/decisions/decisions.ts';
import { groupNames } from '../../../app/groups/group-directory.ts';
import { listSubscriptions } from '../../../app/notifications/subscriptions.ts';
import type { MemberHome } from '../../../app/home/member-home.ts';
import { memberNeeds, type MemberNeeds, type NeedCount, needCounts } from '../../../app/home/what-needs-me.ts';
import { decidedSince, notesSince } from '../../../app/home/decided-since.ts';
import { OUTCOME_WORDS } from '../../../domain/decisions/index.ts';
import type { PeopleTable } from '../../../store/schema.ts';
import type { WebContext, WebEnv } from '../context.ts';
import { csrfField } from '../csrf.ts';
import { when } from '../format.ts';
import type { Html } from '../layout.ts';
import { render } from '../render.ts';
import { currentPerson, flash } from '../session.ts';
import { homeViewed, markHomeSeen, VISIT_GAP_MINUTES } from '../../../app/home/last-visit.ts';
import { communityCan } from '../../../app/people/access.ts';
import { phaseWords } from './decisions.ts';
import { stageLabel } from './proposals.ts';
import { invitationCard } from './invitations.ts';

/** A section of the home, rendered from what needs the member (`memberNeeds`, the use case of `GET /api/me/needs`). */
export type HomeSection = (c: WebContext, me: PeopleTable, needs: MemberNeeds) => Html | Promise<Html | ''> | '';

/**
 * What a list leaves out, as `whatNeedsMe` counts it: "and 3 more" when the rest is counted, or that
 * more may wait when the list reached its bound before it was filtered.
 */
export const leftOut = (n: NeedCount, where: Html | string): Html | '' =>
  n.total === null
    ? html`<p class="muted">More may wait than the ${n.listed} listed here: ${where}.</p>`
    : n.total > n.listed
      ? html`<p class="muted">And ${n.total - n.listed} more (of ${n.total}; the first ${n.listed} are listed): ${where}.</p>`
      : '';

/** On the home page: the person's open invitations (what needs them lists), soonest to expire first, with Accept and Decline. */
function invitationsHome(c: WebContext, needs: MemberNeeds): Html | '' {
  const items = needs.invitations.listed;
  if (!items.length) return '';
  return html`<section aria-labelledby="home-invitations"><h2 id="home-invitations">Invitations to groups</h2>
<ul>${items.map((i) => html`<li id="invitation-${i.id}">${invitationCard(c, i, '/')}</li>`)}</ul>
${leftOut(needCounts(needs).invitation, 'each is on its group’s page')}</section>`;
}

/**
 * Answering from home in one step: consent is one button (the decision's page then shows it, with
 * the flash); a concern or a block needs words, so it links to the decision's form; a vote links to
 * its ballot.
 */
/**
 * What stands on a decision beside its one-click "Consent", from the tally its page shows: the blocks and
 * concerns that count, so no one consents unaware that a block holds it up.
 */
const standing = (d: MemberHome['decisions'][number]): Html | '' => {
  const { block, concern } = d.responses;
  if (!block && !concern) return '';
  const said = [
    block ? `${plural(block, 'block')} ${block === 1 ? 'stands' : 'stand'}` : null,
    concern ? plural(concern, 'concern') : null,
  ].filter(Boolean);
  return html`<p class="standing${block ? ' warn' : ''}"><a href="/decisions/${d.ref}#tally">${said.join(', ')}</a> on it</p>`;
};

const answer = (c: WebContext, d: MemberHome['decisions'][number]): Html =>
  d.phase === 'vote'
    ? html`<a href="/decisions/${d.ref}#vote">Vote<span class="visually-hidden"> on ${d.ref}</span></a>`
    : html`${standing(d)}<form class="inline-form" method="post" action="/decisions/${d.ref}/respond">${csrfField(c)}<input type="hidden" name="kind" value="consent"><button type="submit">Consent<span class="visually-hidden"> to ${d.ref}</span></button></form> <a href="/decisions/${d.ref}#respond">Concern or block<span class="visually-hidden"> on ${d.ref}</span></a>`;

/**
 * Silence counts as consent, so a member whom the hub could mail, but cannot, is told so where they
 * look first: with no confirmed address, news of their groups' decisions reaches them only here.
 */
const unmailed = (me: PeopleTable, needs: MemberNeeds): Html | '' => {
  const reach = needs.mail;
  if (!reach) return '';
  const profile = `/people/${encodeURIComponent(me.handle)}/edit`;
  return html`<p class="warn" id="mail-reach">Decisions in your groups pass by lazy consensus: silence by the deadline counts as consent. ${
    reach === 'unconfirmed'
      ? html`Your mail address is not confirmed yet, so news reaches you only here: open the link in its confirmation mail, or <a href="${profile}#mail-status">send a new one</a>.`
      : html`You have no mail address on record, so news reaches you only here: <a href="${profile}#f-profile-email">add one in your profile</a> to be told by mail.`
  }</p>`;
};

/**
 * One in no group yet has no decision waiting on their voice, yet may answer any open decision
 * (advisory): "None" alone read as "nothing is being decided". The soonest to close are listed with
 * their deadlines, and the way to every open decision.
 */
async function elsewhere(
  c: WebContext,
  me: PeopleTable,
  home: MemberHome,
  name: (slug: string) => string,
): Promise<Html | ''> {
  if (home.groups.length || home.advisory.length) return '';
  const { items: open, more, escalated } = await soonestOpenDecisions(c.var.hub, ELSEWHERE);
  // more that take an answer than are listed; escalated ones, which take none, said apart in words, never
  // counted in a bare link under a list that leaves them out
  const every = escalated
    ? html`<p id="open-escalated">Decisions escalated to the ${resolverName(c.var.hub.governance, true)} take no answers until they resolve them, so ${open.length ? 'they are not listed here' : 'none is listed here'}: <a href="/decisions?open=true">every open decision</a> shows them${more ? ' and the rest' : ''}.</p>`
    : more
      ? html`<p><a href="/decisions?open=true">Every open decision</a></p>`
      : '';
  if (!open.length) return every;
  // one who watches a group is told of its decisions: "Join a group to be told of its decisions" was
  // not so for them; joining is what makes their answer count
  const watched = (await listSubscriptions(c.var.hub, { kind: 'person', person: me })).items
    .filter((s) => s.subjectType === 'group' && s.level === 'watching')
    .map((s) => name(s.subjectRef));
  const told = watched.length
    ? `You watch ${watched.join(', ')}, so you are told of ${watched.length === 1 ? 'its' : 'their'} decisions; join a group for your answer to count there.`
    : 'Join a group to be told of its decisions.';
  return html`<p id="open-elsewhere">You are in no group yet, so none waits on you; these are open in the community, and your answer is shown to each group as advisory (only its ${levelsNamed(c.var.hub.governance, c.var.hub.governance.decisions.eligibleLevels, 'and', true)} count). ${told}</p>
<ul>${open.map((d) => html`<li><a href="/decisions/${d.ref}">${d.ref}: ${d.question}</a> <span class="muted">(${name(d.group)}), ${d.phase === 'vote' ? 'in a vote that closes' : 'closes'} ${when(c, d.closesAt)}</span></li>`)}</ul>${every}`;
}

/** How many of the community's open decisions a home lists to one in no group yet. */
const ELSEWHERE = 5;

const decisionsSection: HomeSection = async (c, me, needs) => {
  const home = needs.home;
  const counts = needCounts(needs);
  // groups by the names people call them ("Hosting"), as their pages do, not by their slugs
  const names = new Map((await groupNames(c.var.hub)).map((g) => [g.slug, g.name]));
  const name = (slug: string) => names.get(slug) ?? slug;
  return html`<section aria-labelledby="h-decisions"><h2 id="h-decisions">Decisions awaiting your response</h2>
${
  home.decisions.length
    ? // the decision, its question and when it closes in one cell, the answer beside it: on a phone the
      // one-click Consent was the sixth column, off the screen behind a sideways scroll
      html`<div class="table-wrap"><table><thead><tr><th scope="col">Decision and deadline</th><th scope="col">Answer</th><th scope="col">Group</th><th scope="col">Phase</th></tr></thead><tbody>
${home.decisions.map((d) => html`<tr><td class="question"><a href="/decisions/${d.ref}">${d.ref}</a>: ${d.question}<br><span class="muted">${d.phase === 'vote' ? 'Vote closes' : 'Closes'} ${when(c, d.deadline)}</span></td><td>${answer(c, d)}</td><td><a href="/groups/${d.group}">${name(d.group)}</a></td><td>${phaseWords(c.var.hub.governance, d.phase)}</td></tr>`)}
</tbody></table></div><p class="muted">${home.decisions.some((d) => d.phase !== 'vote') ? 'Under lazy consensus, silence by the deadline counts as consent. ' : ''}${home.decisions.some((d) => d.phase === 'vote') ? 'In a vote, silence is not consent: only the votes cast by its close count.' : ''}</p>`
    : home.asked.length
      ? // one waits on their answer below: "none is waiting" read as nothing to do
        html`<p>No open decision takes your response or vote now; ${home.asked.length === 1 ? 'one asks' : 'some ask'} you for more information below.</p>`
      : html`<p>None: no open decision is waiting for your voice.</p>${await elsewhere(c, me, home, name)}`
}${leftOut(counts.decision, html`<a href="/decisions?open=true">all open decisions</a>`)}${
  home.toDesignate.length
    ? html`<p>Escalated, with nobody named to resolve it yet: name the ${resolverName(c.var.hub.governance)} who does, on its page.</p>
<ul>${home.toDesignate.map((d) => html`<li><a href="/decisions/${d.ref}">${d.ref}: ${d.question}</a> <span class="muted">(${name(d.group)})${d.dueAt ? html`, initial response due ${when(c, d.dueAt)}` : ''}</span></li>`)}</ul>${leftOut(counts.designate, 'each says so on its page')}`
    : ''
}${
  home.escalations.length
    ? html`<p>Escalated to you to resolve: give your guidance on its page.</p>
<ul>${home.escalations.map((d) => html`<li><a href="/decisions/${d.ref}">${d.ref}: ${d.question}</a> <span class="muted">(${name(d.group)})${d.dueAt ? html`, initial response due ${when(c, d.dueAt)}` : ''}${d.soFar ? `; your guidance so far: ${d.soFar}` : ''}</span></li>`)}</ul>${leftOut(counts.escalation, html`<a href="/decisions?open=true">all open decisions</a>`)}`
    : ''
}${
  home.asked.length
    ? html`<p id="asked-more">Escalated, and its resolver asks you for more information (you opened it, answered or voted on it): responses and votes are closed, so answer where each says, mentioning them so they are told.</p>
<ul>${home.asked.map((d) => html`<li><a href="/decisions/${d.ref}#guidance">${d.ref}: ${d.question}</a> <span class="muted">(${name(d.group)}), asked ${when(c, d.at)}</span><br>${d.resolver ? html`${d.resolver.name} (@${d.resolver.handle})` : `The ${resolverName(c.var.hub.governance)}`} says more information is needed: “${d.guidance.trim()}” <a href="${d.answerAt.path}">Answer ${!d.answerAt.mentionTells && d.resolver ? `${d.resolver.name} ` : ''}${d.answerAt.words}</a>${d.resolver && d.answerAt.mentionTells ? `, mentioning @${d.resolver.handle}` : ''}.</li>`)}</ul>${leftOut(counts['more-information'], html`<a href="/decisions?open=true">all open decisions</a>`)}`
    : ''
}${
  home.advisory.length
    ? html`<p>Open in your groups, where your answer is advisory (shown to the group, not counted: only its ${levelsNamed(c.var.hub.governance, c.var.hub.governance.decisions.eligibleLevels, 'and', true)} count):</p>
<ul>${home.advisory.map((d) => html`<li><a href="/decisions/${d.ref}">${d.ref}: ${d.question}</a> <span class="muted">(${name(d.group)}), ${d.phase === 'vote' ? 'in a vote that closes' : 'closes'} ${when(c, d.deadline)}</span></li>`)}</ul>${leftOut(counts.advisory, html`<a href="/decisions?open=true">all open decisions</a>`)}`
    : ''
}</section>`;
};

/**
 * What was decided without them: the decisions of their groups that reached an outcome since their last
 * visit, how each ended and what they answered. One back from two weeks away read only that nothing
 * waited for their voice, and could not tell that their group had adopted two things meanwhile.
 */
const decidedSection: HomeSection = async (c, me) => {
  const since = c.var.session!.lastVisit;
  const { items, more } = await decidedSince(c.var.hub, me, since);
  if (!since || !items.length) return '';
  const names = new Map((await groupNames(c.var.hub)).map((g) => [g.slug, g.name]));
  return html`<section aria-labelledby="h-decided"><h2 id="h-decided">Decided since your last visit</h2>
<ul>${items.map(
    (
      d,
    ) => html`<li><a href="/decisions/${d.ref}">${d.ref}: ${d.question}</a> <span class="muted">(${names.get(d.group) ?? d.group})</span><br>
${
  d.outcome === 'escalated'
    ? html`<strong>escalated</strong> ${when(c, d.closedAt)}: the vote did not settle it, so ${withArticle(resolverName(c.var.hub.governance))} resolves it${d.escalationDueAt ? html` (initial response due ${when(c, d.escalationDueAt)})` : ''}. Answers have closed; its page says who resolves it, and their guidance is given there. `
    : html`<strong>${OUTCOME_WORDS[d.outcome]}</strong>, closed ${when(c, d.closedAt)}. `
}${
  d.yours
    ? `Your answer: ${d.yours}.`
    : d.outcome === 'adopted' && d.silenceCounted
      ? 'You did not answer: silence by the deadline counts as consent.'
      : 'You did not answer.'
}</li>`,
  )}</ul>
${more ? html`<p class="muted">The ${items.length} latest are listed: <a href="/decisions?open=false">every closed decision</a>.</p>` : ''}
<p class="muted">Each decision's page says who answered and why it ended as it did. To raise something it settled, open a new decision or bring it to your group's next meeting.</p></section>`;
};

/**
 * What was said without them: the notes of their groups' meetings published since their last visit,
 * each with how many decisions it recorded as taken. One back from two weeks away missed a meeting
 * whose notes their home never named.
 */
const notesSinceSection: HomeSection = async (c, me) => {
  const since = c.var.session!.lastVisit;
  const { items, more } = await notesSince(c.var.hub, me, since);
  if (!since || !items.length) return '';
  const names = new Map((await groupNames(c.var.hub)).map((g) => [g.slug, g.name]));
  return html`<section aria-labelledby="h-notes-since"><h2 id="h-notes-since">Meeting notes since your last visit</h2>
<ul>${items.map(
    (m) =>
      html`<li><a href="/meetings/${m.ref}#notes">${m.ref}: ${m.title}</a> <span class="muted">(${names.get(m.group) ?? m.group})</span>, met ${when(c, m.startsAt)}; notes published ${when(c, m.publishedAt)}${m.decisionsTaken ? `, with ${plural(m.decisionsTaken, 'decision')} taken` : ''}.</li>`,
  )}</ul>
${more ? html`<p class="muted">The ${items.length} latest are listed: <a href="/meetings">all meetings</a>.</p>` : ''}</section>`;
};

const proposalsSection: HomeSection = (
  c,
  me,
  { home },
) => html`<section aria-labelledby="h-proposals"><h2 id="h-proposals">Proposals you sponsor, support or wrote</h2>
${
  home.proposals.length
    ? html`<ul>${home.proposals.map(
        (
          p,
        ) => html`<li>${p.movedSinceLastVisit ? html`<span class="badge warn">moved since your last visit</span> ` : ''}<a href="/proposals/${p.ref}">${p.ref}: ${p.title}</a>
<span class="muted">— now <strong>${stageLabel(p.stage)}</strong> since ${when(c, p.stageChangedAt, { dateOnly: true })}; you are its ${p.why.join(' and ')}</span></li>`,
      )}</ul>${home.proposalsTotal > home.proposals.length ? html`<p class="muted">And ${home.proposalsTotal - home.proposals.length} more that have not moved lately (of ${home.proposalsTotal}; the ${home.proposals.length} that changed stage last are listed). <a href="/proposals">All proposals</a>.</p>` : ''}`
    : // one who arrives with an idea of their own is led to propose it, after the search the route asks for first
      html`<p>None yet. <a href="/search">Search</a> for proposals to support${
        communityCan(c.var.hub, { kind: 'person', person: me }).createProposal.allowed
          ? html`, or, when none covers your idea, <a href="/proposals/new">propose it</a>`
          : ''
      }.</p>`
}</section>`;

const groupsSection: HomeSection = async (c, _me, { home }) => {
  // in a new hub there is no group to pick yet: say so, and where the first one starts
  const none = !home.groups.length && !(await groupNames(c.var.hub)).length;
  // the topic areas one facilitates sit under their group, so a newly named facilitator finds theirs here
  const areas = (group: string) => home.facilitates.filter((t) => t.group === group);
  const facilitated = (group: string) =>
    areas(group).length
      ? html` · you facilitate ${areas(group).map((t, i) => html`${i ? ', ' : ''}<a href="/groups/${group}#topic-${t.slug}">${t.name}</a>`)}`
      : '';
  // a facilitator of a topic area in a group they are not a member of still finds it
  const elsewhere = [...new Set(home.facilitates.map((t) => t.group))].filter(
    (g) => !home.groups.some((x) => x.slug === g),
  );
  return html`<section aria-labelledby="h-groups"><h2 id="h-groups">Your groups</h2>
${home.groups.length || elsewhere.length ? html`<ul>${home.groups.map((g) => html`<li><a href="/groups/${g.slug}">${g.name}</a> <span class="muted">(${levelName(c.var.hub.governance, g.level)})</span>${facilitated(g.slug)}</li>`)}${elsewhere.map((g) => html`<li><a href="/groups/${g}">${areas(g)[0]?.groupName ?? g}</a>${facilitated(g)}</li>`)}</ul>${home.facilitates.length ? html`<p class="muted">As a facilitator you run your topic area's meetings as a lead does: schedule them, publish their agendas, present written input and publish the notes (<a href="/how-we-work#the-ideal-topic-facilitator">the ideal topic facilitator</a>).</p>` : ''}` : none ? html`<p>There is no group in this hub yet: <a href="/groups">Groups</a> says how the first one starts.</p>` : html`<p>You have not joined a group yet: <a href="/welcome#groups">pick one</a>.</p>`}
</section>`;
};

/** For a lead: people asking to become members of their groups (nothing when none is waiting). */
const requestsSection: HomeSection = (c, _me, needs) =>
  needs.home.membershipRequests.length
    ? html`<section aria-labelledby="h-requests"><h2 id="h-requests">Asking to become members of your groups</h2>
<ul>${needs.home.membershipRequests.map((r) => html`<li><a href="/groups/${r.group}#requests">${r.name} (@${r.handle}) asks to become a member of ${r.groupName}</a> <span class="muted">(asked ${when(c, r.requestedAt)})</span></li>`)}</ul>${leftOut(needCounts(needs)['membership-request'], 'your groups’ pages list them all')}</section>`
    : '';

/**
 * For one who may sponsor groups (core and lead maintainers by default): proposed groups whose
 * sponsorship is not met and that they have not sponsored, oldest first, each with its Sponsor button.
 */
const sponsorshipSection: HomeSection = (c, _me, needs) =>
  needs.sponsorship.listed.length
    ? html`<section aria-labelledby="h-sponsorship"><h2 id="h-sponsorship">Proposed groups waiting for sponsors</h2>
<p class="muted">A proposed group becomes active only once ${needs.sponsorship.listed[0]!.sponsorship.rule} sponsor it: sponsoring vouches for the group and its leadership. Read its charter first.</p>
<ul>${needs.sponsorship.listed.map((s) => html`<li id="sponsor-${s.slug}"><a href="/groups/${s.slug}#manage">${s.name}</a> <span class="muted">(${groupKindName(c.var.hub.governance, s.kind)}, proposed ${when(c, s.proposedAt, { dateOnly: true })}; it has ${s.sponsorship.have})</span> <form class="inline-form" method="post" action="/groups/${s.slug}/sponsor">${csrfField(c)}<button type="submit">Sponsor<span class="visually-hidden"> ${s.name}</span></button></form></li>`)}</ul>${leftOut(needCounts(needs)['sponsor-group'], html`<a href="/groups">all groups</a>`)}</section>`
    : '';

/** The home page's sections, in order. Append to add one (meetings, action items). */
export const homeSections: HomeSection[] = [
  decisionsSection,
  decidedSection,
  notesSinceSection,
  requestsSection,
  sponsorshipSection,
  proposalsSection,
  groupsSection,
];

export function homeRoutes(web: Hono<WebEnv>): void {
  web.get('/', async (c) => {
    const me = currentPerson(c);
    if (!me) return c.redirect('/welcome', 303);
    // what this home compares with was read with the session, before anything moves it: the page
    // never empties its own lists (app/home/last-visit.ts says when the next home moves on)
    const previous = c.var.session!.lastVisit;
    // the same use case as GET /api/me/needs, MCP what_needs_me and `wghub me needs`
    // a HEAD, or a browser prefetching or prerendering the page, is no look at it: the person has not seen the lists
    const looked =
      c.req.method === 'GET' &&
      !/prefetch|prerender/i.test(`${c.req.header('sec-purpose') ?? ''} ${c.req.header('purpose') ?? ''}`);
    const [needs] = await Promise.all([
      memberNeeds(c.var.hub, me, previous),
      looked ? homeViewed(c.var.hub, me.id, previous) : Promise.resolve(),
    ]);
    const missing = needs.agreements;
    const sections = await Promise.all(homeSections.map((s) => s(c, me, needs)));
    // something is listed as new since the last visit: the person may mark it seen now rather than
    // have it stay until their next visit
    const news =
      previous !== null &&
      (needs.home.proposals.some((p) => p.movedSinceLastVisit) ||
        homeSections.some((s, i) => (s === decidedSection || s === notesSinceSection) && sections[i] !== ''));
    return render(c, {
      title: 'Home',
      nav: 'home',
      body: html`<h1>What needs you, ${me.name}</h1>
<p class="muted">Times are in your time zone, ${me.time_zone} (<a href="/people/${me.handle}/edit#f-profile-timeZone">change it</a>).${previous ? html` Your last visit: ${when(c, previous)}.` : ''}</p>
${
  // one whose device keeps other hours than their record (moved, travelling) read every meeting and
  // deadline in the record's hours with nothing to say so: the page's script tells them (assets.ts)
  html`<p class="warn" id="zone-differs" data-zone="${me.time_zone}" hidden>This device keeps the time of <span data-device-zone></span>, not ${me.time_zone}: if you are there now, <a href="/people/${me.handle}/edit#f-profile-timeZone">change your time zone</a>, so meetings and deadlines here are shown in your hours.</p>`
}
${news ? html`<form class="inline-form" method="post" action="/home/seen" id="mark-seen">${csrfField(c)}<button type="submit">Mark as seen</button> <span class="muted">What is listed as new since your last visit stays until you come back after ${VISIT_GAP_MINUTES} minutes away, or until you mark it seen.</span></form>` : ''}
${missing.length ? html`<p class="error-summary">Before you can contribute, accept ${missing.map((m) => `the ${m.title}`).join(' and ')} on the <a href="/welcome">welcome page</a>.</p>` : ''}
${unmailed(me, needs)}
${invitationsHome(c, needs)}
${sections}`,
    });
  });
  // "Mark as seen": what the home listed as new since the last visit is read; the next home compares with now
  web.post('/home/seen', async (c) => {
    const me = currentPerson(c);
    if (!me) return c.redirect('/welcome', 303);
    await markHomeSeen(c.var.hub, me.id);
    flash(c, 'Marked as seen: your home lists what is new from now on.');
    return c.redirect('/', 303);
  });
}
