import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ROOT } from '../support/process.ts';
import {
  openBrowser,
  screenshot,
  seriousViolations,
  startWebHub,
  type Browser,
  type WebHub,
} from '../support/browser.ts';
import { type GithubStandin, MCP_REPO, mcpRepository } from '../support/github-standin.ts';

let hub: WebHub;
let browser: Browser;
let standin: GithubStandin;
let dir: string;

beforeAll(async () => {
  standin = mcpRepository();
  for (const n of [...standin.pulls.keys()]) if (n !== 2207 && n !== 2575) standin.pulls.delete(n);
  await standin.start();
  // the default governance file, naming the stand-in's repository
  dir = mkdtempSync(path.join(tmpdir(), 'wghub-github-web-'));
  const governance = path.join(dir, 'governance.yaml');
  const yaml = readFileSync(path.join(ROOT, 'governance/default.yaml'), 'utf8');
  writeFileSync(governance, yaml.replace(/^ {2}repositories: \[\]$/m, `  repositories:\n    - name: ${MCP_REPO}`));
  hub = await startWebHub({
    env: {
      WGHUB_GOVERNANCE: governance,
      WGHUB_GITHUB_API_URL: standin.url,
      WGHUB_GITHUB_TOKEN: 'ghs_test_token_for_standin',
    },
  });
  browser = await openBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  await standin?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function signInAs(name: string) {
  const { page } = browser;
  await browser.context.clearCookies();
  await page.goto(`${hub.base}/sign-in`);
  await page.getByRole('button', { name: `Sign in as ${name}` }).click();
  await page.getByText('Signed in as').waitFor();
}

describe('the GitHub bridge page in Chromium', () => {
  test('a contributor is told who may see it; a core maintainer syncs now, and the mirrored SEP links to its pull request', async () => {
    const { page } = browser;
    await signInAs('Jonas Berg');
    const refused = await page.goto(`${hub.base}/github`);
    expect(refused?.status()).toBe(403);
    await page.getByText("Only a maintainer or above or a moderator may see the GitHub bridge's state").waitFor();

    await signInAs('Kai Tanaka');
    await page.goto(`${hub.base}/github`);
    await page.getByRole('heading', { name: 'GitHub bridge', level: 1 }).waitFor();
    const row = page.getByRole('row', { name: new RegExp(MCP_REPO) });
    expect(await row.textContent()).toContain('not synced yet');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: `Sync ${MCP_REPO} now` }).click();
    await page.getByText(`Sync queued for ${MCP_REPO}; the worker runs it shortly.`).waitFor();
    // the worker of `wghub serve` does the sync against the stand-in
    const deadline = Date.now() + 60_000;
    while (
      !(await row.textContent())?.includes('in sync (last run: 2 SEPs new, 0 updated; 6 comments new, 0 edited)')
    ) {
      if (Date.now() > deadline) throw new Error(`no sync after a minute:\n${await row.textContent()}`);
      await new Promise((r) => setTimeout(r, 500));
      await page.reload();
    }
    expect(await row.textContent()).toContain('2, 6 comments and reviews'); // 2 PRs: 4 comments, 2 reviews
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'github-bridge');

    await page.goto(`${hub.base}/proposals/SEP-2207`);
    const link = page.getByRole('link', { name: `on GitHub: ${MCP_REPO} #2207` });
    expect(await link.getAttribute('href')).toBe(`https://github.com/${MCP_REPO}/pull/2207`);
    expect(standin.drift).toEqual([]);
  });
});
