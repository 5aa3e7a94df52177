// What attack round 25 found in retired groups, on both databases, through the use cases: a lead
// accepted a request to become a member of a retired group (joining, asking and inviting were refused),
// and a proposal could be placed in one (meetings, decisions and topic areas were refused).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/app/core/hub.ts';
import { getGroupFor, joinGroup, moveGroup } from '../../../src/app/groups/groups.ts';
import {
  answerMembershipRequest,
  askToBeMember,
  listMembershipRequests,
} from '../../../src/app/groups/membership-requests.ts';
import { listInbox } from '../../../src/app/notifications/inbox.ts';
import { notificationsReaction } from '../../../src/app/notifications/notify.ts';
import { createProposal } from '../../../src/app/proposals/proposals.ts';
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
});
