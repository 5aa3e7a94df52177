// Small pieces the proposal, decision and meeting pages share: choice inputs wired like `field`,
// safe markdown, interest/marketing hints, and organisation-weighted tallies.
import { COMMUNITY_ROLES } from '../../../domain/community.ts';
import { html, raw } from 'hono/html';
import { sentence } from '../../../domain/sentence.ts';
import type { Tally } from '../../../domain/decisions/index.ts';
import type { TextFlag } from '../../../domain/interests.ts';
import type { Verdict } from '../../../domain/policies/index.ts';
import { demoteHeadings, renderMarkdown } from '../../../domain/markdown.ts';
import {
  CHOOSE,
  fieldId,
  isRequired,
  issueFor,
  issueText,
  NONE_CHOSEN,
  type FormProblem,
  type Required,
  requiredClass,
} from '../forms.ts';
import type { Html } from '../layout.ts';
import type { WebContext } from '../context.ts';
import { momentsAsText, viewerZone } from '../format.ts';
import type { Advisers } from '../../../app/people/advisers.ts';
import { documentWords, type Governance } from '../../../domain/governance/index.ts';

/**
 * Member-written markdown, sanitised by the shared renderer, its headings under the page's own;
 * given the governance, a mention of a document by the community's prefix (RFC-12) links too.
 */
export function markdown(md: string, g?: Pick<Governance, 'proposals'>, top = 3): Html {
  return html`<div class="markdown">${raw(demoteHeadings(renderMarkdown(md, g ? documentWords(g).prefix : 'SEP'), top))}</div>`;
}

export function personLink(handle: string | null): Html | string {
  return handle ? html`<a href="/people/${handle}">@${handle}</a>` : 'the system';
}

/**
 * A handle as a view names it: "Name (@handle)" where the view's `names` knows them; the operator
 * (who acts as `operator`, nobody's page) in words; else the handle's link.
 */
export function personIn(names: Record<string, string>, handle: string | null, note?: string): Html | string {
  const name = handle ? names[handle] : undefined;
  if (handle && name !== undefined) return personNamed(handle, name, note);
  if (handle === 'operator') return note ? `the hub's operator (${note})` : "the hub's operator";
  return note ? html`${personLink(handle)} (${note})` : personLink(handle);
}

/** A person by name, the handle beside it: a name reads better than a handle alone, where the view has one. */
export function personNamed(handle: string, name: string, note?: string): Html {
  // a note shares the handle's brackets: "Name (@handle, note)" reads better than two brackets in a row;
  // <bdi> keeps a right-to-left name from pulling the brackets and handle after it into its own order
  return html`<a href="/people/${handle}"><bdi>${name}</bdi></a> (@${handle}${note ? `, ${note}` : ''})`;
}

type ChoiceOptions = {
  name: string;
  label: string;
  options: { value: string; label: string }[];
  value?: string | null;
  /** Plain words, or markup where the hint links to where a rule is stated. */
  hint?: string | Html;
  problem?: FormProblem | null;
  form?: string;
  /** An empty first option ("any"), for filters. */
  empty?: string;
  /** A time-zone choice the page's script sets to the browser's own zone (a first visit, nothing chosen yet). */
  browserZone?: boolean;
  /**
   * Options under headings (`<optgroup>`), after `options`: a group's topic areas under its name, say.
   * `group` is written on the heading and each of its options as `data-group`, so a script can tell
   * apart options of different headings that share a value (two groups' areas with one short name).
   */
  optgroups?: { label: string; group?: string; options: { value: string; label: string }[] }[];
  /** Of options sharing the chosen value, the one under the heading of this `group` is the one selected. */
  within?: string;
  /** Marked required, as `field` does. */
  required?: Required;
};

function wiring(o: { name: string; hint?: string | Html; problem?: FormProblem | null; form?: string }) {
  const id = fieldId(o.form ? `${o.form}-${o.name}` : o.name);
  const issue = issueFor(o.problem, o.name);
  const describedBy = [o.hint ? `${id}-hint` : '', issue ? `${id}-error` : ''].filter(Boolean).join(' ');
  return { id, issue, describedBy };
}

/** A labelled `<select>` with its hint and error, like `field`. */
/** What a role form's hint says of the roles its viewer may give: at the top of the ladder every one, else those below theirs. */
export function rolesGivenWords(given: readonly string[]): string {
  return given.length >= COMMUNITY_ROLES.length
    ? 'At the top of the ladder, you may give any role, your own too.'
    : 'You may give the roles below your own on the ladder.';
}

export function select(o: ChoiceOptions): Html {
  const { id, issue, describedBy } = wiring(o);
  const chosen = chosenOption(o);
  const required = isRequired(o.required, o.name);
  return html`<label for="${id}"${requiredClass(required)}>${o.label}</label>
${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ''}
${issue ? html`<p class="field-error" id="${id}-error">${issueText(issue, o.name)}</p>` : ''}
<select id="${id}" name="${o.name}"${o.browserZone ? html` data-browser-zone` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}${issue ? html` aria-invalid="true"` : ''}${required ? html` aria-required="true"` : ''}>
${o.empty !== undefined ? html`<option value="">${o.empty}</option>` : ''}${o.options.map((x) => option(x, x === chosen))}${(o.optgroups ?? []).map((g) => html`<optgroup label="${g.label}"${g.group ? html` data-group="${g.group}"` : ''}>${g.options.map((x) => option(x, x === chosen, g.group))}</optgroup>`)}
</select>`;
}

/**
 * The one option that shows the chosen value. A browser selects the last of several options marked
 * selected, so when options share the value only one is marked: the one under the heading of
 * `within`, else the first.
 */
function chosenOption(o: ChoiceOptions): { value: string; label: string } | undefined {
  if (o.value === undefined || o.value === null) return undefined;
  const under = o.optgroups?.find((g) => g.group !== undefined && g.group === o.within);
  return (
    under?.options.find((x) => x.value === o.value) ??
    [...o.options, ...(o.optgroups ?? []).flatMap((g) => g.options)].find((x) => x.value === o.value)
  );
}

function option(x: { value: string; label: string }, selected: boolean, group?: string): Html {
  return html`<option value="${x.value}"${group ? html` data-group="${group}"` : ''}${selected ? html` selected` : ''}>${x.label}</option>`;
}

/** Radio buttons in a fieldset whose legend is the question. */
export function radios(o: ChoiceOptions): Html {
  const { id, issue, describedBy } = wiring(o);
  const required = isRequired(o.required, o.name);
  // a group of radio buttons says it is required as a radiogroup (a fieldset cannot)
  return html`<fieldset id="${id}"${describedBy ? html` aria-describedby="${describedBy}"` : ''}${required ? html` role="radiogroup" aria-required="true"` : ''}><legend${requiredClass(required)}>${o.label}</legend>
${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ''}
${issue ? html`<p class="field-error" id="${id}-error">${NONE_CHOSEN.test(issue.rule) ? `${CHOOSE} below` : issueText(issue, o.name)}</p>` : ''}
${o.options.map((x, i) => html`<div class="choice"><input type="radio" id="${id}-${i}" name="${o.name}" value="${x.value}"${x.value === o.value ? html` checked` : ''}><label for="${id}-${i}">${x.label}</label></div>`)}
</fieldset>`;
}

/**
 * The guide's "interests, not positions; sharing, not marketing" advice beside the text it is about,
 * never blocking; for whoever may change that text (its author): shown to every reader, a hint would
 * be a public label on someone's words rather than help in writing them.
 */
export function hints(flags: (TextFlag & { field?: string })[], heading = 'Hints from the guide'): Html | '' {
  if (!flags.length) return '';
  return html`<aside class="hints" aria-label="${heading}"><h3>${heading}</h3>
<p class="hint">These never stop you: they point at sentences others may read as a fixed position or as marketing.</p>
<ul>${flags.map((f) => html`<li><strong class="warn">${f.kind === 'position' ? 'Reads as a position' : 'Reads as marketing'}</strong>${f.field ? html` (in ${f.field})` : ''}: <q>${f.sentence}</q><br><span class="muted">Triggered by ${f.cue}.</span> ${f.suggestion}</li>`)}</ul>
</aside>`;
}

/** Raw and organisation-weighted counts side by side, the share per organisation, and the dominance warning. */
export function tallyTable(t: Tally, caption: string, kinds: string[]): Html {
  return html`<div class="table-wrap"><table>
<caption>${caption}</caption>
<thead><tr><th scope="col">Response</th><th scope="col">People</th><th scope="col">Weighted by organisation</th></tr></thead>
<tbody>${kinds.map((k) => html`<tr><th scope="row">${k}</th><td>${t.raw[k] ?? 0}</td><td>${t.weighted[k] ?? 0}</td></tr>`)}</tbody>
</table></div>
${t.byOrganisation.length ? html`<p class="muted">Per organisation: ${t.byOrganisation.map((o, i) => html`${i ? '; ' : ''}${o.organisation} ${o.voices} voice${o.voices === 1 ? '' : 's'} × ${o.weightEach}`)}</p>` : ''}
${t.warnings.map((w) => html`<p class="warning" role="note"><strong>Dominance warning:</strong> ${w}</p>`)}`;
}

/** "yes" / "no" for a condition, with the word as well as the colour. */
export function passFail(passed: boolean): Html {
  return passed ? html`<span class="badge ok">pass</span>` : html`<span class="badge bad">fail</span>`;
}

/** A calendar date (YYYY-MM-DD) as written, the same day in every zone. */
export function day(date: string): string {
  const d = new Date(`${date.slice(0, 10)}T12:00:00Z`);
  return Number.isNaN(d.getTime())
    ? date
    : new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', dateStyle: 'medium' }).format(d);
}

/** Only web links become links: a stored `javascript:` or `data:` URL is shown as text. */
export function safeLink(url: string | null | undefined, label: string): Html | string {
  return url && /^https?:\/\//i.test(url)
    ? html`<a href="${url}">${label}</a>`
    : url
      ? html`${label} <span class="muted">(${url})</span>`
      : label;
}

/**
 * Why the viewer is not offered a form here, from the view's `can`, with a link when they can fix
 * it themself (sign in, accept the agreements). Nothing when they may. `id`, for a control it
 * describes (see `unavailable`).
 */
/**
 * Where a form needs a group and the hub has none yet (a new hub): say so and where the first one
 * starts, instead of a form whose group list is empty. `what` names the thing, e.g. "a meeting".
 */
export function noGroupYet(what: string): Html {
  return html`<p class="why-not">There is no group yet, and ${what} belongs to one. <a href="/groups">Groups</a> says how the first one starts.</p>`;
}

export function whyNot(c: WebContext, v: Verdict, here: string, doing?: string, id?: string): Html | string {
  if (v.allowed) return '';
  const idAttr = id ? html` id="${id}"` : '';
  return html`<p class="why-not"${idAttr}>${whyNotWords(c, v, here, doing)}</p>`;
}

/**
 * Why not, as words within a line: where the thing refused is a link in a list, not a button (a
 * `p.why-not` explains the button above it).
 */
export function whyNotWords(c: WebContext, v: Verdict, here: string, doing?: string): Html | string {
  if (v.allowed) return '';
  // "Sign in first. Sign in." said it twice, and not what for: the link, and what it would allow
  if (v.remedy === 'sign-in')
    return html`<a href="/sign-in?next=${encodeURIComponent(here)}">Sign in</a> ${doing ? `to ${doing}` : 'first'}.`;
  const fix = v.remedy === 'accept-agreements' ? html` <a href="/welcome">Read and accept them</a>.` : '';
  // a reason that names a moment ("You already asked for a vote, at 2026-11-02T09:00:00.000Z") reads it
  // in the viewer's zone, as the flash does, never as the stored ISO string; every page alike (the
  // zone comes with the request, so no page can leave it out and show UTC)
  return html`${sentence(momentsAsText(v.reason, viewerZone(c)))}${fix}`;
}

/**
 * An action the viewer may not take now, where its button would be: the button, unavailable
 * (aria-disabled, so it can still be reached and is read with its reason), and why not right under
 * it, tied to it by aria-describedby. A reason then always sits with its own button, never under
 * the one before it. `id` names the action on the page; `after`, more about it (its last use); nothing
 * when the verdict allows it.
 */
export function unavailable(
  c: WebContext,
  v: Verdict,
  o: { id: string; label: string; here: string; doing?: string; secondary?: boolean; after?: Html | string },
): Html | string {
  if (v.allowed) return '';
  return html`<div class="action"><button type="button" aria-disabled="true" aria-describedby="${o.id}-why"${o.secondary ? html` class="secondary"` : ''}>${o.label}</button>
${whyNot(c, v, o.here, o.doing, `${o.id}-why`)}${o.after ?? ''}</div>`;
}

/**
 * The contribution note beside a form where content is added (the governance file's
 * `agreements.contributionTerms.note`), with whom to ask by name: the group's leads, or the moderators.
 */
export function contributionNote(g: Governance, advisers: Advisers): Html {
  const t = g.agreements.contributionTerms;
  const last = advisers.people.length - 1;
  // "Ask the leads of Hosting: A, B or C." then the terms' own link, each its own sentence
  return html`<p class="muted contribution-note">${t.note}${last >= 0 ? html` Ask ${advisers.who}: ${advisers.people.map((p, i) => html`${i === 0 ? '' : i === last ? ' or ' : ', '}${personNamed(p.handle, p.name)}`)}.` : ''} The terms in full: <a href="${t.url}">${t.title}</a>.</p>`;
}

/**
 * A list's paging, the same on every long list (proposals, decisions, people, search): past the first
 * page a link back to it, and the next page while there is one, each a plain link in a landmark of
 * its own, so the keyboard reaches them in order and a screen reader lists them. A page goes on from
 * the cursor of the one before (a cursor is the REST list's `nextCursor`, so a page here and a page
 * there agree): the page before a later one is the browser's Back.
 */
export function pager(what: string, first: string | null, next: string | null): Html | string {
  if (!first && !next) return '';
  return html`<nav class="pager" aria-label="Pages of ${what}"><p>${first ? html`<a href="${first}" rel="first">First page</a>` : ''}${first && next ? ' · ' : ''}${next ? html`<a href="${next}" rel="next">Next page</a>` : ''}</p></nav>`;
}

/** What a later page with nothing on it says: the list shrank since the page before was shown. */
export function noMoreOn(what: string, first: string): Html {
  return html`<p>No more ${what}: fewer match than when the page before was shown. <a href="${first}">Back to the first page</a>.</p>`;
}
