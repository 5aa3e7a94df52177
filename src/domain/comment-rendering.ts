// What a comment shows besides its text (safe HTML, mentions, hints), worked out once when it is
// written and stored beside it, so reading a long thread costs no markdown rendering.
import { checkText, type TextFlag } from './interests.ts';
import { type Mentions, renderWithMentions } from './markdown.ts';

export type RenderedComment = { html: string; mentions: Mentions; flags: TextFlag[] };

/**
 * The stored form (comments.rendered): tagged with the comment version it was rendered for and the
 * rules it was rendered by (`r`), so a stale copy is never shown.
 */
export type StoredRendering = RenderedComment & {
  v: number;
  r?: number /** the document prefix, when not SEP */;
  p?: string;
};

/**
 * The rules a stored rendering was made by: raised whenever what rendering shows changes for the same
 * text (which links are made, what the hints flag), so copies made by older rules are rendered anew;
 * with a migration that stores the new copies (260), or every read renders each old one again.
 * 2: links to web pages and mail addresses only. 3: decisions (D-4) and meetings (M-7) linked, and
 * headings counted from the text's own highest. 4: a mail address (`@sam-lead@example.com`) is no
 * mention of @sam-lead (migration 440).
 */
export const RENDERING_RULES = 4;

/** `prefix`: what the community cites its documents by (RFC-12 links as SEP-12 does), SEP unless told. */
export function storedRendering(body: string, version: number, prefix = 'SEP'): StoredRendering {
  return { v: version, r: RENDERING_RULES, ...(prefix === 'SEP' ? {} : { p: prefix }), ...renderComment(body, prefix) };
}

/**
 * Whether a copy made by rules `r` shows what the current rules would: rules 4 changed only text with an
 * @ in it, so a copy by rules 3 of any other text is still good (migration 440 renders only those with
 * an @ anew, rather than rewriting every comment to mark it).
 */
export function stillRendersSo(r: number | undefined, body: string): boolean {
  return r === RENDERING_RULES || (r === 3 && !body.includes('@'));
}

/** The stored text, for migration 095 that filled the column; use cases write `writeJson(storedRendering(…))`. */
export function renderedColumn(body: string, version: number): string {
  return JSON.stringify(storedRendering(body, version));
}

export function renderComment(body: string, prefix = 'SEP'): RenderedComment {
  return { ...renderWithMentions(body, prefix), flags: checkText(body) };
}

/** The stored rendering when it is for this version of the text and prefix; otherwise rendered now. */
export function renderedOf(
  stored: StoredRendering | null,
  body: string,
  version: number,
  prefix = 'SEP',
): RenderedComment {
  if (stored?.v === version && stillRendersSo(stored.r, body) && (stored.p ?? 'SEP') === prefix)
    return { html: stored.html, mentions: stored.mentions, flags: stored.flags };
  return renderComment(body, prefix);
}
