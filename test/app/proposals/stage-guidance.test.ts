// Each stage of the guide's route says what the community expects of the proposal there (the
// governance file's `guidance`), so a step taken outside the hub (the community's chat, the
// project tracker, the official forum, the pull request) is told before the next move.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/app/core/hub.ts';
import { createProposal, getProposal, moveProposal } from '../../../src/app/proposals/proposals.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('what each stage asks, on $name', (database) => {
  let hub: TestHub;
  let ada: Actor, mod: Actor;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-01T10:00:00Z');
    ada = await person(hub, 'ada');
    mod = await person(hub, 'mod', { role: 'moderator' });
  });
  afterEach(async () => hub?.close());

  it('a proposal says what its current stage asks, and it follows the proposal along the route', async () => {
    const p = await createProposal(hub, ada, {
      title: 'Resumable tool calls',
      problem: 'Clients lose long-running tool calls when the connection drops mid-call.',
      examples: ['A hosted agent lost a 20-minute export on every deploy'],
      layer: 'working-group-artifact',
    });
    expect(p.stageGuidance).toMatch(/real-world example.*no existing work on it/s);
    for (const to of ['prior-work-checked', 'community-discussion']) await moveProposal(hub, ada, p.ref, { to });
    expect((await getProposal(hub, p.ref, ada)).stageGuidance).toMatch(
      /coordinate with the moderators .* CWG Project Tracker/,
    );
    const tracked = await moveProposal(hub, mod, p.ref, { to: 'tracked' });
    expect(tracked.stageGuidance).toMatch(/start a thread on the official MCP discussion forum/);
    for (const to of ['forum-discussion', 'refining']) await moveProposal(hub, ada, p.ref, { to });
    await moveProposal(hub, ada, p.ref, {
      to: 'pull-request',
      pullRequest: 'https://github.com/modelcontextprotocol/modelcontextprotocol/pull/1234',
    });
    expect((await getProposal(hub, p.ref)).stageGuidance).toMatch(/explains the collaboration so far/);
    expect((await moveProposal(hub, mod, p.ref, { to: 'declined' })).stageGuidance).toBeNull();
  });
});
