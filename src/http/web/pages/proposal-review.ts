// "Ask for review" on a proposal's page: the last request (whom it reached, by whom, when) for
// everyone, the button for an author whose `can.requestReview` allows it, and for an author who may
// not ask now, why (asked too recently, nobody to ask). Others see no button and no refusal.
import { html } from 'hono/html';
import type { ProposalView } from '../../../app/proposals/proposals.ts';
import type { WebContext } from '../context.ts';
import { csrfField } from '../csrf.ts';
import { when } from '../format.ts';
import type { Html } from '../layout.ts';
import { personLink, whyNot } from './widgets.ts';

export function reviewRequestBlock(c: WebContext, p: ProposalView, me: string | null): Html {
  const last = p.reviewRequest;
  const author = me !== null && p.authors.some((a) => a.handle === me);
  const whom = p.sponsor ? `${p.sponsor.name}, its sponsor,` : "the group's leads (it has no sponsor yet)";
  return html`${
    last
      ? html`<p class="muted">Review asked of ${last.asked.map((h, i) => html`${i ? ', ' : ''}${personLink(h)}`)} (${last.as === 'sponsor' ? 'its sponsor' : "the group's leads"}) by ${personLink(last.by)} ${when(c, last.at)}.</p>`
      : ''
  }${
    p.can.requestReview.allowed
      ? html`<form method="post" action="/proposals/${p.ref}/review-request">${csrfField(c)}
<p class="hint">Tells ${whom} that it waits for their review, in their inbox and by mail as they chose. At most once every ${c.var.hub.governance.notifications.reviewRequestHours} hours per proposal.</p>
<button type="submit" class="secondary">${p.sponsor ? 'Ask my sponsor for review' : "Ask the group's leads for review"}</button></form>`
      : author
        ? whyNot(p.can.requestReview, `/proposals/${p.ref}`)
        : ''
  }`;
}
