// Sign-in through a real OpenID Connect provider (oidc-provider) on the loopback: the hub runs
// as its own process configured with the provider's issuer; Chromium goes through the provider's
// login and consent pages and comes back signed in.
import type { Server } from 'node:http';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  openBrowser,
  screenshot,
  seriousViolations,
  startWebHub,
  type Browser,
  type WebHub,
} from '../support/browser.ts';
import { freePort, runCli } from '../support/process.ts';

let hub: WebHub;
let browser: Browser;
let provider: Server;
let issuer: string;

const ACCOUNTS: Record<string, Record<string, string | boolean>> = {
  ada: { preferred_username: 'ada-l', name: 'Ada Lovelace', zoneinfo: 'Asia/Tokyo' },
  // someone else who picked the handle "priya" (and an unverified copy of her address) at the provider
  impostor: { preferred_username: 'priya', name: 'Not Priya', email: 'priya@example.org', email_verified: false },
  // Priya herself: the provider verified the address she has on record at the hub
  'priya-account': {
    preferred_username: 'pnair',
    name: 'Priya Nair',
    zoneinfo: 'Asia/Kolkata',
    email: 'Priya@Example.org',
    email_verified: true,
  },
  'imported-account': { preferred_username: 'someone', name: 'Claimant' },
};

beforeAll(async () => {
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  hub = await startWebHub({
    env: {
      WGHUB_OIDC_ISSUER: issuer,
      WGHUB_OIDC_CLIENT_ID: 'wghub',
      WGHUB_OIDC_CLIENT_SECRET: 'a-test-secret',
      WGHUB_OIDC_ALLOW_HTTP: '1',
    },
  });
  const op = new Provider(issuer, {
    clients: [
      {
        client_id: 'wghub',
        client_secret: 'a-test-secret',
        redirect_uris: [`${hub.base}/auth/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username', 'zoneinfo'],
      email: ['email', 'email_verified'],
    },
    findAccount: async (_ctx, id) => ({
      accountId: id,
      claims: async () => ({ sub: id, ...(ACCOUNTS[id] ?? { preferred_username: id, name: id }) }),
    }),
    cookies: { keys: ['a-test-cookie-key'] },
  });
  provider = op.listen(port, '127.0.0.1');
  // the demo's Priya has her address on record (operators set it; it is never shown)
  const { openStore } = await import('../../src/store/connect.ts');
  const store = openStore(hub.databaseUrl);
  await store.db.updateTable('people').set({ email: 'priya@example.org' }).where('handle', '=', 'priya').execute();
  await store.close();
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  await new Promise((r) => provider?.close(r));
});

async function signInAtProvider(account: string) {
  const { page } = browser;
  await page.goto(hub.base + '/sign-in');
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('link', { name: /Sign in with 127\.0\.0\.1/ }).click();
  await page.waitForURL((u) => u.href.startsWith(issuer));
  await page.locator('input[name=login]').fill(account);
  await page.locator('input[name=password]').fill('anything');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL((u) => u.href.startsWith(hub.base));
}

describe('OpenID Connect sign-in in Chromium', () => {
  test('a new account becomes a newcomer (handle, name and zone from the claims) and lands on the welcome page', async () => {
    await signInAtProvider('ada');
    const { page } = browser;
    expect(new URL(page.url()).pathname).toBe('/welcome');
    await page.getByText('Signed in as').waitFor();
    expect(await page.locator('header').textContent()).toContain('Ada Lovelace');
    await screenshot(page, 'oidc-newcomer-welcome');
    const person = await runCli(['person', 'show', 'ada-l', '--json'], { WGHUB_DATABASE_URL: hub.databaseUrl });
    expect(JSON.parse(person.stdout)).toMatchObject({
      handle: 'ada-l',
      name: 'Ada Lovelace',
      timeZone: 'Asia/Tokyo',
      role: 'contributor',
    });
    const cookie = (await browser.context.cookies(hub.base)).find((c) => c.name === 'wghub_session');
    expect(cookie?.httpOnly).toBe(true);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).waitFor();
  });

  test('an account that merely claims an existing handle becomes a new person, never that person', async () => {
    await browser.context.clearCookies();
    await signInAtProvider('impostor');
    const { page } = browser;
    expect(new URL(page.url()).pathname).toBe('/welcome');
    const header = await page.locator('header').textContent();
    expect(header).toContain('Not Priya');
    expect(header).not.toContain('Priya Nair');
    const impostor = await runCli(['person', 'show', 'priya-2', '--json'], { WGHUB_DATABASE_URL: hub.databaseUrl });
    expect(JSON.parse(impostor.stdout)).toMatchObject({ handle: 'priya-2', role: 'contributor' });
    await page.getByRole('button', { name: 'Sign out' }).click();
  });

  test('an account whose provider verified the address a person has on record signs in as them, logged', async () => {
    await browser.context.clearCookies();
    await signInAtProvider('priya-account');
    const { page } = browser;
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await page.locator('header').textContent()).toContain('Priya Nair');
    const log = await runCli(['log', 'tail', '-n', '5', '--json'], { WGHUB_DATABASE_URL: hub.databaseUrl });
    expect(log.stdout).toContain('person.identity-linked');
    expect(log.stdout).toContain('verified-email');
    await page.getByRole('button', { name: 'Sign out' }).click();
  });

  test('an imported person claims their record with a one-time link a moderator issued', async () => {
    await browser.context.clearCookies();
    const env = { WGHUB_DATABASE_URL: hub.databaseUrl };
    expect((await runCli(['person', 'add', '--handle', 'sam-imported', '--name', 'Sam Imported'], env)).code).toBe(0);
    const issued = await runCli(['person', 'claim', 'sam-imported', '--json'], env);
    const { path: claimPath } = JSON.parse(issued.stdout) as { path: string };
    const { page } = browser;
    await page.goto(hub.base + claimPath);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Claim your record');
    await page.getByRole('link', { name: 'Sign in to claim it' }).click();
    await page.waitForURL((u) => u.href.startsWith(issuer));
    await page.locator('input[name=login]').fill('imported-account');
    await page.locator('input[name=password]').fill('anything');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((u) => u.href.startsWith(hub.base));
    expect(await page.locator('header').textContent()).toContain('Sam Imported');
    await page.getByRole('button', { name: 'Sign out' }).click();
    // the link works once
    await page.goto(hub.base + claimPath);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('This claim link is not valid');
  });

  test('a tampered sign-in cookie is refused without an error', async () => {
    await browser.context.clearCookies();
    await browser.context.addCookies([{ name: 'wghub_oidc', value: 'not-base64-json', url: `${hub.base}/auth` }]);
    const res = await browser.page.goto(`${hub.base}/auth/callback?code=x&state=y`);
    expect(res?.status()).toBe(400);
    expect(await browser.page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign-in failed');
  });

  test('a callback that was not started here is refused without signing anyone in', async () => {
    await browser.context.clearCookies();
    const { page } = browser;
    const res = await page.goto(`${hub.base}/auth/callback?code=forged&state=forged`);
    expect(res?.status()).toBe(400);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign-in failed');
    expect(await page.locator('header').textContent()).not.toContain('Signed in as');
  });
});
