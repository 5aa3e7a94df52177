// /proposals/new: the guide's step 1 ("ensure there is no pre-existing work") while the author
// writes. Prior-work matches and the interests/marketing hints appear beside the form and never
// block submitting. Without JavaScript, "Check for prior work" posts the form back and the page
// shows the same panel; with it, a small script fetches the panel as the author types. On a
// phone the panel sits right under the title field (CSS order), so it is in sight while typing.
import { pageQuery, pageParam } from '../page-query.ts';
import { html } from 'hono/html';
import type { Hono } from 'hono';
import { createProposal } from '../../../app/proposals/proposals.ts';
import { Title } from '../../../app/proposals/schemas.ts';
import { priorWork, type PriorWorkMatch } from '../../../app/search/search.ts';
import { groupsOf, listGroups } from '../../../app/groups/groups.ts';
import { checkText } from '../../../domain/interests.ts';
import { documentWords } from '../../../domain/governance/index.ts';
import { LIMITS } from '../../../domain/limits.ts';
import { firstCharacters } from '../../../domain/text.ts';
import type { WebContext, WebEnv } from '../context.ts';
import { scriptAsset, serveAsset } from '../assets.ts';
import { csrfField } from '../csrf.ts';
import {
  errorSummary,
  field,
  formFields,
  formProblem,
  type FormProblem,
  requiredFields,
  requiredLegend,
} from '../forms.ts';
import type { Html } from '../layout.ts';
import { render } from '../render.ts';
import { actorFor, currentPerson, flash } from '../session.ts';
import { communityCan } from '../../../app/people/access.ts';
import { matchPages, priorWorkMatch, stageLabel } from './proposals.ts';
import { contributionNote, hints, select, whyNot } from './widgets.ts';
import { contributionAdvisers } from '../../../app/people/advisers.ts';
import { viewerZone } from '../format.ts';
import { CreateProposalInput } from '../../../app/proposals/schemas.ts';
import { loadShippedModel } from '../../../domain/hints/shipped.ts';

/** The fields the form marks required: those its use case cannot do without. */
const NEW_PROPOSAL = requiredFields(CreateProposalInput);

// Debounced: one request 500 ms after the author stops typing; a stale answer never replaces a newer one.
const SCRIPT = `
(function(){var f=document.querySelector('form[data-prior-work]');if(!f)return;var out=document.getElementById('prior-work-panel');var t=null,n=0;
function run(){var id=++n;var q=new URLSearchParams();['title','problem','interests','group'].forEach(function(k){var el=f.elements[k];if(el)q.set(k,el.value)});
fetch('/proposals/new/prior-work?'+q.toString(),{headers:{Accept:'text/html'},credentials:'same-origin'}).then(function(r){return r.ok?r.text():null}).then(function(h){if(h!==null&&id===n)out.innerHTML=h}).catch(function(){})}
f.addEventListener('input',function(e){if(!e.target.name||['title','problem','interests','group'].indexOf(e.target.name)<0)return;clearTimeout(t);t=setTimeout(run,500)});})();
`.trim();

export const PRIOR_WORK_SCRIPT = scriptAsset('prior-work', SCRIPT);

type Draft = { title: string; problem: string; interests: string; group: string };

/** At most `n` characters (code points, as the limits count them) of `text`, never half of an emoji. */
const cut = firstCharacters;

/** The panel: existing items that may cover the same ground, and the guide's hints on the draft. */
async function panel(c: WebContext, d: Draft): Promise<Html> {
  let matches: PriorWorkMatch[] | null = null;
  // the check reads the draft as far as it could be filed, so a field past its limit is refused by
  // the form (naming that field) and never takes the page and the person's text with it
  let unchecked: FormProblem | null = null;
  if (d.title.trim().length >= 3) {
    try {
      matches = await priorWork(c.var.hub, {
        title: cut(d.title, LIMITS.line),
        text: cut([d.problem, d.interests].join('\n'), LIMITS.search.draftChars),
        ...(d.group ? { group: d.group } : {}),
        limit: 5,
      });
    } catch (e) {
      unchecked = formProblem(e, 'UTC', c.var.hub.governance);
    }
  }
  // a draft is judged as far as it could be filed: text past the field's limit is refused on filing,
  // and judging a megabyte of it would hold the event loop
  const cap = { title: LIMITS.line, problem: LIMITS.prose, interests: LIMITS.prose };
  await loadShippedModel();
  const flags = (['title', 'problem', 'interests'] as const).flatMap((k) =>
    checkText(d[k].slice(0, cap[k])).map((f) => ({ ...f, field: k })),
  );
  return html`<h2 id="prior-work-heading">Prior work</h2>
${
  unchecked
    ? html`<p>The check could not read this draft: ${unchecked.issues.map((i) => i.rule).join('; ') || unchecked.message}.</p>`
    : matches === null
      ? html`<p>Type a title (3 characters or more) to see existing proposals, ${documentWords(c.var.hub.governance).many} and artifacts on the same subject.</p>`
      : matches.length
        ? html`<p>These may already cover the same ground. Consider building on them, or say how yours differs. You can still file yours.</p>
<ol class="matches">${matches.map((m) => html`<li>${priorWorkMatch(m, documentWords(c.var.hub.governance))}${matchPages(m.pages)}</li>`)}</ol>`
        : html`<p>No existing item seems to cover the same ground.</p>`
}
${hints(flags)}`;
}

/** What the routes are, by the stages each moves through: their titles alone ("The SEP lifecycle" by default) leave a newcomer to guess. */
function routeHint(routes: Record<string, { title: string; stages: string[]; closed: string[] }>): string {
  const each = Object.values(routes).map(
    (r) =>
      `${r.title}: ${r.stages
        .filter((s) => !r.closed.includes(s))
        .map(stageLabel)
        .join(' → ')}`,
  );
  return `The stages it moves through. ${each.join('. ')}.`;
}

/**
 * The group a fresh form starts with: the one it was opened from (`?group=slug`, a group's page
 * links so; `?group=` asks for none), else the viewer's one group when they belong to exactly one
 * (emeritus memberships aside); else none. Only a group the form offers.
 */
async function startingGroup(c: WebContext, offered: ReadonlySet<string>): Promise<{ slug: string; why: string }> {
  const none = { slug: '', why: '' };
  const asked = pageParam(c, 'group');
  if (asked === '') return none;
  if (asked !== undefined && offered.has(asked)) return { slug: asked, why: 'the group you came from' };
  const me = currentPerson(c);
  if (!me) return none;
  const mine = (await groupsOf(c.var.hub, me.handle)).filter((g) => !g.emeritus && offered.has(g.slug));
  return mine.length === 1 ? { slug: mine[0]!.slug, why: 'the one group you belong to' } : none;
}

/**
 * The title a fresh form starts with (`?title=`, the words of a search that found nothing covering
 * the idea): cut to a proposal title's length and kept only when it passes the title field's own rule,
 * else the field starts empty. Shown escaped, as every value is.
 */
function titleAsked(c: WebContext): string {
  const asked = c.req.query('title');
  if (!asked) return '';
  const t = Title.safeParse(firstCharacters(asked.trim(), LIMITS.proposalTitle));
  return t.success ? t.data : '';
}

/** `draft` is the form as sent (a check or a refused filing: its group stays as chosen, none included); null for a fresh form. */
async function newPage(
  c: WebContext,
  draft: Record<string, string> | null = null,
  problem: FormProblem | null = null,
  checked = false,
): Promise<Response> {
  const may = communityCan(c.var.hub, actorFor(c)).createProposal;
  if (!may.allowed)
    return render(c, {
      title: 'New proposal',
      nav: 'proposals',
      body: html`<nav aria-label="Breadcrumb"><p class="muted"><a href="/proposals">Proposals</a> › New</p></nav>
<h1>Propose a contribution</h1>
${whyNot(c, may, `/proposals/new${new URL(c.req.url).search}`)}`,
    });
  const g = c.var.hub.governance.proposals;
  // a retired group takes no new proposals: neither offered nor chosen for the person
  // (filtered by the query: the first 200 groups, retired ones dropped after, left out open groups past them)
  const open = (await listGroups(c.var.hub, { limit: 200 }, { open: true })).items;
  // the group the form started with, and why: read again for a form sent back (a check, a refused
  // filing), so its hint stays while the group sent is still that one (it vanished after a refusal)
  const start = await startingGroup(c, new Set(open.map((x) => x.slug)));
  const sent = draft ?? {};
  const d: Draft = {
    title: sent.title ?? (draft ? '' : titleAsked(c)),
    problem: sent.problem ?? '',
    interests: sent.interests ?? '',
    group: draft ? (sent.group ?? '') : start.slug,
  };
  const startName = start.slug && d.group === start.slug ? open.find((x) => x.slug === start.slug)?.name : undefined;
  // the form is sent to where it came from (`?group=`), so a form sent back still knows it came from that group
  const came = pageParam(c, 'group');
  const action =
    came !== undefined && came === start.slug ? `/proposals/new?group=${encodeURIComponent(came)}` : '/proposals/new';
  const body = html`<nav aria-label="Breadcrumb"><p class="muted"><a href="/proposals">Proposals</a> › New</p></nav>
<h1>Propose a contribution</h1>
<p>Start with the problem, not the solution: what specific problem does this solve, for whom, with real-world examples. The prior-work check runs as you type (or with the "Check for prior work" button).</p>
${errorSummary(problem)}
<div class="split prior-work">
<form method="post" action="${action}" data-prior-work>${csrfField(c)}
${requiredLegend()}
<div class="title-field">${field({ name: 'title', required: NEW_PROPOSAL, label: 'Title', value: d.title, problem })}</div>
${field({ name: 'problem', required: NEW_PROPOSAL, label: 'The problem it solves', type: 'textarea', rows: 6, value: d.problem, problem, hint: 'At least 20 characters. Markdown is fine.' })}
${field({ name: 'examples', required: NEW_PROPOSAL, label: 'Real-world examples (one per line)', type: 'textarea', rows: 4, value: sent.examples, problem, hint: 'The route asks for at least one before the prior-work step.' })}
${field({ name: 'interests', required: NEW_PROPOSAL, label: 'Interests: the needs behind it', type: 'textarea', rows: 3, value: d.interests, problem, hint: 'Say what you need, not which solution you insist on, so others can suggest ways to meet it.' })}
${select({ name: 'layer', required: NEW_PROPOSAL, label: 'Target layer', value: sent.layer ?? 'working-group-artifact', problem, options: g.layers.map((l) => ({ value: l.id, label: l.title })), hint: html`Not sure? Most things start as a working-group artifact; each proposal page has a "Which layer?" questionnaire. The higher the layer, the higher its <a href="/how-we-work#contributions">barrier to change</a>: what it must show before a pull request.` })}
${select({ name: 'route', required: NEW_PROPOSAL, label: 'Route', value: sent.route ?? 'contribution', problem, options: Object.entries(g.routes).map(([id, r]) => ({ value: id, label: r.title })), hint: routeHint(g.routes) })}
${select({ name: 'group', required: NEW_PROPOSAL, label: 'Group (optional)', empty: 'No group', value: d.group, problem, options: open.map((x) => ({ value: x.slug, label: x.name })), ...(startName ? { hint: `${startName} is chosen: ${start.why}. Choose another, or "No group", if it belongs elsewhere.` } : {}) })}
${contributionNote(c.var.hub.governance, await contributionAdvisers(c.var.hub, d.group || null))}
<p class="buttons"><button type="submit" name="intent" value="check" class="secondary">Check for prior work</button> <button type="submit" name="intent" value="file">File proposal</button></p>
</form>
<section id="prior-work-panel" class="panel" aria-labelledby="prior-work-heading" aria-live="polite">
${checked || d.title ? await panel(c, d) : html`<h2 id="prior-work-heading">Prior work</h2><p>Type a title to see existing proposals, ${documentWords(c.var.hub.governance).many} and artifacts on the same subject.</p>`}
</section>
</div>
<script src="${PRIOR_WORK_SCRIPT.path}" defer></script>`;
  return render(c, { title: 'New proposal', nav: 'proposals', body, status: problem?.status ?? 200 });
}

export function proposalNewRoutes(web: Hono<WebEnv>): void {
  serveAsset(web, PRIOR_WORK_SCRIPT);
  web.get('/proposals/new', (c) => newPage(c));
  // The panel alone, for the script; same content as the no-JavaScript check.
  web.get('/proposals/new/prior-work', async (c) => {
    const q = pageQuery(c);
    const out = await panel(c, {
      title: q.title ?? '',
      problem: q.problem ?? '',
      interests: q.interests ?? '',
      group: q.group ?? '',
    });
    return c.html(out, 200, { 'Cache-Control': 'no-store' });
  });
  web.post('/proposals/new', async (c) => {
    const f = formFields(await c.req.parseBody());
    if (f.intent === 'check') return newPage(c, f, null, true);
    let ref: string;
    try {
      const examples = (f.examples ?? '')
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean);
      ref = (
        await createProposal(c.var.hub, actorFor(c), {
          title: f.title ?? '',
          problem: f.problem ?? '',
          examples,
          interests: f.interests ?? '',
          layer: f.layer,
          route: f.route || undefined,
          ...(f.group ? { group: f.group } : {}),
        })
      ).ref;
    } catch (e) {
      return newPage(c, f, formProblem(e, viewerZone(c), c.var.hub.governance), true);
    }
    flash(c, `Your proposal ${ref} is filed. The prior-work check ran again and its result is on this page.`);
    return c.redirect(`/proposals/${ref}`, 303);
  });
}
