// The "Repeats" part of a meeting form: a choice and a count instead of an iCalendar rule, turned
// into the rule the meeting use cases take. The words and rules themselves are the domain's.
import { html } from 'hono/html';
import { type FieldIssue, InvalidInput } from '../../../domain/errors.ts';
import { REPEAT_CHOICES, ruleFromChoice } from '../../../domain/meetings/recurrence-words.ts';
import { field, type FormProblem } from '../forms.ts';
import type { Html } from '../layout.ts';
import { select } from './widgets.ts';

export function repeatFields(v: Record<string, string>, problem: FormProblem | null, form?: string): Html {
  return html`<fieldset><legend>Repeats</legend>
${select({ name: 'repeat', label: 'How often', value: v.repeat ?? 'none', problem, ...(form ? { form } : {}), options: REPEAT_CHOICES.map((x) => ({ value: x.value, label: x.label })) })}
${field({ name: 'times', type: 'number', label: 'How many times in all (optional)', value: v.times, problem, ...(form ? { form } : {}), hint: 'Leave empty to repeat until the series is cancelled.' })}
</fieldset>`;
}

/** The rule the form's choice means, or undefined for a one-off; a bad choice is an input error naming its field. */
export function repeatRule(f: Record<string, string>): string | undefined {
  const r = repeatChoice(f);
  if (r.issues.length) throw new InvalidInput(r.issues);
  return r.rule;
}

/** The same, with a bad choice as an issue to report beside the use case's own, not alone. */
export function repeatChoice(f: Record<string, string>): { rule?: string; issues: FieldIssue[] } {
  const r = ruleFromChoice({ repeat: f.repeat, times: f.times });
  if ('field' in r) return { issues: [{ field: r.field, rule: r.problem }] };
  return r.rule ? { rule: r.rule, issues: [] } : { issues: [] };
}
