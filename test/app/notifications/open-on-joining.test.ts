// Lazy consensus counts silence, so one who joins a group (or comes back to it) while its decisions are
// open is told what their silence does on each: the join's answer carries the open decisions (the use
// case, REST's and MCP's `openDecisions`) and the web's flash says it, with each deadline. A member back
// in time is told their silence counts as consent; back too late, that it does not but their answer
// does; one joining at a level whose answers are advisory, that theirs is. Both databases.
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import type { KyselyPlugin } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Actor, SYSTEM } from '../../../src/app/core/hub.ts';
import { openDecision, openDecisionsOnJoining, requestVote } from '../../../src/app/decisions/decisions.ts';
import { joinGroup, setMemberLevel } from '../../../src/app/groups/groups.ts';
import { listInbox } from '../../../src/app/notifications/inbox.ts';
import { createToken } from '../../../src/app/people/tokens.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import { createWghubMcpServer } from '../../../src/mcp/server.ts';
import { databases } from '../../support/databases.ts';
import { person, type TestHub } from '../../support/hub.ts';
import { hostingGroupWithMail } from '../../support/notifications.ts';
import { countQueries } from '../../support/queries.ts';
import { pageText, signInAs } from '../../support/web-client.ts';

describe.each(databases)('open decisions told on joining on $name', (database) => {
  let hub: TestHub;
  let lead: Actor, ana: Actor;

  beforeEach(async () => {
    ({ hub, lead, ana } = await hostingGroupWithMail(database));
  });
  afterEach(async () => hub?.close());

  // opened Monday 2 March 12:00 UTC; minor: the deadline is Saturday 7 March 12:00 UTC
  const open = (question: string) =>
    openDecision(hub, lead, { group: 'hosting', subject: { type: 'process' }, question, significance: 'minor' });
  const lapse = async (who: Actor) =>
    hub.store.db
      .updateTable('group_members')
      .set({ last_active_at: '2025-06-01T00:00:00.000Z' })
      .where('person_id', '=', who.kind === 'person' ? who.person.id : '')
      .execute();

  it('a member back in time hears their silence counts by each deadline; too late, that it does not', async () => {
    await lapse(ana);
    await open('Adopt fortnightly content meetings?');
    await open('Move the notes to the wiki?');
    hub.clock.set('2026-03-03T12:00:00Z');
    await joinGroup(hub, ana, 'hosting');
    const back = await openDecisionsOnJoining(hub, ana, 'hosting');
    expect(back.map((d) => [d.ref, d.voice, d.closesAt])).toEqual([
      ['D-1', 'silence-counts', '2026-03-07T12:00:00.000Z'],
      ['D-2', 'silence-counts', '2026-03-07T12:00:00.000Z'],
    ]);
    // and told by notice, which is what makes the silence count
    const titles = (await listInbox(hub, ana)).items.map((n) => n.title);
    expect(titles).toContain('D-1 is open, and your answer now counts: Adopt fortnightly content meetings?');
    // back six hours before the deadline: told, but too late for silence to count
    await lapse(ana);
    hub.clock.set('2026-03-07T06:00:00Z');
    await joinGroup(hub, ana, 'hosting');
    const late = await openDecisionsOnJoining(hub, ana, 'hosting');
    expect(late.map((d) => [d.ref, d.voice, d.why])).toEqual([
      [
        'D-1',
        'silence-not-counted',
        'gained a voice 6 hours before the deadline, less than the 24 hours the community gives to answer',
      ],
      [
        'D-2',
        'silence-not-counted',
        'gained a voice 6 hours before the deadline, less than the 24 hours the community gives to answer',
      ],
    ]);
  });

  it('one joining as a participant hears the open decisions are advisory for them, in a vote that votes count; REST and MCP carry openDecisions', async () => {
    await open('Adopt fortnightly content meetings?');
    await open('Move the notes to the wiki?');
    await requestVote(hub, lead, 'D-2');
    const cy = await person(hub, 'cy');
    await joinGroup(hub, cy, 'hosting', { level: 'participant' });
    expect((await openDecisionsOnJoining(hub, cy, 'hosting')).map((d) => [d.ref, d.phase, d.voice])).toEqual([
      ['D-1', 'lazy-consensus', 'advisory'],
      ['D-2', 'vote', 'advisory'],
    ]);
    // a lapsed member back while D-2 is in a vote: their vote counts there
    await lapse(ana);
    await joinGroup(hub, ana, 'hosting');
    expect((await openDecisionsOnJoining(hub, ana, 'hosting')).map((d) => [d.ref, d.voice])).toEqual([
      ['D-1', 'silence-counts'],
      ['D-2', 'vote-counts'],
    ]);
    // REST
    await person(hub, 'dee');
    const token = (await createToken(hub, SYSTEM, 'dee')).token;
    const res = await createHttpApp(hub).request('/api/groups/hosting/members', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ level: 'observer' }),
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.items.map((m: { handle: string }) => m.handle)).toContain('dee');
    expect(body.openDecisions.map((d: { ref: string; voice: string }) => [d.ref, d.voice])).toEqual([
      ['D-1', 'advisory'],
      ['D-2', 'advisory'],
    ]);
    // MCP
    const eve = await person(hub, 'eve');
    const server = createWghubMcpServer(hub, { actor: eve });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.connect(a);
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(b);
    try {
      const joined = await client.callTool({ name: 'join_group', arguments: { group: 'hosting' } });
      const out = joined.structuredContent as { openDecisions: { ref: string; closesAt: string; voice: string }[] };
      expect(out.openDecisions.map((d) => [d.ref, d.voice])).toEqual([
        ['D-1', 'advisory'],
        ['D-2', 'advisory'],
      ]);
      expect(out.openDecisions[0]!.closesAt).toBe('2026-03-07T12:00:00.000Z');
    } finally {
      await client.close();
    }
  });

  it("the web's flash after joining names the open decisions, their deadlines and what silence does", async () => {
    await open('Adopt fortnightly content meetings?');
    await open('Move the notes to the wiki?');
    const app = createHttpApp(hub);
    // a participant: advisory
    await person(hub, 'cy');
    const cy = await signInAs(app, 'cy');
    await cy.get('/groups/hosting');
    const joined = await cy.post('/groups/hosting/join', { level: 'participant' });
    expect(joined.status).toBe(303);
    const page = pageText((await cy.get(joined.location!)).html);
    expect(page).toContain(
      'You joined Hosting as participant. 2 decisions are open in this group: at your level a response is advisory and silence is not counted (D-1 by',
    );
    expect(page).toContain("See them under Decisions on the group's page.");
    // a lapsed member back by the page's come-back form: their silence counts, by the deadline in their zone
    await lapse(ana);
    const anaWeb = await signInAs(app, 'ana');
    await anaWeb.get('/groups/hosting');
    const back = await anaWeb.post('/groups/hosting/join', { level: 'observer', back: '1' });
    const anaPage = pageText((await anaWeb.get(back.location!)).html);
    expect(anaPage).toMatch(
      /Welcome back to Hosting: you take part again\. 2 decisions are open in this group: your silence counts as consent unless you respond \(D-1 by [^)]+ \(America\/Los_Angeles\) and D-2 by [^)]+ \(America\/Los_Angeles\)\)\./,
    );
  });

  it('accepting an invitation to be a member: the flash says their silence now counts, by each deadline', async () => {
    await open('Adopt fortnightly content meetings?');
    const cy = await person(hub, 'cy');
    const { invitation } = await setMemberLevel(hub, lead, 'hosting', 'cy', { level: 'member' });
    const app = createHttpApp(hub);
    const web = await signInAs(app, 'cy');
    await web.get('/groups/hosting');
    const accepted = await web.post(`/groups/hosting/invitations/${invitation!.id}/accept`, {});
    expect(accepted.status).toBe(303);
    const page = pageText((await web.get(accepted.location!)).html);
    expect(page).toContain(
      "You are in Hosting now, as a member. 1 decision is open in this group: your silence counts as consent unless you respond (D-1 by Sat 7 Mar 2026, 13:00 (Europe/Berlin)). See them under Decisions on the group's page.",
    );
    expect((await openDecisionsOnJoining(hub, cy, 'hosting')).map((d) => d.voice)).toEqual(['silence-counts']);
  });

  it('accepting an invitation over REST and MCP answers openDecisions, as joining does; declining does not', async () => {
    await open('Adopt fortnightly content meetings?');
    await open('Move the notes to the wiki?');
    await requestVote(hub, lead, 'D-2');
    // REST: invited as a member, their silence counts on D-1 and their vote on D-2
    await person(hub, 'cy');
    const { invitation: toCy } = await setMemberLevel(hub, lead, 'hosting', 'cy', { level: 'member' });
    const token = (await createToken(hub, SYSTEM, 'cy')).token;
    const res = await createHttpApp(hub).request(`/api/me/invitations/${toCy!.id}/accept`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect([body.state, body.group, body.level]).toEqual(['accepted', 'hosting', 'member']);
    expect(body.openDecisions.map((d: { ref: string; voice: string }) => [d.ref, d.voice])).toEqual([
      ['D-1', 'silence-counts'],
      ['D-2', 'vote-counts'],
    ]);
    expect(body.openDecisions[0].closesAt).toBe('2026-03-07T12:00:00.000Z');
    // MCP: invited as a participant, advisory on both; one declining is told nothing of them
    const dee = await person(hub, 'dee');
    const eve = await person(hub, 'eve');
    const { invitation: toDee } = await setMemberLevel(hub, lead, 'hosting', 'dee', { level: 'participant' });
    const { invitation: toEve } = await setMemberLevel(hub, lead, 'hosting', 'eve', { level: 'member' });
    const call = async (actor: Actor, name: string, id: string) => {
      const server = createWghubMcpServer(hub, { actor });
      const [a, b] = InMemoryTransport.createLinkedPair();
      await server.connect(a);
      const client = new Client({ name: 'test', version: '1' });
      await client.connect(b);
      try {
        const answer = await client.callTool({ name, arguments: { id } });
        expect(answer.isError, JSON.stringify(answer.content)).toBeFalsy();
        return answer.structuredContent as { state: string; openDecisions?: { ref: string; voice: string }[] };
      } finally {
        await client.close();
      }
    };
    const accepted = await call(dee, 'accept_invitation', toDee!.id);
    expect(accepted.state).toBe('accepted');
    expect(accepted.openDecisions!.map((d) => [d.ref, d.voice])).toEqual([
      ['D-1', 'advisory'],
      ['D-2', 'advisory'],
    ]);
    const declined = await call(eve, 'decline_invitation', toEve!.id);
    expect(declined.state).toBe('declined');
    expect(declined.openDecisions).toBeUndefined();
  });

  it('no decision open: the flash says only that they joined', async () => {
    const app = createHttpApp(hub);
    await person(hub, 'cy');
    const cy = await signInAs(app, 'cy');
    await cy.get('/groups/hosting');
    const joined = await cy.post('/groups/hosting/join', { level: 'participant' });
    const page = pageText((await cy.get(joined.location!)).html);
    expect(page).toContain('You joined Hosting as participant.');
    expect(page).not.toContain('open in this group');
  });

  // Found in review: the read built a full decision view per open decision (up to a hundred, thousands
  // of queries per join, repeatable by leaving and joining again)
  it('what the joiner is told costs the same queries however many decisions are open', async () => {
    await lapse(ana);
    await open('Adopt fortnightly content meetings?');
    await open('Move the notes to the wiki?');
    hub.clock.set('2026-03-07T06:00:00Z');
    await joinGroup(hub, ana, 'hosting');
    const counter = countQueries(hub);
    expect((await openDecisionsOnJoining(hub, ana, 'hosting')).map((d) => d.voice)).toEqual([
      'silence-not-counted',
      'silence-not-counted',
    ]);
    const two = counter.count;
    for (const q of ['Rename the group?', 'Meet weekly?', 'Archive the old notes?', 'Adopt a code of conduct?'])
      await open(q);
    counter.reset();
    expect((await openDecisionsOnJoining(hub, ana, 'hosting')).map((d) => d.voice)).toEqual([
      'silence-not-counted',
      'silence-not-counted',
      'silence-counts',
      'silence-counts',
      'silence-counts',
      'silence-counts',
    ]);
    expect(counter.count).toBe(two);
  });

  // and it runs after the join committed: its failure turned a join that happened into a 500
  it('a failure reading the open decisions does not fail the join: it says none, and logs why', async () => {
    await open('Adopt fortnightly content meetings?');
    await lapse(ana);
    const token = (await createToken(hub, SYSTEM, 'ana')).token;
    // the read of the group's open decisions (bounded, as the join's own notices are not) fails
    const failRead: KyselyPlugin = {
      transformQuery: (args) => {
        const node = args.node;
        if (node.kind === 'SelectQueryNode' && node.limit && JSON.stringify(node.from).includes('"decisions"'))
          throw new Error('connection reset');
        return node;
      },
      transformResult: async (args) => args.result,
    };
    hub.store = { ...hub.store, db: hub.store.db.withPlugin(failRead) };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const res = await createHttpApp(hub).request('/api/groups/hosting/members', {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({}),
      });
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.items.map((m: { handle: string }) => m.handle)).toContain('ana');
      expect(body.openDecisions).toEqual([]);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('connection reset'));
    } finally {
      warn.mockRestore();
    }
  });
});
