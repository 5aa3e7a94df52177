import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  focused,
  openBrowser,
  screenshot,
  seriousViolations,
  startWebHub,
  type Browser,
  type WebHub,
} from '../support/browser.ts';
import { runCli } from '../support/process.ts';

let hub: WebHub;
let browser: Browser;

beforeAll(async () => {
  hub = await startWebHub();
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

describe('demo sign-in in Chromium', () => {
  test('a visitor lands on the welcome page, signs in as a demo person, sees their home and signs out', async () => {
    const { page } = browser;
    await page.goto(hub.base + '/');
    expect(new URL(page.url()).pathname).toBe('/welcome');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'sign-in');

    await page.getByRole('button', { name: 'Sign in as Priya Nair' }).click();
    await page.getByText('Signed in as').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Priya Nair');
    const cookie = (await browser.context.cookies()).find((c) => c.name === 'wghub_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/welcome');
  });

  test('the skip link is the first thing the keyboard reaches and moves focus to the main content', async () => {
    const { page } = browser;
    await page.goto(hub.base + '/welcome');
    await page.keyboard.press('Tab');
    expect((await focused(page))?.text).toBe('Skip to main content');
    await page.keyboard.press('Enter');
    expect((await focused(page))?.id).toBe('main');
  });

  test("a newcomer picks a time zone from a list set to the browser's own zone, and the person made keeps it", async () => {
    const { page } = browser;
    await page.goto(hub.base + '/sign-in');
    const zone = page.getByLabel('Time zone');
    expect(await zone.evaluate((e) => e.tagName)).toBe('SELECT');
    // the browser runs in Pacific/Auckland, the server in UTC: the script chose the browser's zone
    expect(await zone.inputValue()).toBe('Pacific/Auckland');
    await page.getByLabel('Handle').fill('tane-w');
    await page.getByLabel('Name').fill('Tane Walker');
    await page.getByRole('button', { name: 'Join as a newcomer' }).click();
    await page.waitForURL('**/welcome');
    await page.goto(hub.base + '/people/tane-w');
    expect(await page.getByRole('main').textContent()).toContain('Pacific/Auckland');
    await page.getByRole('button', { name: 'Sign out' }).click();
  });

  test("a newcomer in India finds their zone chosen under today's name, though Chromium still calls it Asia/Calcutta", async () => {
    const india = await openBrowser({ timezoneId: 'Asia/Kolkata' });
    try {
      const { page } = india;
      await page.goto(hub.base + '/sign-in');
      expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe('Asia/Calcutta');
      // the list offers Asia/Kolkata only; the browser's old name used to leave it at UTC
      expect(await page.getByLabel('Time zone').inputValue()).toBe('Asia/Kolkata');
      // and a visitor's times are labelled with the name the lists use
      await page.goto(hub.base + '/log');
      expect(await page.locator('time[data-local]').first().textContent()).toContain('(Asia/Kolkata)');
    } finally {
      await india.close();
    }
  });
});

describe('sign-in on an empty hub, on a phone', () => {
  test("the command that adds the first person fits a phone's width, and a person is offered by their whole name", async () => {
    const empty = await startWebHub({ args: ['--no-demo'] });
    const phone = await openBrowser();
    try {
      const { page } = phone;
      await page.setViewportSize({ width: 360, height: 800 });
      await page.goto(empty.base + '/sign-in');
      const command = page.locator('pre', { hasText: 'wghub person add' });
      await command.waitFor();
      // the whole command shows, wrapped: nothing to scroll sideways to find its end
      expect(await command.evaluate((p) => p.scrollWidth <= p.clientWidth)).toBe(true);
      type Window = { innerWidth: number; document: { documentElement: { scrollWidth: number } } };
      expect(
        await page.evaluate(() => {
          const w = globalThis as unknown as Window;
          return w.document.documentElement.scrollWidth <= w.innerWidth;
        }),
      ).toBe(true);
      expect(await command.textContent()).toContain('--role lead-maintainer');
      await screenshot(page, 'sign-in-empty-phone');

      // whoever follows it literally is offered as "Your Name", never cut to the first word ("Sign in as Your")
      const added = await runCli(
        ['person', 'add', '--handle', 'you', '--name', 'Your Name', '--role', 'lead-maintainer'],
        {
          WGHUB_DATABASE_URL: empty.databaseUrl,
        },
      );
      expect(added.code).toBe(0);
      await page.reload();
      const button = page.getByRole('button', { name: 'Sign in as Your Name', exact: true });
      expect(await button.textContent()).toBe('Sign in as Your Name');
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await phone.close();
      await empty.stop();
    }
  });
});
