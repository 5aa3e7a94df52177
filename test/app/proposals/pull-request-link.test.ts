// The contribution route's pull request stage did not ask for the pull request: a proposal moved there
// with no way to find it. The move now needs its https link (given with the move, or already on the
// proposal), and the view recognises a GitHub pull request and what the hub's GitHub mirror holds of it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inTransaction, SYSTEM, type Actor } from '../../../src/app/core/hub.ts';
import { saveItem } from '../../../src/app/github/mirror.ts';
import { importSepText } from '../../../src/app/imports/seps.ts';
import {
  createProposal,
  getProposal,
  moveProposal,
  proposalRow,
  updateProposal,
} from '../../../src/app/proposals/proposals.ts';
import { githubPull } from '../../../src/domain/github/pull-link.ts';
import { writeJson } from '../../../src/store/schema.ts';
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

  it('a link with a user before its host is refused naming the field; one typed with a backslash or capitals is stored as browsers read it', async () => {
    const disguised = `https://github.com@evil.example/${REPO}/pull/42`;
    await expect(moveProposal(hub, ada, 'P-1', { to: 'pull-request', pullRequest: disguised })).rejects.toMatchObject({
      issues: [{ field: 'pullRequest', rule: expect.stringContaining('must name no user or password') }],
    });
    const { version } = await getProposal(hub, 'P-1');
    await expect(
      updateProposal(hub, ada, 'P-1', version, { links: { pullRequest: 'https://ada:secret@github.com/o/r/pull/1' } }),
    ).rejects.toMatchObject({
      issues: [{ field: 'links.pullRequest', rule: expect.stringContaining('must name no user or password') }],
    });
    expect((await getProposal(hub, 'P-1')).links.pullRequest ?? null).toBeNull();
    const moved = await moveProposal(hub, ada, 'P-1', {
      to: 'pull-request',
      pullRequest: `HTTPS://GitHub.com\\${REPO}/pull/42`,
    });
    expect(moved.links.pullRequest).toBe(`https://github.com/${REPO}/pull/42`);
    expect(moved.pullRequest?.github).toEqual({ repo: REPO, number: 42 });
  });

  it('a pull request link stored under an older rule (http) does not refuse an edit that leaves it as it is; changing it is checked', async () => {
    const old = `http://github.com/${REPO}/pull/42`;
    await hub.store.db
      .updateTable('proposals')
      .set({ links: writeJson({ pullRequest: old, tracker: null, discussion: null, forum: null }) })
      .where('number', '=', 1)
      .execute();
    hub.reads.invalidate(); // written past the use cases, as an older hub stored it
    const { version } = await getProposal(hub, 'P-1');
    // every link sent back as the form shows it, the title changed
    const edited = await updateProposal(hub, ada, 'P-1', version, {
      title: 'A guide to session affinity at scale',
      links: { pullRequest: old, tracker: null, discussion: null, forum: null },
    });
    expect([edited.title, edited.links.pullRequest]).toEqual(['A guide to session affinity at scale', old]);
    await expect(
      updateProposal(hub, ada, 'P-1', edited.version, { links: { pullRequest: `http://github.com/${REPO}/pull/43` } }),
    ).rejects.toMatchObject({ issues: [{ field: 'links.pullRequest', rule: expect.stringContaining('https') }] });
  });

  it('a SEP imported with an http pull request link stores its https address; one the rule refuses is left off, said why', async () => {
    const warnings: string[] = [];
    const sep = (n: number, pr: string) =>
      importSepText(
        hub,
        SYSTEM,
        `# SEP-${n}: Tiny\n\n- **Status**: Draft\n- **Type**: Process\n- **Created**: 2026-01-01\n- **Author(s)**: Ada (@ada)\n- **PR**: ${pr}\n`,
        `seps/${n}-tiny.md`,
        (w) => warnings.push(w),
      );
    await sep(77, `http://github.com/${REPO}/pull/77`);
    expect((await getProposal(hub, 'SEP-77')).links.pullRequest).toBe(`https://github.com/${REPO}/pull/77`);
    await sep(78, 'http://localhost/pull/78');
    expect((await getProposal(hub, 'SEP-78')).links.pullRequest).toBeNull();
    expect(warnings.filter((w) => w.includes('PR '))).toEqual([
      expect.stringContaining("seps/78-tiny.md: PR 'http://localhost/pull/78' is not kept as the pull request's link"),
    ]);
  });

  it("GitHub changing a pull request's state drops the cached page of the proposal naming it, and nothing of those that do not", async () => {
    await createProposal(hub, ada, {
      title: 'Another guide, unlinked',
      problem: 'Operators cannot tell which sessions need affinity when they scale out horizontally.',
      layer: 'working-group-artifact',
    });
    await moveProposal(hub, ada, 'P-1', { to: 'pull-request', pullRequest: `https://github.com/${REPO}/pull/42` });
    const read = async (ref: string) => {
      const { hits, misses } = hub.reads.counts;
      const view = await getProposal(hub, ref);
      return { view, cached: hub.reads.counts.hits > hits && hub.reads.counts.misses === misses };
    };
    await read('P-1');
    await read('P-2');
    expect([(await read('P-1')).cached, (await read('P-2')).cached]).toEqual([true, true]);
    // a first sync of pull requests no proposal names: nothing is dropped
    for (const n of [7, 8, 420]) await mirror(n, 'open');
    expect([(await read('P-1')).cached, (await read('P-2')).cached]).toEqual([true, true]);
    // the one P-1 names: P-1's page is read again (and shows it), P-2's stays
    await mirror(42, 'open');
    const p1 = await read('P-1');
    expect([p1.cached, p1.view.pullRequest?.mirrored?.state]).toEqual([false, 'open']);
    expect((await read('P-2')).cached).toBe(true);
    await mirror(42, 'merged');
    expect((await read('P-1')).view.pullRequest?.mirrored?.state).toBe('merged');
  });

  it('a link naming the repository by the name GitHub gives it now (renamed since) is matched with the mirror', async () => {
    await hub.store.db
      .insertInto('github_repos')
      .values({
        name: REPO,
        github_name: 'modelcontextprotocol/wg-archive',
        created_at: '2026-02-01T00:00:00Z',
      } as never)
      .execute();
    await mirror(42, 'open');
    const moved = await moveProposal(hub, ada, 'P-1', {
      to: 'pull-request',
      pullRequest: 'https://github.com/ModelContextProtocol/WG-Archive/pull/42',
    });
    expect(moved.pullRequest).toMatchObject({ github: { repo: REPO, number: 42 }, mirrored: { state: 'open' } });
  });
});
