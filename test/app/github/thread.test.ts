// `wghub serve` and `wghub worker` do the GitHub bridge's queued work where it cannot hold up the
// requests they answer: on PostgreSQL in a thread of their own (src/cli/github-thread.ts), on
// SQLite on the serving thread in small slices. Either way a "sync now" queued while the hub runs
// is taken up and mirrors the repository, and stopping the hub stops that work cleanly.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/app/core/logger.ts';
import { requestSync } from '../../../src/app/github/operate.ts';
import { getProposal } from '../../../src/app/proposals/proposals.ts';
import { wantsGithubThread } from '../../../src/cli/github-thread.ts';
import { startBackground } from '../../../src/cli/serve.ts';
import { databases } from '../../support/databases.ts';
import { mirrorRepo } from '../../support/github.ts';
import { type GithubStandin, MCP_REPO, mcpRepository } from '../../support/github-standin.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';
import { setEnv } from '../../support/env.ts';

describe.each(databases)('the GitHub work of a running hub on $name', { timeout: 120_000 }, (database) => {
  let hub: TestHub;
  let standin: GithubStandin;
  // put back by name after each test: later files in this worker run in the same process
  let restoreEnv = () => {};
  beforeEach(async () => {
    hub = await openTestHub(database);
    mirrorRepo(hub, MCP_REPO);
    standin = mcpRepository();
    for (const n of [...standin.pulls.keys()]) if (n !== 2207) standin.pulls.delete(n);
    await standin.start();
    restoreEnv = setEnv({ WGHUB_GITHUB_API_URL: standin.url, WGHUB_GITHUB_TOKEN: 'ghs_thread_test_token' });
  });
  afterEach(async () => {
    restoreEnv();
    await hub?.close();
    await standin?.stop();
  });

  it('a sync asked for while the hub runs mirrors the repository (in the GitHub thread on PostgreSQL)', async () => {
    expect(wantsGithubThread(hub)).toBe(database.name === 'postgres');
    const kai = await person(hub, 'kai', { role: 'core-maintainer' });
    const background = startBackground(hub, silentLogger);
    try {
      await requestSync(hub, kai, { repo: MCP_REPO });
      background.wake();
      for (let i = 0; i < 600; i++) {
        const done = await hub.store.db
          .selectFrom('github_repos')
          .select('sync_finished_at')
          .where('name', '=', MCP_REPO)
          .executeTakeFirst();
        if (done?.sync_finished_at) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await background.stop();
    }
    const sep = await getProposal(hub, 'SEP-2207');
    expect(sep.github).toBe(`https://github.com/${MCP_REPO}/pull/2207`);
    const jobs = await hub.store.db
      .selectFrom('jobs')
      .select(['done_at', 'failed_at'])
      .where('queue', '=', 'github.sync')
      .execute();
    expect(jobs.every((j) => j.done_at && !j.failed_at)).toBe(true);
  });
});
