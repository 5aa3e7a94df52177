import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { githubClient } from '../../../src/app/github/client.ts';
import { githubConfigFromEnv } from '../../../src/app/github/config.ts';
import { syncRepository } from '../../../src/app/github/sync.ts';
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
    await expect(githubClient(env(other), MCP_REPO, { retries: 0 })).rejects.toMatchObject({ status: 401 });
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
    expect(row.last_error).toMatch(
      /^GitHub answered 401 to GET \/repos\/modelcontextprotocol\/modelcontextprotocol\/pulls/,
    );
    expect(row.last_error).not.toContain('ghs_forged');
    expect(await hub.store.db.selectFrom('proposals').select('id').execute()).toEqual([]);
  });
});
