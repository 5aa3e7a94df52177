// Notifications through MCP, as an assistant uses them: the inbox tool lists what the person was
// told with the unread count, marking read clears it, and get_decision carries the proof of who
// was told and the silence warning, on both databases over a real loopback port.
import type { ServerType } from '@hono/node-server';
import { serve } from '../support/serve-test.ts';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM, type Actor } from '../../src/app/core/hub.ts';
import { openDecision } from '../../src/app/decisions/decisions.ts';
import { placeInGroup, proposeGroup } from '../../src/app/groups/groups.ts';
import { notificationsReaction } from '../../src/app/notifications/notify.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { addComment } from '../../src/app/proposals/comments.ts';
import { createProposal } from '../../src/app/proposals/proposals.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';
import { httpClient, text } from './support.ts';

const call = async (c: Client, name: string, args: Record<string, unknown>) =>
  (await c.callTool({ name, arguments: args })) as {
    isError?: boolean;
    structuredContent?: Record<string, any>;
    content: unknown;
  };

describe.each(databases)('notifications over MCP on $name', (database) => {
  let hub: TestHub;
  let sam: Actor;
  let priya: Actor;
  const tokens: Record<string, string> = {};
  let server: ServerType;
  let url: string;

  beforeAll(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    hub.reactions.push(notificationsReaction({ mail: false }));
    sam = await person(hub, 'sam', { role: 'member' });
    priya = await person(hub, 'priya', { role: 'member' });
    await person(hub, 'jonas');
    await proposeGroup(hub, sam, {
      slug: 'hosting',
      name: 'Hosting',
      kind: 'working',
      mission: 'Share practices for hosting MCP servers at scale.',
      scopeIn: ['Scaling'],
      leads: ['sam'],
    });
    for (const h of ['priya', 'jonas']) await placeInGroup(hub, SYSTEM, 'hosting', h, { level: 'member' });
    await createProposal(hub, priya, {
      title: 'Session affinity guide',
      problem: 'Operators cannot scale stateful MCP servers behind a load balancer.',
      examples: ['A gateway loses sessions on every deploy'],
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    await addComment(hub, sam, 'P-1', { body: 'What does @jonas see behind his gateway?' });
    await openDecision(hub, sam, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Meet fortnightly from April?',
      significance: 'minor',
    });
    for (const h of ['sam', 'priya', 'jonas']) tokens[h] = (await createToken(hub, SYSTEM, h)).token;
    server = serve({ fetch: createHttpApp(hub).fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/mcp`;
  });
  afterAll(async () => {
    server?.close();
    await hub?.close();
  });

  it('get_inbox lists what I was told with the unread count; mark_notifications_read clears it', async () => {
    const c = await httpClient(url, 'modern', tokens.jonas);
    const inbox = await call(c, 'get_inbox', {});
    expect(inbox.isError).toBeFalsy();
    expect(inbox.structuredContent!.unread).toBe(2);
    expect(inbox.structuredContent!.items.map((i: any) => [i.kind, i.subject.ref, i.reason, i.read])).toEqual([
      ['decision-opened', 'D-1', 'member', false],
      ['mention', 'P-1', 'mention', false],
    ]);
    const mention = inbox.structuredContent!.items[1];
    expect(mention.title).toBe('Sam (@sam) commented on P-1: Session affinity guide');
    expect(mention.can).toEqual({ markRead: { allowed: true } });
    expect(inbox.structuredContent!.can).toEqual({ markAllRead: { allowed: true } });
    const marked = await call(c, 'mark_notifications_read', { ids: [mention.id] });
    expect(marked.structuredContent).toEqual({ marked: 1, unread: 1 });
    // once read, its `can` says there is nothing left to mark, in words to pass on
    const after = (await call(c, 'get_inbox', {})).structuredContent!.items.find((i: any) => i.id === mention.id);
    expect(after.can).toEqual({ markRead: { allowed: false, reason: 'This is already read' } });
    const unread = await call(c, 'get_inbox', { unread: true });
    expect(unread.structuredContent!.items.map((i: any) => i.kind)).toEqual(['decision-opened']);
    // someone else's notification cannot be marked: nothing changes
    const priyas = await call(await httpClient(url, 'modern', tokens.priya), 'get_inbox', {});
    const foreign = priyas.structuredContent!.items.map((i: any) => i.id);
    expect((await call(c, 'mark_notifications_read', { ids: foreign })).structuredContent!.marked).toBe(0);
    expect((await call(c, 'get_inbox', {})).structuredContent!.unread).toBe(1);
    await c.close();
  });

  it('the inbox needs a person: without a token the tool says how to connect as one', async () => {
    const anonymous = serve({
      fetch: createHttpApp(hub, undefined, { mcp: { anonymousReads: true } }).fetch,
      hostname: '127.0.0.1',
      port: 0,
    });
    await new Promise((resolve) => anonymous.once('listening', resolve));
    try {
      const c = await httpClient(`http://127.0.0.1:${(anonymous.address() as { port: number }).port}/mcp`, 'modern');
      const r = await call(c, 'get_inbox', {});
      expect(r.isError).toBe(true);
      expect(text(r)).toContain('reading your inbox acts as a person, and this connection has no API token');
      await c.close();
    } finally {
      anonymous.close();
    }
  });

  it('get_decision says who was told, who opened it, and warns of silence from members never reached', async () => {
    const c = await httpClient(url, 'modern', tokens.priya);
    const before = (await call(c, 'get_decision', { ref: 'D-1' })).structuredContent!;
    expect(before.notified.told.map((t: any) => [t.handle, t.how, t.openedAt])).toEqual([
      ['jonas', 'inbox', null],
      ['priya', 'inbox', null],
    ]);
    expect(before.notified.silenceWarning).toContain(
      'has not reached 2 members whose voice counts: Jonas (@jonas), Priya (@priya).',
    );
    expect(before.notified.silent).toEqual(['jonas', 'priya']);
    // the same members with their names, passed by the output schema beside the handles
    expect(before.notified.silentPeople).toEqual([
      { handle: 'jonas', name: 'Jonas' },
      { handle: 'priya', name: 'Priya' },
    ]);
    await call(c, 'mark_notifications_read', {});
    const after = (await call(c, 'get_decision', { ref: 'D-1' })).structuredContent!;
    expect(after.notified.told.find((t: any) => t.handle === 'priya').openedAt).toBe('2026-03-02T12:00:00.000Z');
    expect(after.notified.unreached.map((u: any) => u.handle)).toEqual(['jonas']);
    expect(after.notified.unreached[0].name).toBe('Jonas');
    await c.close();
  });

  // last: it moves the clock to the eve of D-1's deadline (Saturday 7 March 12:00), and extends it
  it('get_decision names a member made one too close to the deadline as not informed in time, and the lead how many hours would inform them', async () => {
    await person(hub, 'kai');
    hub.clock.set('2026-03-07T02:00:00Z');
    await placeInGroup(hub, SYSTEM, 'hosting', 'kai', { level: 'member' });
    const c = await httpClient(url, 'modern', tokens.priya);
    const d = (await call(c, 'get_decision', { ref: 'D-1' })).structuredContent!;
    expect(d.notified.uncounted).toEqual([
      {
        handle: 'kai',
        name: 'Kai',
        why: 'gained a voice 10 hours before the deadline, less than the 24 hours the community gives to answer',
        voiceSince: '2026-03-07T02:00:00.000Z',
        toldAt: '2026-03-07T02:00:00.000Z',
      },
    ]);
    expect(d.notified.silenceWarning).toContain(
      'The silence of 1 member not informed in time will not count as consent',
    );
    // Priya may not extend it: nothing is offered her
    expect(d.extendToInform).toBeNull();
    await c.close();
    // Sam, who opened it and leads the group, is told how many hours would let Kai be told in time
    const lead = await httpClient(url, 'modern', tokens.sam);
    const his = (await call(lead, 'get_decision', { ref: 'D-1' })).structuredContent!;
    expect(his.extendToInform).toEqual({
      members: [{ handle: 'kai', name: 'Kai' }],
      hours: 14,
      deadline: '2026-03-08T02:00:00.000Z',
      advice:
        "Extending the deadline by at least 14 hours (to 2026-03-08T02:00:00.000Z or later) would let Kai (@kai) be told in time: the extension's own notice, sent now, would come at least 24 hours before the new deadline, and their silence would then count as consent.",
    });
    // extend_decision takes those hours, and Kai's silence counts from then on
    const extended = await call(lead, 'extend_decision', {
      ref: 'D-1',
      version: his.version,
      hours: his.extendToInform.hours,
      reason: 'Kai joined this morning',
    });
    expect(extended.isError).toBeFalsy();
    expect(extended.structuredContent).toMatchObject({ deadline: '2026-03-08T02:00:00.000Z', extendToInform: null });
    expect(extended.structuredContent!.notified.uncounted).toEqual([]);
    await lead.close();
  });
});
