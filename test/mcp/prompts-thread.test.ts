// The summarise_discussion prompt quotes the thread as a reader sees it: a comment a moderator hid
// keeps its place (its replies answer it) and says so, rather than an empty line under its author.
import { describe, expect, it } from 'vitest';
import type { CommentView } from '../../src/app/proposals/comments.ts';
import { thread } from '../../src/mcp/prompts.ts';

const comment = (over: Partial<CommentView>): CommentView =>
  ({
    id: 'c1',
    author: 'jonas',
    authorName: 'Jonas Berg',
    body: 'We see this too.',
    createdAt: '2026-03-02T10:00:00Z',
    edited: false,
    hidden: null,
    replies: [],
    ...over,
  }) as CommentView;

describe('the thread a prompt quotes', () => {
  it('says a hidden comment was hidden and why, and keeps its replies under it', () => {
    const lines = thread([
      comment({
        body: '',
        hidden: { at: '2026-03-03T10:00:00Z', by: 'sam', byName: 'Sam Rivera', reason: 'Advertising' },
        replies: [comment({ id: 'c2', author: 'ada', authorName: 'Ada', body: 'Please keep to the need.' })],
      }),
    ]);
    expect(lines).toEqual([
      '- Jonas Berg (@jonas) (2026-03-02): (hidden by a moderator: Advertising)',
      '  - Ada (@ada) (2026-03-02): Please keep to the need.',
    ]);
  });
});
