// The one body behind a page's form post: a visitor is sent to sign in and back to the page; the
// form's fields go to the use case; a domain error re-renders the page with the problem in that
// form and the person's input kept; success leaves a one-time message and redirects (303,
// post/redirect/get). Pages say only what differs: the use case, the page, the message.
import { ALREADY_AS_ASKED, DomainError } from '../../domain/errors.ts';
import type { WebContext } from './context.ts';
import { formFields, formProblem, type FormProblem } from './forms.ts';
import { currentPerson, flash } from './session.ts';
import { viewerZone } from './format.ts';

export type FormValues = Record<string, string>;

export type FormPost<R> = {
  /** The page the form is on: where a visitor comes back to after signing in, and (unless `next`) after success. */
  page: string;
  /** The use case, given the form's string fields. */
  run: (values: FormValues) => Promise<R>;
  /** Re-renders the page with the problem in the form that failed, and the person's input. */
  failed: (problem: FormProblem, values: FormValues) => Promise<Response>;
  /** The message shown once on the next page (it may depend on what the use case answered). */
  done: string | ((values: FormValues, result: R) => string);
  /** Where success leads, when not back to `page` (an anchor in it, or the result's own page). */
  next?: string | ((result: R, values: FormValues) => string | Promise<string>);
};

export async function postForm<R>(c: WebContext, o: FormPost<R>): Promise<Response> {
  if (!currentPerson(c)) return c.redirect(`/sign-in?next=${encodeURIComponent(o.page)}`, 303);
  const values = formFields(await c.req.parseBody());
  let result: R;
  try {
    result = await o.run(values);
  } catch (e) {
    const problem = formProblem(e, viewerZone(c), c.var.hub.governance);
    // already as asked (withdrawn already, asked for already): nothing went wrong and nothing is left
    // to do, so the page is shown as it is now with the message, not the form's error summary
    if (alreadyAsAskedIn(e)) {
      flash(c, problem.message);
      return c.redirect(o.page, 303);
    }
    return o.failed(problem, values);
  }
  flash(c, typeof o.done === 'string' ? o.done : o.done(values, result));
  const next = o.next === undefined ? o.page : typeof o.next === 'string' ? o.next : await o.next(result, values);
  return c.redirect(next, 303);
}

/** Whether a failure is a conflict of the thing being already as asked (domain/errors.ts). */
export const alreadyAsAskedIn = (e: unknown): boolean =>
  e instanceof DomainError && e.kind === 'conflict' && e.details.rule === ALREADY_AS_ASKED;

/** A form's optional text: trimmed, or undefined when empty. */
export const optional = (v: string | undefined): string | undefined => (v?.trim() ? v.trim() : undefined);
