// The reading pages: search, How we work (the governance file in plain words), the event log with
// its verification, a person, and a working-group artifact. All work without JavaScript.
import { pageParam } from '../page-query.ts';
import { groupsOf } from '../../../app/groups/groups.ts';
import { sentence } from '../../../domain/sentence.ts';
import { html, raw } from 'hono/html';
import type { Hono } from 'hono';
import { getArtifact } from '../../../app/imports/artifacts.ts';
import { type EventView, eventLogTail, verifyEventLog } from '../../../app/log/log.ts';
import { communityCan } from '../../../app/people/access.ts';
import { getPerson } from '../../../app/people/people.ts';
import { resultsBefore, search } from '../../../app/search/search.ts';
import { describeGovernance } from '../../../domain/governance/describe.ts';
import { renderMarkdown } from '../../../domain/markdown.ts';
import { decodeComponent } from '../../../domain/text.ts';
import type { WebEnv } from '../context.ts';
import { field, formProblem, listErrorSummary, type FormProblem } from '../forms.ts';
import { plural, systemWords, titleHtml, when, viewerZone } from '../format.ts';
import { knownPages } from '../content-links.ts';
import { render } from '../render.ts';
import type { WebContext } from '../context.ts';
import { getDecision } from '../../../app/decisions/decisions.ts';
import { getMeeting } from '../../../app/meetings/meetings.ts';
import { getProposal } from '../../../app/proposals/proposals.ts';
import { NotFound } from '../../../domain/errors.ts';
import {
  type DocumentWords,
  documentWords,
  type Governance,
  shownSubjectRef,
  storedRef,
} from '../../../domain/governance/index.ts';
import { currentPerson, viewerFor } from '../session.ts';
import { pager, personNamed, whyNot } from './widgets.ts';
import { groupNames } from '../../../app/groups/group-directory.ts';
import { isProposalRef, levelName, roleName, withArticle } from '../../../domain/governance/words.ts';
import { hasGithubContent } from '../../../app/github/status.ts';

const PAGE = 30;

/**
 * The search's kinds, in the community's words: proposals on the `sep` route by its short name ("SEPs");
 * GitHub's only where the hub has some.
 */
const kinds = (w: DocumentWords, github: boolean): [string, string][] => [
  ['', 'Everything'],
  ['proposal', 'Proposals'],
  ['sep', w.many],
  ['charter', 'Charters'],
  ['artifact', 'Working-group artifacts'],
  ['meeting-notes', 'Meeting notes'],
  ['comment', 'Comments'],
  ...(github
    ? ([
        ['github-discussion', 'GitHub Discussions'],
        ['github-issue', 'GitHub issues'],
      ] as [string, string][])
    : []),
];

/**
 * The kinds of result an idea for a proposal could duplicate (what "propose it" after the results
 * is for): not meeting notes or comments, where an idea is talked over, not taken up.
 */
const IDEA_KINDS = new Set(['', 'proposal', 'sep', 'charter', 'artifact', 'github-discussion', 'github-issue']);

/** One search result's kind in words, as a reader says it ("meeting notes", not meeting-notes). */
const kindWord = (w: DocumentWords, kind: string): string =>
  ({
    proposal: 'proposal',
    sep: w.one,
    charter: 'charter',
    artifact: 'working-group artifact',
    'meeting-notes': 'meeting notes',
    comment: 'comment',
    'github-discussion': 'GitHub Discussion',
    'github-issue': 'GitHub issue',
  })[kind] ?? kind;

/** Where a search result lives in the web UI. */
export function hrefFor(ref: string): string {
  if (ref.startsWith('charter:')) return `/groups/${ref.slice(8)}`;
  // a Discussion or issue mirrored from GitHub: github:OWNER/NAME/discussions/N, …/issues/N
  if (ref.startsWith('github:')) return `/github/${ref.slice(7)}`;
  if (ref.startsWith('artifact:')) return `/artifacts/${ref.slice(9).split('/').map(encodeURIComponent).join('/')}`;
  // a meeting's notes are on its page; a decision has its own
  if (/^M-\d+$/.test(ref)) return `/meetings/${ref}#notes`;
  if (/^D-\d+$/.test(ref)) return `/decisions/${ref}`;
  const [item, anchor] = ref.split('#');
  return `/proposals/${item}${anchor ? `#${anchor}` : ''}`;
}

/**
 * The item a query names by its reference (P-1, SEP-1686, #1686, D-2, M-3), so searching a
 * reference finds that item first; null when the query is not one or nothing has that reference.
 */
async function namedItem(
  hub: WebContext['var']['hub'],
  q: string,
): Promise<{ href: string; title: string; kind: string } | null> {
  const m = /^\s*(SEP-\d+|P-\d+|#\d+|D-\d+|M-\d+)\s*$/i.exec(storedRef(hub.governance, q.trim()));
  if (!m) return null;
  const ref = m[1]!.toUpperCase();
  try {
    if (ref.startsWith('D-')) {
      const d = await getDecision(hub, ref);
      return { href: `/decisions/${d.ref}`, title: `${d.ref}: ${d.question}`, kind: 'decision' };
    }
    if (ref.startsWith('M-')) {
      const mt = await getMeeting(hub, ref);
      return { href: `/meetings/${mt.ref}`, title: `${mt.ref}: ${mt.title}`, kind: 'meeting' };
    }
    const p = await getProposal(hub, ref);
    return {
      href: `/proposals/${p.ref}`,
      title: `${p.ref}: ${p.title}`,
      kind: p.route === 'sep' ? documentWords(hub.governance).one : 'proposal',
    };
  } catch (e) {
    if (e instanceof NotFound) return null;
    throw e;
  }
}

/** An event's kind in words: "proposal.stage-moved" is "Proposal stage moved". */
export function eventWords(kind: string): string {
  const [type = '', ...action] = kind.split('.');
  const words = `${type} ${action.join(' ')}`.replace(/-/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * What an event did, in words: a person's record made by that person is one who signed up (a
 * newcomer's "Join as a newcomer", a first sign-in through the hub's provider), with the role they
 * start at in the community's words ("Signed up as a contributor"), not "Person created".
 */
function eventWordsOf(g: Governance, e: EventView): string {
  if (e.kind === 'person.created' && e.actor !== null && e.actor === e.subject.id) {
    const role = typeof e.after?.role === 'string' ? e.after.role : null;
    return role ? `Signed up as ${withArticle(roleName(g, role))}` : 'Signed up';
  }
  return eventWords(e.kind);
}

/** An event's subject, linked to its page where the web UI has one. */
function subjectLink(g: Governance, stored: { type: string; id: string }) {
  // a document is cited as the community does (RFC-12); the log keeps what was recorded (SEP-12)
  const s = { ...stored, id: shownSubjectRef(g, stored.type, stored.id) };
  const href =
    s.type === 'group'
      ? `/groups/${s.id}`
      : s.type === 'person'
        ? `/people/${s.id}`
        : s.type === 'proposal'
          ? `/proposals/${s.id}`
          : s.type === 'decision'
            ? `/decisions/${s.id}`
            : null;
  return href ? html`${s.type} <a href="${href}">${s.id}</a>` : html`${s.type} ${s.id}`;
}

export function readingRoutes(web: Hono<WebEnv>): void {
  web.get('/search', async (c) => {
    const q = c.req.query('q')?.trim() ?? '';
    const kind = c.req.query('kind') ?? '';
    const group = pageParam(c, 'group') ?? '';
    const groups = await groupNames(c.var.hub);
    // a later page goes on from the previous page's cursor (an old link's offset is not read: its first page opens)
    const cursor = c.req.query('cursor') || undefined;
    const offset = resultsBefore(cursor);
    let problem: FormProblem | null = null;
    let items: Awaited<ReturnType<typeof search>>['items'] = [];
    let corrected: string | undefined;
    let someWords: string[] | undefined;
    let nextCursor: string | null = null;
    if (q || c.req.query('q') !== undefined) {
      try {
        const r = await search(c.var.hub, {
          q,
          ...(kind ? { kind } : {}),
          ...(group ? { group } : {}),
          limit: PAGE,
          ...(cursor ? { cursor } : {}),
        });
        items = r.items;
        nextCursor = r.nextCursor;
        corrected = r.correctedQuery;
        someWords = r.someWords;
      } catch (e) {
        problem = formProblem(e, viewerZone(c), c.var.hub.governance);
      }
    }
    const direct = q && !problem && !offset ? await namedItem(c.var.hub, q) : null;
    // "propose it" for one who may, or may after a step of their own (a visitor signs in, and the form
    // brings them back); one refused outright was led to a refusal. Only after results an idea could
    // duplicate: filtered to comments, it read as if none of them covering it called for a proposal.
    const may = communityCan(c.var.hub, viewerFor(c)).createProposal;
    const offerProposal = IDEA_KINDS.has(kind) && (may.allowed || may.remedy !== undefined);
    // the words searched become the new proposal's title (the form keeps them only if they pass its rule),
    // and a search narrowed to a group starts the form in it
    const proposeHref = `/proposals/new?${new URLSearchParams({ title: q, ...(group ? { group } : {}) })}`;
    const words = documentWords(c.var.hub.governance);
    // a search already narrowed to GitHub's keeps its choice on show, whatever the hub now mirrors
    const githubKinds = kind.startsWith('github-') || (await hasGithubContent(c.var.hub));
    if (direct) items = items.filter((h) => hrefFor(h.ref) !== direct.href);
    return render(c, {
      title: q ? `Search: ${q}` : 'Search',
      nav: 'search',
      status: problem?.status,
      body: html`<h1>Search</h1>
<p>One search over proposals, ${words.many}, charters, working-group artifacts, meeting notes and comments. Search here before starting something new: step 1 of the route is making sure nobody already covers it. Or browse <a href="/artifacts">the documents</a> the groups keep.</p>
${listErrorSummary(problem, `/search?${new URLSearchParams({ q, ...(kind ? { kind } : {}), ...(group ? { group } : {}) })}`)}
<form method="get" action="/search" role="search">
${field({ name: 'q', label: 'Search for', type: 'search', value: q, problem })}
<label for="f-kind">Only</label>
<select id="f-kind" name="kind">${kinds(words, githubKinds).map(([v, l]) => html`<option value="${v}"${v === kind ? ' selected' : ''}>${l}</option>`)}</select>
<label for="f-group">In group</label>
<select id="f-group" name="group"><option value="">Any group</option>${groups.map((g) => html`<option value="${g.slug}"${g.slug === group ? ' selected' : ''}>${g.name}</option>`)}</select>
<p><button type="submit">Search</button></p></form>
${corrected && items.length ? html`<p class="panel" role="status">Nothing matched “${q}” as typed. Showing results for <strong>“${corrected}”</strong>.</p>` : ''}
${someWords && items.length ? html`<p class="panel" role="status">Nothing holds every word of “${q}”. Showing what holds some of <strong>${someWords.join(', ')}</strong>, best first.</p>` : ''}
${
  q && !problem
    ? html`<h2 id="results">${items.length || direct ? (offset ? `Results ${offset + 1}–${offset + items.length}` : plural(items.length + (direct ? 1 : 0), 'result').replace(' ', nextCursor !== null ? '+ ' : ' ')) : 'No results'}</h2>
<ol aria-labelledby="results" start="${offset + 1}">${direct ? html`<li><p><a href="${direct.href}"><strong>${titleHtml(direct.title)}</strong></a> <span class="muted">${direct.kind} · the item this reference names</span></p></li>` : ''}${items.map(
        (
          h,
        ) => html`<li><p><a href="${hrefFor(h.ref)}"><strong>${isProposalRef(c.var.hub.governance, h.ref) ? `${h.ref}: ` : ''}${titleHtml(h.title)}</strong></a> <span class="muted">${kindWord(words, h.kind)}${h.group ? ` · ${groups.find((g) => g.slug === h.group)?.name ?? h.group}` : ''}${h.status ? ` · ${h.status.replace(/-/g, ' ')}` : ''} · ${h.kind === 'sep' ? 'created' : 'updated'} ${when(c, h.date, { dateOnly: true })}</span></p>
<p>${raw(h.snippet)}</p></li>`,
      )}</ol>
${
  items.length || direct
    ? // read what was found first; a search that found things led nowhere next when none of them covered the idea
      nextCursor === null && offerProposal
      ? html`<p id="none-covers">Read each before you propose: build on one that covers your idea, or say on it how yours differs. If none of them covers it, <a href="${proposeHref}">propose it</a>: the prior-work check looks again as you write.</p>`
      : ''
    : offset
      ? html`<p>No more results: fewer items match “${q}” than when the last page was shown. <a href="/search?${new URLSearchParams({ q, ...(kind ? { kind } : {}), ...(group ? { group } : {}) })}">Back to the first page</a>.</p>`
      : html`<p>Nothing here matches “${q}”${kind || group ? ' with these filters' : ''}. ${kind || group ? html`<a href="/search?q=${encodeURIComponent(q)}">Search everything</a>, or try` : 'Try'} fewer or other words (the community's own terms, ${words.one === 'SEP' ? 'a SEP number such as SEP-1686, ' : ''}a proposal such as P-2), or <a href="/artifacts">browse the documents</a>.${offerProposal ? html` If nobody covers it yet, you may be the first: <a href="${proposeHref}">propose it</a>, and the prior-work check will look again as you write.` : ''}</p>`
}
${pager(
  'results',
  cursor ? `/search?${new URLSearchParams({ q, ...(kind ? { kind } : {}), ...(group ? { group } : {}) })}` : null,
  nextCursor !== null
    ? `/search?${new URLSearchParams({ q, ...(kind ? { kind } : {}), ...(group ? { group } : {}), cursor: nextCursor })}`
    : null,
)}`
    : ''
}`,
    });
  });

  // a rule's addresses (the agreements, the getting-started links) as links a newcomer can follow
  const linked = (rule: string) =>
    rule.split(/(https?:\/\/[^\s)]*[^\s).,;:])/).map((part, i) => (i % 2 ? html`<a href="${part}">${part}</a>` : part));
  web.get('/how-we-work', (c) => {
    const sections = describeGovernance(c.var.hub.governance);
    return render(c, {
      title: 'How we work',
      nav: 'how',
      body: html`<h1>How we work</h1>
<p>These are the rules this hub enforces, read from its governance file (version ${c.var.hub.governance.version}). They follow the community's guide; to change one, change the file. The same rules as data: <a href="/api/governance">/api/governance</a>.</p>
${sections.map((s) => html`<section><h2 id="${s.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}">${s.title}</h2><ul>${s.rules.map((r) => html`<li>${linked(r)}</li>`)}</ul></section>`)}`,
    });
  });

  web.get('/log', async (c) => {
    const before = c.req.query('before');
    const verify = c.req.query('verify') !== undefined;
    const [page, check, known] = await Promise.all([
      c.var.hub.reads.get(c.var.hub, `web:log:${before ?? ''}`, async () => ({
        value: await eventLogTail(c.var.hub, { limit: 50, ...(before ? { before } : {}) }),
      })),
      verify ? verifyEventLog(c.var.hub) : null,
      knownPages(c.var.hub),
    ]);
    return render(c, {
      title: 'Event log',
      nav: 'log',
      body: html`<h1>Event log</h1>
<p>Every change to this community is recorded here, newest first. Each event carries the hash of the one before it, so an edited, removed or reordered event breaks the chain and verification names it.</p>
${page.can.verify.allowed ? html`<form method="get" action="/log"><input type="hidden" name="verify" value="1"><button type="submit">Verify the whole log</button></form>` : ''}
${
  check
    ? check.ok
      ? html`<p class="flash" role="status"><strong>The chain holds:</strong> ${plural(check.checked, 'event')} checked, none edited, removed or reordered.</p>`
      : html`<div class="error-summary" role="alert"><h2>The chain is broken</h2><p>Event #${check.firstBroken!.seq}: ${sentence(check.firstBroken!.reason)} ${check.checked === 1 ? '1 event was' : `${check.checked} events were`} checked.</p></div>`
    : ''
}
<div class="table-wrap"><table><caption class="muted">${plural(page.items.length, 'event')}${before ? ` before #${before}` : ''}</caption>
<thead><tr><th scope="col">#</th><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Subject</th><th scope="col">Hash</th></tr></thead><tbody>
${page.items.map((e) => html`<tr><td>${e.seq}</td><td>${when(c, e.at)}</td><td>${e.actor && page.names[e.actor] !== undefined ? personNamed(e.actor, page.names[e.actor]!) : e.actor && known.people.has(e.actor.toLowerCase()) ? html`<a href="/people/${e.actor}">@${e.actor}</a>` : systemWords(e.actor)}</td><td>${eventWordsOf(c.var.hub.governance, e)}</td><td>${subjectLink(c.var.hub.governance, e.subject)}</td><td><code>${e.hash.slice(0, 12)}</code></td></tr>`)}
</tbody></table></div>
${page.nextBefore ? html`<p><a href="/log?before=${page.nextBefore}">Older events</a></p>` : ''}`,
    });
  });

  web.get('/people/:handle', async (c) => {
    const me = currentPerson(c);
    const p = await getPerson(c.var.hub, c.req.param('handle'), me ? { kind: 'person', person: me } : null);
    const groups = await groupsOf(c.var.hub, p.handle);
    // another's record: the way to what this viewer may change on it (a moderator edits it; a lead maintainer sets the role)
    const others = [p.can.edit.allowed ? 'profile' : '', p.can.setRole.allowed ? 'community role' : '']
      .filter(Boolean)
      .join(' and ');
    return render(c, {
      title: p.name,
      nav: 'people',
      body: html`<h1>${p.name}</h1>
<p class="muted">@${p.handle} · ${roleName(c.var.hub.governance, p.role)} · time zone ${p.timeZone}</p>
${p.affiliations.length ? html`<p>Affiliation: ${p.affiliations.map((a) => a.organisation.name).join(', ')}</p>` : ''}
<p>${p.canContribute ? html`<span class="ok">Has accepted the Code of Conduct and contribution terms.</span>` : html`<span class="warn">Has not accepted the current Code of Conduct and contribution terms yet.</span>`}</p>
${me?.handle === p.handle ? html`<p><a href="/people/${p.handle}/edit">Edit your profile, time zone and API tokens</a> · <a href="/me/notifications">Choose what you are told and how</a></p>` : others ? html`<p><a href="/people/${p.handle}/edit${p.can.edit.allowed ? '' : '#role'}">Change ${p.name}'s ${others}</a></p>` : ''}
<h2>Groups</h2>${groups.length ? html`<ul>${groups.map((g) => html`<li><a href="/groups/${g.slug}">${g.name}</a> (${levelName(c.var.hub.governance, g.level)}${g.emeritus ? ', emeritus' : ''})</li>`)}</ul>` : me?.handle === p.handle ? html`<p>None yet. <a href="/groups">Browse the groups</a> to find one to join.</p>` : html`<p>${p.name} is in no group yet: they join one from its page, or its leads add them there (“Set a member's level”).</p>`}`,
    });
  });

  web.get('/artifacts/*', async (c) => {
    const encoded = c.req.path.slice('/artifacts/'.length);
    const a = await getArtifact(c.var.hub, viewerFor(c), decodeComponent(encoded) ?? encoded);
    return render(c, {
      title: a.title,
      nav: 'search',
      body: html`<p class="muted">${a.kind}${a.group ? html` · <a href="/groups/${a.group}">${a.group}</a>` : ''} · <code>${a.path}</code></p>
<div class="markdown" data-source="${a.path}">${raw(renderMarkdown(a.body.startsWith('# ') ? a.body : `# ${a.title}\n\n${a.body}`))}</div>
${whyNot(c, a.can.edit, c.req.path)}`,
    });
  });
}
