// Form errors in the page, not as a bare status: a summary at the top naming each field and its
// rule (linked to the field), the rule again beside the field, and the person's input kept.
import { html } from 'hono/html';
import { ZodObject, type z } from 'zod';
import { DomainError, invalid, type FieldIssue } from '../../domain/errors.ts';
import { describeFailure } from '../../domain/failure.ts';
import type { Governance } from '../../domain/governance/schema.ts';
import { momentsAsText } from './format.ts';
import type { Html } from './layout.ts';

/** What a failed form submission shows: the domain error's issues (field + rule) or its message. */
export type FormProblem = { message: string; issues: FieldIssue[]; status: number };

/**
 * Turns a thrown error into something a form can show; anything that is not a DomainError is
 * rethrown. Moments the rule names as ISO timestamps ("the earliest is 2026-11-07T09:00:00.000Z")
 * are shown in `zone` (the person's, where the page knows it), as the rest of the page shows them.
 */
export function formProblem(e: unknown, zone = 'UTC', g?: Pick<Governance, 'proposals'>): FormProblem {
  if (!(e instanceof DomainError)) throw e;
  const f = describeFailure(e, g);
  return {
    message: momentsAsText(f.detail, zone),
    issues: (f.issues ?? []).map((i) => ({ ...i, rule: momentsAsText(i.rule, zone) })),
    status: f.status,
  };
}

/** The id of a field's input, derived from the field name the use case reports. */
export function fieldId(field: string): string {
  return `f-${field.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
}

/**
 * The summary shown above a form that failed; focused on load (app.js) so screen readers hear it.
 * `form` prefixes the linked ids when a page has several forms with the same field names.
 */
export function errorSummary(p: FormProblem | null | undefined, form?: string, firstPage?: string): Html | '' {
  if (!p) return '';
  const target = (f: string) => fieldId(form ? `${form}-${f}` : f);
  return html`<div class="error-summary" role="alert" tabindex="-1">
<h2>There is a problem</h2>
${
  p.issues.length
    ? html`<ul>${p.issues.map((i) =>
        /^(cursor|\w+Cursor)$/.test(i.field) && firstPage
          ? html`<li><a href="${firstPage}">${PAGE_LINK_REFUSED}</a></li>`
          : html`<li><a href="#${target(i.field)}">${i.field}: ${i.rule}</a></li>`,
      )}</ul>`
    : html`<p>${p.message}</p>`
}
</div>`;
}

/**
 * A list's refused cursor in a reader's words, linked to the list's first page: the cursor is no field
 * on the page (a summary link to "#f-cursor" led nowhere) and "nextCursor" is REST's word, not theirs.
 */
export const PAGE_LINK_REFUSED =
  'This address is not one the list gave (it may have been changed or cut short): go to the first page';

/** The error summary of a long list: a refused cursor (`?cursor=`, or a list's own such as `?pastCursor=`) leads to `firstPage`. */
export function listErrorSummary(p: FormProblem | null | undefined, firstPage: string): Html | '' {
  return errorSummary(p, undefined, firstPage);
}

/**
 * The error summary in the words of the form: each link's field key ("startsAt: …") becomes the
 * label of the input it points at ("Starts at: …"), read from the page's own `<label for>` (or
 * a fieldset's legend); a key with no labelled input on the page stays as it is.
 */
export function withFieldLabels(page: string): string {
  const start = page.indexOf('<div class="error-summary"');
  if (start < 0) return page;
  const end = page.indexOf('</div>', start);
  if (end < 0) return page;
  const labels = new Map<string, string>();
  const choices = new Set([...page.matchAll(/<fieldset id="([^"]{1,200})"/g)].map((m) => m[1]!));
  const named = [
    ...page.matchAll(/<label for="([^"]{1,200})"[^>]{0,200}>([\s\S]{0,2000}?)<\/label>/g),
    // radio buttons: the fieldset's legend is the question
    ...page.matchAll(/<fieldset id="([^"]{1,200})"[^>]{0,200}><legend[^>]{0,100}>([\s\S]{0,2000}?)<\/legend>/g),
  ];
  for (const m of named) {
    const text = m[2]!
      .replace(/<[^>]*>/g, '')
      .replace(/\s+/g, ' ')
      .trim();
    if (text && !labels.has(m[1]!)) labels.set(m[1]!, text.replace(/[:.?]$/, ''));
  }
  const summary = page
    .slice(start, end)
    .replace(/<a href="#([^"]+)">([^<:]+): ([^<]*)/g, (all, id: string, key: string, rule: string) => {
      const label = labels.get(id);
      // a set of choices names its options by their words on the page, not by the values it sends
      if (label) return `<a href="#${id}">${label}: ${choices.has(id) && NONE_CHOSEN.test(rule) ? CHOOSE : rule}`;
      // one entry of a list field ("examples[0]"): the list's label and which entry, linked to the
      // list's input, whose id is the entry's without the index (a form's prefix kept: "f-attendance-attended")
      const entry = /^([A-Za-z][\w.]*)\[(\d+)\]$/.exec(key);
      const listId = entry && id.endsWith(`-${entry[2]}-`) ? id.slice(0, -`-${entry[2]}-`.length) : null;
      const list = listId && labels.get(listId);
      return list ? `<a href="#${listId}">${list}, entry ${Number(entry![2]) + 1}: ${rule}` : all;
    });
  return page.slice(0, start) + inPageOrder(summary, page) + page.slice(end);
}

/**
 * The summary's entries in the order their fields stand in the form, top to bottom: a person reads
 * the list and goes down the form once, whichever check found each mistake first.
 */
function inPageOrder(summary: string, page: string): string {
  const list = /<ul>([\s\S]*)<\/ul>/.exec(summary);
  if (!list) return summary;
  const items = list[1]!.match(/<li>[\s\S]*?<\/li>/g) ?? [];
  // an entry that links to no field on the page (a message of its own) keeps its place at the end
  if (items.join('') !== list[1]!.trim()) return summary;
  const at = (item: string) => {
    const target = /^<li><a href="#([^"]*)"/.exec(item)?.[1];
    const i = target ? page.indexOf(`id="${target}"`) : -1;
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const sorted = items
    .map((item, i) => ({ item, i, at: at(item) }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map((x) => x.item);
  return summary.replace(list[0], () => `<ul>${sorted.join('')}</ul>`);
}

/** A rule saying no option, or an unknown one, was chosen. */
export const NONE_CHOSEN = /^(must be one of: |is required)/;
/** What a set of radio buttons says instead: its options are words on the page, not the values sent. */
export const CHOOSE = 'choose one of the options';

/**
 * An error beside its input: the rule alone (the label is just above); for one entry of a list,
 * which entry in words ("entry 3: no person 'x'"), not the key the use case reports ("attended[2]");
 * the key only for another part of it.
 */
export const issueText = (issue: FieldIssue, name: string): string => {
  if (issue.field === name) return issue.rule;
  const entry = /^\[(\d+)\]$/.exec(issue.field.slice(name.length));
  if (issue.field.startsWith(name) && entry) return `entry ${Number(entry[1]) + 1}: ${issue.rule}`;
  return `${issue.field}: ${issue.rule}`;
};

/** The rule a field broke, shown beside it. */
export function issueFor(p: FormProblem | null | undefined, field: string): FieldIssue | undefined {
  return issuesFor(p, field)[0];
}

/** Every rule a field broke: a list field (leads, facilitators) may have several wrong entries. */
export function issuesFor(p: FormProblem | null | undefined, field: string): FieldIssue[] {
  return (p?.issues ?? []).filter(
    (i) => i.field === field || i.field.startsWith(`${field}.`) || i.field.startsWith(`${field}[`),
  );
}

/**
 * The fields a use case cannot do without, read from the schema that validates its input (a field
 * is required when its rule refuses it missing; one with a default or marked optional is not), so
 * the marks on a form and the refusals behind it never disagree. Nested objects give `subject.type`.
 */
export function requiredFields(schema: z.ZodObject, prefix = ''): ReadonlySet<string> {
  const out = new Set<string>();
  for (const [name, rule] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    if (rule.safeParse(undefined).success) continue;
    out.add(`${prefix}${name}`);
    if (rule instanceof ZodObject) for (const n of requiredFields(rule, `${prefix}${name}.`)) out.add(n);
  }
  return out;
}

/** Whether a field is required: said outright, or read from `requiredFields` of the form's use case. */
export type Required = boolean | ReadonlySet<string> | undefined;
export const isRequired = (r: Required, field: string): boolean => (typeof r === 'boolean' ? r : !!r?.has(field));

/**
 * A required field's label or legend carries this class: the stylesheet puts the mark after it
 * (generated text, with empty alternative text, so a label still reads as its words to assistive
 * technology, which hears `aria-required` instead, and to anything finding a field by its label).
 */
export const requiredClass = (required: boolean): Html | '' => (required ? html` class="required"` : '');

/** What the mark means, once at the top of a form that has one. */
export const requiredLegend = (): Html =>
  html`<p class="required-legend">Fields marked with an asterisk (<span class="required-mark">*</span>) are required.</p>`;

type FieldOptions = {
  name: string;
  label: string;
  value?: string | null;
  hint?: string;
  problem?: FormProblem | null;
  /** Which reported field name this input answers for, when it differs from `name`. */
  field?: string;
  type?: 'text' | 'textarea' | 'search' | 'number' | 'date' | 'datetime-local' | 'email';
  /**
   * Marked required. Read from the use case's schema (`requiredFields`), the input says so with
   * `aria-required`, not the browser's own check, which would stop a form of several fields at its
   * first empty one before the hub could name every mistake at once; `true` is for the one field a
   * form needs (a reason to withdraw), where the browser's check costs nothing and saves a round trip.
   */
  required?: Required;
  rows?: number;
  /** Prefixes the input's id, for a page with several forms that share field names. */
  form?: string;
  /** The id of a <datalist> of suggestions (a person picker that still takes any handle). */
  list?: string;
};

/** A labelled input with its hint and error wired up for assistive technology. */
export function field(o: FieldOptions): Html {
  const id = fieldId(o.form ? `${o.form}-${o.field ?? o.name}` : (o.field ?? o.name));
  // beside a list's input, each wrong entry, as the summary names them: not the first alone
  const issues = issuesFor(o.problem, o.field ?? o.name);
  const issue = issues[0];
  const describedBy = [o.hint ? `${id}-hint` : '', issue ? `${id}-error` : ''].filter(Boolean).join(' ');
  const required = isRequired(o.required, o.field ?? o.name);
  const common = html`id="${id}" name="${o.name}"${describedBy ? html` aria-describedby="${describedBy}"` : ''}${issue ? html` aria-invalid="true"` : ''}${required ? (o.required === true ? html` required` : html` aria-required="true"`) : ''}${o.list ? html` list="${o.list}" autocomplete="off"` : ''}`;
  return html`<label for="${id}"${requiredClass(required)}>${o.label}</label>
${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ''}
${issue ? html`<p class="field-error" id="${id}-error">${issues.map((i, n) => html`${n ? html`<br>` : ''}${issueText(i, o.field ?? o.name)}`)}</p>` : ''}
${
  o.type === 'textarea'
    ? html`<textarea ${common} rows="${o.rows ?? 8}">${o.value ?? ''}</textarea>`
    : html`<input type="${o.type ?? 'text'}" ${common} value="${o.value ?? ''}">`
}`;
}

/**
 * Fields a form sends more than once on purpose, by the path it posts to: the inbox's mark-read
 * takes several notices' ids. Every other field is one value.
 */
const LIST_FIELDS: readonly [RegExp, string][] = [[/^\/inbox\/read$/, 'id']];

/** The rule a file sent in a form's field breaks: no form of the hub takes one. */
export const FILE_FIELD_RULE = 'must be text typed in the form, not a file (no form on this hub takes one)';

/** How many of a form's wrong fields are named one by one; the rest are counted. */
const NAMED_FIELDS = 10;

/**
 * A form's fields sent more than once or as files, each named once (`all` is the body with every
 * value kept, `parseBody({ all: true })`). A field sent twice (fuzz round 16): the page read the last
 * and dropped the others without a word, so a proxy or a log reading the first saw another request
 * than the hub served. A field sent as a file (`title=@notes.txt`): read as no value at all, it was
 * refused with a rule about the field's length or, on an optional field, dropped (attack round 29).
 * One both repeated and a file is named once, as a file; past the first ten the rest are counted.
 */
export function wrongFormFields(all: Record<string, unknown>, path: string): FieldIssue[] {
  const listed = LIST_FIELDS.filter(([at]) => at.test(path)).map(([, name]) => name);
  const wrong: FieldIssue[] = [];
  for (const [name, v] of Object.entries(all)) {
    const values = Array.isArray(v) ? v : [v];
    if (values.some((x) => typeof x !== 'string')) wrong.push({ field: name, rule: FILE_FIELD_RULE });
    else if (Array.isArray(v) && !name.endsWith('[]') && !listed.includes(name))
      wrong.push({
        field: name,
        rule: `is sent ${v.length} times; this form takes it once (was the page changed, or sent by a script?)`,
      });
  }
  if (wrong.length <= NAMED_FIELDS) return wrong;
  const more = wrong.length - NAMED_FIELDS;
  return [
    ...wrong.slice(0, NAMED_FIELDS),
    { field: '(body)', rule: `names ${more} more field${more === 1 ? '' : 's'} sent more than once or as files` },
  ];
}

/** A form body's string fields (files and repeated keys are refused before: `wrongFormFields`). */
export function formFields(body: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string' && k !== '_csrf') out[k] = v;
  return out;
}

/** The version a form was rendered from, sent back so an update can refuse a stale copy (If-Match for forms). */
export function versionField(version: number) {
  return html`<input type="hidden" name="version" value="${String(version)}">`;
}

/**
 * The version a form carried where the write checks it only when given (withdrawing a decision, naming
 * its resolver: as on REST, MCP and the CLI): none sent is undefined, a mangled one an input error.
 */
export function formVersionIfSent(fields: Record<string, string | undefined>): number | undefined {
  return fields.version === undefined ? undefined : formVersion(fields);
}

/** Reads the version a form carried; a missing or mangled one is an input error, never "latest wins". */
export function formVersion(fields: Record<string, string | undefined>): number {
  // only as the form wrote it: Number() would read 0x10 as 16 and 1e3 as 1000, and the stale-copy
  // refusal would then name a version nobody read
  const written = fields.version?.trim() ?? '';
  const v = /^[1-9]\d{0,14}$/.test(written) ? Number(written) : 0;
  if (v < 1)
    throw invalid(
      'version',
      'must be the version the form was loaded with; reload the page and make your change again',
    );
  return v;
}
