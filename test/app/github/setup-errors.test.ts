// What an operator setting up the bridge is told when GitHub cannot be used as configured: each
// message names the setting to check (or when to run again), as `wghub github sync`, the status's
// last error and the sync job's failure show it. Against the stand-in on loopback.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubClient } from '../../../src/app/github/client.ts';
import { describeFailure } from '../../../src/app/github/sync.ts';
import { standinConfig } from '../../support/github.ts';
import { type GithubStandin, MCP_REPO, mcpRepository } from '../../support/github-standin.ts';

let standin: GithubStandin;
beforeAll(async () => {
  standin = await mcpRepository().start();
});
afterAll(() => standin?.stop());

const listPulls = async (apiUrl: string) => {
  const client = await githubClient({ ...standinConfig(standin), apiUrl }, MCP_REPO, {
    retries: 0,
    rateLimitRetries: 0,
  });
  return client
    .request('GET /repos/{owner}/{repo}/pulls', { owner: 'modelcontextprotocol', repo: 'modelcontextprotocol' })
    .then(() => null, describeFailure);
};

describe('setting up the GitHub bridge', () => {
  it('an API address that does not answer is named with the variable that sets it', async () => {
    // a port nobody listens on: taken, then freed
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const said = await listPulls(`http://127.0.0.1:${port}`);
    expect(said).toMatch(
      new RegExp(
        `^could not reach GitHub's API at http://127\\.0\\.0\\.1:${port} \\(.*ECONNREFUSED.*\\) during GET /repos/${MCP_REPO}/pulls: check WGHUB_GITHUB_API_URL`,
      ),
    );
  });

  it('a permission the App lacks is not called a rate limit', async () => {
    standin.fail('forbidden', 1, /\/pulls$/);
    expect(await listPulls(standin.url)).toBe(
      `GitHub refused GET /repos/${MCP_REPO}/pulls (403 Resource not accessible by integration): the token or the GitHub App lacks a permission the bridge needs (docs/github.md, "Create the GitHub App", lists them)`,
    );
  });

  it('a spent rate limit says until when', async () => {
    standin.fail('rate-limit', 1, /\/pulls$/);
    expect(await listPulls(standin.url)).toMatch(
      new RegExp(
        `^GitHub refused GET /repos/${MCP_REPO}/pulls \\(403, rate limited until \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\); run again later to resume$`,
      ),
    );
  });

  it('a repository these credentials cannot see is named, with what to check', async () => {
    expect(await listPulls(`${standin.url}/api/v3`)).toBe(
      `GitHub shows no repository ${MCP_REPO} to these credentials (404 to GET /api/v3/repos/${MCP_REPO}/pulls): check its name in github.repositories, that the token or the GitHub App can read it (a private repository needs one that can), and WGHUB_GITHUB_API_URL (${standin.url})`,
    );
  });
});
