// The comment moderation form says, beside each of hide, show again, lock and unlock, who is told of it:
// the comment's author (by whom, with the reason) for the first three, nobody for unlock, nobody else
// either way. It said nothing, so a moderator could not know whether the author would hear. What it says
// is what happens: the author's inbox, and nobody's for an unlock. REST's OpenAPI says it too. Both databases.
import { describe, expect, it } from 'vitest';
import { listInbox } from '../../src/app/notifications/inbox.ts';
import { addComment } from '../../src/app/proposals/comments.ts';
import { notificationsReaction } from '../../src/app/notifications/notify.ts';
import { databases } from '../support/databases.ts';
import { asActor } from '../support/hub.ts';
import { webHubPerTest } from '../support/web-hub.ts';
import { pageText, signInAs } from '../support/web-client.ts';

describe.each(databases)('who a moderation tells, on $name', (database) => {
  const web = webHubPerTest(database, { work: true });

  it('the form names who is told of each action, and that is who is told', async () => {
    web.hub.reactions.push(notificationsReaction({ mail: false }));
    const p = (await (await web.app.request('/api/proposals?group=hosting')).json()) as { items: { ref: string }[] };
    const ref = p.items[0]!.ref;
    await addComment(web.hub, await asActor(web.hub, 'jonas'), ref, { body: 'Try the Zorblax balancer, it is great.' });
    const sam = await signInAs(web.app, 'sam-lead');
    const page = await sam.get(`/proposals/${ref}`);
    const form = /<details><summary>Moderate the comment of Jonas Berg \(@jonas\)<\/summary>[\s\S]*?<\/details>/.exec(
      page.html,
    )?.[0];
    expect(form).toBeTruthy();
    const told = pageText(form!);
    expect(told).toContain(
      'Hide it Its author is notified that you hid it, with your reason (not if it is your own comment). Nobody else is told, not even those watching the proposal.',
    );
    expect(told).toContain(
      'Lock it (no replies or edits) Its author is notified that you locked it, with your reason (not if it is your own comment).',
    );
    // each choice is described by its sentence, for a screen reader on the radio button
    const hide = /<input type="radio" id="([^"]+)" name="action" value="hide"[^>]* aria-describedby="([^"]+)">/.exec(
      form!,
    );
    expect(form).toContain(`<span class="hint" id="${hide?.[2]}">Its author is notified that you hid it`);

    const comment = /action="\/comments\/([^/]+)\/moderate"/.exec(form!)![1]!;
    const inbox = async (handle: string) => (await listInbox(web.hub, await asActor(web.hub, handle))).items;
    const before = { jonas: (await inbox('jonas')).length, priya: (await inbox('priya')).length };
    await sam.get(`/proposals/${ref}`);
    expect((await sam.post(`/comments/${comment}/moderate`, { ref, action: 'lock', reason: 'Settled' })).status).toBe(
      303,
    );
    expect((await inbox('jonas')).map((n) => n.title)).toContainEqual(
      expect.stringMatching(new RegExp(`^Your comment on ${ref} was locked by .* \\(@sam-lead\\): Settled$`)),
    );
    expect((await inbox('priya')).length).toBe(before.priya);
    const afterLock = (await inbox('jonas')).map((n) => `${n.title} (${n.events})`);
    expect(afterLock.length).toBeGreaterThan(before.jonas);
    // unlocking: the form said nobody is told, and nobody is
    const locked = await sam.get(`/proposals/${ref}`);
    expect(pageText(locked.html)).toContain('Unlock it Nobody is told.');
    expect((await sam.post(`/comments/${comment}/moderate`, { ref, action: 'unlock' })).status).toBe(303);
    expect((await inbox('jonas')).map((n) => `${n.title} (${n.events})`)).toEqual(afterLock);

    // REST's description of the moderation says the same
    const doc = (await (await web.app.request('/api/openapi.json')).json()) as {
      paths: Record<string, { post?: { summary?: string } }>;
    };
    expect(doc.paths['/api/comments/{id}/moderation']?.post?.summary).toContain(
      'Who is told: its author is notified (by whom, with the reason given) when it is hidden, locked or shown again, and nobody when it is unlocked',
    );
  });
});
