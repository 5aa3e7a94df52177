// Ending a proposal's sponsorship, on both databases: the sponsor steps down, or a group lead removes
// them, always with a reason that the log keeps; the proposal's authors are told it needs a sponsor
// (in the inbox, and by mail at once, as the governance file's kind says), the group's leads that it
// waits, and a sponsor removed by someone else that they were; whoever may not is told why in words.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/app/core/hub.ts';
import { setSubscription } from '../../../src/app/notifications/subscriptions.ts';
import {
  createProposal,
  endSponsorship,
  getProposal,
  moveProposal,
  sponsorProposal,
} from '../../../src/app/proposals/proposals.ts';
import { tailEvents } from '../../../src/store/events.ts';
import { databases } from '../../support/databases.ts';
import { person, type TestHub } from '../../support/hub.ts';
import { hostingGroupWithMail } from '../../support/notifications.ts';

describe.each(databases)('ending a sponsorship on $name', (database) => {
  let hub: TestHub;
  let ref: string;
  let as: Record<string, Actor>;
  beforeEach(async () => {
    const g = await hostingGroupWithMail(database);
    hub = g.hub;
    // jonas writes, kai (a core maintainer) sponsors, sam leads the group, priya is a member
    as = {
      jonas: g.ana,
      'sam-lead': g.lead,
      priya: g.bo,
      'kai-core': await person(hub, 'kai-core', { role: 'core-maintainer' }),
    };
    ref = (
      await createProposal(hub, as.jonas!, {
        title: 'Session affinity behind load balancers',
        problem: 'Hosted MCP servers lose the session when a request lands on another process.',
        examples: ['Two pods behind an ingress drop the Mcp-Session-Id'],
        layer: 'working-group-artifact',
        group: 'hosting',
      })
    ).ref;
    await sponsorProposal(hub, as['kai-core']!, ref);
  });
  afterEach(async () => hub?.close());

  const told = async (handle: string, kind: string) =>
    hub.store.db
      .selectFrom('notifications as n')
      .innerJoin('people as p', 'p.id', 'n.person_id')
      .select(['n.title', 'n.reason', 'n.mail_state'])
      .where('p.handle', '=', handle)
      .where('n.kind', '=', kind)
      .where('n.subject_ref', '=', ref)
      .execute();

  it('the sponsor steps down with a reason: logged, the author told it needs a sponsor (mail at once), leads that it waits', async () => {
    expect((await getProposal(hub, ref, as['kai-core'])).can.endSponsorship).toEqual({ allowed: true });
    const p = await endSponsorship(hub, as['kai-core']!, ref, { reason: 'I am away until the summer.' });
    expect(p.sponsor).toBeNull();
    expect(p.can.sponsor).toEqual({ allowed: true }); // kai may take it on again
    const ended = (await tailEvents(hub.store.db, 20)).find((e) => e.kind === 'proposal.sponsorship-ended')!;
    expect({ actor: ended.actor, subject: ended.subject_id }).toEqual({ actor: 'kai-core', subject: ref });
    expect(JSON.parse(ended.before!)).toEqual({ sponsor: 'kai-core' });
    expect(JSON.parse(ended.after!)).toMatchObject({ sponsor: null, reason: 'I am away until the summer.' });

    const author = await told('ana', 'proposal-needs-sponsor');
    expect(author).toEqual([
      {
        title: `${ref} needs a sponsor: Kai-core (@kai-core) stepped down as its sponsor (I am away until the summer.): Session affinity behind load balancers`,
        reason: 'author',
        mail_state: 'queued',
      },
    ]);
    expect((await told('lead', 'proposal-waiting')).map((n) => n.reason)).toEqual(['lead']);
    // who acted is not told of their own action
    expect(await told('kai-core', 'proposal-moved')).toEqual([]);
  });

  it('a reason past 200 characters is cut at a character, never inside an emoji (attack round 22)', async () => {
    // 198 letters, then an emoji (two UTF-16 units) at the 199th character: a cut at 199 units kept half of it
    await endSponsorship(hub, as['kai-core']!, ref, { reason: `${'a'.repeat(198)}😀${'b'.repeat(10)}` });
    const [notice] = await told('ana', 'proposal-needs-sponsor');
    expect(notice?.title).toBe(
      `${ref} needs a sponsor: Kai-core (@kai-core) stepped down as its sponsor (${'a'.repeat(198)}😀…): Session affinity behind load balancers`,
    );
    // a reason of 200 emoji (400 units) is within 200 characters: shown whole
    await sponsorProposal(hub, as['kai-core']!, ref);
    await endSponsorship(hub, as['kai-core']!, ref, { reason: '😀'.repeat(200) });
    expect((await told('ana', 'proposal-needs-sponsor')).map((n) => n.title)).toContain(
      `${ref} needs a sponsor: Kai-core (@kai-core) stepped down as its sponsor (${'😀'.repeat(200)}): Session affinity behind load balancers`,
    );
  });

  it('a group lead removes the sponsor: the sponsor is told who and why, the author that it needs one', async () => {
    await endSponsorship(hub, as['sam-lead']!, ref, { reason: 'No reply to the authors for two months.' });
    expect((await told('kai-core', 'proposal-moved'))[0]?.title).toBe(
      `${ref} needs a sponsor: Lead (@lead) ended kai-core's sponsorship (No reply to the authors for two months.): Session affinity behind load balancers`,
    );
    expect(await told('ana', 'proposal-needs-sponsor')).toHaveLength(1);
  });

  it('an author who muted the proposal is not told', async () => {
    await setSubscription(hub, as.jonas!, { subjectType: 'proposal', subjectRef: ref, level: 'muted' });
    await endSponsorship(hub, as['kai-core']!, ref, { reason: 'I am away until the summer.' });
    expect(await told('ana', 'proposal-needs-sponsor')).toEqual([]);
  });

  it('refused in words: a member who is neither, a missing reason, a proposal with no sponsor', async () => {
    const priya = (await getProposal(hub, ref, as.priya)).can.endSponsorship;
    expect(priya.allowed).toBe(false);
    await expect(endSponsorship(hub, as.priya!, ref, { reason: 'Because.' })).rejects.toMatchObject({
      kind: 'forbidden',
      message: (priya as { reason: string }).reason,
    });
    expect((priya as { reason: string }).reason).toMatch(/^Only its sponsor, .*may end its sponsorship$/);
    await expect(endSponsorship(hub, as['kai-core']!, ref, { reason: ' ' })).rejects.toMatchObject({
      kind: 'invalid_input',
      message: expect.stringContaining('reason'),
    });
    expect((await getProposal(hub, ref)).sponsor?.handle).toBe('kai-core');
    await endSponsorship(hub, as['kai-core']!, ref, { reason: 'Stepping down.' });
    expect((await getProposal(hub, ref, as['sam-lead'])).can.endSponsorship).toEqual({
      allowed: false,
      reason: 'It has no sponsor',
    });
  });

  it('a proposal that has ended is sponsored by nobody: can.sponsor says so and sponsoring it is refused', async () => {
    await endSponsorship(hub, as['kai-core']!, ref, { reason: 'Stepping down.' });
    await moveProposal(hub, as.jonas!, ref, { to: 'withdrawn' });
    const can = (await getProposal(hub, ref, as['kai-core'])).can.sponsor;
    expect(can).toEqual({ allowed: false, reason: 'It is withdrawn, an end state: nobody sponsors it now' });
    await expect(sponsorProposal(hub, as['kai-core']!, ref)).rejects.toMatchObject({
      kind: 'forbidden',
      message: 'It is withdrawn, an end state: nobody sponsors it now',
    });
    expect((await getProposal(hub, ref)).sponsor).toBeNull();
  });

  it('a SEP moved by its author to a stage only its sponsor moves on waits for the sponsor’s review: the sponsor is told at once', async () => {
    // a community whose authors send their own drafts to review (the default leaves that to the sponsor)
    const sep = hub.governance.proposals.routes.sep;
    hub.governance = {
      ...hub.governance,
      proposals: {
        ...hub.governance.proposals,
        routes: {
          ...hub.governance.proposals.routes,
          sep: {
            ...sep,
            transitions: sep.transitions.map((t) =>
              t.to === 'in-review' ? { ...t, by: ['author' as const, 'sponsor' as const] } : t,
            ),
          },
        },
      },
    };
    const seps = await createProposal(hub, as.jonas!, {
      title: 'Resumable calls in the protocol',
      problem: 'A long call is lost when the connection drops.',
      examples: ['Lost exports on deploy'],
      layer: 'specification',
      route: 'sep',
      group: 'hosting',
    });
    await hub.store.db
      .updateTable('people')
      .set({ email: 'kai@example.org', confirmed_email: 'kai@example.org' })
      .where('handle', '=', 'kai-core')
      .execute();
    await sponsorProposal(hub, as['kai-core']!, seps.ref);
    // the sponsor's own move to draft: a draft waits for the sponsor, but they made the move
    await moveProposal(hub, as['kai-core']!, seps.ref, { to: 'draft' });
    const waiting = () =>
      hub.store.db
        .selectFrom('notifications as n')
        .innerJoin('people as p', 'p.id', 'n.person_id')
        .select(['p.handle', 'n.title', 'n.reason', 'n.mail_state'])
        .where('n.kind', '=', 'proposal-waiting')
        .where('n.subject_ref', '=', seps.ref)
        .where('n.reason', '=', 'sponsor')
        .execute();
    expect(await waiting()).toEqual([]);
    // the author sends it to review: only the sponsor may accept it, so it waits for them
    await moveProposal(hub, as.jonas!, seps.ref, { to: 'in-review' });
    expect(await waiting()).toEqual([
      {
        handle: 'kai-core',
        title: `${seps.ref} moved to in review and waits for its sponsor: Resumable calls in the protocol`,
        reason: 'sponsor',
        // proposal-waiting is mailed at once (the governance file's default)
        mail_state: 'queued',
      },
    ]);
    expect((await getProposal(hub, seps.ref, as['kai-core'])).stage).toBe('in-review');
  });
});
