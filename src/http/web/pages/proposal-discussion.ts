// A proposal's discussion: threaded comments (safe markdown), reply, edit with history, and how the
// voices spread over organisations.
import { HINTS_SCRIPT } from './hints-live.ts';
import { html, raw } from 'hono/html';
import type { Hono } from 'hono';
import {
  addComment,
  cursorOfComment,
  editComment,
  proposalOfComment,
  type CommentView,
  type CommentWindow,
  type Moderation,
} from '../../../app/proposals/comments.ts';
import { moderateComment } from '../../../app/proposals/moderation.ts';
import { moderationTold } from '../../../domain/notifications/moderation-told.ts';
import type { Tally } from '../../../domain/decisions/index.ts';
import { demoteHeadings } from '../../../domain/markdown.ts';
import type { WebContext, WebEnv } from '../context.ts';
import { csrfField } from '../csrf.ts';
import {
  fieldId,
  formFields,
  formProblem,
  formVersion,
  issueFor,
  issueText,
  versionField,
  type FormProblem,
} from '../forms.ts';
import { when, viewerZone } from '../format.ts';
import type { Html } from '../layout.ts';
import { actorFor, currentPerson, flash } from '../session.ts';
import { postForm } from '../form-post.ts';
import type { Verdict } from '../../../domain/policies/index.ts';
import { hints, personNamed, tallyTable, unavailable } from './widgets.ts';
import { inCommunityWords, isProposalRef } from '../../../domain/governance/words.ts';

/** Which comment form failed, so the problem and the typed text show in that form only. */
export type CommentFailure = { form: string; problem: FormProblem; body: string };

/** A textarea with its own id (a page has one per reply and edit form). */
function commentBox(
  c: WebContext,
  id: string,
  label: string,
  value: string,
  failure: CommentFailure | null | undefined,
  form: string,
): Html {
  const issue = failure?.form === form ? issueFor(failure.problem, 'body') : undefined;
  return html`<label for="${id}">${label}</label>
<p class="hint" id="${id}-hint">${inCommunityWords('Markdown; @handle, SEP-n, P-n or #n, D-n and M-n link to people, proposals, decisions and meetings.', c.var.hub.governance)}</p>
${issue ? html`<p class="field-error" id="${id}-error">${issueText(issue, 'body')}</p>` : ''}
<textarea id="${id}" name="body" rows="4" aria-describedby="${id}-hint${issue ? ` ${id}-error` : ''}"${issue ? html` aria-invalid="true"` : ''}>${failure?.form === form ? failure.body : value}</textarea>`;
}

/** The id the error summary links to for a failed comment form. */
/** Who moderated, by name with the handle beside it; 'a moderator' when nobody is on record. */
const moderator = (m: Moderation): Html | string => (m.byName !== null ? personNamed(m.by, m.byName) : m.by);

export function commentFieldId(form: string): string {
  return fieldId(`${form}-body`);
}

type Histories = ReadonlyMap<string, { revision: number; body: string; editedAt: string }[]>;

async function commentItem(
  c: WebContext,
  ref: string,
  v: CommentView,
  failure: CommentFailure | null | undefined,
  histories: Histories,
): Promise<Html> {
  const me = currentPerson(c);
  const history = histories.get(v.id) ?? [];
  const replyForm = `reply-${v.id}`;
  const editForm = `edit-${v.id}`;
  const open = (f: string) => (failure?.form === f ? html` open` : '');
  return html`<li id="c-${v.id}"><article class="comment" aria-labelledby="c-${v.id}-by">
<p class="meta" id="c-${v.id}-by">${personNamed(v.author, v.authorName)} · ${when(c, v.createdAt)}${v.parent && v.inReplyTo ? html` · in reply to <a href="/proposals/${ref}/comments/${v.parent}">@${v.inReplyTo}</a>` : ''}${v.edited ? html` · <span class="badge">edited ${when(c, v.updatedAt)}</span>` : ''}${v.hidden ? html` · <span class="badge bad">hidden</span>` : ''}${v.locked ? html` · <span class="badge warn">locked</span>` : ''}</p>
${v.hidden ? html`<p class="warning" role="note">Hidden by ${moderator(v.hidden)} ${when(c, v.hidden.at)}: ${v.hidden.reason}${v.can.readHidden.allowed ? html` <span class="muted">(you moderate here, so you see the text below)</span>` : ''}</p>` : ''}
${v.locked ? html`<p class="warning" role="note">Locked by ${moderator(v.locked)} ${when(c, v.locked.at)}: ${v.locked.reason}. It takes no replies or edits.</p>` : ''}
${v.html ? html`<div class="markdown">${raw(demoteHeadings(v.html))}</div>` : ''}
${v.html && me?.handle === v.author ? hints(v.flags, 'Hints on your comment') : ''}
${
  history.length > 1
    ? html`<details><summary>Edit history (${history.length} versions)</summary><ol>${history.map((h) => html`<li>${when(c, h.editedAt)}<pre class="revision">${h.body}</pre></li>`)}</ol></details>`
    : ''
}
${
  me && v.can.reply.allowed
    ? html`<details${open(replyForm)}><summary>Reply to ${v.authorName} (@${v.author})</summary>
<form method="post" action="/proposals/${ref}/comments" data-hints>${csrfField(c)}<input type="hidden" name="parent" value="${v.id}">
${commentBox(c, commentFieldId(replyForm), `Your reply to ${v.authorName} (@${v.author})`, '', failure, replyForm)}
<button type="submit">Post reply</button></form></details>
${
  v.can.edit.allowed
    ? html`<details${open(editForm)}><summary>Edit your comment</summary>
<form method="post" action="/comments/${v.id}/edit" data-hints>${csrfField(c)}${versionField(v.version)}<input type="hidden" name="ref" value="${ref}">
${commentBox(c, commentFieldId(editForm), 'Your comment', v.body, failure, editForm)}
<button type="submit">Save edit</button></form></details>`
    : ''
}`
    : ''
}
${me ? moderationForm(c, ref, v, failure) : ''}
</article>
${v.replies.length ? html`<ol class="thread">${await Promise.all(v.replies.map((r) => commentItem(c, ref, r, failure, histories)))}</ol>` : ''}
</li>`;
}

/** Hide, show, lock or unlock, with the reason readers will see; offered only to those who moderate here. */
function moderationForm(
  c: WebContext,
  ref: string,
  v: CommentView,
  failure: CommentFailure | null | undefined,
): Html | '' {
  const actions = (['hide', 'unhide', 'lock', 'unlock'] as const).filter((a) => v.can[a].allowed);
  if (!actions.length) return '';
  const form = `moderate-${v.id}`;
  const issue = failure?.form === form ? issueFor(failure.problem, 'reason') : undefined;
  const id = commentFieldId(form);
  const words = {
    hide: 'Hide it',
    unhide: 'Show it again',
    lock: 'Lock it (no replies or edits)',
    unlock: 'Unlock it',
  };
  return html`<details${failure?.form === form ? html` open` : ''}><summary>Moderate the comment of ${v.authorName} (@${v.author})</summary>
<form method="post" action="/comments/${v.id}/moderate">${csrfField(c)}<input type="hidden" name="ref" value="${ref}">
<fieldset><legend>What to do</legend>${actions.map(
    // each choice says who is told of it (the author of the comment, or nobody), as the notices plan it
    (a, i) =>
      html`<div class="choice"><input type="radio" id="${form}-action-${i}" name="action" value="${a}"${i === 0 ? html` checked` : ''} aria-describedby="${form}-told-${i}"><label for="${form}-action-${i}">${words[a]}</label> <span class="hint" id="${form}-told-${i}">${moderationTold(c.var.hub.governance, a)}</span></div>`,
  )}</fieldset>
<label for="${id}">Reason (shown to readers)</label>
${issue ? html`<p class="field-error" id="${id}-error">${issueText(issue, 'reason')}</p>` : ''}
<input id="${id}" name="reason" value="${failure?.form === form ? failure.body : ''}"${issue ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>
<button type="submit" class="secondary">Apply</button></form></details>`;
}

export async function discussionSection(
  c: WebContext,
  ref: string,
  thread: CommentWindow,
  voices: Tally,
  failure: CommentFailure | null | undefined,
  histories: Histories,
  /** The proposal's `can.comment` for this viewer: the form shows only when it is allowed. */
  comment: Verdict,
  /** The contribution terms' note, shown under the comment form. */
  note: Html | string = '',
): Promise<Html> {
  const { comments, total, shown, earlier, later } = thread;
  const base = `/proposals/${ref}`;
  // plain links, so paging works without JavaScript; the newest comments come first to hand
  const earlierLink = earlier
    ? html`<p class="thread-more"><a href="${base}?before=${earlier}#discussion" rel="prev">Show earlier comments</a></p>`
    : '';
  const laterLink =
    later === null
      ? ''
      : html`<p class="thread-more"><a href="${later ? `${base}?upto=${later}` : base}#discussion" rel="next">${later ? 'Show later comments' : 'Show the newest comments'}</a></p>`;
  return html`<section aria-labelledby="discussion"><h2 id="discussion">Discussion (${total})</h2>
${total ? tallyTable(voices, 'Who is speaking: people and organisations in this discussion', ['comment']) : html`<p>No comments yet. Start the discussion: say what you need, not which solution you insist on.</p>`}
${shown < total ? html`<p class="muted">Showing ${shown} of ${total} comments${later === null ? ', the newest' : ''}.</p>` : ''}
${earlierLink}
${comments.length ? html`<ol class="thread">${await Promise.all(comments.map((v) => commentItem(c, ref, v, failure, histories)))}</ol>` : ''}
${laterLink}
${
  comment.allowed
    ? html`<form method="post" action="/proposals/${ref}/comments" data-hints>${csrfField(c)}
${commentBox(c, commentFieldId('comment'), 'Add a comment', '', failure, 'comment')}
${note}
<button type="submit">Post comment</button></form>
<script src="${HINTS_SCRIPT.path}" defer></script>`
    : comment.remedy === 'sign-in'
      ? html`<p><a href="/sign-in?next=/proposals/${ref}">Sign in</a> to take part in the discussion.</p>`
      : unavailable(c, comment, { id: 'comment', label: 'Post comment', here: `/proposals/${ref}`, doing: 'comment' })
}
</section>`;
}

/** The page of a thread that shows one comment (the thread is shown a window at a time). */
async function commentUrl(c: WebContext, ref: string, id: string): Promise<string> {
  const cursor = await cursorOfComment(c.var.hub, id);
  return `/proposals/${encodeURIComponent(ref)}${cursor ? `?upto=${cursor}` : ''}#c-${id}`;
}

/** Routes for posting and editing; a failure re-renders the proposal page via `show`. */
export function discussionRoutes(
  web: Hono<WebEnv>,
  show: (c: WebContext, ref: string, failure: CommentFailure) => Promise<Response>,
): void {
  web.post('/proposals/:ref/comments', (c) => {
    const ref = c.req.param('ref');
    return postForm(c, {
      page: `/proposals/${encodeURIComponent(ref)}`,
      run: (f) =>
        addComment(c.var.hub, actorFor(c), ref, { body: f.body ?? '', ...(f.parent ? { parent: f.parent } : {}) }),
      failed: (problem, f) =>
        show(c, ref, { form: f.parent ? `reply-${f.parent}` : 'comment', problem, body: f.body ?? '' }),
      done: 'Your comment is posted.',
      next: (comment) => `/proposals/${encodeURIComponent(ref)}#c-${comment.id}`,
    });
  });
  // a link to one comment (a reply's "in reply to", a notification): the window that holds it
  web.get('/proposals/:ref/comments/:id', async (c) =>
    c.redirect(await commentUrl(c, c.req.param('ref'), c.req.param('id')), 302),
  );
  // a comment by its id alone, the page its edit and moderation forms (/comments/:id/…) are on
  web.get('/comments/:id', async (c) => {
    const id = c.req.param('id');
    return c.redirect(await commentUrl(c, await proposalOfComment(c.var.hub, id), id), 302);
  });
  web.post('/comments/:id/moderate', async (c) => {
    const id = c.req.param('id');
    const f = formFields(await c.req.parseBody());
    const ref = isProposalRef(c.var.hub.governance, f.ref ?? '') ? f.ref! : null;
    try {
      await moderateComment(c.var.hub, actorFor(c), id, {
        action: f.action,
        ...(f.reason?.trim() ? { reason: f.reason } : {}),
      });
    } catch (e) {
      if (!ref) throw e;
      return show(c, ref, {
        form: `moderate-${id}`,
        problem: formProblem(e, viewerZone(c), c.var.hub.governance),
        body: f.reason ?? '',
      });
    }
    flash(
      c,
      f.action === 'hide'
        ? 'The comment is hidden; readers see your reason.'
        : f.action === 'lock'
          ? 'The comment is locked.'
          : 'Done.',
    );
    return c.redirect(ref ? await commentUrl(c, ref, id) : '/proposals', 303);
  });
  web.post('/comments/:id/edit', async (c) => {
    const id = c.req.param('id');
    const f = formFields(await c.req.parseBody());
    const ref = isProposalRef(c.var.hub.governance, f.ref ?? '') ? f.ref! : null;
    try {
      await editComment(c.var.hub, actorFor(c), id, formVersion(f), { body: f.body ?? '' });
    } catch (e) {
      if (!ref) throw e;
      return show(c, ref, {
        form: `edit-${id}`,
        problem: formProblem(e, viewerZone(c), c.var.hub.governance),
        body: f.body ?? '',
      });
    }
    flash(c, 'Your comment is updated; the earlier text stays in its history.');
    return c.redirect(ref ? await commentUrl(c, ref, id) : '/proposals', 303);
  });
}
