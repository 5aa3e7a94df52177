// One lock order on PostgreSQL: a group's row, then its meetings' rows. Giving a series' later meeting
// its own record held the series, then the group; opening a decision from a meeting held the meeting,
// then the group; a member leaving (or removed) holds the group, then clears them as note-taker on its
// meetings. Run side by side, each waited for the other and PostgreSQL ended one with a deadlock (a
// 500). Both now take the group first: the second waits, and both are done.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/app/core/hub.ts';
import { joinGroup, setMemberLevel } from '../../../src/app/groups/groups.ts';
import { leaveGroup } from '../../../src/app/groups/leave-group.ts';
import { scheduleMeeting } from '../../../src/app/meetings/meetings.ts';
import { recordMeetingDecision } from '../../../src/app/meetings/outcomes.ts';
import { databases } from '../../support/databases.ts';
import { hostingGroup, openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('a group and its meetings held in one order, on $name', (database) => {
  let hub: TestHub;
  let sam: Actor, kai: Actor;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    sam = await person(hub, 'sam', { role: 'member' });
    kai = await person(hub, 'kai', { role: 'member' });
    await hostingGroup(hub, sam, 'sam');
    await joinGroup(hub, kai, 'hosting', { level: 'participant' });
    await setMemberLevel(hub, sam, 'hosting', 'kai', { level: 'member' });
  });
  afterEach(async () => hub?.close());

  const pidsBlockedBy = async (holder: number): Promise<number[]> => {
    const { rows } = await sql<{
      pid: number;
    }>`select pid from pg_stat_activity where ${holder} = any(pg_blocking_pids(pid))`.execute(hub.store.db);
    return rows.map((r) => r.pid);
  };
  const waitFor = async (found: () => Promise<number[]>, orSettled: Promise<unknown>): Promise<number | null> => {
    let settled = false;
    void orSettled.finally(() => {
      settled = true;
    });
    for (;;) {
      const pids = await found();
      if (pids.length) return pids[0]!;
      if (settled) return null;
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  /**
   * Kai leaves while `other` runs: kai's leaving is made to wait (kai's own row held elsewhere) after it
   * holds the group and before it clears kai as note-taker, `other` is started then, and once `other`
   * waits on the leaving (or is done) kai's row is let go. What each answered.
   */
  async function leaveBeside(other: () => Promise<unknown>): Promise<string[]> {
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    let gotPid!: (n: number) => void;
    const holderPid = new Promise<number>((r) => {
      gotPid = r;
    });
    const holding = hub.store.db.transaction().execute(async (trx) => {
      await sql`select id from people where handle = 'kai' for update`.execute(trx);
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
      gotPid(rows[0]!.pid);
      await released;
    });
    const holder = await holderPid;
    const answer = (p: Promise<unknown>) =>
      p.then(
        () => 'done',
        (e: Error & { code?: string }) => `${e.code ?? ''} ${e.message}`,
      );
    const leaving = answer(leaveGroup(hub, kai, 'hosting'));
    const leaver = await waitFor(() => pidsBlockedBy(holder), leaving);
    expect(leaver).not.toBeNull();
    const running = answer(other());
    await waitFor(() => pidsBlockedBy(leaver!), running);
    release();
    await holding;
    return Promise.all([leaving, running]);
  }

  it("a series' later meeting given its own record as its note-taker leaves: both done", async () => {
    const series = await scheduleMeeting(hub, sam, {
      group: 'hosting',
      kind: 'process',
      title: 'Sync',
      startsAt: '2026-03-20T16:00:00Z',
      timeZone: 'UTC',
      rrule: 'FREQ=WEEKLY;COUNT=10',
      noteTaker: 'kai',
    });
    const own = scheduleMeeting(hub, sam, {
      group: 'hosting',
      kind: 'process',
      title: 'Sync',
      startsAt: '2026-03-27T16:00:00Z',
      timeZone: 'UTC',
      seriesOf: series.ref,
    });
    await Promise.all([leaveGroup(hub, kai, 'hosting'), own]);
    expect(await hub.store.db.selectFrom('meetings').select('note_taker_id').execute()).toEqual([
      { note_taker_id: null },
      { note_taker_id: null },
    ]);
  });

  if (database.name === 'postgres') {
    it("a series' later meeting given its own record as its note-taker leaves: both done, no deadlock", async () => {
      const series = await scheduleMeeting(hub, sam, {
        group: 'hosting',
        kind: 'process',
        title: 'Sync',
        startsAt: '2026-03-20T16:00:00Z',
        timeZone: 'UTC',
        rrule: 'FREQ=WEEKLY;COUNT=10',
        noteTaker: 'kai',
      });
      const own = () =>
        scheduleMeeting(hub, sam, {
          group: 'hosting',
          kind: 'process',
          title: 'Sync',
          startsAt: '2026-03-27T16:00:00Z',
          timeZone: 'UTC',
          seriesOf: series.ref,
        });
      expect(await leaveBeside(own)).toEqual(['done', 'done']);
      const rows = await hub.store.db.selectFrom('meetings').select(['note_taker_id']).execute();
      expect(rows.map((r) => r.note_taker_id)).toEqual([null, null]);
    });

    it('a decision opened from a meeting as its note-taker leaves: both done, no deadlock', async () => {
      const m = await scheduleMeeting(hub, sam, {
        group: 'hosting',
        kind: 'process',
        title: 'Sync',
        startsAt: '2026-03-20T16:00:00Z',
        timeZone: 'UTC',
        noteTaker: 'kai',
      });
      hub.clock.set('2026-03-20T16:30:00Z');
      const opening = () =>
        recordMeetingDecision(hub, sam, m.ref, {
          summary: 'Meet fortnightly from April',
          open: { question: 'Meet fortnightly from April?', significance: 'minor' },
        });
      expect(await leaveBeside(opening)).toEqual(['done', 'done']);
      expect(
        Number(
          (
            await hub.store.db
              .selectFrom('decisions')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        ),
      ).toBe(1);
    });
  }
});
