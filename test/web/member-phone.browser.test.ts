// A member on a phone (375 × 740) comes from a notice's link to the proposal a decision is about:
// the proposal says first what is open on it, how it stands and what her part is; she changes her
// answer to a block, forgets the reason, and the error summary's link shows the field with its label
// and message, not a blank box with both above the screen. A facilitator by keyboard alone reaches the
// same decision from the proposal's header. axe-core on every page; no page scrolls sideways.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { chromiumOnHub, focused, screenshot, seriousViolations, signInAs } from '../support/browser.ts';
import { sidewaysOverflow } from '../support/widths.ts';

const { hub, browser } = chromiumOnHub();

/** Where an element is against the screen: whole inside it, or not. */
const onScreen = (page: Page, selector: string) =>
  page.locator(selector).evaluate((e) => {
    const r = e.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= (globalThis as unknown as { innerHeight: number }).innerHeight;
  });

describe('a member on a phone', () => {
  test('from a notice to the proposal: the open decision, her part in it, and a refused block that shows its field', async () => {
    const { page, context } = browser;
    await context.clearCookies();
    await page.setViewportSize({ width: 1280, height: 900 });
    await signInAs(page, hub.base, 'Priya Nair');
    await page.setViewportSize({ width: 375, height: 740 });
    // D-1 (demo) is about P-2; the notice links to the proposal
    await page.goto(hub.base + '/proposals/P-2');
    const open = page.locator('section[aria-labelledby=open-decisions]');
    await open.getByRole('heading', { name: 'Open decision on it' }).waitFor();
    const said = (await open.textContent())!.replace(/\s+/g, ' ');
    expect(said).toContain('D-1: Adopt the session affinity guide');
    expect(said).toMatch(
      /lazy consensus \(silence is consent\) Closes .+\. Responses that count so far: consent 1, concern 0, block 1\./,
    );
    expect(said).toContain('Your response: consent. Change it while responses are open.');
    // the open decision is on her first screen, under the proposal's header
    expect(await onScreen(page, '#open-decisions')).toBe(true);
    expect(await sidewaysOverflow(page)).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'phone-proposal-open-decision');

    await open.getByRole('link', { name: 'Change it' }).click();
    await page.waitForURL(/\/decisions\/D-1#respond$/);
    await page.getByLabel(/^Block: I object/).check();
    await page.getByRole('button', { name: 'Change my response' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    await summary.getByRole('link', { name: /^Reason:/ }).click();
    // the field has focus, and its label and the message saying what is wrong are on the screen with it
    expect((await focused(page))?.id).toBe('f-respond-reason');
    expect(await onScreen(page, 'label[for=f-respond-reason]')).toBe(true);
    expect(await onScreen(page, '#f-respond-reason-error')).toBe(true);
    await screenshot(page, 'phone-block-reason-field');
    await page.keyboard.type('Only one proxy was tried.');
    await page.getByLabel('Alternative (for a block)').fill('Publish once it is tested behind nginx and envoy.');
    await page.getByRole('button', { name: 'Change my response' }).click();
    await page
      .getByText('Your block is recorded and stands: if it still stands at the deadline, a formal vote opens.', {
        exact: false,
      })
      .waitFor();
    await page.goto(hub.base + '/proposals/P-2');
    expect((await open.textContent())!.replace(/\s+/g, ' ')).toContain(
      'Responses that count so far: consent 0, concern 0, block 2.',
    );
  }, 60_000);
});

describe('a facilitator by keyboard', () => {
  test("the proposal's open decision is the first stop after its header", async () => {
    const { page, context } = browser;
    await context.clearCookies();
    await page.setViewportSize({ width: 1280, height: 900 });
    await signInAs(page, hub.base, 'Sam Rivera');
    await page.goto(hub.base + '/proposals/P-2');
    await page.locator('#subscription-proposal-p-2').focus();
    await page.keyboard.press('Tab'); // its Save button
    await page.keyboard.press('Tab');
    expect((await focused(page))?.text).toMatch(/^D-1: Adopt the session affinity guide/);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/decisions\/D-1$/);
    expect(await seriousViolations(page)).toEqual([]);
  }, 30_000);
});
