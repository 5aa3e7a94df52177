// The inbox (/inbox), notification preferences (/me/notifications), the watch/mute control that
// other pages show (POST /subscriptions), and the unsubscribe page a mail links to
// (/unsubscribe/:token), which works signed out: the token is the proof, and a mail provider's
// one-click POST (RFC 8058) reaches it without cookies or a form token.
import { html } from 'hono/html';
import type { Hono } from 'hono';
import { groupNames, topicAreaNames } from '../../../app/groups/group-directory.ts';
import { groupsOf } from '../../../app/groups/groups.ts';
import { revokeReplyAddresses } from '../../../app/notifications/replies.ts';
import { listInbox, markRead, unreadCount } from '../../../app/notifications/inbox.ts';
import {
  getPreferences,
  listSubscriptions,
  setPreferences,
  setSubscription,
  subscriptionOf,
  unsubscribeByToken,
} from '../../../app/notifications/subscriptions.ts';
import { levelName } from '../../../domain/governance/words.ts';
import { SUBSCRIPTION_LEVELS } from '../../../domain/notifications/kinds.ts';
import { whyTold } from '../../../domain/notifications/why.ts';
import type { WebContext, WebEnv } from '../context.ts';
import { csrfField } from '../csrf.ts';
import { when, viewerZone } from '../format.ts';
import { errorSummary, formProblem, issueFor, listErrorSummary, type FormProblem } from '../forms.ts';
import { LIMITS } from '../../../domain/limits.ts';
import { noMoreOn } from './widgets.ts';
import type { Html } from '../layout.ts';
import { render } from '../render.ts';
import { actorFor, currentPerson, flash, safeNext } from '../session.ts';

const LEVEL_WORDS = {
  watching: 'Watching: tell me about everything here',
  normal: 'Normal: tell me what concerns me',
  muted: 'Muted: only mentions and replies to me',
} as const;

/**
 * The watch/normal/mute control for a group, topic area, proposal or decision. Several can sit on
 * one page (each topic area's card on its group's page), so the select's id names its subject and
 * `label` says which one it is for; its button says it too, to one who hears it (two "Save" buttons
 * on a group's page, its own and a topic area's, could not be told apart by a screen reader).
 */
export async function subscriptionControl(
  c: WebContext,
  type: string,
  ref: string,
  label = 'Notifications',
): Promise<Html | ''> {
  const me = currentPerson(c);
  if (!me) return '';
  const level = await subscriptionOf(c.var.hub, { kind: 'person', person: me }, type, ref);
  const id = `subscription-${type}-${ref}`.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  return html`<form method="post" action="/subscriptions" class="subscription">${csrfField(c)}
<input type="hidden" name="subjectType" value="${type}"><input type="hidden" name="subjectRef" value="${ref}">
<input type="hidden" name="next" value="${c.req.path}">
<label for="${id}">${label}</label>
<select id="${id}" name="level">${SUBSCRIPTION_LEVELS.map((l) => html`<option value="${l}"${l === level ? ' selected' : ''}>${LEVEL_WORDS[l]}</option>`)}</select>
<button type="submit">Save<span class="visually-hidden"> ${label.charAt(0).toLowerCase()}${label.slice(1)}</span></button></form>`;
}

/**
 * What each subscription is about, as its page names it: a group or topic area by its name (its key,
 * "hosting/horizontal-scaling", is for addresses: "Horizontal scaling (a topic area)"), a proposal or
 * decision by its reference; read at once for all of them (groups once, topic areas once).
 */
async function subjectsInWords(
  c: WebContext,
  subjects: readonly { subjectType: string; subjectRef: string }[],
): Promise<string[]> {
  const groups = subjects.some((s) => s.subjectType === 'group')
    ? new Map((await groupNames(c.var.hub)).map((g) => [g.slug, g.name]))
    : new Map<string, string>();
  const topics = await topicAreaNames(
    c.var.hub,
    subjects.filter((s) => s.subjectType === 'topic').map((s) => s.subjectRef),
  );
  return subjects.map(({ subjectType: type, subjectRef: ref }) => {
    if (type === 'group') return groups.get(ref) ?? ref;
    if (type !== 'topic') return ref;
    const name = topics.get(ref);
    return name ? `${name} (a topic area)` : ref;
  });
}

/** The navigation's inbox link with the unread count (nothing for a visitor). */
export async function inboxLink(c: WebContext, current = false): Promise<Html | ''> {
  const me = currentPerson(c);
  if (!me) return '';
  const n = await unreadCount(c.var.hub, { kind: 'person', person: me });
  return html`<a href="/inbox" class="inbox-link"${current ? html` aria-current="page"` : ''}>Inbox${n ? html` <span class="badge" aria-label="${n} unread">${n}</span>` : ''}</a>`;
}

/** What the inbox's "Show" choice sends as `unread`: every notice, the unread ones, the read ones (REST's values). */
const INBOX_SHOWS = [
  { value: '', label: 'Every notice' },
  { value: 'true', label: 'Unread only' },
  { value: 'false', label: 'Read only' },
] as const;

async function inboxPage(c: WebContext) {
  const actor = actorFor(c);
  const q = c.req.query();
  // as asked, so a value the inbox does not take is refused naming `unread` (any other value was read as
  // "every notice" unseen); the empty choice the page's own form sends is every notice
  const unread = q.unread || undefined;
  let problem: FormProblem | null = null;
  let page: Awaited<ReturnType<typeof listInbox>> | null = null;
  try {
    // paged as REST and MCP page it: a member back from weeks away reads on past the newest page
    page = await listInbox(c.var.hub, actor, {
      limit: LIMITS.webListPage,
      ...(unread !== undefined ? { unread } : {}),
      ...(q.cursor ? { cursor: q.cursor } : {}),
    });
  } catch (e) {
    problem = formProblem(e, viewerZone(c), c.var.hub.governance);
  }
  const kept: Record<string, string> = unread === 'true' || unread === 'false' ? { unread } : {};
  const first = q.cursor || problem ? `/inbox${kept.unread ? `?${new URLSearchParams(kept)}` : ''}` : null;
  const next = page?.nextCursor ? `/inbox?${new URLSearchParams({ ...kept, cursor: page.nextCursor })}` : null;
  const unreadIssue = issueFor(problem, 'unread');
  const shown = unread === 'true' ? ' unread' : unread === 'false' ? ' read' : '';
  return render(c, {
    title: 'Inbox',
    nav: 'inbox',
    status: problem?.status,
    body: html`<h1>Inbox</h1>
${listErrorSummary(problem, first ?? '/inbox')}
<p><a href="/me/notifications">Choose what you are told and how</a></p>
<form method="get" action="/inbox" class="filters" role="search" aria-label="Filter the inbox">
<label for="f-unread">Show</label>${unreadIssue ? html`<p class="field-error" id="f-unread-error">${unreadIssue.rule}</p>` : ''}
<select id="f-unread" name="unread"${unreadIssue ? html` aria-invalid="true" aria-describedby="f-unread-error"` : ''}>${INBOX_SHOWS.map((o) => html`<option value="${o.value}"${o.value === (unread ?? '') ? ' selected' : ''}>${o.label}</option>`)}</select>
<button type="submit">Show</button></form>
${
  page?.items.length
    ? html`${page.can.markAllRead.allowed ? html`<form method="post" action="/inbox/read">${csrfField(c)}<button type="submit">Mark all read</button></form>` : ''}
<ul class="inbox">${page.items.map(
        (
          n,
        ) => html`<li class="${n.read ? 'read' : 'unread'}">${n.read ? '' : html`<span class="badge">new</span> `}<a href="${n.path}">${n.title}</a>${n.events > 1 ? html` <span class="muted">(${n.events} updates)</span>` : ''}
${n.detail ? html`<br><span>${n.detail}</span>` : ''}
<br><span class="muted">${when(c, n.updatedAt)} · ${n.kind.replaceAll('-', ' ')} · told because ${whyTold(n.reason, n.kind, c.var.hub.governance)}</span>
${n.can.markRead.allowed ? html`<form method="post" action="/inbox/read" class="inline">${csrfField(c)}<input type="hidden" name="id" value="${n.id}"><button type="submit" class="secondary" aria-label="Mark read: ${n.title}">Mark read</button></form>` : ''}</li>`,
      )}</ul>
<p class="muted">Each notice says why it reached you. To hear less of something, set the Notifications choice on its page (or its group's) to Muted; what is mailed, and when, is under <a href="/me/notifications">Choose what you are told and how</a>.</p>`
    : problem
      ? ''
      : q.cursor
        ? noMoreOn('notices', first ?? '/inbox')
        : html`<p>Nothing here${shown || ' yet'}. You are told here when someone mentions you, when your proposals move, and when a group you take part in opens a decision (an observer is not told: watch the group from its page to be). The open decisions waiting for your answer, with their deadlines, are on <a href="/">your home page</a>.</p>`
}
${
  // as every long list pages (widgets.ts `pager`), in the inbox's words: newest first, so the next page is older
  (q.cursor && first) || next
    ? html`<nav class="pager" aria-label="Pages of notices"><p>${q.cursor && first ? html`<a href="${first}" rel="first">Newest notices</a>` : ''}${q.cursor && first && next ? ' · ' : ''}${next ? html`<a href="${next}" rel="next">Older notices</a>` : ''}</p></nav>`
    : ''
}`,
  });
}

/** Where a subject's Notifications choice is made, by its type and shown reference. */
function subjectHref(type: string, ref: string): string | null {
  const [group, topic] = ref.split('/');
  if (type === 'group') return `/groups/${encodeURIComponent(ref)}`;
  if (type === 'topic' && group && topic)
    return `/groups/${encodeURIComponent(group)}#topic-${encodeURIComponent(topic)}`;
  if (type === 'proposal') return `/proposals/${encodeURIComponent(ref)}`;
  if (type === 'decision') return `/decisions/${encodeURIComponent(ref)}`;
  return null;
}

const HOURS = Array.from({ length: 24 }, (_, h) => h);
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** What the preferences form sent, as typed: shown again beside the errors so nothing typed is lost. */
type SentPreferences = {
  immediate: boolean;
  digest: string;
  digestHour: string;
  digestWeekday: string;
  quietStart: string;
  quietEnd: string;
};

async function preferencesPage(c: WebContext, problem: FormProblem | null = null, sent: SentPreferences | null = null) {
  const actor = actorFor(c);
  const saved = await getPreferences(c.var.hub, actor);
  // a refused form shows what was sent (a quiet hour typed as 7am, the digest turned off), not what is saved
  const shown = sent ?? {
    immediate: saved.immediate,
    digest: saved.digest,
    digestHour: String(saved.digestHour),
    digestWeekday: String(saved.digestWeekday),
    quietStart: saved.quietStart ?? '',
    quietEnd: saved.quietEnd ?? '',
  };
  // what they hear of each group is chosen on its page: listed here, or a newcomer looking for it here never finds it
  const [groups, chosen] = await Promise.all([
    groupsOf(c.var.hub, actor.person.handle),
    listSubscriptions(c.var.hub, actor),
  ]);
  const levelOf = (type: string, ref: string) =>
    chosen.items.find((i) => i.subjectType === type && i.subjectRef === ref)?.level ?? 'normal';
  const others = chosen.items.filter(
    (i) => !(i.subjectType === 'group' && groups.some((g) => g.slug === i.subjectRef)),
  );
  // each by what its page calls it ("Observability (a group)", "decision D-2"), never its key ("group observability")
  const named = await subjectsInWords(c, others);
  const otherWords = others.map((i, n) => ({
    i,
    words:
      i.subjectType === 'group'
        ? `${named[n]} (a group)`
        : i.subjectType === 'topic'
          ? named[n]!
          : `${i.subjectType} ${i.subjectRef}`,
  }));
  // mail goes only to a confirmed address (app/people/email.ts)
  const mailedTo = actor.person.confirmed_email ?? null;
  const waiting = actor.person.email && actor.person.email !== mailedTo ? actor.person.email : null;
  const address = mailedTo
    ? await c.var.hub.store.db
        .selectFrom('mail_addresses')
        .selectAll()
        .where('address', '=', mailedTo)
        .executeTakeFirst()
    : undefined;
  const profile = `/people/${encodeURIComponent(actor.person.handle)}/edit`;
  // a quiet hour's field, with the rule it broke beside it (the summary above names it by its label)
  // no placeholder: a greyed "22:00" read as quiet hours already set when there were none
  const quietHour = (name: string, label: string, value: string) => {
    const issue = issueFor(problem, name);
    const describedBy = ['f-quiet-hint', issue ? `f-${name}-error` : ''].filter(Boolean).join(' ');
    return html`<label for="f-${name}">${label}</label>${issue ? html`<p class="field-error" id="f-${name}-error">${issue.rule}</p>` : ''}<input id="f-${name}" name="${name}" value="${value}" size="5" aria-describedby="${describedBy}"${issue ? html` aria-invalid="true"` : ''}>`;
  };
  const opt = (v: string | number, cur: string, label: string) =>
    html`<option value="${v}"${String(v) === cur ? ' selected' : ''}>${label}</option>`;
  return render(c, {
    title: 'Notification preferences',
    status: problem?.status,
    body: html`<h1>How you are told</h1>
${errorSummary(problem)}
${
  waiting
    ? html`<p class="warn">Your address ${waiting} is not confirmed yet: nothing is mailed to it until you open the link in its confirmation mail${mailedTo ? `; until then mail still goes to ${mailedTo}` : ', and until then you are not reachable by mail, only here in the inbox'}. <a href="${profile}#mail-status">Send a new confirmation link</a>.</p>`
    : ''
}
${
  mailedTo
    ? address?.status === 'failing'
      ? html`<p class="warn" role="alert">Mail to your address is failing (${address.reason ?? 'refused'}) since ${when(c, address.changed_at)}: you are told only here until it works again, or <a href="${profile}#f-profile-email">give another address in your profile</a>.</p>`
      : html`<p>Mail goes to your confirmed address ${mailedTo}; <a href="${profile}#f-profile-email">change it in your profile</a>.</p>`
    : waiting
      ? ''
      : html`<p class="warn">You have no mail address on record, so you are told only here in the inbox: <a href="${profile}#f-profile-email">add one in your profile</a> to be mailed.</p>`
}
<form method="post" action="/me/notifications">${csrfField(c)}
<p><input type="checkbox" id="f-immediate" name="immediate" value="true"${shown.immediate ? ' checked' : ''}>
<label for="f-immediate" class="check">Mail me at once about what concerns me (mentions, my proposals, decisions closing before I answered)</label></p>
<p><label for="f-digest">A digest of everything else</label>
<select id="f-digest" name="digest">${opt('daily', shown.digest, 'Daily')}${opt('weekly', shown.digest, 'Weekly')}${opt('off', shown.digest, 'Off: no digest')}</select></p>
<p><label for="f-digestHour">Digest sent at (your time, ${saved.timeZone})</label>
<select id="f-digestHour" name="digestHour">${HOURS.map((h) => opt(h, shown.digestHour, `${String(h).padStart(2, '0')}:00`))}</select></p>
<p><label for="f-digestWeekday">Weekly digest on</label>
<select id="f-digestWeekday" name="digestWeekday">${WEEKDAYS.map((d, i) => opt(i + 1, shown.digestWeekday, d))}</select></p>
<fieldset><legend>Quiet hours (no mail then, unless a deadline would pass first)</legend>
<p class="hint" id="f-quiet-hint">${saved.quietStart && saved.quietEnd ? html`Now from ${saved.quietStart} until ${saved.quietEnd}, your time.` : 'None set now.'} Times as HH:MM on the 24-hour clock, such as 22:00 until 07:00; leave both empty for none.</p>
${quietHour('quietStart', 'Quiet from', shown.quietStart)}
${quietHour('quietEnd', 'Quiet until', shown.quietEnd)}
</fieldset>
<button type="submit">Save</button></form>
<h2 id="each-subject">What you hear from each group</h2>
<p>How much you hear of a group, a topic area, a proposal or a decision is chosen on its own page, under Notifications: ${LEVEL_WORDS.watching}; ${LEVEL_WORDS.normal} (unless you choose otherwise); ${LEVEL_WORDS.muted}.</p>
${
  groups.length
    ? html`<ul>${groups.map((g) => html`<li><a href="/groups/${encodeURIComponent(g.slug)}">${g.name}</a> (${levelName(c.var.hub.governance, g.level)}${g.emeritus ? ', emeritus' : ''}): ${LEVEL_WORDS[levelOf('group', g.slug)]}</li>`)}</ul>`
    : html`<p>You are in no group yet: <a href="/groups">browse the groups</a> to join one.</p>`
}
${others.length ? html`<p>Your other choices, each changed on its own page:</p><ul>${otherWords.map(({ i, words }) => html`<li>${subjectHref(i.subjectType, i.subjectRef) ? html`<a href="${subjectHref(i.subjectType, i.subjectRef)}">${words}</a>` : words}: ${LEVEL_WORDS[i.level]}</li>`)}</ul>` : ''}
<h2>Replying by mail</h2>
<p>Each mail's reply address posts one comment as you, from your own address only. If a mail was forwarded or you think an address leaked, stop every reply address in mail you already have; new mail carries new ones.</p>
<form method="post" action="/me/reply-addresses/revoke">${csrfField(c)}<button type="submit" class="secondary">Stop all my reply addresses</button></form>`,
  });
}

/**
 * A form's number as the use case reads it: digits become the number, anything else stays text for
 * the rule to refuse naming the field. Number() read an empty hour as 0 (midnight) and 0x1 or 1e1 as
 * numbers, saved without a word (fuzz round 15).
 */
const whole = (t: string): number | string => (/^\d{1,4}$/.test(t) ? Number(t) : t);

async function unsubscribePage(c: WebContext, done: { subjectType: string; subjectRef: string } | null) {
  // %-escaped back into the form's address, as on the confirmation page: decoded, a link's
  // ..%2F would lead the button to another page of the hub
  const token = c.req.param('token') ?? '';
  const what = (t: string, r: string) => (t === 'digest' ? 'your digest' : `${r}`);
  return render(c, {
    title: 'Unsubscribe',
    body: done
      ? html`<h1>Unsubscribed</h1><p>You will get no more mail about ${what(done.subjectType, done.subjectRef)}. ${done.subjectType === 'digest' ? '' : 'Mentions and replies to you still reach you.'}</p>
<p>You can change this any time on <a href="/me/notifications">your notification preferences</a> (after signing in).</p>`
      : html`<h1>Stop this mail</h1><p>Press the button to stop mail about this. No sign-in is needed.</p>
<form method="post" action="/unsubscribe/${encodeURIComponent(token)}"><button type="submit">Unsubscribe</button></form>`,
  });
}

export function notificationRoutes(web: Hono<WebEnv>): void {
  web.get('/inbox', (c) => inboxPage(c));
  web.post('/inbox/read', async (c) => {
    const body = await c.req.parseBody({ all: true });
    const id = body.id;
    const ids = id === undefined ? undefined : Array.isArray(id) ? id.map(String) : [String(id)];
    const r = await markRead(c.var.hub, actorFor(c), ids ? { ids } : {});
    flash(c, r.marked === 1 ? 'Marked read.' : `Marked ${r.marked} read.`);
    return c.redirect('/inbox', 303);
  });
  web.get('/me/notifications', (c) => preferencesPage(c));
  web.post('/me/reply-addresses/revoke', async (c) => {
    const r = await revokeReplyAddresses(c.var.hub, actorFor(c));
    flash(
      c,
      `Stopped ${r.revoked === 1 ? '1 reply address' : `${r.revoked} reply addresses`}: replies to earlier mail are refused.`,
    );
    return c.redirect('/me/notifications', 303);
  });
  web.post('/me/notifications', async (c) => {
    const body = await c.req.parseBody();
    const text = (k: string) => {
      const v = body[k];
      return typeof v === 'string' ? v.trim() : '';
    };
    try {
      await setPreferences(c.var.hub, actorFor(c), {
        immediate: body.immediate === 'true',
        digest: text('digest'),
        digestHour: whole(text('digestHour')),
        digestWeekday: whole(text('digestWeekday')),
        quietStart: text('quietStart') || null,
        quietEnd: text('quietEnd') || null,
      });
    } catch (e) {
      return preferencesPage(c, formProblem(e, viewerZone(c), c.var.hub.governance), {
        immediate: body.immediate === 'true',
        digest: text('digest'),
        // as the use case read it ("07" is 7): shown as typed, it matched no option and read 00:00
        digestHour: String(whole(text('digestHour'))),
        digestWeekday: String(whole(text('digestWeekday'))),
        quietStart: text('quietStart'),
        quietEnd: text('quietEnd'),
      });
    }
    flash(c, 'Saved: this is how you are told from now on.');
    return c.redirect('/me/notifications', 303);
  });
  web.post('/subscriptions', async (c) => {
    const body = await c.req.parseBody();
    const text = (k: string) => {
      const v = body[k];
      return typeof v === 'string' ? v : '';
    };
    const s = await setSubscription(c.var.hub, actorFor(c), {
      subjectType: text('subjectType'),
      subjectRef: text('subjectRef'),
      level: text('level'),
    });
    flash(c, `${(await subjectsInWords(c, [s]))[0]}: ${LEVEL_WORDS[s.level]}.`);
    return c.redirect(safeNext(text('next')), 303);
  });
  web.get('/unsubscribe/:token', (c) => unsubscribePage(c, null));
  web.post('/unsubscribe/:token', async (c) => {
    const done = await unsubscribeByToken(c.var.hub, c.req.param('token'));
    if (!done)
      return render(c, {
        title: 'Link not valid',
        status: 404,
        body: html`<h1>This link does not work</h1><p>It is not an unsubscribe link this hub gave out, or it was revoked. Sign in and change <a href="/me/notifications">your notification preferences</a> instead.</p>`,
      });
    return unsubscribePage(c, done);
  });
}
