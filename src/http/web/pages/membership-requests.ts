// Asking to become a member, in the browser: under the join control, a person who is not yet a
// member asks the group's leads (an optional note); the leads see open requests on the group page
// (and on their home, "What needs you") and accept or decline them, a decline saying why.
import { levelName, withArticle } from '../../../domain/governance/words.ts';
import type { Hono } from 'hono';
import { html } from 'hono/html';
import {
  answerMembershipRequest,
  askToBeMember,
  withdrawMembershipRequest,
  listMembershipRequests,
  type MembershipRequestView,
  type WhoAnswers,
  type YourMembershipRequest,
} from '../../../app/groups/membership-requests.ts';
import { isolatedName } from '../../../domain/people.ts';
import type { WebContext, WebEnv } from '../context.ts';
import { csrfField } from '../csrf.ts';
import { postForm } from '../form-post.ts';
import { when } from '../format.ts';
import { errorSummary, field, type FormProblem } from '../forms.ts';
import type { Html } from '../layout.ts';
import { actorFor, currentPerson } from '../session.ts';
import type { GroupFailure } from './group-admin.ts';
import { personLink, personNamed } from './widgets.ts';

type GroupLike = {
  slug: string;
  name: string;
  can: {
    askToBeMember: { allowed: boolean; reason?: string };
    withdrawMembershipRequest: { allowed: boolean };
    answerMembershipRequests: { allowed: boolean };
  };
  /** The viewer's own latest request (getGroupFor). */
  yourRequest: YourMembershipRequest | null;
  whoAnswersRequests: WhoAnswers;
};

/**
 * "Ask to become a member": for a signed-in person below the member level, or why they cannot now;
 * with their open request (when they asked, that nobody has answered yet), or the answer to their
 * last one when it was declined, and why.
 */
export async function askControl(c: WebContext, g: GroupLike, failure: GroupFailure | null): Promise<Html | ''> {
  if (!currentPerson(c)) return '';
  const mine = g.yourRequest;
  if (mine && !mine.answer)
    return html`<p id="your-request">You asked to become a member ${when(c, mine.requestedAt)}; ${mine.whoAnswers.byLeads ? "the group's leads have not answered yet." : `nobody has answered yet. The group has no active lead, so ${mine.whoAnswers.who} answers.`}</p>
${g.can.withdrawMembershipRequest.allowed ? html`<form class="inline-form" method="post" action="/groups/${g.slug}/membership-requests/mine/withdraw">${csrfField(c)}<button type="submit" class="secondary">Withdraw your request</button></form>` : ''}`;
  const answered =
    mine?.answer === 'declined'
      ? html`<p>Your request to become a member was declined by ${mine.answeredBy ? (mine.answeredByName !== null ? personNamed(mine.answeredBy, mine.answeredByName) : personLink(mine.answeredBy)) : "the hub's operator"} ${when(c, mine.answeredAt!)}: “${mine.answerReason}”</p>`
      : '';
  return html`${answered}${askForm(c, g, failure)}`;
}

function askForm(c: WebContext, g: GroupLike, failure: GroupFailure | null): Html | '' {
  const verdict = g.can.askToBeMember;
  if (!verdict.allowed) {
    // said only where it helps: when one may ask again (an open request is said above)
    return verdict.reason?.startsWith("The group's leads declined your last request")
      ? html`<p class="muted">${verdict.reason}.</p>`
      : '';
  }
  const problem = failure?.form === 'ask' ? failure.problem : null;
  return html`<details id="ask-member"${problem ? html` open` : ''}><summary>Ask to become a member</summary>
${errorSummary(problem, 'ask')}
<form method="post" action="/groups/${g.slug}/membership-requests">${csrfField(c)}
<p>Anyone may join ${g.name} as an observer or participant. A member's response counts in the group's decisions, so the group's leads grant that level: this asks them.</p>
${g.whoAnswersRequests.byLeads ? '' : html`<p class="warning" role="note">The group has no active lead now, so ${g.whoAnswersRequests.who} answers your request.</p>`}
${field({ name: 'note', label: 'A note for the leads (optional)', type: 'textarea', rows: 2, form: 'ask', problem, value: failure?.form === 'ask' ? failure.values.note : '', hint: 'What you work on, and why you would like to be a member.' })}
<button type="submit">Ask to become a member</button></form></details>`;
}

/** The open requests, for those who may answer them: accept, or decline saying why. */
export async function requestsSection(c: WebContext, g: GroupLike, failure: GroupFailure | null): Promise<Html | ''> {
  if (!g.can.answerMembershipRequests.allowed) return '';
  const { items } = await listMembershipRequests(c.var.hub, actorFor(c), g.slug);
  if (!items.length) return '';
  const problem = (r: MembershipRequestView): FormProblem | null =>
    failure?.form === 'answer' && failure.values.request === r.id ? failure.problem : null;
  return html`<section aria-labelledby="requests"><h2 id="requests">Requests to become a member</h2>
<ul>${items.map(
    (
      r,
    ) => html`<li id="request-${r.id}"><p><a href="/people/${r.handle}"><bdi>${r.name}</bdi></a> (@${r.handle}; ${r.level ? `now ${withArticle(levelName(c.var.hub.governance, r.level))}` : 'not a member yet'}) asked ${when(c, r.requestedAt)}${r.note ? html`: “${r.note}”` : '.'}</p>
${errorSummary(problem(r), `answer-${r.id}`)}
<form class="inline-form" method="post" action="/groups/${g.slug}/membership-requests/${r.id}/answer">${csrfField(c)}<input type="hidden" name="answer" value="accepted"><button type="submit">Accept <bdi>${r.name}</bdi> as a member</button></form>
<details${problem(r) ? html` open` : ''}><summary>Decline</summary>
<form method="post" action="/groups/${g.slug}/membership-requests/${r.id}/answer">${csrfField(c)}<input type="hidden" name="answer" value="declined">
${field({ name: 'reason', label: `Why you decline ${isolatedName(r.name)}'s request`, form: `answer-${r.id}`, problem: problem(r), required: true, value: problem(r) ? failure?.values.reason : '', hint: 'They read it: say what would change the answer, e.g. "Take part for a month first".' })}
<button type="submit" class="secondary">Decline <bdi>${r.name}</bdi>'s request</button></form></details></li>`,
  )}</ul></section>`;
}

export function membershipRequestRoutes(
  web: Hono<WebEnv>,
  show: (c: WebContext, slug: string, failure: GroupFailure) => Promise<Response>,
): void {
  web.post('/groups/:slug/membership-requests', (c) => {
    const slug = c.req.param('slug');
    return postForm(c, {
      page: `/groups/${slug}`,
      run: (f) => askToBeMember(c.var.hub, actorFor(c), slug, { note: f.note ?? '' }),
      failed: (problem, values) => show(c, slug, { form: 'ask', problem, values }),
      done: (_f, asked) =>
        asked.whoAnswers.byLeads
          ? "You have asked to become a member. The group's leads will answer."
          : `You have asked to become a member. The group has no active lead, so ${asked.whoAnswers.who} answers.`,
    });
  });
  web.post('/groups/:slug/membership-requests/mine/withdraw', (c) => {
    const slug = c.req.param('slug');
    return postForm(c, {
      page: `/groups/${slug}`,
      run: () => withdrawMembershipRequest(c.var.hub, actorFor(c), slug),
      failed: (problem, values) => show(c, slug, { form: 'withdraw', problem, values }),
      done: 'Your request to become a member is withdrawn. You may ask again whenever you like.',
    });
  });
  web.post('/groups/:slug/membership-requests/:id/answer', (c) => {
    const slug = c.req.param('slug');
    const id = c.req.param('id');
    return postForm(c, {
      page: `/groups/${slug}`,
      run: (f) =>
        answerMembershipRequest(c.var.hub, actorFor(c), slug, id, {
          answer: f.answer,
          ...(f.reason?.trim() ? { reason: f.reason } : {}),
        }),
      failed: (problem, values) => show(c, slug, { form: 'answer', problem, values: { ...values, request: id } }),
      done: (_f, r) =>
        r.answer === 'accepted'
          ? `${isolatedName(r.name)} (@${r.handle}) is now a member.`
          : `The request of ${isolatedName(r.name)} (@${r.handle}) is declined; they are told why.`,
      next: `/groups/${slug}#members`,
    });
  });
}
