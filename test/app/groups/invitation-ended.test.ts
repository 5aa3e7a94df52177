// An invitation superseded by what happened since (the person joined by themselves, left or was
// removed, a lead set their level, the group was retired) used to close silently: the invitee's inbox
// still said "accept or decline it", and whoever sent it never learned why it ended. Now it is recorded
// (`group.invitation-ended`, with why), the invitee's unread notice says it no longer stands, both are
// told, and the invitation itself says why it ended (`endedWhy`). On both databases.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM, type Actor } from '../../../src/app/core/hub.ts';
import { joinGroup, moveGroup, setMemberLevel } from '../../../src/app/groups/groups.ts';
import { acceptInvitation, getInvitation } from '../../../src/app/groups/invitations.ts';
import { whatNeedsMe } from '../../../src/app/home/what-needs-me.ts';
import { listInbox } from '../../../src/app/notifications/inbox.ts';
import { notificationsReaction } from '../../../src/app/notifications/notify.ts';
import { databases } from '../../support/databases.ts';
import { hostingGroup, openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('an invitation that no longer stands on $name', (database) => {
  let hub: TestHub;
  let sam: Actor, ana: Actor, bo: Actor;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    hub.reactions.push(notificationsReaction({ mail: false }));
    sam = await person(hub, 'sam', { role: 'member' });
    ana = await person(hub, 'ana');
    bo = await person(hub, 'bo');
    await hostingGroup(hub, sam, 'sam');
  });
  afterEach(async () => hub?.close());

  const invitations = async (who: Actor) =>
    (await listInbox(hub, who)).items.filter((n) => n.kind === 'invitation').map((n) => n.title);
  const needs = async (who: Actor) => (await whatNeedsMe(hub, who)).items.filter((i) => i.kind === 'invitation');

  it('joining at the level offered: the invitee’s notice says it no longer stands, and the inviter hears why', async () => {
    const inv = (await setMemberLevel(hub, sam, 'hosting', 'ana', { level: 'participant' })).invitation!;
    expect(await invitations(ana)).toEqual([expect.stringMatching(/invites you to Hosting as a participant/)]);
    expect(await needs(ana)).toHaveLength(1);
    await joinGroup(hub, ana, 'hosting', { level: 'participant' });
    const why = '@ana joined Hosting by themselves as a participant';
    // nothing asks her to accept it any more, and the notice she has not read says so
    expect(await needs(ana)).toEqual([]);
    expect(await invitations(ana)).toEqual([
      `The invitation of Ana (@ana) to Hosting (as a participant) no longer stands: ${why}`,
    ]);
    // whoever sent it is told why it ended, and the invitation says it
    expect(await invitations(sam)).toContain(
      `The invitation of Ana (@ana) to Hosting (as a participant) no longer stands: ${why}`,
    );
    expect(await getInvitation(hub, sam, inv.id)).toMatchObject({ state: 'superseded', endedWhy: why });
    await expect(acceptInvitation(hub, ana, inv.id)).rejects.toMatchObject({
      kind: 'gone',
      message: `The invitation to Hosting no longer stands: ${why}; a lead may invite them again`,
    });
    const ended = await hub.store.db
      .selectFrom('events')
      .select(['actor', 'after'])
      .where('kind', '=', 'group.invitation-ended')
      .execute();
    expect(ended.map((e) => [e.actor, JSON.parse(e.after!)])).toEqual([
      ['ana', { handle: 'ana', level: 'participant', invitedBy: 'sam', answer: 'superseded', why }],
    ]);
  });

  it('a lead setting the level of one who joined lower: the invitee is told it no longer stands, and why', async () => {
    const inv = (await setMemberLevel(hub, sam, 'hosting', 'bo', { level: 'member' })).invitation!;
    // joining lower leaves it open: accepting it would still raise him
    await joinGroup(hub, bo, 'hosting', { level: 'observer' });
    expect(await needs(bo)).toHaveLength(1);
    await setMemberLevel(hub, sam, 'hosting', 'bo', { level: 'participant' });
    const why = "@sam set @bo's level in Hosting to participant";
    expect(await needs(bo)).toEqual([]);
    expect(await invitations(bo)).toContain(
      `The invitation of Bo (@bo) to Hosting (as a member) no longer stands: ${why}`,
    );
    expect(await invitations(bo)).not.toContainEqual(expect.stringMatching(/invites you/));
    expect(await getInvitation(hub, sam, inv.id)).toMatchObject({ state: 'superseded', endedWhy: why });
  });

  it('a lead ending an invitation whose notice was mailed already: the invitee gets one notice of its end, not two', async () => {
    await setMemberLevel(hub, sam, 'hosting', 'bo', { level: 'member' });
    await joinGroup(hub, bo, 'hosting', { level: 'observer' });
    // the invitation was mailed: news can no longer fold into its row
    await hub.store.db
      .updateTable('notifications')
      .set({ mail_state: 'sent' })
      .where('kind', '=', 'invitation')
      .where('person_id', '=', bo.kind === 'person' ? bo.person.id : '')
      .execute();
    await setMemberLevel(hub, sam, 'hosting', 'bo', { level: 'participant' });
    const ended = `The invitation of Bo (@bo) to Hosting (as a member) no longer stands: @sam set @bo's level in Hosting to participant`;
    const titles = await invitations(bo);
    expect(titles.filter((t) => t === ended)).toHaveLength(1);
    expect(titles).toHaveLength(2);
  });

  it('a retired group’s open invitations are withdrawn saying so', async () => {
    const inv = (await setMemberLevel(hub, sam, 'hosting', 'ana', { level: 'member' })).invitation!;
    await moveGroup(hub, SYSTEM, 'hosting', { to: 'retired' });
    expect(await needs(ana)).toEqual([]);
    expect(await getInvitation(hub, ana, inv.id)).toMatchObject({
      state: 'withdrawn',
      endedWhy: "Hosting was retired by the hub's operator",
    });
    expect(await invitations(ana)).toEqual([
      "The invitation of Ana (@ana) to Hosting (as a member) no longer stands: Hosting was retired by the hub's operator",
    ]);
  });
});
