// What a comment shows besides its text (safe HTML, mentions, hints), worked out once when it is
// written and stored beside it, so reading a long thread costs no markdown rendering.
import { checkText, type TextFlag } from './interests.ts';
import { type Mentions, renderWithMentions } from './markdown.ts';

export type RenderedComment = { html: string; mentions: Mentions; flags: TextFlag[] };

/** The stored form (comments.rendered): tagged with the comment version it was rendered for, so a stale copy is never shown. */
export type StoredRendering = RenderedComment & { v: number };

export function storedRendering(body: string, version: number): StoredRendering {
  return { v: version, ...renderComment(body) };
}

/** The stored text, for migration 095 that filled the column; use cases write `writeJson(storedRendering(…))`. */
export function renderedColumn(body: string, version: number): string {
  return JSON.stringify(storedRendering(body, version));
}

export function renderComment(body: string): RenderedComment {
  return { ...renderWithMentions(body), flags: checkText(body) };
}

/** The stored rendering when it is for this version of the text; otherwise rendered now. */
export function renderedOf(stored: StoredRendering | null, body: string, version: number): RenderedComment {
  if (stored?.v === version) return { html: stored.html, mentions: stored.mentions, flags: stored.flags };
  return renderComment(body);
}
