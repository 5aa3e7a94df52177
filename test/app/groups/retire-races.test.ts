// Work added to a group as it is retired, on PostgreSQL, where writes run side by side: a meeting (one
// off, a series, or a series' meeting given its own record), a decision, a topic area, a charter
// amendment or a chat webhook that read the group active before the retirement committed was written
// into a retired group. Each now holds the group until it commits (`groupRowHeld`): the retirement waits
// for it, or it for the retirement and is then refused as it would be a moment later, nothing written.
// A retired group's charter is not amended at all (on both databases).
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor, Reaction } from '../../../src/app/core/hub.ts';
import { openDecision } from '../../../src/app/decisions/decisions.ts';
import { getGroupFor, moveGroup, updateCharter } from '../../../src/app/groups/groups.ts';
import { createTopicArea } from '../../../src/app/groups/topic-areas.ts';
import { scheduleMeeting } from '../../../src/app/meetings/meetings.ts';
import { addWebhook } from '../../../src/app/notifications/chat.ts';
import { databases } from '../../support/databases.ts';
import { hostingGroup, openTestHub, person, type TestHub } from '../../support/hub.ts';

const RETIRED = 'The group is retired';

describe.each(databases)('work added as a group is retired, on $name', (database) => {
  let hub: TestHub;
  let sam: Actor, cora: Actor;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    hub.settings = { ...hub.settings, webhookAllowedHosts: ['127.0.0.1'] };
    sam = await person(hub, 'sam', { role: 'member' });
    cora = await person(hub, 'cora', { role: 'core-maintainer' });
    await hostingGroup(hub, sam, 'sam');
  });
  afterEach(async () => hub?.close());

  it("a retired group's charter stays as it was: an amendment is refused, naming why, and its view says so", async () => {
    const read = await getGroupFor(hub, 'hosting', sam);
    expect(read.can.editCharter).toEqual({ allowed: true });
    await moveGroup(hub, cora, 'hosting', { to: 'retired' });
    const retired = await getGroupFor(hub, 'hosting', sam);
    expect(retired.can.editCharter).toEqual({ allowed: false, reason: RETIRED });
    await expect(
      updateCharter(hub, sam, 'hosting', retired.version, { name: 'Hosting, again', changelog: 'Renamed' }),
    ).rejects.toMatchObject({ kind: 'forbidden', message: RETIRED });
    expect((await getGroupFor(hub, 'hosting', sam)).name).toBe('Hosting');
  });

  /**
   * Holds the retirement's transaction open (its row lock taken) at its event until `release()`;
   * `blocked()` resolves once another connection waits for one of its locks, or what it runs settles.
   */
  function holdRetirement() {
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    let pid!: (n: number) => void;
    const held = new Promise<number>((r) => {
      pid = r;
    });
    let done = false;
    const hold: Reaction = async (trx, _hub, event) => {
      if (done || event.kind !== 'group.status-changed') return;
      done = true;
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
      pid(rows[0]!.pid);
      await released;
    };
    hub.reactions.push(hold);
    const blocked = async (orSettled: Promise<unknown>) => {
      const holder = await held;
      let settled = false;
      void orSettled.finally(() => {
        settled = true;
      });
      for (;;) {
        const { rows } = await sql<{
          n: number;
        }>`select count(*)::int as n from pg_stat_activity where ${holder} = any(pg_blocking_pids(pid))`.execute(
          hub.store.db,
        );
        if (rows[0]!.n > 0 || settled) return;
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    return { held, release, blocked };
  }

  /** Retires the group, and while its transaction is open starts `add`; what `add` answered once both end. */
  async function addAsRetired(add: () => Promise<unknown>): Promise<string> {
    const gate = holdRetirement();
    const retiring = moveGroup(hub, cora, 'hosting', { to: 'retired' });
    await gate.held;
    const adding = add().then(
      () => 'added',
      (e: Error) => e.message,
    );
    await gate.blocked(adding);
    gate.release();
    await retiring;
    return adding;
  }

  const count = async (table: 'meetings' | 'decisions' | 'topic_areas' | 'group_webhooks') =>
    Number(
      (
        await hub.store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  const meeting = (more: Record<string, unknown> = {}) =>
    scheduleMeeting(hub, sam, {
      group: 'hosting',
      kind: 'process',
      title: 'Sync',
      startsAt: '2026-03-20T16:00:00Z',
      timeZone: 'UTC',
      ...more,
    });

  if (database.name === 'postgres') {
    it('a meeting scheduled as its group is retired waits for the retirement and is refused', async () => {
      expect(await addAsRetired(() => meeting())).toBe(RETIRED);
      expect(await count('meetings')).toBe(0);
    });

    it('a series scheduled as its group is retired waits for the retirement and is refused', async () => {
      expect(await addAsRetired(() => meeting({ rrule: 'FREQ=WEEKLY;COUNT=10' }))).toBe(RETIRED);
      expect(await count('meetings')).toBe(0);
    });

    it("a series' later meeting given its own record as its group is retired is refused", async () => {
      const series = await meeting({ rrule: 'FREQ=WEEKLY;COUNT=10' });
      expect(await addAsRetired(() => meeting({ seriesOf: series.ref, startsAt: '2026-03-27T16:00:00Z' }))).toBe(
        RETIRED,
      );
      expect(await count('meetings')).toBe(1);
    });

    it('a decision opened as its group is retired waits for the retirement and is refused', async () => {
      const opening = () =>
        openDecision(hub, sam, {
          group: 'hosting',
          subject: { type: 'process' },
          question: 'Meet fortnightly?',
          significance: 'minor',
        });
      expect(await addAsRetired(opening)).toBe(RETIRED);
      expect(await count('decisions')).toBe(0);
    });

    it('a topic area added as its group is retired waits for the retirement and is refused', async () => {
      const adding = () =>
        createTopicArea(hub, sam, 'hosting', {
          slug: 'scaling',
          name: 'Scaling',
          goal: 'both',
          description: 'Sessions across processes.',
          facilitators: ['sam'],
        });
      expect(await addAsRetired(adding)).toBe(RETIRED);
      expect(await count('topic_areas')).toBe(0);
    });

    it('a charter amended as its group is retired is refused as retired, not as a stale read', async () => {
      const read = await getGroupFor(hub, 'hosting', sam);
      const amending = () =>
        updateCharter(hub, sam, 'hosting', read.version, { name: 'Hosting, again', changelog: 'Renamed' });
      expect(await addAsRetired(amending)).toBe(RETIRED);
      expect((await getGroupFor(hub, 'hosting', sam)).name).toBe('Hosting');
    });

    it('a chat webhook added as its group is retired waits for the retirement and is refused', async () => {
      const adding = () =>
        addWebhook(hub, sam, 'hosting', { format: 'slack', url: 'http://127.0.0.1:9/slack/T0/B0/x' });
      expect(await addAsRetired(adding)).toBe('The group is retired: nothing more is posted to its chat');
      expect(await count('group_webhooks')).toBe(0);
    });
  }
});
