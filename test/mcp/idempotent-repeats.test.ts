// Tools that say idempotentHint: true promise that calling them again with the same arguments has
// no further effect. A client that retries after a lost answer (or a model that repeats itself)
// relies on it: the second call must not bump a version someone else holds, fill the log with
// changes that changed nothing, or spend one of a person's few responses to a decision.
import type { ServerType } from '@hono/node-server';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub, type TestHub } from '../support/hub.ts';
import { httpClient, serveMcpOverHttp } from './support.ts';

// biome-ignore lint/suspicious/noExplicitAny: tool outputs are read loosely here; their schemas are checked elsewhere
type Loose = Record<string, any>;

describe.each(databases)('idempotent tools called twice on $name', (database) => {
  let hub: TestHub;
  let main: { url: string; server: ServerType };
  const clients: Record<string, Client> = {};

  beforeAll(async () => {
    hub = await openDemoHub(database, { work: true, start: '2026-12-05T12:00:00Z' });
    hub.governance.rateLimits = { ...hub.governance.rateLimits, enabled: false };
    main = await serveMcpOverHttp(hub);
    for (const handle of ['sam-lead', 'priya']) {
      clients[handle] = await httpClient(main.url, 'modern', (await createToken(hub, SYSTEM, handle)).token);
    }
  });
  afterAll(async () => {
    main?.server.close();
    await hub?.close();
  });

  const call = async (who: string, name: string, args: Record<string, unknown>): Promise<Loose> => {
    const r = await clients[who]!.callTool({ name, arguments: args });
    expect(r.isError, `${name}: ${JSON.stringify(r.content)}`).toBeFalsy();
    return r.structuredContent as Loose;
  };
  const logged = async () =>
    Number(
      (
        await hub.store.db
          .selectFrom('events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  /** Calls the tool twice with the same arguments: what the second answered, and how many events it logged. */
  const twice = async (who: string, name: string, args: Record<string, unknown>) => {
    await call(who, name, args);
    hub.clock.set(new Date(hub.clock.now().getTime() + 60_000).toISOString());
    const before = await logged();
    const again = await call(who, name, args);
    return { again, logged: (await logged()) - before };
  };

  it('update_topic_area and update_person saved as they are keep their version and log nothing', async () => {
    const topic = { group: 'hosting', topic: 'horizontal-scaling' };
    const renamed = await twice('sam-lead', 'update_topic_area', {
      ...topic,
      name: 'Horizontal scaling and affinity',
      goal: 'both',
    });
    expect(renamed.logged).toBe(0);
    const held = await call('priya', 'get_topic_area', topic);
    expect(renamed.again.version).toBe(held.version);
    // priya's read is still good for her change, as nothing changed in between
    expect(
      (await call('sam-lead', 'update_topic_area', { ...topic, cadence: 'Monthly', version: held.version })).version,
    ).toBe(held.version + 1);

    const me = await call('priya', 'get_person', {});
    const named = await twice('priya', 'update_person', { name: 'Priya Natarajan', email: 'priya@example.org' });
    expect(named.logged).toBe(0);
    expect(named.again.version).toBe(me.version + 1);
    expect((await call('priya', 'get_person', {})).version).toBe(me.version + 1);

    // naming the organisation one is with now again: no new affiliation, and no refusal either
    const moved = await twice('priya', 'update_person', { organisation: 'Acme Gateways' });
    expect(moved.logged).toBe(0);
    expect(moved.again.affiliations.filter((a: { to: string | null }) => a.to === null)).toEqual([
      expect.objectContaining({ organisation: expect.objectContaining({ name: 'Acme Gateways' }) }),
    ]);
    // still refused to whoever may not edit the record, and from a stale read
    const sam = await call('priya', 'get_person', { handle: 'sam-lead' });
    const now = sam.affiliations.find((a: { to: string | null }) => a.to === null).organisation.name;
    const other = await clients.priya!.callTool({
      name: 'update_person',
      arguments: { handle: 'sam-lead', organisation: now },
    });
    expect(other.isError).toBe(true);
    expect((other.content as { text: string }[])[0]!.text).toMatch(/^forbidden: /);
    const stale = await clients.priya!.callTool({
      name: 'update_person',
      arguments: { organisation: 'Acme Gateways', version: me.version },
    });
    expect((stale.content as { text: string }[])[0]!.text).toMatch(/^conflict: /);
  });

  it('mark_written_input marked as it already was logs nothing more', async () => {
    const held = await call('sam-lead', 'get_agenda', { ref: 'M-1' });
    const heard = held.agenda.items.flatMap((i: { writtenInput: { id: string }[] }) => i.writtenInput)[0];
    const marked = await twice('sam-lead', 'mark_written_input', {
      ref: 'M-1',
      input: heard.id,
      presented: false,
      note: 'We ran out of time; it opens the next meeting.',
    });
    expect(marked.logged).toBe(0);
  });

  it('support_proposal given again as it stands logs nothing and keeps when it was given', async () => {
    // it logged proposal.supported again and moved supportedAt to the retry's time
    const first = await call('priya', 'support_proposal', { ref: 'P-1' });
    const given = first.supporters.find((s: { handle: string }) => s.handle === 'priya');
    const { again, logged: more } = await twice('priya', 'support_proposal', { ref: 'P-1' });
    expect(more).toBe(0);
    expect(again.supporters.find((s: { handle: string }) => s.handle === 'priya')).toEqual(given);
  });

  it('respond_to_decision given again word for word adds no response and keeps when it was given', async () => {
    const first = await call('priya', 'respond_to_decision', { ref: 'D-1', kind: 'consent' });
    const given = first.responses.find((r: { handle: string }) => r.handle === 'priya');
    hub.clock.set(new Date(hub.clock.now().getTime() + 60_000).toISOString());
    const before = await logged();
    const again = await call('priya', 'respond_to_decision', { ref: 'D-1', kind: 'consent' });
    expect((await logged()) - before).toBe(0);
    expect(again.responses.find((r: { handle: string }) => r.handle === 'priya')).toEqual(given);
    const rows = await hub.store.db
      .selectFrom('decision_responses as r')
      .innerJoin('people as p', 'p.id', 'r.person_id')
      .select('r.kind')
      .where('p.handle', '=', 'priya')
      .execute();
    expect(rows).toEqual([{ kind: 'consent' }]);
    // a different response is still one
    const changed = await call('priya', 'respond_to_decision', {
      ref: 'D-1',
      kind: 'concern',
      amendment: 'Name the header the gateway sends.',
    });
    expect(changed.responses.find((r: { handle: string }) => r.handle === 'priya')).toMatchObject({ kind: 'concern' });
  });

  /** Calls the tool again as it was called: what it answered (refused or not) and how many events it logged. */
  const again = async (who: string, name: string, args: Record<string, unknown>) => {
    hub.clock.set(new Date(hub.clock.now().getTime() + 60_000).toISOString());
    const before = await logged();
    const r = await clients[who]!.callTool({ name, arguments: args });
    return { text: JSON.stringify(r.content), logged: (await logged()) - before };
  };

  it('tools whose repeat is already so say idempotentHint: true, and a repeat of each logs nothing', async () => {
    const listed = (await clients.priya!.listTools()).tools;
    const hinted = (name: string) => listed.find((t) => t.name === name)?.annotations?.idempotentHint;
    for (const name of [
      'withdraw_decision',
      'join_group',
      'sponsor_proposal',
      'promote_proposal',
      'end_meeting_series',
      'accept_invitation',
      'decline_invitation',
      'moderate_comment',
    ])
      expect(hinted(name), name).toBe(true);

    const opened = await call('sam-lead', 'open_decision', {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Meet on Thursdays from March?',
      significance: 'minor',
    });
    const withdraw = { ref: opened.ref, reason: 'Opened twice by mistake.' };
    await call('sam-lead', 'withdraw_decision', withdraw);
    expect((await again('sam-lead', 'withdraw_decision', withdraw)).logged).toBe(0);

    await call('priya', 'join_group', { group: 'observability' });
    expect((await again('priya', 'join_group', { group: 'observability' })).logged).toBe(0);

    await call('priya', 'comment_on_proposal', { ref: 'P-1', body: 'Our gateway product does all of this, ask me.' });
    const { items: comments } = await call('sam-lead', 'list_comments', { ref: 'P-1' });
    const hide = { comment: comments.at(-1).id, action: 'hide', reason: 'Marketing, not sharing.' };
    await call('sam-lead', 'moderate_comment', hide);
    expect((await again('sam-lead', 'moderate_comment', hide)).logged).toBe(0);
  });
});
