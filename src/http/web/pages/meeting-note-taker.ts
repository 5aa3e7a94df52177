// Who owes a meeting's notes, in the browser: a field on the schedule form and a small form on the
// meeting page. Both are shown only where the viewer may name one (meeting.assignNoteTaker: the
// group's `can` when scheduling, the meeting's `can` afterwards); the use case checks the handle
// (a person, an active member of the group) and names the field when it refuses.
import { html } from 'hono/html';
import { noteTakerChoices, type MeetingView } from '../../../app/meetings/meetings.ts';
import type { WebContext } from '../context.ts';
import { csrfField } from '../csrf.ts';
import { field, versionField, type FormProblem } from '../forms.ts';
import type { Html } from '../layout.ts';
import { currentPerson } from '../session.ts';
import { personNamed } from './widgets.ts';

const HINT =
  "Someone in the group who may publish the notes (by default its members and leads), by handle. When the notes are late, the note-taker and the group's leads are told.";

/** A typed handle as the use case takes it: "@ana " is "ana"; nothing typed is nobody. */
export function noteTakerOf(typed: string | undefined): string | undefined {
  const h = (typed ?? '').trim().replace(/^@/, '');
  return h || undefined;
}

/** The schedule form's field; `where` says in which groups, when not in all of those offered. */
export function noteTakerField(value: string | undefined, problem: FormProblem | null, where: string): Html {
  return field({
    name: 'noteTaker',
    label: 'Note-taker (optional)',
    value,
    problem,
    hint: `${HINT} Left empty, the organiser is reminded instead.${where ? ` ${where}` : ''}`,
  });
}

// a picker of the group's active members, as suggestions; past this many, the handle is typed alone
const PICKER_MEMBERS = 300;

type Failed = { form: string; problem: FormProblem; values: Record<string, string> } | null;

/** "Who takes the notes" on the meeting page, for those whose `can.assignNoteTaker` allows it. */
export async function noteTakerSection(c: WebContext, m: MeetingView, failure: Failed): Promise<Html | ''> {
  if (!currentPerson(c) || !m.can.assignNoteTaker.allowed) return '';
  const failed = failure?.form === 'noteTaker' ? failure : null;
  // suggested: those who may publish the notes they would owe, as the use case decides it
  const members = await noteTakerChoices(c.var.hub, m.ref);
  const picker = members.length <= PICKER_MEMBERS;
  return html`<section aria-labelledby="note-taker"><h2 id="note-taker">Who takes the notes</h2>
<p>${m.noteTaker ? html`Now: ${personNamed(m.noteTaker, m.noteTakerName ?? m.noteTaker)}.` : 'Nobody is named: the organiser is reminded when the notes are late.'}</p>
<form method="post" action="/meetings/${m.ref}/note-taker">${csrfField(c)}${versionField(m.version)}
${field({
  name: 'noteTaker',
  label: 'Note-taker',
  form: 'noteTaker',
  problem: failed?.problem ?? null,
  value: failed ? failed.values.noteTaker : (m.noteTaker ?? ''),
  hint: `${HINT} Leave it empty to name nobody.`,
  ...(picker ? { list: `members-${m.ref}` } : {}),
})}
${picker ? html`<datalist id="members-${m.ref}">${members.map((p) => html`<option value="${p.handle}">${p.name}</option>`)}</datalist>` : ''}
<button type="submit" class="secondary">Save the note-taker</button></form></section>`;
}
