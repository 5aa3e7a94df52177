// Invitations to a group, in the browser (app/groups/invitations.ts): the person invited sees theirs on
// their home page and on the group's page, with Accept and Decline; those who may set the group's
// levels see its open invitations there and withdraw one. Each control shows only when the
// invitation's `can` allows it.
import type { Hono } from 'hono';
import { html } from 'hono/html';
import {
  acceptInvitation,
  declineInvitation,
  listGroupInvitations,
  withdrawInvitation,
  yourLapsedInvitation,
  type InvitationView,
} from '../../../app/groups/invitations.ts';
import type { WhoAnswers } from '../../../app/groups/membership-request-reads.ts';
import { sponsorshipInWords } from '../../../domain/governance/describe.ts';
import { levelName, withArticle } from '../../../domain/governance/words.ts';
import { LIMITS } from '../../../domain/limits.ts';
import { isolatedName } from '../../../domain/people.ts';
import type { WebContext, WebEnv } from '../context.ts';
import { csrfField } from '../csrf.ts';
import { postForm } from '../form-post.ts';
import { absolute, relative, viewerZone, when } from '../format.ts';
import { openDecisionsOnJoining } from '../../../app/decisions/decisions.ts';
import { openOnJoiningWords } from '../../../domain/decisions/informed.ts';
import { errorSummary } from '../forms.ts';
import type { Html } from '../layout.ts';
import { actorFor, currentPerson } from '../session.ts';
import type { GroupFailure } from './group-admin.ts';
import { personNamed } from './widgets.ts';

const from = (i: InvitationView) =>
  i.invitedBy
    ? i.invitedByName !== null
      ? personNamed(i.invitedBy, i.invitedByName)
      : i.invitedBy
    : "the hub's operator";

/**
 * Whether the lead reading an invitation no longer open may invite its person again: now, or from
 * when and why not (the rules inviting checks; the invitation itself is checked again when sent).
 */
function inviteAgain(c: WebContext, i: InvitationView): Html | '' {
  const again = i.inviteAgain;
  if (!again) return '';
  if (again.allowed) return html`: you may invite them again`;
  return again.from
    ? // "in 4 weeks, Wed 2 Dec 2026, 01:00 (…)", or past six weeks "from Wed 2 Dec…"
      html`: you may invite them again ${relative(new Date(again.from), c.var.hub.clock.now()) ? '' : 'from '}${when(c, again.from)} <span class="muted">(${again.reason})</span>`
    : html`: ${again.reason}`;
}

/** One invitation as its person reads it, with Accept and Decline (each only when its `can` allows). */
export function invitationCard(c: WebContext, i: InvitationView, back: string): Html {
  const level = withArticle(levelName(c.var.hub.governance, i.level));
  return html`<p>${from(i)} invites you to <a href="/groups/${i.group}">${i.groupName}</a> as ${level}, ${when(c, i.invitedAt)}; it closes ${when(c, i.expiresAt)}.${i.message ? html` “${i.message}”` : ''}</p>
${i.groupStatus === 'proposed' ? html`<p class="warn">${i.groupName} is only proposed: it is not active yet, and becomes active once ${sponsorshipInWords(c.var.hub.governance)} sponsor it and it is moved to active.</p>` : ''}
<p>Nothing changes until you accept: nobody is placed in a group, or moved up in one, but by their own act.</p>
${
  i.can.accept.allowed
    ? html`<form class="inline-form" method="post" action="/groups/${i.group}/invitations/${i.id}/accept">${csrfField(c)}<input type="hidden" name="back" value="${back}"><button type="submit">Accept: join ${i.groupName} as ${level}</button></form>`
    : // the step that lifts the refusal, a link away: a newcomer read "accept … first" and did not know where
      i.can.accept.remedy === 'accept-agreements'
      ? html`<p class="why-not">${i.can.accept.reason}: <a href="/welcome#steps">accept them on the welcome page</a>, then accept the invitation.</p>`
      : html`<p class="muted">${i.can.accept.reason}.</p>`
}
${i.can.decline.allowed ? html`<form class="inline-form" method="post" action="/groups/${i.group}/invitations/${i.id}/decline">${csrfField(c)}<input type="hidden" name="back" value="${back}"><button type="submit" class="secondary">Decline the invitation</button></form>` : ''}`;
}

/** On the group's page: the viewer's own open invitation to it, and the group's open ones for those who may withdraw them. */
export async function invitationSections(
  c: WebContext,
  slug: string,
  failure: GroupFailure | null,
  /** Who answers requests to the group, the same who may invite: its leads, or, while nobody leads it, who does instead. */
  whoInvites: WhoAnswers = { byLeads: true, who: "the group's leads" },
): Promise<Html | ''> {
  if (!currentPerson(c)) return '';
  const list = await listGroupInvitations(c.var.hub, actorFor(c), slug);
  const problem = failure?.form === 'invitation' ? failure.problem : null;
  // one that ran out unanswered: its notice led here, so the page says it closed and how to come in
  const lapsed = list.yourInvitation || problem ? null : await yourLapsedInvitation(c.var.hub, actorFor(c), slug);
  const mine = list.yourInvitation
    ? html`<section aria-labelledby="invitation"><h2 id="invitation">You are invited</h2>
${errorSummary(problem, 'invitation')}
${invitationCard(c, list.yourInvitation, `/groups/${slug}`)}</section>`
    : problem
      ? html`<section aria-labelledby="invitation"><h2 id="invitation">Your invitation</h2>${errorSummary(problem, 'invitation')}</section>`
      : lapsed
        ? html`<section aria-labelledby="invitation"><h2 id="invitation">Your invitation expired</h2>
<p>${from(lapsed)} invited you to ${lapsed.groupName} as ${withArticle(levelName(c.var.hub.governance, lapsed.level))}; it expired ${when(c, lapsed.expiresAt)}, unanswered, and can no longer be accepted. ${whoInvites.byLeads ? "Ask the group's leads to invite you again." : `The group has no active lead now: ask ${whoInvites.who} to invite you again.`}</p></section>`
        : '';
  // a decline reached the lead only in their inbox, and the invitation vanished from here: the latest stay listed
  const declined = list.recentlyDeclined.length
    ? html`<section aria-labelledby="invitations-declined"><h2 id="invitations-declined">Invitations declined lately</h2>
<p class="muted">Declined in the last ${LIMITS.invitationWindowDays} days, latest first.</p>
<ul>${list.recentlyDeclined.map((i) => html`<li id="invitation-${i.id}">${personNamed(i.handle, i.name)} declined the invitation as ${withArticle(levelName(c.var.hub.governance, i.level))} from ${from(i)}${i.answeredAt ? html`, ${when(c, i.answeredAt)}` : ''}${inviteAgain(c, i)}.</li>`)}</ul></section>`
    : '';
  if (!list.items.length) return html`${mine}${declined}`;
  const withdrawProblem = failure?.form === 'withdrawInvitation' ? failure.problem : null;
  return html`${mine}<section aria-labelledby="invitations"><h2 id="invitations">Invitations not answered</h2>
${errorSummary(withdrawProblem, 'withdraw-invitation')}
<ul>${list.items.map(
    (
      i,
    ) => html`<li id="invitation-${i.id}"><p>${personNamed(i.handle, i.name)}, invited as ${withArticle(levelName(c.var.hub.governance, i.level))} by ${from(i)} ${when(c, i.invitedAt)}; ${i.state === 'open' ? html`it closes ${when(c, i.expiresAt)}` : html`it expired ${when(c, i.expiresAt)}, unanswered${inviteAgain(c, i)}`}.</p>
${i.can.withdraw.allowed ? html`<form class="inline-form" method="post" action="/groups/${slug}/invitations/${i.id}/withdraw">${csrfField(c)}<button type="submit" class="secondary">Withdraw the invitation of <bdi>${i.name}</bdi></button></form>` : ''}</li>`,
  )}</ul></section>${declined}`;
}

export function invitationRoutes(
  web: Hono<WebEnv>,
  show: (c: WebContext, slug: string, failure: GroupFailure) => Promise<Response>,
): void {
  // the answer's form says where it was sent from (the home page, the welcome page or the group's); anywhere else is the group's page
  const backTo = (f: Record<string, string>, slug: string) =>
    f.back === '/' || f.back === '/welcome' ? f.back : `/groups/${slug}`;
  for (const verb of ['accept', 'decline'] as const)
    web.post(`/groups/:slug/invitations/:id/${verb}`, (c) => {
      const slug = c.req.param('slug')!;
      const id = c.req.param('id')!;
      return postForm(c, {
        page: `/groups/${slug}`,
        run: async () => {
          const i = await (verb === 'accept' ? acceptInvitation : declineInvitation)(c.var.hub, actorFor(c), id, slug);
          // accepted, they may now have a voice in decisions already open: told what their silence does on each
          const zone = viewerZone(c);
          const open =
            verb === 'accept'
              ? openOnJoiningWords(
                  await openDecisionsOnJoining(c.var.hub, actorFor(c), i.group),
                  (iso) => `${absolute(new Date(iso), zone)} (${zone})`,
                )
              : null;
          return { ...i, open };
        },
        failed: (problem, values) => show(c, slug, { form: 'invitation', problem, values }),
        done: (_f, i) =>
          verb === 'accept'
            ? `You are in ${i.groupName} now, as ${withArticle(levelName(c.var.hub.governance, i.level))}.${i.open ? ` ${i.open} See them under Decisions on the group's page.` : ''}`
            : `You declined the invitation to ${i.groupName}; ${i.invitedBy ? 'whoever invited you is told' : 'nothing changed'}.`,
        next: (i, f) => (verb === 'accept' ? `/groups/${i.group}#members` : backTo(f, slug)),
      });
    });
  web.post('/groups/:slug/invitations/:id/withdraw', (c) => {
    const slug = c.req.param('slug')!;
    const id = c.req.param('id')!;
    return postForm(c, {
      page: `/groups/${slug}`,
      run: () => withdrawInvitation(c.var.hub, actorFor(c), slug, id),
      failed: (problem, values) => show(c, slug, { form: 'withdrawInvitation', problem, values }),
      done: (_f, i) => `The invitation of ${isolatedName(i.name)} (@${i.handle}) is withdrawn; they are told.`,
      next: `/groups/${slug}#invitations`,
    });
  });
}
