// One lock order on PostgreSQL: a group's row, then its meetings' rows. Giving a series' later meeting
// its own record held the series, then the group; opening a decision from a meeting held the meeting,
// then the group; a member leaving (or removed) holds the group, then clears them as note-taker on its
// meetings. Run side by side, each waited for the other and PostgreSQL ended one with a deadlock (a
// 500). Both now take the group first: the second waits, and both are done. So do an agenda item
// added and attendance recorded (each marks people active in the group: their members' rows), which
// held the meeting and then waited on a removal that had ended the membership and waited on the meeting.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/app/core/hub.ts';
import { joinGroup, setMemberLevel } from '../../../src/app/groups/groups.ts';
import { leaveGroup, removeMember } from '../../../src/app/groups/leave-group.ts';
import { addAgendaItem } from '../../../src/app/meetings/agenda.ts';
import { scheduleMeeting } from '../../../src/app/meetings/meetings.ts';
import { recordAttendance, recordMeetingDecision } from '../../../src/app/meetings/outcomes.ts';
import { databases, postgresDatabase } from '../../support/databases.ts';
import { hostingGroup, openTestHub, person, type TestHub } from '../../support/hub.ts';

// PostgreSQL only: SQLite's write transactions take turns, so there two writes never wait on each other
describe.skipIf(!databases.includes(postgresDatabase)).each([postgresDatabase])(
  'a group and its meetings held in one order, on $name',
  (database) => {
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

    /** A transaction of its own holding what `lock` selects until released: its backend's pid, and release. */
    async function holding(lock: string): Promise<{ pid: number; release: () => Promise<void> }> {
      let release!: () => void;
      const released = new Promise<void>((r) => {
        release = r;
      });
      let gotPid!: (n: number) => void;
      const pid = new Promise<number>((r) => {
        gotPid = r;
      });
      const held = hub.store.db.transaction().execute(async (trx) => {
        await sql.raw(lock).execute(trx);
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
        gotPid(rows[0]!.pid);
        await released;
      });
      return {
        pid: await pid,
        release: async () => {
          release();
          await held;
        },
      };
    }
    const answer = (p: Promise<unknown>) =>
      p.then(
        () => 'done',
        (e: Error & { code?: string }) => `${e.code ?? ''} ${e.message}`,
      );
    /** The backends, other than `except`, waiting on any of `holders`. */
    const waitingOn = async (holders: number[], except: number[] = []): Promise<number[]> =>
      (await Promise.all(holders.map(pidsBlockedBy))).flat().filter((p) => !except.includes(p));
    /** `pid`, once it waits on anyone. */
    const waiting = async (pid: number): Promise<number[]> => {
      const { rows } = await sql<{
        n: number;
      }>`select cardinality(pg_blocking_pids(${pid})) as n`.execute(hub.store.db);
      return Number(rows[0]!.n) > 0 ? [pid] : [];
    };

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

    it('an agenda item added by a member as a lead removes them: both done, no deadlock', async () => {
      const m = await scheduleMeeting(hub, sam, {
        group: 'hosting',
        kind: 'process',
        title: 'Sync',
        startsAt: '2026-03-20T16:00:00Z',
        timeZone: 'UTC',
        noteTaker: 'kai',
      });
      hub.clock.set('2026-03-10T12:00:00Z');
      // the meeting held elsewhere: kai's item waits for it, then the removal is started
      const meeting = await holding(`select id from meetings where number = ${Number(m.ref.slice(2))} for update`);
      const adding = answer(addAgendaItem(hub, kai, m.ref, { title: 'Budget for the spring' }));
      const adder = await waitFor(() => waitingOn([meeting.pid]), adding);
      expect(adder).not.toBeNull();
      const removing = answer(removeMember(hub, sam, 'hosting', 'kai'));
      await waitFor(() => waitingOn([meeting.pid, adder!], [adder!]), removing);
      await meeting.release();
      expect(await Promise.all([adding, removing])).toEqual(['done', 'done']);
      const after = await hub.store.db.selectFrom('meeting_agenda_items').select('title').execute();
      expect(after).toEqual([{ title: 'Budget for the spring' }]);
    });

    it('attendance recorded, its note-taker among those who came, as a lead removes them: both done, no deadlock', async () => {
      const m = await scheduleMeeting(hub, sam, {
        group: 'hosting',
        kind: 'process',
        title: 'Sync',
        startsAt: '2026-03-20T16:00:00Z',
        timeZone: 'UTC',
        noteTaker: 'kai',
      });
      hub.clock.set('2026-03-20T17:30:00Z');
      const kaiRow = await holding(`select id from people where handle = 'kai' for update`);
      const removing = answer(removeMember(hub, sam, 'hosting', 'kai'));
      const remover = await waitFor(() => waitingOn([kaiRow.pid]), removing);
      expect(remover).not.toBeNull();
      // sam's membership held: the attendance, once it has written the meeting's row, waits there
      // before it marks kai active
      const samMembership = await holding(
        `select 1 from group_members gm join people p on p.id = gm.person_id where p.handle = 'sam' for update of gm`,
      );
      const recording = answer(recordAttendance(hub, sam, m.ref, undefined, { attended: ['sam', 'kai'] }));
      await waitFor(() => waitingOn([samMembership.pid, remover!], [remover!]), recording);
      await kaiRow.release();
      await waitFor(() => waiting(remover!), removing);
      await samMembership.release();
      expect(await Promise.all([removing, recording])).toEqual(['done', 'done']);
      const after = await hub.store.db.selectFrom('meetings').select('note_taker_id').executeTakeFirstOrThrow();
      expect(after.note_taker_id).toBeNull();
    });
  },
);
