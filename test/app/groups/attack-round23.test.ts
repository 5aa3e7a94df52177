// What attack round 23 found in invitations to a group, on both databases, through the use cases.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/app/core/hub.ts';
import { proposeGroup, updateCharter } from '../../../src/app/groups/groups.ts';
import { listGroupInvitations, listMyInvitations } from '../../../src/app/groups/invitations.ts';
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
});
