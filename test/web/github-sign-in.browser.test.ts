// "Sign in with GitHub" clicked through in Chromium: a `wghub serve` process configured with the
// GitHub App's OAuth client and the GitHub stand-in on loopback as its GitHub (the mirror already
// brought in a pull request with a comment by someone the hub has no account for); the browser
// goes to the stand-in's authorize page, authorises, and comes back signed in as that person.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  openBrowser,
  screenshot,
  seriousViolations,
  startWebHub,
  type Browser,
  type WebHub,
} from '../support/browser.ts';
import { commentOnGithub, type GithubStandin, MCP_REPO, mcpRepository } from '../support/github-standin.ts';
import { ROOT, runCli } from '../support/process.ts';

const CLIENT_ID = 'Iv23liWghubBrowserTest';
const CLIENT_SECRET = 'browser-test-client-secret-not-real';

let hub: WebHub;
let browser: Browser;
let standin: GithubStandin;
let dir: string;

beforeAll(async () => {
  standin = mcpRepository();
  for (const n of [...standin.pulls.keys()]) if (n !== 2207) standin.pulls.delete(n);
  commentOnGithub(standin, 2207, 'mira-codes', 'I tried this in the Go SDK; the cancellation path needs a test.');
  standin.profiles.set('mira-codes', { name: 'Mira Okafor', company: '@AcmeCorp' });
  await standin.start();
  standin.registerOAuthClient(CLIENT_ID, CLIENT_SECRET);
  dir = mkdtempSync(path.join(tmpdir(), 'wghub-github-sign-in-'));
  const governance = path.join(dir, 'governance.yaml');
  const yaml = readFileSync(path.join(ROOT, 'governance/default.yaml'), 'utf8');
  writeFileSync(governance, yaml.replace(/^ {2}repositories: \[\]$/m, `  repositories:\n    - name: ${MCP_REPO}`));
  const env = {
    WGHUB_GOVERNANCE: governance,
    WGHUB_GITHUB_API_URL: standin.url,
    WGHUB_GITHUB_TOKEN: 'ghs_test_token_for_standin',
    WGHUB_GITHUB_CLIENT_ID: CLIENT_ID,
    WGHUB_GITHUB_CLIENT_SECRET: CLIENT_SECRET,
  };
  hub = await startWebHub({ env, before: [['github', 'sync', MCP_REPO]] });
  browser = await openBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  await standin?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function toGithub() {
  const { page } = browser;
  await browser.context.clearCookies();
  await page.goto(`${hub.base}/sign-in`);
  expect(await seriousViolations(page)).toEqual([]);
  // GitHub is the only way in: no demo people to pick
  expect(await page.getByRole('button', { name: /^Sign in as/ }).count()).toBe(0);
  await page.getByRole('link', { name: 'Sign in with GitHub' }).click();
  await page.waitForURL((u) => u.href.startsWith(`${standin.url}/login/oauth/authorize`));
  return page;
}

describe('sign-in with GitHub in Chromium', () => {
  test('the person the mirror made from a GitHub login signs in as themselves and finds their comment theirs', async () => {
    const page = await toGithub();
    await page.getByLabel('Signed in to GitHub as').fill('mira-codes');
    await page.getByRole('button', { name: 'Authorize wghub' }).click();
    await page.waitForURL((u) => u.href.startsWith(hub.base));
    // not yet agreed to the Code of Conduct: the welcome page walks them through it
    expect(new URL(page.url()).pathname).toBe('/welcome');
    await page.getByText('Signed in as').waitFor();
    expect(await page.locator('header').textContent()).toContain('mira-codes');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'github-sign-in-welcome');

    const mirrored = JSON.parse(
      (await runCli(['person', 'show', 'mira-codes', '--json'], { WGHUB_DATABASE_URL: hub.databaseUrl })).stdout,
    );
    // GitHub's "company" is not an affiliation: that is the hub's own record
    expect(mirrored).toMatchObject({ handle: 'mira-codes', github: 'mira-codes', affiliations: [] });
    await page.goto(`${hub.base}/proposals/SEP-2207`);
    const comment = page.locator('article, li').filter({ hasText: 'I tried this in the Go SDK' }).last();
    await comment.waitFor();
    expect(
      await comment
        .getByRole('link', { name: /mira-codes/ })
        .first()
        .getAttribute('href'),
    ).toBe('/people/mira-codes');
    const log = await runCli(['log', 'tail', '-n', '5', '--json'], { WGHUB_DATABASE_URL: hub.databaseUrl });
    expect(log.stdout).toContain('github-login');
    expect(log.stdout).not.toContain(CLIENT_SECRET);
    await page.getByRole('button', { name: 'Sign out' }).click();
  });

  test('cancelling on GitHub comes back to a page that says so, signed out', async () => {
    const page = await toGithub();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL((u) => u.href.startsWith(hub.base));
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign-in failed');
    await page.getByText('You did not authorise this hub on GitHub').waitFor();
    expect(await page.locator('header').textContent()).not.toContain('Signed in as');
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('the server says how people sign in, and its log never holds the client secret', () => {
    const out = hub.running.output();
    expect(out).toContain(`sign-in   GitHub (client ${CLIENT_ID})`);
    expect(out).not.toContain(CLIENT_SECRET);
  });
});
