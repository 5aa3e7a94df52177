// "Since your last visit" across devices, in Chromium on the demo community, on a test clock
// (WGHUB_TEST_CLOCK_FILE). Priya looks at her home on her laptop, then is away two weeks while Sam
// opens a decision of Hosting that is adopted without her. Back, she signs in on the laptop from a mail's
// link to a decision page, then picks up her phone and opens her home. Found: "your last visit" was when
// her previous session started, the laptop's a few minutes before, so the phone's home said nothing of
// what had been decided while she was away. It is now when she last looked at her home, on any device
// (app/home/last-visit.ts): the phone lists it, the laptop's home minutes later still does (one visit),
// and once she marks it seen on the laptop, the phone's home no longer does.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import { chromiumOnHub, openBrowser, screenshot, seriousViolations, signInAs } from '../support/browser.ts';
import { runCli } from '../support/process.ts';
import { sidewaysOverflow } from '../support/widths.ts';

const clockDir = mkdtempSync(path.join(tmpdir(), 'wghub-clock-'));
const clockFile = path.join(clockDir, 'clock');
writeFileSync(clockFile, '0');
afterAll(() => rmSync(clockDir, { recursive: true, force: true }));

const DAY = 24 * 3600_000;
const MIN = 60_000;

/** Moves the served hub's time to `ms` past the real time (written whole, then renamed). */
function hubClockAhead(ms: number) {
  writeFileSync(`${clockFile}.new`, `+${ms}`);
  renameSync(`${clockFile}.new`, clockFile);
}

const { hub, browser } = chromiumOnHub({ env: { WGHUB_TEST_CLOCK_FILE: clockFile } });

const text = async (page: Page, region: string) =>
  ((await page.getByRole('region', { name: region }).textContent()) ?? '').replace(/\s+/g, ' ');

const QUESTION = 'Publish the hosting FAQ as a supporting resource?';

describe('since your last visit, on a second device', () => {
  test('a member who signs in on her phone after her laptop still reads what was decided since she last looked', async () => {
    const laptop = browser.page;
    await signInAs(laptop, hub.base, 'Priya Nair');
    await laptop.getByRole('heading', { name: /What needs you/ }).waitFor();

    // while she is away, Sam opens a decision of Hosting, adopted by silence at its deadline
    const opened = await runCli(
      ['--as', 'sam-lead', 'decision', 'open', '--group', 'hosting', '--question', QUESTION, '--significance', 'minor'],
      { WGHUB_DATABASE_URL: hub.databaseUrl },
    );
    expect(opened.code, opened.stderr).toBe(0);
    const ref = /D-\d+/.exec(opened.stdout)![0];
    hubClockAhead(14 * DAY);

    // back, her laptop's session has run out: she signs in from a mail's link, straight to another page
    await laptop.goto(`${hub.base}/sign-in?next=${encodeURIComponent('/proposals')}`);
    await laptop.getByRole('button', { name: 'Sign in as Priya Nair' }).click();
    await laptop.waitForURL(/\/proposals$/);

    // minutes later, on her phone: the home lists what was decided since she last looked at it
    hubClockAhead(14 * DAY + 5 * MIN);
    const phone = await openBrowser();
    try {
      await signInAs(phone.page, hub.base, 'Priya Nair');
      // a phone's width (signed in at a wide one: the header folds "Signed in as" into its menu)
      await phone.page.setViewportSize({ width: 375, height: 800 });
      const decided = await text(phone.page, 'Decided since your last visit');
      expect(decided).toContain(`${ref}: ${QUESTION} (Hosting) adopted by lazy consensus, closed`);
      expect(decided).toContain('You did not answer: silence by the deadline counts as consent.');
      expect(await phone.page.locator('main').textContent()).toMatch(/Your last visit: /);
      expect(await seriousViolations(phone.page), 'axe on the phone’s home').toEqual([]);
      expect(await sidewaysOverflow(phone.page)).toBeLessThanOrEqual(0);
      await screenshot(phone.page, 'last-visit-phone-375');
      // a reload does not empty what the page has just shown
      await phone.page.reload();
      expect(await text(phone.page, 'Decided since your last visit')).toContain(`${ref}: ${QUESTION}`);

      // the laptop's home a few minutes later: the same visit, the same list; she marks it seen there
      hubClockAhead(14 * DAY + 9 * MIN);
      await laptop.goto(hub.base + '/');
      expect(await text(laptop, 'Decided since your last visit')).toContain(`${ref}: ${QUESTION}`);
      expect(await seriousViolations(laptop), 'axe on the laptop’s home').toEqual([]);
      await laptop.getByRole('button', { name: 'Mark as seen' }).click();
      await laptop.getByText('Marked as seen').waitFor();
      expect(await laptop.getByRole('region', { name: 'Decided since your last visit' }).count()).toBe(0);

      // and on the phone too: what she has seen is seen on every device
      await phone.page.reload();
      await phone.page.getByRole('heading', { name: /What needs you/ }).waitFor();
      expect(await phone.page.getByRole('region', { name: 'Decided since your last visit' }).count()).toBe(0);
      expect(await phone.page.getByRole('button', { name: 'Mark as seen' }).count()).toBe(0);
    } finally {
      await phone.close();
    }
  });
});
