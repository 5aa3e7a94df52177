// An escalated decision's resolver says "more information is needed": its parties (who opened it,
// answered it or voted on it) were told by a notice, but their home, REST /api/me/needs, MCP
// what_needs_me and `wghub me needs` did not list it, though the decision waits on their answer.
// Listed now (kind more-information) with where to answer, until binding guidance is given.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  castVote,
  designateEscalation,
  getDecision,
  openDecision,
  recordGuidance,
  requestVote,
  respondToDecision,
} from '../../../src/app/decisions/decisions.ts';
import { whatNeedsMe } from '../../../src/app/home/what-needs-me.ts';
import { createProposal } from '../../../src/app/proposals/proposals.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import { databases } from '../../support/databases.ts';
import { asActor, openDemoHub, type TestHub } from '../../support/hub.ts';
import { pageText as text, signInAs } from '../../support/web-client.ts';
import { demoSignIn } from '../../support/web-hub.ts';

describe.each(databases)('an escalation asking its parties for more information, on $name', (database) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await openDemoHub(database);
  });
  afterEach(async () => hub?.close());

  const asked = async (handle: string) =>
    (await whatNeedsMe(hub, await asActor(hub, handle))).items.filter((i) => i.kind === 'more-information');

  /** D-1 opened by sam-lead, a concern from jonas, a vote only priya casts: escalated, ines-core named to resolve it. */
  async function escalated(subject: { type: string; ref?: string } = { type: 'process' }): Promise<void> {
    const sam = await asActor(hub, 'sam-lead');
    await openDecision(hub, sam, {
      group: 'hosting',
      subject,
      question: 'Adopt practice number one?',
      significance: 'minor',
    });
    await respondToDecision(hub, await asActor(hub, 'jonas'), 'D-1', {
      kind: 'concern',
      reason: 'It needs a migration path for existing deployments.',
      amendment: 'Adopt it with a migration guide for existing deployments.',
    });
    await requestVote(hub, sam, 'D-1');
    await castVote(hub, await asActor(hub, 'priya'), 'D-1', { choice: 'no' });
    hub.clock.advance((hub.governance.decisions.vote.durationDays + 1) * 86_400_000);
    expect((await getDecision(hub, 'D-1')).state.phase).toBe('escalated');
    await designateEscalation(hub, await asActor(hub, 'kai-core'), 'D-1', { designee: 'ines-core' });
  }

  it('lists it for whoever opened, answered or voted on it, with where to answer, until binding guidance', async () => {
    await escalated();
    // no guidance yet: it waits on its resolver, not on the parties
    expect(await asked('sam-lead')).toEqual([]);
    const ines = await asActor(hub, 'ines-core');
    await recordGuidance(hub, ines, 'D-1', {
      kind: 'more-information',
      guidance: 'How many deployments would need to migrate?',
    });
    for (const handle of ['sam-lead', 'jonas', 'priya'])
      expect(await asked(handle), handle).toEqual([
        {
          kind: 'more-information',
          ref: 'D-1',
          title: 'Adopt practice number one?',
          group: 'hosting',
          asked:
            "Inês Moreira (@ines-core), who resolves its escalation, says more information is needed: “How many deployments would need to migrate?” Answer @ines-core where the group works (its charter's Operations names its channels; the hub has no discussion for this decision); responses and votes on D-1 are closed",
          due: null,
          dueMeans: null,
          late: false,
          path: '/groups/hosting#charter',
        },
      ]);
    const needs = await whatNeedsMe(hub, await asActor(hub, 'sam-lead'));
    expect(needs.counts['more-information']).toEqual({ listed: 1, total: 1 });
    // not a party: an observer, the resolver (asked for guidance, listed as an escalation), those who named her or might have
    for (const handle of ['amara', 'ines-core', 'kai-core', 'lena-core'])
      expect(await asked(handle), handle).toEqual([]);
    expect((await whatNeedsMe(hub, ines)).items.map((i) => [i.kind, i.ref])).toContainEqual(['escalation', 'D-1']);

    // the web home says it too, linking where to answer
    const web = await signInAs(createHttpApp(hub, undefined, { web: demoSignIn }), 'jonas');
    const home = (await web.get('/')).html;
    expect(home).toContain('id="asked-more"');
    // a process decision has no discussion here: sent where the group works, with no promise a mention tells her
    expect(home).toContain(
      '<a href="/groups/hosting#charter">Answer Inês Moreira where the group works (its charter&#39;s Operations names its channels; the hub has no discussion for this decision)</a>.',
    );
    expect(text(home)).toContain(
      'No open decision takes your response or vote now; one asks you for more information below.',
    );
    expect(text(home)).toContain(
      'Inês Moreira (@ines-core) says more information is needed: “How many deployments would need to migrate?”',
    );

    await recordGuidance(hub, ines, 'D-1', { kind: 'binding', guidance: 'Adopt it with a migration guide.' });
    for (const handle of ['sam-lead', 'jonas', 'priya']) expect(await asked(handle), handle).toEqual([]);
    expect((await web.get('/')).html).not.toContain('id="asked-more"');
  });

  it("on a proposal, it sends them to the proposal's discussion, mentioning the resolver so they are told", async () => {
    const p = await createProposal(hub, await asActor(hub, 'sam-lead'), {
      title: 'Shared session store',
      problem: 'Servers behind a load balancer lose sessions when a node restarts.',
      examples: ['Hosting WG incident in May'],
      layer: 'working-group-artifact',
      route: 'contribution',
      group: 'hosting',
    });
    await escalated({ type: 'proposal', ref: p.ref });
    await recordGuidance(hub, await asActor(hub, 'ines-core'), 'D-1', {
      kind: 'more-information',
      guidance: 'Which stores were tried?',
    });
    expect(await asked('jonas')).toEqual([
      expect.objectContaining({
        ref: 'D-1',
        asked: `Inês Moreira (@ines-core), who resolves its escalation, says more information is needed: “Which stores were tried?” Answer in ${p.ref}'s discussion, mentioning @ines-core so they are told; responses and votes on D-1 are closed`,
        path: `/proposals/${p.ref}#discussion`,
      }),
    ]);
    // full deliberation asks nothing of the parties: it waits on the core maintainers
    await recordGuidance(hub, await asActor(hub, 'ines-core'), 'D-1', {
      kind: 'full-deliberation',
      guidance: 'The core maintainers will discuss it.',
    });
    expect(await asked('jonas')).toEqual([]);
  });
});
