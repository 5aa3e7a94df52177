// A newcomer on a phone (390 px), by keyboard alone, before joining any group: their home said only
// "None: no open decision is waiting for your voice" while the community was deciding things they may
// answer, and the decisions list offered them "Open a decision", which the policies refuse them. Now
// the home lists what is open with its deadline, and they reach it by keyboard; the list offers only
// what they can do.
import { describe, expect, test } from 'vitest';
import { chromiumOnHub, focused, screenshot, seriousViolations } from '../support/browser.ts';

const { hub, browser } = chromiumOnHub();

describe('a newcomer on a phone finds what is being decided', () => {
  test('signs up by keyboard, reads the open decisions with their deadlines on the home, and follows one', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(hub.base + '/sign-in');
      for (let i = 0; i < 40 && (await focused(page))?.id !== 'f-handle'; i++) await page.keyboard.press('Tab');
      expect((await focused(page))?.id).toBe('f-handle');
      await page.keyboard.type('noa-phone');
      await page.keyboard.press('Tab');
      await page.keyboard.type('Noa Phone');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/welcome/);
      await page.locator('#f-codeOfConduct').focus();
      await page.keyboard.press('Space');
      await page.locator('#f-contributionTerms').focus();
      await page.keyboard.press('Space');
      await page.keyboard.press('Enter');
      await page.getByText('Next, join a group.').waitFor();

      await page.goto(hub.base + '/');
      const note = page.locator('#open-elsewhere');
      await expect
        .poll(() => note.textContent())
        .toMatch(/^You are in no group yet, so none waits on you; these are open in the community/);
      const items = page.locator('#open-elsewhere + ul li');
      expect(await items.count()).toBeGreaterThan(0);
      // each with its deadline, in her zone
      for (const t of await items.allTextContents()) expect(t).toMatch(/closes in \d+ days?, .*\(Pacific\/Auckland\)/);
      // nothing on the page is wider than the phone
      const width = () =>
        (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement
          .scrollWidth;
      expect(await page.evaluate(width)).toBeLessThanOrEqual(390);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'newcomer-phone-open-decisions');

      // by keyboard from the top of the page to the first of them, and on to its page
      const first = (await items.first().locator('a').getAttribute('href')) ?? '';
      await page.locator('body').focus();
      for (let i = 0; i < 60 && !(await focused(page))?.text.startsWith('D-'); i++) await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.waitForURL((u) => u.pathname === first);
      expect(await page.locator('main').textContent()).toContain('Your response will be shown as advisory');

      // the list of decisions does not offer her what the policies refuse her
      await page.goto(hub.base + '/decisions');
      expect(await page.getByRole('link', { name: 'Open a decision' }).count()).toBe(0);
      await page.goto(hub.base + '/decisions?mine=1');
      expect(await page.locator('#none-waiting').textContent()).toContain('No open decision waits for your response');
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });
});
