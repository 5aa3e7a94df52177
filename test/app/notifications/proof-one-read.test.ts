// The proof of who was told (`whoWasTold`) says whose silence is listed, who was not reached and why, and
// whose silence is not counted because they were not informed in time. Each of these must come from one
// reading: the clock read once (a member lapsing between two readings would be listed as silent yet
// never judged, their silence counted though never told), and their subscriptions read once (a mute
// committed between two reads, outside a transaction, would make "muted…" and the verdict disagree).
// One level up, the decision's state and its proof are read at one instant: the caller's.
import type { KyselyPlugin } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Actor, SYSTEM } from '../../../src/app/core/hub.ts';
import { decisionRows, decisionStateOf, getDecision, openDecision } from '../../../src/app/decisions/decisions.ts';
import { placeInGroup } from '../../../src/app/groups/groups.ts';
import { whoWasTold } from '../../../src/app/notifications/proof.ts';
import { setSubscription } from '../../../src/app/notifications/subscriptions.ts';
import { databases } from '../../support/databases.ts';
import { person, type TestHub } from '../../support/hub.ts';
import { hostingGroupWithMail } from '../../support/notifications.ts';

const DAY = 86_400_000;

describe.each(databases)('the proof of who was told reads once on $name', (database) => {
  let hub: TestHub;
  let lead: Actor;
  let bo: Actor;

  beforeEach(async () => {
    ({ hub, lead, bo } = await hostingGroupWithMail(database));
  });
  afterEach(async () => hub?.close());

  const idOf = (a: Actor) => (a.kind === 'person' ? a.person.id : '');

  /** D-1, opened now (Monday 2 March 12:00 UTC), its row and its state as the decision's page reads it. */
  async function openOne() {
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Adopt fortnightly content meetings?',
      significance: 'minor',
    });
    const [d] = await decisionRows(hub.store.db, ['D-1']);
    return d!;
  }

  it('one instant: a member who lapses while the proof is read is judged with those listed silent', async () => {
    const dee = await person(hub, 'dee');
    await placeInGroup(hub, SYSTEM, 'hosting', 'dee', { level: 'member' });
    const d = await openOne();
    // dee was never told of it
    await hub.store.db.deleteFrom('notifications').where('person_id', '=', idOf(dee)).execute();
    hub.clock.set('2026-03-04T12:00:00Z');
    const { state } = await getDecision(hub, 'D-1');
    expect(state.phase).toBe('lazy-consensus');
    // her inactivity lapses twelve hours from now, before the deadline
    const lapsesAt = Date.parse('2026-03-05T00:00:00Z');
    await hub.store.db
      .updateTable('group_members')
      .set({ last_active_at: new Date(lapsesAt - hub.governance.membership.inactivityDays * DAY).toISOString() })
      .where('person_id', '=', idOf(dee))
      .execute();
    // a clock a day later at every reading: any second reading sees her lapsed
    const read = hub.clock.now.bind(hub.clock);
    hub.clock.now = () => {
      const t = read();
      hub.clock.advance(DAY);
      return t;
    };
    const proof = await whoWasTold(hub.store.db, hub, d, state, []);
    expect(proof.silent).toContain('dee');
    // listed as silent, never told: her silence is not counted, and the proof says so
    expect(proof.uncounted.map((u) => `${u.handle}: ${u.why}`)).toEqual(['dee: never told of it']);
    expect(proof.silenceWarning).toContain('Dee (@dee), never told of it');
  });

  it("one instant for the decision's state and its proof: the page reads the clock once for both", async () => {
    const dee = await person(hub, 'dee');
    await placeInGroup(hub, SYSTEM, 'hosting', 'dee', { level: 'member' });
    const d = await openOne();
    await hub.store.db.deleteFrom('notifications').where('person_id', '=', idOf(dee)).execute();
    // her inactivity lapses on 4 March at 18:00, before the deadline
    const lapsesAt = Date.parse('2026-03-04T18:00:00Z');
    await hub.store.db
      .updateTable('group_members')
      .set({ last_active_at: new Date(lapsesAt - hub.governance.membership.inactivityDays * DAY).toISOString() })
      .where('person_id', '=', idOf(dee))
      .execute();
    // a clock twelve hours later at every reading: the page reads it for the electorate (00:00), then
    // for the state (12:00); a proof reading it again would see 5 March 00:00, dee lapsed
    hub.clock.set('2026-03-04T00:00:00Z');
    const read = hub.clock.now.bind(hub.clock);
    const readings: string[] = [];
    hub.clock.now = () => {
      const t = read();
      readings.push(t.toISOString());
      hub.clock.advance(DAY / 2);
      return t;
    };
    const view = await getDecision(hub, 'D-1');
    hub.clock.now = read;
    expect(view.state.phase).toBe('lazy-consensus');
    // the proof is as of the state's instant: dee still counts, is silent, and was never told
    expect(view.notified.silent).toContain('dee');
    expect(view.notified.uncounted.map((u) => `${u.handle}: ${u.why}`)).toEqual(['dee: never told of it']);
    expect(view.notified).toEqual(
      await whoWasTold(hub.store.db, hub, d, view.state, ['lead'], new Date('2026-03-04T12:00:00Z')),
    );
    expect(readings).toEqual(['2026-03-04T00:00:00.000Z', '2026-03-04T12:00:00.000Z']);
  });

  it('one instant for a state adopted by silence and the proof it is told from (decisionStateOf)', async () => {
    const d = await openOne();
    hub.clock.set(new Date(Date.parse(d.deadline) + DAY).toISOString());
    const still = await decisionStateOf(hub.store.db, hub, d);
    expect(still.outcome).toBe('adopted');
    // a clock a day later at every reading: read for the electorate and for the state, never again for the proof
    const read = hub.clock.now.bind(hub.clock);
    let readings = 0;
    hub.clock.now = () => {
      const t = read();
      readings++;
      hub.clock.advance(DAY);
      return t;
    };
    const state = await decisionStateOf(hub.store.db, hub, d);
    hub.clock.now = read;
    expect(readings).toBe(2);
    expect(state.why).toEqual(still.why);
  });

  it('one read of subscriptions: "muted" among the unreached and the verdict come from the same rows', async () => {
    const d = await openOne();
    await setSubscription(hub, bo, { subjectType: 'decision', subjectRef: 'D-1', level: 'muted' });
    await hub.store.db.deleteFrom('notifications').where('person_id', '=', idOf(bo)).execute();
    hub.clock.set('2026-03-04T12:00:00Z');
    const { state } = await getDecision(hub, 'D-1');
    // count the statements that read notification_subscriptions while the proof is read
    const reads: string[] = [];
    const plugin: KyselyPlugin = {
      transformQuery: (args) => {
        if (JSON.stringify(args.node).includes('"notification_subscriptions"')) reads.push(args.node.kind);
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const proof = await whoWasTold(hub.store.db.withPlugin(plugin), hub, d, state, []);
    expect(reads).toEqual(['SelectQueryNode']);
    // muted it, so never told: not reached by his own choice, and his silence counts
    expect(proof.unreached.find((u) => u.handle === 'bo')?.why).toBe(
      'muted this decision, its topic area or its group, so was never told',
    );
    expect(proof.uncounted).toEqual([]);
  });
});
