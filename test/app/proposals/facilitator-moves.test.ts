// The route says a stage move marked "group-lead" is for "a lead of the group or a facilitator of
// its topic area": a topic area's facilitator who is no lead of the group moves that topic's
// proposals, and only that topic's.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/app/core/hub.ts';
import { joinGroup, moveGroup, sponsorGroup } from '../../../src/app/groups/groups.ts';
import { createTopicArea } from '../../../src/app/groups/topic-areas.ts';
import { createProposal, getProposal, moveProposal } from '../../../src/app/proposals/proposals.ts';
import { databases } from '../../support/databases.ts';
import { hostingGroup, openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('a topic area’s facilitator on the route, on $name', (database) => {
  let hub: TestHub;
  let sam: Actor, priya: Actor, ada: Actor;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-01T10:00:00Z');
    sam = await person(hub, 'sam', { role: 'member' });
    priya = await person(hub, 'priya', { role: 'member' });
    ada = await person(hub, 'ada');
    const lena = await person(hub, 'lena', { role: 'lead-maintainer' });
    await hostingGroup(hub, sam, 'sam');
    await sponsorGroup(hub, lena, 'hosting');
    await moveGroup(hub, lena, 'hosting', { to: 'active' });
    await joinGroup(hub, priya, 'hosting');
    await joinGroup(hub, ada, 'hosting');
    for (const slug of ['scaling', 'tenancy'])
      await createTopicArea(hub, sam, 'hosting', {
        slug,
        name: slug,
        goal: 'both',
        facilitators: slug === 'scaling' ? ['priya'] : ['sam'],
      });
  });
  afterEach(async () => hub?.close());

  const atDiscussion = async (topicArea: string) => {
    const p = await createProposal(hub, ada, {
      title: `Sticky sessions in ${topicArea}`,
      problem: 'Sessions break when a load balancer sends a client to another server process.',
      examples: ['Our gateway restarts nightly and clients lose their sessions'],
      layer: 'working-group-artifact',
      group: 'hosting',
      topicArea,
    });
    for (const to of ['prior-work-checked', 'community-discussion']) await moveProposal(hub, ada, p.ref, { to });
    return p.ref;
  };

  it('moves a proposal of the topic area they facilitate, as the page says they may', async () => {
    const ref = await atDiscussion('scaling');
    const seen = await getProposal(hub, ref, priya);
    expect(seen.allowedMoves.find((m) => m.to === 'tracked')?.can).toMatchObject({ allowed: true });
    expect((await moveProposal(hub, priya, ref, { to: 'tracked' })).stage).toBe('tracked');
  });

  it('does not move one of another topic area, and is told who may', async () => {
    const ref = await atDiscussion('tenancy');
    await expect(moveProposal(hub, priya, ref, { to: 'tracked' })).rejects.toMatchObject({
      kind: 'forbidden',
      message:
        'Only the moderator, or a lead of the group or a facilitator of its topic area may move it from community discussion to tracked',
    });
  });
});
