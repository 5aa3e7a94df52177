import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inTransaction } from '../../../src/app/core/hub.ts';
import { enqueue } from '../../../src/app/core/jobs.ts';
import { Worker } from '../../../src/app/core/worker.ts';
import { githubClient } from '../../../src/app/github/client.ts';
import { SYNC_QUEUE } from '../../../src/app/github/operate.ts';
import { applyRepositoryEvent } from '../../../src/app/github/repos.ts';
import { githubStatus } from '../../../src/app/github/status.ts';
import { githubJobHandlers } from '../../../src/cli/job-handlers.ts';
import { githubConfigFromEnv } from '../../../src/app/github/config.ts';
import { describeFailure, syncRepository } from '../../../src/app/github/sync.ts';
import { databases } from '../../support/databases.ts';
import { mirrorRepo } from '../../support/github.ts';
import { type GithubStandin, MCP_REPO, mcpRepository } from '../../support/github-standin.ts';
import { openTestHub, type TestHub } from '../../support/hub.ts';

// Connecting as a GitHub App: the operator gives the App's id and private key in the environment;
// the bridge finds the App's installation on the repository (a JWT signed with the key), takes an
// installation token, and mirrors with it. The stand-in checks each step as GitHub does.
const pem = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });

describe.each(databases)('connecting a GitHub App on $name', { timeout: 120_000 }, (database) => {
  let hub: TestHub;
  let standin: GithubStandin;
  const keys = pem();
  beforeEach(async () => {
    hub = await openTestHub(database);
    mirrorRepo(hub, MCP_REPO);
    standin = mcpRepository();
    for (const n of [...standin.pulls.keys()]) if (n !== 2207) standin.pulls.delete(n);
    await standin.start();
    standin.requireApp('123456', keys.publicKey);
  });
  afterEach(async () => {
    await hub?.close();
    await standin?.stop();
  });

  const env = (privateKey: string) =>
    githubConfigFromEnv({
      WGHUB_GITHUB_API_URL: standin.url,
      WGHUB_GITHUB_APP_ID: '123456',
      WGHUB_GITHUB_PRIVATE_KEY: privateKey,
    });

  it('mirrors through the installation found on the repository, with an installation token', async () => {
    const config = env(keys.privateKey);
    expect(config.auth.kind).toBe('app');
    // the key never shows when the configuration is printed or serialised
    expect(JSON.stringify(config)).not.toContain('PRIVATE KEY');
    const s = await syncRepository(hub, await githubClient(config, MCP_REPO, { retries: 0 }), MCP_REPO);
    expect(s.seps.created).toBe(1);
    expect(s.comments.added).toBe(3);
    const asked = standin.requests.map((r) => `${r.method} ${r.url.split('?')[0]} ${r.status}`);
    expect(asked.slice(0, 2)).toEqual([
      `GET /repos/${MCP_REPO}/installation 200`,
      'POST /app/installations/4242/access_tokens 201',
    ]);
    expect(asked.filter((a) => a.endsWith(' 401'))).toEqual([]);
  });

  it('a key that is not the App’s is refused by GitHub; the sync says so and stores no secret', async () => {
    const other = pem().privateKey;
    const refused = await githubClient(env(other), MCP_REPO, { retries: 0 }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 401 });
    expect(describeFailure(refused)).toBe(
      `GitHub refused the GitHub App's credentials (401 Bad credentials to GET /repos/${MCP_REPO}/installation): check WGHUB_GITHUB_APP_ID and the App's private key (WGHUB_GITHUB_PRIVATE_KEY or WGHUB_GITHUB_PRIVATE_KEY_FILE)`,
    );
    // a token that is not one GitHub issued gets nowhere either
    const forged = githubConfigFromEnv({ WGHUB_GITHUB_API_URL: standin.url, WGHUB_GITHUB_TOKEN: 'ghs_forged' });
    await expect(
      syncRepository(hub, await githubClient(forged, MCP_REPO, { retries: 0 }), MCP_REPO),
    ).rejects.toMatchObject({ status: 401 });
    const row = await hub.store.db
      .selectFrom('github_repos')
      .select('last_error')
      .where('name', '=', MCP_REPO)
      .executeTakeFirstOrThrow();
    // the operator is told which setting to check, not only GitHub's "Bad credentials"
    expect(row.last_error).toBe(
      `GitHub refused the credentials (401 Bad credentials to GET /repos/${MCP_REPO}/pulls): check WGHUB_GITHUB_TOKEN, or WGHUB_GITHUB_APP_ID and the App's private key`,
    );
    expect(row.last_error).not.toContain('ghs_forged');
    expect(await hub.store.db.selectFrom('proposals').select('id').execute()).toEqual([]);
  });

  it("the worker's reconcile with a refused key says so on the status, not only in the failed job (review)", async () => {
    const failed: string[] = [];
    const worker = new Worker(hub, githubJobHandlers(env(pem().privateKey)), {
      onError: (_job, e) => failed.push(String(e)),
    });
    await enqueue(hub.store.db, hub, { queue: SYNC_QUEUE, payload: { repo: MCP_REPO }, maxAttempts: 1 });
    await worker.drain();
    const status = await githubStatus(hub);
    expect(status.repositories.find((r) => r.name === MCP_REPO)?.lastError).toMatch(
      /^GitHub refused the GitHub App's credentials \(401 Bad credentials to GET \/repos\/[^)]+\/installation\): check WGHUB_GITHUB_APP_ID/,
    );
    expect(failed.length).toBeGreaterThan(0);
  });

  it('a repository transferred to another owner since it was mirrored: the installation is looked up under its owner now', async () => {
    const config = env(keys.privateKey);
    await syncRepository(hub, await githubClient(config, MCP_REPO, { retries: 0, store: hub.store }), MCP_REPO);
    // GitHub moved it to another organisation (where the App is installed), and said so in a delivery
    const moved = 'mcp-foundation/modelcontextprotocol';
    await inTransaction(hub, (trx) =>
      applyRepositoryEvent(trx, hub, MCP_REPO, 'transferred', { id: 1_296_269, full_name: moved }),
    );
    standin.renamedTo = moved;
    standin.requests.length = 0;
    const failed: string[] = [];
    const worker = new Worker(hub, githubJobHandlers(config), { onError: (_job, e) => failed.push(String(e)) });
    await enqueue(hub.store.db, hub, { queue: SYNC_QUEUE, payload: { repo: MCP_REPO }, maxAttempts: 1 });
    await worker.drain();
    expect(failed).toEqual([]);
    const asked = standin.requests.map((r) => `${r.method} ${r.url.split('?')[0]} ${r.status}`);
    expect(asked.slice(0, 2)).toEqual([
      `GET /repos/${moved}/installation 200`,
      'POST /app/installations/4242/access_tokens 201',
    ]);
    const status = await githubStatus(hub);
    expect(status.repositories.find((r) => r.name === MCP_REPO)).toMatchObject({
      lastError: null,
      nameOnGithub: moved,
    });
  });

  it('a repository the App is not installed on is named, with where to install it', async () => {
    const refused = await githubClient(env(keys.privateKey), 'modelcontextprotocol/elsewhere', { retries: 0 }).catch(
      (e: unknown) => e,
    );
    expect(describeFailure(refused)).toBe(
      "the GitHub App is not installed on modelcontextprotocol/elsewhere (404 to GET /repos/modelcontextprotocol/elsewhere/installation): install it on the repository (the organisation's settings → GitHub Apps → Configure → Repository access), or take the repository out of github.repositories",
    );
  });
});

describe('the GitHub App in the environment', () => {
  it('an App id without its key, a key without the id, or a key file that is not there is named, not mirrored anonymously', () => {
    expect(() => githubConfigFromEnv({ WGHUB_GITHUB_APP_ID: '123456', WGHUB_GITHUB_TOKEN: 'ghs_x' })).toThrow(
      "WGHUB_GITHUB_APP_ID is set without the App's private key: set WGHUB_GITHUB_PRIVATE_KEY (the PEM) or WGHUB_GITHUB_PRIVATE_KEY_FILE (its path)",
    );
    expect(() => githubConfigFromEnv({ WGHUB_GITHUB_PRIVATE_KEY: pem().privateKey })).toThrow(
      "the GitHub App's private key is set without WGHUB_GITHUB_APP_ID",
    );
    expect(() =>
      githubConfigFromEnv({ WGHUB_GITHUB_APP_ID: '123456', WGHUB_GITHUB_PRIVATE_KEY_FILE: '/nonexistent/app.pem' }),
    ).toThrow('WGHUB_GITHUB_PRIVATE_KEY_FILE cannot be read (ENOENT: /nonexistent/app.pem)');
  });
});
