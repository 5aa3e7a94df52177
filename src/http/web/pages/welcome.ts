// The newcomer's first visit: how the community works, the groups and topic areas with what each
// is for, and three steps: accept the Code of Conduct and contribution terms, join a group, start.
import type { Governance } from '../../../domain/governance/schema.ts';
import {
  groupKindTitle,
  inCommunityWords,
  levelName,
  levelsNamed,
  withArticle,
} from '../../../domain/governance/words.ts';
import { html, raw } from 'hono/html';
import { joinLevels, joinVerdicts } from '../../../app/groups/group-can.ts';
import { openToEveryone, type Verdict, whoMay } from '../../../domain/policies/index.ts';
import { WORDING } from '../../../domain/policies/wording.ts';
import { whyNot } from './widgets.ts';
import { invitationCard } from './invitations.ts';
import { openInvitationsOf, type InvitationView } from '../../../app/groups/invitations.ts';
import { LIMITS } from '../../../domain/limits.ts';
import type { Hono } from 'hono';
import { groupDirectory, groupName } from '../../../app/groups/group-directory.ts';
import { getGroup, joinGroup, groupsOf } from '../../../app/groups/groups.ts';
import { acceptAgreements } from '../../../app/people/people.ts';
import { Forbidden, InvalidInput, type FieldIssue } from '../../../domain/errors.ts';
import { alreadyAsAskedIn } from '../form-post.ts';
import { renderMarkdown } from '../../../domain/markdown.ts';
import { contributionSteps, firstSteps, type Step } from '../../../domain/governance/getting-started.ts';
import { missingAgreements } from '../../../domain/people.ts';
import { howTheCommunityWorks } from '../content/how-the-community-works.ts';
import type { WebContext, WebEnv } from '../context.ts';
import { csrfField } from '../csrf.ts';
import { errorSummary, fieldId, formFields, formProblem, issueFor, type FormProblem } from '../forms.ts';
import { absolute, summary, viewerZone } from '../format.ts';
import { openDecisionsOnJoining } from '../../../app/decisions/decisions.ts';
import { openOnJoiningWords } from '../../../domain/decisions/informed.ts';
import type { Html } from '../layout.ts';
import { render } from '../render.ts';
import { actorFor, currentPerson, flash, safeNext } from '../session.ts';

/**
 * The welcome page's "How the community works", in the community's words (its protocol, and its name
 * for a working group: "Special interest groups and topic areas"), rendered once per governance file.
 */
const howRendered = new WeakMap<Governance, string>();
function how(g: Governance): string {
  let done = howRendered.get(g);
  if (done === undefined) {
    done = renderMarkdown(
      inCommunityWords(howTheCommunityWorks(g.community.protocol, g.decisions.weighting.organisationCap), g),
    );
    howRendered.set(g, done);
  }
  return done;
}

/** Groups with their topic areas, for the welcome page and the groups list. */
export async function groupsWithTopics(c: WebContext) {
  const hub = c.var.hub;
  // cached until the next write anywhere (the event-log head moves)
  return hub.reads.get(hub, 'web:groups-with-topics', async () => ({ value: await groupDirectory(hub) }));
}

/** A group's join control on the welcome page, from its `can.join`: the form, or why not with the step that fixes it. */
function joinForm(c: WebContext, gr: { slug: string; name: string }, join: Verdict) {
  if (!join.allowed)
    return join.remedy === 'accept-agreements'
      ? html`<p class="why-not">${join.reason} to join ${gr.name}: <a href="#steps">see your first steps</a>.</p>`
      : whyNot(c, join, '/welcome');
  return html`<form method="post" action="/groups/${gr.slug}/join">${csrfField(c)}<input type="hidden" name="next" value="/welcome">
<label for="level-${gr.slug}">Join ${gr.name} as</label>
<select id="level-${gr.slug}" name="level">${joinLevels(c.var.hub, join).map((l) => html`<option value="${l}"${l === 'participant' ? ' selected' : ''}>${levelName(c.var.hub.governance, l)}</option>`)}</select>
<button type="submit" aria-label="Join ${gr.name}">Join</button></form>`;
}

/** What the levels one may join at mean for the newcomer choosing one, and how the counted levels are reached. */
const JOINABLE: Record<string, string> = {
  observer:
    'you follow the group from its pages; you are not told of its decisions and meetings (unless you choose to watch it), only when someone mentions you or replies to you.',
  participant:
    'you are told when the group opens a decision or lists a meeting, and of its agendas and notes, so you can answer in time or send written input before a meeting you cannot attend.',
};

/**
 * Who may answer a group's decisions and send written input to its meetings, from the governance file's
 * decision.respond and meeting.writtenInput rules (a file may narrow either), with the agreements first.
 */
function whoAnswers(g: Governance): string {
  const doings = [
    // `narrowly`: the doing as a narrowed rule says it, of groups in general (WORDING's is of one decision
    // or meeting in view: "respond to this decision")
    {
      name: 'decision.respond' as const,
      words: "answer any group's decisions",
      narrowly: "answer a group's decisions",
    },
    {
      name: 'meeting.writtenInput' as const,
      words:
        'send written input to any of its meetings you cannot attend (its facilitators present it, a courtesy open to all)',
      narrowly: 'send written input',
    },
  ];
  const open = doings.filter((d) => openToEveryone(g, d.name));
  const narrowed = doings.filter((d) => !openToEveryone(g, d.name));
  // both are contributing: the agreements come first (checkPermission's contributes)
  const first = `${open.length + narrowed.length > 1 ? 'Both need' : 'It needs'} the ${g.agreements.codeOfConduct.title} and the contribution terms accepted first.`;
  const said = [
    open.length
      ? `Whatever your level, or none, once signed in you may ${open.map((d) => d.words).join(' and ')}.`
      : '',
    ...narrowed.map((d) => `Only ${whoMay(g, g.permissions[d.name], WORDING[d.name])} may ${d.narrowly}.`),
    first,
  ];
  return said.filter(Boolean).join(' ');
}

function levelsInWords(c: WebContext): Html {
  const g = c.var.hub.governance;
  const counted = g.decisions.eligibleLevels;
  const joinable = g.membership.selfServiceLevels.filter((l) => JOINABLE[l]);
  return html`<ul>${joinable.map((l) => html`<li><strong>${levelName(g, l)}</strong>: ${JOINABLE[l]}</li>`)}</ul>
<p>${whoAnswers(g)} Only the answers of a group's ${levelsNamed(g, counted, 'and', true)} count in its decisions; others' answers are shown as advisory. ${counted.some((l) => !g.membership.selfServiceLevels.includes(l)) ? "Those levels are granted by the group's leads: take part for a while, then ask a lead (each group's page names them)." : ''}</p>`;
}

/** A getting-started step, its link (from the governance file's `gettingStarted`) as a link. */
const stepHtml = (s: Step): Html =>
  html`<li>${s.before}${s.link === undefined ? '' : typeof s.link === 'string' ? s.link : html`<a href="${s.link.url}">${s.link.title}</a>`}${s.after}</li>`;

/**
 * Whether an invitation's Accept leads anywhere for its person: it may be accepted, or will be once they
 * accept the agreements. One that cannot be (its inviter lost the say; the only remedy is to decline it)
 * does not stand in for the group's Join form, nor is the newcomer told to accept it.
 */
const acceptable = (i: InvitationView): boolean => i.can.accept.allowed || i.can.accept.remedy === 'accept-agreements';

/** How many invitations the flash after the agreements names by group (a cookie over 4 KB is dropped unsaid). */
const FLASH_NAMES = 3;

/**
 * The person's open invitations as the welcome page shows them, bounded as the home page is
 * (LIMITS.needsPerKind), each by its group's slug; `named`: those the page leads to, acceptable ones
 * whose group has a card on the page (the directory lists at most 100 groups).
 */
async function invitationsOnCards(c: WebContext, shown: ReadonlySet<string>) {
  const me = currentPerson(c);
  const open = me ? (await openInvitationsOf(c.var.hub, me, LIMITS.needsPerKind)).items : [];
  const bySlug = new Map<string, InvitationView>(open.filter((i) => shown.has(i.group)).map((i) => [i.group, i]));
  return { bySlug, named: [...bySlug.values()].filter(acceptable) };
}

/** The page a newcomer was on their way to when they signed in for the first time ('/' for none). */
const onTheirWay = (c: WebContext, sent?: string) => safeNext(sent ?? c.req.query('next'));

async function welcomePage(
  c: WebContext,
  problem: FormProblem | null = null,
  sentNext?: string,
  sent: Record<string, string | undefined> = {},
) {
  const me = currentPerson(c);
  const next = onTheirWay(c, sentNext);
  const g = c.var.hub.governance.agreements;
  const missing = me
    ? missingAgreements(c.var.hub.governance, { cocVersion: me.coc_version, termsVersion: me.terms_version })
    : null;
  const accepted = missing !== null && missing.length === 0;
  const groups = await groupsWithTopics(c);
  const memberOf = new Map(me ? (await groupsOf(c.var.hub, me.handle)).map((g) => [g.slug, g.level] as const) : []);
  // each group's join control is its `can.join` for this person: the form when they may, else why not
  const joins = await joinVerdicts(c.var.hub, me ? { kind: 'person', person: me } : null);
  // one a lead invited comes here first: their invitation, not a join at a lower level, is their way into
  // that group; drawn on its group's card even when they joined it lower already (joining kept it open)
  const { bySlug: invited, named } = await invitationsOnCards(c, new Set(groups.map((gr) => gr.slug)));
  const agreementBox = (
    name: 'codeOfConduct' | 'contributionTerms',
    a: { title: string; version: string; url: string },
  ) => {
    const issue = issueFor(problem, name);
    const id = fieldId(name);
    return html`<p>${issue ? html`<span class="field-error" id="${id}-error">${issue.rule}</span><br>` : ''}
<input type="checkbox" id="${id}" name="${name}" value="${a.version}"${sent[name] === a.version ? html` checked` : ''}${issue ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>
<label for="${id}" class="check">I accept the <a href="${a.url}">${a.title}</a> (version ${a.version})</label></p>`;
  };
  return render(c, {
    title: 'Welcome',
    nav: 'welcome',
    status: problem?.status,
    body: html`<h1>Welcome to the community</h1>
${errorSummary(problem)}
${
  me && next !== '/'
    ? html`<p class="warning" role="note" id="on-your-way">You were on your way somewhere${next.startsWith('/oauth/authorize') ? ' (an application asked to connect to this hub as you)' : ''} when you signed in. ${accepted ? '' : 'Accept the agreements below and you will be taken on, or '}<a href="${next}">continue where you were going</a>${accepted ? '' : ' now'}.</p>`
    : ''
}
<section aria-labelledby="how"><h2 id="how">How the community works</h2><div class="markdown">${raw(how(c.var.hub.governance))}</div></section>
<section aria-labelledby="steps"><h2 id="steps">Your first steps</h2>
${me ? '' : html`<p><a href="/sign-in?next=/welcome">Sign in</a> (or join as a newcomer) to take these steps.</p>`}
<ol class="steps">
<li class="${accepted ? 'done' : ''}"><h3>1. Accept the Code of Conduct and the contribution terms</h3>
${
  accepted
    ? html`<p class="ok">Done: you accepted the ${g.codeOfConduct.title} (version ${me!.coc_version}) and ${g.contributionTerms.title} (version ${me!.terms_version}).</p>`
    : html`<p>Everyone here accepts the <a href="${g.codeOfConduct.url}">${g.codeOfConduct.title}</a> and the <a href="${g.contributionTerms.url}">${g.contributionTerms.title}</a> (read them before you join). Nobody can propose, comment, respond to a decision or join a group before accepting both.</p>
${
  me
    ? html`<form method="post" action="/welcome/agreements">${csrfField(c)}${next !== '/' ? html`<input type="hidden" name="next" value="${next}">` : ''}
${agreementBox('codeOfConduct', g.codeOfConduct)}
${agreementBox('contributionTerms', g.contributionTerms)}
<button type="submit">Accept both</button></form>`
    : ''
}`
}</li>
<li class="${memberOf.size ? 'done' : ''}"><h3>2. Join a group</h3>
<p>${memberOf.size ? html`<span class="ok">You are in ${memberOf.size === 1 ? 'one group' : `${memberOf.size} groups`}.</span> ` : ''}Anyone may join as ${levelsNamed(c.var.hub.governance, c.var.hub.governance.membership.selfServiceLevels)}; the group's leads grant other levels. Pick a group below.</p>
${
  named.length
    ? html`<p class="ok" id="invited">You are invited to ${named.map((i, n) => html`${n ? (n === named.length - 1 ? ' and ' : ', ') : ''}<a href="#invitation-${i.id}">${i.groupName}</a> as ${withArticle(levelName(c.var.hub.governance, i.level))}`)}: accept the invitation on its group's card below rather than joining at a lower level.</p>`
    : ''
}
${levelsInWords(c)}</li>
<li><h3>3. Start contributing</h3><p>To get started:</p>
<ol>${firstSteps(c.var.hub.governance).map(stepHtml)}</ol>
<p>A common route to a high-quality contribution to the specification:</p>
<ol>${contributionSteps(c.var.hub.governance).map(stepHtml)}</ol>
<p>Here, a proposal takes your idea along this route: <a href="/proposals/new">propose a contribution</a> (it checks for prior work as you type), or <a href="/search">search</a> first. <a href="/how-we-work">How we work</a> lists every rule the hub holds to.</p></li>
</ol></section>
<section aria-labelledby="groups"><h2 id="groups">Groups and their topic areas</h2>
${groups.length ? '' : html`<p>No groups yet: the community's first group appears here once it is proposed, for you to join. <a href="/groups">Groups</a> says who may propose one.</p>`}
<ul class="cards">
${groups.map(
  (gr) => html`<li class="card"><h3><a href="/groups/${gr.slug}">${gr.name}</a></h3>
<p class="muted">${groupKindTitle(c.var.hub.governance, gr.kind)} · ${gr.status}</p>
<p>${summary(gr.mission, 280)}</p>
${gr.topics.length ? html`<p><strong>Topic areas:</strong></p><ul>${gr.topics.map((t) => html`<li>${summary(t.name, 120)}: <span class="muted">${t.goalDescription}</span></li>`)}</ul>` : ''}
${memberOf.has(gr.slug) ? html`<p class="ok">You are ${/^[aeiou]/.test(memberOf.get(gr.slug) ?? '') ? 'an' : 'a'} ${memberOf.get(gr.slug)} of this group.</p>` : ''}
${invited.has(gr.slug) ? html`<div id="invitation-${invited.get(gr.slug)!.id}" class="invitation">${invitationCard(c, invited.get(gr.slug)!, '/welcome')}</div>` : ''}
${
  // an invitation that cannot be accepted (only declined) leaves the way in by joining open
  me && !memberOf.has(gr.slug) && (!invited.has(gr.slug) || !acceptable(invited.get(gr.slug)!))
    ? joinForm(c, gr, joins.get(gr.slug)!)
    : ''
}</li>`,
)}
</ul></section>`,
  });
}

export function welcomeRoutes(web: Hono<WebEnv>): void {
  web.get('/welcome', (c) => welcomePage(c));

  web.post('/welcome/agreements', async (c) => {
    const actor = actorFor(c);
    const f = formFields(await c.req.parseBody());
    const g = c.var.hub.governance.agreements;
    const issues: FieldIssue[] = [];
    if (!f.codeOfConduct)
      issues.push({
        field: 'codeOfConduct',
        rule: `must be ticked to accept the ${g.codeOfConduct.title} (version ${g.codeOfConduct.version})`,
      });
    if (!f.contributionTerms)
      issues.push({
        field: 'contributionTerms',
        rule: `must be ticked to accept ${g.contributionTerms.title} (version ${g.contributionTerms.version})`,
      });
    try {
      if (issues.length) throw new InvalidInput(issues);
      await acceptAgreements(c.var.hub, actor, actor.person.handle, {
        codeOfConduct: f.codeOfConduct,
        contributionTerms: f.contributionTerms,
      });
    } catch (e) {
      // the box they ticked stays ticked: only the one they missed is left to tick
      return welcomePage(c, formProblem(e, viewerZone(c), c.var.hub.governance), f.next, f);
    }
    const next = safeNext(f.next);
    if (next !== '/') {
      // back to where they were going (an MCP client's consent page); the welcome page stays in the menu
      flash(c, `Thank you: you accepted the ${g.codeOfConduct.title} and the contribution terms.`);
      return c.redirect(next, 303);
    }
    // one a lead invited is told to answer the invitation, not to join at a lower level
    // (those the page leads to, by a few names at most: a flash is a cookie, and one over 4 KB is dropped)
    const { named } = await invitationsOnCards(c, new Set((await groupsWithTopics(c)).map((gr) => gr.slug)));
    const names = named.slice(0, FLASH_NAMES).map((i) => i.groupName);
    const more = named.length - names.length;
    flash(
      c,
      `Thank you: you accepted the ${g.codeOfConduct.title} and the contribution terms. ${
        named.length
          ? `Next, accept your invitation${named.length > 1 ? 's' : ''} to ${
              more
                ? `${names.join(', ')} and ${more} more`
                : `${names.slice(0, -1).join(', ')}${names.length > 1 ? ' and ' : ''}${names.at(-1)}`
            } below.`
          : 'Next, join a group.'
      }`,
    );
    return c.redirect('/welcome#groups', 303);
  });

  web.post('/groups/:slug/join', async (c) => {
    const actor = actorFor(c);
    const f = formFields(await c.req.parseBody());
    const slug = c.req.param('slug');
    try {
      await joinGroup(c.var.hub, actor, slug, { level: f.level || 'participant' });
    } catch (e) {
      // the same form sent twice (a double click): the first joined, and joining again is already as
      // asked; they are where they meant to be, so they are taken there and told, not refused
      // asked at another level than the one held, they are in the group too: taken there and told
      const me = actor.kind === 'person' ? actor.person.handle : null;
      if (
        alreadyAsAskedIn(e) ||
        (e instanceof Forbidden &&
          me &&
          (await getGroup(c.var.hub, slug)).members.some((m) => m.handle === me && !m.emeritus))
      ) {
        flash(c, formProblem(e, viewerZone(c), c.var.hub.governance).message);
        return c.redirect(safeNext(f.next ?? `/groups/${slug}`), 303);
      }
      const p = formProblem(e, viewerZone(c), c.var.hub.governance);
      if (safeNext(f.next) === '/welcome') return welcomePage(c, p);
      throw e;
    }
    // the group page's come-back form (an emeritus member) says so: their level stays what it was
    const name = await groupName(c.var.hub, slug);
    // lazy consensus counts silence: one who joins while decisions are open is told what theirs does
    const zone = viewerZone(c);
    const open = openOnJoiningWords(
      await openDecisionsOnJoining(c.var.hub, actor, slug),
      (iso) => `${absolute(new Date(iso), zone)} (${zone})`,
    );
    flash(
      c,
      (f.back
        ? `Welcome back to ${name}: you take part again.`
        : `You joined ${name} as ${levelName(c.var.hub.governance, f.level || 'participant')}.`) +
        (open ? ` ${open} See them under Decisions on the group's page.` : ''),
    );
    return c.redirect(safeNext(f.next ?? `/groups/${slug}`), 303);
  });
}
