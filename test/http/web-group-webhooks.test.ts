// A group's chat webhooks in the browser: a lead adds one (a bad URL or an unsigned JSON webhook
// names the field and stores nothing), sees only its origin, and removes it; a member who may not
// edit the charter is told why and cannot add one by posting the form.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { moveGroup } from '../../src/app/groups/groups.ts';
import { addWebhook, listWebhooks } from '../../src/app/notifications/chat.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { asActor, openDemoHub, type TestHub } from '../support/hub.ts';
import { pageText, signInAs } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 * 30 };
const DISCORD = 'https://discord.com/api/webhooks/1234/very-secret-token-part';

describe.each(databases)('chat webhook pages on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;

  beforeEach(async () => {
    hub = await openDemoHub(database);
    app = createHttpApp(hub, undefined, { web: demo });
  });
  afterEach(async () => hub?.close());

  const stored = async () => (await listWebhooks(hub, await asActor(hub, 'sam-lead'), 'hosting')).items;

  it("a retired group's page says nothing more is posted for it, not what its hooks would hear", async () => {
    const sam = await signInAs(app, 'sam-lead');
    await addWebhook(hub, await asActor(hub, 'sam-lead'), 'hosting', { format: 'discord', url: DISCORD });
    expect(pageText((await sam.get('/groups/hosting/webhooks')).html)).toContain(
      "Each webhook hears of decisions opened, closing and decided, meeting notes published, a weekly summary of the group, and the group's retirement.",
    );
    await moveGroup(hub, await asActor(hub, 'kai-core'), 'hosting', { to: 'retired' });
    const page = pageText((await sam.get('/groups/hosting/webhooks')).html);
    expect(page).toContain('The group is retired: nothing more is posted to its webhooks. They may still be removed.');
    expect(page).not.toContain('Each webhook hears of');
    expect(page).toContain('The group is retired: nothing more is posted to its chat');
  });

  it('a lead adds a Discord webhook from the group page, sees only its origin, and removes it', async () => {
    const sam = await signInAs(app, 'sam-lead');
    expect((await sam.get('/groups/hosting')).html).toContain('href="/groups/hosting/webhooks"');
    expect(pageText((await sam.get('/groups/hosting/webhooks')).html)).toContain('No chat webhooks yet.');

    const bad = await sam.post('/groups/hosting/webhooks', { format: 'discord', url: 'discord webhook' });
    expect(bad.status).toBe(422);
    expect(pageText(bad.html)).toContain(
      'Webhook URL: must be an http(s) URL, such as the one Discord or Slack gives for an incoming webhook',
    );
    const unsigned = await sam.post('/groups/hosting/webhooks', {
      format: 'json',
      url: 'https://hooks.example.org/in',
    });
    expect(unsigned.status).toBe(422);
    expect(pageText(unsigned.html)).toContain(
      'Signing secret (generic JSON only): a generic JSON webhook needs a secret',
    );
    expect(await stored()).toEqual([]);

    const added = await sam.post('/groups/hosting/webhooks', { format: 'discord', url: DISCORD, secret: '' });
    expect(added.location).toBe('/groups/hosting/webhooks');
    const page = await sam.get('/groups/hosting/webhooks');
    expect(pageText(page.html)).toContain('Discord to https://discord.com/…');
    // when it was added, in the viewer's zone (named), not a bare UTC day
    expect(pageText(page.html)).toMatch(/Added by Sam Rivera \(@sam-lead\), [^(]*\d{2}:\d{2} \(America\/Los_Angeles\)/);
    expect(page.html).not.toContain('very-secret-token-part');
    const [hook] = await stored();
    expect(hook).toMatchObject({ format: 'discord', target: 'https://discord.com/…', createdBy: 'sam-lead' });

    const removed = await sam.post(`/groups/hosting/webhooks/${hook!.id}/remove`, {});
    expect(removed.location).toBe('/groups/hosting/webhooks');
    expect(pageText((await sam.get('/groups/hosting/webhooks')).html)).toContain('No chat webhooks yet.');
    expect(await stored()).toEqual([]);

    // one the operator added from the command line is said to be theirs, in words
    await addWebhook(hub, SYSTEM, 'hosting', { format: 'discord', url: DISCORD });
    expect(pageText((await sam.get('/groups/hosting/webhooks')).html)).toMatch(/Added by the hub's operator, /);
  });

  it('a member who may not manage the group webhooks sees no link, is told why, and cannot add one by posting', async () => {
    const jonas = await signInAs(app, 'jonas');
    expect((await jonas.get('/groups/hosting')).html).not.toContain('href="/groups/hosting/webhooks"');
    const page = await jonas.get('/groups/hosting/webhooks');
    expect(page.status).toBe(403);
    expect(pageText(page.html)).toContain("manage the group's chat webhooks");
    const res = await jonas.post('/groups/hosting/webhooks', { format: 'discord', url: DISCORD });
    expect(res.status).toBe(403);
    expect(await stored()).toEqual([]);
  });
});
