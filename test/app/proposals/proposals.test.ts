import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addComment,
  commentHistory,
  discussionVoices,
  editComment,
  listComments,
} from '../../../src/app/proposals/comments.ts';
import { runDormancy } from '../../../src/app/proposals/dormancy.ts';
import { SYSTEM, type Actor } from '../../../src/app/core/hub.ts';
import {
  addEvidence,
  completeFollowUp,
  createProposal,
  getProposal,
  moveProposal,
  promoteProposal,
  recommendProposalLayer,
  relateProposal,
  sponsorProposal,
  supportProposal,
  updateProposal,
} from '../../../src/app/proposals/proposals.ts';
import { tailEvents } from '../../../src/store/events.ts';
import { LIMITS } from '../../../src/domain/limits.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('proposals on $name', (database) => {
  let hub: TestHub;
  let ada: Actor, bo: Actor, cy: Actor, dee: Actor, maint: Actor, mod: Actor, newcomer: Actor;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-01T10:00:00Z');
    ada = await person(hub, 'ada', { org: 'Acme' });
    bo = await person(hub, 'bo', { org: 'Nebula Tools' });
    cy = await person(hub, 'cy', { org: 'Orbit' });
    dee = await person(hub, 'dee', { org: 'Acme' });
    maint = await person(hub, 'maint', { role: 'maintainer', org: 'Lisbon Labs' });
    mod = await person(hub, 'mod', { role: 'moderator' });
    newcomer = await person(hub, 'newcomer', { accepted: false });
  });
  afterEach(async () => hub?.close());

  const idea = {
    title: 'Resumable tool calls',
    problem: 'Clients lose long-running tool calls when the connection drops mid-call.',
    layer: 'working-group-artifact',
  };

  it('walks the guide’s route from idea to landed, recording every move', async () => {
    const p = await createProposal(hub, ada, idea);
    expect(p).toMatchObject({ ref: 'P-1', stage: 'idea', route: 'contribution', authors: [{ handle: 'ada' }] });
    await expect(moveProposal(hub, ada, 'P-1', { to: 'prior-work-checked' })).rejects.toMatchObject({
      issues: [{ field: 'examples', rule: expect.stringContaining('real-world example') }],
    });
    const v = (await getProposal(hub, 'P-1')).version;
    await updateProposal(hub, ada, 'P-1', v, { examples: ['A hosted agent lost a 20-minute export on every deploy'] });
    for (const to of ['prior-work-checked', 'community-discussion']) await moveProposal(hub, ada, 'P-1', { to });
    await expect(moveProposal(hub, ada, 'P-1', { to: 'tracked' })).rejects.toMatchObject({
      kind: 'forbidden',
      message:
        'Only the moderator, or a lead of the group or a facilitator of its topic area may move it from community discussion to tracked',
    });
    await moveProposal(hub, mod, 'P-1', { to: 'tracked' });
    for (const to of ['forum-discussion', 'refining']) await moveProposal(hub, ada, 'P-1', { to });
    // entering the pull request stage asks for its link
    await moveProposal(hub, ada, 'P-1', {
      to: 'pull-request',
      pullRequest: 'https://github.com/modelcontextprotocol/modelcontextprotocol/pull/1234',
    });
    await expect(moveProposal(hub, ada, 'P-1', { to: 'landed' })).rejects.toMatchObject({ kind: 'forbidden' });
    const landed = await moveProposal(hub, SYSTEM, 'P-1', { to: 'landed' });
    expect(landed.stage).toBe('landed');
    expect(landed.allowedMoves).toEqual([]);
    const kinds = (await tailEvents(hub.store.db, 100)).filter((e) => e.subject_id === 'P-1').map((e) => e.kind);
    expect(kinds.filter((k) => k === 'proposal.stage-changed')).toHaveLength(7);
    expect(kinds).toContain('proposal.gate-checked');
  });

  it('an illegal move lists what is allowed from here and who may do it', async () => {
    await createProposal(hub, ada, idea);
    await expect(moveProposal(hub, ada, 'P-1', { to: 'landed' })).rejects.toMatchObject({
      issues: [
        {
          field: 'to',
          rule: 'a proposal cannot move from idea to landed; from idea it may move to: prior-work-checked (by the author, a lead of the group or a facilitator of its topic area, or the moderator); declined (by the moderator, a lead of the group or a facilitator of its topic area, or the core maintainer); withdrawn (by the author)',
        },
      ],
    });
  });

  it('a specification SEP cannot be accepted until its gate holds; the failed check is recorded', async () => {
    await createProposal(hub, ada, {
      ...idea,
      title: 'Resumable calls in the protocol',
      layer: 'specification',
      route: 'sep',
      examples: ['Lost exports on deploy'],
    });
    await expect(sponsorProposal(hub, ada, 'P-1')).rejects.toMatchObject({
      kind: 'forbidden',
      message: 'Only a maintainer, a core maintainer or a lead maintainer may sponsor a proposal',
    });
    await sponsorProposal(hub, maint, 'P-1');
    // its sponsor sponsoring again (a second click): already as asked, one sponsorship recorded
    await expect(sponsorProposal(hub, maint, 'P-1')).rejects.toMatchObject({
      kind: 'conflict',
      details: { rule: 'already-as-asked' },
      message: 'You are its sponsor already',
    });
    expect(
      await hub.store.db.selectFrom('events').select('seq').where('kind', '=', 'proposal.sponsored').execute(),
    ).toHaveLength(1);
    await moveProposal(hub, maint, 'P-1', { to: 'draft' });
    await moveProposal(hub, maint, 'P-1', { to: 'in-review' });
    await expect(moveProposal(hub, maint, 'P-1', { to: 'accepted' })).rejects.toMatchObject({
      kind: 'gate_failed',
      message: expect.stringContaining('supporters from at least 3 organisations'),
    });
    expect((await getProposal(hub, 'P-1')).stage).toBe('in-review');
    const checked = (await tailEvents(hub.store.db, 5)).find((e) => e.kind === 'proposal.gate-checked')!;
    expect(JSON.parse(checked.after!)).toMatchObject({ to: 'accepted', passed: false });

    // its author's own support would count them as demand for it
    await expect(supportProposal(hub, ada, 'P-1')).rejects.toMatchObject({
      kind: 'forbidden',
      message: 'You are its author: support shows that others need it too',
    });
    await supportProposal(hub, dee, 'P-1');
    expect((await getProposal(hub, 'P-1')).supportersByOrganisation).toEqual([
      { organisation: 'Acme', handles: ['dee'] },
    ]);
    await supportProposal(hub, bo, 'P-1');
    await supportProposal(hub, cy, 'P-1');
    await addEvidence(hub, bo, 'P-1', {
      kind: 'implementation',
      description: 'Resumption in the Nebula gateway',
      organisation: 'Nebula Tools',
      sdk: 'python',
    });
    await addEvidence(hub, cy, 'P-1', {
      kind: 'implementation',
      description: 'Resumption in Orbit client',
      organisation: 'Orbit',
      sdk: 'typescript',
    });
    await createProposal(hub, ada, { ...idea, title: 'Resumption patterns guide' });
    await relateProposal(hub, ada, 'P-1', { kind: 'builds-on', to: 'P-2', suggested: true });
    expect((await getProposal(hub, 'P-1')).gate.conditions.find((c) => c.check === 'prior-artifact')!.passed).toBe(
      false,
    );
    await relateProposal(hub, ada, 'P-1', { kind: 'builds-on', to: 'P-2' });
    const ready = await getProposal(hub, 'P-1');
    expect(ready.gate.passed).toBe(true);
    const accepted = await moveProposal(hub, maint, 'P-1', { to: 'accepted' });
    expect(accepted.stage).toBe('accepted');
    // the cascading impact principle: follow-ups for every reference SDK and supporting resource
    expect(accepted.followUps.filter((f) => f.kind === 'sdk').map((f) => f.target)).toEqual([
      'csharp',
      'go',
      'java',
      'kotlin',
      'php',
      'python',
      'ruby',
      'rust',
      'swift',
      'typescript',
    ]);
    expect(accepted.followUps.every((f) => f.status === 'open')).toBe(true);
    const done = await completeFollowUp(hub, maint, 'P-1', accepted.followUps.find((f) => f.target === 'python')!.id);
    expect(done.followUps.find((f) => f.target === 'python')).toMatchObject({ status: 'done' });
  });

  it('position-style and marketing sentences are flagged with advice, and never block', async () => {
    const p = await createProposal(hub, ada, {
      ...idea,
      problem:
        "Sessions break behind load balancers. We must implement vendor X's session protocol in the specification.",
    });
    expect(p.flags).toEqual([
      expect.objectContaining({
        kind: 'position',
        field: 'problem',
        sentence: "We must implement vendor X's session protocol in the specification.",
      }),
    ]);
    const c = await addComment(hub, bo, 'P-1', {
      body: 'Our platform is the fastest MCP hosting option on the market. Book a demo!',
    });
    expect(c.flags.map((f) => f.kind)).toEqual(['marketing', 'marketing']);
  });

  it('support speaks for the affiliation of the day, or a named one the person holds', async () => {
    await createProposal(hub, ada, idea);
    await expect(supportProposal(hub, bo, 'P-1', { organisation: 'Acme' })).rejects.toMatchObject({
      issues: [{ field: 'organisation' }],
    });
    const p = await supportProposal(hub, bo, 'P-1');
    expect(p.supporters).toEqual([expect.objectContaining({ handle: 'bo', organisation: 'Nebula Tools' })]);
    await expect(supportProposal(hub, newcomer, 'P-1')).rejects.toMatchObject({
      kind: 'forbidden',
      message: expect.stringContaining('Code of Conduct'),
    });
  });

  it('promotion goes one layer up and keeps the lineage', async () => {
    await createProposal(hub, ada, idea);
    // someone who is not its author, sponsor, group lead or a moderator may not promote it
    await expect(promoteProposal(hub, bo, 'P-1')).rejects.toMatchObject({
      kind: 'forbidden',
      message: "Only the proposal's authors, its sponsor, a group lead or a moderator may promote it",
    });
    const up = await promoteProposal(hub, ada, 'P-1');
    expect(up).toMatchObject({
      ref: 'P-2',
      layer: 'supporting-resource',
      stage: 'idea',
      relations: [{ kind: 'promoted-from', ref: 'P-1', direction: 'outgoing' }],
    });
    expect(up.authors.map((a) => a.handle)).toEqual(['ada']);
    const promoted = (await tailEvents(hub.store.db, 20)).find((e) => e.kind === 'proposal.promoted')!;
    expect(promoted).toMatchObject({ actor: 'ada', subject_id: 'P-2' });
    expect(JSON.parse(promoted.before!)).toEqual({ ref: 'P-1', layer: 'working-group-artifact' });
    expect(JSON.parse(promoted.after!)).toEqual({
      ref: 'P-2',
      layer: 'supporting-resource',
      route: 'contribution',
      promotedBy: 'ada',
    });
    // once per target layer: the view says so before anyone tries, and the copy is named
    expect((await getProposal(hub, 'P-1', ada)).can.promote).toEqual({
      allowed: false,
      reason: 'It was already promoted, as P-2',
    });
    // promoted again: already as asked (409, nothing to do), no second copy
    await expect(promoteProposal(hub, ada, 'P-1')).rejects.toMatchObject({
      kind: 'conflict',
      details: { rule: 'already-as-asked' },
      message: 'It was already promoted, as P-2',
    });
    // a moderator who did not write it promotes the copy, and does not become its author
    const mo = await person(hub, 'mo', { role: 'moderator' });
    const byModerator = await promoteProposal(hub, mo, 'P-2');
    expect(byModerator.authors.map((a) => a.handle)).toEqual(['ada']);
    await expect(promoteProposal(hub, bo, byModerator.ref)).rejects.toMatchObject({ kind: 'forbidden' });
    // its author may promote it, and is told the moderator already did
    await expect(promoteProposal(hub, ada, 'P-2')).rejects.toMatchObject({
      kind: 'conflict',
      details: { rule: 'already-as-asked' },
      message: `It was already promoted, as ${byModerator.ref}`,
    });
    const toSpec = await promoteProposal(hub, ada, (await promoteProposal(hub, ada, byModerator.ref)).ref);
    expect(toSpec).toMatchObject({ layer: 'specification', route: 'sep', stage: 'awaiting-sponsor' });
    await expect(promoteProposal(hub, ada, toSpec.ref)).rejects.toMatchObject({ issues: [{ field: 'layer' }] });
    expect((await getProposal(hub, 'P-1')).relations).toEqual([
      expect.objectContaining({ kind: 'promoted-from', direction: 'incoming', ref: 'P-2' }),
    ]);
  });

  it('which layer? warns when a proposal aims higher than its evidence', async () => {
    await createProposal(hub, ada, { ...idea, layer: 'specification', route: 'sep' });
    const r = await recommendProposalLayer(
      hub,
      {
        changesWire: false,
        allSdksMustChange: false,
        oneLanguageOnly: false,
        guidanceOnly: true,
        layer: 'specification',
      },
      'P-1',
    );
    expect(r.layer).toBe('supporting-resource');
    expect(r.warnings).toEqual([
      'you chose specification, higher than the answers suggest (supporting-resource); the higher the layer, the higher the barrier to change',
      'P-1 aims at specification but its evidence so far supports working-group-artifact; consider starting there',
    ]);
  });

  it('threaded discussion: safe HTML, mentions, edits with history, only by the author', async () => {
    await createProposal(hub, ada, idea);
    const first = await addComment(hub, bo, 'P-1', {
      body: 'Have you seen SEP-1686? cc @ada <img src=x onerror=alert(1)>',
    });
    // raw HTML is shown as text, never markup
    expect(first.html).not.toMatch(/<img|<[^>]*onerror/);
    expect(first.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(first.mentions).toEqual({ people: ['ada'], items: ['SEP-1686'] });
    const reply = await addComment(hub, ada, 'P-1', { body: 'Yes, it **builds on** tasks', parent: first.id });
    await expect(addComment(hub, ada, 'P-1', { body: 'x', parent: 'nope' })).rejects.toMatchObject({
      issues: [{ field: 'parent' }],
    });
    const thread = await listComments(hub, 'P-1');
    expect(thread).toHaveLength(1);
    expect(thread[0]!.replies.map((r) => r.id)).toEqual([reply.id]);
    await expect(editComment(hub, bo, reply.id, 1, { body: 'hijack' })).rejects.toMatchObject({ kind: 'forbidden' });
    await editComment(hub, ada, reply.id, 1, { body: 'Yes, it builds on tasks (edited)' });
    await expect(editComment(hub, ada, reply.id, 1, { body: 'stale' })).rejects.toMatchObject({ kind: 'conflict' });
    expect((await commentHistory(hub, reply.id)).map((r) => r.body)).toEqual([
      'Yes, it **builds on** tasks',
      'Yes, it builds on tasks (edited)',
    ]);
    await expect(addComment(hub, newcomer, 'P-1', { body: 'hi' })).rejects.toMatchObject({ kind: 'forbidden' });
    // the tally is kept in the read cache: a new voice must still count at once
    expect((await discussionVoices(hub, 'P-1')).raw).toEqual({ comment: 2 });
    // ada and dee both speak for Acme: two of three voices in the discussion
    await addComment(hub, dee, 'P-1', { body: 'Acme needs this too' });
    const voices = await discussionVoices(hub, 'P-1');
    expect(voices.raw).toEqual({ comment: 3 });
    expect(voices.weighted).toEqual({ comment: 2 });
    expect(voices.warnings).toEqual([
      '2 of 3 voices come from Acme (more than 50%): together they weigh as one organisation; seek views from other organisations',
    ]);
  });

  it('dormancy: reminders at 90 days once, dormant at 180, at the exact day boundaries', async () => {
    await createProposal(hub, ada, { ...idea, layer: 'specification', route: 'sep' });
    hub.clock.set('2026-05-30T09:59:59Z'); // 89 days 23:59:59
    expect(await runDormancy(hub, SYSTEM)).toEqual([]);
    hub.clock.set('2026-05-30T10:00:00Z'); // 90 days
    expect(await runDormancy(hub, SYSTEM)).toEqual([
      { ref: 'P-1', action: 'reminder', kind: 'awaiting-sponsor', days: 90 },
    ]);
    expect(await runDormancy(hub, SYSTEM)).toEqual([]); // not twice
    hub.clock.set('2026-08-28T09:59:59Z'); // 179 days
    expect(await runDormancy(hub, SYSTEM)).toEqual([]);
    hub.clock.set('2026-08-28T10:00:00Z'); // 180 days
    expect(await runDormancy(hub, SYSTEM)).toEqual([
      { ref: 'P-1', action: 'moved-to-dormant', kind: 'awaiting-sponsor', days: 180 },
    ]);
    expect((await getProposal(hub, 'P-1')).stage).toBe('dormant');
    const ev = (await tailEvents(hub.store.db, 3)).find((e) => e.kind === 'proposal.stage-changed')!;
    expect(ev.actor).toBe('system:dormancy');
    await expect(runDormancy(hub, ada)).rejects.toMatchObject({ kind: 'forbidden' });
    // revived by its author, the clock starts again
    await moveProposal(hub, ada, 'P-1', { to: 'awaiting-sponsor' });
    hub.clock.set('2026-09-28T10:00:00Z');
    expect(await runDormancy(hub, SYSTEM)).toEqual([]);
  });

  it('a proposal relates to so many items, and one person relates so many proposals to one, then is told why (fuzz round 13)', async () => {
    // every read of a proposal lists all its relations and none is ever removed; any contributor may
    // relate any proposal and draft without end: 2,000 drafts related in every kind made one proposal's
    // answer 8 MB and 0.2 s of work
    const kinds = ['duplicate-of', 'supersedes', 'builds-on', 'related', 'promoted-from'] as const;
    const { fromProposal, perPersonTo } = LIMITS.relations;
    const targets = fromProposal / kinds.length;
    for (let i = 1; i <= targets + 2; i++) await createProposal(hub, ada, { ...idea, title: `Idea ${i}` });
    for (let n = 2; n <= targets + 1; n++)
      for (const kind of kinds) await relateProposal(hub, bo, 'P-1', { kind, to: `P-${n}` });
    await expect(relateProposal(hub, cy, 'P-1', { kind: 'related', to: `P-${targets + 2}` })).rejects.toMatchObject({
      issues: [
        {
          field: 'to',
          rule: `P-1 already relates to ${fromProposal} items, as many as one proposal may: name the others in a comment on P-1`,
        },
      ],
    });
    expect((await getProposal(hub, 'P-1')).relations.filter((r) => r.direction === 'outgoing')).toHaveLength(
      fromProposal,
    );
    // one person relating many proposals to one
    const last = `P-${targets + 2}`;
    const from = perPersonTo / kinds.length;
    for (let n = 2; n <= from + 1; n++)
      for (const kind of kinds) await relateProposal(hub, dee, `P-${n}`, { kind, to: last });
    await expect(relateProposal(hub, dee, `P-${from + 2}`, { kind: 'related', to: last })).rejects.toMatchObject({
      issues: [
        {
          field: 'to',
          rule: `you have related ${perPersonTo} proposals to ${last}, as many as one person may: name the others in a comment on ${last}`,
        },
      ],
    });
    // someone else still may, and the one refused stored nothing
    await relateProposal(hub, cy, `P-${from + 2}`, { kind: 'related', to: last });
    const incoming = (await getProposal(hub, last)).relations.filter((r) => r.direction === 'incoming');
    expect(incoming).toHaveLength(perPersonTo + 1);
  });
});
