// What a comment shows besides its text (safe HTML, mentions, hints), worked out once when it is
// written and stored beside it, so reading a long thread costs no markdown rendering.
import { checkText, type TextFlag } from './interests.ts';
import { findMentions, renderMarkdown, type Mentions } from './markdown.ts';

export type RenderedComment = { html: string; mentions: Mentions; flags: TextFlag[] };

/** The stored form: tagged with the comment version it was rendered for, so a stale copy is never shown. */
export function renderedColumn(body: string, version: number): string {
  return JSON.stringify({ v: version, ...renderComment(body) });
}

export function renderComment(body: string): RenderedComment {
  return { html: renderMarkdown(body), mentions: findMentions(body), flags: checkText(body) };
}

/** The stored rendering when it is for this version of the text; otherwise rendered now. */
export function renderedOf(stored: string | null | undefined, body: string, version: number): RenderedComment {
  if (stored) {
    try {
      const r = JSON.parse(stored) as RenderedComment & { v: number };
      if (r.v === version) return { html: r.html, mentions: r.mentions, flags: r.flags };
    } catch {
      // an unreadable copy is rendered again below
    }
  }
  return renderComment(body);
}
