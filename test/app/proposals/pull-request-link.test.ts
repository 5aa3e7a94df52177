// The contribution route's pull request stage did not ask for the pull request: a proposal moved there
// with no way to find it. The move now needs its https link (given with the move, or already on the
// proposal), and the view recognises a GitHub pull request and what the hub's GitHub mirror holds of it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inTransaction, type Actor } from '../../../src/app/core/hub.ts';
import { saveItem } from '../../../src/app/github/mirror.ts';
import { createProposal, getProposal, moveProposal, proposalRow } from '../../../src/app/proposals/proposals.ts';
import { githubPull } from '../../../src/domain/github/pull-link.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

const REPO = 'modelcontextprotocol-community/working-groups';

describe('a GitHub pull request link, read', () => {
  it('names its repository and number, with or without a part of its page; anything else is no GitHub pull request', () => {
    expect(githubPull('https://github.com/octo/repo/pull/12')).toEqual({ repo: 'octo/repo', number: 12 });
    expect(githubPull('https://github.com/octo/re.po/pull/12/files#diff-1')).toEqual({
      repo: 'octo/re.po',
      number: 12,
    });
    expect(githubPull('https://www.github.com/Octo/Repo/pull/7?w=1')).toEqual({ repo: 'Octo/Repo', number: 7 });
    for (const other of [
      'https://github.com/octo/repo/issues/12',
      'https://github.com/octo/repo/pull/0',
      'https://github.com/octo/repo/pull/99999999999',
      'https://github.com.evil.example/octo/repo/pull/1',
      'https://gitlab.com/octo/repo/-/merge_requests/3',
      'http://github.com/octo/repo/pull/1',
    ])
      expect(githubPull(other), other).toBeNull();
  });
});

describe.each(databases)('the pull request stage asks for its link on $name', (database) => {
  let hub: TestHub;
  let ada: Actor;
  let mod: Actor;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-01T10:00:00Z');
    ada = await person(hub, 'ada', { org: 'Acme' });
    mod = await person(hub, 'mod', { role: 'moderator' });
    await createProposal(hub, ada, {
      title: 'A guide to session affinity',
      problem: 'Operators cannot tell which sessions need affinity when they scale out horizontally.',
      examples: ['A gateway lost sessions on every scale-out'],
      layer: 'working-group-artifact',
    });
    for (const to of ['prior-work-checked', 'community-discussion']) await moveProposal(hub, ada, 'P-1', { to });
    await moveProposal(hub, mod, 'P-1', { to: 'tracked' });
    for (const to of ['forum-discussion', 'refining']) await moveProposal(hub, ada, 'P-1', { to });
  });
  afterEach(async () => hub?.close());

  const mirror = (number: number, state: 'open' | 'merged', hubType = 'none', hubId = '') =>
    inTransaction(hub, (trx) =>
      saveItem(trx, hub, {
        repo: REPO,
        kind: 'pull',
        githubId: number,
        number,
        hubType,
        hubId,
        url: `https://github.com/${REPO}/pull/${number}`,
        login: 'ada',
        createdAt: '2026-02-28T10:00:00Z',
        updatedAt: '2026-02-28T10:00:00Z',
        hash: null,
        state,
      }),
    );

  it('is refused without a link, or with one that is no https address, naming the field; nothing moves', async () => {
    const view = await getProposal(hub, 'P-1', ada);
    expect(view.allowedMoves.find((m) => m.to === 'pull-request')).toMatchObject({ requiresPullRequest: true });
    await expect(moveProposal(hub, ada, 'P-1', { to: 'pull-request' })).rejects.toMatchObject({
      issues: [
        { field: 'pullRequest', rule: expect.stringContaining("moving to pull-request needs the pull request's link") },
      ],
    });
    for (const bad of [
      'ftp://github.com/x/y/pull/1',
      'http://github.com/x/y/pull/1',
      'javascript:alert(1)',
      'https:/x',
    ])
      await expect(moveProposal(hub, ada, 'P-1', { to: 'pull-request', pullRequest: bad }), bad).rejects.toMatchObject({
        issues: [{ field: 'pullRequest', rule: expect.stringContaining('must be an https URL') }],
      });
    // a link given to a move that takes none is named, not dropped unseen
    await expect(
      moveProposal(hub, ada, 'P-1', { to: 'withdrawn', pullRequest: `https://github.com/${REPO}/pull/42` }),
    ).rejects.toMatchObject({
      issues: [{ field: 'pullRequest', rule: expect.stringContaining('takes no pull request link') }],
    });
    const after = await getProposal(hub, 'P-1');
    expect([after.stage, after.links.pullRequest ?? null, after.pullRequest]).toEqual(['refining', null, null]);
  });

  it('with a GitHub link the mirror holds: recorded with the move, shown with its state; kept when it moves back and on again', async () => {
    await mirror(42, 'open');
    const moved = await moveProposal(hub, ada, 'P-1', {
      to: 'pull-request',
      pullRequest: 'https://github.com/ModelContextProtocol-Community/working-groups/pull/42/files',
    });
    expect(moved.stage).toBe('pull-request');
    expect(moved.links.pullRequest).toBe(
      'https://github.com/ModelContextProtocol-Community/working-groups/pull/42/files',
    );
    expect(moved.pullRequest).toEqual({
      url: 'https://github.com/ModelContextProtocol-Community/working-groups/pull/42/files',
      github: { repo: REPO, number: 42 },
      mirrored: { state: 'open', proposal: null },
    });
    const row = await hub.store.db
      .selectFrom('events')
      .select('after')
      .where('kind', '=', 'proposal.stage-changed')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(String(row.after))).toMatchObject({
      stage: 'pull-request',
      pullRequest: 'https://github.com/ModelContextProtocol-Community/working-groups/pull/42/files',
    });
    // GitHub merges it: the page read after says so (the mirror's change drops the cached read)
    await getProposal(hub, 'P-1');
    await mirror(42, 'merged');
    expect((await getProposal(hub, 'P-1')).pullRequest?.mirrored).toEqual({ state: 'merged', proposal: null });

    // back to refining and on again: the link it has stands
    await moveProposal(hub, ada, 'P-1', { to: 'refining' });
    const again = await moveProposal(hub, ada, 'P-1', { to: 'pull-request' });
    expect(again.pullRequest?.github).toEqual({ repo: REPO, number: 42 });
  });

  it('names the proposal a mirrored pull request is mirrored as, and shows any other https link as it is', async () => {
    await createProposal(hub, ada, {
      title: 'Session affinity, the SEP',
      problem: 'Operators cannot tell which sessions need affinity when they scale out horizontally.',
      layer: 'working-group-artifact',
    });
    await mirror(43, 'open', 'proposal', (await proposalRow(hub.store.db, 'P-2')).id);
    const moved = await moveProposal(hub, ada, 'P-1', {
      to: 'pull-request',
      pullRequest: `https://github.com/${REPO}/pull/43`,
    });
    expect(moved.pullRequest?.mirrored).toEqual({ state: 'open', proposal: 'P-2' });

    await moveProposal(hub, ada, 'P-1', { to: 'refining' });
    const elsewhere = await moveProposal(hub, ada, 'P-1', {
      to: 'pull-request',
      pullRequest: 'https://gitlab.example.org/wg/guides/-/merge_requests/3',
    });
    expect(elsewhere.pullRequest).toEqual({
      url: 'https://gitlab.example.org/wg/guides/-/merge_requests/3',
      github: null,
      mirrored: null,
    });
  });
});
