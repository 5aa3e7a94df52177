// A mail address is no mention. `@sam-lead@example.com` in a comment rendered as a mention of @sam-lead
// followed by "@example.com", and told sam-lead they were mentioned: the rendering and the notices read
// mentions by the one parse (domain/markdown.ts), which now leaves an address whole, as text.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/app/core/hub.ts';
import { listInbox } from '../../../src/app/notifications/inbox.ts';
import { addComment, listComments } from '../../../src/app/proposals/comments.ts';
import { createProposal } from '../../../src/app/proposals/proposals.ts';
import { findMentions, renderMarkdown } from '../../../src/domain/markdown.ts';
import { databases } from '../../support/databases.ts';
import { hostingGroupWithMail } from '../../support/notifications.ts';
import type { TestHub } from '../../support/hub.ts';

describe('an address is not a mention, in rendering and in what is found', () => {
  it.each([
    ['@bo@example.com', '<p>@bo@example.com</p>'],
    ['write to @bo.smith@example.com', '<p>write to @bo.smith@example.com</p>'],
    ['or @bo+wg@example.com', '<p>or @bo+wg@example.com</p>'],
  ])('%s', (text, shown) => {
    expect(renderMarkdown(text).trim()).toBe(shown);
    expect(findMentions(text).people).toEqual([]);
  });

  it('a plain address stays a mail link, and a mention beside an address is still one', () => {
    const text = 'Thanks @bo. Mail bo@example.com or @ana, ana@example.com.';
    expect(renderMarkdown(text)).toContain(
      '<a href="mailto:bo@example.com" rel="nofollow ugc noopener">bo@example.com</a>',
    );
    expect(renderMarkdown(text)).toContain('<a href="/people/bo">@bo</a>.');
    expect(findMentions(text).people).toEqual(['bo', 'ana']);
  });
});

describe.each(databases)('an address in a comment on $name', (database) => {
  let hub: TestHub;
  let lead: Actor, ana: Actor, bo: Actor;

  beforeEach(async () => {
    ({ hub, lead, ana, bo } = await hostingGroupWithMail(database));
  });
  afterEach(async () => hub?.close());

  it('tells nobody they were mentioned and shows the address as text; a mention beside it still tells', async () => {
    await createProposal(hub, ana, {
      title: 'Shared session store',
      problem: 'Servers behind a load balancer lose sessions when a node restarts.',
      examples: ['Hosting WG incident in May'],
      layer: 'working-group-artifact',
      route: 'contribution',
      group: 'hosting',
    });
    await addComment(hub, lead, 'P-1', { body: 'Write to @bo@example.com for the logs.' });
    expect((await listInbox(hub, bo)).items.map((n) => n.kind)).not.toContain('mention');
    const [comment] = await listComments(hub, 'P-1');
    expect(comment!.html).toContain('Write to @bo@example.com for the logs.');
    expect(comment!.html).not.toContain('/people/bo');

    await addComment(hub, lead, 'P-1', { body: '@bo, the logs are at bo@example.com.' });
    expect((await listInbox(hub, bo)).items.map((n) => n.kind)).toContain('mention');
  });
});
