import path from 'node:path';
import { verifyEvents } from '../../../src/store/events.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../../src/app/core/hub.ts';
import { codeownersOf } from '../../../src/app/github/owners.ts';
import { syncRepository } from '../../../src/app/github/sync.ts';
import { importSepDirectory } from '../../../src/app/imports/seps.ts';
import { listComments } from '../../../src/app/proposals/comments.ts';
import { getProposal, listProposals } from '../../../src/app/proposals/proposals.ts';
import { CORPUS } from '../../support/corpus.ts';
import { databases } from '../../support/databases.ts';
import { mirrorRepo, standinClient } from '../../support/github.ts';
import { type GithubStandin, MCP_REPO, mcpRepository } from '../../support/github-standin.ts';
import { openTestHub, type TestHub } from '../../support/hub.ts';

async function stored(hub: TestHub, ref: string) {
  // the mirror adds the link to the pull request, who it is assigned to and its state, and what it
  // holds of the pull request the SEP names (pullRequest.mirrored); everything else is what the file import gives
  const {
    createdAt: _c,
    updatedAt: _u,
    number: _n,
    github: _g,
    githubAssignees: _a,
    githubState: _s,
    relations,
    ...p
  } = await getProposal(hub, ref);
  // ids are given in a different order by construction
  return {
    ...p,
    pullRequest: p.pullRequest && { ...p.pullRequest, mirrored: null },
    relations: relations.map(({ id: _id, ...r }: { id: string }) => r),
  };
}

async function eventCount(hub: TestHub): Promise<number> {
  const r = await hub.store.db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

// a real backfill of 41 pull requests over loopback, twice: minutes on a loaded 2-core machine
describe.each(databases)('GitHub backfill on $name', { timeout: 180_000 }, (database) => {
  let hub: TestHub;
  let standin: GithubStandin;
  beforeEach(async () => {
    hub = await openTestHub(database);
    mirrorRepo(hub, MCP_REPO);
    standin = await mcpRepository().start();
  });
  afterEach(async () => {
    await hub?.close();
    await standin?.stop();
  });

  it('gives the same 41 SEPs as the file import, now with their PR threads; a second run changes nothing', async () => {
    const client = await standinClient(standin);
    const progress: number[] = [];
    const s = await syncRepository(hub, client, MCP_REPO, { onProgress: (p) => progress.push(p.number) });
    expect(s.seps).toEqual({ created: 41, updated: 0, unchanged: 0 });
    expect(s.pulls).toBe(41);
    expect(progress).toHaveLength(41);
    expect(s.comments.added).toBe(41 * 3);
    expect(standin.drift).toEqual([]);
    // the thread's events, appended in bulk, chain as one by one would: the record verifies
    expect((await verifyEvents(hub.store.db)).break).toBeNull();

    const files = await openTestHub(database);
    try {
      await importSepDirectory(files, SYSTEM, path.join(CORPUS, 'spec-repo/seps'));
      const refs = (await listProposals(files, { limit: 100 })).items.map((p) => p.ref).sort();
      expect(refs).toHaveLength(41);
      expect((await listProposals(hub, { limit: 100 })).items.map((p) => p.ref).sort()).toEqual(refs);
      for (const ref of refs) expect(await stored(hub, ref), ref).toEqual(await stored(files, ref));
    } finally {
      await files.close();
    }

    const thread = await listComments(hub, 'SEP-2207');
    expect(thread.map((c) => c.author)).toEqual(['pcarleton', expect.any(String), 'pcarleton']);
    expect(thread[2]!.body).toMatch(/^\*\*Approved\*\* \(GitHub review\)/);
    const link = await hub.store.db
      .selectFrom('github_items')
      .select('url')
      .where('kind', '=', 'pull')
      .where('github_id', '=', '2207')
      .executeTakeFirstOrThrow();
    expect(link.url).toBe(`https://github.com/${MCP_REPO}/pull/2207`);
    expect((await getProposal(hub, 'SEP-2207')).github).toBe(link.url);
    // team members and the MAINTAINERS file's people hold their role once they are people in the hub:
    // pcarleton is in the maintainers team but listed as a Core Maintainer, so the higher role holds
    const roleOf = async (login: string) =>
      (await hub.store.db.selectFrom('people').select('role').where('github', '=', login).executeTakeFirst())?.role;
    expect(await roleOf('pcarleton')).toBe('core-maintainer');
    expect(s.owners).toEqual({
      codeowners: expect.any(Number),
      maintainers: expect.any(Number),
      rolesRaised: expect.any(Number),
    });
    expect(s.owners!.maintainers).toBeGreaterThan(40);
    const emeritus = await hub.store.db
      .selectFrom('github_maintainers')
      .select(['section', 'role'])
      .where('login', '=', 'jspahrsummers')
      .executeTakeFirstOrThrow();
    expect(emeritus).toEqual({ section: 'Emeritus', role: null });
    // CODEOWNERS: a working group's charter is guarded by the core maintainers, its overview page by the maintainers
    expect(await codeownersOf(hub, MCP_REPO, 'docs/community/working-groups/hosting/charter.mdx')).toEqual([
      '@modelcontextprotocol/core-maintainers',
    ]);
    expect(await codeownersOf(hub, MCP_REPO, 'docs/community/working-groups/hosting/overview.mdx')).toEqual([
      '@modelcontextprotocol/maintainers',
    ]);

    const before = await eventCount(hub);
    const again = await syncRepository(hub, client, MCP_REPO);
    expect(again.pagesUnchanged).toBe(again.pages);
    expect(again.seps).toEqual({ created: 0, updated: 0, unchanged: 0 });
    expect(await eventCount(hub)).toBe(before + 1); // only the "synced" entry
    // one unchanged page each: the pull request list and the issue list
    expect(standin.requests.filter((r) => r.status === 304)).toHaveLength(2);
  });

  it('waits out rate limits and 5xx, and an interrupted run resumes at the page it stopped on', async () => {
    const client = await standinClient(standin, 2);
    standin.fail('rate-limit', 1, /\/pulls$/);
    standin.fail('secondary-rate-limit', 1, /\/files$/);
    standin.fail('502', 2, /\/comments$/);
    standin.fail('drop', 1, /\/reviews$/);
    // the connection keeps dropping on page 3 until the retries are used up
    standin.fail('drop', 3, /\/pulls\/(14|15|16|17)\d\d\/files$/);
    await expect(syncRepository(hub, client, MCP_REPO, { pageSize: 10 })).rejects.toThrow();
    const row = await hub.store.db.selectFrom('github_repos').selectAll().executeTakeFirstOrThrow();
    expect(JSON.parse(row.cursor!)).toEqual({ page: 2 });
    expect(row.last_error).toMatch(/run again to resume/);
    expect(row.last_error).not.toContain('ghs_test_token');
    const firstRun = standin.requests.length;

    const s = await syncRepository(hub, client, MCP_REPO, { pageSize: 10 });
    expect(s.resumedFromPage).toBe(2);
    const resumed = standin.requests.slice(firstRun);
    expect(resumed.some((r) => /\/pulls\?.*page=1\b/.test(r.url))).toBe(false);
    expect((await listProposals(hub, { limit: 100 })).items).toHaveLength(41);
    const comments = await hub.store.db
      .selectFrom('comments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(comments.n)).toBe(41 * 3);
    expect((await hub.store.db.selectFrom('github_repos').selectAll().executeTakeFirstOrThrow()).cursor).toBeNull();
  });
});
