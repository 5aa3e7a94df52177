// REST for one's own notifications: a mention is in GET /api/me/notifications with the unread
// count, marking read clears it, subscriptions and preferences round-trip, bad input names the field.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { proposeGroup } from '../../src/app/groups/groups.ts';
import { notificationsReaction } from '../../src/app/notifications/notify.ts';
import { findToken, mailToken } from '../../src/app/notifications/tokens.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { addComment } from '../../src/app/proposals/comments.ts';
import { createProposal } from '../../src/app/proposals/proposals.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { hubSettings } from '../../src/cli/hub-settings.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';

describe.each(databases)('notifications API on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  let token: string;
  const call = (method: string, path: string, body?: unknown) =>
    app.request(`http://localhost${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  beforeEach(async () => {
    hub = await openTestHub(database);
    hub.reactions.push(notificationsReaction({ mail: false }));
    const lead = await person(hub, 'lead', { role: 'member' });
    const bo = await person(hub, 'bo');
    await proposeGroup(hub, lead, {
      slug: 'hosting',
      name: 'Hosting',
      kind: 'working',
      mission: 'Share practices for hosting MCP servers at scale.',
      scopeIn: ['Scaling'],
      leads: ['lead'],
    });
    await createProposal(hub, lead, {
      title: 'Shared session store',
      problem: 'Servers behind a load balancer lose sessions when a node restarts.',
      examples: ['Hosting WG incident in May'],
      layer: 'working-group-artifact',
      route: 'contribution',
      group: 'hosting',
    });
    await addComment(hub, lead, 'P-1', { body: 'What does @bo think?' });
    token = (await createToken(hub, SYSTEM, 'bo')).token;
    app = createHttpApp(hub);
    void bo;
  });
  afterEach(async () => hub?.close());

  it('revoking my reply addresses stops the ones in mail I have; the count says how many', async () => {
    const boId = (
      await hub.store.db.selectFrom('people').select('id').where('handle', '=', 'bo').executeTakeFirstOrThrow()
    ).id;
    const reply = await mailToken(hub, 'reply', { id: boId, epoch: 0 }, { type: 'proposal', ref: 'P-1' }, 'n-1');
    expect(await (await call('POST', '/api/me/reply-addresses/revoke')).json()).toEqual({ revoked: 1 });
    expect(await findToken(hub.store.db, 'reply', reply)).toMatchObject({ revoked_at: expect.any(String) });
    expect(await (await call('POST', '/api/me/reply-addresses/revoke')).json()).toEqual({ revoked: 0 });
    const spec = await (await call('GET', '/api/openapi.json')).json();
    expect(spec.paths['/api/me/reply-addresses/revoke'].post.summary).toContain('Stop every reply address');
    token = 'not-a-token';
    expect((await call('POST', '/api/me/reply-addresses/revoke')).status).toBe(401);
  });

  it('a group lead adds, lists and removes chat webhooks; others are refused; bad input names the field', async () => {
    const bo = token;
    token = (await createToken(hub, SYSTEM, 'lead')).token;
    const bad = await call('POST', '/api/groups/hosting/webhooks', {
      format: 'json',
      url: 'https://chat.example.org/h',
    });
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors).toEqual([
      {
        field: 'secret',
        rule: 'a generic JSON webhook needs a secret: the receiver checks X-Wghub-Signature-256 with it',
      },
    ]);
    const added = await call('POST', '/api/groups/hosting/webhooks', {
      format: 'discord',
      url: 'https://discord.example.org/api/webhooks/1/TOKEN',
    });
    expect(added.status).toBe(201);
    const hook = await added.json();
    expect(hook).toMatchObject({
      format: 'discord',
      target: 'https://discord.example.org/…',
      signed: false,
      createdBy: 'lead',
      can: { remove: { allowed: true } },
    });
    const list = await (await call('GET', '/api/groups/hosting/webhooks')).json();
    expect(JSON.stringify(list)).not.toContain('TOKEN');
    // the list and each hook say what the lead may do: the governance file's group.manageWebhooks
    expect(list).toMatchObject({ group: 'hosting', can: { add: { allowed: true } } });
    expect(list.items.map((h: { can: unknown }) => h.can)).toEqual([{ remove: { allowed: true } }]);
    token = bo;
    const refused = await call('GET', '/api/groups/hosting/webhooks');
    expect(refused.status).toBe(403);
    // the refusal names who may, in the community's words, not a permission id or a path
    const why = (await refused.json()).detail;
    expect(why).toBe("Only a group lead, a core maintainer or a lead maintainer may manage the group's chat webhooks");
    expect((await call('DELETE', `/api/groups/hosting/webhooks/${hook.id}`)).status).toBe(403);
    token = (await createToken(hub, SYSTEM, 'lead')).token;
    expect(await (await call('DELETE', `/api/groups/hosting/webhooks/${hook.id}`)).json()).toEqual({ removed: true });
    expect(await (await call('GET', '/api/groups/hosting/webhooks')).json()).toEqual({
      group: 'hosting',
      items: [],
      names: {},
      withheld: [],
      can: { add: { allowed: true } },
    });
  });

  // fuzz (h-fuzz3): a hook at the cloud's metadata address, the loopback or the LAN was stored with
  // 201 and then never posted (the worker refuses such addresses), so the lead thought it worked
  it('a webhook at an address inside the network is refused when added, naming the URL and the setting', async () => {
    token = (await createToken(hub, SYSTEM, 'lead')).token;
    const inside = {
      'http://169.254.169.254/latest/meta-data/': '169.254.169.254 is link-local',
      'http://127.0.0.1:8787/api': '127.0.0.1 is loopback',
      'http://0/': '0.0.0.0 is unspecified',
      'http://2130706433/': '127.0.0.1 is loopback',
      'http://0177.0.0.1/': '127.0.0.1 is loopback',
      'http://0x7f.1/': '127.0.0.1 is loopback',
      'https://10.1.2.3/hook': '10.1.2.3 is private',
      'http://192.168.0.10/hook': '192.168.0.10 is private',
      'http://[::1]:8080/': '::1 is loopback',
      'http://[::ffff:127.0.0.1]/': '::ffff:7f00:1 is loopback',
      'http://[fd00::1]/': 'fd00::1 is unique-local',
      'http://localhost:8787/': 'localhost is this machine',
      'http://chat.localhost/': 'chat.localhost is this machine',
      'http://metadata/computeMetadata/v1/': 'metadata is a name only the local network knows',
      'http://metadata.google.internal/': 'metadata.google.internal is a name only the local network knows',
    };
    for (const [url, why] of Object.entries(inside)) {
      const res = await call('POST', '/api/groups/hosting/webhooks', { format: 'slack', url });
      expect(res.status, url).toBe(422);
      expect((await res.json()).errors, url).toEqual([
        {
          field: 'url',
          rule: `must reach a public address (${why}); an operator may allow a host inside the network with WGHUB_WEBHOOK_ALLOWED_HOSTS`,
        },
      ]);
    }
    expect((await (await call('GET', '/api/groups/hosting/webhooks')).json()).items).toEqual([]);
    // the operator's setting (WGHUB_WEBHOOK_ALLOWED_HOSTS, read into the hub's settings at start)
    // lets a chat bridge on the LAN in, and only that host
    hub.settings = hubSettings({ WGHUB_WEBHOOK_ALLOWED_HOSTS: 'chat-bridge.lan, 10.1.2.3' });
    app = createHttpApp(hub);
    for (const url of ['http://chat-bridge.lan:8065/hooks/x', 'https://10.1.2.3/hook'])
      expect((await call('POST', '/api/groups/hosting/webhooks', { format: 'slack', url })).status, url).toBe(201);
    expect(
      (await call('POST', '/api/groups/hosting/webhooks', { format: 'slack', url: 'http://10.1.2.4/' })).status,
    ).toBe(422);
  });

  it('one who may not add a webhook is refused as such, whatever host it names', async () => {
    // bo is no lead of hosting: the same 403 for an internal and a public address, nothing about hosts
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'https://chat.example.org/hook']) {
      const res = await call('POST', '/api/groups/hosting/webhooks', { format: 'slack', url });
      expect(res.status, url).toBe(403);
      expect((await res.json()).detail, url).toBe(
        "Only a group lead, a core maintainer or a lead maintainer may manage the group's chat webhooks",
      );
    }
  });

  it('the inbox, marking read, subscriptions and preferences', async () => {
    const inbox = await (await call('GET', '/api/me/notifications')).json();
    expect(inbox).toMatchObject({
      unread: 1,
      items: [
        {
          kind: 'mention',
          subject: { type: 'proposal', ref: 'P-1' },
          read: false,
          path: '/proposals/P-1',
          can: { markRead: { allowed: true } },
        },
      ],
      can: { markAllRead: { allowed: true } },
    });
    expect(await (await call('POST', '/api/me/notifications/read', {})).json()).toEqual({ marked: 1 });
    // read now: its `can` says so, in words, not a path to post to
    expect((await (await call('GET', '/api/me/notifications')).json()).can).toEqual({
      markAllRead: { allowed: false, reason: 'Everything here is already read' },
    });
    expect((await (await call('GET', '/api/me/notifications')).json()).items[0].can).toEqual({
      markRead: { allowed: false, reason: 'This is already read' },
    });
    expect((await (await call('GET', '/api/me/notifications?unread=true')).json()).items).toEqual([]);
    const put = await call('PUT', '/api/me/subscriptions', {
      subjectType: 'proposal',
      subjectRef: 'p-1',
      level: 'watching',
    });
    const mine = { subjectType: 'proposal', subjectRef: 'P-1', level: 'watching', can: { change: { allowed: true } } };
    expect(await put.json()).toEqual(mine);
    expect(await (await call('GET', '/api/me/subscriptions')).json()).toEqual({
      items: [mine],
      can: { change: { allowed: true } },
    });
    const bad = await call('PATCH', '/api/me/notification-preferences', { digest: 'hourly' });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await bad.json())).toContain('digest');
    const prefs = await call('PATCH', '/api/me/notification-preferences', { digest: 'weekly', digestWeekday: 3 });
    expect(await prefs.json()).toMatchObject({ digest: 'weekly', digestWeekday: 3, immediate: true });
    expect((await call('GET', '/api/me/notifications')).status).toBe(200);
    expect((await app.request('http://localhost/api/me/notifications')).status).toBe(401);
  });
});
