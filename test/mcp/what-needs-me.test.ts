// what_needs_me through the SDK's own client (which checks each answer against the tool's
// outputSchema): a caller without a token is told to sign in; a member sees the decision they have
// not answered with its deadline until they answer over MCP; another member's token sees their own.
import type { ServerType } from '@hono/node-server';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { openDecision } from '../../src/app/decisions/decisions.ts';
import { placeInGroup } from '../../src/app/groups/groups.ts';
import { scheduleMeeting } from '../../src/app/meetings/meetings.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { databases } from '../support/databases.ts';
import { asActor, hostingGroup, openTestHub, person, type TestHub } from '../support/hub.ts';
import { ERAS, httpClient, serveMcpOverHttp, text } from './support.ts';

// biome-ignore lint/suspicious/noExplicitAny: answers off the wire, read by shape in the assertions
type Answer = { isError?: boolean; structuredContent?: Record<string, any>; content: unknown };
const call = async (c: Client, args: Record<string, unknown> = {}) =>
  (await c.callTool({ name: 'what_needs_me', arguments: args })) as Answer;
const kinds = (r: Answer) =>
  (r.structuredContent!.items as { kind: string; ref: string }[]).map((n) => `${n.kind} ${n.ref}`);

describe.each(databases)('what_needs_me on $name', (database) => {
  let hub: TestHub;
  let main: { url: string; server: ServerType };
  let anonymous: { url: string; server: ServerType };
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    hub.governance.rateLimits = { ...hub.governance.rateLimits, enabled: false };
    const lead = await person(hub, 'lead', { role: 'member' });
    await person(hub, 'ana');
    await person(hub, 'part');
    await hostingGroup(hub, lead, 'lead');
    await placeInGroup(hub, SYSTEM, 'hosting', 'ana', { level: 'member' });
    await placeInGroup(hub, SYSTEM, 'hosting', 'part', { level: 'participant' });
    for (const h of ['ana', 'part']) tokens[h] = (await createToken(hub, SYSTEM, h)).token;
    // a meeting that ended yesterday, whose notes ana takes
    await scheduleMeeting(hub, lead, {
      group: 'hosting',
      kind: 'content',
      title: 'Session affinity deep dive',
      startsAt: '2026-03-02T13:00:00Z',
      durationMinutes: 60,
      noteTaker: 'ana',
    });
    hub.clock.set('2026-03-03T09:00:00Z');
    main = await serveMcpOverHttp(hub);
    anonymous = await serveMcpOverHttp(hub, { anonymousReads: true });
  });
  afterAll(async () => {
    main?.server.close();
    anonymous?.server.close();
    await hub?.close();
  });

  it.each(ERAS)('lists what waits on the caller, in the %s era', async (era) => {
    // where reads need no token, this one still does: it is a person's own
    const visitor = await httpClient(anonymous.url, era);
    const refused = await call(visitor);
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(/listing what needs you acts as a person/);
    await visitor.close();

    const question = `Adopt fortnightly meetings (${era})?`;
    const d = await openDecision(hub, await asActor(hub, 'lead'), {
      group: 'hosting',
      subject: { type: 'process' },
      question,
      significance: 'minor',
    });
    const ana = await httpClient(main.url, era, tokens.ana);
    const tool = (await ana.listTools()).tools.find((t) => t.name === 'what_needs_me')!;
    expect(tool.annotations?.readOnlyHint).toBe(true);
    expect(tool.outputSchema).toBeTruthy();
    const mine = await call(ana);
    expect(mine.structuredContent!.handle).toBe('ana');
    expect(mine.structuredContent!.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'decision', ref: d.ref, title: question, due: d.deadline, group: 'hosting' }),
        expect.objectContaining({ kind: 'notes', ref: 'M-1', path: '/meetings/M-1#notes' }),
      ]),
    );
    // the note-taker owes the notes; the participant does not, and sees the decision as advisory
    const part = await httpClient(main.url, era, tokens.part);
    const theirs = await call(part);
    expect(theirs.structuredContent!.handle).toBe('part');
    expect(kinds(theirs)).toContain(`advisory ${d.ref}`);
    expect(kinds(theirs).filter((k) => k.startsWith('notes') || k.startsWith('decision'))).toEqual([]);

    const answered = await ana.callTool({ name: 'respond_to_decision', arguments: { ref: d.ref, kind: 'consent' } });
    expect(answered.isError).toBeFalsy();
    expect(kinds(await call(ana))).not.toContain(`decision ${d.ref}`);
    await ana.close();
    await part.close();
  });
});
