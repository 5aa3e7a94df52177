// A hub set up to mirror the stand-in: the governance file's github section names its repository,
// and the client talks to the stand-in with short waits.
import type { GithubClient } from '../../src/app/github/client.ts';
import { githubClient } from '../../src/app/github/client.ts';
import type { GithubConfig } from '../../src/app/github/config.ts';
import { secret } from '../../src/app/github/config.ts';
import type { GithubStandin } from './github-standin.ts';
import type { TestHub } from './hub.ts';

export const TEST_WEBHOOK_SECRET = 'test-webhook-secret-not-real';

export function mirrorRepo(hub: TestHub, repo: string, writeBack = false): void {
  hub.governance = structuredClone(hub.governance);
  hub.governance.github!.repositories = [{ name: repo, writeBack, issues: true }];
}

export function standinConfig(standin: GithubStandin): GithubConfig {
  return {
    apiUrl: standin.url,
    auth: { kind: 'token', token: secret('ghs_test_token_for_standin') },
    webhookSecret: secret(TEST_WEBHOOK_SECRET),
    publicUrl: 'https://hub.example',
    // the stand-in sets no limits: GitHub's second between writes would only make tests wait
    writeSpacingMs: 0,
  };
}

export function standinClient(standin: GithubStandin, retries = 4): Promise<GithubClient> {
  return githubClient(standinConfig(standin), standin.repo, { retryAfterBaseValue: 5, retries });
}
