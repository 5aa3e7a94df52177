// The sender's own controls on their written input, on the meeting page: change its text (the form
// carries the input's own version, so a change from an older page is refused, not written over a
// newer one) or withdraw it (a box to tick first: the facilitators are told). Shown while the
// input's policy allows (its sender, until the meeting starts); once it does not, its sender reads why.
import { html } from 'hono/html';
import type { MeetingView } from '../../../app/meetings/meetings.ts';
import { invalid } from '../../../domain/errors.ts';
import type { WebContext } from '../context.ts';
import { csrfField } from '../csrf.ts';
import { field, fieldId, type FormProblem, versionField } from '../forms.ts';
import type { Html } from '../layout.ts';
import { currentPerson } from '../session.ts';

type Input = MeetingView['agenda']['items'][number]['writtenInput'][number];
/** The form that failed on this page, if it was one of this input's. */
export type InputFailure = {
  form: 'editInput' | 'withdrawInput';
  problem: FormProblem;
  values: Record<string, string>;
};

/** The summary's form prefix for a failed edit or withdrawal: the ids below carry the input's id. */
export function inputFormId(form: InputFailure['form'], input: string | undefined): string {
  return `${form === 'editInput' ? 'edit' : 'withdraw'}-${input ?? ''}`;
}

export function ownInputControls(c: WebContext, m: MeetingView, w: Input, failure: InputFailure | null): Html | '' {
  if (w.author !== currentPerson(c)?.handle) return '';
  const { edit, withdraw } = w.can;
  if (!edit.allowed && !withdraw.allowed) return html`<p class="hint">${edit.reason}.</p>`;
  const mine = failure?.values.input === w.id ? failure : null;
  const editing = mine?.form === 'editInput' ? mine : null;
  const withdrawing = mine?.form === 'withdrawInput' ? mine : null;
  const confirmId = fieldId(`withdraw-${w.id}-confirm`);
  const confirmIssue = withdrawing?.problem.issues.find((i) => i.field === 'confirm');
  return html`<details class="own-input"${mine ? html` open` : ''}><summary>Change or withdraw your input</summary>
${
  edit.allowed
    ? html`<form method="post" action="/meetings/${m.ref}/written-input/${w.id}/edit">${csrfField(c)}${versionField(w.version)}<input type="hidden" name="input" value="${w.id}">
${field({ name: 'body', label: 'New text', type: 'textarea', rows: 4, form: `edit-${w.id}`, problem: editing?.problem ?? null, value: editing?.values.body ?? w.body, hint: 'Until the meeting starts; the facilitators see the new text.' })}
<button type="submit">Save the change</button></form>`
    : html`<p class="hint">${edit.reason}.</p>`
}
${
  withdraw.allowed
    ? html`<form method="post" action="/meetings/${m.ref}/written-input/${w.id}/withdraw">${csrfField(c)}${versionField(w.version)}<input type="hidden" name="input" value="${w.id}">
<div class="choice"><input type="checkbox" id="${confirmId}" name="confirm" value="yes" required${confirmIssue ? html` aria-invalid="true" aria-describedby="${confirmId}-error"` : ''}><label for="${confirmId}">Yes, withdraw my input and tell the facilitators</label></div>
${confirmIssue ? html`<p class="field-error" id="${confirmId}-error">${confirmIssue.rule}</p>` : ''}
<button type="submit" class="secondary">Withdraw my input</button></form>`
    : ''
}</details>`;
}

/** A withdrawal needs its box ticked: it takes the input off the agenda and tells the facilitators. */
export function confirmedWithdrawal(values: Record<string, string>): void {
  if (values.confirm !== 'yes')
    throw invalid('confirm', 'tick the box to confirm: withdrawing takes your input off the agenda');
}
