// `wghub github reconcile` and `status` as an operator runs them, against the GitHub stand-in on
// loopback: the reconcile mirrors the repository, a second one finds nothing new, the status
// says what was mirrored, and no credential is ever printed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GithubStandin, MCP_REPO, mcpRepository, type StandinPull } from '../support/github-standin.ts';
import { ROOT, runCli, startHub, stop } from '../support/process.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'wghub-github-cli-'));
let standin: GithubStandin;
let env: Record<string, string>;
/** SEP-2596's pull request, opened on GitHub after the first reconcile. */
let later: StandinPull;
const TOKEN = 'ghs_cli_test_token_for_standin';

beforeAll(async () => {
  standin = mcpRepository();
  later = standin.pulls.get(2596)!;
  for (const n of [...standin.pulls.keys()]) if (n !== 2207 && n !== 2575) standin.pulls.delete(n);
  await standin.start();
  const governance = path.join(dir, 'governance.yaml');
  const yaml = readFileSync(path.join(ROOT, 'governance/default.yaml'), 'utf8');
  writeFileSync(governance, yaml.replace(/^ {2}repositories: \[\]$/m, `  repositories:\n    - name: ${MCP_REPO}`));
  env = {
    WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'hub.sqlite')}`,
    WGHUB_GOVERNANCE: governance,
    WGHUB_GITHUB_API_URL: standin.url,
    WGHUB_GITHUB_TOKEN: TOKEN,
  };
});
afterAll(async () => {
  await standin?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('wghub github', () => {
  it('reconcile mirrors the repository, a second reconcile finds nothing new, and status says so', {
    timeout: 120_000,
  }, async () => {
    const first = await runCli(['github', 'reconcile'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(
      `${MCP_REPO}: 2 pull requests changed since the last sync (0 of 1 list pages unchanged); comments 6 new, 0 edited; 0 write-back checks queued\n`,
    );
    const second = await runCli(['github', 'reconcile', MCP_REPO], env);
    expect(second.stdout).toContain(
      `${MCP_REPO}: 0 pull requests changed since the last sync (1 of 1 list pages unchanged); comments 0 new`,
    );
    const status = await runCli(['--json', 'github', 'status'], env);
    const s = JSON.parse(status.stdout);
    expect(s.repositories).toMatchObject([{ name: MCP_REPO, mirrored: 8, lastError: null }]);
    const unknown = await runCli(['github', 'reconcile', 'someone/else'], env);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain(
      `someone/else is not one of the governance file's github.repositories (${MCP_REPO})`,
    );
    for (const out of [first, second, status, unknown]) expect(out.stdout + out.stderr).not.toContain(TOKEN);
  });

  it('sync mirrors what is new and prints its summary; replay names a delivery that never came', {
    timeout: 120_000,
  }, async () => {
    standin.pulls.set(2596, later);
    const sync = await runCli(['github', 'sync', MCP_REPO], env);
    expect(sync.stderr).toBe('');
    expect(sync.code).toBe(0);
    const lines = sync.stdout.split('\n');
    expect(lines[0]).toBe(`${MCP_REPO}: 3 pull requests on 1 pages (0 pages unchanged since the last sync)`);
    expect(lines[1]).toBe('SEPs: 1 new, 0 updated, 0 unchanged');
    expect(lines[2]).toBe('comments and reviews: 3 new, 0 edited, 0 unchanged');
    const status = JSON.parse((await runCli(['--json', 'github', 'status'], env)).stdout);
    expect(status.repositories[0].pulls.count).toBe(3);
    // the mirrored proposal names its pull request, as its page does
    const shown = await runCli(['proposal', 'show', 'SEP-2596'], env);
    expect(shown.stdout).toContain(`\n  on GitHub: https://github.com/${MCP_REPO}/pull/2596`);
    const replay = await runCli(['github', 'replay', 'no-such-delivery'], env);
    expect(replay.code).not.toBe(0);
    expect(replay.stderr).toContain("no delivery 'no-such-delivery' was received");
    for (const out of [sync, replay]) expect(out.stdout + out.stderr).not.toContain(TOKEN);
  });

  it('serve says what the bridge mirrors, as whom, and that deliveries are refused without the webhook secret', {
    timeout: 120_000,
  }, async () => {
    const hub = await startHub({ ...env, WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'serve.sqlite')}` }, [
      '--no-demo',
    ]);
    try {
      await expect.poll(() => hub.output()).toContain('  jobs      ');
      expect(hub.output()).toContain(
        `  github    ${MCP_REPO} through ${standin.url} with WGHUB_GITHUB_TOKEN; deliveries refused (WGHUB_GITHUB_WEBHOOK_SECRET unset): only the reconcile mirrors; reconcile every 60 minutes`,
      );
      expect(hub.output()).not.toContain(TOKEN);
    } finally {
      await stop(hub);
    }
  });

  it('half a GitHub App is a setting to correct: exit 78 naming it, no hint to debug wghub (review)', {
    timeout: 60_000,
  }, async () => {
    const r = await runCli(['github', 'reconcile'], { ...env, WGHUB_GITHUB_APP_ID: '123456', WGHUB_DEBUG: '' });
    expect(r.code, r.stderr).toBe(78);
    expect(r.stderr).toContain("wghub: WGHUB_GITHUB_APP_ID is set without the App's private key");
    expect(r.stderr).toContain('each setting is in docs/configuration.md');
    expect(r.stderr).not.toContain('WGHUB_DEBUG');
  });

  it('a hub whose governance file names no repository starts, whatever GitHub settings are left in its environment (review)', {
    timeout: 120_000,
  }, async () => {
    // half an App (the id without its key) stops only a hub whose bridge is on
    const hub = await startHub(
      { WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'off.sqlite')}`, WGHUB_GITHUB_APP_ID: '123456' },
      ['--no-demo'],
    );
    try {
      await expect.poll(() => hub.output()).toContain('  jobs      ');
      expect(hub.output()).toContain("  github    off (the governance file's github.repositories names none)");
      expect((await fetch(`${hub.base}/readyz`)).status).toBe(200);
    } finally {
      await stop(hub);
    }
  });

  it('a sync GitHub refuses names what to check, and status says when that run failed', {
    timeout: 120_000,
  }, async () => {
    // without credentials it mirrors a public repository, and says how little that allows
    const anonymous = await runCli(['github', 'reconcile'], { ...env, WGHUB_GITHUB_TOKEN: '' });
    expect(anonymous.code).toBe(0);
    expect(anonymous.stderr).toBe(
      'warning: no GitHub credentials (WGHUB_GITHUB_TOKEN, or WGHUB_GITHUB_APP_ID with its private key): public repositories only, at 60 requests an hour\n',
    );
    // an operator who gave the API address with a path GitHub.com does not have
    const sync = await runCli(['github', 'sync', MCP_REPO], { ...env, WGHUB_GITHUB_API_URL: `${standin.url}/api/v3` });
    expect(sync.code).not.toBe(0);
    expect(sync.stderr).toContain(
      `wghub: GitHub shows no repository ${MCP_REPO} to these credentials (404 to GET /api/v3/repos/${MCP_REPO}/pulls): check its name in github.repositories, that the token or the GitHub App can read it (a private repository needs one that can), and WGHUB_GITHUB_API_URL (${standin.url}); what was mirrored is kept`,
    );
    const status = await runCli(['github', 'status'], env);
    expect(status.stdout).toMatch(
      /\n {2}last error \(the run at \d{4}-\d\d-\d\dT[\d:.]+Z\): GitHub shows no repository /,
    );
    for (const out of [sync, status]) expect(out.stdout + out.stderr).not.toContain(TOKEN);
  });
});
