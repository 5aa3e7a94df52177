// Moderating a discussion in the browser, on both databases: a lead hides a comment with a reason
// that readers see in place of its text, and locks another so it takes no replies; others are
// offered no moderation form; a missing reason names the field and keeps the page.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addComment } from '../../src/app/proposals/comments.ts';
import { createProposal } from '../../src/app/proposals/proposals.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { asActor, openDemoHub, type TestHub } from '../support/hub.ts';
import { pageText, signInAs, WebClient } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };

describe.each(databases)('comment moderation pages on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  let ad: string;
  let heated: string;
  beforeEach(async () => {
    hub = await openDemoHub(database);
    const p = await createProposal(hub, await asActor(hub, 'amara'), {
      title: 'Resumable streams behind load balancers',
      problem: 'A stream cut by a deploy cannot be resumed on another server process.',
      examples: ['A rolling deploy drops every open stream'],
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    const jonas = await asActor(hub, 'jonas');
    ad = (await addComment(hub, jonas, p.ref, { body: 'Zorblax Cloud solves this, sign up today.' })).id;
    heated = (await addComment(hub, jonas, p.ref, { body: 'This has been argued to death.' })).id;
    app = createHttpApp(hub, undefined, { web: demo });
  });
  afterEach(async () => hub?.close());

  it('a lead hides and locks; readers see the reason, not the text, and cannot reply to the locked one', async () => {
    const ref = 'P-' + /P-(\d+)/.exec(JSON.stringify(await (await app.request('/api/proposals?limit=50')).json()))![1];
    const page = async (w: WebClient) => (await w.get(`/proposals/${ref}`)).html;
    const priya = await signInAs(app, 'priya');
    expect(await page(priya)).not.toContain(`action="/comments/${ad}/moderate"`);
    const sam = await signInAs(app, 'sam-lead');
    expect(await page(sam)).toContain(`action="/comments/${ad}/moderate"`);

    const bad = await sam.post(`/comments/${ad}/moderate`, { ref, action: 'hide', reason: '' });
    expect(bad.status).toBe(422);
    expect(pageText(bad.html)).toContain('Reason (shown to readers): must say why the comment is hidden');
    expect((await sam.post(`/comments/${ad}/moderate`, { ref, action: 'hide', reason: 'Advertising' })).status).toBe(
      303,
    );
    await sam.get(`/proposals/${ref}`);
    expect(
      (await sam.post(`/comments/${heated}/moderate`, { ref, action: 'lock', reason: 'Continue at the meeting' }))
        .status,
    ).toBe(303);

    const reader = pageText(await page(new WebClient(app)));
    expect(reader).toContain('Hidden by Sam Rivera (@sam-lead)');
    expect(reader).toContain('Advertising');
    expect(reader).not.toContain('Zorblax');
    expect(reader).toContain('Locked by Sam Rivera (@sam-lead)');
    expect(reader).toContain('This has been argued to death.');
    const asPriya = await page(priya);
    expect(asPriya).not.toContain(`name="parent" value="${heated}"`);
    expect(asPriya).toContain(`name="parent" value="${ad}"`);
    expect(pageText(await page(sam))).toContain('Zorblax'); // the lead still reads what they hid
  });
});
