// "Ask for review" on a proposal's page: the last request (whom it reached, by whom, when) for
// everyone, the button for an author whose `can.requestReview` allows it, and for an author who may
// not ask now, the button unavailable with why (asked too recently, nobody to ask). What it does, or
// why not, and the last request sit under the button. Others see no button and no refusal.
import { html } from 'hono/html';
import type { ProposalView } from '../../../app/proposals/proposals.ts';
import type { WebContext } from '../context.ts';
import { csrfField } from '../csrf.ts';
import { when } from '../format.ts';
import type { Html } from '../layout.ts';
import { personIn, unavailable } from './widgets.ts';

export function reviewRequestBlock(c: WebContext, p: ProposalView, me: string | null): Html | string {
  const last = p.reviewRequest;
  const author = me !== null && p.authors.some((a) => a.handle === me);
  const whom = p.sponsor ? `${p.sponsor.name}, its sponsor,` : "the group's leads (it has no sponsor yet)";
  const label = p.sponsor ? 'Ask my sponsor for review' : "Ask the group's leads for review";
  const asked = last
    ? html`<p class="muted" id="review-request-last">Review asked of ${last.asked.map((h, i) => html`${i ? ', ' : ''}${personIn(p.names, h)}`)} (${last.as === 'sponsor' ? 'its sponsor' : "the group's leads"}) by ${personIn(p.names, last.by)} ${when(c, last.at)}.</p>`
    : '';
  // the button first, then what it does (or why not) and the last request, each under it and read with it;
  // the page's 'ask … for review' link names the button, so following it by keyboard lands on it
  return p.can.requestReview.allowed
    ? html`<form class="action" method="post" action="/proposals/${p.ref}/review-request">${csrfField(c)}
<button type="submit" class="secondary" id="review-request" aria-describedby="review-request-hint${last ? ' review-request-last' : ''}">${label}</button>
<p class="hint" id="review-request-hint">Tells ${whom} that it waits for their review, in their inbox and by mail as they chose. At most once every ${c.var.hub.governance.notifications.reviewRequestHours} hours per proposal.</p>
${asked}</form>`
    : author
      ? unavailable(c, p.can.requestReview, {
          id: 'review-request',
          label,
          here: `/proposals/${p.ref}`,
          doing: 'ask for review',
          secondary: true,
          after: asked,
        })
      : asked;
}
