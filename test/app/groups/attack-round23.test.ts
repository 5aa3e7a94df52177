// What attack round 23 found in invitations to a group, on both databases, through the use cases.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/app/core/hub.ts';
import { getGroup, moveGroup, proposeGroup, updateCharter } from '../../../src/app/groups/groups.ts';
import {
  inviteToGroup,
  listGroupInvitations,
  listMyInvitations,
  withdrawInvitation,
} from '../../../src/app/groups/invitations.ts';
import { LIMITS } from '../../../src/domain/limits.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('attack round 23: invitations on $name', (database) => {
  let hub: TestHub;
  let sam: Actor, ana: Actor, lee: Actor;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    sam = await person(hub, 'sam', { role: 'member' });
    ana = await person(hub, 'ana', { role: 'member' });
    lee = await person(hub, 'lee', { role: 'member' });
  });
  afterEach(async () => hub?.close());

  it("each lead named in a proposal is judged by the charter's word on them, not on another named with them", async () => {
    const g = await proposeGroup(hub, lee, {
      slug: 'edge',
      name: 'Edge',
      kind: 'working',
      mission: 'Run servers at the edge.',
      scopeIn: ['Edge'],
      leads: ['sam', 'ana', 'lee'],
    });
    // the Leadership table drops sam and keeps ana
    const kept = g.charter.leadership.filter((l) => l.github !== 'sam');
    await updateCharter(hub, lee, 'edge', g.version, {
      sections: [
        {
          heading: 'Leadership',
          markdown: [
            '| Role | Name | Organization | GitHub | Term |',
            '| --- | --- | --- | --- | --- |',
            ...kept.map((l) => `| ${l.role} | ${l.name} | ${l.organisation} | @${l.github} | ${l.term} |`),
          ].join('\n'),
        },
      ],
      changelog: 'Sam is not leading after all',
    });
    // ana, still named, may accept wherever she reads it: on the group's page (read with sam's) as on her home
    const onPage = (await listGroupInvitations(hub, ana, 'edge')).yourInvitation!;
    expect(onPage.can.accept, JSON.stringify(onPage.can.accept)).toEqual({ allowed: true });
    expect((await listMyInvitations(hub, ana)).items[0]!.can.accept).toEqual({ allowed: true });
    // and sam's, read on the page beside ana's, is refused with his own name
    const samOnPage = (await listGroupInvitations(hub, sam, 'edge')).yourInvitation!;
    expect(samOnPage.can.accept).toMatchObject({ allowed: false, reason: expect.stringContaining('Sam (@sam)') });
  });

  it('one member proposing groups invites one person at most LIMITS.invitationsFromOneToOne times a window', async () => {
    const propose = (who: Actor, slug: string, leads: string[]) =>
      proposeGroup(hub, who, {
        slug,
        name: `Group ${slug}`,
        kind: 'working',
        mission: 'Nothing at all, only another notice to one person.',
        scopeIn: ['Nothing'],
        leads,
      });
    const bound = LIMITS.invitationsFromOneToOne;
    for (let i = 0; i < bound; i++) await propose(lee, `g${i}`, ['lee', 'ana']);
    expect((await listMyInvitations(hub, ana)).items).toHaveLength(bound);
    // one more: refused naming the lead, and no group is stored
    await expect(propose(lee, 'one-more', ['lee', 'ana'])).rejects.toThrow(
      `leads[1]: names ana, but you have invited Ana (@ana) ${bound} times in the last 30 days, to any group`,
    );
    await expect(getGroup(hub, 'one-more')).rejects.toMatchObject({ kind: 'not_found' });
    // inviting her again as the lead of one of those groups is refused too (409, naming the rule)
    await expect(inviteToGroup(hub, lee, 'g0', { handle: 'sam', level: 'member' })).resolves.toMatchObject({
      state: 'open',
    });
    const first = (await listMyInvitations(hub, ana)).items.find((i) => i.group === 'g0')!;
    await withdrawInvitation(hub, lee, 'g0', first.id);
    await expect(inviteToGroup(hub, lee, 'g0', { handle: 'ana', level: 'member' })).rejects.toMatchObject({
      kind: 'conflict',
      details: { rule: 'too-many-invitations-from-you' },
      message: expect.stringMatching(/^You have invited Ana \(@ana\) 10 times/),
    });
    // the bound is the sender's: another member may still name her
    await expect(propose(sam, 'from-sam', ['sam', 'ana'])).resolves.toMatchObject({ slug: 'from-sam' });
    // and after the window, lee may again (once one of lee's ten proposed groups no longer waits:
    // LIMITS.groupsProposedWaiting, attack round 24)
    hub.clock.advance((LIMITS.invitationWindowDays * 24 + 1) * 3_600_000);
    await moveGroup(hub, await person(hub, 'cora', { role: 'core-maintainer' }), 'g9', { to: 'retired' });
    await expect(propose(lee, 'later', ['lee', 'ana'])).resolves.toMatchObject({ slug: 'later' });
  });
});
