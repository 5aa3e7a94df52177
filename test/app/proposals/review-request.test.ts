// "Ask my sponsor for review", on both databases: an author's request tells the proposal's sponsor
// (with no sponsor yet, the group's leads) that it waits for them, as `proposal-waiting` (inbox, and
// mail at once as the governance file's kind says), even on a muted proposal; it is logged and shown
// on the proposal's view; a second request within reviewRequestHours is refused with when it may be
// asked again, by any author; the clock moving on allows it again.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/app/core/hub.ts';
import { joinGroup } from '../../../src/app/groups/groups.ts';
import { setSubscription } from '../../../src/app/notifications/subscriptions.ts';
import { requestReview } from '../../../src/app/proposals/review-request.ts';
import { createProposal, getProposal, moveProposal, sponsorProposal } from '../../../src/app/proposals/proposals.ts';
import { tailEvents } from '../../../src/store/events.ts';
import { readJson } from '../../../src/store/schema.ts';
import { databases } from '../../support/databases.ts';
import { person, type TestHub } from '../../support/hub.ts';
import { hostingGroupWithMail } from '../../support/notifications.ts';

describe.each(databases)('asking for review on $name', (database) => {
  let hub: TestHub;
  let ref: string;
  let as: Record<string, Actor>;
  beforeEach(async () => {
    const g = await hostingGroupWithMail(database);
    hub = g.hub;
    // ana writes (bo co-authors), lead leads the group, kai (a core maintainer) may sponsor
    as = { ana: g.ana, bo: g.bo, lead: g.lead, kai: await person(hub, 'kai', { role: 'core-maintainer' }) };
    await hub.store.db
      .updateTable('people')
      .set({ email: 'kai@example.org', confirmed_email: 'kai@example.org' })
      .where('handle', '=', 'kai')
      .execute();
    ref = (
      await createProposal(hub, as.ana!, {
        title: 'Session affinity behind load balancers',
        problem: 'Hosted MCP servers lose the session when a request lands on another process.',
        examples: ['Two pods behind an ingress drop the Mcp-Session-Id'],
        layer: 'working-group-artifact',
        group: 'hosting',
        coAuthors: ['bo'],
      })
    ).ref;
  });
  afterEach(async () => hub?.close());

  const waiting = async () =>
    hub.store.db
      .selectFrom('notifications as n')
      .innerJoin('people as p', 'p.id', 'n.person_id')
      .select(['p.handle', 'n.title', 'n.reason', 'n.immediate', 'n.mail_state', 'n.events'])
      .where('n.kind', '=', 'proposal-waiting')
      .where('n.subject_ref', '=', ref)
      .where('n.title', 'like', '%to review%')
      .orderBy('p.handle')
      .execute();

  it('the sponsor is told at once, even with the proposal muted; the log and the view say whom it reached', async () => {
    await sponsorProposal(hub, as.kai!, ref);
    await setSubscription(hub, as.kai!, { subjectType: 'proposal', subjectRef: ref, level: 'muted' });
    expect((await getProposal(hub, ref, as.ana)).can.requestReview).toEqual({ allowed: true });
    const p = await requestReview(hub, as.ana!, ref);
    expect(p.reviewRequest).toEqual({ at: hub.clock.now().toISOString(), by: 'ana', asked: ['kai'], as: 'sponsor' });
    expect(await waiting()).toEqual([
      {
        handle: 'kai',
        title: `Ana (@ana) asks you, its sponsor, to review ${ref}: Session affinity behind load balancers`,
        reason: 'sponsor',
        immediate: 1,
        mail_state: 'queued',
        events: 1,
      },
    ]);
    const logged = (await tailEvents(hub.store.db, 50)).filter((e) => e.kind === 'proposal.review-requested');
    expect(logged.map((e) => [e.actor, e.subject_id, readJson(e.after)])).toEqual([
      ['ana', ref, { to: ['kai'], as: 'sponsor' }],
    ]);
    // a visitor reads the same line on the view
    expect((await getProposal(hub, ref)).reviewRequest?.asked).toEqual(['kai']);
  });

  it("without a sponsor the group's leads are told (never the asker), and a lone lead asking has nobody to ask", async () => {
    await requestReview(hub, as.ana!, ref);
    expect((await waiting()).map((w) => [w.handle, w.reason, w.title])).toEqual([
      [
        'lead',
        'lead',
        `Ana (@ana) asks the group's leads to review ${ref}, which has no sponsor yet: Session affinity behind load balancers`,
      ],
    ]);
    // the lead's own proposal: the only lead is the asker, so nobody is there to ask
    const own = await createProposal(hub, as.lead!, {
      title: 'Sticky sessions guide',
      problem: 'Operators keep rediscovering how to pin sessions to one process.',
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    expect((await getProposal(hub, own.ref, as.lead)).can.requestReview).toEqual({
      allowed: false,
      reason: 'It has no sponsor, and its group has no lead but you to ask',
    });
    await expect(requestReview(hub, as.lead!, own.ref)).rejects.toThrow(
      'It has no sponsor, and its group has no lead but you to ask',
    );
  });

  it('once per 24 hours per proposal, whichever author asks; refused with when, then allowed as the clock moves on', async () => {
    await sponsorProposal(hub, as.kai!, ref);
    await requestReview(hub, as.ana!, ref);
    hub.clock.advance(5 * 3_600_000);
    const again = 'Review was asked for 5 hours ago; it may be asked again in 19 hours (once every 24 hours)';
    expect((await getProposal(hub, ref, as.bo)).can.requestReview).toEqual({ allowed: false, reason: again });
    await expect(requestReview(hub, as.bo!, ref)).rejects.toThrow(again);
    await expect(requestReview(hub, as.ana!, ref)).rejects.toThrow(again);
    expect((await waiting()).reduce((n, w) => n + w.events, 0)).toBe(1);
    hub.clock.advance(19 * 3_600_000);
    expect((await getProposal(hub, ref, as.bo)).can.requestReview).toEqual({ allowed: true });
    await requestReview(hub, as.bo!, ref);
    expect((await waiting()).reduce((n, w) => n + w.events, 0)).toBe(2);
    expect((await getProposal(hub, ref)).reviewRequest?.by).toBe('bo');
  });

  it('someone who is not an author, the sponsor, and an ended proposal are refused in words', async () => {
    await sponsorProposal(hub, as.kai!, ref);
    await joinGroup(hub, as.kai!, 'hosting', { level: 'participant' });
    await expect(requestReview(hub, as.lead!, ref)).rejects.toThrow('Only its authors may ask for its review');
    expect((await getProposal(hub, ref, as.kai)).can.requestReview).toMatchObject({ allowed: false });
    await moveProposal(hub, as.ana!, ref, { to: 'withdrawn' });
    expect((await getProposal(hub, ref, as.ana)).can.requestReview).toEqual({
      allowed: false,
      reason: 'It is withdrawn, an end state: there is nothing left to review',
    });
    await expect(requestReview(hub, as.ana!, ref)).rejects.toThrow('there is nothing left to review');
    expect(await waiting()).toEqual([]);
  });
});
