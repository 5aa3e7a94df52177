// A decision's close, and what other processes do to the decision at the same moment. Two hubs on one
// database stand for two processes (as in test/app/core/shared-across-processes.test.ts): each has its
// own connections and clock, and only the database between them. The clocks differ by a few seconds
// (clock skew between machines): the closing process is past the deadline, the other is not yet.
//
// Found on 2026-12-06: the close job read the open decisions once, then judged each from that read. An
// extension committed meanwhile by another process was not seen: the log recorded the decision adopted
// at the old deadline, the group was told so, and the decision then showed lazy consensus running to
// its new deadline. And once the close was recorded, a process whose clock was a little behind still
// took an extension (or a withdrawal, an answer) of a decision the group had been told was decided.
//
// Found in review the same day: a withdrawal read the decision without holding it, so one racing the
// close committed after it (two outcomes in the log); and an answer held nothing the close waits for,
// so a block in flight while the job judged was recorded after the job wrote "adopted": the page then
// showed a vote open that nobody could cast (the close is recorded) and that the job never looked at
// again. Each decision below must end as the log says it did.
import { afterEach, describe, expect, it } from 'vitest';
import { createHub, SYSTEM, type Hub } from '../../../src/app/core/hub.ts';
import { createToken } from '../../../src/app/people/tokens.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import {
  castVote,
  closeDueDecisions,
  extendDecision,
  getDecision,
  openDecision,
  requestVote,
  respondToDecision,
  withdrawDecision,
} from '../../../src/app/decisions/decisions.ts';
import { ManualClock } from '../../../src/domain/clock.ts';
import { openStore, type Store } from '../../../src/store/connect.ts';
import { databases } from '../../support/databases.ts';
import type { TestHub } from '../../support/hub.ts';
import { hostingGroupWithMail } from '../../support/notifications.ts';

// opened at 12:00 on 2 March, a minor decision's deadline is 12:00 on 7 March
const DEADLINE = '2026-03-07T12:00:00.000Z';
const DECISIONS = 8;

describe.each(databases)('closing a decision while another process acts on it, on $name', (database) => {
  let a: TestHub | undefined;
  let storeB: Store | undefined;
  afterEach(async () => {
    await storeB?.close();
    await a?.close();
    a = storeB = undefined;
  });
  /** Process B: its own connections and memory, the same database and rules, a clock of its own. */
  const processB = (hub: TestHub, at: string): Hub & { clock: ManualClock } => {
    storeB = openStore(hub.store.url);
    let n = 0;
    const b = createHub(storeB, hub.governance, {
      clock: new ManualClock(at),
      newId: () => `b-${String(++n).padStart(6, '0')}`,
    });
    return { ...b, clock: b.clock as ManualClock };
  };
  const setUp = async () => {
    const community = await hostingGroupWithMail(database);
    a = community.hub;
    for (let i = 0; i < DECISIONS; i++)
      await openDecision(a, community.lead, {
        group: 'hosting',
        subject: { type: 'process' },
        question: `Adopt fortnightly content meetings, take ${i + 1}?`,
        significance: 'minor',
      });
    return community;
  };
  const eventsOf = async (hub: Hub, ref: string) =>
    (
      await hub.store.db
        .selectFrom('events')
        .select('kind')
        .where('subject_type', '=', 'decision')
        .where('subject_id', '=', ref)
        .orderBy('seq')
        .execute()
    ).map((e) => e.kind);

  /** What the close job recorded of a decision, and what its page says now: one and the same. */
  const recordedAndShown = async (hub: Hub, ref: string) => {
    const row = await hub.store.db
      .selectFrom('decisions')
      .select('recorded_state')
      .where('number', '=', Number(ref.slice(2)))
      .executeTakeFirstOrThrow();
    const { state } = await getDecision(hub, ref);
    return { ref, recorded: row.recorded_state, shown: `${state.phase}:${state.outcome}` };
  };

  it('an extension another process commits while the close job runs is never recorded as adopted at the old deadline', async () => {
    const { lead } = await setUp();
    a!.clock.set('2026-03-07T12:00:02Z'); // the closing process: 2 s past the deadline
    const b = processB(a!, '2026-03-07T11:59:58Z'); // the other: 2 s before it
    const refs = Array.from({ length: DECISIONS }, (_, i) => `D-${i + 1}`);
    const reason = 'Half the group was not reached: their mail bounced';
    const [closed, ...extended] = await Promise.all([
      closeDueDecisions(a!),
      ...refs.map((ref) =>
        extendDecision(b, lead, ref, 1, { hours: 48, reason }).then(
          () => true,
          () => false,
        ),
      ),
    ]);
    for (const [i, ref] of refs.entries()) {
      const kinds = await eventsOf(a!, ref);
      const wasClosed = closed.some((c) => c.ref === ref);
      // one or the other, never both: extended and still open, or decided and the extension refused
      expect({ ref, extended: extended[i], closed: wasClosed }).toEqual({
        ref,
        extended: !wasClosed,
        closed: wasClosed,
      });
      expect(kinds.includes('decision.extended') && kinds.includes('decision.outcome')).toBe(false);
      const view = await getDecision(a!, ref);
      if (extended[i])
        expect(view).toMatchObject({ deadline: '2026-03-09T12:00:00.000Z', state: { phase: 'lazy-consensus' } });
      else expect(view).toMatchObject({ deadline: DEADLINE, state: { phase: 'closed', outcome: 'adopted' } });
    }
  });

  it('a withdrawal another process makes while the close job runs is one outcome or the other, never both', async () => {
    const { lead } = await setUp();
    a!.clock.set('2026-03-07T12:00:02Z');
    const b = processB(a!, '2026-03-07T11:59:58Z');
    const refs = Array.from({ length: DECISIONS }, (_, i) => `D-${i + 1}`);
    const [closed, ...withdrawn] = await Promise.all([
      closeDueDecisions(a!),
      ...refs.map((ref) =>
        withdrawDecision(b, lead, ref, { reason: 'Opened by mistake' }).then(
          () => true,
          () => false,
        ),
      ),
    ]);
    for (const [i, ref] of refs.entries()) {
      const wasClosed = closed.some((c) => c.ref === ref);
      expect({ ref, withdrawn: withdrawn[i], closed: wasClosed }).toEqual({
        ref,
        withdrawn: !wasClosed,
        closed: wasClosed,
      });
      expect(await eventsOf(a!, ref)).toEqual(['decision.opened', 'decision.outcome']);
      const outcome = withdrawn[i] ? 'withdrawn' : 'adopted';
      expect(await recordedAndShown(a!, ref)).toEqual({
        ref,
        recorded: `closed:${outcome}`,
        shown: `closed:${outcome}`,
      });
    }
  });

  it('a block another process records while the close job runs is judged by it, or refused: never left in a vote nobody can cast', async () => {
    const { ana } = await setUp();
    a!.clock.set('2026-03-07T12:00:02Z');
    const b = processB(a!, '2026-03-07T11:59:58Z');
    const refs = Array.from({ length: DECISIONS }, (_, i) => `D-${i + 1}`);
    const [closed, ...blocked] = await Promise.all([
      closeDueDecisions(a!),
      ...refs.map((ref) =>
        respondToDecision(b, ana, ref, { kind: 'block', reason: 'Not before April', alternative: 'May' }).then(
          () => true,
          () => false,
        ),
      ),
    ]);
    for (const [i, ref] of refs.entries()) {
      // the block came first: the close saw it, and a vote opened; or the close came first: refused
      const expected = blocked[i] ? 'vote:pending' : 'closed:adopted';
      expect(closed.find((c) => c.ref === ref)).toMatchObject({ ref, phase: expected.split(':')[0] });
      expect(await recordedAndShown(a!, ref)).toEqual({ ref, recorded: expected, shown: expected });
    }
  });

  it('a vote asked for on another process while the close job runs is judged by it, or refused', async () => {
    const { lead } = await setUp();
    a!.clock.set('2026-03-07T12:00:02Z');
    const b = processB(a!, '2026-03-07T11:59:58Z');
    const refs = Array.from({ length: DECISIONS }, (_, i) => `D-${i + 1}`);
    const [closed, ...asked] = await Promise.all([
      closeDueDecisions(a!),
      ...refs.map((ref) =>
        requestVote(b, lead, ref).then(
          (v) => v.state.phase === 'vote',
          () => false,
        ),
      ),
    ]);
    for (const [i, ref] of refs.entries()) {
      const expected = asked[i] ? 'vote:pending' : 'closed:adopted';
      expect(closed.find((c) => c.ref === ref)).toMatchObject({ ref, phase: expected.split(':')[0] });
      expect(await recordedAndShown(a!, ref)).toEqual({ ref, recorded: expected, shown: expected });
    }
  });

  it('a vote cast on another process while the close job counts the vote is counted by it, or refused', async () => {
    const { lead, ana, bo } = await setUp();
    const refs = Array.from({ length: DECISIONS }, (_, i) => `D-${i + 1}`);
    for (const ref of refs) {
      await requestVote(a!, lead, ref);
      await castVote(a!, lead, ref, { choice: 'yes' });
      await castVote(a!, bo, ref, { choice: 'yes' });
    }
    const closesAt = Date.parse((await getDecision(a!, 'D-1')).state.voteClosesAt!);
    a!.clock.set(new Date(closesAt + 2000).toISOString());
    const b = processB(a!, new Date(closesAt - 2000).toISOString());
    const [closed, ...voted] = await Promise.all([
      closeDueDecisions(a!),
      ...refs.map((ref) =>
        castVote(b, ana, ref, { choice: 'no' }).then(
          () => true,
          () => false,
        ),
      ),
    ]);
    for (const [i, ref] of refs.entries()) {
      expect(closed.find((c) => c.ref === ref)).toEqual({ ref, phase: 'closed', outcome: 'adopted-by-vote' });
      // the count the group was told is the count the page shows: with Ana's no, or without it and hers refused
      const told = await a!.store.db
        .selectFrom('events')
        .select('after')
        .where('subject_type', '=', 'decision')
        .where('subject_id', '=', ref)
        .where('kind', '=', 'decision.outcome')
        .executeTakeFirstOrThrow();
      const no = voted[i] ? 1 : 0;
      expect({ ref, told: JSON.parse(told.after!).result }).toMatchObject({ ref, told: { yes: 2, no } });
      expect((await getDecision(a!, ref)).state.result).toMatchObject({ yes: 2, no });
    }
  });

  it('a vote cast on another process whose clock is behind, as the close job escalates the failed vote, is counted by it or refused as escalated', async () => {
    const { lead, ana, bo } = await setUp();
    const refs = Array.from({ length: DECISIONS }, (_, i) => `D-${i + 1}`);
    for (const ref of refs) {
      await requestVote(a!, lead, ref);
      await castVote(a!, lead, ref, { choice: 'yes' });
      await castVote(a!, bo, ref, { choice: 'no' }); // one yes, one no: not passed, so escalated
    }
    const closesAt = Date.parse((await getDecision(a!, 'D-1')).state.voteClosesAt!);
    a!.clock.set(new Date(closesAt + 2000).toISOString());
    const b = processB(a!, new Date(closesAt - 2000).toISOString());
    const [closed, ...voted] = await Promise.all([
      closeDueDecisions(a!),
      ...refs.map((ref, i) =>
        // half before the close job has begun, half as it runs
        new Promise((r) => setTimeout(r, i % 2 ? 0 : 40))
          .then(() => castVote(b, ana, ref, { choice: 'yes' }))
          .then(
            () => 'counted',
            (e: Error) => e.message,
          ),
      ),
    ]);
    for (const [i, ref] of refs.entries()) {
      // counted before the close: two yes and one no pass; refused after it, saying it was escalated
      const expected = voted[i] === 'counted' ? 'closed:adopted-by-vote' : 'escalated:pending';
      if (voted[i] !== 'counted')
        expect({ ref, refused: voted[i] }).toMatchObject({ ref, refused: expect.stringMatching(/escalated/) });
      expect(closed.find((c) => c.ref === ref)).toMatchObject({ ref, phase: expected.split(':')[0] });
      expect(await recordedAndShown(a!, ref)).toEqual({ ref, recorded: expected, shown: expected });
    }
    // and once it is recorded, a vote from the process behind is refused whatever its clock says
    const escalated = refs.filter((_, i) => voted[i] !== 'counted');
    expect(escalated.length).toBeGreaterThan(0);
    for (const ref of escalated) await expect(castVote(b, ana, ref, { choice: 'yes' })).rejects.toThrow(/escalated/);
    for (const ref of escalated) expect(await recordedAndShown(a!, ref)).toMatchObject({ shown: 'escalated:pending' });
  });

  it('a process whose clock is behind the recorded phase change shows the recorded phase and offers only its actions', async () => {
    const { lead, ana, bo } = await setUp();
    // D-1: a block stands at the deadline, so a vote opens; D-2: nothing stands, so it is adopted
    await respondToDecision(a!, ana, 'D-1', { kind: 'block', reason: 'Not before April', alternative: 'May' });
    a!.clock.set('2026-03-07T12:00:02Z');
    const closed = await closeDueDecisions(a!);
    expect(closed.find((c) => c.ref === 'D-1')).toMatchObject({ phase: 'vote', outcome: 'pending' });
    expect(closed.find((c) => c.ref === 'D-2')).toMatchObject({ phase: 'closed', outcome: 'adopted' });
    const b = processB(a!, '2026-03-07T11:59:58Z');
    const voting = await getDecision(b, 'D-1', undefined, bo);
    expect({ phase: voting.state.phase, voteOpensAt: voting.state.voteOpensAt }).toEqual({
      phase: 'vote',
      voteOpensAt: DEADLINE,
    });
    expect({ vote: voting.can.vote.allowed, respond: voting.can.respond.allowed }).toEqual({
      vote: true,
      respond: false,
    });
    const adopted = await getDecision(b, 'D-2', undefined, bo);
    expect({ phase: adopted.state.phase, outcome: adopted.state.outcome }).toEqual({
      phase: 'closed',
      outcome: 'adopted',
    });
    expect(Object.values(adopted.can).some((v) => v.allowed)).toBe(false);
    // REST says the same from that process (MCP's get_decision is this view too)
    const bosToken = (await createToken(b, SYSTEM, 'bo')).token;
    const rest = await (
      await createHttpApp(b).request('/api/decisions/D-1', { headers: { Authorization: `Bearer ${bosToken}` } })
    ).json();
    expect({ phase: rest.state.phase, vote: rest.can.vote.allowed, respond: rest.can.respond.allowed }).toEqual({
      phase: 'vote',
      vote: true,
      respond: false,
    });
    // what each offers is taken: a vote on D-1, and nothing on D-2
    await castVote(b, bo, 'D-1', { choice: 'yes' });
    await expect(respondToDecision(b, lead, 'D-2', { kind: 'consent' })).rejects.toThrow(/closed|decided/i);
    // the close job of the process behind records no phase back
    expect(await closeDueDecisions(b)).toEqual([]);
    expect(await recordedAndShown(b, 'D-1')).toMatchObject({ recorded: 'vote:pending', shown: 'vote:pending' });
  });

  it('a decision recorded closed takes no extension, withdrawal or answer from a process whose clock is behind', async () => {
    const { lead, ana } = await setUp();
    a!.clock.set('2026-03-07T12:00:02Z');
    expect((await closeDueDecisions(a!)).map((c) => c.outcome)).toEqual(Array(DECISIONS).fill('adopted'));
    const b = processB(a!, '2026-03-07T11:59:58Z');
    const reason = 'Half the group was not reached: their mail bounced';
    await expect(extendDecision(b, lead, 'D-1', 1, { hours: 48, reason })).rejects.toThrow(/closed|decided/i);
    await expect(withdrawDecision(b, lead, 'D-2', { reason: 'Opened by mistake' })).rejects.toThrow(/closed|decided/i);
    await expect(
      respondToDecision(b, ana, 'D-3', { kind: 'block', reason: 'Not before April', alternative: 'May' }),
    ).rejects.toThrow(/closed|decided/i);
    for (const ref of ['D-1', 'D-2', 'D-3']) {
      expect(await eventsOf(a!, ref)).toEqual(['decision.opened', 'decision.outcome']);
      expect(await getDecision(a!, ref)).toMatchObject({
        deadline: DEADLINE,
        state: { phase: 'closed', outcome: 'adopted' },
      });
    }
  });
});
