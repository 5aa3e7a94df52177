// Running a group from the browser: set a member's level, remove someone, sponsor and move the group, leave it,
// add and edit topic areas, propose a new group. Every form is shown only when the group's `can`
// allows it; otherwise the policy's reason is said in words. The rules are the use cases'.
import { LIMITS } from '../../../domain/limits.ts';
import { groupKindTitle, levelName, withArticle } from '../../../domain/governance/words.ts';
import { sponsorshipInWords } from '../../../domain/governance/describe.ts';
import { html } from 'hono/html';
import type { Hono } from 'hono';
import { groupsCan } from '../../../app/groups/group-can.ts';
import type { TakingPart } from '../../../app/groups/taking-part.ts';
import type { LeavingEnds } from '../../../app/groups/leaving.ts';
import {
  getGroup,
  getGroupFor,
  moveGroup,
  proposeGroup,
  setMemberLevel,
  sponsorGroup,
  type GroupView,
} from '../../../app/groups/groups.ts';
import { leaveGroup, NotAMember, removeMember } from '../../../app/groups/leave-group.ts';
import { CreateTopicAreaInput, ProposeGroupInput } from '../../../app/groups/schemas.ts';
import { createTopicArea, getTopicArea, updateTopicArea } from '../../../app/groups/topic-areas.ts';
import { goalWords, type TopicAreaView } from '../../../app/groups/topic-areas.ts';
import type { TopicAreaGoal } from '../../../domain/community.ts';
import { FACILITATOR_EXPECTATIONS } from '../../../domain/facilitation.ts';
import { Conflict, invalid, NotFound } from '../../../domain/errors.ts';
import { printable } from '../../../domain/text.ts';
import type { Can, GroupAction, Refusal, Verdict } from '../../../domain/policies/index.ts';
import { sentence } from '../../../domain/sentence.ts';
import type { WebContext, WebEnv } from '../context.ts';
import { csrfField } from '../csrf.ts';
import {
  errorSummary,
  field,
  formFields,
  formProblem,
  formVersion,
  requiredFields,
  requiredLegend,
  versionField,
  type FormProblem,
} from '../forms.ts';
import type { Html } from '../layout.ts';
import { render } from '../render.ts';
import { actorFor, currentPerson, flash } from '../session.ts';
import { postForm } from '../form-post.ts';
import { personNamed, radios, select, whyNot } from './widgets.ts';
import { proposedWaitsFor } from './group-home.ts';
import { absolute, summary, viewerZone, when } from '../format.ts';

/** Which form on the group page failed, with what was typed. */
export type GroupFailure = {
  form:
    | 'level'
    | 'remove'
    | 'move'
    | 'sponsor'
    | 'leave'
    | 'ask'
    | 'withdraw'
    | 'answer'
    | 'invitation'
    | 'withdrawInvitation';
  problem: FormProblem;
  values: Record<string, string>;
};

const handles = (s: string | undefined) =>
  (s ?? '')
    .split(/[\s,]+/)
    .map((h) => h.replace(/^@/, ''))
    .filter(Boolean);

/**
 * The "Run this group" section: what this viewer may do to the group now, and why not the rest. To
 * someone who does not run it (no levels, topic areas, charter or webhooks of theirs) it says who
 * does, and what they may do here instead (`part`, each from its policy), with links; what only
 * those who run it do stays one click away, in the policies' words.
 */
export function manageSection(
  c: WebContext,
  g: GroupView,
  can: Can<GroupAction>,
  failure: GroupFailure | null,
  part: TakingPart | null = null,
  facilitators: { handle: string; name: string }[] = [],
  /** What leaving would end for the viewer (their answers that count, topic areas, notes owed), when they may leave. */
  leaving: LeavingEnds | null = null,
): Html | '' {
  const me = currentPerson(c);
  // a visitor deciding whether to join learns who leads it here, not only far down under Members
  if (!me) return whoRuns(g, facilitators);
  const here = `/groups/${g.slug}#manage`;
  const p = (f: GroupFailure['form']) => (failure?.form === f ? failure.problem : null);
  const v = (f: GroupFailure['form']) => (failure?.form === f ? failure.values : {});
  const levels = c.var.hub.governance.membership.levels;
  const mine = g.members.find((m) => m.handle === me.handle);
  const runs = runsGroup(can);
  // forms for what this viewer may do to the group; the refusals, in the policies' words, apart
  const parts: (Html | string)[] = [];
  const refusals: (Html | string)[] = [];
  const notTheirs: Refusal[] = [];
  const refuse = (heading: string, v: Verdict) => {
    if (v.allowed) return;
    refusals.push(html`<h3>${heading}</h3>${whyNot(c, v, here)}`);
    notTheirs.push(v);
  };
  if (can.setMemberLevel.allowed)
    parts.push(html`<form method="post" action="/groups/${g.slug}/members/level">${csrfField(c)}
<h3>Set a member's level</h3>
${field({ name: 'handle', label: 'Person (handle)', form: 'level', problem: p('level'), value: v('level').handle, hint: "Anyone in the hub. A member's level changes at once; someone not yet in the group is invited at this level, and is in it only once they accept." })}
${select({ name: 'level', label: 'Level', form: 'level', problem: p('level'), value: v('level').level ?? 'member', options: levels.map((l) => ({ value: l, label: levelName(c.var.hub.governance, l) })) })}
${field({ name: 'message', label: 'A message with an invitation (optional)', type: 'textarea', rows: 2, form: 'level', problem: p('level'), value: v('level').message, hint: 'Only for someone not yet in the group: they read it with the invitation.' })}
${field({ name: 'expiresInDays', label: 'Days the invitation stays open (optional)', form: 'level', problem: p('level'), value: v('level').expiresInDays, hint: `Only for an invitation: 1 to ${LIMITS.invitationDays}; ${LIMITS.invitationDefaultDays} when left empty.` })}
<button type="submit">Set the level</button></form>`);
  else if (mine) refuse("Members' levels", can.setMemberLevel);
  // one added by mistake (a mistyped handle) or who asked to be taken off: someone else in the group
  const others = g.members.filter((m) => m.handle !== me.handle);
  if (can.setMemberLevel.allowed && others.length)
    parts.push(html`<form method="post" action="/groups/${g.slug}/members/remove">${csrfField(c)}
<h3>Remove someone from the group</h3>
${select({ name: 'handle', label: 'Person', form: 'remove', problem: p('remove'), value: v('remove').handle, empty: 'Choose who', hint: "Ends their membership, and with it facilitating the group's topic areas and hearing of its news; they are told who removed them. What they wrote stays, and they may join again.", options: others.map((m) => ({ value: m.handle, label: `${m.name} (@${m.handle}), ${levelName(c.var.hub.governance, m.level)}${m.emeritus ? ', emeritus' : ''}` })) })}
<button type="submit" class="secondary">Remove from the group</button></form>`);
  if (can.addTopicArea.allowed)
    parts.push(html`<p><a class="button secondary" href="/groups/${g.slug}/topics/new">Add a topic area</a></p>`);
  if (can.manageWebhooks.allowed)
    parts.push(
      html`<p><a class="button secondary" href="/groups/${g.slug}/webhooks">Chat webhooks</a> (Discord, Slack or signed JSON)</p>`,
    );
  if (can.sponsor.allowed)
    parts.push(html`<form method="post" action="/groups/${g.slug}/sponsor">${csrfField(c)}<h3>Sponsorship</h3>
<p>Sponsoring vouches for the group and its leadership (${sponsorshipInWords(c.var.hub.governance)}).</p>
<button type="submit">Sponsor ${g.name}</button></form>`);
  else if (g.status === 'proposed') refuse('Sponsorship', can.sponsor);
  if (g.allowedMoves.length && can.move.allowed)
    parts.push(html`<form id="move-group" method="post" action="/groups/${g.slug}/move">${csrfField(c)}
${radios({ name: 'to', label: `Move the group from ${g.status} to`, form: 'move', problem: p('move'), value: v('move').to, options: g.allowedMoves.map((m) => ({ value: m.to, label: `${m.to} (by ${m.by}${m.needsSponsorship ? ', once sponsored' : ''}${m.needsLead ? ', once a lead has accepted' : ''}${m.openDecisions.length ? `, once ${m.openDecisions.join(', ')} ${m.openDecisions.length === 1 ? 'is' : 'are'} withdrawn or closed` : ''})` })) })}
<button type="submit">Move the group</button></form>`);
  else if (g.allowedMoves.length) refuse('Status', can.move);
  const leave = mine
    ? can.leave.allowed
      ? html`<form method="post" action="/groups/${g.slug}/leave">${csrfField(c)}<h3>Leave</h3>
<p>You are ${withArticle(levelName(c.var.hub.governance, mine.level))} of ${g.name}. Leaving ends your membership${mine.level === 'lead' ? ' and your leadership' : ''}, and with it what you chose to hear of the group and its topic areas (watching or muted): you then hear only of what is about you, such as your proposals and mentions. What you wrote stays, and so do your choices on single proposals and decisions.</p>
${leavingEnds(g, leaving)}
<button type="submit" class="secondary">Leave ${g.name}</button></form>`
      : html`<h3>Leave</h3>${whyNot(c, can.leave, here)}`
    : '';
  // asking and answering requests show their errors beside their own forms; an answer refused
  // because the request is gone from the list (another lead answered first) is said up here
  const beside =
    failure?.form === 'ask' ||
    failure?.form === 'invitation' ||
    failure?.form === 'withdrawInvitation' ||
    (failure?.form === 'answer' && failure.problem.status === 422);
  const errors = failure && !beside ? errorSummary(failure.problem, failure.form) : '';
  if (runs || !part) {
    const all = [...parts, ...refusals, leave].filter(Boolean);
    if (!all.length) return '';
    return html`<section aria-labelledby="manage"><h2 id="manage">Run this group</h2>
${errors}
${all}</section>`;
  }
  // one who does not run it reads what they can do; what they cannot is one line saying who may
  const notYours = [...new Set(notTheirs.filter((v) => !v.remedy).map((v) => sentence(v.reason)))];
  return html`<section aria-labelledby="manage"><h2 id="manage">Taking part</h2>
${errors}
${whoRuns(g, facilitators)}
${takePart(c, g, part, mine?.emeritus === false ? mine.level : null, can.join.allowed ? null : can.join.reason)}
${parts}
${leave}
${notYours.length ? html`<p class="muted" id="not-yours">Not yours to do here: ${notYours.join(' ')} <a href="/how-we-work#who-may-do-what">Who may do what</a>.</p>` : ''}</section>`;
}

const answerWords = { consent: 'consent', concern: 'concern', block: 'block', vote: 'vote' } as const;

/**
 * What leaving ends for this person beyond their membership, each by name: an answer that counts on an
 * open decision (a standing block stops holding it up), a topic area they facilitate, notes they owe.
 */
function leavingEnds(g: GroupView, leaving: LeavingEnds | null): Html | '' {
  if (!leaving) return '';
  const items = [
    ...leaving.answers.map(
      (a) =>
        html`<li>Your ${answerWords[a.answer]} on <a href="/decisions/${a.ref}">${a.ref}: ${summary(a.question, 120)}</a> stops counting: it stays on the decision, shown but not counted${a.answer === 'block' ? ', and no longer holds it up' : ''}.</li>`,
    ),
    ...leaving.facilitates.map(
      (t) =>
        html`<li>You stop facilitating <a href="/groups/${g.slug}#topic-${t.slug}">${summary(t.name, 120)}</a>.</li>`,
    ),
    ...leaving.notes.map(
      (m) =>
        html`<li>You are no longer the note-taker of <a href="/meetings/${m.ref}">${m.ref}: ${summary(m.title, 120)}</a>: its notes fall to its organiser and the group's leads.</li>`,
    ),
  ];
  return items.length
    ? html`<p id="leaving-ends">Leaving also ends, at once:</p><ul aria-labelledby="leaving-ends">${items}</ul>`
    : '';
}

/** Whether the viewer runs the group: their `can` allows a level, a topic area, the charter or a webhook. */
export function runsGroup(can: Can<GroupAction>): boolean {
  return [can.setMemberLevel, can.addTopicArea, can.manageWebhooks, can.editCharter].some((x) => x.allowed);
}

const article = (word: string) => (/^[aeiou]/.test(word) ? 'an' : 'a');

/** Who runs the group, by name: its leads, with those who facilitate its topic areas. */
function whoRuns(g: GroupView, facilitators: { handle: string; name: string }[]): Html {
  const leads = g.members.filter((m) => m.level === 'lead' && !m.emeritus);
  const others = [
    ...new Map(
      facilitators.filter((f) => !leads.some((l) => l.handle === f.handle)).map((f) => [f.handle, f]),
    ).values(),
  ];
  const names = (people: { handle: string; name: string }[]) =>
    people.map((x, i) => html`${i ? (i === people.length - 1 ? ' and ' : ', ') : ''}${personNamed(x.handle, x.name)}`);
  const withOthers = others.length
    ? html`, with ${names(others)}, who facilitate${others.length === 1 ? 's' : ''} its topic areas`
    : '';
  return leads.length
    ? html`<p>${names(leads)}, its lead${leads.length === 1 ? '' : 's'}, run${leads.length === 1 ? 's' : ''} this group${withOthers}.</p>`
    : html`<p>It has no lead yet${others.length ? html`; ${names(others)} facilitate${others.length === 1 ? 's' : ''} its topic areas` : ''}.</p>`;
}

/** What the viewer may do here instead, each only when its policy allows it, with a link to where it is done. */
function takePart(c: WebContext, g: GroupView, t: TakingPart, level: string | null, joinRefused: string | null): Html {
  const meeting = (m: TakingPart['meetings'][number]) =>
    html`<a href="/meetings/${m.ref}#agenda">${m.ref}: ${m.title}</a>, ${when(c, m.startsAt)}`;
  const items = [
    t.propose.allowed ? html`<li><a href="/proposals/new?group=${g.slug}">Propose something in ${g.name}</a></li>` : '',
    t.openDecision.allowed
      ? html`<li><a href="/decisions/new?group=${g.slug}">Open a decision in ${g.name}</a></li>`
      : '',
    t.scheduleMeeting.allowed ? html`<li><a href="/meetings/new?group=${g.slug}">Schedule a meeting</a></li>` : '',
    // a topic area's facilitator schedules its meetings, though not the whole group's
    ...t.topicMeetings.map(
      (x) =>
        html`<li><a href="/meetings/new?group=${g.slug}&amp;topic=${x.slug}">Schedule a meeting of ${x.name}</a>, the topic area you facilitate</li>`,
    ),
    ...t.meetings.map((m) =>
      m.addAgendaItem.allowed
        ? html`<li>Add an item to the agenda${m.writtenInput.allowed ? ', or send written input if you cannot attend' : ''}: ${meeting(m)}</li>`
        : m.writtenInput.allowed
          ? html`<li>Send written input if you cannot attend: ${meeting(m)}</li>`
          : '',
    ),
    ...t.toAnswer.map(
      (d) =>
        // when() reads "in 6 days, Fri 11 Dec…": "open until" before it read "open until in 6 days"
        html`<li>Answer <a href="/decisions/${d.ref}">${d.ref}: ${d.question}</a>, closes ${when(c, d.deadline)}</li>`,
    ),
  ].filter(Boolean);
  const as = level ? ` as ${article(level)} ${level}` : '';
  return items.length
    ? html`<p>What you can do here${as}:</p><ul>${items}</ul>`
    : // the same refusal (accept the agreements first) is said beside "Join" already: not twice
      !t.propose.allowed && t.propose.reason === joinRefused
      ? html`<p>Nothing here is yours to do yet${as}: see above.</p>`
      : html`<p>Nothing here is yours to do yet${as}.</p>${whyNot(c, t.propose, `/groups/${g.slug}#manage`, 'propose something')}`;
}

/** What the topic area and new group forms cannot do without, read from the use cases' schemas (marked on the form). */
const TOPIC_AREA = requiredFields(CreateTopicAreaInput);
const PROPOSE_GROUP = requiredFields(ProposeGroupInput);

type TopicValues = Record<string, string>;

async function topicPage(
  c: WebContext,
  slug: string,
  topic: string | null,
  problem: FormProblem | null = null,
  values: TopicValues = {},
  stale = false,
): Promise<Response> {
  const actor = actorFor(c);
  const current = topic ? await getTopicArea(c.var.hub, slug, topic, actor) : null;
  if (current && !current.can.edit.allowed) {
    return render(c, {
      title: `Edit ${current.name}`,
      nav: 'groups',
      status: 403,
      body: html`<h1>Edit ${current.name}</h1>${whyNot(c, current.can.edit, c.req.path)}<p><a href="/groups/${slug}#topics">Back to the group</a></p>`,
    });
  }
  if (!current) {
    // the form is offered only to whoever may add one, as the group page's link is: the crawl of
    // forms found it shown to a core maintainer whose every send was then refused
    const g = await getGroupFor(c.var.hub, slug, actor);
    if (!g.can.addTopicArea.allowed)
      return render(c, {
        title: 'Add a topic area',
        nav: 'groups',
        status: 403,
        body: html`<h1>Add a topic area</h1>${whyNot(c, g.can.addTopicArea, c.req.path)}<p><a href="/groups/${slug}#topics">Back to the group</a></p>`,
      });
  }
  const val = (k: string, now?: string | null) => values[k] ?? now ?? '';
  const title = current ? `Edit the topic area ${current.name}` : 'Add a topic area';
  const action = current ? `/groups/${slug}/topics/${current.slug}/edit` : `/groups/${slug}/topics/new`;
  return render(c, {
    title,
    nav: 'groups',
    status: problem?.status,
    body: html`<nav aria-label="Breadcrumb"><p class="muted"><a href="/groups/${slug}">${(await getGroup(c.var.hub, slug)).name}</a> › <a href="/groups/${slug}#topics">Topic areas</a></p></nav><h1>${title}</h1>
${errorSummary(problem)}
${stale && current ? storedNow(current, values, c.var.hub.governance.community.protocol) : ''}
<form method="post" action="${action}">${csrfField(c)}${current ? versionField(Number(values.version ?? current.version)) : ''}
${requiredLegend()}
${current ? '' : field({ name: 'slug', label: 'Short name', required: TOPIC_AREA, value: values.slug, problem, hint: 'Lower case and hyphens, e.g. horizontal-scaling; it appears in links.' })}
${field({ name: 'name', label: 'Name', required: TOPIC_AREA, value: val('name', current?.name), problem })}
${radios({ name: 'goal', label: 'What will it produce?', required: TOPIC_AREA, value: val('goal', current?.goal), problem, options: Object.entries(goalWords(c.var.hub.governance.community.protocol)).map(([value, label]) => ({ value, label: `To ${label}` })) })}
${field({ name: 'description', label: 'Description (markdown)', type: 'textarea', rows: 5, value: val('description', current?.description), problem })}
${field({ name: 'cadence', label: 'How often it meets (optional)', value: val('cadence', current?.cadence), problem, hint: 'In words, e.g. "every two weeks".' })}
${field({ name: 'facilitators', label: 'Facilitators (handles)', required: TOPIC_AREA, value: val('facilitators', current?.facilitators.map((f) => f.handle).join(' ')), problem, hint: current && !current.can.chooseFacilitators.allowed ? facilitatorHint(current, actor.person.handle) : `Separated by spaces or commas; each holds at least the ${c.var.hub.governance.groups.leadMinimumRole} role on the contributor ladder. Facilitators run the topic area's meetings as a lead does.` })}
<div class="muted" id="ideal-facilitator"><p>The ideal topic facilitator:</p><ul>${FACILITATOR_EXPECTATIONS.map((e) => html`<li>${e}</li>`)}</ul></div>
<p><button type="submit">${current ? 'Save the topic area' : 'Add the topic area'}</button> <a href="/groups/${slug}#topics">Cancel</a></p></form>`,
  });
}

/** The facilitators field's hint for one who may not choose them: how to step down (a topic area keeps at least one facilitator). */
function facilitatorHint(t: TopicAreaView, me: string): string {
  const only = t.facilitators.length === 1 && t.facilitators[0]!.handle.toLowerCase() === me.toLowerCase();
  return only
    ? `The group's leads choose who facilitates it. You are its only facilitator and a topic area keeps at least one: to step down, ask the leads to name another, then take your handle (${me}) off the list and save. Adding or removing anyone else is for the leads.`
    : `The group's leads choose who facilitates it. To step down, take your handle (${me}) off the list and save: you then no longer edit this topic area or run its meetings. Adding or removing anyone else is for the leads.`;
}

/**
 * After a stale save: what the topic area holds now where it differs from the form, so the
 * person merges the two rather than saving over a change they never saw.
 */
function storedNow(t: TopicAreaView, typed: TopicValues, protocol: string): Html {
  const norm = (x: string | null | undefined) => (x ?? '').trim().replace(/\r\n/g, '\n');
  const rows: [string, string, string][] = [
    ['Name', t.name, typed.name ?? ''],
    [
      'What will it produce?',
      `To ${t.goalDescription}`,
      typed.goal ? `To ${goalWords(protocol)[typed.goal as TopicAreaGoal] ?? typed.goal}` : '',
    ],
    ['Description', t.description, typed.description ?? ''],
    ['How often it meets', t.cadence ?? '', typed.cadence ?? ''],
    ['Facilitators', t.facilitators.map((f) => f.handle).join(' '), handles(typed.facilitators).join(' ')],
  ];
  const changed = rows.filter(([, now, mine]) => norm(now) !== norm(mine));
  return html`<section aria-labelledby="stored-now"><h2 id="stored-now">The topic area as it is now</h2>
<p>Someone saved this topic area while you were editing. ${changed.length ? 'Where it differs from your form, it now reads as below' : 'It now holds what your form holds'}; your changes are kept in the form. Merge the two, then save again: saving replaces what is stored with the form.</p>
${changed.length ? html`<dl>${changed.map(([label, now]) => html`<dt>${label}</dt><dd>${now ? html`<pre class="revision">${now}</pre>` : html`<span class="muted">(empty)</span>`}</dd>`)}</dl>` : ''}</section>`;
}

async function proposePage(c: WebContext, problem: FormProblem | null = null, v: Record<string, string> = {}) {
  const me = actorFor(c);
  const can = groupsCan(c.var.hub, me);
  const body = can.propose.allowed
    ? html`${errorSummary(problem)}
<p>A new group starts as proposed, with a charter written from the template. It becomes active once ${sponsorshipInWords(c.var.hub.governance)} sponsor it.</p>
<form method="post" action="/groups/new">${csrfField(c)}
${requiredLegend()}
${field({ name: 'name', label: 'Name', required: PROPOSE_GROUP, value: v.name, problem })}
${field({ name: 'slug', label: 'Short name', required: PROPOSE_GROUP, value: v.slug, problem, hint: 'Lower case and hyphens, e.g. hosting; it appears in links.' })}
${radios({
  name: 'kind',
  label: 'Kind of group',
  required: PROPOSE_GROUP,
  value: v.kind ?? 'working',
  problem,
  options: [
    {
      value: 'working',
      label: `${groupKindTitle(c.var.hub.governance, 'working')}: produces specification changes or shared patterns`,
    },
    {
      value: 'interest',
      label: `${groupKindTitle(c.var.hub.governance, 'interest')}: shares experience and finds problems`,
    },
  ],
})}
${field({ name: 'mission', label: 'Mission', required: PROPOSE_GROUP, type: 'textarea', rows: 4, value: v.mission, problem, hint: `What problem space the group addresses, in a sentence or more (at least ${LIMITS.missionAtLeast} characters).` })}
${field({ name: 'scopeIn', label: 'In scope (one per line)', required: PROPOSE_GROUP, type: 'textarea', rows: 4, value: v.scopeIn, problem })}
${field({ name: 'scopeOut', label: 'Out of scope (one per line, optional)', type: 'textarea', rows: 3, value: v.scopeOut, problem })}
${field({ name: 'leads', label: 'Leads (handles)', required: PROPOSE_GROUP, value: v.leads ?? me.person.handle, problem, hint: `Separated by spaces or commas; each holds at least the ${c.var.hub.governance.groups.leadMinimumRole} role on the contributor ladder. You lead at once if you name yourself; anyone else named is invited as a lead and leads once they accept.` })}
<p><button type="submit">Propose the group</button></p></form>`
    : html`${whyNot(c, can.propose, '/groups/new')}${can.propose.allowed || can.propose.remedy ? '' : html`<p>What you can do instead: most work starts as a topic area inside an existing group, where its members shape how it runs. Bring your idea to one of the <a href="/groups">groups</a> (a comment, or an item on its next meeting's agenda) and ask its leads to add the topic area, or a member to propose the group.</p>`}`;
  return render(c, {
    title: 'Propose a group',
    nav: 'groups',
    status: problem?.status ?? (can.propose.allowed ? 200 : 403),
    body: html`<nav aria-label="Breadcrumb"><p class="muted"><a href="/groups">Groups</a> › Propose</p></nav><h1>Propose a group</h1>${body}`,
  });
}

const lines = (s: string | undefined) =>
  (s ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/**
 * The level form names its person in a field: nobody typed, or nobody by that handle, is a problem
 * with that field (REST names the person in its path, where one not found is a 404).
 */
async function setLevelFromForm(c: WebContext, f: Record<string, string>) {
  const handle = (f.handle ?? '').replace(/^@/, '').trim();
  if (!handle) throw invalid('handle', 'is required: the handle of the person whose level to set');
  try {
    return await setMemberLevel(c.var.hub, actorFor(c), c.req.param('slug')!, handle, {
      level: f.level,
      // a message and an expiry go with an invitation: sent only when filled in
      ...(f.message?.trim() ? { message: f.message } : {}),
      ...(f.expiresInDays?.trim() ? { expiresInDays: f.expiresInDays.trim() } : {}),
    });
  } catch (e) {
    if (e instanceof NotFound && e.details.what === 'person')
      throw invalid(
        'handle',
        `nobody here has the handle '${printable(handle)}': check its spelling on the People page, or ask them to sign in once, which makes them a person here`,
      );
    throw e;
  }
}

/**
 * The removal form names its person in a choice: none chosen, nobody by that handle, or one no longer
 * in the group, is a problem with that field (REST names the member in its path, where each is a 404).
 */
async function removeFromForm(c: WebContext, f: Record<string, string>) {
  const handle = (f.handle ?? '').replace(/^@/, '').trim();
  if (!handle) throw invalid('handle', 'is required: choose whom to remove');
  try {
    return await removeMember(c.var.hub, actorFor(c), c.req.param('slug')!, handle);
  } catch (e) {
    if (e instanceof NotFound && e.details.what === 'person')
      throw invalid('handle', `nobody here has the handle '${printable(handle)}'`);
    if (e instanceof NotAMember) throw invalid('handle', `${printable(handle)} is not in the group`);
    throw e;
  }
}

/** `show` re-renders the group page with a failed form. */
export function groupAdminRoutes(
  web: Hono<WebEnv>,
  show: (c: WebContext, slug: string, failure: GroupFailure) => Promise<Response>,
): void {
  const act =
    (
      form: GroupFailure['form'],
      run: (c: WebContext, f: Record<string, string>) => Promise<unknown>,
      done: (f: Record<string, string>, result: unknown, c: WebContext) => string,
      section = 'members',
    ) =>
    (c: WebContext) => {
      const slug = c.req.param('slug')!;
      return postForm(c, {
        page: `/groups/${slug}`,
        run: (values) => run(c, values),
        failed: (problem, values) => show(c, slug, { form, problem, values }),
        done: (f, result) => done(f, result, c),
        next: `/groups/${slug}#${section}`,
      });
    };
  web.get('/groups/new', (c) => proposePage(c));
  web.post('/groups/new', async (c) => {
    const f = formFields(await c.req.parseBody());
    let group: GroupView;
    try {
      group = await proposeGroup(c.var.hub, actorFor(c), {
        name: f.name ?? '',
        slug: (f.slug ?? '').trim(),
        kind: f.kind,
        mission: f.mission ?? '',
        scopeIn: lines(f.scopeIn),
        scopeOut: lines(f.scopeOut),
        leads: handles(f.leads),
      });
    } catch (e) {
      return proposePage(c, formProblem(e, viewerZone(c), c.var.hub.governance), f);
    }
    // what it waits for, each in words: its sponsors, and a lead when the proposer named only others
    const lead = proposedWaitsFor(group, c.var.hub.governance).find((w) => w.startsWith('a lead'));
    flash(
      c,
      lead
        ? `The group is proposed. It becomes active once it is sponsored and has ${lead}. Its page lists who may sponsor it.`
        : 'The group is proposed. It becomes active once it is sponsored: its page lists who may sponsor it.',
    );
    return c.redirect(`/groups/${group.slug}`, 303);
  });
  web.post(
    '/groups/:slug/members/level',
    act(
      'level',
      (c, f) => setLevelFromForm(c, f),
      (f, result, c) => {
        const level = withArticle(levelName(c.var.hub.governance, f.level ?? ''));
        const invitation = (result as Awaited<ReturnType<typeof setLevelFromForm>>).invitation;
        return invitation
          ? `${invitation.name} (@${invitation.handle}) is not in the group: they are invited as ${level}, until ${absolute(new Date(invitation.expiresAt), viewerZone(c))} (${viewerZone(c)}), and are told. They are in the group once they accept.`
          : `${f.handle} is now ${level}.`;
      },
    ),
  );
  web.post(
    '/groups/:slug/members/remove',
    act(
      'remove',
      (c, f) => removeFromForm(c, f),
      (f) => `${f.handle} is no longer in the group, and is told so.`,
    ),
  );
  web.post(
    '/groups/:slug/sponsor',
    act(
      'sponsor',
      (c) => sponsorGroup(c.var.hub, actorFor(c), c.req.param('slug')!),
      // a proposed group whose sponsorship this completes waits for its move, or first for a lead: say which
      (_f, g, c) => {
        const view = g as GroupView;
        if (view.status !== 'proposed' || !view.sponsorship.met) return 'You sponsor the group.';
        const waits = proposedWaitsFor(view, c.var.hub.governance);
        return waits.length
          ? `You sponsor the group. Its sponsorship is met; it may move to active once it has ${waits.join(', and ')}.`
          : 'You sponsor the group. Its sponsorship is met: it may now move to active (“Move the group” below).';
      },
      'manage',
    ),
  );
  web.post(
    '/groups/:slug/move',
    act(
      'move',
      (c, f) => moveGroup(c.var.hub, actorFor(c), c.req.param('slug')!, { to: f.to }),
      (f) => `The group is now ${f.to}.`,
    ),
  );
  web.post(
    '/groups/:slug/leave',
    act(
      'leave',
      (c) => leaveGroup(c.var.hub, actorFor(c), c.req.param('slug')!),
      () =>
        'You have left the group. You no longer watch it or its topic areas: its news stops, except what is about you (your proposals, mentions). Joining again starts from the defaults.',
    ),
  );
  web.get('/groups/:slug/topics/new', async (c) => {
    const slug = c.req.param('slug');
    return topicPage(c, slug, null);
  });
  web.post('/groups/:slug/topics/new', async (c) => {
    const slug = c.req.param('slug');
    const f = formFields(await c.req.parseBody());
    let topic: string;
    try {
      topic = (
        await createTopicArea(c.var.hub, actorFor(c), slug, {
          slug: (f.slug ?? '').trim(),
          name: f.name ?? '',
          goal: f.goal,
          description: f.description ?? '',
          ...(f.cadence?.trim() ? { cadence: f.cadence.trim() } : {}),
          facilitators: handles(f.facilitators),
        })
      ).name;
    } catch (e) {
      return topicPage(c, slug, null, formProblem(e, viewerZone(c), c.var.hub.governance), f);
    }
    flash(c, `The topic area “${topic}” is added.`);
    return c.redirect(`/groups/${slug}#topics`, 303);
  });
  web.get('/groups/:slug/topics/:topic/edit', (c) => topicPage(c, c.req.param('slug'), c.req.param('topic')));
  web.post('/groups/:slug/topics/:topic/edit', async (c) => {
    const slug = c.req.param('slug');
    const topic = c.req.param('topic');
    const f = formFields(await c.req.parseBody());
    const actor = actorFor(c);
    const me = actor.person.handle;
    let steppedDown = false;
    try {
      // one who facilitated it and whose save takes them off the list is told they stepped down
      const before = await getTopicArea(c.var.hub, slug, topic, actor);
      // handles are one person's whatever their case: "Priya" kept on the list is still her
      const mine = (h: string) => h.toLowerCase() === me.toLowerCase();
      steppedDown = before.facilitators.some((x) => mine(x.handle)) && !handles(f.facilitators).some(mine);
      await updateTopicArea(c.var.hub, actor, slug, topic, formVersion(f), {
        name: f.name ?? '',
        goal: f.goal,
        description: f.description ?? '',
        cadence: f.cadence?.trim() ? f.cadence.trim() : null,
        facilitators: handles(f.facilitators),
      });
    } catch (e) {
      // a stale form shows the topic as it is now, with what was typed kept in the fields
      const p = formProblem(e, viewerZone(c), c.var.hub.governance);
      if (e instanceof Conflict) {
        const { version: _stale, ...typed } = f;
        return topicPage(c, slug, topic, p, typed, true);
      }
      return topicPage(c, slug, topic, p, f);
    }
    flash(
      c,
      steppedDown
        ? "The topic area is saved. You stepped down: you no longer facilitate it, and its meetings are run by its other facilitators and the group's leads."
        : 'The topic area is saved.',
    );
    return c.redirect(`/groups/${slug}#topics`, 303);
  });
}
