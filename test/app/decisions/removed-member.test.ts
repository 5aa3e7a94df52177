// A member removed from the group (or who leaves it) while a decision is open no longer speaks for the
// group: the guide manages decisions by objection among the group's members, so an objection (a block)
// or a vote of someone no longer in it must not hold the group's decision. Their answer stays in the
// record and is shown, saying since when it does not count; an outcome judged before they went (the
// deadline passed, a vote closed) keeps it, so no closed outcome changes when someone leaves later.
// Found carried over on 2026-12-07: a removed member's block still stood and opened a vote at the deadline.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM, type Actor } from '../../../src/app/core/hub.ts';
import { createToken } from '../../../src/app/people/tokens.ts';
import { showDecision } from '../../../src/cli/decision-commands.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import { httpClient, serveMcpOverHttp } from '../../mcp/support.ts';
import {
  castVote,
  closeDueDecisions,
  getDecision,
  listDecisions,
  openDecision,
  requestVote,
  respondToDecision,
} from '../../../src/app/decisions/decisions.ts';
import { placeInGroup } from '../../../src/app/groups/groups.ts';
import { leaveGroup, removeMember } from '../../../src/app/groups/leave-group.ts';
import { openStore } from '../../../src/store/connect.ts';
import { databases } from '../../support/databases.ts';
import { hostingGroupWithMail } from '../../support/notifications.ts';
import type { TestHub } from '../../support/hub.ts';

// opened at 12:00 on 2 March, a minor decision's deadline is 12:00 on 7 March
const DEADLINE = '2026-03-07T12:00:00.000Z';

describe.each(databases)('answers of a member who left the group, on $name', (database) => {
  let hub: TestHub;
  let lead: Actor, ana: Actor, bo: Actor;

  beforeEach(async () => {
    ({ hub, lead, ana, bo } = await hostingGroupWithMail(database));
  });
  afterEach(async () => hub?.close());

  const open = (question = 'Adopt fortnightly content meetings?') =>
    openDecision(hub, lead, { group: 'hosting', subject: { type: 'process' }, question, significance: 'minor' });
  const block = { kind: 'block', reason: 'Not before April', alternative: 'Start in May' } as const;

  it('a removed member’s block no longer stands: shown, not counted, and the decision is adopted at the deadline', async () => {
    await open();
    await respondToDecision(hub, ana, 'D-1', block);
    expect((await getDecision(hub, 'D-1')).state.standingBlocks.map((b) => b.handle)).toEqual(['ana']);
    hub.clock.set('2026-03-04T09:00:00Z');
    await removeMember(hub, lead, 'hosting', 'ana');
    const d = await getDecision(hub, 'D-1', undefined, lead);
    expect(d.state.standingBlocks).toEqual([]);
    expect(d.responses).toEqual([
      expect.objectContaining({
        handle: 'ana',
        kind: 'block',
        counts: false,
        membershipEndedAt: '2026-03-04T09:00:00.000Z',
      }),
    ]);
    expect(d.tally.raw.block ?? 0).toBe(0);
    // the membership's event says which decision lost their answer
    const removed = await hub.store.db
      .selectFrom('events')
      .select('before')
      .where('kind', '=', 'group.member-removed')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(removed.before!)).toMatchObject({ handle: 'ana', answersEnded: ['D-1'] });
    // REST, MCP and the CLI show the same view
    const rest = await (await createHttpApp(hub).request('/api/decisions/D-1')).json();
    expect(rest.responses[0]).toMatchObject({
      handle: 'ana',
      counts: false,
      membershipEndedAt: '2026-03-04T09:00:00.000Z',
    });
    expect(rest.state.standingBlocks).toEqual([]);
    const mcp = await serveMcpOverHttp(hub);
    try {
      const client = await httpClient(mcp.url, 'modern', (await createToken(hub, SYSTEM, 'lead')).token);
      const read = (await client.callTool({ name: 'get_decision', arguments: { ref: 'D-1' } })).structuredContent as {
        responses: { handle: string; counts: boolean; membershipEndedAt: string | null }[];
      };
      expect(read.responses[0]).toMatchObject({
        handle: 'ana',
        counts: false,
        membershipEndedAt: '2026-03-04T09:00:00.000Z',
      });
      await client.close();
    } finally {
      mcp.server.close();
    }
    expect(showDecision(d)).toContain('block [no longer in the group: not counted]');
    hub.clock.set('2026-03-07T12:00:01Z');
    expect(await closeDueDecisions(hub)).toEqual([{ ref: 'D-1', phase: 'closed', outcome: 'adopted' }]);
    // and the lists say the same as the page
    expect((await listDecisions(hub, { group: 'hosting' })).items[0]).toMatchObject({
      phase: 'closed',
      outcome: 'adopted',
    });
  });

  it('a vote of one who left while the vote is open no longer counts; one who left after the vote closed keeps theirs', async () => {
    await open();
    await open('Adopt a shared session store?');
    for (const ref of ['D-1', 'D-2']) {
      await requestVote(hub, lead, ref);
      await castVote(hub, lead, ref, { choice: 'yes' });
      await castVote(hub, ana, ref, { choice: 'no' });
      await castVote(hub, bo, ref, { choice: 'yes' });
    }
    const closesAt = (await getDecision(hub, 'D-1')).state.voteClosesAt!;
    // ana leaves while both votes are open: her "no" counts on neither
    hub.clock.set('2026-03-05T09:00:00Z');
    await leaveGroup(hub, ana, 'hosting');
    const d = await getDecision(hub, 'D-1');
    expect(d.votes.find((v) => v.handle === 'ana')).toMatchObject({ choice: 'no', counts: false });
    expect(d.state.result).toMatchObject({ yes: 2, no: 0 });
    expect(d.voteTally?.raw).toMatchObject({ yes: 2 });
    expect(d.voteTally?.raw.no ?? 0).toBe(0);
    // bo leaves after the votes closed: the outcome judged at the close keeps his yes
    hub.clock.set(new Date(Date.parse(closesAt) + 1000).toISOString());
    await leaveGroup(hub, bo, 'hosting');
    const after = await getDecision(hub, 'D-2');
    expect(after.state.result).toMatchObject({ yes: 2, no: 0 });
    expect(after.votes.find((v) => v.handle === 'bo')).toMatchObject({ counts: true });
  });

  // PostgreSQL only (and not listed as skipped on SQLite): SQLite runs one write at a time, so no vote
  // is ever in flight as a membership ends
  if (database.name === 'postgres')
    it('a vote in flight as its author’s membership ends is refused, never counted after it', async () => {
      await open();
      await requestVote(hub, lead, 'D-1');
      const anaId = ana.kind === 'person' ? ana.person.id : '';
      // another process ends ana's membership, holding her row as endAnswersInGroup does, while her vote
      // has passed the policy and waits for that row
      const other = openStore(hub.store.url);
      try {
        let held!: () => void;
        let release!: () => void;
        const holding = new Promise<void>((r) => {
          held = r;
        });
        const released = new Promise<void>((r) => {
          release = r;
        });
        const ending = other.db.transaction().execute(async (trx) => {
          await trx.selectFrom('people').select('id').where('id', '=', anaId).forNoKeyUpdate().execute();
          held();
          await released;
          await trx.deleteFrom('group_members').where('person_id', '=', anaId).execute();
        });
        await holding;
        const vote = castVote(hub, ana, 'D-1', { choice: 'no' }).then(
          () => 'counted',
          (e: Error) => e.message,
        );
        await new Promise((r) => setTimeout(r, 300));
        release();
        await ending;
        expect(await vote).not.toBe('counted');
        expect((await getDecision(hub, 'D-1')).votes).toEqual([]);
      } finally {
        await other.close();
      }
    });

  // PostgreSQL only, as above. Found in review on 2026-12-07: an answer holds the decision's row, then
  // its author's; a membership's end held the person's row, then updated the decision's (its version):
  // a member removed while answering deadlocked (40P01, a 500). Both now hold the decision first.
  if (database.name === 'postgres')
    it('a member removed while answering a decision of the group: both go through, no deadlock', async () => {
      await open();
      await respondToDecision(hub, ana, 'D-1', block);
      const anaId = ana.kind === 'person' ? ana.person.id : '';
      const other = openStore(hub.store.url);
      try {
        let held!: () => void;
        let release!: () => void;
        const holding = new Promise<void>((r) => {
          held = r;
        });
        const released = new Promise<void>((r) => {
          release = r;
        });
        // another process answers as respondToDecision does: the decision's row, then its author's
        const answering = other.db.transaction().execute(async (trx) => {
          await trx.selectFrom('decisions').select('id').where('number', '=', 1).forNoKeyUpdate().execute();
          held();
          await released;
          await trx.selectFrom('people').select('id').where('id', '=', anaId).forNoKeyUpdate().execute();
          return 'answered';
        });
        await holding;
        const removal = removeMember(hub, lead, 'hosting', 'ana').then(
          () => 'removed',
          (e: Error) => e.message,
        );
        await new Promise((r) => setTimeout(r, 500));
        release();
        expect(await answering.catch((e: Error) => e.message)).toBe('answered');
        expect(await removal).toBe('removed');
        const d = await getDecision(hub, 'D-1', undefined, lead);
        expect(d.responses).toEqual([expect.objectContaining({ handle: 'ana', counts: false })]);
      } finally {
        await other.close();
      }
    });

  it('a block that stood at the deadline stays counted when its author leaves during the vote it opened', async () => {
    await open();
    await respondToDecision(hub, ana, 'D-1', block);
    hub.clock.set('2026-03-07T13:00:00Z');
    await removeMember(hub, lead, 'hosting', 'ana');
    const d = await getDecision(hub, 'D-1');
    expect({ phase: d.state.phase, voteOpensAt: d.state.voteOpensAt }).toEqual({
      phase: 'vote',
      voteOpensAt: DEADLINE,
    });
    expect(d.state.standingBlocks.map((b) => b.handle)).toEqual(['ana']);
    expect(d.responses[0]).toMatchObject({ counts: true, membershipEndedAt: '2026-03-07T13:00:00.000Z' });
  });
  // found in review on 2026-12-07: the same block sent again after rejoining was taken for a retry of
  // the last one and dropped, so it kept saying "no longer in the group: not counted"
  it('a member who left and rejoined makes the same block, and the same vote, count again by sending it again', async () => {
    await open();
    await respondToDecision(hub, ana, 'D-1', block);
    hub.clock.set('2026-03-03T09:00:00Z');
    await leaveGroup(hub, ana, 'hosting');
    hub.clock.set('2026-03-03T10:00:00Z');
    await placeInGroup(hub, SYSTEM, 'hosting', 'ana', { level: 'member' });
    expect((await getDecision(hub, 'D-1')).state.standingBlocks).toEqual([]);
    hub.clock.set('2026-03-03T11:00:00Z');
    const d = await respondToDecision(hub, ana, 'D-1', block);
    expect(d.state.standingBlocks.map((b) => b.handle)).toEqual(['ana']);
    expect(d.responses.find((r) => r.handle === 'ana')).toMatchObject({
      kind: 'block',
      counts: true,
      membershipEndedAt: null,
    });
    expect(showDecision(d)).not.toContain('no longer in the group');
    // a retry of the block that counts is still no new response
    const again = await respondToDecision(hub, ana, 'D-1', block);
    expect(again.responses.filter((r) => r.handle === 'ana')).toHaveLength(1);
    // a vote given again after rejoining counts too
    await open('Adopt a shared session store?');
    await requestVote(hub, lead, 'D-2');
    await castVote(hub, ana, 'D-2', { choice: 'no' });
    hub.clock.set('2026-03-03T12:00:00Z');
    await leaveGroup(hub, ana, 'hosting');
    await placeInGroup(hub, SYSTEM, 'hosting', 'ana', { level: 'member' });
    expect((await getDecision(hub, 'D-2')).state.result).toMatchObject({ no: 0 });
    hub.clock.set('2026-03-03T13:00:00Z');
    const v = await castVote(hub, ana, 'D-2', { choice: 'no' });
    expect(v.votes.find((x) => x.handle === 'ana')).toMatchObject({ choice: 'no', counts: true });
    expect(v.state.result).toMatchObject({ no: 1 });
  });
});
