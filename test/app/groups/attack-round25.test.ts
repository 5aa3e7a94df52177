// What attack round 25 found in retired groups, on both databases, through the use cases: a lead
// accepted a request to become a member of a retired group (joining, asking and inviting were refused),
// and a proposal could be placed in one (meetings, decisions and topic areas were refused).
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor, Reaction } from '../../../src/app/core/hub.ts';
import { getGroupFor, joinGroup, moveGroup } from '../../../src/app/groups/groups.ts';
import {
  answerMembershipRequest,
  askToBeMember,
  listMembershipRequests,
} from '../../../src/app/groups/membership-requests.ts';
import { listInbox } from '../../../src/app/notifications/inbox.ts';
import { notificationsReaction } from '../../../src/app/notifications/notify.ts';
import { createProposal } from '../../../src/app/proposals/proposals.ts';
import { eventsFor } from '../../../src/store/events.ts';
import { readJson } from '../../../src/store/schema.ts';
import { databases } from '../../support/databases.ts';
import { asActor, hostingGroup, openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('attack round 25: a retired group on $name', (database) => {
  let hub: TestHub;
  let sam: Actor, bo: Actor, cora: Actor;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    hub.reactions.push(notificationsReaction({ mail: false }));
    sam = await person(hub, 'sam', { role: 'member' });
    await person(hub, 'bo');
    cora = await person(hub, 'cora', { role: 'core-maintainer' });
    await hostingGroup(hub, sam, 'sam');
    bo = await asActor(hub, 'bo');
  });
  afterEach(async () => hub?.close());

  it('retiring a group declines the requests still open, telling each asker; none may be accepted after', async () => {
    await joinGroup(hub, bo, 'hosting', { level: 'participant' });
    const asked = await askToBeMember(hub, bo, 'hosting', { note: 'I run the Lagos cluster' });
    await moveGroup(hub, cora, 'hosting', { to: 'retired' });
    // accepting made bo a member of a retired group, which takes none by joining, asking or invitation
    await expect(answerMembershipRequest(hub, sam, 'hosting', asked.id, { answer: 'accepted' })).rejects.toMatchObject({
      kind: 'forbidden',
      message: 'The group is retired and takes no new members',
    });
    const group = await getGroupFor(hub, 'hosting', sam);
    expect(group.members.find((m) => m.handle === 'bo')?.level).toBe('participant');
    expect((await listMembershipRequests(hub, sam, 'hosting')).can.answer).toEqual({
      allowed: false,
      reason: 'The group is retired and takes no new members',
    });
    // the request is answered, and its asker told why, instead of waiting on leads who may not answer
    expect((await listMembershipRequests(hub, bo, 'hosting')).yourRequest).toMatchObject({
      answer: 'declined',
      answerReason: 'Hosting was retired by @cora',
    });
    expect((await listInbox(hub, bo)).items.map((n) => n.title)).toEqual([
      'Your request to become a member of Hosting was declined by Cora (@cora): Hosting was retired by @cora',
    ]);
  });

  it('a proposal is not placed in a retired group', async () => {
    await moveGroup(hub, cora, 'hosting', { to: 'retired' });
    await expect(
      createProposal(hub, bo, {
        title: 'Sessions across hosts',
        problem: 'Sessions need affinity when a server is scaled across hosts.',
        layer: 'specification',
        group: 'hosting',
      }),
    ).rejects.toMatchObject({
      kind: 'invalid_input',
      issues: [
        {
          field: 'group',
          rule: 'Hosting (hosting) is retired and takes no new proposals: choose another group, or none',
        },
      ],
    });
    await expect(
      createProposal(hub, bo, {
        title: 'Sessions across hosts',
        problem: 'Sessions need affinity when a server is scaled across hosts.',
        layer: 'specification',
      }),
    ).resolves.toMatchObject({ ref: 'P-1' });
  });
  /**
   * Holds the transaction of the first event of `kind` open (its row locks taken) until `release()`;
   * `blocked()` resolves once another connection waits for one of its locks (PostgreSQL only).
   */
  function holdAt(kind: string) {
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
      if (done || event.kind !== kind) return;
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

  // PostgreSQL only (SQLite's writes take turns). Found in review of round 25: retiring read the open
  // requests, a lead's accept of one committed, retiring's decline then skipped that row yet told its
  // asker "declined": a member of a retired group, told they were refused.
  if (database.name === 'postgres')
    it('a request accepted as the group is retired: a member, and never told it was declined', async () => {
      await joinGroup(hub, bo, 'hosting', { level: 'participant' });
      const asked = await askToBeMember(hub, bo, 'hosting', { note: 'I run the Lagos cluster' });
      const gate = holdAt('group.membership-answered');
      const accepting = answerMembershipRequest(hub, sam, 'hosting', asked.id, { answer: 'accepted' });
      await gate.held;
      const retiring = moveGroup(hub, cora, 'hosting', { to: 'retired' });
      await gate.blocked(retiring);
      gate.release();
      await accepting;
      await retiring;
      expect((await listMembershipRequests(hub, bo, 'hosting')).yourRequest).toMatchObject({ answer: 'accepted' });
      expect((await getGroupFor(hub, 'hosting', sam)).members.find((m) => m.handle === 'bo')?.level).toBe('member');
      const answers = (await eventsFor(hub.store.db, 'group', 'hosting'))
        .filter((e) => e.kind === 'group.membership-answered')
        .map((e) => e.after && readJson(e.after));
      expect(answers).toEqual([{ handle: 'bo', answer: 'accepted' }]);
      expect((await listInbox(hub, bo)).items.map((n) => n.title)).not.toContainEqual(
        expect.stringContaining('declined'),
      );
    });

  // PostgreSQL only, as above: a proposal placed while the group is being retired read it active
  if (database.name === 'postgres')
    it('a proposal filed as its group is retired waits for the retirement and is refused', async () => {
      const gate = holdAt('group.status-changed');
      const retiring = moveGroup(hub, cora, 'hosting', { to: 'retired' });
      await gate.held;
      const filing = createProposal(hub, bo, {
        title: 'Sessions across hosts',
        problem: 'Sessions need affinity when a server is scaled across hosts.',
        layer: 'specification',
        group: 'hosting',
      }).then(
        (p) => `filed ${p.ref}`,
        (e: Error) => e.message,
      );
      await gate.blocked(filing);
      gate.release();
      await retiring;
      expect(await filing).not.toMatch(/^filed/);
      await expect(
        createProposal(hub, bo, {
          title: 'Sessions across hosts',
          problem: 'Sessions need affinity when a server is scaled across hosts.',
          layer: 'specification',
        }),
      ).resolves.toMatchObject({ ref: 'P-1' });
    });

  // PostgreSQL only, as above. Found in review: asking and joining read the group unheld, so one made
  // as the group was retired read it active; the retirement's decline did not see the request, left
  // open in a retired group whose leads may no longer answer it (and a join made a retired group's member)
  if (database.name === 'postgres')
    it('asking to become a member as the group is retired waits for the retirement and is refused', async () => {
      await joinGroup(hub, bo, 'hosting', { level: 'participant' });
      const gate = holdAt('group.status-changed');
      const retiring = moveGroup(hub, cora, 'hosting', { to: 'retired' });
      await gate.held;
      const asking = askToBeMember(hub, bo, 'hosting', { note: 'I run the Lagos cluster' }).then(
        () => 'asked',
        (e: Error) => e.message,
      );
      await gate.blocked(asking);
      gate.release();
      await retiring;
      expect(await asking).toBe('The group is retired and takes no new members');
      // no request left open in the retired group
      expect((await listMembershipRequests(hub, bo, 'hosting')).yourRequest).toBeNull();
    });

  if (database.name === 'postgres')
    it('joining as the group is retired waits for the retirement and is refused', async () => {
      const gate = holdAt('group.status-changed');
      const retiring = moveGroup(hub, cora, 'hosting', { to: 'retired' });
      await gate.held;
      const joining = joinGroup(hub, bo, 'hosting', { level: 'participant' }).then(
        () => 'joined',
        (e: Error) => e.message,
      );
      await gate.blocked(joining);
      gate.release();
      await retiring;
      expect(await joining).toBe('The group is retired and takes no new members');
      expect((await getGroupFor(hub, 'hosting', sam)).members.find((m) => m.handle === 'bo')).toBeUndefined();
    });

  it('a group back from retirement: its askers, declined by the retirement, may ask again at once', async () => {
    // a governance file may let a retired group come back; the default does not
    hub.governance.groups.transitions.push({
      from: 'retired',
      to: 'active',
      allowed: { roles: ['core-maintainer', 'lead-maintainer'] },
      requiresSponsorship: false,
    });
    await joinGroup(hub, bo, 'hosting', { level: 'participant' });
    await askToBeMember(hub, bo, 'hosting', { note: 'I run the Lagos cluster' });
    await moveGroup(hub, cora, 'hosting', { to: 'retired' });
    await moveGroup(hub, cora, 'hosting', { to: 'active' });
    // the leads declined nothing: bo was barred for askAgainDays, told "The group's leads declined your last request"
    expect((await listMembershipRequests(hub, bo, 'hosting')).yourRequest).toMatchObject({
      answer: 'declined',
      askAgainFrom: null,
    });
    await expect(askToBeMember(hub, bo, 'hosting', { note: 'Back again' })).resolves.toMatchObject({
      answer: null,
    });
  });
});
